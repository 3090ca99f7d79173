"""The panel's script's upload (evidence/panel.js, header X-Evidence-Rows): answered with the
outcome and the stored file's row only, which the script puts in the panel it shows; the
whole panel when the file creates the answer; a plain post ignores the header."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evidence.models import Evidence
from evidence.tests.helpers import docx_bytes, pdf_bytes, stored_files, upload
from monev.testing import chain_lock_queries
from submissions.models import Submission

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/isian/7/"}
ROWS = {**HTMX, "HTTP_X_EVIDENCE_ROWS": "1"}
SUCCESS = '<p class="message message-success" role="status">Berkas data dukung diunggah.</p>'
REFUSED = (
    "Jenis berkas tidak diizinkan: tidak dikenal; yang diterima PDF, JPG, PNG, DOCX, XLSX, "
    "ODT, ODS."
)


def rows_of(html):
    """The evidence pks of the items in an answer, in order."""
    return [int(pk) for pk in re.findall(r'<li class="evidence-item[^"]*" id="bukti-(\d+)"', html)]


def templates(response):
    return [template.name for template in response.templates][:1]


def test_the_scripts_upload_gets_the_outcome_and_the_new_row_only(
    client, agency_user, submission, evidence
):
    client.force_login(agency_user)
    response = client.post(
        reverse("evidence_upload", args=[submission.pk]),
        {"file": upload("kebijakan.docx", docx_bytes()), "title": "Perwa Kepegawaian"},
        **ROWS,
    )
    assert (response.status_code, templates(response)) == (200, ["evidence/_panel_rows.html"])
    new = Evidence.objects.exclude(pk=evidence.pk).get()
    assert list(submission.evidence.order_by("title")) == [new, evidence]
    html = response.content.decode()
    assert html.startswith(
        f'<div class="evidence-panel-rows" data-panel="data-dukung-{submission.pk}">'
    )
    assert SUCCESS in html
    assert rows_of(html) == [new.pk]
    # Lettered by its place among all the answer's attachments, as the whole panel does.
    assert (
        f'id="bukti-{new.pk}" data-reference="Dokumen 36.b" data-title="Perwa Kepegawaian" '
        'data-position="1">'
    ) in html
    assert "36.b.Perwa-Kepegawaian.docx" in html
    assert 'name="next" value="/isian/7/"' in html
    # Nothing else of the panel: no other piece, no upload or link form.
    assert "SK Kepegawaian" not in html
    assert "evidence-upload" not in html and "evidence-link" not in html


def test_the_same_file_again_answers_the_row_already_there(
    client, agency_user, submission, evidence
):
    client.force_login(agency_user)
    response = client.post(
        reverse("evidence_upload", args=[submission.pk]),
        {"file": upload("sk lagi.pdf", pdf_bytes())},
        **ROWS,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert (SUCCESS in html, rows_of(html)) == (True, [evidence.pk])
    assert 'data-reference="Dokumen 36.a" data-title="SK Kepegawaian" data-position="0"' in html
    assert list(Evidence.objects.all()) == [evidence]


def test_a_refused_file_answers_422_with_the_reason_only(
    settings, client, agency_user, submission, evidence
):
    files = stored_files(settings)
    client.force_login(agency_user)
    response = client.post(
        reverse("evidence_upload", args=[submission.pk]),
        {"file": upload("laporan.pdf", b"<!doctype html><html></html>")},
        **ROWS,
    )
    assert (response.status_code, templates(response)) == (422, ["evidence/_panel_rows.html"])
    html = response.content.decode()
    assert (
        f'<p class="message message-error" role="alert" id="data-dukung-{submission.pk}-galat">'
        f"{REFUSED}</p>"
    ) in html
    assert (rows_of(html), "evidence-items" in html, "message-success" in html) == (
        [],
        False,
        False,
    )
    assert list(Evidence.objects.all()) == [evidence]
    assert stored_files(settings) == files


def test_a_plain_post_ignores_the_header_and_redirects(client, agency_user, submission):
    client.force_login(agency_user)
    response = client.post(
        reverse("evidence_upload", args=[submission.pk]),
        {"file": upload("sk.pdf", pdf_bytes()), "next": "/isian/7/"},
        HTTP_X_EVIDENCE_ROWS="1",
    )
    assert (response.status_code, response.url) == (302, "/isian/7/")
    assert submission.evidence.count() == 1


def test_without_the_header_htmx_still_gets_the_whole_panel(client, agency_user, submission):
    client.force_login(agency_user)
    response = client.post(
        reverse("evidence_upload", args=[submission.pk]),
        {"file": upload("sk.pdf", pdf_bytes())},
        **HTMX,
    )
    assert (response.status_code, templates(response)) == (200, ["evidence/_panel.html"])


def test_before_the_answer_exists_every_file_gets_the_whole_panel(
    client, cycle, agency, agency_user, indicator
):
    """The panel of an answer not saved yet asks for no rows (its form has no `data-rows`),
    and the answer-scoped upload answers the whole panel even when asked."""
    url = reverse("evidence_answer_upload", args=[cycle.pk, agency.pk, indicator.pk])
    client.force_login(agency_user)
    page = client.get(f"/isian/{cycle.pk}/opd/{agency.pk}/indikator/{indicator.pk}/")
    assert f'action="{url}" enctype="multipart/form-data">' in page.content.decode()
    for name in ("SK.pdf", "Notulen.pdf"):
        response = client.post(url, {"file": upload(name, pdf_bytes() + name.encode())}, **ROWS)
        assert (response.status_code, templates(response)) == (200, ["evidence/_panel.html"])
    submission = Submission.objects.get()
    # The forms of the whole panel now post to the saved answer's URLs, asking for rows.
    assert (
        f'action="/bukti/isian/{submission.pk}/unggah/" enctype="multipart/form-data" data-rows>'
    ) in response.content.decode()
    assert submission.evidence.count() == 2


def test_the_rows_answer_runs_a_fixed_number_of_queries(client, agency_user, submission):
    url = reverse("evidence_upload", args=[submission.pk])
    client.force_login(agency_user)
    counts = []
    for number in range(6):
        name = f"Dokumen {number}.pdf"
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, {"file": upload(name, pdf_bytes() + name.encode())}, **ROWS)
        assert response.status_code == 200
        counts.append(len(queries))
    assert submission.evidence.count() == 6
    # After the first (which reads what the process keeps): session, user, the answer,
    # roles, the window; the check that the OPD takes part; in a transaction (a savepoint
    # and its release in a test): the answer locked, the same file, the evidence, its
    # revision, the attachment, the chain's head and the event; the new row (the answer's
    # attachments, the evidence, its revisions). + the chain's lock on PostgreSQL.
    assert counts[1:] == [18 + chain_lock_queries()] * 5
