"""Who may do what with a cycle's hasil evaluasi mandiri. Plain predicates shared by
services, views and templates; the access helper answers 404 to everyone but the
institution's staff."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from assessments.models import ResultsGrant
from cycles.permissions import Frozen, closed_reason, get_cycle_or_404
from institutions.models import Institution, Role
from institutions.permissions import (
    can_manage_institution,
    has_role,
    is_installation_admin,
    is_staff_member,
)


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


# --- Results shared with another institution (the province view) ---------------------------


def can_grant_results(user, institution):
    """The institution's administrator shares its results with another institution (and
    takes the access back)."""
    return user.is_authenticated and can_manage_institution(user, institution)


def can_read_results(user, institution):
    """The results of `institution` (index, nodes, predicate of its cycles) outside its own
    pages: the installation's administrator; the staff of an institution that holds an
    active grant from it; and its own staff. One query for a grantee's staff."""
    if is_installation_admin(user):
        return True
    if not user.is_authenticated or user.institution_id is None or not is_staff_member(user):
        return False
    if user.institution_id == institution.pk:
        return True
    return ResultsGrant.objects.filter(
        grantor=institution, grantee_id=user.institution_id, revoked_at__isnull=True
    ).exists()


def get_results_institution_or_404(user, pk):
    """The institution whose results the user may read (can_read_results); 404 otherwise,
    whether it exists or not."""
    institution = get_object_or_404(Institution, pk=pk)
    if not can_read_results(user, institution):
        raise Http404
    return institution


def get_grant_or_404(user, pk):
    """A grant given by the user's institution, for its administrator; 404 for anyone
    else."""
    grant = get_object_or_404(
        ResultsGrant.objects.select_related("grantor", "grantee", "granted_by"),
        pk=pk,
        grantor_id=user.institution_id,
    )
    if not can_grant_results(user, grant.grantor):
        raise Http404
    return grant
