"""The OPD portal, the indicator page with its autosave, and the review pages: who sees
what, the forms, the HTMX answers, and the query count of the list pages."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cycles.clock import Calendar
from cycles.services import set_assignments
from evidence.models import Evidence
from frameworks.queries import tree_rows
from institutions.models import Agency
from submissions import queries, services
from submissions.models import Review, Submission
from submissions.tests.conftest import pass_deadline


def text_of(response):
    return html.unescape(response.content.decode())


def portal_url(cycle, agency):
    return reverse("portal", args=[cycle.pk, agency.pk])


def edit_url(cycle, agency, indicator, name="submission_edit"):
    return reverse(name, args=[cycle.pk, agency.pk, indicator.pk])


def form_data(version, level="3", fakta="Perwa 12/2024 Pasal 3.", analisis="Tingkat 3 terpenuhi."):
    return {"level": level, "fakta": fakta, "analisis": analisis, "version": version}


# --- Access -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["other_agency_user", "outsider"])
def test_another_opd_or_institution_gets_404_everywhere(
    request, client, cycle, indicators, agency, agency_user, answer, persona
):
    submission = answer(indicators[0], by=agency_user)
    services.submit_submission(submission, by=agency_user)
    client.force_login(request.getfixturevalue(persona))
    first = indicators[0]
    gets = [portal_url(cycle, agency), edit_url(cycle, agency, first)]
    posts = [
        reverse("portal_submit_all", args=[cycle.pk, agency.pk]),
        edit_url(cycle, agency, first),
        edit_url(cycle, agency, first, "submission_autosave"),
        edit_url(cycle, agency, first, "submission_submit"),
        reverse("submission_return", args=[submission.pk]),
        reverse("submission_accept", args=[submission.pk]),
    ]
    if persona == "outsider":
        gets += [
            reverse("review_indicator", args=[cycle.pk, first.pk]),
            reverse("review_list", args=[cycle.pk]),
        ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, form_data(2, fakta="Diubah orang lain.")).status_code == 404, url
    stored = Submission.objects.get()
    assert (stored.status, stored.fakta) == ("submitted", "Perwa 12/2024 Pasal 3.")


def test_an_operator_does_not_see_the_review_pages(client, cycle, indicators, agency_user):
    client.force_login(agency_user)
    assert (
        client.get(reverse("review_indicator", args=[cycle.pk, indicators[0].pk])).status_code
        == 404
    )
    assert client.get(reverse("review_list", args=[cycle.pk])).status_code == 404


def test_an_indicator_not_assigned_to_the_opd_is_404(
    client, cycle, indicators, agency, agency_user
):
    client.force_login(agency_user)
    assert client.get(edit_url(cycle, agency, indicators[2])).status_code == 404


def test_anonymous_people_are_sent_to_log_in(client, cycle, indicators, agency):
    response = client.get(portal_url(cycle, agency))
    assert (response.status_code, response.url.split("?")[0]) == (302, "/masuk/")
    response = client.post(edit_url(cycle, agency, indicators[0], "submission_autosave"), {})
    assert "Sesi Anda berakhir; masuk lagi." in text_of(response)
    assert Submission.objects.count() == 0


# --- The portal ---------------------------------------------------------------------------


def test_the_portal_shows_the_operator_what_to_do(
    client, cycle, indicators, agency, agency_user, coordinator, answer
):
    first = answer(indicators[0], by=agency_user)
    services.submit_submission(first, by=agency_user)
    services.return_submission(first, by=coordinator, note="Sebutkan pasalnya.")
    client.force_login(agency_user)
    response = client.get(portal_url(cycle, agency))
    assert response.status_code == 200
    text = text_of(response)
    assert "0 dari 2 indikator diajukan" in text
    days = queries.working_days_left(
        Calendar.for_institution(cycle.institution), timezone.localdate(), cycle.deadline
    )
    assert f"sisa {days} hari kerja" in text
    assert '<span class="badge badge-bad">dikembalikan</span>' in text
    assert "Sebutkan pasalnya." in text
    assert '<span class="badge ">belum diisi</span>' in text
    assert "Ada isian yang dikembalikan" in text
    assert "Lanjutkan: Indikator 1" in text  # the returned one first
    # The returned answer is complete; indicator 2 is not answered and stays out.
    assert "Ajukan semua yang lengkap (1)" in text
    assert "1 indikator yang belum lengkap tidak ikut diajukan." in text
    assert "Buka kembali isian OPD ini" not in text


def test_submit_all_from_the_portal(client, cycle, indicators, agency, agency_user, answer):
    answer(indicators[0], by=agency_user)
    client.force_login(agency_user)
    url = reverse("portal_submit_all", args=[cycle.pk, agency.pk])
    response = client.post(url, follow=True)
    assert "1 isian diajukan kepada koordinator." in text_of(response)
    assert "1 dari 2 indikator diajukan" in text_of(response)
    response = client.post(url, follow=True)
    assert "Belum ada isian yang lengkap: indikator 2 belum lengkap" in text_of(response)
    answer(indicators[1], by=agency_user)
    response = client.post(url, follow=True)
    assert "1 isian diajukan kepada koordinator." in text_of(response)
    assert "2 dari 2 indikator diajukan" in text_of(response)


def test_the_coordinator_reopens_an_opd_from_its_portal(client, cycle, agency, coordinator):
    pass_deadline(cycle)
    client.force_login(coordinator)
    url = portal_url(cycle, agency)
    assert "Buka kembali isian OPD ini" in text_of(client.get(url))
    reopen = reverse("agency_reopen", args=[cycle.pk, agency.pk])
    response = client.post(reopen, {"until": "2099-01-31", "reason": ""})
    assert "Tulis alasan pembukaan kembali." in text_of(response)
    response = client.post(reopen, {"until": "2099-01-31", "reason": "Server mati."}, follow=True)
    text = text_of(response)
    assert "Isian BKPSDM dibuka kembali." in text
    assert "hingga 31 Januari 2099 pukul 23.59" in text


# --- The indicator page -------------------------------------------------------------------


def test_the_indicator_page_shows_the_official_texts_and_the_form(
    client, cycle, indicators, agency, agency_user
):
    client.force_login(agency_user)
    response = client.get(edit_url(cycle, agency, indicators[0]))
    text = text_of(response)
    assert response.status_code == 200
    assert "Apakah Instansi Pusat/Pemerintah Daerah memiliki kebijakan internal Arsitektur" in text
    assert "PermenPANRB 59/2020 · Pedoman Menteri PANRB 3/2024" in text
    assert "Sumber: Lampiran Peraturan Menteri PANRB Nomor 59 Tahun 2020" in text
    assert "Sumber: Pedoman Menteri PANRB Nomor 3 Tahun 2024" in text
    assert "Kriteria pemenuhan" in text and "Kriteria bukti dukung" in text
    assert "3 — Terdefinisi" in text
    assert 'hx-trigger="input delay:1500ms"' in text
    assert 'name="version" value="0"' in text
    assert "pasal atau halaman" in text
    assert "Sisipkan rujukan data dukung" in text
    # The data dukung panel is there before the first save (evidence.queries.answer_panel).
    assert 'class="card evidence-panel"' in text
    assert "Data dukung dapat diunggah setelah isian ini tersimpan" not in text


def test_staff_see_the_indicator_page_read_only(
    client, cycle, indicators, agency, agency_user, coordinator, answer
):
    answer(indicators[0], by=agency_user)
    client.force_login(coordinator)
    text = text_of(client.get(edit_url(cycle, agency, indicators[0])))
    assert 'id="isian-form"' not in text
    assert "Perwa 12/2024 Pasal 3." in text
    assert "Verifikasi indikator ini" in text
    response = client.post(edit_url(cycle, agency, indicators[0]), form_data(1, fakta="Staf."))
    assert response.status_code == 404


def test_plain_post_saves_the_draft(client, cycle, indicators, agency, agency_user):
    client.force_login(agency_user)
    url = edit_url(cycle, agency, indicators[0])
    response = client.post(url, form_data(0))
    assert (response.status_code, response.url) == (302, url)
    stored = Submission.objects.get()
    assert (stored.status, stored.level, stored.version) == ("draft", 3, 1)
    text = text_of(client.get(url))
    assert "Draf disimpan." in text
    assert 'id="data-dukung-' in text  # the evidence panel, now that the answer exists


def test_autosave_answers_with_the_status_and_the_new_version(
    client, cycle, indicators, agency, agency_user
):
    client.force_login(agency_user)
    url = edit_url(cycle, agency, indicators[0], "submission_autosave")
    response = client.post(url, form_data(0), headers={"HX-Request": "true"})
    text = text_of(response)
    stored = Submission.objects.get()
    assert f"Tersimpan {stored.updated_at.astimezone().strftime('%H.%M')}" in text
    assert (
        '<input type="hidden" name="version" value="1" id="id_version" hx-swap-oob="true">' in text
    )
    # The data dukung panel is on the page from the start: the autosave never sends it.
    assert 'id="data-dukung"' not in text
    response = client.post(url, form_data(1, fakta="Lagi."), headers={"HX-Request": "true"})
    assert 'name="version" value="2"' in text_of(response)
    assert 'id="data-dukung"' not in text_of(response)


def test_autosave_conflict_shows_the_stored_answer_and_keeps_it(
    client, cycle, indicators, agency, agency_user, answer
):
    answer(indicators[0], by=agency_user, fakta="Teks dari tab lain.")
    answer(indicators[0], by=agency_user, fakta="Teks dari tab lain, diubah.")
    client.force_login(agency_user)
    url = edit_url(cycle, agency, indicators[0], "submission_autosave")
    response = client.post(url, form_data(1, fakta="Teks tab ini."))
    text = text_of(response)
    assert "Isian ini sudah diubah di tempat lain; muat ulang halaman." in text
    assert 'id="konflik" hx-swap-oob="true"' in text
    assert "Teks dari tab lain, diubah." in text
    assert """hx-vals='{"version": "2"}'""" in text
    assert Submission.objects.get().fakta == "Teks dari tab lain, diubah."


def test_plain_post_conflict_keeps_both_texts(
    client, cycle, indicators, agency, agency_user, answer
):
    answer(indicators[0], by=agency_user, fakta="Teks tersimpan.")
    answer(indicators[0], by=agency_user, fakta="Teks tersimpan, diubah.")
    client.force_login(agency_user)
    url = edit_url(cycle, agency, indicators[0])
    response = client.post(url, form_data(1, fakta="Teks saya."))
    text = text_of(response)
    assert response.status_code == 200
    assert "Isian ini sudah diubah di tempat lain; muat ulang halaman." in text
    assert "Teks saya.</textarea>" in text
    assert "Teks tersimpan, diubah." in text
    assert 'name="version" value="2"' in text  # saving again deliberately replaces it
    assert Submission.objects.get().fakta == "Teks tersimpan, diubah."
    response = client.post(url, form_data(2, fakta="Teks saya."))
    assert response.status_code == 302
    assert Submission.objects.get().fakta == "Teks saya."


def test_autosave_refusals_are_shown_in_the_status_line(
    client, cycle, indicators, agency, agency_user
):
    client.force_login(agency_user)
    url = edit_url(cycle, agency, indicators[0], "submission_autosave")
    response = client.post(url, form_data(0, level="6"))
    assert 'class="autosave autosave-error"' in text_of(response)
    pass_deadline(cycle)
    response = client.post(url, form_data(0))
    assert "Batas waktu telah lewat; hubungi koordinator untuk membuka kembali." in text_of(
        response
    )
    assert Submission.objects.count() == 0


def test_submit_from_the_indicator_page(client, cycle, indicators, agency, agency_user):
    client.force_login(agency_user)
    url = edit_url(cycle, agency, indicators[0], "submission_submit")
    response = client.post(url, form_data(0))
    assert (response.status_code, response.url) == (302, portal_url(cycle, agency))
    assert Submission.objects.get().status == "submitted"
    # A second click of the same button submits nothing twice.
    response = client.post(url, form_data(1))
    assert response.status_code == 302
    assert Review.objects.count() == 1


def test_submit_an_incomplete_answer_saves_it_and_says_what_is_missing(
    client, cycle, indicators, agency, agency_user
):
    client.force_login(agency_user)
    url = edit_url(cycle, agency, indicators[0], "submission_submit")
    response = client.post(url, form_data(0, level="", analisis=""), follow=True)
    assert "Lengkapi dulu: tingkat yang diusulkan, ANALISIS." in text_of(response)
    stored = Submission.objects.get()
    assert (stored.status, stored.fakta) == ("draft", "Perwa 12/2024 Pasal 3.")


def test_after_the_deadline_the_page_is_read_only(
    client, cycle, indicators, agency, agency_user, answer
):
    answer(indicators[0], by=agency_user)
    pass_deadline(cycle)
    client.force_login(agency_user)
    text = text_of(client.get(edit_url(cycle, agency, indicators[0])))
    assert "Batas waktu telah lewat; hubungi koordinator untuk membuka kembali." in text
    assert 'id="isian-form"' not in text
    assert "Perwa 12/2024 Pasal 3." in text


def test_the_returned_note_is_shown_above_the_form(
    client, cycle, indicators, agency, agency_user, evaluator, answer
):
    submission = answer(indicators[0], by=agency_user)
    services.submit_submission(submission, by=agency_user)
    services.return_submission(submission, by=evaluator, note="Lampirkan SK penetapan.")
    client.force_login(agency_user)
    text = text_of(client.get(edit_url(cycle, agency, indicators[0])))
    assert "Dikembalikan dengan catatan" in text
    assert "Lampirkan SK penetapan." in text
    assert "Ajukan kembali" in text


# --- Review -------------------------------------------------------------------------------


def test_the_review_page_shows_the_opds_side_by_side(
    client, cycle, indicators, agency, agency_user, other_agency_user, coordinator, answer
):
    services.submit_submission(answer(indicators[1], by=agency_user, level=4), by=agency_user)
    answer(indicators[1], by=other_agency_user, level=2, fakta="Fakta Dinkes.")
    client.force_login(coordinator)
    response = client.get(reverse("review_indicator", args=[cycle.pk, indicators[1].pk]))
    text = text_of(response)
    assert [row.agency.short_name for row in response.context["rows"]] == ["BKPSDM", "Dinkes"]
    assert "Fakta Dinkes." in text
    assert "Terima isian BKPSDM" in text
    assert "Kembalikan ke BKPSDM" in text
    assert "Terima isian Dinkes" not in text  # a draft cannot be decided


def test_return_and_accept_through_the_review_page(
    client, cycle, indicators, agency, agency_user, coordinator, answer
):
    submission = answer(indicators[0], by=agency_user)
    services.submit_submission(submission, by=agency_user)
    client.force_login(coordinator)
    back = reverse("review_indicator", args=[cycle.pk, indicators[0].pk]) + f"#opd-{agency.pk}"
    url = reverse("submission_return", args=[submission.pk])
    response = client.post(url, {"note": ""})
    assert (response.status_code, response.url) == (302, back)
    assert Submission.objects.get().status == "submitted"
    response = client.post(url, {"note": "Sebutkan pasalnya."}, follow=True)
    assert "Isian BKPSDM dikembalikan dengan catatan." in text_of(response)
    services.submit_submission(Submission.objects.get(), by=agency_user)
    client.post(reverse("submission_accept", args=[submission.pk]), {"note": ""})
    assert Submission.objects.get().status == "accepted"


def test_a_supervisor_sees_the_review_page_without_the_forms(
    client, cycle, indicators, agency_user, supervisor, answer
):
    services.submit_submission(answer(indicators[0], by=agency_user), by=agency_user)
    client.force_login(supervisor)
    text = text_of(client.get(reverse("review_indicator", args=[cycle.pk, indicators[0].pk])))
    assert "Perwa 12/2024 Pasal 3." in text
    assert "Terima isian" not in text


def test_the_coordinator_closes_the_collection(client, cycle, coordinator):
    client.force_login(coordinator)
    url = reverse("review_list", args=[cycle.pk])
    assert "Tutup pengumpulan isian" in text_of(client.get(url))
    response = client.post(
        reverse("collection_close", args=[cycle.pk]), {"confirmed": "yes"}, follow=True
    )
    text = text_of(response)
    assert "langkah 5 (rekap dan verifikasi) dimulai" in text
    assert "Tutup pengumpulan isian" not in text


# --- Query counts -------------------------------------------------------------------------


def many_agencies(institution, count):
    Agency.objects.bulk_create(
        Agency(institution=institution, name=f"Dinas Nomor {n:02}", short_name=f"D{n:02}")
        for n in range(count)
    )
    return list(Agency.objects.filter(short_name__startswith="D", name__startswith="Dinas Nomor"))


def fill(cycle, pairs, by):
    """Answers with a thread for each (indicator, agency): rows, not states, to count."""
    Submission.objects.bulk_create(
        Submission(
            cycle=cycle,
            indicator=indicator,
            agency=agency,
            status="submitted",
            level=3,
            fakta="F",
            analisis="A",
            version=2,
            updated_by=by,
        )
        for indicator, agency in pairs
    )
    submissions = list(Submission.objects.filter(cycle=cycle))
    Review.objects.bulk_create(
        Review(submission=submission, kind="submitted", level=3, by=by)
        for submission in submissions
    )
    evidence = Evidence.objects.bulk_create(
        Evidence(
            cycle=cycle,
            agency=submission.agency,
            kind="link",
            title=f"Bukti {submission.pk}",
            url="https://jdih.pontianak.go.id/",
            created_by=by,
        )
        for submission in submissions
    )
    Submission.evidence.through.objects.bulk_create(
        Submission.evidence.through(submission_id=submission.pk, evidence_id=item.pk)
        for submission, item in zip(submissions, evidence, strict=True)
    )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("count", [1, 30])
def test_the_portal_query_count_does_not_grow(
    client, cycle, institution, framework, agency, agency_user, coordinator, count
):
    """With 1 or 30 OPDs in the cycle and 1 or 30 indicators assigned to this one."""
    others = many_agencies(institution, count)
    cycle.agencies.add(*others)
    indicators = list(framework.nodes.filter(children__isnull=True).order_by("position")[:count])
    set_assignments(cycle, dict.fromkeys(indicators, [agency, *others]), by=coordinator)
    fill(cycle, [(indicator, agency) for indicator in indicators], agency_user)
    client.force_login(agency_user)
    # The framework tree is kept per process (frameworks.trees), as a worker has it.
    tree_rows(framework)
    # Session, user, roles, the cycle (the OPD is the operator's own, from the roles); the
    # OPD's work (answers, return notes, assignments, finished steps 4 and 8, days off); the
    # menu badge (answers to work on, follow-ups: cycles.waiting.waiting_count, which also
    # serve the OPD's open follow-ups); SOP step 4's needs (the steps; its answers are the
    # OPD's work's).
    assert count_queries(client, portal_url(cycle, agency)) == 11


@pytest.mark.parametrize("count", [1, 30])
def test_the_review_page_query_count_does_not_grow(
    client, cycle, institution, indicators, agency_user, coordinator, count
):
    agencies = many_agencies(institution, count)
    cycle.agencies.add(*agencies)
    set_assignments(cycle, {indicators[0]: agencies}, by=coordinator)
    fill(cycle, [(indicators[0], agency) for agency in agencies], agency_user)
    client.force_login(coordinator)
    url = reverse("review_indicator", args=[cycle.pk, indicators[0].pk])
    # "Berikutnya yang menunggu" reads the other indicators with a waiting answer.
    # 13 with the menu badge's waiting work (cycles.waiting: one statement for the running
    # steps with their letters and the answers waiting for review).
    assert count_queries(client, url) == 13


@pytest.mark.parametrize("count", [1, 30])
def test_the_review_list_query_count_does_not_grow(
    client, cycle, institution, framework, coordinator, agency_user, count
):
    agencies = many_agencies(institution, count)
    cycle.agencies.add(*agencies)
    indicators = list(framework.nodes.filter(children__isnull=True).order_by("position")[:count])
    set_assignments(cycle, dict.fromkeys(indicators, agencies), by=coordinator)
    client.force_login(coordinator)
    # The OPD filter's list of the OPDs with an assigned indicator.
    # 11 with the menu badge's waiting work (cycles.waiting: one statement for the running
    # steps with their letters and the answers waiting for review) and step 4's Surat
    # Edaran (the cycle's letters, for the SOP step's needs).
    assert count_queries(client, reverse("review_list", args=[cycle.pk])) == 11
