"""Real Chromium: an OPD answers two indicators with data dukung and submits them (SOP step
4); the coordinator returns one with a note, the OPD revises it, the coordinator accepts
both (step 5)."""

import re

import pytest
from playwright.sync_api import expect

from monev.testing import login, screenshot
from submissions import services
from submissions.models import Submission
from submissions.tests.conftest import pdf_upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"Tersimpan \d{2}\.\d{2}")


def logout(page):
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(f"{page.base_url}/masuk/")


def recap_states(page, cycle, agency):
    """{indicator number: state} of the OPD's row in the live recap matrix."""
    page.goto(f"{page.base_url}/rekap/{cycle.pk}/")
    titles = page.locator(f"#opd-{agency.pk} a.state").evaluate_all(
        "cells => cells.map(cell => cell.title)"
    )
    states = {}
    for title in titles:
        match = re.search(r"indikator (\d+): ([a-z ]+)", title)
        states[match.group(1)] = match.group(2).strip()
    return states


def answer(page, *, level, fakta, analisis, evidence, tmp_path):
    """On an indicator page: fill the answer, see it autosaved, upload one PDF."""
    page.get_by_label(level).check()
    page.get_by_label("FAKTA").fill(fakta)
    page.get_by_label("ANALISIS").fill(analisis)
    expect(page.locator("#autosave-status")).to_have_text(SAVED)
    pdf = tmp_path / evidence
    pdf.write_bytes(pdf_upload().read())
    items = page.locator("#data-dukung .evidence-item")
    before = items.count()
    page.locator("#data-dukung").get_by_label("Pilih berkas").set_input_files(str(pdf))
    expect(items).to_have_count(before + 1)


