"""Real Chromium: an OPD operator uploads, revises, links and detaches data dukung in the
panel with the keyboard-usable forms, HTMX swapping the panel in place."""

import pytest

from evidence.models import Evidence
from evidence.tests.helpers import pdf_bytes
from monev.testing import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_panel_in_a_browser(page, settings, tmp_path, submission, agency_user):
    settings.MEDIA_ROOT = tmp_path / "media"
    scan = tmp_path / "SK Kepegawaian.pdf"
    scan.write_bytes(pdf_bytes(2))
    fake = tmp_path / "laporan.pdf"
    fake.write_bytes(b"MZ" + b"\x00" * 500)

    login(page, agency_user.username)
    page.goto(f"{page.base_url}/bukti/isian/{submission.pk}/")
    panel = page.locator(".evidence-panel")

    panel.get_by_label("Berkas", exact=True).set_input_files(str(fake))
    panel.get_by_label("Judul dokumen").first.fill("Laporan")
    panel.get_by_role("button", name="Unggah", exact=True).click()
    assert page.get_by_role("alert").inner_text() == (
        "Jenis berkas tidak diizinkan: EXE; yang diterima PDF, JPG, PNG, DOCX, XLSX, ODT, ODS."
    )
    # The page was not reloaded: the panel alone was swapped, keeping the typed title.
    assert page.url.endswith(f"/bukti/isian/{submission.pk}/")
    assert panel.get_by_label("Judul dokumen").first.input_value() == "Laporan"

    panel.get_by_label("Berkas", exact=True).set_input_files(str(scan))
    panel.get_by_label("Judul dokumen").first.fill("SK Kepegawaian")
    panel.get_by_label("Tanggal dokumen").first.fill("2025-01-10")
    panel.get_by_role("button", name="Unggah", exact=True).click()
    page.get_by_text("Berkas data dukung diunggah.").wait_for()
    assert panel.get_by_role("link", name="36.a.SK-Kepegawaian.pdf").is_visible()
    assert panel.locator("progress").count() == 2  # the upload form's and the revision's

    panel.get_by_label("Tautan", exact=True).fill("https://simpeg.pontianak.go.id")
    panel.locator(f"#bukti-{submission.pk}-tautan-judul").fill("SIMPEG")
    panel.get_by_role("button", name="Tambah tautan").click()
    page.get_by_text("Tautan data dukung ditambahkan.").wait_for()
    screenshot(page, "evidence-panel")

    panel.get_by_role("button", name="Lepas dari isian SIMPEG").click()
    page.get_by_text("“SIMPEG” dilepas dari isian ini; data dukungnya tetap tersimpan.").wait_for()
    assert list(submission.evidence.values_list("title", flat=True)) == ["SK Kepegawaian"]
    assert Evidence.objects.count() == 2
