from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import charts, official_form, permissions, queries, services
from assessments.forms import DecisionForm, NationalResultForm, ReopenForm
from documents.queries import latest_documents
from submissions.models import Submission

TOP_GAINS = 10


def _render_result(request, cycle, reopen_form=None):
    user = request.user
    assessment = queries.find_assessment(cycle)
    result = queries.live_result(assessment)
    target = queries.next_rating(result.spec, result.rating)
    context = {
        "cycle": cycle,
        "assessment": assessment,
        "result": result,
        "rows": queries.result_rows(cycle, result),
        "gains": queries.what_if_gains(assessment, result=result)[:TOP_GAINS],
        "target": target,
        "plan": queries.target_plan(assessment, target, result=result) if target else None,
        "can_decide": permissions.can_decide(user, cycle) and not assessment.is_final,
        "can_finalize": permissions.can_finalize(user, cycle),
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
    try:
        services.finalize_assessment(queries.find_assessment(cycle), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Hasil evaluasi mandiri difinalkan."))
    return redirect("assessment_result", cycle.pk)


@login_required
@require_POST
def assessment_reopen(request, cycle_pk):
    cycle = permissions.get_assessment_cycle_or_404(request.user, cycle_pk)
    if not permissions.can_finalize(request.user, cycle):
        raise Http404
    form = ReopenForm(request.POST)
    form.is_valid()
    try:
        services.reopen_assessment(
            queries.find_assessment(cycle), by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _render_result(request, cycle, reopen_form=form)
    messages.success(request, _("Hasil evaluasi mandiri dibuka kembali."))
    return redirect("assessment_result", cycle.pk)


def _initial(cycle, indicator, decision):
    """The stored decision, or the only OPD answer handed in for the indicator."""
    if decision is not None:
        return {"level": decision.level, "fakta": decision.fakta, "analisis": decision.analisis}
    answers = list(
        Submission.objects.filter(cycle=cycle, indicator=indicator, status__in=queries.PROPOSED)[:2]
    )
    if len(answers) != 1:
        return {}
    answer = answers[0]
    return {"level": answer.level, "fakta": answer.fakta, "analisis": answer.analisis}


@login_required
def decision_edit(request, cycle_pk, node_pk):
    cycle = permissions.get_assessment_cycle_or_404(request.user, cycle_pk)
    indicator = get_object_or_404(cycle.framework.nodes.filter(children__isnull=True), pk=node_pk)
    assessment = queries.find_assessment(cycle)
    decision = queries.decisions_of(assessment).get(indicator.code)
    editable = permissions.can_decide(request.user, cycle) and not assessment.is_final
    form = DecisionForm(
        request.POST if request.method == "POST" else None,
        framework=cycle.framework,
        initial=_initial(cycle, indicator, decision),
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
        "proposals": queries.proposals_by_code(cycle).get(indicator.code, []),
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
        document = official_form.official_form_document(cycle, by=request.user, format=fmt)
    else:
        source = official_form.form_source(cycle)
        document = latest_documents(source).filter(format=fmt).first()
        if document is None:
            messages.info(request, _("Formulir belum pernah dibuat. Buat dengan tombol di bawah."))
            return redirect(reverse("assessment_result", args=[cycle.pk]) + "#formulir")
    name = f"formulir-evaluasi-mandiri-spbe-{cycle.year}-v{document.version}.{fmt}"
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=name)
