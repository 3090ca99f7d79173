"""Real Chromium: a coordinator creates an API token from the account page, copies its text
(shown once), uses it, and revokes it by keyboard; the page fits 1366 px and 390 px."""

import pytest
from playwright.sync_api import expect

from institutions.models import ApiToken, Institution, Role
from monev.testing import login, make_user, screenshot
from monev.tests.test_responsive import overflow_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_token_is_created_copied_used_and_revoked(page):
    institution = Institution.objects.create(slug="pontianak", name="Pemerintah Kota Pontianak")
    make_user(institution, "koordinator", Role.COORDINATOR, full_name="Rina Koordinator")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    login(page, "koordinator")
    page.goto(f"{page.base_url}/akun/")
    page.get_by_role("link", name="Kelola token API").click()
    expect(page.get_by_role("heading", name="Token API", exact=True)).to_be_visible()
    expect(page.get_by_text("Anda belum punya token.")).to_be_visible()

    # By keyboard: the name, then Enter submits the form.
    page.get_by_label("Nama token").focus()
    page.keyboard.type("Dasbor e-office")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Token Dasbor e-office dibuat")).to_be_visible()
    expect(page.get_by_text("Token ini tidak akan ditampilkan lagi")).to_be_visible()
    text = page.get_by_label("Token", exact=True).input_value()
    assert text.startswith("monev_") and "monev_" not in page.url
    page.get_by_role("button", name="Salin token").click()
    expect(page.get_by_text("Token tersalin.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == text
    screenshot(page, "api-tokens-created-1366")
    assert overflow_report(page) is None
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "api-tokens-created-390")
    assert overflow_report(page) is None

    # The token works; reloading the list never shows its text again.
    response = page.request.get(
        f"{page.base_url}/api/v1/me/", headers={"Authorization": f"Bearer {text}"}
    )
    assert (response.status, response.json()["username"]) == (200, "koordinator")
    page.goto(f"{page.base_url}/akun/token-api/")
    expect(page.get_by_text("Dasbor e-office", exact=True)).to_be_visible()
    assert text not in page.content()
    screenshot(page, "api-tokens-list-390")

    # Revoke by keyboard, after a page that says what it does.
    page.get_by_role("button", name="Cabut Dasbor e-office").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Cabut token Dasbor e-office?")).to_be_visible()
    expect(page.get_by_text("langsung berhenti bekerja")).to_be_visible()
    screenshot(page, "api-tokens-revoke-390")
    assert overflow_report(page) is None
    page.get_by_role("button", name="Ya, cabut token").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Token Dasbor e-office dicabut.")).to_be_visible()
    expect(page.get_by_text("dicabut", exact=True)).to_be_visible()
    page.set_viewport_size({"width": 1366, "height": 768})
    screenshot(page, "api-tokens-revoked-1366")
    assert ApiToken.objects.get().revoked_at is not None
    response = page.request.get(
        f"{page.base_url}/api/v1/me/", headers={"Authorization": f"Bearer {text}"}
    )
    assert response.status == 401
