"""The panel's endpoints (HTMX and plain form), the reuse page and the download view,
checked for every persona."""

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from cycles import services as cycle_services
from evidence import services
from evidence.models import Evidence
from evidence.tests.helpers import docx_bytes, pdf_bytes, stored_files, upload

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/isian/7/"}


def login(client, user):
    client.force_login(user)
    return client


def test_an_htmx_upload_returns_the_refreshed_panel(client, agency_user, submission):
    content = docx_bytes()
    response = login(client, agency_user).post(
        reverse("evidence_upload", args=[submission.pk]),
        {
            "file": upload("kebijakan.docx", content),
            "title": "Perwa Kepegawaian",
            "document_date": "2025-03-01",
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "evidence/_panel.html"
    evidence = Evidence.objects.get()
    assert (evidence.title, evidence.document_date) == (
        "Perwa Kepegawaian",
        datetime.date(2025, 3, 1),
    )
    assert list(submission.evidence.all()) == [evidence]
    assert evidence.revisions.get().sha256 == hashlib.sha256(content).hexdigest()
    html = response.content.decode()
    assert "Berkas data dukung diunggah." in html
    assert "36.a.Perwa-Kepegawaian.docx" in html
    assert "1 Maret 2025" in html
    assert 'name="next" value="/isian/7/"' in html


def test_a_refused_htmx_upload_answers_422_with_the_reason(
    settings, client, agency_user, submission
):
    response = login(client, agency_user).post(
        reverse("evidence_upload", args=[submission.pk]),
        {"file": upload("laporan.pdf", b"MZ" + b"\x00" * 300), "title": "Laporan Reviu"},
        **HTMX,
    )
    assert response.status_code == 422  # the panel's script tells it from a stored file
    html = response.content.decode()
    assert (
        f'<p class="message message-error" role="alert" id="data-dukung-{submission.pk}-galat">'
        "Jenis berkas tidak diizinkan: EXE; yang diterima PDF, JPG, PNG, DOCX, XLSX, ODT, ODS.</p>"
    ) in html
    assert Evidence.objects.count() == 0
    assert stored_files(settings) == []


def test_a_plain_upload_redirects_back(client, agency_user, submission):
    response = login(client, agency_user).post(
        reverse("evidence_upload", args=[submission.pk]),
        {"file": upload("sk.pdf", pdf_bytes()), "title": "SK", "next": "/isian/7/"},
    )
    assert (response.status_code, response.url) == (302, "/isian/7/")
    response = client.post(
        reverse("evidence_upload", args=[submission.pk]),
        {"file": upload("sk.pdf", pdf_bytes(2)), "title": "SK", "next": "https://evil.example/"},
    )
    assert response.url == reverse("evidence_submission", args=[submission.pk])
    assert Evidence.objects.count() == 2


def test_a_missing_file_is_named(client, agency_user, submission):
    response = login(client, agency_user).post(
        reverse("evidence_upload", args=[submission.pk]), {"title": "SK"}, **HTMX
    )
    assert "Pilih berkas yang akan diunggah." in response.content.decode()


def test_a_link_through_the_panel(client, agency_user, submission):
    client = login(client, agency_user)
    url = reverse("evidence_link", args=[submission.pk])
    response = client.post(url, {"url": "javascript:alert(1)", "title": "X"}, **HTMX)
    assert "Tautan harus diawali http:// atau https://." in response.content.decode()
    assert Evidence.objects.count() == 0
    response = client.post(
        url, {"url": "https://simpeg.pontianak.go.id", "title": "SIMPEG"}, **HTMX
    )
    assert "Tautan data dukung ditambahkan." in response.content.decode()
    assert list(submission.evidence.values_list("url", flat=True)) == [
        "https://simpeg.pontianak.go.id"
    ]


def test_a_new_revision_through_the_panel(client, agency_user, submission, evidence):
    response = login(client, agency_user).post(
        reverse("evidence_revision", args=[submission.pk, evidence.pk]),
        {"file": upload("sk-2.pdf", pdf_bytes(2))},
        **HTMX,
    )
    html = response.content.decode()
    assert "Revisi 2 “SK Kepegawaian” diunggah." in html
    assert "2 revisi" in html
    assert list(evidence.revisions.values_list("number", flat=True)) == [2, 1]


def test_attach_and_detach_through_the_panel(
    client, cycle, agency, agency_user, submission, framework
):
    loose = services.add_link_evidence(
        cycle, agency, by=agency_user, url="https://simpeg.pontianak.go.id", title="SIMPEG"
    )
    client = login(client, agency_user)
    response = client.post(
        reverse("evidence_attach", args=[submission.pk]), {"evidence": loose.pk}, **HTMX
    )
    assert "“SIMPEG” dilampirkan." in response.content.decode()
    assert list(submission.evidence.all()) == [loose]
    response = client.post(reverse("evidence_detach", args=[submission.pk, loose.pk]), **HTMX)
    assert "“SIMPEG” dilepas dari isian ini; data dukungnya tetap tersimpan." in (
        response.content.decode()
    )
    assert list(submission.evidence.all()) == []


def test_attaching_another_opds_evidence_is_refused(
    client, cycle, other_agency, other_agency_user, agency_user, submission
):
    foreign = services.add_link_evidence(
        cycle, other_agency, by=other_agency_user, url="https://dinkes.go.id", title="Dinkes"
    )
    response = login(client, agency_user).post(
        reverse("evidence_attach", args=[submission.pk]), {"evidence": foreign.pk}, **HTMX
    )
    assert "Pilih data dukung yang akan dilampirkan." in response.content.decode()
    assert list(submission.evidence.all()) == []


def test_the_page_and_panel_for_each_persona(
    client, submission, evidence, agency_user, coordinator, evaluator, other_agency_user, outsider
):
    url = reverse("evidence_submission", args=[submission.pk])
    html = login(client, agency_user).get(url).content.decode()
    assert "SK Kepegawaian" in html and 'name="file"' in html
    html = login(client, evaluator).get(url).content.decode()
    assert "SK Kepegawaian" in html and 'name="file"' not in html
    assert login(client, coordinator).get(url).status_code == 200
    assert login(client, other_agency_user).get(url).status_code == 404
    assert login(client, outsider).get(url).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [("other_agency_user", 404), ("outsider", 404), ("evaluator", 403)],
)
def test_others_cannot_post_to_the_panel(
    settings, request, client, submission, evidence, persona, status
):
    client = login(client, request.getfixturevalue(persona))
    posts = [
        ("evidence_upload", [submission.pk], {"file": upload("sk.pdf", pdf_bytes()), "title": "X"}),
        ("evidence_link", [submission.pk], {"url": "https://x.go.id", "title": "X"}),
        ("evidence_attach", [submission.pk], {"evidence": evidence.pk}),
        ("evidence_detach", [submission.pk, evidence.pk], {}),
        ("evidence_revision", [submission.pk, evidence.pk], {"file": upload("r.pdf", pdf_bytes())}),
    ]
    files = stored_files(settings)
    for name, args, data in posts:
        assert client.post(reverse(name, args=args), data).status_code == status, name
    assert Evidence.objects.count() == 1
    assert evidence.revisions.count() == 1
    assert list(submission.evidence.all()) == [evidence]
    assert stored_files(settings) == files


def test_download_serves_the_bytes_under_the_export_name(
    client, submission, evidence, agency_user, evaluator, coordinator
):
    revision = evidence.revisions.get()
    url = reverse("evidence_download", args=[revision.pk]) + f"?isian={submission.pk}"
    for user in (agency_user, evaluator, coordinator):
        response = login(client, user).get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="36.a.SK-Kepegawaian.pdf"'
        assert response["Content-Type"] == "application/pdf"
        with revision.file.open("rb") as stored:
            assert b"".join(response.streaming_content) == stored.read()


def test_download_is_404_for_another_opd_and_another_institution(
    client, evidence, other_agency_user, outsider
):
    url = reverse("evidence_download", args=[evidence.revisions.get().pk])
    assert login(client, other_agency_user).get(url).status_code == 404
    assert login(client, outsider).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_the_reuse_page_lists_last_years_evidence_and_reuses_the_chosen(
    settings, client, framework, sop, coordinator, agency, other_agency, agency_user, cycle
):
    last_year = cycle_services.open_cycle(
        by=coordinator,
        year=2025,
        framework=framework,
        agencies=[agency, other_agency],
        deadline=timezone.localdate() + datetime.timedelta(days=1),
        contact_person=coordinator,
    )
    old = services.add_file_evidence(
        last_year,
        agency,
        by=agency_user,
        uploaded_file=upload("sk.pdf", pdf_bytes()),
        title="SK 2025",
    )
    files = stored_files(settings)
    url = reverse("evidence_reuse", args=[cycle.pk, agency.pk])
    client = login(client, agency_user)
    html = client.get(url).content.decode()
    assert "SK 2025" in html and f'value="{old.pk}"' in html
    response = client.post(url + "?next=/isian/7/", {"evidence": [old.pk], "next": "/isian/7/"})
    assert (response.status_code, response.url) == (302, "/isian/7/")
    new = Evidence.objects.get(cycle=cycle)
    assert (new.reused_from, new.revisions.get().sha256) == (old, old.revisions.get().sha256)
    assert stored_files(settings) == files
    assert "sudah dipakai ulang" in client.get(url).content.decode()


def test_the_reuse_page_is_404_for_others(client, cycle, agency, other_agency_user, outsider):
    url = reverse("evidence_reuse", args=[cycle.pk, agency.pk])
    assert login(client, other_agency_user).get(url).status_code == 404
    assert login(client, outsider).get(url).status_code == 404
