"""Real Chromium: the installation's administrator loads a framework file from the frameworks
page; the pages fit 390 px."""

import json

import pytest
from playwright.sync_api import expect

from frameworks.models import Framework
from frameworks.tests.conftest import FLAT
from institutions.models import User
from monev.testing import PASSWORD, login, screenshot
from monev.tests.test_responsive import overflow_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_installation_administrator_loads_a_framework(page, tmp_path):
    User.objects.create_superuser("root", password=PASSWORD, institution=None)
    path = tmp_path / "kerangka-uji.json"
    path.write_text(json.dumps(FLAT), encoding="utf-8")
    login(page, "root")
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{page.base_url}/kerangka/")
    page.get_by_role("link", name="Muat berkas kerangka").click()
    expect(page.get_by_role("heading", name="Muat berkas kerangka")).to_be_visible()
    page.get_by_label("Berkas kerangka evaluasi (JSON)").set_input_files(path)
    screenshot(page, "framework-load-390")
    assert overflow_report(page) is None
    page.get_by_role("button", name="Periksa dan muat").click()

    expect(page.get_by_text("Kerangka Kerangka uji tanpa domain versi 1 dimuat.")).to_be_visible()
    screenshot(page, "framework-loaded-390")
    assert Framework.objects.get().code == "uji-datar"
