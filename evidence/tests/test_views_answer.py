"""The answer-scoped endpoints (before the answer exists), several files in one plain post,
the title/date edit, the references event on detach, and the preview's headers — each
checked for the personas who must get 404."""

import json

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evidence import services
from evidence.models import Evidence, EvidenceRevision
from evidence.queries import answer_panel
from evidence.tests.helpers import docx_bytes, image_bytes, pdf_bytes, stored_files, upload
from evidence.views import PREVIEW_POLICY
from institutions.models import User
from monev.testing import chain_lock_queries, make_user
from submissions.models import Submission

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/isian/7/"}
HTML_AS_PDF = b"<!doctype html><html><script>alert(1)</script></html>"
REFUSED = (
    "Jenis berkas tidak diizinkan: tidak dikenal; yang diterima PDF, JPG, PNG, DOCX, XLSX, "
    "ODT, ODS."
)


def login(client, user):
    client.force_login(user)
    return client


def answer_url(name, cycle, agency, indicator):
    return reverse(name, args=[cycle.pk, agency.pk, indicator.pk])


def texts(response):
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


# --- Before the answer exists -------------------------------------------------------------


def test_a_plain_post_of_several_files_stores_each_good_one(
    settings, client, cycle, agency, agency_user, indicator
):
    response = login(client, agency_user).post(
        answer_url("evidence_answer_upload", cycle, agency, indicator),
        {
            "file": [
                upload("SK_Tim.pdf", pdf_bytes()),
                upload("laporan.pdf", HTML_AS_PDF),
                upload("Foto rapat.png", image_bytes("PNG")),
            ]
        },
    )
    edit = f"/isian/{cycle.pk}/opd/{agency.pk}/indikator/{indicator.pk}/"
    assert (response.status_code, response.url) == (302, edit)
    assert texts(response) == [
        ("error", f"laporan.pdf: {REFUSED}"),
        ("success", "2 berkas data dukung diunggah."),
    ]
    submission = Submission.objects.get()
    assert (submission.status, submission.version) == ("draft", 0)
    assert sorted(submission.evidence.values_list("title", flat=True)) == ["Foto rapat", "SK Tim"]
    assert len(stored_files(settings)) == 2


def test_an_htmx_upload_answers_with_the_saved_answers_panel(
    client, cycle, agency, agency_user, indicator
):
    response = login(client, agency_user).post(
        answer_url("evidence_answer_upload", cycle, agency, indicator),
        {"file": upload("SK.pdf", pdf_bytes())},
        **HTMX,
    )
    assert response.status_code == 200
    submission = Submission.objects.get()
    html = response.content.decode()
    # From now on the panel posts to the saved answer's URLs.
    assert f'action="/bukti/isian/{submission.pk}/unggah/"' in html
    assert 'data-reference="Dokumen 36.a" data-title="SK"' in html


def test_the_first_and_second_file_of_an_answer_run_a_fixed_number_of_queries(
    client, cycle, agency, agency_user, indicator
):
    """The load test's upload: a page opened before the answer was saved posts here."""
    url = answer_url("evidence_answer_upload", cycle, agency, indicator)
    login(client, agency_user)
    counts = []
    for name in ("SK.pdf", "Notulen.pdf"):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, {"file": upload(name, pdf_bytes() + name.encode())}, **HTMX)
        assert "message-success" in response.content.decode()
        counts.append(len(queries))
    # Session, user, roles, the cycle with the OPD, the assignment; the window (read once
    # for the checks and the refreshed panel); the checks (the OPD takes part, the
    # indicator is assigned); in a transaction (a savepoint in a test): the answer read
    # locked (the first time created in a savepoint of its own, with its audit event: the
    # chain's head and the event), the same file, the evidence, its revision, the
    # attachment, the chain's head and the event; the refreshed panel (the answer, its
    # attachments, the evidence, revisions). + the chain's lock per event on PostgreSQL.
    assert counts == [26 + 2 * chain_lock_queries(), 21 + chain_lock_queries()]


def test_an_htmx_upload_refused_answers_422_and_creates_nothing(
    client, cycle, agency, agency_user, indicator
):
    response = login(client, agency_user).post(
        answer_url("evidence_answer_upload", cycle, agency, indicator),
        {"file": upload("laporan.pdf", HTML_AS_PDF)},
        **HTMX,
    )
    assert response.status_code == 422
    assert REFUSED in response.content.decode()
    assert (Submission.objects.count(), Evidence.objects.count()) == (0, 0)


