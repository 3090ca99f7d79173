"""Every write to the coordination meeting (SOP step 6): scheduling it with its invitees and
equipment checklist, drafting its invitation letter (which then runs the letters' own flow),
the attendance desk, opening the meeting on the SOP clock, the minutes, and its documents.

Every function checks permission (PermissionDenied), validates (ValidationError with a
message for the user), runs in one transaction, writes an audit event (target: the meeting,
so it is filed under the cycle) and notifies people (e-mails leave after commit, see
notifications.services.notify).

Who is invited by default (schedule_meeting): every active user of the institution holding
the leader, supervisor, coordinator or evaluator role (one row each, under their SOP actor
name), and every active operator of each participating OPD (one row per person, so each can
check in as themself). An OPD without an operator account gets one "Perwakilan <OPD>" row,
so every participating OPD is on the printed daftar hadir. The secretariat runs the
attendance desk and is not invited by default; anyone else is added as a walk-in.
"""

import hashlib
import zoneinfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import record_event
from cycles.models import StepRun
from cycles.services import finish_step, start_step
from documents.dates import tanggal
from documents.queries import latest_documents
from documents.services import generate_pdf
from institutions.models import Membership, Role, User
from letters import permissions as letter_permissions
from letters.models import Letter
from letters.services import update_letter
from letters.texts import default_carbon_copies, default_signer
from meetings import permissions, queries
from meetings.models import DEFAULT_DURATION_MINUTES, Attendee, Meeting, MeetingEquipment
from meetings.texts import hari_tanggal, invitation_texts, meeting_facts, pukul, zone_name
from notifications.services import notify
from sops.models import TimeUnit

MAX_MINUTES_LENGTH = 100_000
MIN_DURATION, MAX_DURATION = 15, 12 * 60
PLACE_LENGTH = Meeting._meta.get_field("place").max_length
NAME_LENGTH = Attendee._meta.get_field("name").max_length
EQUIPMENT_NAME_LENGTH = MeetingEquipment._meta.get_field("name").max_length
EQUIPMENT_NOTE_LENGTH = MeetingEquipment._meta.get_field("note").max_length

# The roles invited by default, the most senior first (a person's first one names their row).
INVITED_ROLES = (Role.LEADER, Role.SUPERVISOR, Role.COORDINATOR, Role.EVALUATOR)


def meeting_url(meeting):
    return reverse("meeting_detail", args=[meeting.cycle_id])


def conflict_error():
    return ValidationError(
        _("Notulen sudah diubah di tempat lain; muat ulang halaman."), code="conflict"
    )


def _touch(meeting):
    """Mark the meeting changed (its daftar hadir and notulen are out of date)."""
    meeting.updated_at = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(updated_at=meeting.updated_at)


def _when_text(meeting):
    time_zone = meeting.cycle.institution.time_zone
    return _("%(day)s pukul %(time)s %(zone)s, %(place)s") % {
        "day": hari_tanggal(meeting.starts_at, time_zone),
        "time": pukul(meeting.starts_at, time_zone),
        "zone": zone_name(time_zone),
        "place": meeting.place,
    }


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
    return place, (agenda or "").strip()


def _default_invitees(cycle):
    """Unsaved Attendee rows of the default invitees (see the module docstring)."""
    # Printed on the daftar hadir, an Indonesian document, whatever the author's language.
    with translation.override("id"):
        return _invitee_rows(cycle)


