from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from audit.models import AuditEvent
from cycles import permissions, queries, services, team
from cycles.forms import AssignRestForm, CycleOpenForm, matrix_from_post
from cycles.waiting import cached_waiting_for
from institutions.permissions import is_staff_member
from letters.models import Letter
from letters.queries import data_requests_for
from sops.queries import sheet_rows


@login_required
def cycle_list(request):
    if not is_staff_member(request.user):
        raise Http404
    context = {
        "cycles": queries.cycles_for(request.user),
        "can_open": request.user.institution
        and permissions.can_open_cycle(request.user, request.user.institution),
    }
    return render(request, "cycles/cycle_list.html", context)


@login_required
def cycle_open(request):
    institution = request.user.institution
    if institution is None or not permissions.can_open_cycle(request.user, institution):
        raise Http404
    form = CycleOpenForm(request.POST or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["copy_from"]:
                cycle = services.copy_cycle(
                    data["copy_from"],
                    by=request.user,
                    year=data["year"],
                    deadline=data["deadline"],
                    contact_person=data["contact_person"],
                    contact_phone=data["contact_phone"],
                )
            else:
                cycle = services.open_cycle(
                    by=request.user,
                    year=data["year"],
                    framework=data["framework"],
                    agencies=data["agencies"],
                    deadline=data["deadline"],
                    contact_person=data["contact_person"],
                    contact_phone=data["contact_phone"],
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Periode %(name)s dibuka. Periksa penugasan indikator, lalu siapkan surat.")
                % {"name": cycle.name},
            )
            return redirect("cycle_assignments", cycle.pk)
    return render(request, "cycles/cycle_open.html", {"form": form})


@login_required
def cycle_detail(request, pk):
    cycle = permissions.get_cycle_or_404(request.user, pk)
    staff_view = is_staff_member(request.user)
    lines = queries.step_lines(cycle)
    rows = sheet_rows(
        cycle.sop,
        states={line.run.number: line.state for line in lines},
        notes={line.run.number: line.note for line in lines},
    )
    context = {
        "cycle": cycle,
        "sop": cycle.sop,
        "rows": rows,
        "lines": lines,
        "current": next((line for line in lines if line.run.status == "running"), None),
        "can_manage": permissions.can_manage_cycle(request.user, cycle),
        "staff_view": staff_view,
        # A count: the indicators' rows carry the framework's texts (tens of kB each).
        "unassigned": queries.unassigned_count(cycle) if staff_view else 0,
        "letters": cycle.letters.order_by("kind", "pk"),
        # The evaluator team's decree: its section, and the SOP sheet's Keterkaitan.
        "team": team.decree_state(cycle)
        if permissions.can_view_team(request.user, cycle)
        else None,
        "can_edit_team": permissions.can_edit_team(request.user, cycle),
    }
    return render(request, "cycles/cycle_detail.html", context)


@login_required
def cycle_assignments(request, pk):
    """The OPD x indicator matrix: read-only for every viewer of the cycle, saved by the
    coordinator as one write (a filtered matrix saves only its rows)."""
    cycle = permissions.get_cycle_or_404(request.user, pk)
    can_manage = permissions.can_manage_cycle(request.user, cycle)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        chosen, shown = matrix_from_post(
            request.POST,
            indicators=queries.framework_indicators(cycle),
            agencies=cycle.agencies.all(),
        )
        try:
            changed = services.set_assignments(cycle, chosen, by=request.user, indicators=shown)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _assignment_saved_text(cycle, changed))
        return _to_matrix(cycle, request.POST.get("aspek", ""))
    matrix = queries.assignment_matrix(
        cycle, aspect_code=request.GET.get("aspek", ""), proposal="usulan" in request.GET
    )
    context = {
        "cycle": cycle,
        "matrix": matrix,
        "can_manage": can_manage,
        "closed": permissions.closed_reason(cycle),
        "dispatched": cycle.letters.filter(
            kind=Letter.Kind.DATA_REQUEST, status=Letter.Status.DISPATCHED
        ).first(),
        "previous": queries.previous_cycle(cycle) if can_manage else None,
        "rest_form": AssignRestForm(cycle=cycle) if can_manage else None,
    }
    return render(request, "cycles/cycle_assignments.html", context)


