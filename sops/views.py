from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from monev.converters import parse_id
from sops import queries
from sops.forms import SopFileForm
from sops.permissions import can_load_sop
from sops.services import LoadOutcome, SopFileError, import_sop


@login_required
def sop_current(request):
    """The SOP sheet in force for the user's institution, or how to get one loaded."""
    institution = request.user.institution
    sop = queries.current_sop(institution)
    if sop is None:
        context = {"institution": institution, "can_load": can_load_sop(request.user)}
        return render(request, "sops/no_sop.html", context)
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
        "can_load": can_load_sop(request.user),
        **_for_cycle(request, sop),
    }
    return render(request, "sops/sop_sheet.html", context)


OUTCOME_MESSAGES = {
    LoadOutcome.CREATED: gettext_lazy("SOP %(name)s versi %(version)s dimuat dan kini berlaku."),
    LoadOutcome.UPDATED: gettext_lazy(
        "SOP %(name)s versi %(version)s diperbarui dan kini berlaku."
    ),
    LoadOutcome.UNCHANGED: gettext_lazy(
        "Berkas ini sama dengan SOP %(name)s versi %(version)s yang sudah dimuat; tidak ada "
        "yang berubah."
    ),
}


@login_required
def sop_load(request):
    """The institution's administrator loads an SOP definition file (as manage.py load_sop):
    every problem of the file is listed and nothing is written; a loaded version is shown."""
    if not can_load_sop(request.user):
        raise Http404
    posted = request.method == "POST"
    form = SopFileForm(request.POST, request.FILES) if posted else SopFileForm()
    problems = []
    if posted and form.is_valid():
        try:
            sop, outcome = import_sop(
                form.cleaned_data["file"], institution=request.user.institution, by=request.user
            )
        except SopFileError as error:
            problems = error.problems
        else:
            message = OUTCOME_MESSAGES[outcome] % {"name": sop.name, "version": sop.version}
            messages.success(request, message)
            return redirect("sop_detail", sop.pk)
    current = queries.current_sop(request.user.institution)
    context = {"form": form, "problems": problems, "current": current}
    return render(request, "sops/sop_load.html", context)


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
