"""Real Chromium: the coordinator builds the Dokumen Evaluasi SPBE and the evidence package
from the step-8 page and downloads them."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments import services as assessment_services
from assessments.queries import find_assessment
from cycles import services as cycle_services
from documents.models import Document
from monev.testing import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEVELS = [(number * 7) % 5 + 1 for number in range(47)]


def test_the_coordinator_builds_step_8_in_a_browser(
    page, settings, tmp_path, framework, sop, coordinator, evaluator, agency
):
    settings.MEDIA_ROOT = tmp_path / "media"
    cycle = cycle_services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=[agency],
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        contact_person=coordinator,
        assignments={framework.nodes.get(code="I1"): [agency]},
    )
    indicators = framework.nodes.filter(children__isnull=True).order_by("position")
    for indicator, level in zip(indicators, LEVELS, strict=True):
        assessment_services.set_decision(
            cycle, indicator, by=evaluator, level=level, fakta="Fakta.", analisis="Analisis."
        )
    assessment_services.finalize_assessment(find_assessment(cycle), by=coordinator)

    login(page, coordinator.username)
    page.goto(f"{page.base_url}/laporan/{cycle.pk}/dokumen-evaluasi/")
    page.get_by_role("button", name="Buat Dokumen Evaluasi SPBE").focus()
    page.keyboard.press("Enter")
    # The embedded mode builds in-process: the job is done when the page comes back. The
    # build (PDF and DOCX) can take longer than the default wait on a busy machine.
    page.get_by_text("Pembuatan Dokumen Evaluasi SPBE dimulai").wait_for(timeout=90_000)
    job = page.locator(".job-done").first
    job.wait_for()
    pdf = Document.objects.get(kind="evaluation", format="pdf")
    assert job.get_by_role("link", name=pdf.title).count() == 2  # PDF and DOCX
    expect(page.get_by_text("Langkah 8 selesai")).to_be_visible()
    screenshot(page, "evaluation-page")

    with page.expect_download() as download:
        job.get_by_role("link", name=pdf.title).first.click()
    assert download.value.suggested_filename.endswith((".pdf", ".docx"))

    # The package of a cycle without data dukung: the reason at once, nothing is built.
    page.get_by_role("button", name="Buat paket data dukung").click()
    assert page.locator(".message-error").inner_text() == (
        "Belum ada berkas data dukung pada isian yang diterima atau diputuskan; paket data "
        "dukung belum dapat dibuat."
    )
    expect(page.locator(".job")).to_have_count(1)
    screenshot(page, "evaluation-page-package-refused")
