"""Real Chromium: the administrator uploads the coat of arms on Pengaturan instansi."""

import pytest
from playwright.sync_api import expect

from institutions.data import DEMO_LOGO
from institutions.models import Institution, Role
from monev.testing import login, make_user, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_admin_uploads_the_logo_and_sees_it(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    institution = Institution.objects.create(
        slug="pontianak",
        name="Pemerintah Kota Pontianak",
        letterhead="PEMERINTAH KOTA PONTIANAK\nDINAS KOMUNIKASI DAN INFORMATIKA",
    )
    make_user(institution, "admin", Role.ADMIN, full_name="Admin Diskominfo")
    login(page, "admin")
    # The menu's link (the administrator's home has one too).
    page.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name="Pengaturan instansi"
    ).click()
    expect(page.get_by_role("heading", name="Pengaturan instansi", exact=True)).to_be_visible()
    page.get_by_label("Telepon").fill("(0561) 733041")
    page.get_by_label("Lambang daerah (PNG atau SVG)").set_input_files(str(DEMO_LOGO))
    page.get_by_role("button", name="Simpan pengaturan").click()
    expect(page.get_by_text("Pengaturan instansi disimpan.")).to_be_visible()
    expect(page.get_by_role("img", name="Lambang daerah yang tersimpan")).to_be_visible()
    screenshot(page, "institution-settings")
    institution.refresh_from_db()
    assert (institution.phone, institution.logo.name.endswith(".png")) == ("(0561) 733041", True)

    page.get_by_role("button", name="Hapus lambang").click()
    expect(
        page.get_by_text("Belum ada lambang: kop dokumen dicetak tanpa lambang.")
    ).to_be_visible()
