"""The attendance desk: walk-ins added to the daftar hadir, and checking in."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from meetings import permissions
from meetings.models import Attendee, Meeting
from meetings.services._common import _touch
from meetings.texts import pukul, zone_name

NAME_LENGTH = Attendee._meta.get_field("name").max_length


def _check_attendance_open(meeting):
    """The daftar hadir takes no one once the meeting has ended (ValidationError "ended"),
    nor while the meeting is frozen (FrozenError)."""
    permissions.check_not_frozen(meeting)
    ended = permissions.ended_at(meeting)
    if ended is not None:
        zone = meeting.cycle.institution.time_zone
        raise ValidationError(
            _("Rapat sudah selesai pukul %(time)s %(zone)s; daftar hadir ditutup.")
            % {"time": pukul(ended, zone), "zone": zone_name(zone)},
            code="ended",
        )


def add_attendee(meeting, *, by, name, position, agency=None, unit="", present=True):
    """Add someone to the daftar hadir who was not invited (a walk-in), checked in now
    unless `present` is False (added ahead of the meeting).

    `agency` is an OPD of the institution (any, not only the participants); `unit` names
    the organisation of someone who does not come for an OPD. Returns the Attendee. Side
    effects: the Attendee row; audit "meeting.attendee_added". Refused once the meeting
    has ended or is frozen (_check_attendance_open).
    """
    if not permissions.can_prepare_meeting(by, meeting):
        raise PermissionDenied
    cycle = meeting.cycle
    if agency is not None and agency.institution_id != cycle.institution_id:
        raise PermissionDenied
    _check_attendance_open(meeting)
    name, position, unit = (name or "").strip(), (position or "").strip(), (unit or "").strip()
    if not name:
        raise ValidationError(_("Isi nama peserta."), code="name")
    for value, label in ((name, _("Nama")), (position, _("Jabatan")), (unit, _("Unit"))):
        if len(value) > NAME_LENGTH:
            raise ValidationError(
                _("%(label)s paling panjang %(max)s karakter.")
                % {"label": label, "max": NAME_LENGTH},
                code="too_long",
            )
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        if meeting.attendees.filter(name__iexact=name, agency=agency).exists():
            raise ValidationError(
                _("%(name)s sudah ada di daftar hadir.") % {"name": name}, code="duplicate"
            )
        now = timezone.now() if present else None
        attendee = Attendee.objects.create(
            meeting=meeting,
            name=name,
            position=position,
            agency=agency,
            unit="" if agency else unit,
            invited=False,
            checked_in_at=now,
            checked_in_by=by if present else None,
        )
        _touch(meeting)
        record_event(
            "meeting.attendee_added",
            by=by,
            institution=cycle.institution,
            target=meeting,
            after={
                "attendee": attendee.pk,
                "name": name,
                "position": position,
                "agency": agency.pk if agency else None,
                "unit": attendee.unit,
                "present": present,
            },
        )
    return attendee


def check_in(attendee, *, by):
    """Record that the person on this row is present: done by the person themself, or by
    the coordinator or the secretariat at the desk. Checking in twice changes nothing.

    Returns the Attendee. Side effects (first time only): checked_in_at / checked_in_by;
    audit "meeting.checked_in". Refused once the meeting has ended or is frozen.
    """
    if not permissions.can_check_in(by, attendee):
        raise PermissionDenied
    meeting = attendee.meeting
    _check_attendance_open(meeting)
    with transaction.atomic():
        now = timezone.now()
        marked = Attendee.objects.filter(pk=attendee.pk, checked_in_at__isnull=True).update(
            checked_in_at=now, checked_in_by=by
        )
        if not marked:
            attendee.refresh_from_db(fields=["checked_in_at", "checked_in_by"])
            return attendee
        attendee.checked_in_at, attendee.checked_in_by = now, by
        _touch(meeting)
        record_event(
            "meeting.checked_in",
            by=by,
            institution=meeting.cycle.institution,
            target=meeting,
            after={
                "attendee": attendee.pk,
                "name": attendee.name,
                "self": attendee.user_id == by.pk,
                "at": now.isoformat(),
            },
        )
    return attendee
