"""The operator's flow (issue 12): "Simpan & lanjut" to the next indicator still to do, the
return note pinned above the form, the indicator's place among the OPD's, and the home
leading with the OPD's work (progress, working days left, "Lanjutkan", "Ajukan semua")."""

import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cycles.clock import Calendar
from cycles.services import set_assignments
from frameworks.queries import tree_rows
from letters import services as letter_services
from letters.tests.conftest import advance
from submissions import queries, services
from submissions.models import Submission
from submissions.tests.conftest import pass_deadline


def text_of(response):
    return html.unescape(response.content.decode())


def edit_url(cycle, agency, indicator, name="submission_edit"):
    return reverse(name, args=[cycle.pk, agency.pk, indicator.pk])


def form_data(version, *, fakta="Perwa 12/2024 Pasal 3.", lanjut=True):
    data = {"level": "3", "fakta": fakta, "analisis": "Tingkat 3 terpenuhi.", "version": version}
    if lanjut:
        data["lanjut"] = "1"
    return data


@pytest.fixture
def four(cycle, framework, agency, coordinator):
    """BKPSDM answers the framework's first four indicators, in framework order."""
    nodes = list(framework.nodes.filter(children__isnull=True).order_by("position")[:4])
    set_assignments(cycle, dict.fromkeys(nodes, [agency]), by=coordinator)
    return nodes


def submitted(answer, indicator, by):
    return services.submit_submission(answer(indicator, by=by), by=by)


# --- Simpan & lanjut ----------------------------------------------------------------------


def test_save_and_continue_opens_the_next_indicator_not_handed_in(
    client, cycle, four, agency, agency_user, answer
):
    submitted(answer, four[1], agency_user)
    client.force_login(agency_user)
    response = client.post(edit_url(cycle, agency, four[0]), form_data(0))
    assert (response.status_code, response.url) == (302, edit_url(cycle, agency, four[2]))
    stored = Submission.objects.get(indicator=four[0])
    assert (stored.status, stored.level, stored.fakta, stored.version) == (
        "draft",
        3,
        "Perwa 12/2024 Pasal 3.",
        1,
    )
    text = text_of(client.get(response.url))
    numbers = [node.number for node in four]
    assert f"Draf indikator {numbers[0]} disimpan. Lanjut ke indikator {numbers[2]}." in text


def test_save_and_continue_wraps_round_to_the_start(
    client, cycle, four, agency, agency_user, answer
):
    submitted(answer, four[1], agency_user)
    submitted(answer, four[2], agency_user)
    client.force_login(agency_user)
    response = client.post(edit_url(cycle, agency, four[3]), form_data(0))
    assert response.url == edit_url(cycle, agency, four[0])


def test_save_and_continue_on_the_last_one_left_goes_to_the_portal(
    client, cycle, four, agency, agency_user, answer
):
    for node in four[1:]:
        submitted(answer, node, agency_user)
    client.force_login(agency_user)
    response = client.post(edit_url(cycle, agency, four[0]), form_data(0), follow=True)
    assert response.redirect_chain == [(reverse("portal", args=[cycle.pk, agency.pk]), 302)]
    assert (
        f"Draf indikator {four[0].number} disimpan. Tidak ada indikator lain yang perlu "
        "diisi; periksa lalu ajukan isian Anda." in text_of(response)
    )
    assert "Ajukan semua yang lengkap (1)" in text_of(response)


def test_save_and_continue_skips_complete_drafts_and_ends_on_the_portal(
    client, cycle, four, agency, agency_user, answer
):
    answer(four[1], by=agency_user)  # a complete draft: only handing in is left
    answer(four[2], by=agency_user, analisis="")  # still missing its ANALISIS
    client.force_login(agency_user)
    response = client.post(edit_url(cycle, agency, four[0]), form_data(0))
    assert response.url == edit_url(cycle, agency, four[2])
    response = client.post(edit_url(cycle, agency, four[2]), form_data(1))
    assert response.url == edit_url(cycle, agency, four[3])
    response = client.post(edit_url(cycle, agency, four[3]), form_data(0), follow=True)
    assert response.redirect_chain == [(reverse("portal", args=[cycle.pk, agency.pk]), 302)]
    assert "Ajukan semua yang lengkap (4)" in text_of(response)
    assert "Lanjutkan: Indikator" not in text_of(response)


