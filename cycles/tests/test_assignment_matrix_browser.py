"""Real Chromium: the coordinator completes the assignment matrix of the demo's 30 OPDs by
keyboard, on a laptop (1366x768) and on a phone (390x844), and sees the count change.
Screenshots: var/screenshots/assignment-matrix-<width>*.png."""

import datetime

import pytest
from playwright.sync_api import expect

from cycles import services
from demo import builder
from institutions.models import Institution, User
from monev.testing import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def matrix_cycle(settings, tmp_path):
    """Kota Pontianak's Monev SPBE 2099 for its 30 OPDs with the proposal from their
    functions, except indicators 12 and 40: nobody answers them yet."""
    settings.MEDIA_ROOT = tmp_path / "media"
    builder.build()
    institution = Institution.objects.get(slug="pontianak")
    coordinator = User.objects.get(username="koordinator")
    cycle = services.open_cycle(
        by=coordinator,
        year=2099,
        framework=institution.cycles.first().framework,
        agencies=institution.agencies.filter(is_active=True),
        deadline=datetime.date(2099, 12, 15),
        contact_person=coordinator,
    )
    gaps = list(cycle.framework.nodes.filter(children__isnull=True, number__in=["12", "40"]))
    services.set_assignments(cycle, {}, by=coordinator, indicators=gaps)
    return cycle


def test_matrix_by_keyboard_on_a_laptop(browser, live_server, matrix_cycle):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    login(page, "koordinator", builder.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/periode/{matrix_cycle.pk}/")
    expect(page.locator("#belum-ditugaskan")).to_contain_text(
        "2 indikator belum ditugaskan ke OPD mana pun."
    )
    page.locator("#belum-ditugaskan").get_by_role("link").click()
    expect(page.locator("#penugasan-tersimpan")).to_contain_text(
        "2 indikator belum ditugaskan ke OPD mana pun."
    )
    # The page's script has run (it hides the filter's button: a choice filters at once).
    expect(page.locator("#saring").get_by_role("button")).to_be_hidden()
    # The page does not scroll sideways: the matrix does, inside its own box.
    assert page.evaluate("[window.innerWidth, document.documentElement.scrollWidth]") == [
        1366,
        1366,
    ]
    screenshot(page, "assignment-matrix-1366")

    # Tab enters the matrix once; the arrows move to indicator 12 of Bappeda; Space ticks it.
    page.get_by_label("Bappeda — indikator 11").focus()
    page.keyboard.press("ArrowDown")
    box = page.get_by_label("Bappeda — indikator 12")
    expect(box).to_be_focused()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    row = page.locator("tr.ind-row", has=box)
    expect(row.locator(".row-count")).to_have_text("1")
    expect(page.locator("#matriks-status")).to_have_text(
        "1 indikator di matriks tanpa OPD. Ada perubahan yang belum disimpan."
    )
    # The sticky header and first column stay in view while the matrix scrolls.
    page.locator(".matrix-scroll").evaluate("el => { el.scrollTop = 600; el.scrollLeft = 400; }")
    head = page.locator("thead th.opd").first.bounding_box()
    frame = page.locator(".matrix-scroll").bounding_box()
    first_column = page.locator("th.ind", has_text="Peta Rencana SPBE").first.bounding_box()
    assert abs(head["y"] - frame["y"]) <= 2
    assert abs(first_column["x"] - frame["x"]) <= 2
    screenshot(page, "assignment-matrix-1366-scrolled")
    screenshot(page, "assignment-matrix-1366-viewport", full_page=False)

    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Simpan penugasan")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".messages, [role=status]").first).to_contain_text(
        "Penugasan indikator disimpan. 1 indikator belum ditugaskan ke OPD mana pun."
    )
    expect(page.locator("#penugasan-tersimpan")).to_contain_text(
        "1 indikator belum ditugaskan ke OPD mana pun."
    )
    expect(page.get_by_label("Bappeda — indikator 12")).to_be_checked()

    # The rest goes to one OPD; the cycle page then has nothing to warn about.
    page.get_by_label("Tugaskan yang belum ditugaskan ke").select_option(
        label="Bag. Organisasi — Bagian Organisasi Sekretariat Daerah"
    )
    page.get_by_role("button", name="Tugaskan 1 indikator").click()
    expect(page.locator("#penugasan-tersimpan")).to_contain_text(
        "Semua indikator sudah ditugaskan."
    )
    screenshot(page, "assignment-matrix-1366-saved")

    # Choosing an aspect filters at once, without a reload (the unsaved ticks stay).
    page.get_by_label("Aspek").select_option("A3")
    expect(page.get_by_label("Bappeda — indikator 1", exact=True)).to_be_hidden()
    expect(page.get_by_label("Bappeda — indikator 15")).to_be_visible()
    assert page.url.endswith("?aspek=A3")
    page.goto(f"{live_server.url}/periode/{matrix_cycle.pk}/")
    expect(page.get_by_role("heading", name="Surat")).to_be_visible()
    expect(page.locator("#belum-ditugaskan")).to_have_count(0)
    context.close()


def test_matrix_on_a_phone(browser, live_server, matrix_cycle):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="id-ID", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    login(page, "koordinator", builder.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/periode/{matrix_cycle.pk}/penugasan/?aspek=A2")
    expect(page.get_by_role("button", name="Simpan penugasan aspek 2")).to_be_visible()
    assert page.evaluate("[window.innerWidth, document.documentElement.scrollWidth]") == [390, 390]
    box = page.get_by_label("BKPSDM — indikator 12")
    expect(box).to_be_visible()  # a named checkbox in the indicator's card
    screenshot(page, "assignment-matrix-390")
    screenshot(page, "assignment-matrix-390-viewport", full_page=False)
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    page.get_by_role("button", name="Simpan penugasan aspek 2").click()
    expect(page.locator("#penugasan-tersimpan")).to_contain_text(
        "1 indikator belum ditugaskan ke OPD mana pun."
    )
    expect(page.get_by_label("BKPSDM — indikator 12")).to_be_checked()
    screenshot(page, "assignment-matrix-390-saved")
    context.close()
