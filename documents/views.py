from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from cycles.permissions import get_cycle_or_404
from documents import kinds, permissions, queries, services
from documents.downloads import file_response, successor
from documents.forms import CodeLookupForm, CopyCheckForm, TemplateUploadForm
from documents.verification import HashingUploadHandler, document_by_code, normalize_code

# --- Word templates of the institution ------------------------------------------------------


def _template_institution(user):
    """The institution whose templates `user` manages; 404 for everyone else."""
    if user.institution_id is None or not permissions.can_manage_templates(user, user.institution):
        raise Http404
    return user.institution


def _kind_or_404(key):
    try:
        return kinds.get(key)
    except KeyError:
        raise Http404 from None


@login_required
def template_list(request):
    institution = _template_institution(request.user)
    return render(
        request,
        "documents/template_list.html",
        {"rows": queries.template_overview(institution)},
    )


@login_required
def template_kind(request, kind):
    institution = _template_institution(request.user)
    template_kind = _kind_or_404(kind)
    form = TemplateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.upload_template(
                institution, by=request.user, kind=kind, uploaded_file=form.cleaned_data["file"]
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            messages.success(
                request,
                _("Templat %(kind)s instansi dipakai mulai sekarang.")
                % {"kind": template_kind.label},
            )
            return redirect("template_kind", kind=kind)
    history = institution.document_templates.filter(kind=kind).select_related("uploaded_by")
    context = {"kind": template_kind, "form": form, "history": history}
    return render(request, "documents/template_kind.html", context)


@login_required
def template_default(request, kind):
    """A kind's shipped Word template, as a starting point for an institution's own."""
    _template_institution(request.user)
    template_kind = _kind_or_404(kind)
    return file_response(Path(template_kind.default_template), template_kind.default_download_name)


@login_required
def template_file(request, pk):
    """An uploaded template of the institution (the one in use or an older one)."""
    template = permissions.get_template_or_404(request.user, pk)
    return file_response(template.file, template.original_name)


@login_required
def letter_template(request):
    # The first address of the letter template page; kept for links and bookmarks.
    return redirect("template_kind", kind="letter")


@login_required
def default_letter_template(request):
    return template_default(request, kind="letter")


# --- Public verification ----------------------------------------------------------------------


@csrf_exempt
def document_verify(request, code):
    """Public (no login): confirm a generated document's kind, number, date, institution and
    SHA-256 by its code, and compare an uploaded copy with it. Shows nothing else; an unknown
    code answers 404."""
    # The copy is hashed while it arrives and never stored; the handler must be in place
    # before anything reads the body, the CSRF check included: hence csrf_exempt here and
    # csrf_protect on the view proper (the pattern of Django's upload handler docs).
    request.upload_handlers = [HashingUploadHandler(request)]
    return _document_verify(request, code)


@csrf_protect
def _document_verify(request, code):
    normalized = normalize_code(code)
    if request.method == "GET" and normalized and normalized != code:
        return redirect("document_verify", code=normalized)
    document = document_by_code(normalized)
    if document is None:
        context = {"code": code, "form": CodeLookupForm()}
        return render(request, "documents/verify_unknown.html", context, status=404)
    form = CopyCheckForm()
    copy = None
    if request.method == "POST":
        form = CopyCheckForm(request.POST, request.FILES)
        if request.upload_handlers[0].too_large:
            form.add_error(
                None, _("Berkas terlalu besar untuk diperiksa di sini (maksimal 100 MB).")
            )
        elif form.is_valid():
            copy = form.cleaned_data["file"]
    context = {
        "document": document,
        "successor": successor(document),
        "form": form,
        "copy": copy,
        "identical": copy is not None and copy.sha256 == document.sha256,
    }
    return render(request, "documents/verify.html", context)


def document_verify_lookup(request):
    """Public: type a code, go to its verification page."""
    form = CodeLookupForm(request.GET if "kode" in request.GET else None)
    if form.is_valid():
        code = normalize_code(form.cleaned_data["kode"])
        if code:
            return redirect("document_verify", code=code)
        form.add_error("kode", _("Kode verifikasi terdiri dari huruf dan angka."))
    return render(request, "documents/verify_lookup.html", {"form": form})


# --- The cycle's documents ----------------------------------------------------------------------


@login_required
def cycle_documents(request, cycle_pk):
    cycle = get_cycle_or_404(request.user, cycle_pk)
    if not permissions.can_view_documents(request.user, cycle.institution):
        raise Http404
    context = {
        "cycle": cycle,
        "groups": queries.cycle_document_groups(cycle),
        "jobs": queries.cycle_jobs(cycle),
        "can_download": True,
    }
    return render(request, "documents/cycle_documents.html", context)


def download_name(document):
    """A readable file name: title, number and version, e.g.
    "surat-permohonan-data-005-12-diskominfo-2026-v2.pdf"."""
    number = document.number.replace("/", " ")
    name = slugify(f"{document.title} {number} v{document.version}")[:150] or "dokumen"
    return f"{name}.{document.format}"


@login_required
def document_download(request, pk):
    document = permissions.get_document_or_404(request.user, pk)
    return file_response(document.file, download_name(document))


# --- Background builds ----------------------------------------------------------------------------


@login_required
def job_status(request, pk):
    """The state of a background build. For HTMX, the partial that polls itself every second
    until the build is finished; otherwise a page with the same content."""
    job = permissions.get_job_or_404(request.user, pk)
    context = {
        "job": job,
        "can_download": permissions.can_view_documents(request.user, job.institution),
    }
    template = "documents/job_status.html"
    if request.htmx:
        template += "#job"
    response = render(request, template, context)
    if request.htmx and job.is_finished:
        # The page polled a running build: reload it so all of it shows the result.
        response["HX-Refresh"] = "true"
    return response