def test_save_and_continue_on_a_conflict_keeps_the_text_and_stays(
    client, cycle, four, agency, agency_user, answer
):
    answer(four[0], by=agency_user, fakta="Teks dari tab lain.")
    answer(four[0], by=agency_user, fakta="Teks dari tab lain, diubah.")
    client.force_login(agency_user)
    response = client.post(edit_url(cycle, agency, four[0]), form_data(1, fakta="Teks saya."))
    text = text_of(response)
    assert response.status_code == 200
    assert "Isian ini sudah diubah di tempat lain; muat ulang halaman." in text
    assert "Teks saya.</textarea>" in text
    assert "Teks dari tab lain, diubah." in text
    assert Submission.objects.get(indicator=four[0]).fakta == "Teks dari tab lain, diubah."


def test_plain_save_stays_on_the_indicator(client, cycle, four, agency, agency_user):
    client.force_login(agency_user)
    url = edit_url(cycle, agency, four[0])
    response = client.post(url, form_data(0, lanjut=False))
    assert (response.status_code, response.url) == (302, url)


# --- The indicator page -------------------------------------------------------------------


def test_the_page_says_where_the_indicator_stands(client, cycle, four, agency, agency_user):
    client.force_login(agency_user)
    text = text_of(client.get(edit_url(cycle, agency, four[1])))
    assert "Indikator 2 dari 4" in text
    assert f'rel="prev" href="{edit_url(cycle, agency, four[0])}"' in text
    assert f'rel="next" href="{edit_url(cycle, agency, four[2])}"' in text
    # The form comes before the guidance; the chosen level's criteria are not open yet.
    assert text.index('id="isian-form"') < text.index('id="panduan"')
    assert " open>" not in text[text.index('id="kriteria"') : text.index('id="isian-form"') + 1]
    assert "Pilih tingkat untuk membuka kriterianya di sini." in text


def test_the_chosen_level_criteria_are_open(client, cycle, four, agency, agency_user, answer):
    answer(four[0], by=agency_user, level=4)
    client.force_login(agency_user)
    text = text_of(client.get(edit_url(cycle, agency, four[0])))
    assert 'id="kriteria-tingkat-4" data-level="4" open>' in text
    assert 'id="kriteria-tingkat-3" data-level="3">' in text


def test_the_return_note_stays_above_the_form_after_a_reopening(
    client, cycle, four, agency, agency_user, coordinator, answer
):
    submission = submitted(answer, four[0], agency_user)
    services.return_submission(submission, by=coordinator, note="Lampirkan SK penetapan.")
    pass_deadline(cycle)
    services.reopen_agency(
        cycle,
        agency,
        by=coordinator,
        until=timezone.localdate() + datetime.timedelta(days=3),
        reason="Server sempat mati.",
    )
    kinds = list(submission.reviews.values_list("kind", flat=True))
    assert kinds == ["submitted", "returned", "reopened"]
    client.force_login(agency_user)
    text = text_of(client.get(edit_url(cycle, agency, four[0])))
    assert 'id="catatan-pengembalian"' in text
    assert text.index('id="catatan-pengembalian"') < text.index('id="isian-form"')
    pinned = text[text.index('id="catatan-pengembalian"') : text.index('id="isian-form"')]
    assert "Lampirkan SK penetapan." in pinned
    assert "Ajukan kembali" in text
    # The portal and the home list it with its note too.
    portal = text_of(client.get(reverse("portal", args=[cycle.pk, agency.pk])))
    assert "Lampirkan SK penetapan." in portal


def test_the_return_note_goes_once_handed_in_again(cycle, four, agency_user, coordinator, answer):
    submission = submitted(answer, four[0], agency_user)
    services.return_submission(submission, by=coordinator, note="Lampirkan SK penetapan.")
    submission.refresh_from_db()
    pinned = queries.pinned_return(submission, list(queries.thread(submission)))
    assert pinned.note == "Lampirkan SK penetapan."
    services.submit_submission(answer(four[0], by=agency_user), by=agency_user)
    submission.refresh_from_db()
    assert queries.pinned_return(submission, list(queries.thread(submission))) is None


# --- The home: the OPD's work -------------------------------------------------------------