def test_a_link_before_the_answer_exists(client, cycle, agency, agency_user, indicator):
    url = answer_url("evidence_answer_link", cycle, agency, indicator)
    client = login(client, agency_user)
    response = client.post(url, {"url": "https://x.go.id", "title": ""}, **HTMX)
    assert "Judul dokumen wajib diisi." in response.content.decode()
    assert Submission.objects.count() == 0
    response = client.post(url, {"url": "https://simpeg.go.id", "title": "SIMPEG"})
    assert texts(response) == [("success", "Tautan data dukung ditambahkan.")]
    assert list(Submission.objects.get().evidence.values_list("url", flat=True)) == [
        "https://simpeg.go.id"
    ]


@pytest.mark.parametrize(
    "persona", ["other_agency_user", "outsider", "coordinator", "evaluator", "foreign_operator"]
)
def test_the_answer_endpoints_are_404_for_everyone_but_the_opds_operator(
    settings, request, client, cycle, agency, indicator, persona, foreign_agency
):
    if persona == "foreign_operator":
        user = make_user(foreign_agency.institution, "pkp-opd", "agency", agency=foreign_agency)
    else:
        user = request.getfixturevalue(persona)
    client = login(client, user)
    for name, data in [
        ("evidence_answer_upload", {"file": upload("sk.pdf", pdf_bytes())}),
        ("evidence_answer_link", {"url": "https://x.go.id", "title": "X"}),
    ]:
        response = client.post(answer_url(name, cycle, agency, indicator), data)
        assert response.status_code == 404, name
    assert (Submission.objects.count(), Evidence.objects.count()) == (0, 0)
    assert stored_files(settings) == []


def test_an_unassigned_indicator_is_404(client, cycle, agency, agency_user, indicator):
    cycle.assignments.filter(indicator=indicator, agency=agency).delete()
    url = answer_url("evidence_answer_upload", cycle, agency, indicator)
    response = login(client, agency_user).post(url, {"file": upload("sk.pdf", pdf_bytes())})
    assert response.status_code == 404
    assert Submission.objects.count() == 0


def test_the_answer_panel_before_the_answer_runs_a_fixed_number_of_queries(
    cycle, agency, agency_user, indicator, coordinator
):
    # Fresh objects, as a request has them.
    user = User.objects.get(pk=agency_user.pk)
    cycle = type(cycle).objects.select_related("institution").get(pk=cycle.pk)
    with CaptureQueriesContext(connection) as queries:
        panel = answer_panel(cycle, agency, indicator, None, user)
    assert (panel.submission, panel.items, panel.can_edit, panel.locked) == (None, [], True, False)
    assert panel.upload_url == answer_url("evidence_answer_upload", cycle, agency, indicator)
    assert panel.link_url == answer_url("evidence_answer_link", cycle, agency, indicator)
    assert panel.attach_url == ""
    # memberships, the finished SOP steps 4 and 8
    assert len(queries) == 2
    # The coordinator sees it but cannot create the OPD's answer.
    assert answer_panel(cycle, agency, indicator, None, coordinator).can_edit is False


# --- On a saved answer ------------------------------------------------------------------------


@pytest.fixture
def pieces(submission, agency_user):
    return [
        services.add_file_evidence(
            submission.cycle,
            submission.agency,
            by=agency_user,
            uploaded_file=upload(f"{title}.pdf", pdf_bytes() + title.encode()),
            title=title,
            submission=submission,
        )
        for title in ("Perwa", "SK Tim", "Notulen")
    ]


def test_detach_sends_the_rewritten_text_to_the_open_form(client, agency_user, submission, pieces):
    Submission.objects.filter(pk=submission.pk).update(
        fakta="Lihat Dokumen 36.b dan Dokumen 36.c.", analisis="Dokumen 36.a.", version=3
    )
    url = reverse("evidence_detach", args=[submission.pk, pieces[0].pk])
    response = login(client, agency_user).post(url, **HTMX)
    assert json.loads(response["HX-Trigger"]) == {
        "dataDukungBerubah": {
            "version": 4,
            "fakta": "Lihat Dokumen 36.a dan Dokumen 36.b.",
            "analisis": "“Perwa” (dilepas).",
        }
    }
    assert response["HX-Trigger"].isascii()
    html = response.content.decode()
    assert 'data-reference="Dokumen 36.a" data-title="SK Tim"' in html
    assert 'data-reference="Dokumen 36.b" data-title="Notulen"' in html

    # Nothing cited: no event.
    Submission.objects.filter(pk=submission.pk).update(fakta="", analisis="")
    url = reverse("evidence_detach", args=[submission.pk, pieces[2].pk])
    assert "HX-Trigger" not in client.post(url, **HTMX)


