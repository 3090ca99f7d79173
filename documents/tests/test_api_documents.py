"""The documents API: the register for the institution's staff, downloads served as
stored, and the public verification by code with the page's answer; constant query counts."""

import datetime
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from audit.models import AuditEvent
from documents import verification
from documents.models import Document
from documents.views import download_name
from monev.testing import api_client

CONTENT = b"%PDF-1.7 Berita Acara, isi asli" * 200


@pytest.fixture
def document(make_document, cycle):
    document = make_document(CONTENT, cycle=cycle)
    # Generated on the 21st at 23:30 UTC: the 22nd in Pontianak (WIB).
    Document.objects.filter(pk=document.pk).update(
        generated_at=datetime.datetime(2026, 11, 21, 23, 30, tzinfo=datetime.UTC)
    )
    return Document.objects.get(pk=document.pk)


@pytest.fixture
def foreign_document(make_document, other_institution, outsider):
    return make_document(
        b"%PDF-1.7 lain", institution=other_institution, by=outsider, source="letters.letter:99"
    )


# --- The register ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("supervisor", 200),
        ("secretariat", 200),
        ("evaluator", 200),
        ("leader", 200),
        ("admin_user", 200),
        ("agency_user", 404),
        ("other_agency_user", 404),
        ("outsider", 404),
    ],
)
def test_documents_per_role(request, document, cycle, persona, status):
    """The register is a filter over what the caller may read: the staff see the document,
    anyone else an empty list (another institution's staff their own register), also when
    naming our cycle; the document itself is a 404 to them."""
    client = api_client(request.getfixturevalue(persona))
    expected = [document.pk] if status == 200 else []
    for query in ("", f"?cycle={cycle.pk}"):
        listed = client.get(f"/api/v1/documents/{query}")
        assert (listed.status_code, [row["id"] for row in listed.json()["results"]]) == (
            200,
            expected,
        )
    for path in (
        f"/api/v1/documents/{document.pk}/",
        f"/api/v1/documents/{document.pk}/download/",
    ):
        assert client.get(path).status_code == status, path


def test_the_register_lists_the_cycles_documents(document, make_document, cycle, coordinator):
    newer = make_document(b"%PDF-1.7 versi dua", cycle=cycle)
    make_document(b"%PDF-1.7 tanpa periode", source="letters.letter:13")

    body = api_client(coordinator).get("/api/v1/documents/", {"cycle": cycle.pk}).json()

    assert [(row["id"], row["version"]) for row in body["results"]] == [
        (newer.pk, 2),
        (document.pk, 1),
    ]
    row = body["results"][1]
    assert row["sha256"] == hashlib.sha256(CONTENT).hexdigest()
    assert (row["title"], row["number"], row["format"]) == (
        "Surat Permohonan Data",
        "005/12/DISKOMINFO/2026",
        "pdf",
    )
    assert row["generated_by"] == "Rina Koordinator"
    assert row["download"] == f"/api/v1/documents/{document.pk}/download/"


def test_the_register_filters_by_kind_and_format(make_document, cycle, coordinator):
    make_document(b"PK xlsx", cycle=cycle, kind="recap", source="recap:1", format="xlsx")
    letter = make_document(b"%PDF-1.7", cycle=cycle)
    client = api_client(coordinator)

    assert [
        r["id"]
        for r in client.get("/api/v1/documents/?kind=letter.permohonan_data").json()["results"]
    ] == [letter.pk]
    assert client.get("/api/v1/documents/?file_format=xlsx").json()["count"] == 1


def test_another_institutions_documents_are_404_and_list_only_their_own(
    document, foreign_document, cycle, outsider, coordinator
):
    client = api_client(coordinator)
    assert client.get(f"/api/v1/documents/{foreign_document.pk}/").status_code == 404
    assert client.get(f"/api/v1/documents/{foreign_document.pk}/download/").status_code == 404
    assert [row["id"] for row in client.get("/api/v1/documents/").json()["results"]] == [
        document.pk
    ]
    theirs = api_client(outsider).get("/api/v1/documents/")
    assert [row["id"] for row in theirs.json()["results"]] == [foreign_document.pk]
    named = api_client(outsider).get(f"/api/v1/documents/?cycle={cycle.pk}")
    assert (named.status_code, named.json()["results"]) == (200, [])


