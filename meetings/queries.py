"""Reads of the coordination meeting reused by views, documents and other apps (the Berita
Acara lists the participants)."""

import re

from django.db.models import Case, Count, IntegerField, Q, Value, When

from meetings.models import Attendee, Meeting

# Used when the cycle's SOP names no equipment for step 6: what the Pontianak SOP lists.
DEFAULT_EQUIPMENT = ["Komputer", "Printer", "TV", "Proyektor", "Internet"]

# Items of the SOP's "Kelengkapan" that are not equipment of the room: the letters and the
# Berita Acara (the system makes them) and "dll".
_NOT_EQUIPMENT = re.compile(r"^(surat\b|ba$|berita acara|dll\.?$|dsb\.?$)", re.IGNORECASE)


def meeting_of(cycle):
    """The cycle's meeting, or None when it is not scheduled yet (one query)."""
    return Meeting.objects.filter(cycle=cycle).select_related("invitation").first()


def participants(meeting):
    """Who was present (checked in), by name: the Berita Acara's list (one query)."""
    return list(
        meeting.attendees.filter(checked_in_at__isnull=False)
        .select_related("agency")
        .order_by("name", "id")
    )


def attendance_rows(meeting):
    """Every line of the daftar hadir, in the printed order (one query): the city team
    first, then the OPDs by name, each by the person's name."""
    return list(
        Attendee.objects.filter(meeting=meeting)
        .select_related("agency", "checked_in_by")
        .annotate(
            team_first=Case(
                When(agency__isnull=True, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("team_first", "agency__name", "name", "id")
    )


def attendance_count(meeting):
    """(present, listed) of the daftar hadir (one query)."""
    counts = meeting.attendees.aggregate(
        listed=Count("id"), present=Count("id", filter=Q(checked_in_at__isnull=False))
    )
    return counts["present"], counts["listed"]


def equipment_of(meeting):
    """The equipment checklist in order (one query)."""
    return list(meeting.equipment.all())


def equipment_from_sop(sop):
    """The equipment names of the SOP's step 6 ("Kelengkapan") and of its header's
    "Peralatan/perlengkapan", without documents and "dll", each once; DEFAULT_EQUIPMENT when
    the SOP names none."""
    step = sop.steps.filter(number=6).first()
    texts = [step.requirements if step else ""] + list(sop.header.get("equipment", []))
    names, seen = [], set()
    for text in texts:
        for part in text.split(","):
            name = part.strip()
            if not name or _NOT_EQUIPMENT.match(name):
                continue
            name = name[0].upper() + name[1:]
            if name.lower() not in seen:
                seen.add(name.lower())
                names.append(name)
    return names or list(DEFAULT_EQUIPMENT)
