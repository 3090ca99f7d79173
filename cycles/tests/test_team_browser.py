"""The team decree page on a phone (390 px): the members stack as cards, nothing sticks out,
and a member is added with the keyboard alone."""

import datetime

import pytest
from playwright.sync_api import expect

from cycles import team
from cycles.models import TeamMember
from cycles.tests.conftest import TITLE
from monev.testing import login, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_team_page_on_a_phone(page, live_server, cycle, coordinator, evaluator, agency):
    decree = team.save_decree(
        cycle,
        by=coordinator,
        issuer="Wali Kota Pontianak",
        number="162/DKI/Tahun 2020",
        date=datetime.date(2020, 3, 2),
        title=TITLE,
    )
    team.add_member(
        decree,
        by=coordinator,
        name="Ir. Mulyadi, M.T.",
        nip="19700101 199501 1 001",
        position="Sekretaris Daerah Kota Pontianak",
        role=TeamMember.Role.PENGARAH,
        group=TeamMember.Group.COORDINATION,
    )
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "koordinator")
    page.goto(f"{live_server.url}/periode/{cycle.pk}/tim/")
    expect(page.locator("#sk")).to_contain_text("162/DKI/Tahun 2020")
    # The add form by keyboard: open the details, fill, submit.
    page.locator("#anggota summary").focus()
    page.keyboard.press("Enter")
    page.locator("#anggota-form #id_user").focus()
    page.keyboard.press("Tab")
    page.keyboard.type("Eko Evaluator")
    page.locator("#anggota-form #id_role").select_option("anggota")
    page.locator("#anggota-form #id_group").select_option("pokja")
    page.locator("#anggota-form button[type=submit]").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Eko Evaluator ditambahkan ke tim.")
    rows = page.locator("table.team-members tr[id^=anggota-]")
    expect(rows).to_have_count(2)
    # Stacked: the header row is hidden, each member is a card.
    assert rows.first.evaluate("row => getComputedStyle(row).display") == "grid"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "team-decree-390")
    # The cycle page's section leads to it.
    page.goto(f"{live_server.url}/periode/{cycle.pk}/")
    section = page.locator("#tim-evaluator")
    expect(section).to_contain_text("Belum dikonfirmasi")
    section.scroll_into_view_if_needed()
    screenshot(page, "team-section-390", full_page=False)
    section.get_by_role("link", name="Periksa dan konfirmasi SK").click()
    expect(page.locator("h1")).to_have_text("Tim evaluator (SK)")
