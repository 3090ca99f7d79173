"""Real Chromium: an institution's administrator with no SOP yet loads one from the SOP page:
a wrong file first (every problem listed, nothing loaded), then the right one; the pages
fit 390 px and 1366 px."""

import json

import pytest
from playwright.sync_api import expect

from institutions.models import Institution, Role
from monev.testing import login, make_user, screenshot
from monev.tests.test_responsive import overflow_report
from sops.models import Sop
from sops.services import SHIPPED_SOPS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administrator_loads_the_sop_from_the_page(page, tmp_path):
    institution = Institution.objects.create(slug="pontianak", name="Pemerintah Kota Pontianak")
    make_user(institution, "admin", Role.ADMIN, full_name="Admin Diskominfo")
    data = json.loads(SHIPPED_SOPS["pontianak"].read_text(encoding="utf-8"))
    wrong = tmp_path / "sop-salah.json"
    wrong.write_text(json.dumps({**data, "code": "Bukan Slug", "steps": []}), encoding="utf-8")
    login(page, "admin")
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{page.base_url}/sop/")
    expect(
        page.get_by_text("Belum ada SOP yang dimuat untuk Pemerintah Kota Pontianak.")
    ).to_be_visible()
    page.get_by_role("link", name="Muat berkas SOP").click()
    expect(page.get_by_role("heading", name="Muat berkas SOP")).to_be_visible()
    screenshot(page, "sop-load-390")
    assert overflow_report(page) is None

    page.get_by_label("Berkas definisi SOP (JSON)").set_input_files(wrong)
    page.get_by_role("button", name="Periksa dan muat").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("SOP tidak dimuat")
    expect(alert).to_contain_text("sop-salah.json: code 'Bukan Slug'")
    screenshot(page, "sop-load-problems-390")
    assert overflow_report(page) is None
    assert Sop.objects.count() == 0

    page.set_viewport_size({"width": 1366, "height": 768})
    page.get_by_label("Berkas definisi SOP (JSON)").set_input_files(SHIPPED_SOPS["pontianak"])
    page.get_by_label("Berkas definisi SOP (JSON)").focus()
    page.keyboard.press("Tab")  # to the button, then Enter: by keyboard
    page.keyboard.press("Enter")
    expect(page.get_by_text("dimuat dan kini berlaku.")).to_be_visible()
    expect(
        page.get_by_role("heading", name="SOP Monitoring dan Evaluasi SPBE", exact=True)
    ).to_be_visible()
    screenshot(page, "sop-loaded-1366")
    assert overflow_report(page) is None
    assert Sop.objects.get().institution == institution
