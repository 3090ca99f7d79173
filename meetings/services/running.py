"""Running the meeting: opening it on the SOP clock, and the minutes (notulen)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.services import record_event
from cycles.models import StepRun
from cycles.permissions import FrozenError
from cycles.services import finish_step, start_step
from meetings import permissions
from meetings.models import Meeting
from meetings.services._common import meeting_url
from monev.limits import MINUTES_LENGTH, check_length
from notifications.services import notify, settle

MAX_MINUTES_LENGTH = MINUTES_LENGTH  # the name meetings.services exports


def conflict_error():
    return ValidationError(
        _("Notulen sudah diubah di tempat lain; muat ulang halaman."), code="conflict"
    )


def _already_started():
    return ValidationError(_("Rapat sudah dimulai."), code="started")


def start_refusal(meeting):
    """Why the meeting cannot be started now, as the ValidationError start_meeting raises,
    or None: not scheduled, frozen, already started, or the OPDs' collection (step 4) not
    closed yet. The meeting page asks for confirmation only when this is None."""
    if meeting.pk is None:
        return ValidationError(_("Rapat belum dijadwalkan."), code="not_scheduled")
    frozen = permissions.frozen_reason(meeting)
    if frozen is not None:
        return FrozenError(frozen)
    if meeting.started_at is not None:
        return _already_started()
    if not meeting.cycle.step_runs.filter(number=4, status=StepRun.Status.DONE).exists():
        return ValidationError(
            _(
                "Pengumpulan isian OPD (langkah 4) belum ditutup; tutup pengumpulan "
                "sebelum rapat dimulai."
            ),
            code="collection_open",
        )
    return None


def absent_to_notify(meeting, *, by):
    """The invited people with an account who have not checked in, but `by`: starting the
    meeting notifies them (and the confirmation page counts them)."""
    return [
        row.user
        for row in meeting.attendees.filter(checked_in_at__isnull=True)
        .exclude(user=None)
        .exclude(user=by)
        .select_related("user")
    ]


def start_meeting(meeting, *, by):
    """Open the meeting: SOP step 5 finishes with its output "Rekap data OPD" and step 6
    (the meeting) starts, held by the coordinator who opens it. Refused for a meeting not
    scheduled, one already started, and before the OPDs' collection is closed (step 4).

    Side effects: started_at / started_by; the two StepRuns; audit "meeting.started";
    invited people not checked in yet are notified (with the link to check in); the
    evaluators' "collection closed, check the answers" notifications are marked read.
    """
    if not permissions.can_start_meeting(by, meeting):
        raise PermissionDenied
    refusal = start_refusal(meeting)
    if refusal is not None:
        raise refusal
    cycle = meeting.cycle
    with transaction.atomic():
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if current.started_at is not None:  # started by a request at the same moment
            raise _already_started()
        meeting.started_at, meeting.started_by = timezone.now(), by
        meeting.save(update_fields=["started_at", "started_by", "updated_at"])
        finish_step(cycle, 5, by=by, output="Rekap data OPD")
        settle(keys=[f"cycle:{cycle.pk}:collection_closed"])  # the evaluators' step 5 is over
        start_step(cycle, 6, by=by, holder=by)
        record_event(
            "meeting.started",
            by=by,
            institution=cycle.institution,
            target=meeting,
            after={"started_at": meeting.started_at.isoformat()},
        )
        absent = absent_to_notify(meeting, by=by)
        notify(
            absent,
            key=f"meeting:{meeting.pk}:started",
            template=gettext_noop(
                "Rapat koordinasi %(cycle)s dimulai (%(place)s). Isi daftar hadir Anda."
            ),
            params={"cycle": cycle.name, "place": meeting.place},
            url=meeting_url(meeting),
        )
    return meeting


def save_minutes(meeting, *, by, text, version):
    """Save the minutes (notulen) as they are typed.

    `version` is the minutes_version the person's editor was loaded with; when the stored
    minutes changed since, and differ from what is sent, nothing is saved (ValidationError
    code "conflict"). Sending the stored text again changes nothing. Returns the meeting
    with its new version. Side effects: minutes, minutes_version + 1, who and when; audit
    "meeting.minutes_saved". Refused for a frozen meeting (FrozenError), even unchanged.
    """
    if not permissions.can_write_minutes(by, meeting):
        raise PermissionDenied
    permissions.check_not_frozen(meeting)
    text = check_length((text or "").replace("\r\n", "\n").strip(), MINUTES_LENGTH, _("Notulen"))
    with transaction.atomic():
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if current.minutes == text:
            return current  # nothing to save (a repeated autosave, a double click)
        if version != current.minutes_version:
            raise conflict_error()
        now = timezone.now()
        # Conditional on the version read: a concurrent save in between makes this a
        # conflict even where the database has no row locks.
        updated = Meeting.objects.filter(pk=meeting.pk, minutes_version=version).update(
            minutes=text,
            minutes_version=F("minutes_version") + 1,
            minutes_updated_at=now,
            minutes_updated_by=by,
            updated_at=now,
        )
        if not updated:
            raise conflict_error()
        meeting.minutes, meeting.minutes_version = text, version + 1
        meeting.minutes_updated_at, meeting.minutes_updated_by = now, by
        meeting.updated_at = now
        record_event(
            "meeting.minutes_saved",
            by=by,
            institution=meeting.cycle.institution,
            target=meeting,
            before={"version": version, "chars": len(current.minutes)},
            after={"version": meeting.minutes_version, "chars": len(text)},
        )
    return meeting
