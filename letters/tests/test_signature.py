"""Recording the signature: a signed PDF checked by its content, or an internal approval."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from letters import services
from letters.tests.helpers import pdf_bytes, signed_upload


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_signed_pdf_is_stored_under_a_generated_name_with_its_hash(
    settings, letter, to_status, secretariat
):
    to_status(letter, "numbered")
    content = pdf_bytes(text_pages=2)
    services.record_signature(
        letter, by=secretariat, signed_pdf=signed_upload("../../surat asli.pdf", content)
    )
    letter.refresh_from_db()
    assert (letter.status, letter.signature) == ("signed", "upload")
    assert letter.signed_file_sha256 == hashlib.sha256(content).hexdigest()
    assert "asli" not in letter.signed_file.name
    assert letter.signed_file.name.startswith("letters/signed/")
    assert letter.signed_file.name.endswith(".pdf")
    assert stored_files(settings) == [letter.signed_file.name]
    with letter.signed_file.open("rb") as stored:
        assert stored.read() == content
    event = AuditEvent.objects.get(action="letter.signed")
    assert event.after["sha256"] == letter.signed_file_sha256


def test_internal_approval_by_the_named_signer(letter, to_status, secretariat):
    to_status(letter, "numbered")
    services.record_signature(letter, by=secretariat, internal_approval=True)
    letter.refresh_from_db()
    assert (letter.status, letter.signature, letter.signed_file.name) == (
        "signed",
        "internal",
        "",
    )
    event = AuditEvent.objects.get(action="letter.signed")
    assert event.after["signer"] == "[Nama Kepala Dinas Komunikasi dan Informatika]"


@pytest.mark.parametrize(
    "content",
    [
        b"Ini bukan PDF, hanya teks.",
        b"PK\x03\x04 a zip file",
        b"%PDF-1.7\nbukan isi PDF yang sah",
        b"",
    ],
    ids=["text", "zip", "pdf-header-only", "empty"],
)
def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_changes(
    settings, letter, to_status, secretariat, content
):
    to_status(letter, "numbered")
    with pytest.raises(ValidationError) as error:
        services.record_signature(
            letter, by=secretariat, signed_pdf=signed_upload("surat.pdf", content)
        )
    assert error.value.messages == ["Berkas tanda tangan harus PDF."]
    letter.refresh_from_db()
    assert (letter.status, letter.signature, letter.signed_file.name) == ("numbered", "", "")
    assert letter.signed_file_sha256 == ""
    assert stored_files(settings) == []
    assert AuditEvent.objects.filter(action="letter.signed").count() == 0


def test_a_pdf_over_20_mb_is_refused(settings, letter, to_status, secretariat):
    to_status(letter, "numbered")
    big = SimpleUploadedFile("besar.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        services.record_signature(letter, by=secretariat, signed_pdf=big)
    assert error.value.messages == ["Berkas tanda tangan melebihi 20 MB."]
    letter.refresh_from_db()
    assert letter.status == "numbered"
    assert stored_files(settings) == []


def test_neither_file_nor_approval_is_refused(letter, to_status, secretariat):
    to_status(letter, "numbered")
    with pytest.raises(ValidationError) as error:
        services.record_signature(letter, by=secretariat)
    assert error.value.messages == [
        "Pilih salah satu: unggah PDF bertanda tangan elektronik, atau catat persetujuan "
        "internal penanda tangan."
    ]


def test_signing_before_numbering_is_refused(letter, to_status, secretariat):
    to_status(letter, "approved")
    with pytest.raises(ValidationError) as error:
        services.record_signature(letter, by=secretariat, internal_approval=True)
    assert error.value.messages == ["Surat harus bernomor sebelum ditandatangani."]


def test_signing_twice_is_refused(letter, to_status, secretariat):
    to_status(letter, "signed")
    with pytest.raises(ValidationError) as error:
        services.record_signature(letter, by=secretariat, internal_approval=True)
    assert error.value.messages == ["Surat ini sudah ditandatangani."]
