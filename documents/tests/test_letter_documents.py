"""Letters are verifiable like every generated PDF, and their DOCX follows the institution's
own Word template (letters.services.letter_document through documents.services)."""

import io

import docx
import pypdf
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from documents.services import upload_template
from documents.verification import verification_url
from letters import services as letter_services


def pdf_text(document):
    with document.file.open("rb") as handle:
        reader = pypdf.PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_letter_pdf_prints_its_verification_code_and_link(client, cycle, coordinator):
    _invitation, data_request = letter_services.draft_cycle_letters(cycle, by=coordinator)
    with translation.override("en"):
        document = letter_services.letter_document(data_request, by=coordinator, format="pdf")

    text = pdf_text(document)
    assert f"Kode verifikasi: {document.code}" in text
    assert verification_url(document.code) in text
    assert "Keaslian dokumen ini dapat diperiksa di" in text
    # Indonesian whatever the language of the screens that asked for it.
    assert document.title == "Surat Permohonan Data"
    assert (document.kind, document.cycle) == ("letter.permohonan_data", cycle)

    with document.file.open("rb") as handle:
        stored = handle.read()
    response = client.post(
        reverse("document_verify", args=[document.code]),
        {"file": SimpleUploadedFile("surat.pdf", stored)},
    )
    assert "Salinan identik" in response.content.decode()


def test_the_letter_docx_uses_the_institutions_template(cycle, coordinator):
    invitation, _data_request = letter_services.draft_cycle_letters(cycle, by=coordinator)
    own = docx.Document()
    own.add_paragraph("KOP KOTA PONTIANAK — {{ subject }}")
    buffer = io.BytesIO()
    own.save(buffer)
    upload_template(
        cycle.institution,
        by=coordinator,
        kind="letter",
        uploaded_file=SimpleUploadedFile("kop.docx", buffer.getvalue()),
    )
    document = letter_services.letter_document(invitation, by=coordinator, format="docx")
    with document.file.open("rb") as handle:
        paragraphs = [p.text for p in docx.Document(io.BytesIO(handle.read())).paragraphs]
    assert paragraphs == [f"KOP KOTA PONTIANAK — {invitation.subject}"]