def _invitee_rows(cycle):
    actor_names = cycle.sop.actor_names
    rows, seen = [], set()
    staff = (
        Membership.objects.filter(
            user__institution=cycle.institution, user__is_active=True, role__in=INVITED_ROLES
        )
        .select_related("user")
        .order_by("user__full_name", "user__username")
    )
    by_user = {}
    for membership in staff:
        by_user.setdefault(membership.user, []).append(membership.role)
    for user, roles in by_user.items():
        role = min(roles, key=INVITED_ROLES.index)
        actor = actor_names.get(role) or str(Role(role).label)
        rows.append(
            Attendee(
                user=user,
                name=user.get_full_name(),
                position=user.position or actor,
                unit=actor if user.position else "",
                invited=True,
            )
        )
        seen.add(user.pk)
    operators = (
        Membership.objects.filter(
            role=Role.AGENCY, agency__in=cycle.agencies.all(), user__is_active=True
        )
        .select_related("user", "agency")
        .order_by("agency__name", "user__full_name")
    )
    covered = set()
    for membership in operators:
        covered.add(membership.agency_id)
        if membership.user_id in seen:
            continue
        seen.add(membership.user_id)
        user = membership.user
        rows.append(
            Attendee(
                user=user,
                name=user.get_full_name(),
                position=user.position or str(Role.AGENCY.label),
                agency=membership.agency,
                invited=True,
            )
        )
    for agency in cycle.agencies.all():
        if agency.pk not in covered:
            rows.append(
                Attendee(
                    name=_("Perwakilan %(agency)s") % {"agency": agency.short_name},
                    agency=agency,
                    invited=True,
                )
            )
    return rows


def _add_missing_invitees(meeting):
    """Add the default invitees not on the list yet (new operators, new team members)."""
    listed_users, listed_agencies = set(), set()
    for user_id, agency_id in meeting.attendees.values_list("user_id", "agency_id"):
        listed_users.add(user_id)
        listed_agencies.add(agency_id)
    new = []
    for row in _default_invitees(meeting.cycle):
        # A person is listed once; an OPD without an account needs no second placeholder.
        if row.user_id is not None:
            listed = row.user_id in listed_users
        else:
            listed = row.agency_id in listed_agencies
        if listed:
            continue
        row.meeting = meeting
        new.append(row)
    Attendee.objects.bulk_create(new)
    return len(new)


def schedule_meeting(cycle, *, by, starts_at, place, agenda="", duration_minutes=None):
    """Schedule the cycle's coordination meeting, or move it (date, time, place, agenda).

    `starts_at` is an aware datetime; `duration_minutes` defaults to the SOP's time standard
    of step 6. The first time: the Meeting row, its equipment checklist from the SOP (see
    queries.equipment_from_sop) and the default invitees (see the module docstring); audit
    "meeting.scheduled". Moving it: audit "meeting.rescheduled" with the old and new values,
    invitees added since are put on the list, and an invitation letter that has left the
    coordinator's hands is detached (a new one must be drafted with the new schedule), and a
    draft (or returned) one gets the new schedule's text (letters.services.update_letter,
    audit "letter.updated"; the coordinator's own edits of subject and body are replaced).
    Invited staff are notified in the app
    and by e-mail (OPD operators get the official invitation letter). A started meeting
    cannot be moved.
    """
    if not permissions.can_schedule_meeting(by, cycle):
        raise PermissionDenied
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
            message = _("Rapat koordinasi %(cycle)s dijadwalkan: %(when)s.")
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
            message = _("Jadwal rapat koordinasi %(cycle)s diubah: %(when)s.")
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
            message=message % {"cycle": cycle.name, "when": _when_text(meeting)},
            url=meeting_url(meeting),
        )
    return meeting


def _redraft_invitation(meeting, *, by):
    letter = meeting.invitation
    with translation.override("id"):
        subject, body, _attachment = invitation_texts(meeting)
    update_letter(
        letter,
        by=by,
        subject=subject,
        body=body,
        nature=letter.nature,
        attachment=letter.attachment,
        carbon_copies=letter.carbon_copies,
        signer_name=letter.signer_name,
        signer_title=letter.signer_title,
        signer_nip=letter.signer_nip,
    )


def _schedule_facts(meeting):
    """The schedule as audited: the time in the institution's own zone."""
    zone = zoneinfo.ZoneInfo(meeting.cycle.institution.time_zone)
    return {
        "starts_at": timezone.localtime(meeting.starts_at, zone).isoformat(),
        "duration_minutes": meeting.duration_minutes,
        "place": meeting.place,
        "agenda": meeting.agenda,
    }


