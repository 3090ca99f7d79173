import datetime

import pytest

from recap.queries import RecapFilters, percent, recap_matrix
from recap.tests.conftest import answer, crowd, indicator

BEFORE = datetime.date(2026, 12, 1)
AFTER = datetime.date(2026, 12, 16)


@pytest.fixture
def answered(cycle, agency, other_agency):
    answer(cycle, agency, 25, "draft")
    answer(cycle, agency, 36, "submitted", level=3)
    answer(cycle, agency, 41, "returned", level=2)
    answer(cycle, other_agency, 45, "accepted", level=4)
    answer(cycle, other_agency, 46, "submitted", level=2)
    return cycle


def assigned_cells(row):
    return [(cell.indicator.number, cell.state.code) for cell in row.cells if cell.state]


def row_of(matrix, agency):
    return next(row for row in matrix.rows if row.agency == agency)


def test_cells_show_the_state_of_each_assigned_answer(answered, agency, other_agency):
    matrix = recap_matrix(answered, today=BEFORE)
    bkpsdm, dinkes = row_of(matrix, agency), row_of(matrix, other_agency)
    assert assigned_cells(bkpsdm) == [("25", "D"), ("36", "A"), ("41", "K")]
    assert assigned_cells(dinkes) == [("45", "✓"), ("46", "A"), ("47", "–")]
    assert [cell.state for cell in bkpsdm.cells].count(None) == 44
    assert [cell.level for cell in dinkes.cells if cell.state] == [4, 2, None]


def test_counts_and_completeness_per_opd(answered, agency, other_agency):
    matrix = recap_matrix(answered, today=BEFORE)
    bkpsdm, dinkes = row_of(matrix, agency), row_of(matrix, other_agency)
    assert bkpsdm.counts == {
        "not_started": 0,
        "draft": 1,
        "submitted": 1,
        "returned": 1,
        "accepted": 0,
    }
    assert (bkpsdm.assigned, bkpsdm.complete, bkpsdm.percent) == (3, 1, 33)
    assert dinkes.counts == {
        "not_started": 1,
        "draft": 0,
        "submitted": 1,
        "returned": 0,
        "accepted": 1,
    }
    assert (dinkes.assigned, dinkes.complete, dinkes.percent) == (3, 2, 66)
    assert [name.unanswered for name in (bkpsdm, dinkes)] == [
        [indicator(answered, 25)],
        [indicator(answered, 47)],
    ]
    assert bkpsdm.returned == [indicator(answered, 41)]
    assert (matrix.assigned, matrix.complete, matrix.percent) == (6, 3, 50)


def test_completeness_per_indicator(answered):
    matrix = recap_matrix(answered, today=BEFORE)
    by_number = {column.indicator.number: column for column in matrix.columns}
    assert len(matrix.columns) == 47
    assert [(by_number[n].complete, by_number[n].assigned) for n in ("25", "36", "45", "47")] == [
        (0, 1),
        (1, 1),
        (1, 1),
        (0, 1),
    ]
    assert by_number["36"].percent == 100
    assert by_number["1"].percent is None
    assert [(a.short_name, s.key, level) for a, s, level in by_number["46"].answers] == [
        ("Dinkes", "submitted", 2)
    ]


def test_percent_rounds_down_so_100_means_all():
    assert [percent(2, 3), percent(199, 200), percent(3, 3), percent(0, 0)] == [66, 99, 100, None]


def test_least_complete_first_before_the_deadline(answered, agency, other_agency):
    matrix = recap_matrix(answered, today=BEFORE)
    assert [row.agency for row in matrix.rows] == [agency, other_agency]
    assert [row.is_late for row in matrix.rows] == [False, False]
    assert matrix.deadline_passed is False
    assert matrix.days_left == 14


def test_late_opds_first_after_the_deadline(cycle, agency, other_agency):
    for number in (25, 36, 41):
        answer(cycle, agency, number, "submitted")
    answer(cycle, other_agency, 45, "submitted")
    matrix = recap_matrix(cycle, today=AFTER)
    assert [(row.agency, row.is_late, row.percent) for row in matrix.rows] == [
        (other_agency, True, 33),
        (agency, False, 100),
    ]
    assert matrix.late_count == 1


