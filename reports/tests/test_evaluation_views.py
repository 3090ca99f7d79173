"""The Dokumen Evaluasi page: who sees it, the buttons, the builds and the versions."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import services as assessment_services
from assessments.queries import find_assessment
from cycles import services as cycle_services
from documents.models import Document, GenerationJob
from documents.services import store_document
from monev.testing import PASSWORD

# The page's queries (session, user, roles, cycle, result, step 8, builds, versions), whatever
# the number of versions.
# 18 with the menu badge's waiting work (cycles.waiting) in step 8; 17 since the user is read
# with their institution in one query (institutions.backends.UserBackend); 16 since the badge's
# running steps and letters are one statement (cycles.waiting); 17 with the Dokumen
# Evaluasi's approval record (reports.evaluation_signing.evaluation_record).
QUERIES = 17
LEVELS = [(number * 7) % 5 + 1 for number in range(47)]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cycle(framework, sop, coordinator, agency, other_agency):
    first = framework.nodes.get(code="I1")
    return cycle_services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=[agency, other_agency],
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        contact_person=coordinator,
        assignments={first: [agency]},
    )


@pytest.fixture
def final(cycle, framework, evaluator, coordinator):
    indicators = framework.nodes.filter(children__isnull=True).order_by("position")
    for indicator, level in zip(indicators, LEVELS, strict=True):
        assessment_services.set_decision(
            cycle, indicator, by=evaluator, level=level, fakta="F.", analisis="A."
        )
    assessment_services.finalize_assessment(find_assessment(cycle), by=coordinator)
    return cycle


def page_url(cycle):
    return reverse("evaluation", args=[cycle.pk])


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_the_coordinator_sees_what_will_be_made_and_the_buttons(client, final, coordinator):
    login(client, coordinator)
    response = client.get(page_url(final))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Buat Dokumen Evaluasi SPBE" in html
    assert "Buat paket data dukung" in html
    assert "Belum ada versi yang dibuat." in html
    assert "Hasil evaluasi mandiri belum final" not in html


def test_before_the_result_is_final_the_page_says_what_to_do(client, cycle, coordinator):
    login(client, coordinator)
    html = client.get(page_url(cycle)).content.decode()
    assert "Hasil evaluasi mandiri belum final" in html
    assert reverse("assessment_result", args=[cycle.pk]) in html


def test_posting_before_final_shows_the_reason(client, cycle, coordinator):
    login(client, coordinator)
    response = client.post(reverse("evaluation_generate", args=[cycle.pk]), follow=True)
    messages = [str(message) for message in response.context["messages"]]
    assert messages == [
        "Hasil evaluasi mandiri belum final. Finalkan hasilnya di halaman Hasil Evaluasi "
        "Mandiri, lalu buat Dokumen Evaluasi SPBE."
    ]
    assert GenerationJob.objects.count() == 0


def test_generating_from_the_page_runs_the_job_and_lists_the_versions(
    client, final, coordinator, django_capture_on_commit_callbacks
):
    login(client, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evaluation_generate", args=[final.pk]))
    assert response.status_code == 302
    assert response["Location"] == page_url(final)
    job = GenerationJob.objects.get()
    assert (job.kind, job.status) == ("evaluation", "done")
    html = client.get(page_url(final)).content.decode()
    for document in Document.objects.filter(kind="evaluation"):
        assert reverse("document_download", args=[document.pk]) in html
    assert "Langkah 8 selesai" in html


def test_a_running_job_polls_its_status(
    client, final, coordinator, django_capture_on_commit_callbacks
):
    login(client, coordinator)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("evaluation_generate", args=[final.pk]))
    job = GenerationJob.objects.get()
    html = client.get(page_url(final)).content.decode()
    assert f'hx-get="{reverse("job_status", args=[job.pk])}"' in html


@pytest.mark.parametrize("persona", ["evaluator", "leader", "supervisor"])
def test_other_staff_see_the_page_without_the_buttons(client, request, final, persona):
    login(client, request.getfixturevalue(persona))
    response = client.get(page_url(final))
    assert response.status_code == 200
    assert "Buat Dokumen Evaluasi SPBE" not in response.content.decode()


@pytest.mark.parametrize("persona", ["evaluator", "leader"])
def test_other_staff_cannot_start_a_build(client, request, final, persona):
    login(client, request.getfixturevalue(persona))
    for name in ("evaluation_generate", "evaluation_package"):
        assert client.post(reverse(name, args=[final.pk])).status_code == 403
    assert GenerationJob.objects.count() == 0


@pytest.mark.parametrize("persona", ["outsider", "agency_user"])
@pytest.mark.parametrize("name", ["evaluation", "evaluation_generate", "evaluation_package"])
def test_other_institutions_and_opd_operators_get_404(client, request, final, persona, name):
    login(client, request.getfixturevalue(persona))
    response = client.post(reverse(name, args=[final.pk])) if name != "evaluation" else None
    if response is None:
        response = client.get(reverse(name, args=[final.pk]))
    assert response.status_code == 404


def test_the_page_needs_a_login(client, final):
    response = client.get(page_url(final))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _versions(cycle, coordinator, count):
    for _number in range(count):
        for format in ("pdf", "docx"):
            store_document(
                institution=cycle.institution,
                cycle=cycle,
                kind="evaluation",
                source=f"reports.evaluation:{cycle.pk}",
                format=format,
                title="Dokumen Evaluasi SPBE",
                content=b"x",
                by=coordinator,
            )


def test_the_versions_list_does_not_query_per_row(client, final, coordinator):
    login(client, coordinator)

    def queries_for_page():
        client.get(page_url(final))  # the session and the caches warm
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page_url(final))
        return len(captured), response.content.decode().count('class="hash-short"')

    _versions(final, coordinator, 1)
    one = queries_for_page()
    _versions(final, coordinator, 14)
    many = queries_for_page()
    assert one == (QUERIES, 2)
    assert many == (QUERIES, 30)


def test_the_reports_page_leads_to_step_8(client, final, coordinator):
    login(client, coordinator)
    html = client.get(reverse("report_list", args=[final.pk])).content.decode()
    assert f'href="{page_url(final)}"' in html
