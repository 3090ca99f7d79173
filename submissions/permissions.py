"""Who may do what with an OPD's answers. Plain predicates shared by services, views and
templates; the access helpers answer 404 for another institution's or another OPD's rows.

The `can_*` predicates answer "is this the person's job?" (institution, role, OPD); whether
the action is possible now (status, deadline) is the service's ValidationError.
"""

import functools

from django.http import Http404
from django.shortcuts import get_object_or_404

from cycles.models import Assignment, Cycle
from frameworks.models import Framework
from institutions.models import Role
from institutions.permissions import agencies_of, has_role, is_staff_member
from monev import plain
from sops.models import Sop
from submissions.models import Submission


def _in_institution(user, cycle):
    return (
        user.is_authenticated
        and user.institution_id is not None
        and user.institution_id == cycle.institution_id
    )


def operates_for(user, agency):
    """The user is an operator of this OPD."""
    return any(own.pk == agency.pk for own in agencies_of(user))


def can_answer(user, cycle, agency):
    """An operator of the OPD, in the cycle's institution (the indicator's assignment is
    checked by the service)."""
    return (
        _in_institution(user, cycle)
        and agency.institution_id == cycle.institution_id
        and operates_for(user, agency)
    )


def can_view_answers(user, cycle, agency):
    """Staff of the institution see every OPD's answers; an operator sees their own OPD's."""
    if not _in_institution(user, cycle) or agency.institution_id != cycle.institution_id:
        return False
    return is_staff_member(user) or operates_for(user, agency)


def visible_to(user, rows):
    """can_view_answers as a filter, for lists: `rows` (of a model with `cycle` and
    `agency`) of the user's institution, every OPD's for its staff, their own OPDs' for an
    operator (none for anyone else)."""
    rows = rows.filter(cycle__institution_id=user.institution_id)
    if is_staff_member(user):
        return rows
    return rows.filter(agency__in=[agency.pk for agency in agencies_of(user)])


def can_view_submission(user, submission):
    return can_view_answers(user, submission.cycle, submission.agency)


def can_review(user, cycle):
    """The coordinator and the city team's evaluators verify the answers (accept or return)."""
    return _in_institution(user, cycle) and has_role(user, Role.COORDINATOR, Role.EVALUATOR)


def can_review_submission(user, submission):
    return can_review(user, submission.cycle)


def can_reopen(user, cycle):
    return _in_institution(user, cycle) and has_role(user, Role.COORDINATOR)


def can_close_collection(user, cycle):
    return _in_institution(user, cycle) and has_role(user, Role.COORDINATOR)


def get_submission_or_404(user, pk):
    """A submission the user may see; another institution's, or another OPD's for an
    operator, is a 404."""
    submission = get_object_or_404(
        Submission.objects.select_related(
            "cycle__institution", "cycle__framework", "cycle__sop", "agency", "indicator"
        ).filter(cycle__institution_id=user.institution_id),
        pk=pk,
    )
    if not can_view_submission(user, submission):
        raise Http404
    return submission


def get_portal_or_404(user, cycle_pk, agency_pk):
    """(cycle, agency) of an OPD portal the user may see: the agency takes part in the
    cycle of the user's institution, and the user is staff of the institution or an
    operator of that OPD (which implies cycles.permissions.can_view_cycle). The cycle comes
    with its institution, framework and SOP, in one query besides the user's memberships:
    for an operator's own OPD, which comes with the memberships, the cycle with its
    framework and SOP on the condition that the OPD takes part (its institution is the
    user's, which the signed-in user comes with); otherwise the taking part with the
    cycle (and those) and the OPD."""
    own = next((agency for agency in agencies_of(user) if agency.pk == int(agency_pk)), None)
    if own is not None:
        cycle = _own_cycle(user, cycle_pk, own)
        agency = own
    else:
        taking_part = get_object_or_404(
            Cycle.agencies.through.objects.select_related(
                "cycle__institution", "cycle__framework", "cycle__sop", "agency"
            ),
            cycle_id=cycle_pk,
            agency_id=agency_pk,
            cycle__institution_id=user.institution_id,
        )
        cycle, agency = taking_part.cycle, taking_part.agency
    if not can_view_answers(user, cycle, agency):
        raise Http404
    return cycle, agency


@functools.cache
def _own_cycle_sql():
    taking_part = Cycle.agencies.through
    select = plain.select((Cycle, "c"), (Framework, "f", "c.framework"), (Sop, "s", "c.sop"))
    cycle = plain.column(Cycle, "id", "c")
    return (
        f"{select}WHERE {cycle} = %s AND {plain.column(Cycle, 'institution', 'c')} = %s "
        f"AND EXISTS (SELECT 1 FROM {plain.table(taking_part)} p "
        f"WHERE {plain.column(taking_part, 'cycle', 'p')} = {cycle} "
        f"AND {plain.column(taking_part, 'agency', 'p')} = %s)"
    )


def _own_cycle(user, cycle_pk, agency):
    """The cycle (with its framework and SOP, and the user's institution) in which the
    operator's own OPD takes part, else a 404. Every page and autosave of an operator reads
    it: one plain statement (monev.plain)."""
    rows = plain.fetch(_own_cycle_sql(), [int(cycle_pk), user.institution_id, agency.pk])
    if not rows:
        raise Http404
    cycle, framework, sop = plain.instances((Cycle, Framework, Sop), rows[0])
    cycle.framework, cycle.sop = framework, sop
    cycle.institution = user.institution
    return cycle


def get_assignment_or_404(cycle, agency, node_pk):
    """The assignment of one indicator to the OPD in the cycle (404 when not assigned)."""
    return get_object_or_404(
        Assignment.objects.select_related("indicator__parent"),
        cycle=cycle,
        agency=agency,
        indicator_id=node_pk,
    )