def test_download_is_the_stored_file_byte_for_byte(document, coordinator):
    response = api_client(coordinator).get(f"/api/v1/documents/{document.pk}/download/")

    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content == CONTENT
    assert hashlib.sha256(content).hexdigest() == document.sha256
    assert response["Content-Disposition"] == f'attachment; filename="{download_name(document)}"'
    assert download_name(document) == "surat-permohonan-data-005-12-diskominfo-2026-v1.pdf"
    # Served, not made again: no new version, no generation event.
    assert Document.objects.count() == 1
    assert AuditEvent.objects.filter(action="document.generated").count() == 1


@pytest.mark.parametrize("count", [2, 12])
def test_register_query_count_is_constant(
    make_document, cycle, coordinator, django_assert_num_queries, count
):
    for number in range(count):
        make_document(f"%PDF-1.7 {number}".encode(), cycle=cycle, source=f"letters.letter:{number}")
    client = api_client(coordinator)
    path = f"/api/v1/documents/?cycle={cycle.pk}"
    client.get(path)  # the token's first use is written once
    # token (with its user's institution), memberships, count, page
    with django_assert_num_queries(4):
        assert client.get(path).json()["count"] == count


# --- Public verification ---------------------------------------------------------------------


def verify_path(code):
    return f"/api/v1/documents/verify/{code}/"


def test_verify_answers_what_the_page_shows_to_anyone(document):
    response = APIClient().get(verify_path(document.code))

    assert response.status_code == 200
    body = response.json()
    assert body == {
        "code": document.code,
        "title": "Surat Permohonan Data",
        "number": "005/12/DISKOMINFO/2026",
        "version": 1,
        "generated_at": body["generated_at"],
        "date": "22 November 2026",
        "institution": "Pemerintah Kota Pontianak",
        "sha256": hashlib.sha256(CONTENT).hexdigest(),
        "successor": None,
    }
    assert body["generated_at"].startswith("2026-11-22T06:30:00")  # WIB


def test_verify_takes_a_code_as_typed_by_hand(document):
    typed = f"{document.code[:4].lower()}-{document.code[4:].lower()} "
    body = APIClient().get(verify_path(typed)).json()
    assert body["code"] == document.code


def test_verify_names_the_successor(document, make_document, cycle):
    newer = make_document(b"%PDF-1.7 versi dua", cycle=cycle)
    body = APIClient().get(verify_path(document.code)).json()
    successor = body["successor"]
    assert successor["version"] == 2
    assert datetime.datetime.fromisoformat(successor["generated_at"]) == newer.generated_at


def test_unknown_code_is_404_problem(db):
    response = APIClient().get(verify_path("ZZZZZZZZZZ"))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_a_copy_is_compared_with_the_original(document):
    client = APIClient()
    same = client.post(
        verify_path(document.code),
        {"file": SimpleUploadedFile("salinan.pdf", CONTENT)},
        format="multipart",
    )
    changed = client.post(
        verify_path(document.code),
        {"file": SimpleUploadedFile("ubahan.pdf", CONTENT + b" ")},
        format="multipart",
    )

    assert same.status_code == changed.status_code == 200
    assert same.json()["copy"] == {
        "name": "salinan.pdf",
        "sha256": document.sha256,
        "identical": True,
    }
    assert changed.json()["copy"]["identical"] is False
    assert changed.json()["copy"]["sha256"] == hashlib.sha256(CONTENT + b" ").hexdigest()


def test_a_copy_too_large_is_413(document, monkeypatch):
    monkeypatch.setattr(verification, "MAX_COPY_BYTES", 1000)
    response = APIClient().post(
        verify_path(document.code),
        {"file": SimpleUploadedFile("besar.pdf", CONTENT)},
        format="multipart",
    )
    assert response.status_code == 413
    assert response.json()["status"] == 413


def test_a_post_without_a_file_is_400(document):
    response = APIClient().post(verify_path(document.code), {}, format="multipart")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["file"]
