import hashlib
import re

import pytest

from audit.models import AuditEvent
from documents.models import Document
from documents.queries import latest_documents
from documents.services import store_document

SOURCE = "letters.letter:12"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def store(institution, by, content, *, format="pdf", source=SOURCE):
    return store_document(
        institution=institution,
        kind="letter",
        source=source,
        format=format,
        title="Surat Undangan/../../etc",
        number="005/12/DISKOMINFO/2026",
        content=content,
        by=by,
    )


@pytest.mark.django_db
def test_store_document_versions_hash_and_file(institution, coordinator, media_root):
    first = store(institution, coordinator, b"%PDF-1 first")
    second = store(institution, coordinator, b"%PDF-1 second, longer")

    assert (first.version, second.version) == (1, 2)
    assert second.sha256 == hashlib.sha256(b"%PDF-1 second, longer").hexdigest()
    assert second.size == 21
    assert second.generated_by == coordinator
    assert second.institution == institution
    assert second.number == "005/12/DISKOMINFO/2026"
    assert re.fullmatch(r"documents/\d{4}/[0-9a-f]{32}\.pdf", second.file.name)
    assert first.file.name != second.file.name
    assert (media_root / second.file.name).read_bytes() == b"%PDF-1 second, longer"
    with Document.objects.get(pk=first.pk).file.open("rb") as stored:
        assert stored.read() == b"%PDF-1 first"


@pytest.mark.django_db
def test_store_document_writes_audit_event(institution, coordinator):
    document = store(institution, coordinator, b"PK docx bytes", format="docx")

    event = AuditEvent.objects.get(action="document.generated")
    assert event.actor == coordinator
    assert event.institution == institution
    assert event.target == f"documents.document:{document.pk}"
    assert event.after == {
        "title": "Surat Undangan/../../etc",
        "kind": "letter",
        "source": SOURCE,
        "format": "docx",
        "version": 1,
        "number": "005/12/DISKOMINFO/2026",
        "size": 13,
        "sha256": hashlib.sha256(b"PK docx bytes").hexdigest(),
        "code": document.code,
        "file": document.file.name,
    }


@pytest.mark.django_db
def test_store_document_versions_per_format_and_source(institution, coordinator):
    store(institution, coordinator, b"a")
    store(institution, coordinator, b"b")
    docx = store(institution, coordinator, b"c", format="docx")
    other = store(institution, coordinator, b"d", source="letters.letter:13")

    assert (docx.version, other.version) == (1, 1)


@pytest.mark.django_db
def test_store_document_refuses_unknown_format(institution, coordinator):
    with pytest.raises(ValueError, match="Unknown document format"):
        store(institution, coordinator, b"x", format="exe")
    assert Document.objects.count() == 0


@pytest.mark.django_db
def test_latest_documents_newest_version_per_format(institution, coordinator):
    store(institution, coordinator, b"pdf 1")
    pdf_2 = store(institution, coordinator, b"pdf 2")
    docx_1 = store(institution, coordinator, b"docx 1", format="docx")
    store(institution, coordinator, b"other", source="letters.letter:13")

    assert list(latest_documents(SOURCE)) == [docx_1, pdf_2]
