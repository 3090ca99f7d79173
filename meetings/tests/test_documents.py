"""The daftar hadir and the notulen PDFs, read back."""

import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AuditEvent
from meetings import services


def text_of(document):
    with document.file.open("rb") as handle:
        reader = PdfReader(handle)
        return "\n".join(page.extract_text() for page in reader.pages)


def flat(text):
    return " ".join(text.split())


def test_attendance_pdf(meeting, coordinator, agency_user):
    services.check_in(meeting.attendees.get(user=agency_user), by=coordinator)
    document = services.attendance_document(meeting, by=coordinator)
    assert (document.kind, document.source, document.format, document.version) == (
        "meeting.attendance",
        f"meetings.meeting:{meeting.pk}:attendance",
        "pdf",
        1,
    )
    assert document.title == "Daftar Hadir Rapat Koordinasi Monev SPBE 2026"
    assert document.cycle == meeting.cycle
    text = flat(text_of(document))
    assert "DAFTAR HADIR" in text
    assert "Instansi : Pemerintah Kota Pontianak" in text
    assert "Hari, tanggal : Senin, 7 Desember 2026" in text
    assert "Pukul : 09.00 – 12.00 WIB" in text
    assert "Tempat : Ruang Rapat Pontive Center" in text
    assert "No Nama Jabatan OPD/Unit Tanda tangan" in text
    attendee = meeting.attendees.get(user=agency_user)
    at = timezone.localtime(attendee.checked_in_at, zoneinfo.ZoneInfo("Asia/Jakarta"))
    assert f"5 Operator BKPSDM hadir pukul {at:%H.%M} Operator OPD Badan Kepegawaian" in text
    assert "6 Operator Dinkes Operator OPD Dinas Kesehatan 6." in text
    # Six invitees, then ten empty lines for walk-ins, each with its signature number.
    assert "7 7. 8 8." in text
    assert "16 16." in text
    assert "17 17." not in text
    assert f"Kode verifikasi: {document.code}" in text


def test_attendance_pdf_is_reused_until_something_changes(meeting, coordinator, agency_user):
    first = services.attendance_document(meeting, by=coordinator)
    assert services.attendance_document(meeting, by=coordinator) == first
    services.check_in(meeting.attendees.get(user=agency_user), by=agency_user)
    meeting.refresh_from_db()
    second = services.attendance_document(meeting, by=coordinator)
    assert second.version == 2
    assert second.code != first.code
    assert AuditEvent.objects.filter(action="document.generated").count() == 2


def test_minutes_pdf(meeting, coordinator, evaluator, agency_user, collection_closed):
    services.check_in(meeting.attendees.get(user=agency_user), by=agency_user)
    services.start_meeting(meeting, by=coordinator)
    services.save_minutes(
        meeting,
        by=evaluator,
        text="Rapat dibuka oleh koordinator.\n\nDisepakati tingkat indikator 1 adalah 3.",
        version=0,
    )
    document = services.minutes_document(meeting, by=evaluator)
    assert (document.kind, document.source) == (
        "meeting.minutes",
        f"meetings.meeting:{meeting.pk}:minutes",
    )
    text = flat(text_of(document))
    assert "NOTULEN RAPAT" in text
    assert "Instansi : Pemerintah Kota Pontianak" in text
    assert "Tempat : Ruang Rapat Pontive Center" in text
    assert "Pimpinan rapat : Rina Koordinator" in text
    assert "Peserta yang hadir (1 orang)" in text
    assert "Operator BKPSDM Operator OPD Badan Kepegawaian" in text
    assert "Disepakati tingkat indikator 1 adalah 3." in text
    assert "Notulis, Eko Evaluator" in text
    assert f"Kode verifikasi: {document.code}" in text


@pytest.mark.parametrize("persona", ["agency_user", "outsider"])
def test_documents_are_for_the_staff(request, meeting, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.attendance_document(meeting, by=user)
    with pytest.raises(PermissionDenied):
        services.minutes_document(meeting, by=user)
