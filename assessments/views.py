from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import charts, meeting, official_form, permissions, queries, services
from assessments.forms import (
    DecisionForm,
    MeetingDecisionForm,
    NationalResultForm,
    ReopenForm,
)
from cycles.models import Cycle
from cycles.permissions import closed_reason, is_closed
from documents.downloads import file_response, newest_document, renew_document
from frameworks.queries import get_indicator_or_404
from monev.confirm import confirmation_page, needs_confirmation

TOP_GAINS = 10


def _render_result(request, cycle, reopen_form=None):
    user = request.user
    assessment = queries.find_assessment(cycle)
    result = queries.live_result(assessment)
    target = queries.next_rating(result.spec, result.rating)
    gains = queries.what_if_gains(assessment, result=result)
    closing = closed_reason(cycle)
    frozen = permissions.frozen_reason(assessment, closed=closing)
    closed = closing is not None
    context = {
        "cycle": cycle,
        "assessment": assessment,
        "result": result,
        "rows": queries.result_rows(cycle, result),
        "gains": gains[:TOP_GAINS],
        "more_gains": gains[TOP_GAINS:],
        "target": target,
        "plan": queries.target_plan(assessment, target, result=result) if target else None,
        "can_decide": permissions.can_decide(user, cycle) and frozen is None,
        "can_finalize": permissions.can_finalize(user, cycle) and not closed,
        "frozen": frozen,
        "closed": closed,
        "reopen_form": reopen_form or ReopenForm(),
    }
    return render(request, "assessments/assessment_result.html", context)


@login_required
def assessment_result(request, cycle_pk):
    cycle = permissions.get_assessment_cycle_or_404(request.user, cycle_pk)
    return _render_result(request, cycle)


