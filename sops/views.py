from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from monev.converters import parse_id
from sops import queries


@login_required
def sop_current(request):
    """The SOP sheet in force for the user's institution, or how to get one loaded."""
    institution = request.user.institution
    sop = queries.current_sop(institution)
    if sop is None:
        return render(request, "sops/no_sop.html", {"institution": institution})
    return render_sheet(request, sop)


@login_required
def sop_detail(request, pk):
    sop = queries.get_sop_or_404(request.user, pk)
    return render_sheet(request, sop)


def render_sheet(request, sop):
    context = {
        "sop": sop,
        "rows": queries.sheet_rows(sop),
        "versions": queries.sop_versions(request.user.institution),
        **_for_cycle(request, sop),
    }
    return render(request, "sops/sop_sheet.html", context)


def _for_cycle(request, sop):
    """?periode=<pk>: the sheet shown for a cycle run under this SOP, whose Keterkaitan then
    links to the cycle's evaluator team decree (for the staff who may read it). Another
    institution's cycle, or one the user may not see, is 404."""
    from cycles import permissions, team  # local: cycles builds on sops

    pk = parse_id(request.GET.get("periode", ""))
    if pk is None:
        return {}
    cycle = permissions.get_cycle_or_404(request.user, pk)
    if cycle.sop_id != sop.pk or not permissions.can_view_team(request.user, cycle):
        return {"cycle": cycle}
    return {"cycle": cycle, "team": team.decree_state(cycle)}
