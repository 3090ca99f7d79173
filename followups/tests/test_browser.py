"""Real Chromium: the coordinator records a strength, a weakness and a recommendation on one
aspect and turns the recommendation into BKPSDM's follow-up; BKPSDM's operator finds it on
the home page and reports it in progress with a note."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from documents.formal import tanggal
from followups.models import FollowUp
from monev.testing import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page):
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(f"{page.base_url}/masuk/")


def add_finding(section, summary, label, text, notice):
    section.get_by_text(summary, exact=True).click()
    section.get_by_label(label, exact=True).fill(text)
    section.get_by_label(label, exact=True).locator("xpath=..").get_by_role(
        "button", name="Tambah"
    ).click()
    expect(section.get_by_role("status")).to_have_text(notice)
    expect(section.locator("li > p.prewrap", has_text=text)).to_be_visible()


def test_findings_to_follow_up_to_progress(page, cycle, aspects, agency, agency_user):
    due = timezone.localdate() + datetime.timedelta(days=60)
    aspect = aspects[1]

    login(page, "koordinator")
    page.goto(f"{page.base_url}/periode/{cycle.pk}/")
    page.get_by_role("link", name="Temuan dan tindak lanjut").click()
    expect(page.get_by_role("heading", name="Temuan per aspek")).to_be_visible()
    section = page.locator(f"#aspek-{aspect.code}")
    expect(section.get_by_role("heading", level=3)).to_have_text(
        "Aspek 2. Perencanaan Strategis SPBE"
    )

    add_finding(
        section,
        "Tambah kekuatan",
        "Kekuatan baru",
        "Rencana Induk SPBE 2023-2027 telah ditetapkan dengan Perwa.",
        "Kekuatan ditambahkan.",
    )
    add_finding(
        section,
        "Tambah kelemahan",
        "Kelemahan baru",
        "Peta Rencana SPBE belum dievaluasi setiap tahun.",
        "Kelemahan ditambahkan.",
    )
    add_finding(
        section,
        "Tambah rekomendasi",
        "Rekomendasi baru",
        "Lakukan reviu tahunan Peta Rencana SPBE dan tetapkan hasilnya.",
        "Rekomendasi ditambahkan.",
    )

    section.get_by_text("Jadikan tindak lanjut").click()
    section.get_by_label("OPD penanggung jawab").select_option(str(agency.pk))
    section.get_by_label("Batas waktu").fill(due.isoformat())
    expect(section.get_by_label("Uraian tindak lanjut")).to_have_value(
        "Lakukan reviu tahunan Peta Rencana SPBE dan tetapkan hasilnya."
    )
    screenshot(page, "followups-create-form")
    section.get_by_role("button", name="Buat tindak lanjut").click()
    expect(section.get_by_role("status")).to_have_text(
        "Tindak lanjut untuk BKPSDM dibuat; operatornya menerima pemberitahuan."
    )
    expect(section.get_by_role("link", name="Tindak lanjut BKPSDM")).to_be_visible()
    screenshot(page, "followups-findings")

    follow_up = FollowUp.objects.get()
    assert (follow_up.agency, follow_up.due_date, follow_up.status) == (agency, due, "terbuka")
    logout(page)

    # BKPSDM's operator sees it on the home page and reports progress.
    login(page, "opd-bkpsdm")
    box = page.locator(f"#tindak-lanjut-opd-{agency.pk}")
    expect(box).to_contain_text(f"batas waktu {tanggal(due)}")
    screenshot(page, "followups-home-operator")
    box.get_by_role("link", name="Lakukan reviu tahunan Peta Rencana SPBE").click()
    expect(page.get_by_role("heading", name="Tindak lanjut BKPSDM", level=1)).to_be_visible()
    page.get_by_label("dalam proses").check()
    page.get_by_label("Catatan kemajuan").fill(
        "Reviu Peta Rencana dijadwalkan bersama Bappeda pada bulan depan."
    )
    page.get_by_role("button", name="Simpan kemajuan").click()
    expect(page.get_by_text("Kemajuan tindak lanjut disimpan.")).to_be_visible()
    history = page.locator("#riwayat")
    expect(history).to_contain_text("terbuka → dalam proses")
    expect(history).to_contain_text("Reviu Peta Rencana dijadwalkan bersama Bappeda")
    screenshot(page, "followups-detail-operator")

    page.goto(f"{page.base_url}/tindak-lanjut/{cycle.pk}/")
    expect(page.locator(f"#tindak-lanjut-{follow_up.pk}")).to_contain_text("dalam proses")
    screenshot(page, "followups-list-operator")

    logout(page)

    # The coordinator sees it in the list with the OPD's note.
    login(page, "koordinator")
    page.goto(f"{page.base_url}/tindak-lanjut/{cycle.pk}/")
    expect(page.locator("#per-opd")).to_contain_text("BKPSDM — 1 belum selesai")
    expect(page.locator(f"#tindak-lanjut-{follow_up.pk}")).to_contain_text(
        "Catatan terakhir: Reviu Peta Rencana dijadwalkan"
    )
    screenshot(page, "followups-list-coordinator")

    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.progress_note) == (
        "dalam proses",
        "Reviu Peta Rencana dijadwalkan bersama Bappeda pada bulan depan.",
    )
