"""The box "Yang dibutuhkan langkah N SOP" on every step's working page (sops.needs and the
{% step_needs %} tag): who acts, the time standard, each item required or optional, and ✓
where it is there."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cycles import services as cycle_services
from letters.services import draft_cycle_letters
from sops.needs import NEEDS, step_needs


@pytest.fixture
def cycle(framework, sop, coordinator, agency, other_agency):
    first, second = framework.nodes.filter(children__isnull=True).order_by("position")[:2]
    return cycle_services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=[agency, other_agency],
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        contact_person=coordinator,
        assignments={first: [agency], second: [agency, other_agency]},
    )


def needs_box(response):
    """The text of the page's needs box, tags removed and spaces collapsed."""
    assert response.status_code == 200
    page = response.content.decode()
    match = re.search(r'<section[^>]*id="kebutuhan-langkah".*?</section>', page, re.S)
    assert match, "no needs box on the page"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group())).split())


def test_step_7_requires_the_berita_acara_and_marks_the_statement_optional(cycle):
    lines = {str(line.name): line.required for line in step_needs(cycle, 7).lines}
    assert lines == {
        "Berita Acara Penyelenggaraan Evaluasi Mandiri, ditandatangani Sekda": True,
        "Pernyataan Persetujuan Publikasi": False,
        "Formulir evaluasi resmi (ekspor)": False,
    }


def test_every_step_of_the_shipped_sop_has_needs(sop):
    assert sorted(NEEDS) == list(sop.steps.values_list("number", flat=True))
    assert all(any(need.required for need in needs) for needs in NEEDS.values())


def test_a_step_the_sop_does_not_have_shows_no_box(cycle):
    assert step_needs(cycle, 9) is None


def test_the_state_of_each_item_is_known_where_the_application_tracks_it(cycle):
    # Opening the cycle set the assignments; no letter is drafted yet.
    assert [line.done for line in step_needs(cycle, 1).lines] == [False, False, True]
    # The recap workbook is not tracked: no mark either way.
    assert [line.done for line in step_needs(cycle, 5).lines] == [False, None, None, False]


@pytest.mark.parametrize(
    ("number", "url_name", "needs"),
    [
        (4, "review_list", "Isian setiap indikator yang ditugaskan"),
        (5, "recap", "Jadwal rapat koordinasi wajib"),
        (6, "meeting_detail", "Tingkat yang disepakati untuk setiap indikator"),
        (8, "evaluation", "Dokumen Evaluasi SPBE (PDF dan DOCX) wajib"),
    ],
)
def test_each_step_page_shows_what_the_step_needs(client, cycle, number, url_name, needs):
    client.force_login(cycle.created_by)
    text = needs_box(client.get(reverse(url_name, args=[cycle.pk])))
    assert f"Yang dibutuhkan langkah {number} SOP" in text
    assert needs in text
    step = cycle.sop.steps.get(number=number)
    assert f"Waktu baku: {step.time_label}" in text
    assert cycle.sop.actor_name(step.owner) in text


def test_the_berita_acara_page_marks_the_statement_optional(client, cycle):
    client.force_login(cycle.created_by)
    text = needs_box(client.get(reverse("report_list", args=[cycle.pk])))
    assert "Yang dibutuhkan langkah 7 SOP" in text
    assert "Pelaksana: Kasi. PK&AI, Setda · Waktu baku: 180 menit" in text
    assert "Berita Acara Penyelenggaraan Evaluasi Mandiri, ditandatangani Sekda wajib" in text
    assert "Pernyataan Persetujuan Publikasi opsional" in text


def test_the_letter_page_shows_step_1_while_the_letter_is_a_draft(client, cycle, coordinator):
    draft_cycle_letters(cycle, by=coordinator)
    letter = cycle.letters.first()
    client.force_login(coordinator)
    text = needs_box(client.get(reverse("letter_detail", args=[letter.pk])))
    assert "Yang dibutuhkan langkah 1 SOP" in text
    assert "belum ada: Surat Undangan, diajukan kepada Kabid wajib" in text
    assert "✓ sudah ada: OPD peserta dan pembagian indikator wajib" in text


def test_the_opd_portal_shows_step_4_for_the_operators_own_answers(
    client, cycle, agency, agency_user
):
    client.force_login(agency_user)
    text = needs_box(client.get(reverse("portal", args=[cycle.pk, agency.pk])))
    assert "Yang dibutuhkan langkah 4 SOP" in text
    assert "belum ada: Isian setiap indikator yang ditugaskan" in text


def test_step_4_reads_the_opds_answers_from_the_counts_the_page_has(
    cycle, agency, django_assert_num_queries
):
    """The OPD portal gives its (assigned, handed in) counts: only the steps are read."""
    with django_assert_num_queries(1):
        done = step_needs(cycle, 4, agency=agency, answers=(3, 3)).lines[0].done
    assert done is True
    assert step_needs(cycle, 4, agency=agency, answers=(3, 2)).lines[0].done is False
    assert step_needs(cycle, 4, agency=agency, answers=(0, 0)).lines[0].done is False
