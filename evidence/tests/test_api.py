"""The API of data dukung, per persona: the OPD's operator uploads (to a saved answer, or
to one not saved yet, which the first file creates), adds a revision and downloads; the
stored file's SHA-256 is the sent bytes'; a file is checked by its content, with the
page's words; another OPD's operator and another institution get 404."""

import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cycles.models import Assignment
from evidence import services
from evidence.models import Evidence, EvidenceRevision
from evidence.tests.helpers import image_bytes, pdf_bytes, stored_files, upload
from monev.testing import api_client
from submissions.models import Submission
from submissions.tests.conftest import pass_deadline

REFUSED = (
    "Jenis berkas tidak diizinkan: tidak dikenal; yang diterima PDF, JPG, PNG, DOCX, XLSX, "
    "ODT, ODS."
)
HTML_AS_PDF = b"<!doctype html><html><script>alert(1)</script></html>"


def evidence_url(submission):
    return f"/api/v1/submissions/{submission.pk}/evidence/"


def answer_evidence_url(cycle, agency, indicator):
    return f"/api/v1/cycles/{cycle.pk}/agencies/{agency.pk}/indicators/{indicator.pk}/evidence/"


def post_file(client, url, name, content, **fields):
    return client.post(url, {"file": upload(name, content), **fields}, format="multipart")


def sha256(content):
    return hashlib.sha256(content).hexdigest()


def stored_bytes(revision):
    with revision.file.open("rb") as opened:
        return opened.read()


@pytest.fixture
def assigned(cycle, agency, indicator):
    return Assignment.objects.get_or_create(cycle=cycle, agency=agency, indicator=indicator)[0]


def test_operator_uploads_a_file_and_its_stored_hash_is_the_sent_bytes(
    cycle, agency, agency_user, submission
):
    content = pdf_bytes(pages=3)
    response = post_file(
        api_client(agency_user),
        evidence_url(submission),
        "SK_Tim SPBE.pdf",
        content,
        document_date="2026-01-02",
    )
    assert response.status_code == 201
    body = response.json()
    revision = EvidenceRevision.objects.get(evidence_id=body["id"])
    assert (body["title"], body["kind"], body["document_date"]) == (
        "SK Tim SPBE",
        "file",
        "2026-01-02",
    )
    assert body["submissions"] == [submission.pk]
    assert [
        (r["number"], r["sha256"], r["size"], r["content_type"], r["original_name"])
        for r in body["revisions"]
    ] == [(1, sha256(content), len(content), "application/pdf", "SK_Tim SPBE.pdf")]
    assert revision.sha256 == sha256(stored_bytes(revision)) == sha256(content)
    assert list(submission.evidence.values_list("pk", flat=True)) == [body["id"]]


def test_the_first_file_creates_the_answer(cycle, agency, agency_user, indicator, assigned):
    content = image_bytes("PNG")
    response = post_file(
        api_client(agency_user), answer_evidence_url(cycle, agency, indicator), "foto.png", content
    )
    assert response.status_code == 201
    created = Submission.objects.get(cycle=cycle, agency=agency, indicator=indicator)
    assert (created.status, created.version) == ("draft", 0)
    assert response.json()["submissions"] == [created.pk]
    assert response.json()["revisions"][0]["sha256"] == sha256(content)


