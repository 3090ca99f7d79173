"""Last year's handed-in answer of the OPD to the same indicator, offered as a starting
point on this year's indicator page."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cycles import services as cycle_services
from monev.testing import login, screenshot
from submissions import queries
from submissions.models import Submission

LAST_FAKTA = "Perwa 12/2024 tentang Arsitektur SPBE, Pasal 3; berkas Dokumen 1.a."
LAST_ANALISIS = "Arsitektur SPBE ditetapkan dan diterapkan: kriteria tingkat 3 terpenuhi."


@pytest.fixture
def last_year(cycle, framework, coordinator, agency, other_agency, indicators):
    """The 2025 cycle: BKPSDM handed in indicator 1; Dinkes indicator 2; BKPSDM's answer to
    indicator 2 stayed a draft."""
    first, second, _third = indicators
    previous = cycle_services.open_cycle(
        by=coordinator,
        year=2025,
        framework=framework,
        agencies=[agency, other_agency],
        deadline=datetime.date(2025, 6, 30),
        contact_person=coordinator,
        assignments={first: [agency], second: [agency, other_agency]},
    )
    rows = [
        (first, agency, "accepted", 3, LAST_FAKTA, LAST_ANALISIS),
        (second, other_agency, "submitted", 4, "Dinkes 2025.", "Dinkes tingkat 4."),
        (second, agency, "draft", 2, "Draf BKPSDM 2025.", "Belum selesai."),
    ]
    for indicator, opd, status, level, fakta, analisis in rows:
        Submission.objects.create(
            cycle=previous,
            indicator=indicator,
            agency=opd,
            status=status,
            level=level,
            fakta=fakta,
            analisis=analisis,
            version=2,
        )
    return previous


def edit_url(cycle, agency, indicator):
    return reverse("submission_edit", args=[cycle.pk, agency.pk, indicator.pk])


def test_the_previous_answer_is_the_opds_handed_in_one(
    cycle, last_year, agency, other_agency, indicators, django_assert_num_queries
):
    first, second, third = indicators
    with django_assert_num_queries(1):
        previous = queries.previous_answer(cycle, agency, first)
    assert (previous.cycle, previous.level, previous.fakta) == (last_year, 3, LAST_FAKTA)
    assert queries.previous_answer(cycle, agency, second) is None  # only a draft last year
    assert queries.previous_answer(cycle, other_agency, second).fakta == "Dinkes 2025."
    assert queries.previous_answer(cycle, other_agency, third) is None
    assert queries.previous_answer(last_year, agency, first) is None  # no 2024 cycle


def test_a_copied_cycle_takes_the_answers_of_the_cycle_it_was_copied_from(
    cycle, last_year, agency, indicators, django_assert_num_queries
):
    """A cycle copied from another (cycles.services.copy_cycle) starts from that cycle's
    answers, whatever its year: here 2025's, for a cycle of 2030."""
    first, second, _third = indicators
    cycle.year, cycle.copied_from = 2030, last_year
    cycle.save(update_fields=["year", "copied_from"])
    with django_assert_num_queries(1):
        previous = queries.previous_answer(cycle, agency, first)
    assert (previous.cycle, previous.level, previous.fakta) == (last_year, 3, LAST_FAKTA)
    assert previous.cycle.year == 2025
    assert queries.previous_answer(cycle, agency, second) is None  # only a draft there


def test_the_indicator_page_offers_last_years_answer(
    client, cycle, last_year, agency, agency_user, indicators
):
    first, second, _third = indicators
    client.force_login(agency_user)
    text = html.unescape(client.get(edit_url(cycle, agency, first)).content.decode())
    assert "Isian tahun lalu (2025)" in text
    assert f'data-fakta="{LAST_FAKTA}"' in text
    assert "Pakai isian tahun lalu" in text
    text = html.unescape(client.get(edit_url(cycle, agency, second)).content.decode())
    assert "Isian tahun lalu" not in text
    assert "Draf BKPSDM 2025." not in text


def test_the_button_fills_the_empty_form_and_it_saves_itself(
    page, live_server, cycle, last_year, agency, agency_user, indicators
):
    first = indicators[0]
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, agency_user.username)
    page.goto(f"{live_server.url}{edit_url(cycle, agency, first)}")
    screenshot(page, "isian-tahun-lalu-390")
    page.get_by_role("button", name="Pakai isian tahun lalu").click()
    fakta = page.get_by_label(re.compile(r"^FAKTA\b"))
    expect(fakta).to_have_value(LAST_FAKTA)
    expect(fakta).to_be_focused()
    expect(page.get_by_label(re.compile(r"^ANALISIS\b"))).to_have_value(LAST_ANALISIS)
    expect(page.get_by_label("3 — Terdefinisi")).to_be_checked()
    expect(page.locator("#autosave-status")).to_contain_text("Tersimpan")
    fakta.press("End")
    page.keyboard.type(" Diperbarui Perwa 5/2026.")
    stored = Submission.objects.get(cycle=cycle, agency=agency, indicator=first)
    for _attempt in range(50):  # the autosave waits 1.5 s after the last key
        if stored.version == 2:
            break
        page.wait_for_timeout(200)
        stored.refresh_from_db()
    assert (stored.version, stored.level, stored.fakta, stored.analisis) == (
        2,
        3,
        f"{LAST_FAKTA} Diperbarui Perwa 5/2026.",
        LAST_ANALISIS,
    )
    # A second use touches nothing that is filled.
    page.get_by_role("button", name="Pakai isian tahun lalu").click()
    expect(page.locator("#pakai-tahun-lalu-hasil")).to_contain_text("sudah terisi")
    expect(fakta).to_have_value(f"{LAST_FAKTA} Diperbarui Perwa 5/2026.")