@login_required
@require_POST
def assessment_finalize(request, cycle_pk):
    cycle = permissions.get_assessment_cycle_or_404(request.user, cycle_pk)
    if not permissions.can_finalize(request.user, cycle):
        raise Http404
    assessment = queries.find_assessment(cycle)
    if needs_confirmation(request):
        result = queries.live_result(assessment)
        # Only a result that can be finalized asks; otherwise the service says why not.
        if not assessment.is_final and not is_closed(cycle) and result.complete:
            return _confirm_finalize(request, cycle, result)
    try:
        services.finalize_assessment(assessment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Hasil evaluasi mandiri difinalkan."))
    return redirect("assessment_result", cycle.pk)


def _confirm_finalize(request, cycle, result):
    return confirmation_page(
        request,
        title=_("Finalkan hasil evaluasi?"),
        consequences=[
            _("Hasil final: indeks %(index)s (%(rating)s) dari %(count)d indikator.")
            % {"index": result.display, "rating": result.rating, "count": len(result.levels)},
            _("Tingkat yang disepakati tidak dapat diubah lagi, juga dalam mode rapat."),
            _(
                "Langkah 6 SOP selesai dan langkah 7 (Berita Acara dan Pernyataan Persetujuan "
                "Publikasi) dimulai."
            ),
        ],
        undo=_(
            "Koordinator dapat membukanya kembali dengan alasan tertulis (tercatat di riwayat) "
            "selama periode belum ditutup."
        ),
        button=_("Ya, finalkan hasil evaluasi"),
        back_url=reverse("assessment_result", args=[cycle.pk]),
    )


@login_required
@require_POST
def assessment_reopen(request, cycle_pk):
    cycle = permissions.get_assessment_cycle_or_404(request.user, cycle_pk)
    if not permissions.can_finalize(request.user, cycle):
        raise Http404
    form = ReopenForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data()["reason"])
        services.reopen_assessment(
            queries.find_assessment(cycle), by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _render_result(request, cycle, reopen_form=form)
    messages.success(request, _("Hasil evaluasi mandiri dibuka kembali."))
    return redirect("assessment_result", cycle.pk)


def _initial(decision, proposals):
    """The stored decision, or the only OPD answer handed in for the indicator (an answer is
    handed in with its level)."""
    if decision is not None:
        return {"level": decision.level, "fakta": decision.fakta, "analisis": decision.analisis}
    if len(proposals) != 1:
        return {}
    answer = proposals[0]
    return {"level": answer.level, "fakta": answer.fakta, "analisis": answer.analisis}


@login_required
def decision_edit(request, cycle_pk, node_pk):
    cycle = permissions.get_assessment_cycle_or_404(request.user, cycle_pk)
    indicator = get_indicator_or_404(cycle.framework, node_pk)
    assessment = queries.find_assessment(cycle)
    decision = queries.decisions_of(assessment).get(indicator.code)
    proposals = queries.proposals_by_code(cycle, indicator=indicator).get(indicator.code, [])
    editable = permissions.can_decide(request.user, cycle) and not assessment.is_final
    form = DecisionForm(
        request.POST if request.method == "POST" else None,
        framework=cycle.framework,
        initial=_initial(decision, proposals),
    )
    if request.method == "POST":
        if not permissions.can_decide(request.user, cycle):
            raise Http404
        if form.is_valid():
            try:
                services.set_decision(cycle, indicator, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Tingkat indikator %(number)s disimpan.") % {"number": indicator.number},
                )
                return redirect("assessment_result", cycle.pk)
    context = {
        "cycle": cycle,
        "indicator": indicator,
        "decision": decision,
        "proposals": proposals,
        "form": form,
        "editable": editable,
        "assessment": assessment,
    }
    return render(request, "assessments/decision_edit.html", context)


@login_required
def national_result(request, cycle_pk):
    cycle = permissions.get_assessment_cycle_or_404(request.user, cycle_pk)
    if not permissions.can_enter_national_result(request.user, cycle):
        raise Http404
    assessment = queries.find_assessment(cycle)
    spec = cycle.framework.spec()
    stored = queries.national_values(assessment)
    initial = {f"node_{code}": queries.as_level(value) for code, value in stored.items()}
    form = NationalResultForm(
        request.POST if request.method == "POST" else None, spec=spec, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        levels, node_values = form.values()
        try:
            services.enter_national_result(
                cycle,
                by=request.user,
                levels=levels,
                node_values=node_values,
                source=form.cleaned_data["source"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Hasil evaluasi nasional disimpan."))
            return redirect("reconciliation", cycle.pk)
    context = {"cycle": cycle, "form": form}
    return render(request, "assessments/national_result.html", context)


@login_required
def reconciliation(request, cycle_pk):
    cycle = permissions.get_assessment_cycle_or_404(request.user, cycle_pk)
    assessment = queries.find_assessment(cycle)
    context = {
        "cycle": cycle,
        "reconciliation": queries.reconciliation(assessment),
        "can_enter": permissions.can_enter_national_result(request.user, cycle),
    }
    return render(request, "assessments/reconciliation.html", context)


# --- Meeting mode (SOP step 6): one projector screen per indicator, saved with htmx -------


def _meeting_form(screen, data=None):
    return MeetingDecisionForm(
        data,
        framework=screen.cycle.framework,
        evidence_choices=screen.evidence_choices,
        initial=screen.initial(),
    )


def _render_meeting(request, screen, form, *, saved=False):
    """The whole page; to htmx, the screen (navigation) or the form with the live panel
    and the progress bar out of band (a save)."""
    if not request.htmx or request.htmx.history_restore_request:
        template = "assessments/meeting_mode.html"
    elif request.method == "POST":
        template = "assessments/_meeting_saved.html"
    else:
        template = "assessments/_meeting_screen.html"
    context = {
        "cycle": screen.cycle,
        "screen": screen,
        "form": form,
        "selected_evidence": {str(pk) for pk in form["evidence"].value() or []},
        "saved": saved,
        "can_decide": permissions.can_decide(request.user, screen.cycle),
        "final": screen.assessment.is_final,
        "partial": template != "assessments/meeting_mode.html",
    }
    return render(request, template, context)


@login_required
def meeting_mode(request, cycle_pk):
    """Open meeting mode at the first indicator without an agreed level."""
    cycle = permissions.get_assessment_cycle_or_404(request.user, cycle_pk)
    strip = meeting.indicator_strip(cycle, queries.live_result(queries.find_assessment(cycle)))
    target = meeting.first_undecided(strip) or strip[0]
    return redirect("meeting_indicator", cycle.pk, target.pk)


@login_required
def meeting_indicator(request, cycle_pk, node_pk):
    cycle = permissions.get_assessment_cycle_or_404(request.user, cycle_pk)
    screen = meeting.indicator_screen(cycle, get_indicator_or_404(cycle.framework, node_pk))
    return _render_meeting(request, screen, _meeting_form(screen))


@login_required
@require_POST
def meeting_decision(request, cycle_pk, node_pk):
    cycle = permissions.get_assessment_cycle_or_404(request.user, cycle_pk)
    if not permissions.can_decide(request.user, cycle):
        raise Http404
    indicator = get_indicator_or_404(cycle.framework, node_pk)
    screen = meeting.indicator_screen(cycle, indicator)
    form = _meeting_form(screen, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.set_decision(
                cycle,
                indicator,
                by=request.user,
                level=data["level"],
                fakta=data["fakta"],
                analisis=data["analisis"],
                # Without pieces to choose from the form has no say on the evidence.
                evidence=cycle.evidence.filter(pk__in=data["evidence"])
                if screen.evidence_choices
                else None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if not request.htmx:
                messages.success(
                    request,
                    _("Tingkat indikator %(number)s disimpan.") % {"number": indicator.number},
                )
                return redirect("meeting_indicator", cycle.pk, indicator.pk)
            screen = meeting.indicator_screen(cycle, indicator)
            return _render_meeting(request, screen, _meeting_form(screen), saved=True)
    return _render_meeting(request, screen, form)


# --- Year over year, and the official form (SOP step 7) -----------------------------------


@login_required
def year_over_year(request, cycle_pk):
    cycle = permissions.get_assessment_cycle_or_404(request.user, cycle_pk)
    comparison = queries.year_over_year(cycle)
    context = {
        "cycle": cycle,
        "comparison": comparison,
        "other_years": ", ".join(str(year.year) for year in comparison.other_framework_years),
        **charts.comparison_charts(comparison),
    }
    return render(request, "assessments/year_over_year.html", context)


@login_required
def official_form_download(request, cycle_pk, fmt):
    """POST makes a new version of the official form and downloads it; GET downloads the
    newest version made (a link that can be shared)."""
    cycle = permissions.get_assessment_cycle_or_404(request.user, cycle_pk)
    if fmt not in official_form.FORMATS:
        raise Http404
    if request.method == "POST":
        try:
            document = renew_document(
                source=official_form.form_source(cycle),
                format=fmt,
                lock=Cycle.objects.filter(pk=cycle.pk),
                frozen=closed_reason(cycle),
                make=lambda: official_form.official_form_document(
                    cycle, by=request.user, format=fmt
                ),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(reverse("assessment_result", args=[cycle.pk]) + "#formulir")
    else:
        document = newest_document(official_form.form_source(cycle), fmt)
        if document is None:
            messages.info(request, _("Formulir belum pernah dibuat. Buat dengan tombol di bawah."))
            return redirect(reverse("assessment_result", args=[cycle.pk]) + "#formulir")
    name = f"formulir-evaluasi-mandiri-spbe-{cycle.year}-v{document.version}.{fmt}"
    return file_response(document.file, name)
