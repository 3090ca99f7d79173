from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from cycles import permissions, queries, services
from cycles.forms import CycleOpenForm
from institutions.permissions import is_staff_member, roles_of
from letters.queries import data_requests_for, letters_for_inbox
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
        "staff_view": is_staff_member(request.user),
        "unassigned": queries.unassigned_indicators(cycle),
        "letters": cycle.letters.order_by("kind", "pk"),
    }
    return render(request, "cycles/cycle_detail.html", context)


@login_required
def cycle_assignments(request, pk):
    cycle = permissions.get_cycle_or_404(request.user, pk)
    can_manage = permissions.can_manage_cycle(request.user, cycle)
    rows = queries.assignment_rows(cycle)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        agencies = {str(a.pk): a for a in cycle.agencies.all()}
        chosen = {
            row.indicator: [
                agencies[v] for v in request.POST.getlist(f"i{row.indicator.pk}") if v in agencies
            ]
            for row in rows
        }
        services.set_assignments(cycle, chosen, by=request.user)
        messages.success(request, _("Penugasan indikator disimpan."))
        return redirect("cycle_detail", cycle.pk)
    context = {
        "cycle": cycle,
        "rows": rows,
        "agencies": cycle.agencies.all(),
        "can_manage": can_manage,
    }
    return render(request, "cycles/cycle_assignments.html", context)


@login_required
def cycle_history(request, pk):
    cycle = permissions.get_cycle_or_404(request.user, pk)
    if not is_staff_member(request.user):
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
    roles = roles_of(request.user)
    context = {
        "steps": queries.running_steps_for(request.user, roles),
        "letters": letters_for_inbox(request.user),
        "requests": data_requests_for(request.user),
    }
    return render(request, "cycles/inbox.html", context)
