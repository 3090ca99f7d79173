"""The meeting room's equipment checklist."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.services import record_event
from institutions.models import Role, User
from meetings import permissions, queries
from meetings.models import Meeting, MeetingEquipment
from meetings.services._common import _touch, meeting_url
from notifications.services import notify, settle

EQUIPMENT_NAME_LENGTH = MeetingEquipment._meta.get_field("name").max_length
EQUIPMENT_NOTE_LENGTH = MeetingEquipment._meta.get_field("note").max_length


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
    secretariat, except the person recording it; a line set ready marks its notifications
    read. Refused for a frozen meeting (FrozenError).
    """
    if not permissions.can_prepare_meeting(by, meeting):
        raise PermissionDenied
    permissions.check_not_frozen(meeting)
    cleaned = _clean_items(items)
    cycle = meeting.cycle
    with transaction.atomic():
        # Lock the meeting, not only its lines: a line added by a concurrent request (the
        # same form sent twice) is then found here instead of added again.
        Meeting.objects.select_for_update().get(pk=meeting.pk)
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
            elif ready:  # repaired: its "needs repair" notifications are done with
                settle(prefixes=[f"meeting:{meeting.pk}:equipment:{row.pk}:"])
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
                    template=gettext_noop(
                        "Peralatan rapat koordinasi perlu diperbaiki: %(name)s — %(note)s"
                    ),
                    params={"name": row.name, "note": row.note},
                    url=meeting_url(meeting),
                )
    return equipment_lines(meeting)


def equipment_lines(meeting):
    return queries.equipment_of(meeting)
