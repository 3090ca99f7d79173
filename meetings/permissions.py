"""Who may do what with a cycle's coordination meeting. Plain predicates shared by services,
views and templates; the access helper answers 404 for another institution's meeting and
for people who are neither staff nor invited.

The `can_*` predicates answer "is this the person's job?" (institution and role); whether
the action is possible now (started, versions) is the service's ValidationError.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from institutions.models import Role
from institutions.permissions import has_role, is_staff_member
from meetings.models import Meeting


def _in_institution(user, cycle):
    return (
        user.is_authenticated
        and user.institution_id is not None
        and user.institution_id == cycle.institution_id
    )


def can_schedule_meeting(user, cycle):
    """The coordinator plans the meeting, drafts its invitation and opens it."""
    return _in_institution(user, cycle) and has_role(user, Role.COORDINATOR)


def can_start_meeting(user, meeting):
    return can_schedule_meeting(user, meeting.cycle)


def can_prepare_meeting(user, meeting):
    """The room and the attendance desk: the coordinator or the secretariat."""
    return _in_institution(user, meeting.cycle) and has_role(
        user, Role.COORDINATOR, Role.SECRETARIAT
    )


def can_write_minutes(user, meeting):
    return _in_institution(user, meeting.cycle) and has_role(
        user, Role.COORDINATOR, Role.EVALUATOR, Role.SECRETARIAT
    )


def can_check_in(user, attendee):
    """The person on the row themself, or the attendance desk for anyone."""
    if not _in_institution(user, attendee.meeting.cycle):
        return False
    return attendee.user_id == user.pk or can_prepare_meeting(user, attendee.meeting)


def can_view_documents(user, meeting):
    """The daftar hadir and the notulen: the institution's staff."""
    return _in_institution(user, meeting.cycle) and is_staff_member(user)


def can_view_meeting(user, meeting, *, invited=None):
    """Staff of the institution; anyone else only when invited (has a row in the daftar
    hadir). `invited` may be given when the caller already knows it (no query)."""
    if not _in_institution(user, meeting.cycle):
        return False
    if is_staff_member(user):
        return True
    if invited is None:
        invited = meeting.attendees.filter(user=user).exists()
    return invited


def get_meeting_or_404(user, cycle_pk):
    """The meeting of the cycle, when the user may see it; otherwise 404."""
    meeting = get_object_or_404(
        Meeting.objects.select_related(
            "cycle__institution", "cycle__sop", "invitation", "started_by", "minutes_updated_by"
        ),
        cycle_id=cycle_pk,
        cycle__institution_id=user.institution_id,
    )
    if not can_view_meeting(user, meeting):
        raise Http404
    return meeting
