"""Who may do what with findings and follow-ups. Plain predicates shared by services, views
and templates; the access helpers answer 404 for another institution's rows and for another
OPD's follow-ups."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from cycles.models import Cycle
from cycles.permissions import FrozenError, closed_reason
from followups.models import Finding, FollowUp
from institutions.models import Role
from institutions.permissions import agencies_of, has_role, is_staff_member


def _in_institution(user, institution_id):
    return (
        user.is_authenticated
        and user.institution_id is not None
        and user.institution_id == institution_id
    )


def can_view_findings(user, cycle):
    return _in_institution(user, cycle.institution_id) and is_staff_member(user)


def can_edit_findings(user, cycle):
    """The coordinator and the city team's evaluators write the findings."""
    return _in_institution(user, cycle.institution_id) and has_role(
        user, Role.COORDINATOR, Role.EVALUATOR
    )


def can_create_follow_up(user, cycle):
    return _in_institution(user, cycle.institution_id) and has_role(user, Role.COORDINATOR)


def _operates(user, agency_id):
    return any(agency.pk == agency_id for agency in agencies_of(user))


def can_view_follow_up(user, follow_up):
    """Staff of the institution, and the operators of the responsible OPD."""
    if not _in_institution(user, follow_up.cycle.institution_id):
        return False
    return is_staff_member(user) or _operates(user, follow_up.agency_id)


def can_update_follow_up(user, follow_up):
    """The responsible OPD's operators report progress; the coordinator may too."""
    if not _in_institution(user, follow_up.cycle.institution_id):
        return False
    return has_role(user, Role.COORDINATOR) or _operates(user, follow_up.agency_id)


def can_close_for_good(user, follow_up):
    """Dropping a follow-up and reopening a closed one are the coordinator's calls."""
    return _in_institution(user, follow_up.cycle.institution_id) and has_role(
        user, Role.COORDINATOR
    )


def can_view_follow_ups(user):
    """The follow-up lists: the institution's staff (every OPD's) and OPD operators (their
    own OPD's)."""
    return user.institution_id is not None and (is_staff_member(user) or bool(agencies_of(user)))


def sees_every_agency(user):
    """Staff see every OPD's follow-ups; an operator sees only their own OPD's."""
    return is_staff_member(user)


def follow_ups_visible_to(user):
    """can_view_follow_up as a queryset, for lists: the institution's follow-ups, every
    OPD's for its staff, their own OPDs' for an operator (none for anyone else)."""
    rows = FollowUp.objects.filter(cycle__institution_id=user.institution_id)
    if sees_every_agency(user):
        return rows
    return rows.filter(agency__in=[agency.pk for agency in agencies_of(user)])


def get_findings_cycle_or_404(user, cycle_pk):
    """The cycle whose findings the user may read (staff of its institution)."""
    cycle = get_object_or_404(
        Cycle.objects.select_related("institution", "framework"),
        pk=cycle_pk,
        institution_id=user.institution_id,
    )
    if not can_view_findings(user, cycle):
        raise Http404
    return cycle


def get_follow_up_cycle_or_404(user, cycle_pk):
    """The cycle whose follow-up list the user may read: staff, or an OPD operator (who sees
    only their own OPD's rows, even where the OPD is not a participant of that cycle)."""
    cycle = get_object_or_404(
        Cycle.objects.select_related("institution"), pk=cycle_pk, institution_id=user.institution_id
    )
    if not can_view_follow_ups(user):
        raise Http404
    return cycle


def get_follow_up_or_404(user, pk):
    follow_up = get_object_or_404(
        FollowUp.objects.select_related(
            "cycle__institution",
            "carried_to",
            "agency",
            "recommendation__aspect__parent",
            "created_by",
            "closed_by",
        ),
        pk=pk,
        cycle__institution_id=user.institution_id,
    )
    if not can_view_follow_up(user, follow_up):
        raise Http404
    return follow_up


def get_finding_or_404(user, pk):
    """A finding of the user's institution that the user may read."""
    finding = get_object_or_404(
        Finding.objects.select_related("cycle__institution", "cycle__framework", "aspect"),
        pk=pk,
        cycle__institution_id=user.institution_id,
    )
    if not can_view_findings(user, finding.cycle):
        raise Http404
    return finding


def frozen_reason(cycle):
    """Why the cycle's findings (kekuatan, kelemahan, rekomendasi) are read-only and take no
    new follow-ups, and who can reopen them (cycles.permissions.Frozen), or None: they are
    part of the Dokumen Evaluasi and freeze with the cycle (step 8). The follow-ups
    themselves stay open to progress reports: they are the work done after the evaluation,
    carried into the next cycles until they are closed."""
    return closed_reason(cycle)


def check_not_frozen(cycle):
    """Raise cycles.permissions.FrozenError when the cycle's findings are frozen."""
    frozen = frozen_reason(cycle)
    if frozen is not None:
        raise FrozenError(frozen)
