"""Real Chromium: the coordinator prepares the Berita Acara from the cycle page, the
secretariat numbers it and routes it to the leader, the leader finds it on the home page and
records the internal approval; SOP step 7 finishes."""

import pytest
from playwright.sync_api import expect

from cycles.models import StepRun
from monev.testing import login, screenshot
from reports.models import SignedReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page):
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(f"{page.base_url}/masuk/")


def test_berita_acara_prepared_numbered_routed_and_approved(page, final, meeting, institution):
    login(page, "koordinator")
    page.goto(f"{page.base_url}/periode/{final.pk}/")
    page.get_by_role("link", name="Berita Acara", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Berita Acara dan Pernyataan Persetujuan Publikasi"
    )
    page.get_by_role(
        "button", name="Siapkan Berita Acara Penyelenggaraan Evaluasi Mandiri SPBE"
    ).click()
    expect(page.get_by_role("status")).to_have_text(
        "Draf Berita Acara Penyelenggaraan Evaluasi Mandiri SPBE dibuat. "
        "Periksa tempat dan penanda tangannya."
    )
    page.get_by_label("Nama penanda tangan").fill("Ir. Mulyadi, M.T.")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Perubahan disimpan.")
    expect(page.locator("#isi")).to_contain_text("dr. Andi Saputra")
    screenshot(page, "reports-ba-draft")
    logout(page)

    login(page, "sekretariat")
    report = SignedReport.objects.get(cycle=final)
    page.goto(f"{page.base_url}/laporan/{final.pk}/")
    page.get_by_role("button", name="Beri nomor").click()
    number = f"005/1/DISKOMINFO/{institution.today().year}"
    expect(page.locator("#konfirmasi")).to_contain_text(
        f"Nomor {number} diambil dari urutan nomor surat"
    )
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})  # the confirmation on a phone
    expect(page.get_by_role("button", name="Ya, beri nomor")).to_be_in_viewport()
    screenshot(page, "reports-ba-number-confirm")
    page.set_viewport_size(size)
    page.get_by_role("button", name="Ya, beri nomor").click()
    expect(page.get_by_role("status")).to_have_text(f"Dokumen diberi nomor {number}.")
    page.get_by_role("button", name="Ajukan kepada pimpinan untuk ditandatangani").click()
    expect(page.get_by_role("status")).to_have_text(
        "Dokumen diajukan kepada pimpinan untuk ditandatangani."
    )
    expect(page.locator("#langkah-berikutnya")).to_contain_text("Setda")
    screenshot(page, "reports-ba-routed")
    logout(page)

    login(page, "sekda")
    # The Sekda's home lists the signature among what waits for her, with its link.
    waiting = page.locator("#work")
    expect(waiting.locator(".waiting-item")).to_have_count(1)
    screenshot(page, "reports-leader-home")
    waiting.get_by_role(
        "link", name="Tandatangani Berita Acara Penyelenggaraan Evaluasi Mandiri SPBE"
    ).click()
    expect(page.locator("#indeks")).to_have_text("2,97")
    page.get_by_label(
        "Saya telah membaca dokumen ini dan menyetujuinya sebagai penanda tangan."
    ).check()
    page.get_by_role("button", name="Catat persetujuan saya").click()
    expect(page.get_by_role("status")).to_have_text(
        "Persetujuan Anda dicatat; dokumen ditandatangani."
    )
    expect(page.locator("#status-dokumen")).to_have_text("ditandatangani")
    screenshot(page, "reports-ba-signed")

    report.refresh_from_db()
    assert (report.status, report.number, report.signer_name) == (
        SignedReport.Status.SIGNED,
        number,
        "Ir. Mulyadi, M.T.",
    )
    assert StepRun.objects.get(cycle=final, number=7).status == StepRun.Status.DONE
    assert StepRun.objects.get(cycle=final, number=8).status == StepRun.Status.RUNNING

    page.get_by_role("link", name="Beranda").click()
    page.get_by_role("link", name="Ringkasan eksekutif 2026").click()
    expect(page.locator("#brief-index")).to_have_text("2,97")
    expect(page.locator("#brief-rating")).to_have_text("Baik")
    screenshot(page, "reports-executive-brief")
    page.goto(f"{page.base_url}/laporan/{final.pk}/")
    expect(page.locator("#dokumen-berita_acara")).to_contain_text("ditandatangani")
    screenshot(page, "reports-list")
