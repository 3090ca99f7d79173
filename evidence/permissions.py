"""Who may see and add data dukung. Plain predicates shared by views, services, templates
and (later) the API, and the access helpers that answer 404 for rows a user may not see.

Reading: staff of the institution see every OPD's evidence; an operator only their own OPD's.
Writing: an operator of the OPD, or the coordinator, while the OPD may still edit (before the
cycle's deadline, or while a reopening by the coordinator lasts).
"""

import functools

from django.http import Http404
from django.shortcuts import get_object_or_404

from cycles.models import Cycle
from evidence.models import Evidence, EvidenceRevision
from frameworks.models import Framework
from frameworks.queries import get_indicator_or_404
from institutions.models import Agency, Institution, Role
from institutions.permissions import agencies_of, has_role, is_staff_member
from monev import plain
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
    """A submission whose evidence the user may see (the panel's endpoints work on it), with
    its cycle (and the cycle's institution and framework), OPD and indicator (from the
    process's kept framework tree, with its texts). One plain statement (monev.plain): every
    upload, link and detach reads it, and as an ORM query its four joins and the indicator's
    texts cost more to build and decode than to read."""
    rows = plain.fetch(_submission_sql(), [pk, user.institution_id])
    if not rows:
        raise Http404
    submission, cycle, institution, framework, agency = plain.instances(
        (Submission, Cycle, Institution, Framework, Agency), rows[0]
    )
    cycle.institution, cycle.framework = institution, framework
    submission.cycle, submission.agency = cycle, agency
    submission.indicator = get_indicator_or_404(framework, submission.indicator_id)
    if not can_view_agency_evidence(user, cycle.institution_id, submission.agency_id):
        raise Http404
    return submission


@functools.cache
def _submission_sql():
    select = plain.select(
        (Submission, "s"),
        (Cycle, "c", "s.cycle"),
        (Institution, "i", "c.institution"),
        (Framework, "f", "c.framework"),
        (Agency, "a", "s.agency"),
    )
    submission, institution = (
        plain.column(Submission, "id", "s"),
        plain.column(Cycle, "institution", "c"),
    )
    return f"{select}WHERE {submission} = %s AND {institution} = %s"
