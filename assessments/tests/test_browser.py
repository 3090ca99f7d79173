"""Real Chromium, meeting mode (SOP step 6): the evaluator agrees the last three levels with
FAKTA and ANALISIS by keyboard and buttons and sees the index and the predicate change on
screen without a reload; the coordinator finalizes; a later change in the still open meeting
screen is refused with the message on screen."""

import re

import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.models import Decision
from assessments.tests.conftest import LEVELS
from frameworks.scoring import display, score
from monev.testing import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FINAL = "Hasil evaluasi sudah final; buka kembali dengan alasan untuk mengubahnya."


def re_saved(level):
    return re.compile(rf"✓ Tersimpan: tingkat {level} \(pukul \d{{2}}\.\d{{2}}\)\.")


def meeting_url(page, cycle, indicator=None):
    url = f"{page.base_url}/hasil/{cycle.pk}/rapat/"
    return f"{url}{indicator.pk}/" if indicator else url


def level_button(page, level):
    return page.locator(f'label.level-button:has(input[value="{level}"])')


def settled(page):
    """Wait until htmx has finished the last swap (it wires new links when it settles); a
    person reads the screen before the next key, the test must wait for it explicitly."""
    page.wait_for_function(
        "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def test_evaluator_agrees_levels_live_then_the_final_result_refuses_a_change(
    page, browser, cycle, indicators, evaluator, agency_user, other_agency_user, propose
):
    first, second, third = indicators[:3]
    propose(first, 4, by=agency_user, fakta="Perwa 12/2024 tentang Arsitektur SPBE.")
    propose(second, 3, by=agency_user, fakta="Perwa 7/2025 tentang Peta Rencana SPBE.")
    propose(second, 2, by=other_agency_user, fakta="Draf peta rencana sektor kesehatan.")
    propose(third, 2, by=other_agency_user, fakta="SE Sekda 3/2025 tentang Manajemen Data.")
    # The other 44 indicators were agreed earlier in the meeting.
    for indicator, level in zip(indicators[3:], LEVELS[3:], strict=True):
        services.set_decision(
            cycle, indicator, by=evaluator, level=level, fakta="Fakta.", analisis="Analisis."
        )
    chosen = {first.code: 3, second.code: 4, third.code: 5}
    levels = {node.code: level for node, level in zip(indicators, LEVELS, strict=True)}
    expected = score(cycle.framework.spec(), {**levels, **chosen})
    index, rating = page.locator("#live-index"), page.locator("#live-rating")
    status = page.locator("#decision-status")

    login(page, "evaluator")
    page.goto(meeting_url(page, cycle))
    expect(page).to_have_url(meeting_url(page, cycle, first))
    page.evaluate("window.__marker = 1")
    expect(index).to_have_text("–")
    expect(page.locator(".live-missing")).to_have_text(
        "Belum lengkap: 3 indikator belum disepakati."
    )
    expect(page.locator("#meeting-bar")).to_contain_text("44 dari 47 indikator disepakati")
    page.set_viewport_size({"width": 1280, "height": 720})
    screenshot(page, "meeting-mode-incomplete-1280x720-screen", full_page=False)

    # Indicator 1 by keyboard: the OPD's FAKTA is prefilled, "3" picks the level, Ctrl+Enter saves.
    expect(page.locator("#id_fakta")).to_have_value(
        "BKPSDM: Perwa 12/2024 tentang Arsitektur SPBE."
    )
    page.keyboard.press("3")
    expect(page.locator('input[name="level"][value="3"]')).to_be_checked()
    page.locator("#id_analisis").fill("Ditetapkan untuk seluruh perangkat daerah; belum direviu.")
    page.keyboard.press("Control+Enter")
    expect(status).to_have_text(re_saved(3))
    settled(page)
    expect(page.locator(".live-missing")).to_have_text(
        "Belum lengkap: 2 indikator belum disepakati."
    )

    # "n" goes to the next undecided indicator; indicator 2 with the mouse.
    page.keyboard.press("Escape")
    page.keyboard.press("n")
    expect(page).to_have_url(meeting_url(page, cycle, second))
    settled(page)
    expect(page.locator("#indicator-title")).to_contain_text("Indikator 2")
    expect(page.locator("#usulan-judul")).to_have_text("Usulan 2 OPD")
    level_button(page, 4).click()
    page.locator("#id_fakta").fill("Perwa 7/2025 berlaku untuk seluruh OPD, termasuk Dinkes.")
    page.locator("#id_analisis").fill("Peta rencana terintegrasi: tingkat 4.")
    page.get_by_role("button", name="Simpan").click()
    expect(status).to_have_text(re_saved(4))
    settled(page)

    # Indicator 3: the last one; the index and the predicate appear.
    page.keyboard.press("n")
    expect(page).to_have_url(meeting_url(page, cycle, third))
    settled(page)
    page.keyboard.press("5")
    page.locator("#id_analisis").fill("Manajemen data dievaluasi dan ditindaklanjuti.")
    page.keyboard.press("Control+Enter")
    expect(status).to_have_text(re_saved(5))
    settled(page)
    expect(index).to_have_text(display(expected.index))
    expect(rating).to_have_text(expected.rating)
    expect(page.locator("#meeting-bar")).to_contain_text("47 dari 47 indikator disepakati")
    expect(page.locator(".live-missing")).to_have_count(0)
    assert page.evaluate("window.__marker") == 1  # no reload happened
    agreed = {
        d.indicator.code: (d.level, d.fakta)
        for d in Decision.objects.filter(indicator__in=[first, second, third])
    }
    assert agreed == {
        first.code: (3, "BKPSDM: Perwa 12/2024 tentang Arsitektur SPBE."),
        second.code: (4, "Perwa 7/2025 berlaku untuk seluruh OPD, termasuk Dinkes."),
        third.code: (5, "Dinkes: SE Sekda 3/2025 tentang Manajemen Data."),
    }
    for width, height in ((1280, 720), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate("window.scrollTo(0, 0)")
        screenshot(page, f"meeting-mode-{width}x{height}")
        # What the projector shows, without scrolling.
        screenshot(page, f"meeting-mode-{width}x{height}-screen", full_page=False)

    # The coordinator finalizes on the result page, in a browser of its own.
    context = browser.new_context(viewport={"width": 1366, "height": 800}, locale="id-ID")
    coordinator_page = context.new_page()
    coordinator_page.base_url = page.base_url
    login(coordinator_page, "koordinator")
    coordinator_page.goto(f"{page.base_url}/hasil/{cycle.pk}/")
    expect(coordinator_page.locator("#indeks")).to_contain_text(
        f"Indeks: {display(expected.index)}"
    )
    coordinator_page.get_by_role("button", name="Finalkan hasil evaluasi").click()
    coordinator_page.get_by_role("button", name="Ya, finalkan hasil evaluasi").click()
    expect(coordinator_page.get_by_text("Hasil evaluasi mandiri difinalkan.")).to_be_visible()
    context.close()

    # The evaluator's screen is still open: a change is refused, the message shown.
    page.keyboard.press("Escape")
    page.keyboard.press("4")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#decision-form .message-error")).to_have_text(FINAL)
    expect(page.locator("#id_analisis")).to_have_value(
        "Manajemen data dievaluasi dan ditindaklanjuti."
    )
    assert page.evaluate("window.__marker") == 1
    assert Decision.objects.get(indicator=third).level == 5
    page.set_viewport_size({"width": 1280, "height": 720})
    screenshot(page, "meeting-mode-final-refused")