@pytest.fixture
def dispatched(cycle, coordinator, supervisor, secretariat):
    """The cycle's letters dispatched to the OPDs: the operators' home shows the request."""
    for letter in letter_services.draft_cycle_letters(cycle, by=coordinator):
        advance(
            letter,
            "dispatched",
            coordinator=coordinator,
            supervisor=supervisor,
            secretariat=secretariat,
        )


def test_the_home_leads_into_the_next_indicator(
    client, cycle, four, dispatched, agency, agency_user, coordinator, answer
):
    submitted(answer, four[0], agency_user)
    submission = submitted(answer, four[2], agency_user)
    services.return_submission(submission, by=coordinator, note="Sebutkan pasalnya.")
    client.force_login(agency_user)
    text = text_of(client.get(reverse("home")))
    assert "1 dari 4 indikator diajukan" in text
    days = queries.working_days_left(
        Calendar.for_institution(cycle.institution), timezone.localdate(), cycle.deadline
    )
    assert f"sisa {days} hari kerja" in text
    # The returned one first, with its note and a link.
    assert (
        f'href="{edit_url(cycle, agency, four[2])}">Lanjutkan: Indikator {four[2].number}</a>'
        in text
    )
    assert "Sebutkan pasalnya." in text
    # The returned answer is complete (two are not answered yet and would stay out).
    assert "Ajukan semua yang lengkap (1)" in text
    assert "2 indikator yang belum lengkap tidak ikut diajukan." in text
    # The running step 4 in "Menunggu tindakan Anda" leads to the answer, not the SOP table.
    assert "#langkah-4" not in text
    assert (
        f'<a href="{edit_url(cycle, agency, four[2])}">Isi jawaban BKPSDM: indikator '
        f"{four[2].number} — {cycle.name}</a>" in text
    )


def test_the_home_offers_to_hand_in_all_complete_answers(
    client, cycle, four, dispatched, agency, agency_user, answer
):
    for node in four:
        answer(node, by=agency_user)
    client.force_login(agency_user)
    text = text_of(client.get(reverse("home")))
    assert "Ajukan semua yang lengkap (4)" in text
    assert "Ya, ajukan 4 isian" in text
    assert "Isian yang diajukan tidak dapat diubah lagi kecuali dikembalikan verifikator." in text
    assert f'action="{reverse("portal_submit_all", args=[cycle.pk, agency.pk])}"' in text


def test_working_days_left_skip_weekends_and_holidays(institution):
    calendar = Calendar.for_institution(institution)
    monday = datetime.date(2026, 5, 25)
    # Wed 27 and Thu 28 May (Idul Adha and its cuti bersama), the weekend and Mon 1 June
    # (Pancasila) are no working days: Mon 25, Tue 26, Fri 29, Tue 2 and Wed 3 are.
    assert queries.working_days_left(calendar, monday, datetime.date(2026, 6, 3)) == 5
    assert queries.working_days_left(calendar, monday, monday) == 1
    assert queries.working_days_left(calendar, monday, datetime.date(2026, 5, 24)) == 0


def test_the_home_counts_working_days_at_a_fixed_moment(cycle, agency):
    cycle.deadline = datetime.date(2026, 6, 3)
    cycle.save(update_fields=["deadline"])
    moment = datetime.datetime(2026, 5, 25, 3, 0, tzinfo=datetime.UTC)  # 10.00 in Pontianak
    (work,) = queries.agency_work([(cycle, agency)], now=moment)
    assert (work.window.today, work.working_days_left) == (datetime.date(2026, 5, 25), 5)


def count_home_queries(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(captured)


def test_the_home_query_count_does_not_grow_with_indicators(
    client, cycle, framework, dispatched, agency, other_agency, agency_user, coordinator, answer
):
    nodes = list(framework.nodes.filter(children__isnull=True).order_by("position")[:15])
    client.force_login(agency_user)
    set_assignments(cycle, dict.fromkeys(nodes[:3], [agency]), by=coordinator)
    for node in nodes[:3]:
        answer(node, by=agency_user)
    # The framework tree is kept per process (frameworks.trees), as a worker has it.
    tree_rows(framework)
    few = count_home_queries(client)
    set_assignments(cycle, dict.fromkeys(nodes, [agency, other_agency]), by=coordinator)
    for node in nodes:
        answer(node, by=agency_user)
    assert count_home_queries(client) == few
