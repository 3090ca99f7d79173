"""Data dukung pages and the evidence panel's endpoints.

Each panel action answers an HTMX request with the refreshed panel (its outcome shown in
it) and a plain form post with a redirect back to the page it came from; an upload from the
panel's script that asks for it gets only the outcome and the new rows. The upload and
link endpoints exist twice: for a saved answer (by its pk) and for an answer not saved yet
(by cycle, OPD and indicator; the first file creates it).
"""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cycles.models import Cycle
from evidence import permissions, queries, services
from evidence.forms import EditForm, LinkForm, ReuseForm, RevisionForm, UploadForm
from evidence.models import Evidence
from evidence.uploads import INLINE_CONTENT_TYPES
from monev.converters import parse_id
from submissions import permissions as submission_permissions
from submissions.models import Submission
from submissions.queries import answer_window

PANEL_VALUES = ("title", "document_date", "url")
# A preview is the stored file shown by the browser itself, never a page of ours: nothing
# may run, load or be framed from it except what the browser's own image and PDF viewers
# need (the viewer is an embedded plugin: `object-src 'self'`; inline styles of the viewer
# pages). No `sandbox`: Chromium 156 still opens a sandboxed PDF (checked in the browser
# test, which asserts the viewer loads), but older Chrome versions answered a sandboxed
# PDF with "This page has been blocked by Chrome" and Firefox's PDF viewer runs scripts in
# the document, which a sandbox forbids; with `default-src 'none'` a sandbox adds little.
PREVIEW_POLICY = (
    "default-src 'none'; img-src 'self'; object-src 'self'; style-src 'unsafe-inline'; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)


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


def _respond(request, panel_of, back, *, error="", success="", form="", status=200, rows=False):
    """The refreshed panel for HTMX (a refused `form` keeps its typed values; `panel_of()`
    builds it), or with `rows` only the outcome and the panel's items (_panel_rows.html);
    otherwise a message and a redirect back (`next`, else `back`)."""
    if request.htmx:
        panel = panel_of()
        panel.error, panel.success = error, success
        if error and form:
            panel.values = {key: request.POST.get(key, "") for key in PANEL_VALUES}
            panel.values["form"] = form
        panel.return_url = request.htmx.current_url_abs_path or ""
        template = "evidence/_panel_rows.html" if rows else "evidence/_panel.html"
        return render(request, template, {"panel": panel}, status=status)
    if error:
        messages.error(request, error)
    if success:
        messages.success(request, success)
    return redirect(_safe_next(request) or back)


def _panel_response(request, submission, *, window=None, only=None, **outcome):
    """`only`: the pks of the evidence whose rows alone answer HTMX (see _respond)."""
    return _respond(
        request,
        lambda: queries.evidence_panel(submission, request.user, window=window, only=only),
        reverse("evidence_submission", args=[submission.pk]),
        rows=only is not None,
        **outcome,
    )


def _wants_rows(request):
    """The panel's script asks (header X-Evidence-Rows) for an upload's outcome and new rows
    only, which it puts in the panel it shows: re-rendering the whole panel cost more than
    storing the file."""
    return request.htmx and request.headers.get("X-Evidence-Rows") == "1"


@login_required
def evidence_submission(request, pk):
    """The data dukung of one answer on a page of its own (and the plain-form fallback)."""
    submission = permissions.get_submission_or_404(request.user, pk)
    panel = queries.evidence_panel(submission, request.user)
    panel.return_url = request.get_full_path()
    return render(request, "evidence/submission.html", {"submission": submission, "panel": panel})


def _store_files(request, cycle, agency, target, window):
    """Each file of the post stored or refused on its own (the panel's script sends one
    file per request; a plain form sends all at once). Returns (added, refusals): the new
    Evidence and the reasons, each naming its file when there were several. `window`: the
    OPD's answering window, read once for the checks and the refreshed panel."""
    form = UploadForm(request.POST)
    files = request.FILES.getlist("file")
    if not form.is_valid():
        return [], [_errors(form)]
    if not files:
        return [], [_("Pilih berkas yang akan diunggah.")]
    title = form.cleaned_data["title"] if len(files) == 1 else ""
    added, refusals = [], []
    for uploaded in files:
        try:
            evidence = services.add_file_evidence(
                cycle,
                agency,
                by=request.user,
                uploaded_file=uploaded,
                title=title,
                document_date=form.cleaned_data["document_date"],
                window=window,
                **target,
            )
        except ValidationError as error:
            reason = _errors(error)
            if len(files) > 1:
                reason = _("%(name)s: %(reason)s") % {"name": uploaded.name, "reason": reason}
            refusals.append(reason)
        else:
            added.append(evidence)
    return added, refusals


def _upload_outcome(added, refusals):
    """The _respond keywords for an upload: 422 when nothing was stored, so the panel's
    script tells a refused file from a stored one."""
    success = ""
    if len(added) == 1:
        success = _("Berkas data dukung diunggah.")
    elif added:
        success = ngettext(
            "%(count)s berkas data dukung diunggah.",
            "%(count)s berkas data dukung diunggah.",
            len(added),
        ) % {"count": len(added)}
    status = 422 if refusals and not added else 200
    return {"error": " ".join(refusals), "success": success, "form": "upload", "status": status}


@login_required
@require_POST
def evidence_upload(request, pk):
    submission = permissions.get_submission_or_404(request.user, pk)
    window = answer_window(submission.cycle, submission.agency)
    target = {"submission": submission}
    added, refusals = _store_files(request, submission.cycle, submission.agency, target, window)
    only = [evidence.pk for evidence in added] if _wants_rows(request) else None
    outcome = _upload_outcome(added, refusals)
    return _panel_response(request, submission, window=window, only=only, **outcome)


@login_required
@require_POST
def evidence_link(request, pk):
    submission = permissions.get_submission_or_404(request.user, pk)
    window = answer_window(submission.cycle, submission.agency)
    form = LinkForm(request.POST)
    if not form.is_valid():
        return _panel_response(request, submission, window=window, error=_errors(form), form="link")
    try:
        services.add_link_evidence(
            submission.cycle,
            submission.agency,
            by=request.user,
            submission=submission,
            window=window,
            **form.cleaned_data,
        )
    except ValidationError as error:
        return _panel_response(
            request, submission, window=window, error=_errors(error), form="link"
        )
    success = _("Tautan data dukung ditambahkan.")
    return _panel_response(request, submission, window=window, success=success)


# --- Before the answer exists: the first file or link creates it --------------------------


def _answer_or_404(user, cycle_pk, agency_pk, node_pk):
    """(cycle, agency, indicator) of an answer the user may give: an operator of the OPD,
    the indicator assigned to it. Everyone else gets 404."""
    cycle, agency = submission_permissions.get_portal_or_404(user, cycle_pk, agency_pk)
    if not submission_permissions.can_answer(user, cycle, agency):
        raise Http404
    indicator = submission_permissions.get_assignment_or_404(cycle, agency, node_pk).indicator
    return cycle, agency, indicator


def _answer_response(request, cycle, agency, indicator, *, window=None, **outcome):
    def panel_of():
        submission = Submission.objects.filter(
            cycle=cycle, agency=agency, indicator=indicator
        ).first()
        user = request.user
        return queries.answer_panel(cycle, agency, indicator, submission, user, window=window)

    back = reverse("submission_edit", args=[cycle.pk, agency.pk, indicator.pk])
    return _respond(request, panel_of, back, **outcome)


@login_required
@require_POST
def evidence_answer_upload(request, cycle_pk, agency_pk, node_pk):
    """Files for an answer the OPD may not have saved yet (created with the first one).
    Always answered with the whole panel: the panel's script asks for rows only from the
    panel of a saved answer, whose upload form posts to evidence_upload."""
    cycle, agency, indicator = _answer_or_404(request.user, cycle_pk, agency_pk, node_pk)
    window = answer_window(cycle, agency)
    target = {"indicator": indicator}
    added, refusals = _store_files(request, cycle, agency, target, window)
    outcome = _upload_outcome(added, refusals)
    return _answer_response(request, cycle, agency, indicator, window=window, **outcome)


@login_required
@require_POST
def evidence_answer_link(request, cycle_pk, agency_pk, node_pk):
    """A link for an answer the OPD may not have saved yet (created with it)."""
    cycle, agency, indicator = _answer_or_404(request.user, cycle_pk, agency_pk, node_pk)
    window = answer_window(cycle, agency)
    form = LinkForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_errors(form))
        services.add_link_evidence(
            cycle, agency, by=request.user, indicator=indicator, window=window, **form.cleaned_data
        )
    except ValidationError as error:
        return _answer_response(
            request, cycle, agency, indicator, window=window, error=_errors(error), form="link"
        )
    success = _("Tautan data dukung ditambahkan.")
    return _answer_response(request, cycle, agency, indicator, window=window, success=success)