def test_a_non_pdf_named_pdf_is_refused_with_the_pages_message(
    settings, cycle, agency_user, submission
):
    response = post_file(
        api_client(agency_user), evidence_url(submission), "laporan.pdf", HTML_AS_PDF
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == REFUSED
    assert (Evidence.objects.count(), stored_files(settings)) == (0, [])


def test_an_upload_without_a_file_says_so(cycle, agency_user, submission):
    response = api_client(agency_user).post(
        evidence_url(submission), {"title": "SK"}, format="multipart"
    )
    assert (response.status_code, response.json()["detail"]) == (
        400,
        "Pilih berkas yang akan diunggah.",
    )


def test_after_the_deadline_the_upload_is_refused_in_the_pages_words(
    settings, cycle, agency_user, submission
):
    pass_deadline(cycle)
    response = post_file(api_client(agency_user), evidence_url(submission), "sk.pdf", pdf_bytes())
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Batas waktu pengisian OPD (")
    assert response.json()["detail"].endswith(
        "sudah lewat; data dukung hanya dapat diubah bila koordinator membuka kembali isian "
        "OPD ini."
    )
    assert (Evidence.objects.count(), stored_files(settings)) == (0, [])


def test_a_submitted_answer_keeps_its_evidence(cycle, agency_user, submission):
    client = api_client(agency_user)
    piece = post_file(client, evidence_url(submission), "sk.pdf", pdf_bytes()).json()
    Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.SUBMITTED)
    response = post_file(client, evidence_url(submission), "foto.png", image_bytes("PNG"))
    assert (response.status_code, response.json()["detail"]) == (
        400,
        "Isian yang sudah diajukan atau diterima tidak dapat diubah data dukungnya.",
    )
    revision_url = f"/api/v1/evidence/{piece['id']}/revisions/"
    response = post_file(client, revision_url, "sk-2.pdf", pdf_bytes(2))
    assert (response.status_code, response.json()["detail"]) == (
        400,
        "Data dukung ini mendukung isian yang sudah diajukan atau diterima; unggah sebagai "
        "data dukung baru.",
    )
    assert (Evidence.objects.count(), EvidenceRevision.objects.count()) == (1, 1)


def test_messages_in_english_when_asked(cycle, agency_user, submission):
    response = api_client(agency_user).post(
        evidence_url(submission),
        {"file": upload("laporan.pdf", HTML_AS_PDF)},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "File type not allowed: unknown; accepted types: PDF, JPG, PNG, DOCX, XLSX, ODT, ODS."
    )


def test_the_same_file_twice_is_one_piece(cycle, agency_user, submission):
    client = api_client(agency_user)
    content = pdf_bytes()
    first = post_file(client, evidence_url(submission), "sk.pdf", content)
    again = post_file(client, evidence_url(submission), "sk.pdf", content)
    assert again.json()["id"] == first.json()["id"]
    assert Evidence.objects.count() == 1


def test_list_gives_letters_revisions_newest_first_and_hashes(
    cycle, agency, agency_user, coordinator, submission
):
    client = api_client(agency_user)
    first = post_file(client, evidence_url(submission), "sk.pdf", pdf_bytes()).json()
    second = post_file(client, evidence_url(submission), "foto.png", image_bytes("PNG")).json()
    revised = pdf_bytes(pages=2)
    revision = client.post(
        f"/api/v1/evidence/{first['id']}/revisions/",
        {"file": upload("sk-2.pdf", revised)},
        format="multipart",
    )
    assert revision.status_code == 201
    assert (revision.json()["number"], revision.json()["sha256"]) == (2, sha256(revised))
    for user in (agency_user, coordinator):
        rows = api_client(user).get(evidence_url(submission)).json()["results"]
        assert [(row["letter"], row["id"]) for row in rows] == [
            ("a", first["id"]),
            ("b", second["id"]),
        ]
        assert [(r["number"], r["sha256"]) for r in rows[0]["revisions"]] == [
            (2, sha256(revised)),
            (1, first["revisions"][0]["sha256"]),
        ]


def test_the_same_revision_again_answers_the_latest(cycle, agency_user, submission):
    client = api_client(agency_user)
    piece = post_file(client, evidence_url(submission), "sk.pdf", pdf_bytes()).json()
    url = f"/api/v1/evidence/{piece['id']}/revisions/"
    revised = pdf_bytes(pages=2)
    client.post(url, {"file": upload("sk.pdf", revised)}, format="multipart")
    again = client.post(url, {"file": upload("sk.pdf", revised)}, format="multipart")
    assert again.json()["number"] == 2
    assert EvidenceRevision.objects.count() == 2


def test_download_streams_the_stored_bytes(cycle, agency_user, evaluator, submission):
    content = pdf_bytes(pages=2)
    piece = post_file(api_client(agency_user), evidence_url(submission), "sk.pdf", content).json()
    url = piece["revisions"][0]["download_url"]
    assert url == f"/api/v1/evidence/revisions/{piece['revisions'][0]['id']}/download/"
    response = api_client(evaluator).get(url, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response.streaming
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="36.a.sk.pdf"'


def test_another_opds_operator_gets_404(
    cycle, agency, agency_user, other_agency_user, submission, indicator, assigned
):
    piece = post_file(api_client(agency_user), evidence_url(submission), "sk.pdf", pdf_bytes())
    piece = piece.json()
    client = api_client(other_agency_user)
    assert client.get(evidence_url(submission)).status_code == 404
    assert post_file(client, evidence_url(submission), "x.pdf", pdf_bytes(2)).status_code == 404
    url = answer_evidence_url(cycle, agency, indicator)
    assert post_file(client, url, "x.pdf", pdf_bytes(2)).status_code == 404
    assert client.get(f"/api/v1/evidence/{piece['id']}/").status_code == 404
    revision_url = f"/api/v1/evidence/{piece['id']}/revisions/"
    assert post_file(client, revision_url, "x.pdf", pdf_bytes(2)).status_code == 404
    assert client.get(piece["revisions"][0]["download_url"]).status_code == 404
    assert Evidence.objects.count() == EvidenceRevision.objects.count() == 1


def test_another_institution_gets_404(cycle, agency, agency_user, outsider, submission):
    piece = post_file(api_client(agency_user), evidence_url(submission), "sk.pdf", pdf_bytes())
    piece = piece.json()
    client = api_client(outsider)
    assert client.get(evidence_url(submission)).status_code == 404
    assert post_file(client, evidence_url(submission), "x.pdf", pdf_bytes(2)).status_code == 404
    response = client.get(piece["revisions"][0]["download_url"])
    assert (response.status_code, response["Content-Type"]) == (404, "application/problem+json")


def test_an_id_no_row_can_have_is_404(cycle, agency, agency_user, indicator):
    huge = 2**64
    client = api_client(agency_user)
    assert client.get(f"/api/v1/submissions/{huge}/evidence/").status_code == 404
    url = answer_evidence_url(cycle, agency, indicator).replace(f"/{indicator.pk}/", f"/{huge}/")
    assert post_file(client, url, "sk.pdf", pdf_bytes()).status_code == 404
    assert client.get(f"/api/v1/evidence/revisions/{huge}/download/").status_code == 404


def test_evaluator_may_read_but_not_upload(
    cycle, agency, evaluator, submission, indicator, assigned
):
    client = api_client(evaluator)
    assert client.get(evidence_url(submission)).json()["results"] == []
    assert post_file(client, evidence_url(submission), "sk.pdf", pdf_bytes()).status_code == 403
    url = answer_evidence_url(cycle, agency, indicator)
    assert post_file(client, url, "sk.pdf", pdf_bytes()).status_code == 403
    assert Evidence.objects.count() == 0


def test_coordinator_uploads_to_an_answer_but_does_not_create_one(
    cycle, agency, coordinator, submission, indicator, other_agency
):
    client = api_client(coordinator)
    assert post_file(client, evidence_url(submission), "sk.pdf", pdf_bytes()).status_code == 201
    Assignment.objects.get_or_create(cycle=cycle, agency=other_agency, indicator=indicator)
    url = answer_evidence_url(cycle, other_agency, indicator)
    assert post_file(client, url, "sk.pdf", pdf_bytes(2)).status_code == 403


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


def test_list_reads_a_fixed_number_of_queries(cycle, agency, agency_user, coordinator, submission):
    def add(pages):
        return services.add_file_evidence(
            cycle,
            agency,
            by=agency_user,
            uploaded_file=upload("sk.pdf", pdf_bytes(pages)),
            title="",
            submission=submission,
        )

    client = api_client(coordinator)
    # The token's first use writes its last_used_at; the process keeps the framework's tree.
    client.get(evidence_url(submission))
    add(1)
    add(2)
    before = _count(client, evidence_url(submission))
    for pages in (3, 4, 5, 6):
        piece = add(pages)
        services.add_revision(piece, by=agency_user, uploaded_file=upload("b.pdf", pdf_bytes(9)))
    after = _count(client, evidence_url(submission))
    assert (before[1], after[1]) == (2, 6)
    assert after[0] == before[0]
