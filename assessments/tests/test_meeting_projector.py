"""Real Chromium, meeting mode on a projector (issue 13): at 1920×1080, 1366×768 and 1024×768
the live index, the level buttons and "Simpan" are in view without scrolling, however long the
OPDs' answers; the page does not overflow sideways; f and the button toggle full screen; the
shortcut hints open behind "?"."""

import pytest
from playwright.sync_api import expect

from assessments import services
from monev.testing import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "\n".join(
    f"{n}. Perwa 12/2024 tentang Arsitektur SPBE berlaku untuk seluruh perangkat daerah; "
    "reviu tahunan oleh tim koordinasi SPBE dengan berita acara dan daftar hadir."
    for n in range(1, 13)
)

# True when the element's box lies inside the viewport and its centre is not covered or
# clipped away by a scrolling column (elementFromPoint sees what is on screen).
IN_VIEW = """element => {
    const box = element.getBoundingClientRect();
    const inside = box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight
        && box.right <= innerWidth && box.width > 0 && box.height > 0;
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return inside && hit !== null && (hit === element || element.contains(hit));
}"""


@pytest.mark.parametrize("width, height", [(1920, 1080), (1366, 768), (1024, 768)])
def test_meeting_mode_keeps_index_levels_and_save_in_view_on_a_projector(
    page, cycle, indicators, evaluator, agency_user, other_agency_user, propose, width, height
):
    # Indicator 2 is assigned to both OPDs (conftest); both answer at length. A level agreed
    # earlier marks its row in the live panel (with text for screen readers only).
    first = indicators[1]
    propose(first, 4, by=agency_user, fakta=LONG, analisis=LONG)
    propose(first, 3, by=other_agency_user, fakta=LONG, analisis=LONG)
    services.set_decision(cycle, first, by=evaluator, level=4, fakta=LONG, analisis=LONG)
    page.set_viewport_size({"width": width, "height": height})
    login(page, "evaluator")
    page.goto(f"{page.base_url}/hasil/{cycle.pk}/rapat/{first.pk}/")

    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.get_by_role("link", name="Keluar dari mode rapat")).to_be_visible()
    levels = page.locator("label.level-button")
    expect(levels).to_have_count(5)
    for element in [
        page.locator("#live-index-panel"),
        *levels.all(),
        page.get_by_role("button", name="Simpan"),
    ]:
        assert element.evaluate(IN_VIEW), element
    sizes = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert sizes == [width, height]
    if width == 1920:
        font_size = page.locator(".meeting").evaluate("e => getComputedStyle(e).fontSize")
        assert font_size == "20px"
    screenshot(page, f"meeting-projector-{width}")


def test_meeting_mode_full_screen_by_key_and_button_and_shortcuts_behind_a_question_mark(
    page, cycle, indicators
):
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, "evaluator")
    page.goto(f"{page.base_url}/hasil/{cycle.pk}/rapat/{indicators[0].pk}/")
    button = page.locator("[data-meeting-fullscreen]")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-pressed", "false")

    page.keyboard.press("f")
    page.wait_for_function("document.fullscreenElement === document.documentElement")
    expect(button).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("f")
    page.wait_for_function("document.fullscreenElement === null")
    button.click()
    page.wait_for_function("document.fullscreenElement === document.documentElement")
    button.click()
    page.wait_for_function("document.fullscreenElement === null")
    expect(button).to_have_attribute("aria-pressed", "false")

    hints = page.locator("#pintasan")
    expect(hints).to_be_hidden()
    page.keyboard.press("?")
    expect(hints).to_be_visible()
    expect(hints).to_contain_text("layar penuh")
    page.keyboard.press("Escape")
    expect(hints).to_be_hidden()
    page.get_by_title("Pintasan papan ketik (?)").click()
    expect(hints).to_be_visible()
