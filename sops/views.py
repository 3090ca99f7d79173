from django.contrib.auth.decorators import login_required
from django.shortcuts import render

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
    }
    return render(request, "sops/sop_sheet.html", context)