# --- The room's equipment --------------------------------------------------------------------


def _clean_items(items):
    cleaned, seen = [], set()
    for item in items:
        name = (item.get("name") or "").strip()
        note = (item.get("note") or "").strip()
        if not name:
            raise ValidationError(_("Isi nama peralatan."), code="name")
        if len(name) > EQUIPMENT_NAME_LENGTH:
            raise ValidationError(
                _("Nama peralatan paling panjang %(max)s karakter.")
                % {"max": EQUIPMENT_NAME_LENGTH},
                code="name",
            )
        if len(note) > EQUIPMENT_NOTE_LENGTH:
            raise ValidationError(
                _("Catatan %(name)s paling panjang %(max)s karakter.")
                % {"name": name, "max": EQUIPMENT_NOTE_LENGTH},
                code="note",
            )
        if name.lower() in seen:
            raise ValidationError(
                _("%(name)s tercantum dua kali.") % {"name": name}, code="duplicate"
            )
        seen.add(name.lower())
        cleaned.append((name, bool(item.get("ready")), note))
    return cleaned


def set_equipment(meeting, *, by, items):
    """Record the state of the room's equipment: `items` is a list of {"name", "ready",
    "note"}; a listed name updates its checklist line, a new name adds one. Lines not
    listed stay as they are.

    Side effects: the MeetingEquipment rows; audit "meeting.equipment_set" with the changed
    lines before and after. A line that is not ready and has a note (something broken, the
    SOP's warning: repair it before the meeting) notifies the coordinators and the
    secretariat, except the person recording it.
    """
    if not permissions.can_prepare_meeting(by, meeting):
        raise PermissionDenied
    cleaned = _clean_items(items)
    cycle = meeting.cycle
    with transaction.atomic():
        rows = {row.name.lower(): row for row in meeting.equipment.select_for_update()}
        last = max((row.position for row in rows.values()), default=0)
        before, after, broken = {}, {}, []
        for name, ready, note in cleaned:
            row = rows.get(name.lower())
            if row is None:
                last += 1
                row = MeetingEquipment.objects.create(
                    meeting=meeting, name=name, ready=ready, note=note, position=last
                )
                before[name] = None
            elif (row.ready, row.note) != (ready, note):
                before[row.name] = {"ready": row.ready, "note": row.note}
                row.ready, row.note = ready, note
                row.save(update_fields=["ready", "note"])
            else:
                continue
            after[row.name] = {"ready": ready, "note": note}
            if not ready and note:
                broken.append(row)
        if not after:
            return equipment_lines(meeting)
        _touch(meeting)
        record_event(
            "meeting.equipment_set",
            by=by,
            institution=cycle.institution,
            target=meeting,
            before=before,
            after=after,
        )
        if broken:
            people = list(
                User.objects.filter(
                    institution=cycle.institution,
                    is_active=True,
                    memberships__role__in=[Role.COORDINATOR, Role.SECRETARIAT],
                )
                .exclude(pk=by.pk)
                .distinct()
            )
            for row in broken:
                digest = hashlib.sha256(row.note.encode()).hexdigest()[:12]
                notify(
                    people,
                    key=f"meeting:{meeting.pk}:equipment:{row.pk}:{digest}",
                    message=_("Peralatan rapat koordinasi perlu diperbaiki: %(name)s — %(note)s")
                    % {"name": row.name, "note": row.note},
                    url=meeting_url(meeting),
                )
    return equipment_lines(meeting)


def equipment_lines(meeting):
    return queries.equipment_of(meeting)


# --- The invitation letter -------------------------------------------------------------------


