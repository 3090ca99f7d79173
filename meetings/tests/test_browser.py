"""Real Chromium: the coordinator schedules the coordination meeting, ticks the room's
equipment with a note on a broken projector, checks an OPD operator in, types the minutes
(autosaved; the line says so, and says so when the network is gone) and downloads the
daftar hadir to print; an invited OPD operator checks themself in."""

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from meetings.models import Meeting
from meetings.tests.conftest import PLACE
from monev.testing import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"Tersimpan \d{2}\.\d{2}")


def test_coordinator_runs_the_meeting_desk(page, cycle, tmp_path):
    login(page, "koordinator")
    page.goto(f"{page.base_url}/rapat/{cycle.pk}/")
    expect(page.locator("#langkah-berikutnya")).to_contain_text("Jadwalkan rapat koordinasi")

    # Schedule: the duration comes from the SOP (180 minutes).
    expect(page.get_by_label("Durasi (menit)")).to_have_value("180")
    page.get_by_label("Tanggal").fill("2026-12-07")
    page.get_by_label("Jam mulai").fill("09:00")
    page.get_by_label("Tempat").fill(PLACE)
    page.get_by_role("button", name="Jadwalkan rapat").click()
    expect(page.get_by_text("Jadwal rapat disimpan.")).to_be_visible()
    facts = page.locator("#rapat dl.facts")
    expect(facts).to_contain_text("Senin, 7 Desember 2026")
    expect(facts).to_contain_text("09.00 – 12.00 WIB")
    expect(page.get_by_role("link", name="Buka mode rapat")).to_be_visible()
    screenshot(page, "meetings-1-scheduled")

    # Equipment: everything ready but the projector, whose lamp is broken.
    equipment = page.locator("#peralatan")
    for name in ("Komputer", "Printer", "Internet", "TV"):
        equipment.get_by_label(name, exact=True).check()
    equipment.get_by_label("Catatan Proyektor").fill("Lampu proyektor mati; pinjam dari Bappeda.")
    equipment.get_by_role("button", name="Simpan peralatan").click()
    expect(page.get_by_text("Daftar peralatan disimpan.")).to_be_visible()
    expect(page.locator("#peralatan tr.row-warn")).to_contain_text("Proyektor")
    expect(page.locator("#peralatan").get_by_label("TV", exact=True)).to_be_checked()

    # Attendance: the BKPSDM operator arrives (HTMX answers with the row).
    attendance = page.locator("#daftar-hadir")
    expect(attendance).to_contain_text("0 dari 6 hadir")
    attendance.get_by_role("button", name="Catat Operator BKPSDM hadir").click()
    row = attendance.locator("tr", has_text="Operator BKPSDM")
    expect(row).to_contain_text(re.compile(r"hadir \d{2}\.\d{2}"))
    expect(row).to_have_class("present")
    expect(attendance).to_contain_text("1 dari 6 hadir")
    screenshot(page, "meetings-2-equipment-attendance")

    # Minutes: typed, autosaved; without network the line says it is not saved.
    minutes = page.get_by_label("Notulen")
    minutes.fill("1. Rapat dibuka oleh Kasi PK&AI pukul 09.05.")
    status = page.locator("#notulen-status")
    expect(status).to_have_text(SAVED)
    assert (
        Meeting.objects.get(cycle=cycle).minutes == "1. Rapat dibuka oleh Kasi PK&AI pukul 09.05."
    )
    page.context.set_offline(True)
    minutes.press("End")
    minutes.type("\n2. Paparan rekap isian OPD.")
    expect(status).to_have_text("Belum tersimpan — periksa koneksi")
    screenshot(page, "meetings-3-offline")
    page.context.set_offline(False)
    minutes.type(" ")
    expect(status).to_have_text(SAVED)
    assert Meeting.objects.get(cycle=cycle).minutes == (
        "1. Rapat dibuka oleh Kasi PK&AI pukul 09.05.\n2. Paparan rekap isian OPD."
    )
    screenshot(page, "meetings-4-minutes-saved")

    # The daftar hadir to print and sign.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh daftar hadir (PDF) untuk ditandatangani").click()
    download = download_info.value
    assert download.suggested_filename == "daftar-hadir-monev-spbe-2026.pdf"
    path = tmp_path / "daftar-hadir.pdf"
    download.save_as(path)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())
    assert "DAFTAR HADIR" in text
    assert "Tempat : Ruang Rapat Pontive Center" in text
    assert re.search(r"Operator BKPSDM hadir pukul \d{2}\.\d{2}", text)
    assert "Kode verifikasi:" in text

    # An invited OPD operator sees the facts and checks themself in.
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(f"{page.base_url}/masuk/")
    login(page, "opd-dinkes")
    page.goto(f"{page.base_url}/rapat/{cycle.pk}/")
    expect(page.locator("#rapat dl.facts")).to_contain_text(PLACE)
    expect(page.locator("#peralatan")).to_have_count(0)
    page.get_by_role("button", name="Saya hadir").click()
    expect(page.locator("#kehadiran-saya")).to_contain_text(
        re.compile(r"Anda tercatat hadir pukul \d{2}\.\d{2}\.")
    )
    screenshot(page, "meetings-5-operator-checked-in")