def test_opd_answers_and_the_coordinator_reviews(
    page, cycle, indicators, agency, other_agency_user, tmp_path
):
    first, second, _third = indicators
    # Dinkes answers the shared indicator 2 too: the review page shows both side by side.
    services.submit_submission(
        services.save_draft(
            cycle,
            second,
            other_agency_user.memberships.get().agency,
            by=other_agency_user,
            level=2,
            fakta="SOP pelayanan kesehatan daring (Perwa 5/2025), berkas 2.a.SOP-Dinkes.pdf.",
            analisis="Kebijakan ditetapkan tetapi belum lengkap: tingkat 2.",
            version=0,
        ),
        by=other_agency_user,
    )
    portal = f"{page.base_url}/isian/{cycle.pk}/opd/{agency.pk}/"

    login(page, "koordinator")
    assert recap_states(page, cycle, agency) == {"1": "belum dimulai", "2": "belum dimulai"}
    logout(page)

    # The BKPSDM operator answers indicator 1 and submits it from its page.
    login(page, "opd-bkpsdm")
    page.goto(portal)
    assert page.locator("#kemajuan").inner_text().count("0 dari 2 indikator diajukan") == 1
    screenshot(page, "isian-portal-empty")
    page.get_by_role("link", name=first.name).click()
    answer(
        page,
        level="3 — Terdefinisi",
        fakta="Perwa 12/2024 tentang Arsitektur SPBE, Pasal 3 dan 4 (hlm. 5-7), berkas "
        "1.a.Perwa-12-2024.pdf.",
        analisis="Pasal 3 dan 4 memuat referensi dan keenam domain Arsitektur SPBE secara "
        "lengkap: kriteria tingkat 3 terpenuhi.",
        evidence="1.a.Perwa-12-2024.pdf",
        tmp_path=tmp_path,
    )
    screenshot(page, "isian-indicator")
    # The network fails: the typed text stays and the status line says it is not saved.
    page.route("**/simpan/", lambda route: route.abort())
    page.get_by_label("ANALISIS").press_sequentially(" Lihat juga Pasal 5.")
    expect(page.locator("#autosave-status")).to_have_text("Belum tersimpan — periksa koneksi")
    page.unroute("**/simpan/")
    page.get_by_label("ANALISIS").press("End")
    page.get_by_label("ANALISIS").press_sequentially(" Dan Pasal 6.")
    expect(page.locator("#autosave-status")).to_have_text(SAVED)
    assert Submission.objects.get(agency=agency, indicator=first).analisis.endswith(
        "Lihat juga Pasal 5. Dan Pasal 6."
    )
    page.get_by_role("button", name="Ajukan isian ini").click()
    expect(page.get_by_text("Isian indikator 1 diajukan.")).to_be_visible()

    # Indicator 2, then "Ajukan semua" from the portal.
    page.get_by_role("link", name=second.name).click()
    answer(
        page,
        level="2 — Terkelola",
        fakta="Perwa 20/2024 tentang Peta Rencana SPBE, berkas 2.a.Perwa-20-2024.pdf.",
        analisis="Peta rencana telah ditetapkan namun belum memuat seluruh domain: tingkat 2.",
        evidence="2.a.Perwa-20-2024.pdf",
        tmp_path=tmp_path,
    )
    page.goto(portal)
    page.get_by_role("button", name="Ajukan semua yang lengkap (1)").click()
    page.get_by_role("dialog").get_by_role("button", name="Ya, ajukan 1 isian").click()
    expect(page.get_by_text("1 isian diajukan kepada koordinator.")).to_be_visible()
    expect(page.locator("#kemajuan")).to_contain_text("2 dari 2 indikator diajukan")
    screenshot(page, "isian-portal-submitted")
    logout(page)

    # The coordinator returns indicator 1 with a note and accepts indicator 2.
    login(page, "koordinator")
    assert recap_states(page, cycle, agency) == {"1": "diajukan", "2": "diajukan"}
    page.goto(f"{page.base_url}/isian/{cycle.pk}/")
    screenshot(page, "isian-review-list")
    page.get_by_role("link", name=first.name).click()
    card = page.locator(f"#opd-{agency.pk}")
    card.get_by_label("Catatan untuk OPD").fill("Lampirkan juga berita acara reviu Perwa.")
    card.get_by_role("button", name="Kembalikan ke BKPSDM").click()
    expect(page.get_by_text("Isian BKPSDM dikembalikan dengan catatan.")).to_be_visible()
    page.goto(f"{page.base_url}/isian/{cycle.pk}/indikator/{second.pk}/")
    screenshot(page, "isian-review")
    page.locator(f"#opd-{agency.pk}").get_by_role("button", name="Terima isian BKPSDM").click()
    expect(page.get_by_text("Isian BKPSDM diterima.")).to_be_visible()
    assert recap_states(page, cycle, agency) == {"1": "dikembalikan", "2": "diterima"}
    screenshot(page, "recap-during-review")
    logout(page)

    # The operator sees the note, revises and resubmits.
    login(page, "opd-bkpsdm")
    page.goto(portal)
    row = page.locator("#indikator-1")
    expect(row).to_contain_text("dikembalikan")
    expect(row).to_contain_text("Lampirkan juga berita acara reviu Perwa.")
    screenshot(page, "isian-portal-returned")
    row.get_by_role("link").click()
    assert (
        "Lampirkan juga berita acara reviu Perwa."
        in page.locator("#catatan-pengembalian").inner_text()
    )
    fakta = page.get_by_label("FAKTA")
    fakta.fill(fakta.input_value() + " Berita acara reviu: 1.b.BA-Reviu-Perwa.pdf.")
    expect(page.locator("#autosave-status")).to_have_text(SAVED)
    page.get_by_role("button", name="Ajukan kembali").click()
    expect(page.get_by_text("Isian indikator 1 diajukan.")).to_be_visible()
    logout(page)

    # The coordinator accepts it.
    login(page, "koordinator")
    page.goto(f"{page.base_url}/isian/{cycle.pk}/indikator/{first.pk}/")
    page.locator(f"#opd-{agency.pk}").get_by_role("button", name="Terima isian BKPSDM").click()
    expect(page.get_by_text("Isian BKPSDM diterima.")).to_be_visible()
    statuses = dict(
        Submission.objects.filter(agency=agency).values_list("indicator__number", "status")
    )
    assert statuses == {"1": "accepted", "2": "accepted"}
    assert recap_states(page, cycle, agency) == {"1": "diterima", "2": "diterima"}
    answered = Submission.objects.get(agency=agency, indicator=first)
    assert list(answered.reviews.values_list("kind", "note")) == [
        ("submitted", ""),
        ("returned", "Lampirkan juga berita acara reviu Perwa."),
        ("submitted", ""),
        ("accepted", ""),
    ]
    assert answered.evidence.count() == 1
