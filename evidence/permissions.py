"""Who may see and add data dukung. Plain predicates shared by views, services, templates
and (later) the API, and the access helpers that answer 404 for rows a user may not see.

Reading: staff of the institution see every OPD's evidence; an operator only their own OPD's.
Writing: an operator of the OPD, or the coordinator, while the OPD may still edit (before the
cycle's deadline, or while a reopening by the coordinator lasts).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from evidence.models import Evidence, EvidenceRevision
from institutions.models import Role
from institutions.permissions import agencies_of, has_role, is_staff_member
from submissions.models import Submission
from submissions.queries import answer_window

# An answer under review or accepted keeps the evidence it was judged on.
EDITABLE_SUBMISSION_STATUSES = (Submission.Status.DRAFT, Submission.Status.RETURNED)


def _operates(user, agency_id):
    return any(agency.pk == agency_id for agency in agencies_of(user))


def can_view_agency_evidence(user, institution_id, agency_id):
    if not user.is_authenticated or user.institution_id is None:
        return False
    if user.institution_id != institution_id:
        return False
    return is_staff_member(user) or _operates(user, agency_id)


def can_view_evidence(user, evidence):
    return can_view_agency_evidence(user, evidence.cycle.institution_id, evidence.agency_id)


def can_add_evidence(user, cycle, agency):
    """The person's job allows adding this OPD's evidence in this cycle: an operator of the
    OPD or the institution's coordinator. The deadline is checked apart (evidence_locked)."""
    if not user.is_authenticated or user.institution_id is None:
        return False
    if not user.institution_id == cycle.institution_id == agency.institution_id:
        return False
    return has_role(user, Role.COORDINATOR) or _operates(user, agency.pk)


def evidence_locked(cycle, agency, *, now=None, window=None):
    """True when the OPD may no longer change its answers or their data dukung: the same
    answering window as the answers themselves (submissions.queries.answer_window: past the
    deadline or the collection's close without a running reopening, or the cycle closed;
    the window's `frozen` says why and who can reopen). `window` saves its queries when the
    caller has it already."""
    return not (window or answer_window(cycle, agency, now=now)).is_open


def can_edit_evidence(user, cycle, agency):
    """May add evidence now: the person's job and the deadline both allow it."""
    return can_add_evidence(user, cycle, agency) and not evidence_locked(cycle, agency)


def submission_accepts_evidence(submission):
    return submission.status in EDITABLE_SUBMISSION_STATUSES


def get_evidence_or_404(user, pk):
    evidence = get_object_or_404(
        Evidence.objects.select_related("cycle__institution", "agency"),
        pk=pk,
        cycle__institution_id=user.institution_id,
    )
    if not can_view_evidence(user, evidence):
        raise Http404
    return evidence


def get_revision_or_404(user, pk):
    revision = get_object_or_404(
        EvidenceRevision.objects.select_related("evidence__cycle__institution"),
        pk=pk,
        evidence__cycle__institution_id=user.institution_id,
    )
    if not can_view_evidence(user, revision.evidence):
        raise Http404
    return revision


def get_submission_or_404(user, pk):
    """A submission whose evidence the user may see (the panel's endpoints work on it)."""
    submission = get_object_or_404(
        Submission.objects.select_related("cycle__institution", "agency", "indicator"),
        pk=pk,
        cycle__institution_id=user.institution_id,
    )
    if not can_view_agency_evidence(user, submission.cycle.institution_id, submission.agency_id):
        raise Http404
    return submission
