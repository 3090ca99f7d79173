"""The letter as PDF and DOCX: generated through documents, versioned, served to readers."""

import datetime
import io
import zoneinfo

import docx
import pypdf
from django.urls import reverse
from django.utils import timezone

from documents.formal import tanggal
from documents.models import Document
from letters import services
from letters.models import Letter
from letters.queries import letter_context


def download(client, name, letter):
    response = client.get(reverse(name, args=[letter.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def pdf_text(content):
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def docx_text(content):
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return " ".join(" ".join(parts).split())


def test_pdf_and_docx_of_a_numbered_letter(client, secretariat, letter, to_status):
    to_status(letter, "numbered")
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo("Asia/Jakarta"))
    client.force_login(secretariat)
    for name, read in (("letter_pdf", pdf_text), ("letter_docx", docx_text)):
        text = read(download(client, name, letter))
        assert "PEMERINTAH KOTA PONTIANAK" in text
        assert letter.number in text
        assert f"Pontianak, {tanggal(today)}" in text
        assert "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia" in text
        assert "Dinas Kesehatan" in text
        assert "Permohonan Data Evaluasi SPBE Tahun 2026" in text
        assert "Formulir Evaluasi SPBE — Dinas Kesehatan" in text
    assert sorted(
        Document.objects.filter(source=f"letters.letter:{letter.pk}").values_list(
            "format", "version", "number"
        )
    ) == [("docx", 1, letter.number), ("pdf", 1, letter.number)]


def test_the_latest_version_is_served_until_the_letter_changes(
    client, coordinator, secretariat, letter, to_status
):
    client.force_login(coordinator)
    first = download(client, "letter_pdf", letter)
    assert "DRAF" in pdf_text(first)
    assert download(client, "letter_pdf", letter) == first
    assert Document.objects.filter(format="pdf").count() == 1

    to_status(letter, "numbered")
    download(client, "letter_pdf", letter)
    assert list(Document.objects.filter(format="pdf").values_list("version", flat=True)) == [
        2,
        1,
    ]
    latest = services.letter_document(letter, by=secretariat, format="pdf")
    assert latest.version == 2


def test_operator_downloads_the_dispatched_letter(client, agency_user, letter, to_status):
    to_status(letter, "dispatched")
    client.force_login(agency_user)
    text = pdf_text(download(client, "letter_pdf", letter))
    assert letter.number in text
    assert "DRAF" not in text


def test_letter_context(letter, to_status, agency, other_agency, framework):
    to_status(letter, "numbered")
    context = letter_context(letter)
    assert context["institution"] == {
        "name": "Pemerintah Kota Pontianak",
        "letterhead_lines": ["PEMERINTAH KOTA PONTIANAK", "DINAS KOMUNIKASI DAN INFORMATIKA"],
        "address": "",
        "phone": "",
        "email": "",
        "website": "",
        "city": "Pontianak",
        "logo": "",  # the region's coat of arms (documents.letters.institution_fields)
    }
    assert (context["number"], context["date"], context["place"]) == (
        letter.number,
        letter.letter_date,
        "Pontianak",
    )
    assert context["addressees"] == [
        {
            "name": "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
            "agency": "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
            "short_name": "BKPSDM",
        },
        {"name": "Kepala Dinas Kesehatan", "agency": "Dinas Kesehatan", "short_name": "Dinkes"},
    ]
    assert (context["draft"], context["per_agency"]) == (True, False)
    assert [a["title"] for a in context["attachments"]] == [
        "Formulir Evaluasi SPBE — Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "Formulir Evaluasi SPBE — Dinas Kesehatan",
    ]
    expected = [
        {"number": a.indicator.number, "name": a.indicator.name, "aspect": a.indicator.parent.name}
        for a in letter.cycle.assignments.filter(agency=agency)
        .select_related("indicator__parent")
        .order_by("indicator__position")
    ]
    assert expected
    assert context["attachments"][0]["indicators"] == expected
    assert context["attachments"][0]["deadline"] == letter.cycle.deadline


def test_the_invitation_carries_no_form(drafted):
    assert letter_context(drafted[0])["attachments"] == []


def test_the_letter_date_is_written_in_indonesian(client, secretariat, letter, to_status):
    to_status(letter, "numbered")
    Letter.objects.filter(pk=letter.pk).update(letter_date=datetime.date(2026, 11, 22))
    client.force_login(secretariat)
    for name, read in (("letter_pdf", pdf_text), ("letter_docx", docx_text)):
        assert "Pontianak, 22 November 2026" in read(download(client, name, letter))


def test_signing_the_letter_marks_the_numbered_files_signed(
    client, coordinator, secretariat, letter, to_status
):
    draft = services.letter_document(letter, by=coordinator, format="pdf")
    to_status(letter, "numbered")
    numbered = services.letter_document(letter, by=secretariat, format="pdf")
    assert (numbered.signature, numbered.signed_at) == ("pending", None)

    services.record_signature(letter, by=secretariat, internal_approval=True)
    letter.refresh_from_db()
    numbered.refresh_from_db()
    draft.refresh_from_db()
    assert (numbered.signature, numbered.signed_at) == ("internal", letter.signed_at)
    assert draft.signature == "pending"  # the draft text without a number was not signed
    client.force_login(secretariat)
    register = client.get(reverse("cycle_documents", args=[letter.cycle_id])).content.decode()
    assert "disetujui penanda tangan (internal)" in register
