"""Reads: the portal's rows, the review thread in order, every OPD's answer side by side."""

from evidence.services import add_file_evidence
from frameworks.queries import tree_rows
from submissions import queries, services
from submissions.tests.conftest import pdf_upload


def test_portal_rows_give_each_assigned_indicator_its_state(
    cycle, indicators, agency, agency_user, coordinator, answer, django_assert_num_queries
):
    first = answer(indicators[0], by=agency_user)
    services.submit_submission(first, by=agency_user)
    services.return_submission(first, by=coordinator, note="Catatan pertama.")
    services.submit_submission(answer(indicators[0], by=agency_user, fakta="Lagi."), by=agency_user)
    services.return_submission(first, by=coordinator, note="Catatan kedua.")
    # The framework tree is kept per process (frameworks.trees), as a worker has it.
    tree_rows(cycle.framework)
    with django_assert_num_queries(3):
        rows = queries.portal_rows(cycle, agency)
    assert [
        (row.indicator.number, row.state, str(row.state_label), row.badge, row.return_note)
        for row in rows
    ] == [
        ("1", "returned", "dikembalikan", "badge-bad", "Catatan kedua."),
        ("2", "not_started", "belum diisi", "", ""),
    ]
    progress = queries.progress_of(rows)
    assert (progress.total, progress.submitted, len(progress.ready), len(progress.incomplete)) == (
        2,
        0,
        1,
        1,
    )
    assert queries.portal_advice(progress, queries.answer_window(cycle, agency)) == (
        "Ada isian yang dikembalikan: baca catatan verifikator, perbaiki isiannya, lalu "
        "ajukan kembali."
    )


def test_portal_advice_follows_the_work(cycle, indicators, agency, agency_user, answer):
    def advice():
        rows = queries.portal_rows(cycle, agency)
        return queries.portal_advice(
            queries.progress_of(rows), queries.answer_window(cycle, agency)
        )

    assert advice() == (
        "Lengkapi tingkat, FAKTA dan ANALISIS untuk indikator 1, 2 dan unggah data dukungnya, "
        "lalu ajukan."
    )
    answer(indicators[0], by=agency_user)
    answer(indicators[1], by=agency_user)
    assert (
        advice()
        == "Semua isian sudah lengkap. Periksa sekali lagi, lalu klik “Ajukan semua yang lengkap”."
    )
    services.submit_agency_package(cycle, agency, by=agency_user)
    assert advice() == (
        "Semua isian sudah diajukan; tunggu hasil verifikasi. Isian yang dikembalikan muncul "
        "di sini bersama catatannya."
    )


def test_the_thread_is_in_order(cycle, indicators, agency_user, coordinator, evaluator, answer):
    submission = answer(indicators[0], by=agency_user)
    services.submit_submission(submission, by=agency_user)
    services.return_submission(submission, by=evaluator, note="Lampirkan SK.")
    submission = answer(indicators[0], by=agency_user, fakta="SK terlampir.")
    services.submit_submission(submission, by=agency_user)
    services.accept_submission(submission, by=coordinator, note="Lengkap.")
    assert [(r.kind, r.by.username, r.note) for r in queries.thread(submission)] == [
        ("submitted", "opd-bkpsdm", ""),
        ("returned", "evaluator", "Lampirkan SK."),
        ("submitted", "opd-bkpsdm", ""),
        ("accepted", "koordinator", "Lengkap."),
    ]


def test_contributions_show_every_opd_side_by_side(
    cycle,
    indicators,
    agency,
    other_agency,
    agency_user,
    other_agency_user,
    answer,
    django_assert_num_queries,
):
    shared = indicators[1]
    answer(shared, by=other_agency_user, level=2, fakta="Fakta Dinkes.")
    mine = answer(shared, by=agency_user, level=4, fakta="Fakta BKPSDM.")
    add_file_evidence(
        cycle,
        agency,
        by=agency_user,
        uploaded_file=pdf_upload(),
        title="Perwa 12/2024",
        submission=mine,
    )
    services.submit_submission(mine, by=agency_user)
    with django_assert_num_queries(5):
        rows = queries.contributions(cycle, shared)
        threads = [len(row.thread) for row in rows]
    assert [
        (row.agency.short_name, row.state, row.submission.level, row.submission.fakta)
        for row in rows
    ] == [
        ("BKPSDM", "submitted", 4, "Fakta BKPSDM."),
        ("Dinkes", "draft", 2, "Fakta Dinkes."),
    ]
    assert threads == [1, 0]
    assert [[e.title for e in row.submission.evidence.all()] for row in rows] == [
        ["Perwa 12/2024"],
        [],
    ]


def test_review_rows_count_the_answers_per_state(
    cycle, indicators, agency_user, other_agency_user, answer
):
    services.submit_submission(answer(indicators[1], by=agency_user), by=agency_user)
    answer(indicators[2], by=other_agency_user)
    rows = queries.review_rows(cycle)
    assert [(row.indicator.number, row.assigned, row.waiting, row.counts) for row in rows] == [
        ("1", 1, 0, {"not_started": 1}),
        ("2", 2, 1, {"submitted": 1, "not_started": 1}),
        ("3", 1, 0, {"draft": 1}),
    ]


def test_level_criteria_show_identical_texts_once_under_both_sources(cycle, indicators):
    levels = queries.level_criteria(cycle.framework, indicators[0])
    assert [(row["level"], row["name"]) for row in levels] == [
        (1, "Rintisan"),
        (2, "Terkelola"),
        (3, "Terdefinisi"),
        (4, "Terpadu dan Terukur"),
        (5, "Optimum"),
    ]
    first = levels[0]["blocks"]
    assert [[source["key"] for source in block["sources"]] for block in first] == [
        ["permen", "pedoman"]
    ]
    assert [label for label, _text in first[0]["extra"]] == [
        "Kriteria pemenuhan",
        "Kriteria bukti dukung",
    ]


def test_answer_place_reads_the_indicators_answer_and_place(
    cycle,
    indicators,
    agency,
    other_agency,
    agency_user,
    other_agency_user,
    answer,
    django_assert_num_queries,
):
    first, second, third = indicators
    own = answer(second, by=agency_user, fakta="Milik BKPSDM.")
    answer(first, by=agency_user, fakta="Indikator lain.")
    answer(second, by=other_agency_user, fakta="Milik Dinkes.")
    tree_rows(cycle.framework)  # kept per process, as a worker has it
    cycle.institution  # noqa: B018 (the page's cycle comes with it)

    # The assignments with this indicator's answer; the finished steps.
    with django_assert_num_queries(2):
        place = queries.answer_place(cycle, agency, second.pk)
    not_started = queries.answer_place(cycle, other_agency, third.pk)

    assert (place.submission.pk, place.submission.fakta) == (own.pk, "Milik BKPSDM.")
    assert (place.position.number, place.position.total) == (2, 2)
    assert (place.position.previous.pk, place.position.next) == (first.pk, None)
    assert place.window.is_open is True
    assert not_started.submission is None
    assert (not_started.position.number, not_started.position.previous.pk) == (2, second.pk)
    assert queries.answer_place(cycle, agency, third.pk) is None  # not assigned to BKPSDM
