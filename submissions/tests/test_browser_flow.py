"""Real Chromium, on a phone (390×844) and laptops (1366×768, 1024×768): the operator goes
from the home ("Lanjutkan") into the first indicator, chooses the level with the key "3",
types FAKTA and ANALISIS, and Ctrl+Enter lands on the next indicator. No page of the flow
scrolls sideways; screenshots for a person to look at."""

import re

import pytest
from playwright.sync_api import expect

from letters import services as letter_services
from letters.tests.conftest import advance
from monev.testing import login, screenshot
from submissions.models import Submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"Tersimpan \d{2}\.\d{2}")
OVERFLOW = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def fits(page):
    return page.evaluate(OVERFLOW)


@pytest.fixture
def dispatched(cycle, coordinator, supervisor, secretariat):
    for letter in letter_services.draft_cycle_letters(cycle, by=coordinator):
        advance(
            letter,
            "dispatched",
            coordinator=coordinator,
            supervisor=supervisor,
            secretariat=secretariat,
        )


@pytest.mark.parametrize(
    ("width", "height", "name"),
    [(390, 844, "telepon"), (1366, 768, "laptop"), (1024, 768, "laptop-kecil")],
)
def test_home_to_the_next_indicator_by_keyboard(
    page, cycle, indicators, dispatched, agency, agency_user, width, height, name
):
    first, second, _third = indicators
    page.set_viewport_size({"width": width, "height": height})
    login(page, "opd-bkpsdm")
    assert fits(page), "home scrolls sideways"
    screenshot(page, f"alur-{name}-beranda")
    go_on = page.get_by_role("link", name=f"Lanjutkan: Indikator {first.number}")
    expect(go_on).to_be_visible()
    if height == 768:
        # In the first screen of a laptop, without scrolling.
        assert go_on.bounding_box()["y"] + go_on.bounding_box()["height"] <= height
    go_on.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Indikator {first.number}.")
    expect(page.locator("#posisi-indikator")).to_contain_text("Indikator 1 dari 2")
    assert fits(page), "indicator page scrolls sideways"
    screenshot(page, f"alur-{name}-indikator")
    if height == 768:
        levels = page.locator("fieldset.levels")
        fakta = page.get_by_label(re.compile(r"^FAKTA\b"))
        assert levels.bounding_box()["y"] + levels.bounding_box()["height"] <= height
        assert fakta.bounding_box()["y"] < height + 200, "FAKTA starts far below the fold"

    page.keyboard.press("3")
    expect(page.get_by_label("3 — Terdefinisi")).to_be_checked()
    expect(page.locator("#kriteria-tingkat-3")).to_have_attribute("open", "")
    expect(page.locator("#kriteria-tingkat-2")).not_to_have_attribute("open", "")
    # The key took the person into the empty FAKTA; Tab goes on to ANALISIS: no clicks.
    expect(page.get_by_label(re.compile(r"^FAKTA\b"))).to_be_focused()
    page.keyboard.type("Perwa 12/2024 tentang Arsitektur SPBE, Pasal 3.")
    page.keyboard.press("Tab")
    expect(page.get_by_label(re.compile(r"^ANALISIS\b"))).to_be_focused()
    page.keyboard.type("Pasal 3 memuat keenam domain: tingkat 3.")
    screenshot(page, f"alur-{name}-indikator-diisi")
    page.keyboard.press("Control+Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Indikator {second.number}.")
    expect(page.get_by_text(f"Draf indikator {first.number} disimpan.")).to_be_visible()
    stored = Submission.objects.get(agency=agency, indicator=first)
    assert (stored.level, stored.fakta, stored.analisis) == (
        3,
        "Perwa 12/2024 tentang Arsitektur SPBE, Pasal 3.",
        "Pasal 3 memuat keenam domain: tingkat 3.",
    )

    page.goto(f"{page.base_url}/isian/{cycle.pk}/opd/{agency.pk}/")
    assert fits(page), "portal scrolls sideways"
    screenshot(page, f"alur-{name}-portal")


def test_evidence_references_are_inserted_at_the_cursor(
    page, cycle, indicators, agency, agency_user, tmp_path
):
    from submissions.tests.conftest import pdf_upload

    first = indicators[0]
    login(page, "opd-bkpsdm")
    page.goto(f"{page.base_url}/isian/{cycle.pk}/opd/{agency.pk}/indikator/{first.pk}/")
    fakta = page.get_by_label(re.compile(r"^FAKTA\b"))
    picker = page.locator("#id_fakta_rujukan")
    page.get_by_role("button", name="Sisipkan rujukan data dukung").first.click()
    expect(picker).to_contain_text("Belum ada data dukung yang dilampirkan.")
    page.get_by_role("button", name="Sisipkan rujukan data dukung").first.click()
    expect(picker).to_be_hidden()

    pdf = tmp_path / "Perwa-12-2024.pdf"
    pdf.write_bytes(pdf_upload().read())
    page.locator("#data-dukung").get_by_label("Pilih berkas").set_input_files(str(pdf))
    item = page.locator("#data-dukung .evidence-item").first
    expect(item).to_be_visible()
    reference = item.get_attribute("data-reference")
    fakta.fill("Lihat  Pasal 3.")
    fakta.evaluate("element => element.setSelectionRange(6, 6)")
    page.get_by_role("button", name="Sisipkan rujukan data dukung").first.click()
    picker.get_by_role("button", name=re.compile(re.escape(reference))).click()
    expect(fakta).to_have_value(f"Lihat {reference} Pasal 3.")
    expect(page.locator("#autosave-status")).to_have_text(SAVED)
    stored = Submission.objects.get(agency=agency, indicator=first)
    assert stored.fakta == f"Lihat {reference} Pasal 3."