def draft_meeting_invitation(meeting, *, by):
    """Draft the meeting's invitation letter (Surat Undangan Rapat Koordinasi) to the
    cycle's OPDs from the schedule, signed by the institution's signer. It then runs the
    letters' own flow (submit_letter → dispose_letter → number_letter → record_signature →
    dispatch_letter), which leaves the clock of SOP steps 1-3 alone for this kind.

    Returns the Letter. Side effects: the Letter in draft with its recipients, linked to the
    meeting; audit "letter.drafted" (on the letter, as for the step-1 letters).
    """
    cycle = meeting.cycle
    if not letter_permissions.can_draft_letters(by, cycle):
        raise PermissionDenied
    institution = cycle.institution
    with transaction.atomic():
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if current.invitation_id is not None:
            raise ValidationError(_("Undangan rapat ini sudah dibuat."), code="exists")
        if current.started_at is not None:
            raise ValidationError(_("Rapat sudah dimulai."), code="started")
        with translation.override("id"):
            subject, body, attachment = invitation_texts(meeting)
            signer_name, signer_title, signer_nip = default_signer(institution)
            carbon_copies = "\n".join(default_carbon_copies(institution))
        agencies = list(cycle.agencies.all())
        letter = Letter.objects.create(
            cycle=cycle,
            kind=Letter.Kind.MEETING_INVITATION,
            subject=subject,
            body=body,
            attachment=attachment,
            carbon_copies=carbon_copies,
            signer_name=signer_name,
            signer_title=signer_title,
            signer_nip=signer_nip,
            created_by=by,
        )
        letter.recipients.set(agencies)
        meeting.invitation = letter
        meeting.save(update_fields=["invitation", "updated_at"])
        record_event(
            "letter.drafted",
            by=by,
            institution=institution,
            target=letter,
            after={"kind": letter.kind, "recipients": len(agencies), "meeting": meeting.pk},
        )
    return letter


# --- Attendance --------------------------------------------------------------------------


