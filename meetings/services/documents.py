"""The meeting's documents: the printable daftar hadir and the notulen."""

import zoneinfo

from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from documents.downloads import current_document
from documents.formal import tanggal
from documents.services import generate_pdf
from meetings import permissions, queries
from meetings.models import Meeting
from meetings.texts import meeting_facts

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
    return current_document(
        source=document_source(meeting, name),
        format="pdf",
        lock=Meeting.objects.filter(pk=meeting.pk),
        changed_at=meeting.updated_at,
        frozen=permissions.is_frozen(meeting),
        make=lambda: _generate(meeting, name, by=by),
    )


def _generate(meeting, name, *, by):
    kind, template_name, label = DOCUMENTS[name]
    source = document_source(meeting, name)
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
    the meeting or its attendance changed since, unless the meeting is frozen (then always
    the stored one; documents.downloads.current_document). Side effects, only when
    generating: a Document version with its verification code (audit "document.generated")."""
    return _document(meeting, "attendance", by=by)


def minutes_document(meeting, *, by):
    """The notulen (meeting facts, who was present, the minutes) as a PDF Document: the
    newest version, or a new one when the meeting changed since, unless it is frozen (as
    attendance_document). Side effects, only when generating: a Document version with its
    verification code (audit "document.generated")."""
    return _document(meeting, "minutes", by=by)
