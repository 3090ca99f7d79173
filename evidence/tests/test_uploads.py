"""The upload pipeline: type by content, size limit while streaming, generated names,
immutable hashed revisions; a refused upload leaves no row and no file."""

import hashlib
import io
import os
import tracemalloc

import pytest
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.db import IntegrityError

from audit.models import AuditEvent
from evidence import services
from evidence.models import Evidence, EvidenceRevision
from evidence.tests.helpers import (
    MB,
    docx_bytes,
    image_bytes,
    odf_bytes,
    pdf_bytes,
    plain_file,
    stored_files,
    upload,
    xlsx_bytes,
    zip_bytes,
)

ALLOWED = "yang diterima PDF, JPG, PNG, DOCX, XLSX, ODT, ODS."


def add(cycle, agency, user, name, content, **kwargs):
    return services.add_file_evidence(
        cycle,
        agency,
        by=user,
        uploaded_file=plain_file(name, content),
        title=kwargs.pop("title", "SK Kepegawaian"),
        **kwargs,
    )


def assert_nothing_stored(settings):
    assert Evidence.objects.count() == 0
    assert EvidenceRevision.objects.count() == 0
    assert stored_files(settings) == []
    assert AuditEvent.objects.filter(action__startswith="evidence.").count() == 0


@pytest.mark.parametrize(
    ("content", "extension", "content_type"),
    [
        (pdf_bytes(), "pdf", "application/pdf"),
        (image_bytes("PNG"), "png", "image/png"),
        (image_bytes("JPEG"), "jpg", "image/jpeg"),
        (
            docx_bytes(),
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (xlsx_bytes(), "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            odf_bytes("application/vnd.oasis.opendocument.text"),
            "odt",
            "application/vnd.oasis.opendocument.text",
        ),
        (
            odf_bytes("application/vnd.oasis.opendocument.spreadsheet"),
            "ods",
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
    ],
    ids=["pdf", "png", "jpeg", "docx", "xlsx", "odt", "ods"],
)
def test_an_accepted_file_is_stored_under_a_generated_name_with_its_hash(
    settings, cycle, agency, agency_user, content, extension, content_type
):
    # The uploaded name says nothing true: the content decides the extension.
    evidence = add(cycle, agency, agency_user, "berkas tanpa ekstensi", content)
    revision = evidence.revisions.get()
    assert (evidence.kind, evidence.title, revision.number) == ("file", "SK Kepegawaian", 1)
    assert (revision.extension, revision.content_type) == (extension, content_type)
    assert revision.sha256 == hashlib.sha256(content).hexdigest()
    assert revision.size == len(content)
    assert revision.original_name == "berkas tanpa ekstensi"
    assert revision.uploaded_by == agency_user
    directory, name = revision.file.name.rsplit("/", 1)
    assert directory == f"evidence/{cycle.pk}"
    assert len(name) == len("0123456789abcdef0123456789abcdef." + extension)
    assert name.endswith(f".{extension}")
    assert stored_files(settings) == [revision.file.name]
    with revision.file.open("rb") as stored:
        assert stored.read() == content


def test_the_upload_writes_one_audit_event(cycle, agency, agency_user):
    content = pdf_bytes()
    evidence = add(cycle, agency, agency_user, "sk.pdf", content)
    event = AuditEvent.objects.get(action="evidence.added")
    assert (event.actor, event.cycle_id, event.target) == (
        agency_user,
        cycle.pk,
        f"evidence.evidence:{evidence.pk}",
    )
    assert event.after == {
        "kind": "file",
        "title": "SK Kepegawaian",
        "agency": agency.pk,
        "document_date": None,
        "submission": None,
        "revision": 1,
        "sha256": hashlib.sha256(content).hexdigest(),
        "size": len(content),
        "content_type": "application/pdf",
        "original_name": "sk.pdf",
    }


def test_an_empty_title_takes_the_file_name(cycle, agency, agency_user):
    evidence = add(cycle, agency, agency_user, "SK Tim SPBE 2026.pdf", pdf_bytes(), title="  ")
    assert evidence.title == "SK Tim SPBE 2026"


def test_a_path_like_name_keeps_only_its_last_part(settings, cycle, agency, agency_user):
    content = pdf_bytes()
    evidence = add(cycle, agency, agency_user, "../../x.pdf", content)
    revision = evidence.revisions.get()
    assert revision.original_name == "x.pdf"
    assert revision.file.name.startswith(f"evidence/{cycle.pk}/")
    assert "x.pdf" not in revision.file.name
    assert stored_files(settings) == [revision.file.name]


def test_a_windows_path_keeps_only_its_last_part(cycle, agency, agency_user):
    evidence = add(cycle, agency, agency_user, "C:\\Users\\opd\\laporan.pdf", pdf_bytes())
    assert evidence.revisions.get().original_name == "laporan.pdf"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "laporan.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 500,
            f"Jenis berkas tidak diizinkan: EXE; {ALLOWED}",
        ),
        (
            "laporan.pdf",
            b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 500,
            f"Jenis berkas tidak diizinkan: ELF; {ALLOWED}",
        ),
        (
            "x.pdf",
            b"Ini bukan PDF, hanya teks biasa.",
            f"Jenis berkas tidak diizinkan: tidak dikenal; {ALLOWED}",
        ),
        (
            "arsip.docx",
            zip_bytes({"laporan.txt": "isi"}),
            f"Jenis berkas tidak diizinkan: ZIP; {ALLOWED}",
        ),
        (
            "makro.docx",
            zip_bytes(
                {
                    "[Content_Types].xml": "<Types/>",
                    "word/document.xml": "<w:document/>",
                    "word/vbaProject.bin": "\x00",
                }
            ),
            f"Jenis berkas tidak diizinkan: dokumen bermakro; {ALLOWED}",
        ),
        (
            "presentasi.docx",
            zip_bytes({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"}),
            f"Jenis berkas tidak diizinkan: PPTX; {ALLOWED}",
        ),
        (
            "rusak.docx",
            b"PK\x03\x04" + b"\x00" * 100,
            f"Jenis berkas tidak diizinkan: ZIP; {ALLOWED}",
        ),
        ("gambar.png", image_bytes("GIF"), f"Jenis berkas tidak diizinkan: GIF; {ALLOWED}"),
        ("surat.pdf", b"%PDF-1.7\nbukan isi PDF yang sah", "Berkas PDF rusak atau tidak lengkap."),
        ("kosong.pdf", b"", "Berkas kosong."),
        ("..", pdf_bytes(), "Nama berkas tidak valid."),
        ("../../", pdf_bytes(), "Nama berkas tidak valid."),
    ],
    ids=[
        "exe-named-pdf",
        "elf-named-pdf",
        "text-named-pdf",
        "plain-zip",
        "macro-docx",
        "pptx",
        "broken-zip",
        "gif",
        "pdf-header-only",
        "empty",
        "dots-name",
        "path-name",
    ],
)
def test_a_refused_file_leaves_no_row_and_no_file(
    settings, cycle, agency, agency_user, name, content, message
):
    with pytest.raises(ValidationError) as error:
        add(cycle, agency, agency_user, name, content)
    assert error.value.messages == [message]
    assert_nothing_stored(settings)


def test_a_file_over_the_limit_is_refused(settings, cycle, agency, agency_user):
    settings.EVIDENCE_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        add(cycle, agency, agency_user, "besar.pdf", b"%PDF-1.4\n" + b"x" * 4991)
    assert error.value.messages == ["Berkas terlalu besar: maksimal 1000 byte."]
    assert_nothing_stored(settings)


def test_the_limit_is_named_in_megabytes(settings, cycle, agency, agency_user):
    settings.EVIDENCE_MAX_BYTES = 1 * MB
    content = pdf_bytes() + b"%" * MB
    with pytest.raises(ValidationError) as error:
        add(cycle, agency, agency_user, "besar.pdf", content)
    assert error.value.messages == ["Berkas terlalu besar: maksimal 1 MB."]


def test_the_default_limit_is_50_mb(settings):
    from evidence.uploads import too_large

    assert too_large(settings.EVIDENCE_MAX_BYTES).messages == [
        "Berkas terlalu besar: maksimal 50 MB."
    ]


class CountingFile(File):
    """A file that counts the chunks read from it, to see where the reading stopped."""

    chunks_read = 0

    def chunks(self, chunk_size=None):
        for chunk in super().chunks(64 * 1024):
            self.chunks_read += 1
            yield chunk


def test_a_file_passing_the_limit_while_streamed_is_stopped_and_deleted(
    settings, cycle, agency, agency_user
):
    # The declared size can be wrong (a file that grows, a storage that does not know it):
    # the bytes are counted as they are copied, and the partial copy is removed.
    settings.EVIDENCE_MAX_BYTES = 100 * 1024
    content = b"%PDF-1.4\n" + b"x" * (5 * 64 * 1024 - 16) + b"\n%%EOF\n"
    uploaded = CountingFile(io.BytesIO(content), name="besar.pdf")
    uploaded.size = 10
    with pytest.raises(ValidationError) as error:
        services.add_file_evidence(
            cycle, agency, by=agency_user, uploaded_file=uploaded, title="Besar"
        )
    assert error.value.messages == ["Berkas terlalu besar: maksimal 100 KB."]
    assert uploaded.chunks_read == 2  # of 5: stopped in the chunk that passed the limit
    assert_nothing_stored(settings)


def test_a_second_upload_is_revision_2_and_keeps_revision_1(settings, cycle, agency, agency_user):
    first, second = pdf_bytes(1), pdf_bytes(2)
    evidence = add(cycle, agency, agency_user, "sk.pdf", first)
    revision = services.add_revision(
        evidence, by=agency_user, uploaded_file=upload("sk-perbaikan.pdf", second)
    )
    one, two = evidence.revisions.order_by("number")
    assert (one.number, two.number, revision) == (1, 2, two)
    assert (one.sha256, two.sha256) == (
        hashlib.sha256(first).hexdigest(),
        hashlib.sha256(second).hexdigest(),
    )
    assert two.original_name == "sk-perbaikan.pdf"
    assert stored_files(settings) == sorted([one.file.name, two.file.name])
    with one.file.open("rb") as stored:
        assert stored.read() == first
    event = AuditEvent.objects.get(action="evidence.revised")
    assert (event.before["revision"], event.after["revision"]) == (1, 2)
    assert (event.before["sha256"], event.after["sha256"]) == (one.sha256, two.sha256)


def test_a_refused_revision_leaves_the_evidence_as_it_was(settings, cycle, agency, agency_user):
    evidence = add(cycle, agency, agency_user, "sk.pdf", pdf_bytes())
    before = stored_files(settings)
    with pytest.raises(ValidationError) as error:
        services.add_revision(
            evidence, by=agency_user, uploaded_file=upload("sk.pdf", b"MZ" + b"\x00" * 300)
        )
    assert error.value.messages == [f"Jenis berkas tidak diizinkan: EXE; {ALLOWED}"]
    assert list(evidence.revisions.values_list("number", flat=True)) == [1]
    assert stored_files(settings) == before


def test_a_failure_after_storing_removes_the_stored_file(
    settings, cycle, agency, agency_user, submission
):
    # The answer was deleted meanwhile: attaching to it fails inside the transaction (the
    # attachment's row names no answer), after the file was written. Nothing must remain.
    submission.delete()
    with pytest.raises(IntegrityError):
        add(cycle, agency, agency_user, "sk.pdf", pdf_bytes(), submission=submission)
    assert_nothing_stored(settings)


def test_a_60_mb_upload_is_streamed_not_held_in_memory(settings, cycle, agency, agency_user):
    settings.EVIDENCE_MAX_BYTES = 100 * MB
    uploaded = TemporaryUploadedFile("pindaian.pdf", "application/pdf", 0, None)
    digest, size = hashlib.sha256(), 0
    block = (b"0123456789abcdef" * 65_536)[:MB]
    for part in [b"%PDF-1.4\n%", *([block] * 60), b"\n%%EOF\n"]:
        uploaded.file.write(part)
        digest.update(part)
        size += len(part)
    uploaded.file.flush()
    uploaded.size = size
    uploaded.seek(0)

    tracemalloc.start()
    try:
        evidence = services.add_file_evidence(
            cycle, agency, by=agency_user, uploaded_file=uploaded, title="Pindaian SK"
        )
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        uploaded.close()

    assert peak < 10 * MB
    revision = evidence.revisions.get()
    assert (revision.size, revision.sha256) == (size, digest.hexdigest())
    assert os.path.getsize(revision.file.path) == size