def add_attendee(meeting, *, by, name, position, agency=None, unit="", present=True):
    """Add someone to the daftar hadir who was not invited (a walk-in), checked in now
    unless `present` is False (added ahead of the meeting).

    `agency` is an OPD of the institution (any, not only the participants); `unit` names
    the organisation of someone who does not come for an OPD. Returns the Attendee. Side
    effects: the Attendee row; audit "meeting.attendee_added".
    """
    if not permissions.can_prepare_meeting(by, meeting):
        raise PermissionDenied
    cycle = meeting.cycle
    if agency is not None and agency.institution_id != cycle.institution_id:
        raise PermissionDenied
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
    audit "meeting.checked_in".
    """
    if not permissions.can_check_in(by, attendee):
        raise PermissionDenied
    meeting = attendee.meeting
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


# --- Running the meeting -----------------------------------------------------------------


def start_meeting(meeting, *, by):
    """Open the meeting: SOP step 5 finishes with its output "Rekap data OPD" and step 6
    (the meeting) starts, held by the coordinator who opens it. Refused for a meeting not
    scheduled, one already started, and before the OPDs' collection is closed (step 4).

    Side effects: started_at / started_by; the two StepRuns; audit "meeting.started";
    invited people not checked in yet are notified (with the link to check in).
    """
    if not permissions.can_start_meeting(by, meeting):
        raise PermissionDenied
    if meeting.pk is None:
        raise ValidationError(_("Rapat belum dijadwalkan."), code="not_scheduled")
    cycle = meeting.cycle
    with transaction.atomic():
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if current.started_at is not None:
            raise ValidationError(_("Rapat sudah dimulai."), code="started")
        collection = StepRun.objects.get(cycle=cycle, number=4)
        if collection.status != StepRun.Status.DONE:
            raise ValidationError(
                _(
                    "Pengumpulan isian OPD (langkah 4) belum ditutup; tutup pengumpulan "
                    "sebelum rapat dimulai."
                ),
                code="collection_open",
            )
        meeting.started_at, meeting.started_by = timezone.now(), by
        meeting.save(update_fields=["started_at", "started_by", "updated_at"])
        finish_step(cycle, 5, by=by, output="Rekap data OPD")
        start_step(cycle, 6, by=by, holder=by)
        record_event(
            "meeting.started",
            by=by,
            institution=cycle.institution,
            target=meeting,
            after={"started_at": meeting.started_at.isoformat()},
        )
        absent = [
            row.user
            for row in meeting.attendees.filter(checked_in_at__isnull=True)
            .exclude(user=None)
            .exclude(user=by)
            .select_related("user")
        ]
        notify(
            absent,
            key=f"meeting:{meeting.pk}:started",
            message=_("Rapat koordinasi %(cycle)s dimulai (%(place)s). Isi daftar hadir Anda.")
            % {"cycle": cycle.name, "place": meeting.place},
            url=meeting_url(meeting),
        )
    return meeting


def save_minutes(meeting, *, by, text, version):
    """Save the minutes (notulen) as they are typed.

    `version` is the minutes_version the person's editor was loaded with; when the stored
    minutes changed since, and differ from what is sent, nothing is saved (ValidationError
    code "conflict"). Sending the stored text again changes nothing. Returns the meeting
    with its new version. Side effects: minutes, minutes_version + 1, who and when; audit
    "meeting.minutes_saved".
    """
    if not permissions.can_write_minutes(by, meeting):
        raise PermissionDenied
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_MINUTES_LENGTH:
        raise ValidationError(
            _("Notulen paling panjang %(max)s karakter.") % {"max": f"{MAX_MINUTES_LENGTH:,}"},
            code="too_long",
        )
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


# --- Documents ---------------------------------------------------------------------------

DOCUMENTS = {
    "attendance": ("meeting.attendance", "meetings/daftar_hadir_pdf.html", "Daftar Hadir"),
    "minutes": ("meeting.minutes", "meetings/notulen_pdf.html", "Notulen"),
}
# Empty lines at the end of the printed daftar hadir, for walk-ins to write themselves in.
BLANK_ROWS = 10


def document_source(meeting, name):
    return f"meetings.meeting:{meeting.pk}:{name}"


def _document(meeting, name, *, by):
    if not permissions.can_view_documents(by, meeting):
        raise PermissionDenied
    kind, template_name, label = DOCUMENTS[name]
    source = document_source(meeting, name)
    latest = next(iter(latest_documents(source)), None)
    if latest is not None and latest.generated_at >= meeting.updated_at:
        return latest
    cycle = meeting.cycle
    institution = cycle.institution
    # An Indonesian document, its times in the institution's own time zone.
    with translation.override("id"), timezone.override(zoneinfo.ZoneInfo(institution.time_zone)):
        context = {
            "institution": institution,
            "cycle": cycle,
            "meeting": meeting,
            "facts": meeting_facts(meeting),
            "title": f"{label} Rapat Koordinasi {cycle.name}",
        }
        if name == "attendance":
            context["rows"] = queries.attendance_rows(meeting)
            context["blank_rows"] = range(BLANK_ROWS)
        else:
            context["present"] = queries.participants(meeting)
            context["paragraphs"] = [p for p in meeting.minutes.split("\n\n") if p.strip()]
            day = tanggal(meeting.starts_at, time_zone=institution.time_zone)
            context["place_date"] = f"{institution.city}, {day}" if institution.city else day
        return generate_pdf(
            template_name=template_name,
            context=context,
            institution=institution,
            cycle=cycle,
            kind=kind,
            source=source,
            title=context["title"],
            by=by,
        )


def attendance_document(meeting, *, by):
    """The printable daftar hadir as a PDF Document: the newest version, or a new one when
    the meeting or its attendance changed since. Side effects, only when generating: a
    Document version with its verification code (audit "document.generated")."""
    return _document(meeting, "attendance", by=by)


def minutes_document(meeting, *, by):
    """The notulen (meeting facts, who was present, the minutes) as a PDF Document: the
    newest version, or a new one when the meeting changed since. Side effects, only when
    generating: a Document version with its verification code (audit "document.generated")."""
    return _document(meeting, "minutes", by=by)
