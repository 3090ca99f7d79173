"""Real Chromium: the login page in Bahasa Indonesia and each role's home page."""

import pytest
from playwright.sync_api import expect

from demo import builder as demo
from monev.testing import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_and_role_homes(page):
    demo.build()
    page.goto(f"{page.base_url}/")
    assert page.locator("html").get_attribute("lang") == "id"
    expect(page.get_by_role("heading", name="Masuk ke Monev SPBE")).to_be_visible()
    screenshot(page, "login")

    page.get_by_label("Nama pengguna").fill("koordinator")
    page.get_by_label("Kata sandi").fill("salah-sandi")
    page.get_by_role("button", name="Masuk").click()
    assert page.get_by_role("alert").inner_text().startswith("Nama pengguna atau kata sandi salah.")
    # What was typed is kept.
    assert page.get_by_label("Nama pengguna").input_value() == "koordinator"

    for username, heading in [
        ("koordinator", "Koordinator Monev SPBE"),
        ("opd-bkpsdm", "Operator OPD"),
        ("sekda", "Pimpinan — Sekda / Koordinator SPBE"),
    ]:
        login(page, username, demo.DEMO_PASSWORD)
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        screenshot(page, f"home-{username}")
        page.get_by_role("button", name="Keluar").click()
        page.wait_for_url(f"{page.base_url}/masuk/")


def test_keyboard_user_reaches_the_form_and_logs_in(page):
    demo.build()
    page.goto(f"{page.base_url}/masuk/")
    page.keyboard.type("evaluator")  # the username field has focus on load
    page.keyboard.press("Tab")
    page.keyboard.type(demo.DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{page.base_url}/")
    expect(page.get_by_role("heading", name="Tim SPBE — evaluator")).to_be_visible()