def test_on_the_deadline_day_nobody_is_late_yet(cycle):
    matrix = recap_matrix(cycle, today=cycle.deadline)
    assert [row.is_late for row in matrix.rows] == [False, False]


def test_equal_completeness_sorts_by_name(cycle, agency, other_agency):
    matrix = recap_matrix(cycle, today=BEFORE)
    assert [row.agency.short_name for row in matrix.rows] == ["BKPSDM", "Dinkes"]


def test_opd_without_assignments_comes_last_and_only_unfiltered(answered, agency, other_agency):
    from institutions.models import Agency

    idle = Agency.objects.create(institution=agency.institution, name="Arsip", short_name="ARS")
    answered.agencies.add(idle)
    matrix = recap_matrix(answered, today=AFTER)
    assert [row.agency for row in matrix.rows] == [agency, other_agency, idle]
    assert (matrix.rows[-1].percent, matrix.rows[-1].is_late) == (None, False)
    late = recap_matrix(answered, today=AFTER, filters=RecapFilters(only_late=True))
    assert [row.agency for row in late.rows] == [agency, other_agency]


def test_filter_by_state_keeps_opds_with_it_and_dims_the_rest(answered, agency):
    matrix = recap_matrix(answered, today=BEFORE, filters=RecapFilters(state="returned"))
    assert [row.agency for row in matrix.rows] == [agency]
    assert [(c.indicator.number, c.dimmed) for c in matrix.rows[0].cells if c.state] == [
        ("25", True),
        ("36", True),
        ("41", False),
    ]
    not_started = recap_matrix(answered, today=BEFORE, filters=RecapFilters(state="not_started"))
    assert [row.agency.short_name for row in not_started.rows] == ["Dinkes"]


def test_filter_by_agency(answered, other_agency):
    matrix = recap_matrix(answered, today=BEFORE, filters=RecapFilters(agency=other_agency.pk))
    assert [row.agency for row in matrix.rows] == [other_agency]
    assert (matrix.assigned, matrix.complete) == (3, 2)
    assert recap_matrix(answered, today=BEFORE, filters=RecapFilters(agency=999999)).rows == []


def test_filter_by_aspect_limits_columns_rows_and_counts(answered, other_agency):
    aspect = indicator(answered, 45).parent
    matrix = recap_matrix(answered, today=BEFORE, filters=RecapFilters(aspect=aspect.pk))
    assert [column.indicator.number for column in matrix.columns] == [
        "42",
        "43",
        "44",
        "45",
        "46",
        "47",
    ]
    assert [(group.node, group.span) for group in matrix.aspects] == [(aspect, 6)]
    assert [row.agency for row in matrix.rows] == [other_agency]
    assert len(matrix.aspect_choices) == 8


def test_only_late_filter(answered, agency, other_agency):
    assert recap_matrix(answered, today=BEFORE, filters=RecapFilters(only_late=True)).rows == []
    late = recap_matrix(answered, today=AFTER, filters=RecapFilters(only_late=True))
    assert [row.agency for row in late.rows] == [agency, other_agency]


def test_aspect_groups_span_the_whole_framework(answered):
    matrix = recap_matrix(answered, today=BEFORE)
    assert [(group.node.number, group.span) for group in matrix.aspects] == [
        ("1", 10),
        ("2", 4),
        ("3", 4),
        ("4", 2),
        ("5", 8),
        ("6", 3),
        ("7", 10),
        ("8", 6),
    ]


def test_cell_links_to_the_indicator_review(answered, agency):
    matrix = recap_matrix(answered, today=BEFORE)
    cell = next(c for c in row_of(matrix, agency).cells if c.state)
    assert cell.url == f"/isian/{answered.pk}/indikator/{cell.indicator.pk}/#opd-{agency.pk}"


@pytest.mark.parametrize("n", [1, 30])
def test_matrix_runs_four_queries_whatever_the_size(
    cycle, coordinator, django_assert_num_queries, n
):
    crowd(cycle, coordinator, n)
    with django_assert_num_queries(4):
        matrix = recap_matrix(cycle, today=BEFORE)
    assert len(matrix.rows) == n + 2
