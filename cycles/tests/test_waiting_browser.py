"""The home page with the waiting list, the badge and the leaders' overview, on a phone
(390 px) and a laptop (1366 px): nothing sticks out, the list leads to the action."""

import re

import pytest
from playwright.sync_api import expect

from monev.testing import login, screenshot
from reports.tests.conftest import (  # noqa: F401 (fixtures: a 2026 cycle with a final result)
    _media,
    cycle,
    decided,
    final,
    indicators,
    staff,
)

pytestmark = pytest.mark.browser

PREPARE_CONSENT = "Siapkan Pernyataan Persetujuan Publikasi"
PREPARE_BERITA_ACARA = "Siapkan Berita Acara Penyelenggaraan Evaluasi Mandiri SPBE"


@pytest.mark.usefixtures("final")
@pytest.mark.parametrize("width", [390, 1366])
def test_the_leaders_and_the_coordinators_home(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "sekda")
    overview = page.locator("#ringkasan")
    expect(overview).to_contain_text("Hasil evaluasi mandiri 2026 (final)")
    expect(overview.locator("svg").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"home-leader-{width}")

    page.context.clear_cookies()
    login(page, "koordinator")
    work = page.locator("#work")
    expect(work.get_by_role("link", name=PREPARE_CONSENT)).to_be_visible()
    menu = page.get_by_role("button", name="Menu") if width == 390 else page.locator(".mainnav")
    expect(menu.locator(".nav-count").first).to_have_text("2")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"home-coordinator-{width}")
    work.get_by_role("link", name=PREPARE_BERITA_ACARA).click()
    expect(page).to_have_url(re.compile(r"/laporan/\d+/$"))
