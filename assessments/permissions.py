"""Who may do what with a cycle's hasil evaluasi mandiri. Plain predicates shared by
services, views and templates; the access helper answers 404 to everyone but the
institution's staff."""

from django.http import Http404
from django.utils.translation import gettext as _

from cycles.permissions import Frozen, closed_reason, get_cycle_or_404
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


# frozen_reason's `closed` when the caller has not asked closed_reason() yet.
ASK = object()


def frozen_reason(assessment, *, closed=ASK):
    """Why the agreed levels (the decisions) are read-only, and who can reopen them
    (cycles.permissions.Frozen), or None while they may change: a final result, until the
    coordinator reopens it with a reason; and for good once the cycle is closed (step 8).
    One query (the closing step), none when `closed` is the cycle's closed_reason()."""
    if closed is ASK:
        closed = closed_reason(assessment.cycle)
    if closed is not None:
        return closed
    if assessment.is_final:
        return Frozen(
            _("Hasil evaluasi mandiri sudah final."),
            _("Koordinator dapat membukanya kembali dengan alasan untuk mengubah tingkat."),
        )
    return None


def is_frozen(assessment):
    return frozen_reason(assessment) is not None
