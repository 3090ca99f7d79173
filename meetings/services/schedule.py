"""Scheduling the coordination meeting, or moving it."""

import hashlib
import zoneinfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.services import record_event
from cycles.models import Cycle
from cycles.permissions import check_not_closed
from meetings import permissions, queries
from meetings.models import DEFAULT_DURATION_MINUTES, Attendee, Meeting, MeetingEquipment
from meetings.services._common import meeting_url
from meetings.services.invitation import _redraft_invitation
from meetings.services.invitees import _add_missing_invitees, _default_invitees
from meetings.texts import pukul, zone_name
from monev.limits import NOTE_LENGTH, check_length
from notifications.messages import day, phrase
from notifications.services import notify
from sops.models import TimeUnit

MIN_DURATION, MAX_DURATION = 15, 12 * 60
PLACE_LENGTH = Meeting._meta.get_field("place").max_length


def _when_phrase(meeting):
    """When and where, as a notification parameter: "Senin, 7 Desember 2026 pukul 09.00 WIB,
    Ruang Rapat" (the date in the reader's language)."""
    time_zone = meeting.cycle.institution.time_zone
    local = timezone.localtime(meeting.starts_at, zoneinfo.ZoneInfo(time_zone))
    return phrase(
        gettext_noop("%(day)s pukul %(time)s %(zone)s, %(place)s"),
        {
            "day": day(local.date(), weekday=True),
            "time": pukul(meeting.starts_at, time_zone),
            "zone": zone_name(time_zone),
            "place": meeting.place,
        },
    )


# --- Scheduling ------------------------------------------------------------------------------


def default_duration(cycle):
    """The SOP's time standard of step 6 in minutes (180 in both shipped SOPs)."""
    step = cycle.sop.steps.filter(number=6).first()
    if step is not None and step.time_unit == TimeUnit.MINUTES:
        return step.time_value
    return DEFAULT_DURATION_MINUTES


def _clean_schedule(starts_at, place, agenda, duration_minutes):
    if starts_at is None:
        raise ValidationError(_("Isi tanggal dan jam rapat."), code="starts_at")
    if timezone.is_naive(starts_at):
        raise ValueError("starts_at must be an aware datetime")
    place = (place or "").strip()
    if not place:
        raise ValidationError(_("Isi tempat rapat."), code="place")
    if len(place) > PLACE_LENGTH:
        raise ValidationError(
            _("Tempat rapat paling panjang %(max)s karakter.") % {"max": PLACE_LENGTH},
            code="place",
        )
    if not MIN_DURATION <= duration_minutes <= MAX_DURATION:
        raise ValidationError(
            _("Durasi rapat antara %(min)s dan %(max)s menit.")
            % {"min": MIN_DURATION, "max": MAX_DURATION},
            code="duration",
        )
    agenda = (agenda or "").replace("\r\n", "\n").strip()
    return place, check_length(agenda, NOTE_LENGTH, _("Acara"))


def schedule_meeting(cycle, *, by, starts_at, place, agenda="", duration_minutes=None):
    """Schedule the cycle's coordination meeting, or move it (date, time, place, agenda).

    `starts_at` is an aware datetime; `duration_minutes` defaults to the SOP's time standard
    of step 6. The first time: the Meeting row, its equipment checklist from the SOP (see
    queries.equipment_from_sop) and the default invitees (see services.invitees); audit
    "meeting.scheduled". Moving it: audit "meeting.rescheduled" with the old and new values,
    invitees added since are put on the list, and an invitation letter that has left the
    coordinator's hands is detached (a new one must be drafted with the new schedule), and a
    draft (or returned) one gets the new schedule's text (letters.services.update_letter,
    audit "letter.updated"; the coordinator's own edits of subject and body are replaced).
    Invited staff are notified in the app
    and by e-mail (OPD operators get the official invitation letter). A started meeting
    cannot be moved, nor a frozen one (meetings.permissions.frozen_reason: FrozenError).
    """
    if not permissions.can_schedule_meeting(by, cycle):
        raise PermissionDenied
    check_not_closed(cycle)
    existing = Meeting.objects.filter(cycle=cycle).first()
    if existing is not None:
        permissions.check_not_frozen(existing)
    if duration_minutes is None:
        duration_minutes = default_duration(cycle)
    place, agenda = _clean_schedule(starts_at, place, agenda, duration_minutes)
    values = {
        "starts_at": starts_at,
        "place": place,
        "agenda": agenda,
        "duration_minutes": duration_minutes,
    }
    with transaction.atomic():
        # Lock the cycle first: there is no meeting row to lock before the first schedule,
        # and the same form sent twice at once must find the meeting the first one made.
        Cycle.objects.select_for_update().get(pk=cycle.pk)
        meeting = Meeting.objects.select_for_update().filter(cycle=cycle).first()
        if meeting is None:
            meeting = Meeting.objects.create(cycle=cycle, scheduled_by=by, **values)
            names = queries.equipment_from_sop(cycle.sop)
            MeetingEquipment.objects.bulk_create(
                MeetingEquipment(meeting=meeting, name=name, position=index)
                for index, name in enumerate(names, start=1)
            )
            invitees = _default_invitees(cycle)
            for row in invitees:
                row.meeting = meeting
            Attendee.objects.bulk_create(invitees)
            record_event(
                "meeting.scheduled",
                by=by,
                institution=cycle.institution,
                target=meeting,
                after={
                    **_schedule_facts(meeting),
                    "attendees": len(invitees),
                    "equipment": names,
                },
            )
            template = gettext_noop("Rapat koordinasi %(cycle)s dijadwalkan: %(when)s.")
        else:
            if meeting.is_started:
                raise ValidationError(
                    _("Rapat sudah dimulai; jadwalnya tidak dapat diubah."), code="started"
                )
            before = _schedule_facts(meeting)
            for field, value in values.items():
                setattr(meeting, field, value)
            after = _schedule_facts(meeting)
            if before == after:
                return meeting
            moved = (before["starts_at"], before["place"]) != (after["starts_at"], after["place"])
            detached = None
            if moved and meeting.invitation is not None:
                if meeting.invitation.is_editable:
                    _redraft_invitation(meeting, by=by)
                else:
                    detached = meeting.invitation_id
                    meeting.invitation = None
            meeting.save()
            added = _add_missing_invitees(meeting)
            record_event(
                "meeting.rescheduled",
                by=by,
                institution=cycle.institution,
                target=meeting,
                before=before,
                after={**after, "attendees_added": added, "invitation_detached": detached},
            )
            if not moved:
                return meeting
            template = gettext_noop("Jadwal rapat koordinasi %(cycle)s diubah: %(when)s.")
        stamp = hashlib.sha256(f"{starts_at.isoformat()}|{place}".encode()).hexdigest()[:12]
        staff = [
            row.user
            for row in meeting.attendees.filter(invited=True, agency=None)
            .exclude(user=None)
            .exclude(user=by)
            .select_related("user")
        ]
        notify(
            staff,
            key=f"meeting:{meeting.pk}:schedule:{stamp}",
            template=template,
            params={"cycle": cycle.name, "when": _when_phrase(meeting)},
            url=meeting_url(meeting),
        )
    return meeting


def _schedule_facts(meeting):
    """The schedule as audited: the time in the institution's own zone."""
    zone = zoneinfo.ZoneInfo(meeting.cycle.institution.time_zone)
    return {
        "starts_at": timezone.localtime(meeting.starts_at, zone).isoformat(),
        "duration_minutes": meeting.duration_minutes,
        "place": meeting.place,
        "agenda": meeting.agenda,
    }