# --- One attached piece ---------------------------------------------------------------------


def _evidence_of(user, submission, evidence_pk):
    """A piece of the same OPD and cycle as the answer (404 otherwise)."""
    evidence = permissions.get_evidence_or_404(user, evidence_pk)
    if (evidence.cycle_id, evidence.agency_id) != (submission.cycle_id, submission.agency_id):
        raise Http404
    return evidence


@login_required
@require_POST
def evidence_edit(request, pk, evidence_pk):
    """Correct the title or the document date of a piece."""
    submission = permissions.get_submission_or_404(request.user, pk)
    evidence = _evidence_of(request.user, submission, evidence_pk)
    form = EditForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_errors(form))
        services.edit_evidence(evidence, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        return _panel_response(request, submission, error=_errors(error))
    success = _("“%(title)s” disimpan.") % {"title": evidence.title}
    return _panel_response(request, submission, success=success)


@login_required
@require_POST
def evidence_revision(request, pk, evidence_pk):
    submission = permissions.get_submission_or_404(request.user, pk)
    evidence = _evidence_of(request.user, submission, evidence_pk)
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
    """Detach a piece; when the answer's text cited the letters that moved, the HTMX answer
    carries the new text and version in the event "dataDukungBerubah" (HX-Trigger) for the
    open form to take over."""
    submission = permissions.get_submission_or_404(request.user, pk)
    evidence = permissions.get_evidence_or_404(request.user, evidence_pk)
    try:
        detached = services.detach_evidence(submission, evidence, by=request.user)
    except ValidationError as error:
        return _panel_response(request, submission, error=_errors(error))
    success = _("“%(title)s” dilepas dari isian ini; data dukungnya tetap tersimpan.") % {
        "title": evidence.title
    }
    response = _panel_response(request, submission, success=success)
    if request.htmx and detached is not None and detached.references:
        changed = {
            "version": submission.version,
            "fakta": submission.fakta,
            "analisis": submission.analisis,
        }
        # json.dumps escapes every non-ASCII character: the header stays ASCII.
        response["HX-Trigger"] = json.dumps({"dataDukungBerubah": changed})
    return response


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


def _download_submission(isian, revision):
    """The answer a file is opened from (`isian`: the link's ?isian=<pk>), which gives its
    export name; None when not given or not an answer the file supports."""
    pk = parse_id(isian or "")
    if pk is None:
        return None
    return (
        Submission.objects.filter(pk=pk, evidence=revision.evidence_id)
        .select_related("indicator")
        .first()
    )


def revision_file_response(revision, *, isian=None, as_attachment=True):
    """A revision's stored file, streamed (FileResponse), typed as detected at upload and
    named by the national convention after the answer it is opened from (`isian`, see
    _download_submission; else its first answer: queries.download_name). The page's download
    and preview and the API's download answer through it."""
    return FileResponse(
        revision.file.open("rb"),
        as_attachment=as_attachment,
        filename=queries.download_name(revision, _download_submission(isian, revision)),
        content_type=revision.content_type,
    )


@login_required
def evidence_download(request, pk):
    """One revision's file, as an attachment named by the national convention; never a
    direct media URL, so every download passes the access check."""
    revision = permissions.get_revision_or_404(request.user, pk)
    return revision_file_response(revision, isian=request.GET.get("isian"))


@login_required
def evidence_preview(request, pk):
    """A PDF, JPEG or PNG revision shown in the browser tab, typed as detected at upload
    (never by its name); any other type is sent to the download as an attachment."""
    revision = permissions.get_revision_or_404(request.user, pk)
    if revision.content_type not in INLINE_CONTENT_TYPES:
        query = request.GET.urlencode()
        return redirect(reverse("evidence_download", args=[pk]) + (f"?{query}" if query else ""))
    response = revision_file_response(revision, isian=request.GET.get("isian"), as_attachment=False)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = PREVIEW_POLICY
    return response
