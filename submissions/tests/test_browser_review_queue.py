"""Real Chromium: the coordinator works the review queue with the keyboard on a laptop and
by touch on a phone, then closes the collection through its confirmation."""

import pytest
from playwright.sync_api import expect

from monev.testing import login, screenshot
from submissions.tests.test_review_queue import waiting  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width,height", [(1366, 800), (390, 844)])
def test_the_review_queue(page, waiting, other_agency, coordinator, width, height):  # noqa: F811
    page.set_viewport_size({"width": width, "height": height})
    login(page, "koordinator")
    page.goto(f"{page.base_url}/isian/{waiting.pk}/")
    rows = page.locator("table.review-queue tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("5 hari")
    expect(rows.nth(1)).to_contain_text("2 hari")
    # No horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"review-queue-{width}")

    # The OPD filter without JavaScript: choose, then "Tampilkan" (keyboard on the laptop).
    page.get_by_label("OPD", exact=True).select_option(str(other_agency.pk))
    if width > 700:
        page.get_by_label("OPD", exact=True).focus()
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
    else:
        page.get_by_role("button", name="Tampilkan").click()
    expect(page).to_have_url(
        f"{page.base_url}/isian/{waiting.pk}/?status=submitted&opd={other_agency.pk}"
    )
    expect(rows.nth(1)).to_contain_text("hari ini")
    page.get_by_role("link", name="Semua (2)").click()
    expect(rows).to_have_count(2)

    # The review page's next waiting indicator.
    page.goto(f"{page.base_url}/isian/{waiting.pk}/")
    rows.nth(0).get_by_role("link").click()
    page.get_by_role("link", name="Berikutnya yang menunggu: indikator 3").click()
    expect(page.locator("h1")).to_contain_text("Indikator 3.")
    screenshot(page, f"review-next-{width}")

    # Closing asks first; "Batal" changes nothing.
    page.goto(f"{page.base_url}/isian/{waiting.pk}/")
    page.get_by_role("button", name="Tutup pengumpulan isian").click()
    expect(page.locator("#konfirmasi")).to_contain_text("1 OPD belum mengajukan 1 indikator")
    screenshot(page, f"review-close-confirm-{width}")
    page.get_by_role("link", name="Batal").click()
    expect(page.get_by_role("button", name="Tutup pengumpulan isian")).to_be_visible()
