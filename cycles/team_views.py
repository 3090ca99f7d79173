"""The pages of the cycle's evaluator team decree (cycles.team): every staff role reads it,
the coordinator and the administrator keep it; OPD operators and other institutions get 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cycles import permissions, team
from cycles.forms import TeamDecreeForm, TeamDecreePdfForm, TeamMemberForm
from cycles.models import TeamDecree, TeamMember
from documents.downloads import file_response


def _team_cycle(request, pk, *, edit=False):
    """The cycle when the user may read (or, with edit, keep) its decree; else 404."""
    cycle = permissions.get_cycle_or_404(request.user, pk)
    allowed = permissions.can_edit_team if edit else permissions.can_view_team
    if not allowed(request.user, cycle):
        raise Http404
    return cycle


def _decree(cycle):
    return TeamDecree.objects.filter(cycle=cycle).select_related("confirmed_by").first()


def _refused(request, error):
    messages.error(request, " ".join(error.messages))


@login_required
def team_decree(request, pk):
    cycle = _team_cycle(request, pk)
    decree = _decree(cycle)
    can_edit = permissions.can_edit_team(request.user, cycle)
    closed = permissions.closed_reason(cycle)
    editable = can_edit and closed is None
    members = []
    if decree is not None:
        members = list(decree.members.select_related("agency", "user"))
    decree_form = member_form = pdf_form = None
    if editable:
        if decree is None:
            initial = {
                "issuer": team.default_issuer(cycle.institution),
                "title": team.default_title(cycle.institution),
            }
        else:
            initial = {
                "issuer": decree.issuer,
                "number": decree.number,
                "date": decree.date,
                "title": decree.title,
            }
        decree_form = TeamDecreeForm(initial=initial)
        if decree is not None:
            member_form = TeamMemberForm(institution=cycle.institution)
            pdf_form = TeamDecreePdfForm()
    context = {
        "cycle": cycle,
        "decree": decree,
        "members": members,
        "groups": team.grouped(members),
        "citation": team.citation_of(decree) if decree is not None and decree.number else "",
        "can_edit": can_edit,
        "editable": editable,
        "closed": closed,
        "decree_form": decree_form,
        "member_form": member_form,
        "pdf_form": pdf_form,
    }
    return render(request, "cycles/team_decree.html", context)


@login_required
@require_POST
def team_decree_save(request, pk):
    cycle = _team_cycle(request, pk, edit=True)
    form = TeamDecreeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Periksa isian SK: %(errors)s") % {"errors": _errors(form)})
        return redirect("team_decree", cycle.pk)
    try:
        team.save_decree(cycle, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("SK tim evaluator disimpan."))
    return redirect("team_decree", cycle.pk)


@login_required
@require_POST
def team_decree_upload(request, pk):
    cycle = _team_cycle(request, pk, edit=True)
    decree = get_object_or_404(TeamDecree, cycle=cycle)
    form = TeamDecreePdfForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Pilih berkas PDF SK yang bertanda tangan."))
        return redirect("team_decree", cycle.pk)
    try:
        team.upload_decree_pdf(decree, form.cleaned_data["signed_pdf"], by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("PDF SK disimpan."))
    return redirect("team_decree", cycle.pk)


@login_required
@require_POST
def team_decree_confirm(request, pk):
    cycle = _team_cycle(request, pk, edit=True)
    decree = get_object_or_404(TeamDecree, cycle=cycle)
    try:
        team.confirm_decree(decree, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request, _("SK dikonfirmasi: dokumen resmi periode ini sekarang merujuk SK ini.")
        )
    return redirect("team_decree", cycle.pk)


@login_required
def team_decree_download(request, pk):
    cycle = _team_cycle(request, pk)
    decree = get_object_or_404(TeamDecree, cycle=cycle)
    if not decree.signed_file:
        raise Http404
    name = slugify(f"sk-tim-evaluator-{decree.number or cycle.year}") or "sk-tim-evaluator"
    return file_response(decree.signed_file, f"{name}.pdf")


@login_required
@require_POST
def team_member_add(request, pk):
    cycle = _team_cycle(request, pk, edit=True)
    decree = get_object_or_404(TeamDecree, cycle=cycle)
    form = TeamMemberForm(request.POST, institution=cycle.institution)
    if not form.is_valid():
        messages.error(request, _("Periksa isian anggota: %(errors)s") % {"errors": _errors(form)})
        return redirect("team_decree", cycle.pk)
    try:
        member = team.add_member(decree, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("%(name)s ditambahkan ke tim.") % {"name": member.name})
    return redirect("team_decree", cycle.pk)


@login_required
def team_member_edit(request, pk, member_pk):
    cycle = _team_cycle(request, pk, edit=True)
    member = get_object_or_404(
        TeamMember.objects.select_related("decree"), pk=member_pk, decree__cycle=cycle
    )
    if request.method == "POST":
        form = TeamMemberForm(request.POST, institution=cycle.institution)
        if form.is_valid():
            data = form.cleaned_data
            if data["order"] is None:
                data["order"] = member.order
            try:
                team.edit_member(member, by=request.user, **data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Anggota tim disimpan."))
                return redirect("team_decree", cycle.pk)
    else:
        form = TeamMemberForm.for_member(member, institution=cycle.institution)
    context = {"cycle": cycle, "member": member, "form": form}
    return render(request, "cycles/team_member_edit.html", context)


@login_required
@require_POST
def team_member_remove(request, pk, member_pk):
    cycle = _team_cycle(request, pk, edit=True)
    member = get_object_or_404(
        TeamMember.objects.select_related("decree"), pk=member_pk, decree__cycle=cycle
    )
    try:
        team.remove_member(member, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("%(name)s dihapus dari tim.") % {"name": member.name})
    return redirect("team_decree", cycle.pk)


def _errors(form):
    return " ".join(message for errors in form.errors.values() for message in errors)
