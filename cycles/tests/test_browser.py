"""Real Chromium: the personas take a cycle from opening to dispatch (SOP steps 1-3)."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfWriter

from demo import builder
from monev.testing import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_pdf(path):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def logout(page):
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(f"{page.base_url}/masuk/")


def open_letter(page, kind):
    page.goto(f"{page.base_url}/kotak-masuk/")
    page.get_by_role("link", name=kind).first.click()


def test_cycle_from_opening_to_dispatch(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    builder.build()
    password = builder.DEMO_PASSWORD

    # Step 1: the coordinator opens the cycle, keeps the proposed assignment, drafts letters.
    login(page, "koordinator", password)
    page.get_by_role("link", name="Periode monev", exact=True).click()
    page.get_by_role("link", name="Buka periode monev baru").click()
    page.get_by_label("Tahun evaluasi").fill("2099")  # the demo already has this year's
    page.get_by_label("Batas waktu pengisian OPD").fill("2099-12-15")
    page.get_by_label("Telepon/WA narahubung").fill("0812-5678-1234")
    screenshot(page, "cycle-open")
    page.get_by_role("button", name="Buka periode").click()
    expect(page.get_by_role("heading", name="Penugasan indikator ke OPD")).to_be_visible()
    screenshot(page, "cycle-assignments")
    page.get_by_role("button", name="Simpan penugasan").click()
    expect(page.locator(".messages")).to_contain_text("Semua indikator sudah ditugaskan.")
    page.get_by_role("link", name="Kembali ke halaman periode").click()
    cycle_url = page.url
    page.get_by_role("button", name="Buat draf surat").click()
    expect(page.get_by_role("status")).to_have_text(
        "Draf surat undangan dan surat permohonan data dibuat. Periksa teksnya."
    )
    for kind in ["Surat Undangan", "Surat Permohonan Data"]:
        page.goto(cycle_url)
        page.locator("#surat-periode").get_by_role("link", name=kind).click()
        page.get_by_role("button", name="Ajukan untuk disposisi").click()
        expect(page.locator("#status-surat")).to_have_text("menunggu disposisi")
    logout(page)

    # Step 2: the Kabid returns the data request once with a note and approves the invitation.
    login(page, "kabid", password)
    open_letter(page, "Surat Permohonan Data")
    page.get_by_label("Kembalikan kepada koordinator untuk diperbaiki").check()
    page.get_by_label("Catatan").fill("Cantumkan nomor WA narahubung di paragraf terakhir.")
    screenshot(page, "letter-dispose")
    page.get_by_role("button", name="Simpan disposisi").click()
    expect(page.locator("#status-surat")).to_have_text("dikembalikan")
    open_letter(page, "Surat Undangan")
    page.get_by_label("Setujui dan disposisikan").check()
    page.get_by_label("Instruksi disposisi").fill("Segera proses.")
    page.get_by_role("button", name="Simpan disposisi").click()
    expect(page.locator("#status-surat")).to_have_text("didisposisikan")
    logout(page)

    # The coordinator sees the note, revises and resubmits.
    login(page, "koordinator", password)
    open_letter(page, "Surat Permohonan Data")
    expect(page.locator("#langkah-berikutnya")).to_contain_text("Cantumkan nomor WA narahubung")
    body = page.get_by_label("Isi surat")
    body.fill(body.input_value() + "\n\nNarahubung: 0812-5678-1234 (WA).")
    page.get_by_role("button", name="Simpan teks").click()
    page.get_by_role("button", name="Ajukan kembali untuk disposisi").click()
    expect(page.locator("#status-surat")).to_have_text("menunggu disposisi")
    logout(page)

    login(page, "kabid", password)
    open_letter(page, "Surat Permohonan Data")
    page.get_by_label("Setujui dan disposisikan").check()
    page.get_by_role("button", name="Simpan disposisi").click()
    logout(page)

    # Step 3: the secretariat numbers, records the signature and dispatches both letters.
    login(page, "sekretariat", password)
    pdf = signed_pdf(tmp_path / "surat-bertanda-tangan.pdf")
    for kind in ["Surat Undangan", "Surat Permohonan Data"]:
        open_letter(page, kind)
        page.get_by_role("button", name="Beri nomor surat").click()
        expect(page.locator("#konfirmasi")).to_contain_text("tidak dapat dipakai ulang")
        if kind == "Surat Undangan":
            screenshot(page, "letter-number-confirm")
        page.get_by_role("button", name="Ya, beri nomor surat").click()
        expect(page.locator("#status-surat")).to_have_text("bernomor")
        page.locator("#id_signed_pdf").set_input_files(str(pdf))
        page.get_by_label("Saya mengerti: tanda tangan yang dicatat tidak dapat dibatalkan").check()
        page.get_by_role("button", name="Catat tanda tangan").click()
        expect(page.locator("#status-surat")).to_have_text("ditandatangani")
        screenshot(page, "letter-signed")
        page.get_by_role("button", name="Kirim ke OPD").click()
        expect(page.locator("#konfirmasi")).to_contain_text("tidak dapat ditarik kembali")
        page.get_by_role("button", name="Ya, kirim ke OPD").click()
        expect(page.locator("#status-surat")).to_have_text("dikirim")
    logout(page)

    # Step 4 has started: the BKPSDM operator sees the letter and its assignment.
    login(page, "opd-bkpsdm", password)
    request = page.locator(".data-request").first
    expect(request).to_contain_text("Monev SPBE")
    expect(request).to_contain_text("Tingkat Kematangan Layanan Kepegawaian")
    screenshot(page, "home-operator-request")
    request.get_by_role("link", name="Surat Permohonan Data").click()
    expect(page.get_by_role("heading", name="Surat Permohonan Data")).to_be_visible()
    logout(page)

    # The SOP sheet shows steps 1-3 done with their durations and step 4 running.
    login(page, "koordinator", password)
    page.goto(cycle_url)
    for number in (1, 2, 3):
        row = page.locator(f"#langkah-{number}")
        expect(row).to_contain_text("Selesai")
        expect(row).to_contain_text("selesai ")
    expect(page.locator("#langkah-4")).to_contain_text("Sedang berjalan")
    expect(page.locator("#langkah-5")).to_contain_text("Belum dimulai")
    screenshot(page, "cycle-after-dispatch")
