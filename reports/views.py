"""Pages of the reports app: the step-7 statements (Berita Acara, Pernyataan Persetujuan
Publikasi) and the executive brief."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.queries import find_assessment
from cycles.permissions import is_closed
from documents.downloads import file_response
from documents.templatetags.monev_dates import tanggal
from letters.services import peek_next_number
from monev.confirm import confirmation_page, needs_confirmation
from reports import evaluation, evaluation_signing, permissions, queries, services
from reports.forms import ApprovalForm, ReportForm, SignedFileForm
from reports.models import SignedReport


def _error_text(error):
    return " ".join(error.messages)


@login_required
def report_list(request, cycle_pk):
    """The cycle's two statements: their state, who acts next and the user's actions."""
    cycle = permissions.get_report_cycle_or_404(request.user, cycle_pk)
    user = request.user
    rows = [
        {
            "kind": kind,
            "report": report,
            "actions": permissions.available_actions(user, report) if report else set(),
            "next_actor_name": cycle.sop.actor_name(report.next_actor)
            if report and report.next_actor
            else "",
        }
        for kind, report in queries.reports_of(cycle)
    ]
    context = {
        "cycle": cycle,
        "rows": rows,
        "is_final": find_assessment(cycle).is_final,
        "can_prepare": permissions.can_prepare_report(user, cycle),
    }
    return render(request, "reports/report_list.html", context)


@login_required
@require_POST
def report_prepare(request, cycle_pk):
    cycle = permissions.get_report_cycle_or_404(request.user, cycle_pk)
    kind = request.POST.get("kind")
    if kind not in SignedReport.STATEMENT_KINDS:
        raise Http404
    try:
        report = services.prepare_report(cycle, by=request.user, kind=kind)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("report_list", cycle_pk=cycle.pk)
    messages.success(
        request,
        _("Draf %(kind)s dibuat. Periksa tempat dan penanda tangannya.")
        % {"kind": report.get_kind_display()},
    )
    return redirect("report_detail", pk=report.pk)


def _render_detail(request, report, **forms):
    user = request.user
    actions = permissions.available_actions(user, report)
    context = {
        "report": report,
        "cycle": report.cycle,
        "actions": actions,
        "next_actor_name": report.cycle.sop.actor_name(report.next_actor)
        if report.next_actor
        else "",
        "content": queries.content_of(report),
        "edit_form": forms.get("edit_form")
        or (ReportForm(instance=report) if "edit" in actions else None),
        "approval_form": forms.get("approval_form")
        or (ApprovalForm() if "approve" in actions else None),
        "upload_form": forms.get("upload_form")
        or (SignedFileForm() if "upload" in actions else None),
    }
    return render(request, "reports/report_detail.html", context)


@login_required
def report_detail(request, pk):
    report = permissions.get_report_or_404(request.user, pk)
    return _render_detail(request, report)


@login_required
@require_POST
def report_edit(request, pk):
    report = permissions.get_report_or_404(request.user, pk)
    if not permissions.can_edit_report(request.user, report):
        raise PermissionDenied
    # A fresh instance: validating a ModelForm writes into it, and the service compares
    # the report's stored values with the new ones.
    form = ReportForm(request.POST, instance=SignedReport.objects.get(pk=report.pk))
    if form.is_valid():
        try:
            services.update_report(report, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("report_detail", pk=report.pk)
    return _render_detail(request, report, edit_form=form)


def _simple_action(request, pk, service, success):
    report = permissions.get_report_or_404(request.user, pk)
    try:
        service(report, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, success(report))
    return redirect("report_detail", pk=report.pk)


@login_required
@require_POST
def report_number(request, pk):
    report = permissions.get_report_or_404(request.user, pk)
    cycle = report.cycle
    # Only a statement that can be numbered now asks; otherwise the service says why not.
    if (
        needs_confirmation(request)
        and "number" in permissions.available_actions(request.user, report)
        and services.number_refusal(report) is None
    ):
        number, today = peek_next_number(cycle.institution)
        return confirmation_page(
            request,
            title=_("Beri nomor %(kind)s?") % {"kind": report.get_kind_display()},
            consequences=[
                _(
                    "Nomor %(number)s diambil dari urutan nomor surat %(institution)s tahun "
                    "%(year)s dan tidak dapat dipakai ulang."
                )
                % {"number": number, "institution": cycle.institution.name, "year": today.year},
                _("Tanggal dokumen: %(date)s.") % {"date": tanggal(today)},
                _(
                    "Isi dokumen (hasil evaluasi dan peserta rapat) dibekukan: perubahan "
                    "sesudahnya tidak masuk ke dokumen ini."
                ),
            ],
            undo=_("Tidak dapat dibatalkan: nomor yang sudah diambil tetap tercatat."),
            button=_("Ya, beri nomor"),
            back_url=reverse("report_detail", args=[report.pk]),
        )
    return _simple_action(
        request,
        pk,
        services.number_report,
        lambda report: _("Dokumen diberi nomor %(number)s.") % {"number": report.number},
    )


@login_required
@require_POST
def report_route(request, pk):
    return _simple_action(
        request,
        pk,
        services.route_report_for_signature,
        lambda report: _("Dokumen diajukan kepada pimpinan untuk ditandatangani."),
    )


@login_required
@require_POST
def report_approve(request, pk):
    report = permissions.get_report_or_404(request.user, pk)
    form = ApprovalForm(request.POST)
    if form.is_valid():
        try:
            services.sign_report(report, by=request.user, internal_approval=True)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Persetujuan Anda dicatat; dokumen ditandatangani."))
            return redirect("report_detail", pk=report.pk)
    return _render_detail(request, report, approval_form=form)


@login_required
@require_POST
def report_upload(request, pk):
    report = permissions.get_report_or_404(request.user, pk)
    # Before the form: a refused person learns nothing from its errors.
    if not permissions.can_upload_signed_report(request.user, report):
        raise PermissionDenied
    form = SignedFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.sign_report(
                report, by=request.user, signed_pdf=form.cleaned_data["signed_pdf"]
            )
        except ValidationError as error:
            form.add_error("signed_pdf", error)
        else:
            messages.success(request, _("PDF bertanda tangan disimpan; dokumen ditandatangani."))
            return redirect("report_detail", pk=report.pk)
    return _render_detail(request, report, upload_form=form)


def _file_name(report, extension, suffix=""):
    number = report.number.replace("/", " ") or _("draf")
    short = "berita-acara" if report.is_berita_acara else "pernyataan-persetujuan-publikasi"
    return f"{short}-{slugify(number)}{suffix}.{extension}"


def _document_response(request, pk, format):
    report = permissions.get_report_or_404(request.user, pk)
    document = services.report_document(report, by=request.user, format=format)
    return file_response(document.file, _file_name(report, format))


@login_required
def report_pdf(request, pk):
    return _document_response(request, pk, "pdf")


@login_required
def report_docx(request, pk):
    return _document_response(request, pk, "docx")


@login_required
def report_signed_file(request, pk):
    report = permissions.get_report_or_404(request.user, pk)
    if not report.signed_file:
        raise Http404
    return file_response(report.signed_file, _file_name(report, "pdf", suffix="-ttd"))


# --- The executive brief --------------------------------------------------------------------


@login_required
def executive_brief(request, cycle_pk):
    cycle = permissions.get_report_cycle_or_404(request.user, cycle_pk)
    brief = queries.executive_brief(cycle)
    context = {"cycle": cycle, "brief": brief, "closed": is_closed(cycle)}
    return render(request, "reports/executive_brief.html", context)


@login_required
def executive_brief_pdf(request, cycle_pk):
    """GET: the brief as made today (a closed cycle's: as stored); POST, "Buat versi
    baru": a new version now (refused in a closed cycle)."""
    cycle = permissions.get_report_cycle_or_404(request.user, cycle_pk)
    try:
        document = services.brief_document(cycle, by=request.user, renew=request.method == "POST")
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("executive_brief", cycle.pk)
    return file_response(document.file, f"ringkasan-eksekutif-spbe-{cycle.year}.pdf")


# --- The Dokumen Evaluasi SPBE and the evidence package (SOP step 8) -----------------------


@login_required
def evaluation_page(request, cycle_pk):
    """What step 8 produces, the buttons that build it, the builds under way (polled) and
    every version made so far."""
    cycle = permissions.get_report_cycle_or_404(request.user, cycle_pk)
    jobs = evaluation.latest_jobs(cycle)
    record = evaluation_signing.evaluation_record(cycle)
    actions = evaluation_signing.evaluation_actions(request.user, record)
    documents = list(evaluation.evaluation_documents(cycle))
    evaluation_source = evaluation.evaluation_source(cycle)
    context = {
        "approval": record,
        "actions": actions,
        "edit_form": ReportForm(instance=record) if "edit" in actions else None,
        "approval_form": ApprovalForm() if "approve" in actions else None,
        "upload_form": SignedFileForm() if "upload" in actions else None,
        "formats": {
            document.format for document in documents if document.source == evaluation_source
        },
        "cycle": cycle,
        "is_final": find_assessment(cycle).is_final,
        "can_generate": evaluation.can_generate_evaluation(request.user, cycle),
        "evaluation_job": jobs.get(evaluation.KIND),
        "package_job": jobs.get(evaluation.PACKAGE_KIND),
        "can_download": True,
        "documents": documents,
        "step": cycle.step_runs.filter(number=evaluation.STEP).first(),
    }
    return render(request, "reports/evaluation.html", context)


def _start(request, cycle_pk, start, success):
    cycle = permissions.get_report_cycle_or_404(request.user, cycle_pk)
    try:
        start(cycle, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, success)
    return redirect("evaluation", cycle.pk)


@login_required
@require_POST
def evaluation_generate(request, cycle_pk):
    return _start(
        request,
        cycle_pk,
        evaluation.start_evaluation,
        _("Pembuatan Dokumen Evaluasi SPBE dimulai; kemajuannya tampil di bawah."),
    )


@login_required
@require_POST
def evaluation_package(request, cycle_pk):
    return _start(
        request,
        cycle_pk,
        evaluation.start_evidence_package,
        _("Pembuatan paket data dukung dimulai; kemajuannya tampil di bawah."),
    )


# --- The Dokumen Evaluasi's approval and signature ---------------------------------------------


def _approval_or_404(request, cycle_pk):
    cycle = permissions.get_report_cycle_or_404(request.user, cycle_pk)
    record = evaluation_signing.evaluation_record(cycle)
    if record is None:
        raise Http404
    return record


def _form_errors(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@login_required
@require_POST
def evaluation_approval_edit(request, cycle_pk):
    """The coordinator corrects the names, titles and NIP of the closing block."""
    record = _approval_or_404(request, cycle_pk)
    if not permissions.can_edit_report(request.user, record):
        raise PermissionDenied
    form = ReportForm(request.POST, instance=SignedReport.objects.get(pk=record.pk))
    if form.is_valid():
        try:
            services.update_report(record, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request,
                _("Perubahan disimpan. Buat ulang Dokumen Evaluasi SPBE agar memuatnya."),
            )
    else:
        _form_errors(request, form)
    return redirect("evaluation", record.cycle_id)


def _sign(request, cycle_pk, form, success, *, signature):
    record = _approval_or_404(request, cycle_pk)
    if form.is_valid():
        try:
            evaluation_signing.sign_evaluation(record, by=request.user, **signature(form))
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, success)
    else:
        _form_errors(request, form)
    return redirect("evaluation", record.cycle_id)


@login_required
@require_POST
def evaluation_approve(request, cycle_pk):
    return _sign(
        request,
        cycle_pk,
        ApprovalForm(request.POST),
        _("Persetujuan Anda dicatat; Dokumen Evaluasi SPBE ditandatangani."),
        signature=lambda form: {"internal_approval": True},
    )


@login_required
@require_POST
def evaluation_upload(request, cycle_pk):
    record = _approval_or_404(request, cycle_pk)
    # Before the form: a refused person learns nothing from its errors.
    if not permissions.can_upload_signed_report(request.user, record):
        raise PermissionDenied
    return _sign(
        request,
        cycle_pk,
        SignedFileForm(request.POST, request.FILES),
        _("PDF bertanda tangan disimpan; Dokumen Evaluasi SPBE ditandatangani."),
        signature=lambda form: {"signed_pdf": form.cleaned_data["signed_pdf"]},
    )


def _evaluation_file_name(cycle, extension, suffix=""):
    return f"dokumen-evaluasi-spbe-{cycle.year}{suffix}.{extension}"


@login_required
def evaluation_download(request, cycle_pk, format):
    """The Dokumen Evaluasi as served: once signed, the signed version as stored."""
    cycle = permissions.get_report_cycle_or_404(request.user, cycle_pk)
    if format not in ("pdf", "docx"):
        raise Http404
    document = evaluation_signing.served_document(cycle, format)
    if document is None:
        raise Http404
    return file_response(document.file, _evaluation_file_name(cycle, format))


@login_required
def evaluation_signed_file(request, cycle_pk):
    record = _approval_or_404(request, cycle_pk)
    if not record.signed_file:
        raise Http404
    return file_response(record.signed_file, _evaluation_file_name(record.cycle, "pdf", "-ttd"))