def test_edit_through_the_panel(client, agency_user, submission, pieces):
    url = reverse("evidence_edit", args=[submission.pk, pieces[1].pk])
    client = login(client, agency_user)
    response = client.post(url, {"title": "", "document_date": ""}, **HTMX)
    assert "Judul dokumen wajib diisi." in response.content.decode()
    response = client.post(url, {"title": "SK Tim SPBE", "document_date": "2025-01-10"}, **HTMX)
    html = response.content.decode()
    assert "“SK Tim SPBE” disimpan." in html
    assert 'data-reference="Dokumen 36.b" data-title="SK Tim SPBE"' in html
    assert "10 Januari 2025" in html


@pytest.mark.parametrize(
    ("persona", "status"), [("other_agency_user", 404), ("outsider", 404), ("evaluator", 403)]
)
def test_others_cannot_edit(request, client, submission, pieces, persona, status):
    url = reverse("evidence_edit", args=[submission.pk, pieces[0].pk])
    response = login(client, request.getfixturevalue(persona)).post(url, {"title": "X"})
    assert response.status_code == status
    assert Evidence.objects.get(pk=pieces[0].pk).title == "Perwa"


# --- Preview ----------------------------------------------------------------------------------


def add(submission, user, name, content):
    evidence = services.add_file_evidence(
        submission.cycle,
        submission.agency,
        by=user,
        uploaded_file=upload(name, content),
        title="",
        submission=submission,
    )
    return evidence.revisions.get()


@pytest.mark.parametrize(
    ("name", "content", "content_type", "export_name"),
    [
        ("SK.pdf", pdf_bytes(), "application/pdf", "36.a.SK.pdf"),
        ("Foto.png", image_bytes("PNG"), "image/png", "36.a.Foto.png"),
        ("Foto.jpeg", image_bytes("JPEG"), "image/jpeg", "36.a.Foto.jpg"),
    ],
)
def test_the_preview_shows_pdf_and_images_inline(
    client, submission, agency_user, evaluator, name, content, content_type, export_name
):
    revision = add(submission, agency_user, name, content)
    url = reverse("evidence_preview", args=[revision.pk]) + f"?isian={submission.pk}"
    response = login(client, evaluator).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'inline; filename="{export_name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == PREVIEW_POLICY
    assert "sandbox" not in PREVIEW_POLICY and "default-src 'none'" in PREVIEW_POLICY


def test_an_office_document_is_only_ever_downloaded(client, submission, agency_user):
    revision = add(submission, agency_user, "Kebijakan.docx", docx_bytes())
    client = login(client, agency_user)
    url = reverse("evidence_preview", args=[revision.pk])
    response = client.get(f"{url}?isian={submission.pk}")
    download = reverse("evidence_download", args=[revision.pk])
    assert (response.status_code, response.url) == (302, f"{download}?isian={submission.pk}")
    response = client.get(response.url)
    assert response["Content-Disposition"] == 'attachment; filename="36.a.Kebijakan.docx"'


def test_no_path_serves_html_inline(client, submission, agency_user):
    """Even a revision row that claims text/html (never written by an upload: the content
    decides) is downloaded as an attachment, never shown."""
    revision = add(submission, agency_user, "SK.pdf", pdf_bytes())
    EvidenceRevision.objects.filter(pk=revision.pk).update(content_type="text/html")
    client = login(client, agency_user)
    preview = client.get(reverse("evidence_preview", args=[revision.pk]))
    assert (preview.status_code, preview.url) == (
        302,
        reverse("evidence_download", args=[revision.pk]),
    )
    download = client.get(preview.url)
    assert download["Content-Disposition"].startswith("attachment;")
    # An HTML page renamed .pdf never becomes a revision in the first place.
    response = client.post(
        reverse("evidence_upload", args=[submission.pk]),
        {"file": upload("laporan.pdf", HTML_AS_PDF, "application/pdf")},
    )
    assert texts(response) == [("error", REFUSED)]
    assert list(EvidenceRevision.objects.values_list("content_type", flat=True)) == ["text/html"]


def test_the_preview_is_404_for_another_opd_and_another_institution(
    client, submission, agency_user, other_agency_user, outsider
):
    revision = add(submission, agency_user, "SK.pdf", pdf_bytes())
    url = reverse("evidence_preview", args=[revision.pk])
    assert login(client, other_agency_user).get(url).status_code == 404
    assert login(client, outsider).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
