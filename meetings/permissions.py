"""Who may do what with a cycle's coordination meeting. Plain predicates shared by services,
views and templates; the access helper answers 404 for another institution's meeting and
for people who are neither staff nor invited.

The `can_*` predicates answer "is this the person's job?" (institution and role); whether
the action is possible now (started, versions) is the service's ValidationError; whether
the meeting's records are frozen is frozen_reason() below, asked by every service.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from cycles.models import StepRun
from cycles.permissions import Frozen, FrozenError, closed_reason
from documents.formal import long_date
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


def meetings_visible_to(user):
    """can_view_meeting as a queryset, for lists: every meeting of the staff's institution,
    the meetings they are invited to for anyone else of it."""
    if not user.is_authenticated or user.institution_id is None:
        return Meeting.objects.none()
    meetings = Meeting.objects.filter(cycle__institution_id=user.institution_id)
    if is_staff_member(user):
        return meetings
    return meetings.filter(attendees__user=user)  # one row at most (attendee_unique_user)


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


# --- Frozen and finished ---------------------------------------------------------------------


def signed_berita_acara(meeting):
    """The cycle's signed Berita Acara, or None (one query)."""
    from reports.models import SignedReport

    return SignedReport.objects.filter(
        cycle_id=meeting.cycle_id,
        kind=SignedReport.Kind.BERITA_ACARA,
        status=SignedReport.Status.SIGNED,
    ).first()


def frozen_reason(meeting):
    """Why the meeting's records (schedule, invitees, equipment, attendance, minutes) are
    read-only, as cycles.permissions.Frozen, or None while they may change. They freeze when
    the Berita Acara is signed (it states who attended), and with the whole cycle at step 8.
    Nobody reopens a frozen meeting. Two queries at most."""
    closed = closed_reason(meeting.cycle)
    if closed is not None:
        return closed
    report = signed_berita_acara(meeting)
    if report is None:
        return None
    zone = meeting.cycle.institution.time_zone
    return Frozen(
        _("Rapat ini sudah ditutup: Berita Acara nomor %(number)s ditandatangani %(date)s.")
        % {"number": report.number, "date": long_date(report.signed_at, time_zone=zone)},
        _(
            "Jadwal, peralatan, daftar hadir dan notulennya tidak dapat diubah lagi, dan "
            "tidak ada yang dapat membukanya kembali."
        ),
    )


def is_frozen(meeting):
    return frozen_reason(meeting) is not None


def check_not_frozen(meeting):
    """Raise cycles.permissions.FrozenError when the meeting is frozen (for its services)."""
    frozen = frozen_reason(meeting)
    if frozen is not None:
        raise FrozenError(frozen)


def ended_at(meeting):
    """When the meeting ended: the end of SOP step 6, which finishes when the levels are
    agreed (assessments.services.finalize_assessment). None while it has not ended."""
    if not meeting.is_started:
        return None
    return (
        StepRun.objects.filter(cycle_id=meeting.cycle_id, number=6, status=StepRun.Status.DONE)
        .values_list("finished_at", flat=True)
        .first()
    )