@login_required
@require_POST
def cycle_assignments_copy(request, pk):
    cycle = _managed_cycle_or_404(request.user, pk)
    try:
        copied = services.copy_previous_assignments(cycle, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = ngettext(
            "%(count)s penugasan disalin dari %(source)s.",
            "%(count)s penugasan disalin dari %(source)s.",
            copied.copied,
        ) % {"count": copied.copied, "source": copied.source.name}
        if copied.skipped:
            text += " " + ngettext(
                "%(count)s dilewati karena indikator atau OPD-nya tidak ada di periode ini.",
                "%(count)s dilewati karena indikator atau OPD-nya tidak ada di periode ini.",
                copied.skipped,
            ) % {"count": copied.skipped}
        messages.success(request, f"{text} {_unassigned_text(cycle)}")
    return redirect("cycle_assignments", cycle.pk)


@login_required
@require_POST
def cycle_assignments_rest(request, pk):
    cycle = _managed_cycle_or_404(request.user, pk)
    form = AssignRestForm(request.POST, cycle=cycle)
    if not form.is_valid():
        messages.error(request, _("Pilih OPD yang menerima indikator yang belum ditugaskan."))
        return redirect("cycle_assignments", cycle.pk)
    agency = form.cleaned_data["agency"]
    try:
        assigned = services.assign_unassigned(cycle, agency, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if assigned:
            messages.success(
                request,
                ngettext(
                    "%(count)s indikator ditugaskan ke %(agency)s: %(numbers)s.",
                    "%(count)s indikator ditugaskan ke %(agency)s: %(numbers)s.",
                    len(assigned),
                )
                % {
                    "count": len(assigned),
                    "agency": agency.short_name,
                    "numbers": ", ".join(node.number for node in assigned),
                },
            )
        else:
            messages.info(request, _("Semua indikator sudah ditugaskan; tidak ada yang diubah."))
    return redirect("cycle_assignments", cycle.pk)


def _managed_cycle_or_404(user, pk):
    cycle = permissions.get_cycle_or_404(user, pk)
    if not permissions.can_manage_cycle(user, cycle):
        raise Http404
    return cycle


def _to_matrix(cycle, aspect_code):
    url = reverse("cycle_assignments", args=[cycle.pk])
    return redirect(f"{url}?{urlencode({'aspek': aspect_code})}" if aspect_code else url)


def _unassigned_text(cycle):
    count = queries.unassigned_count(cycle)
    if not count:
        return _("Semua indikator sudah ditugaskan.")
    return ngettext(
        "%(count)s indikator belum ditugaskan ke OPD mana pun.",
        "%(count)s indikator belum ditugaskan ke OPD mana pun.",
        count,
    ) % {"count": count}


def _assignment_saved_text(cycle, changed):
    saved = _("Penugasan indikator disimpan.") if changed else _("Tidak ada perubahan.")
    return f"{saved} {_unassigned_text(cycle)}"


@login_required
def cycle_history(request, pk):
    cycle = permissions.get_cycle_or_404(request.user, pk)
    if not permissions.can_view_history(request.user, cycle):
        raise Http404
    events = AuditEvent.objects.filter(cycle=cycle).select_related("actor")
    return render(request, "cycles/cycle_history.html", {"cycle": cycle, "events": events})


@login_required
def cycle_compliance(request, pk):
    cycle = permissions.get_cycle_or_404(request.user, pk)
    if not is_staff_member(request.user):
        raise Http404
    lines = queries.step_lines(cycle)
    context = {"cycle": cycle, "lines": lines, "summary": queries.compliance_summary(lines)}
    return render(request, "cycles/cycle_compliance.html", context)


@login_required
def inbox(request):
    """Everything that waits for the person's action (the template reads it from the
    `membership` context processor: cycles.waiting), and their OPDs' data requests. The list
    is made before the page, so the menu badge (drawn first) counts it instead of asking."""
    cached_waiting_for(request.user)
    return render(request, "cycles/inbox.html", {"requests": data_requests_for(request.user)})
