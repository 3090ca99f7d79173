from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from documents import services
from documents.forms import TemplateUploadForm
from documents.letters import LETTER_TEMPLATE
from documents.models import Document, DocumentTemplate
from documents.placeholders import LETTER_PLACEHOLDERS
from documents.queries import active_template
from institutions.models import Role
from institutions.permissions import has_role


def _require_template_manager(user):
    if user.institution_id is None or not has_role(user, Role.ADMIN, Role.COORDINATOR):
        raise Http404


@login_required
def letter_template(request):
    _require_template_manager(request.user)
    institution = request.user.institution
    form = TemplateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.upload_template(
                institution,
                by=request.user,
                kind=DocumentTemplate.Kind.LETTER,
                uploaded_file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            messages.success(request, _("Templat surat instansi dipakai mulai sekarang."))
            return redirect("letter_template")
    context = {
        "form": form,
        "current": active_template(institution, DocumentTemplate.Kind.LETTER),
        "history": institution.document_templates.filter(kind=DocumentTemplate.Kind.LETTER),
        "placeholders": LETTER_PLACEHOLDERS,
    }
    return render(request, "documents/letter_template.html", context)


@login_required
def default_letter_template(request):
    """The project's own Word template, as a starting point for an institution's own."""
    _require_template_manager(request.user)
    return FileResponse(
        open(LETTER_TEMPLATE, "rb"), as_attachment=True, filename="templat-surat-monev-spbe.docx"
    )


def document_verify(request, code):
    """Public (no login): confirm a generated document's kind, number, date, institution
    and SHA-256 by its code. Shows nothing else; an unknown code is 404."""
    document = get_object_or_404(
        Document.objects.select_related("institution"), code=code.strip().upper()
    )
    return render(request, "documents/verify.html", {"document": document})
