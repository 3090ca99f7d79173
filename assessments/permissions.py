"""Who may do what with a cycle's hasil evaluasi mandiri. Plain predicates shared by
services, views and templates; the access helper answers 404 to everyone but the
institution's staff."""

from django.http import Http404

from cycles.permissions import get_cycle_or_404
from institutions.models import Role
from institutions.permissions import has_role, is_staff_member


def _in_institution(user, cycle):
    return (
        user.is_authenticated
        and user.institution_id is not None
        and user.institution_id == cycle.institution_id
    )


def can_view_assessment(user, cycle):
    return _in_institution(user, cycle) and is_staff_member(user)


def can_decide(user, cycle):
    """The coordinator and the city team's evaluators agree the levels."""
    return _in_institution(user, cycle) and has_role(user, Role.COORDINATOR, Role.EVALUATOR)


def can_finalize(user, cycle):
    return _in_institution(user, cycle) and has_role(user, Role.COORDINATOR)


def can_enter_national_result(user, cycle):
    return _in_institution(user, cycle) and has_role(user, Role.COORDINATOR)


def get_assessment_cycle_or_404(user, cycle_pk):
    """The cycle whose result the user may see (staff of its institution; others 404)."""
    cycle = get_cycle_or_404(user, cycle_pk)
    if not can_view_assessment(user, cycle):
        raise Http404
    return cycle
