"""Data dukung pages and the evidence panel's endpoints.

Each panel action answers an HTMX request with the refreshed panel (its outcome shown in
it) and a plain form post with a redirect back to the page it came from.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cycles.models import Cycle
from evidence import permissions, queries, services
from evidence.forms import LinkForm, ReuseForm, RevisionForm, UploadForm
from evidence.models import Evidence
from submissions.models import Submission

PANEL_VALUES = ("title", "document_date", "url")


def _safe_next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


def _errors(error_or_form):
    if isinstance(error_or_form, ValidationError):
        return " ".join(error_or_form.messages)
    return " ".join(str(e) for errors in error_or_form.errors.values() for e in errors)


def _panel_response(request, submission, *, error="", success="", form=""):
    """The refreshed panel for HTMX (a refused `form` keeps its typed values); otherwise a
    message and a redirect back."""
    if request.htmx:
        panel = queries.evidence_panel(submission, request.user)
        panel.error, panel.success = error, success
        if error and form:
            panel.values = {key: request.POST.get(key, "") for key in PANEL_VALUES}
            panel.values["form"] = form
        panel.return_url = request.htmx.current_url_abs_path or ""
        context = {"submission": submission, "panel": panel}
        return render(request, "evidence/_panel.html", context)
    if error:
        messages.error(request, error)
    elif success:
        messages.success(request, success)
    return redirect(_safe_next(request) or reverse("evidence_submission", args=[submission.pk]))


@login_required
def evidence_submission(request, pk):
    """The data dukung of one answer on a page of its own (and the plain-form fallback)."""
    submission = permissions.get_submission_or_404(request.user, pk)
    panel = queries.evidence_panel(submission, request.user)
    panel.return_url = request.get_full_path()
    return render(request, "evidence/submission.html", {"submission": submission, "panel": panel})


@login_required
@require_POST
def evidence_upload(request, pk):
    submission = permissions.get_submission_or_404(request.user, pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _panel_response(request, submission, error=_errors(form), form="upload")
    try:
        services.add_file_evidence(
            submission.cycle,
            submission.agency,
            by=request.user,
            uploaded_file=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
            document_date=form.cleaned_data["document_date"],
            submission=submission,
        )
    except ValidationError as error:
        return _panel_response(request, submission, error=_errors(error), form="upload")
    return _panel_response(request, submission, success=_("Berkas data dukung diunggah."))


@login_required
@require_POST
def evidence_link(request, pk):
    submission = permissions.get_submission_or_404(request.user, pk)
    form = LinkForm(request.POST)
    if not form.is_valid():
        return _panel_response(request, submission, error=_errors(form), form="link")
    try:
        services.add_link_evidence(
            submission.cycle,
            submission.agency,
            by=request.user,
            submission=submission,
            **form.cleaned_data,
        )
    except ValidationError as error:
        return _panel_response(request, submission, error=_errors(error), form="link")
    return _panel_response(request, submission, success=_("Tautan data dukung ditambahkan."))


@login_required
@require_POST
def evidence_revision(request, pk, evidence_pk):
    submission = permissions.get_submission_or_404(request.user, pk)
    evidence = permissions.get_evidence_or_404(request.user, evidence_pk)
    if (evidence.cycle_id, evidence.agency_id) != (submission.cycle_id, submission.agency_id):
        raise Http404
    form = RevisionForm(request.POST, request.FILES)
    if not form.is_valid():
        return _panel_response(request, submission, error=_errors(form))
    try:
        revision = services.add_revision(
            evidence, by=request.user, uploaded_file=form.cleaned_data["file"]
        )
    except ValidationError as error:
        return _panel_response(request, submission, error=_errors(error))
    success = _("Revisi %(number)s “%(title)s” diunggah.") % {
        "number": revision.number,
        "title": evidence.title,
    }
    return _panel_response(request, submission, success=success)


@login_required
@require_POST
def evidence_attach(request, pk):
    submission = permissions.get_submission_or_404(request.user, pk)
    field = forms.ModelChoiceField(
        Evidence.objects.filter(cycle_id=submission.cycle_id, agency_id=submission.agency_id),
        error_messages={
            "required": _("Pilih data dukung yang akan dilampirkan."),
            "invalid_choice": _("Pilih data dukung yang akan dilampirkan."),
        },
    )
    try:
        evidence = field.clean(request.POST.get("evidence"))
        services.attach_evidence(submission, evidence, by=request.user)
    except ValidationError as error:
        return _panel_response(request, submission, error=_errors(error))
    success = _("“%(title)s” dilampirkan.") % {"title": evidence.title}
    return _panel_response(request, submission, success=success)


@login_required
@require_POST
def evidence_detach(request, pk, evidence_pk):
    submission = permissions.get_submission_or_404(request.user, pk)
    evidence = permissions.get_evidence_or_404(request.user, evidence_pk)
    try:
        services.detach_evidence(submission, evidence, by=request.user)
    except ValidationError as error:
        return _panel_response(request, submission, error=_errors(error))
    success = _("“%(title)s” dilepas dari isian ini; data dukungnya tetap tersimpan.") % {
        "title": evidence.title
    }
    return _panel_response(request, submission, success=success)


def _cycle_agency_or_404(user, cycle_pk, agency_pk):
    cycle = get_object_or_404(
        Cycle.objects.select_related("institution"), pk=cycle_pk, institution_id=user.institution_id
    )
    agency = get_object_or_404(cycle.agencies, pk=agency_pk)
    if not permissions.can_view_agency_evidence(user, cycle.institution_id, agency.pk):
        raise Http404
    return cycle, agency


@login_required
def evidence_reuse(request, cycle_pk, agency_pk):
    """Last year's evidence of the OPD, to bring into this cycle with one click."""
    cycle, agency = _cycle_agency_or_404(request.user, cycle_pk, agency_pk)
    source, items = queries.reusable_evidence(cycle, agency)
    form = ReuseForm(
        request.POST or None, choices=[item.evidence.pk for item in items if not item.reused]
    )
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationError(_errors(form))
            created = services.reuse_previous_evidence(
                cycle, agency, by=request.user, evidence_ids=form.cleaned_data["evidence"]
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(
                request,
                _("%(count)s data dukung tahun lalu dipakai ulang pada periode ini.")
                % {"count": len(created)},
            )
            return redirect(_safe_next(request) or request.get_full_path())
    context = {
        "cycle": cycle,
        "agency": agency,
        "source": source,
        "items": items,
        "can_edit": permissions.can_edit_evidence(request.user, cycle, agency),
        "next": _safe_next(request),
    }
    return render(request, "evidence/reuse.html", context)


@login_required
def evidence_download(request, pk):
    """One revision's file, as an attachment named by the national convention; never a
    direct media URL, so every download passes the access check."""
    revision = permissions.get_revision_or_404(request.user, pk)
    submission = None
    if request.GET.get("isian", "").isdigit():
        submission = (
            Submission.objects.filter(pk=request.GET["isian"], evidence=revision.evidence_id)
            .select_related("indicator")
            .first()
        )
    return FileResponse(
        revision.file.open("rb"),
        as_attachment=True,
        filename=queries.download_name(revision, submission),
        content_type=revision.content_type,
    )
