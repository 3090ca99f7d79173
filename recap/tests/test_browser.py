"""Real Chromium: the recap matrix of 32 OPDs as the coordinator projects it in the meeting."""

import datetime

import pytest
from playwright.sync_api import expect

from monev.testing import login, screenshot
from recap.tests.conftest import answer, crowd

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_recap_matrix_with_32_opds(page, cycle, coordinator, agency):
    crowd(cycle, coordinator, 30)
    answer(cycle, agency, 41, "returned", level=2)
    cycle.deadline = datetime.date(2026, 1, 5)  # passed: incomplete OPDs are late
    cycle.save()
    page.set_viewport_size({"width": 1600, "height": 900})
    login(page, "koordinator")
    page.goto(f"{page.base_url}/rekap/{cycle.pk}/")
    expect(page.get_by_role("heading", name="Rekap isian OPD")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(32)
    first = page.locator("tbody tr").first
    expect(first).to_contain_text("terlambat")
    screenshot(page, "recap-matrix")

    # Scrolled inside the matrix, the indicator numbers and the OPD names stay in view.
    page.locator(".recap-scroll").evaluate("el => { el.scrollTop = 600; el.scrollLeft = 700; }")
    header = page.locator(".recap-head-numbers th").first.bounding_box()
    region = page.locator(".recap-scroll").bounding_box()
    assert abs(header["y"] - region["y"] - 36) < 8
    screenshot(page, "recap-scrolled", full_page=False)  # the viewport only

    page.get_by_label("Status").select_option("returned")
    page.get_by_role("button", name="Terapkan").click()
    assert page.locator("tbody tr").count() >= 1
    expect(page.locator("tbody")).to_contain_text("BKPSDM")
    screenshot(page, "recap-filtered")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh XLSX").click()
    assert download.value.suggested_filename == "rekap-monev-spbe-2026.xlsx"
