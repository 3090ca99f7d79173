"""The year-over-year comparison: exact changes within a framework, index-level (and
same-name domain/aspect) comparison across frameworks, a fixed number of queries."""

import datetime
import html
import json
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import queries, services
from assessments.tests.conftest import LEVELS
from cycles import services as cycle_services
from frameworks.models import Framework
from frameworks.scoring import display, rounded, score
from frameworks.services import load_framework_file

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def open_year(coordinator, agency, other_agency, framework, sop):
    """Open the institution's cycle of `year` (default framework unless given)."""

    def open_year(year, frame=None):
        return cycle_services.open_cycle(
            by=coordinator,
            year=year,
            framework=frame or framework,
            agencies=[agency, other_agency],
            deadline=datetime.date(year, 11, 30),
            contact_person=coordinator,
            assignments={},
        )

    return open_year


@pytest.fixture
def decide(evaluator):
    """Agree `levels` (in tree order) for the first indicators of a cycle's framework."""

    def decide(cycle, levels):
        nodes = cycle.framework.nodes.filter(children__isnull=True).order_by("position")
        for node, level in zip(nodes, levels, strict=False):
            services.set_decision(
                cycle, node, by=evaluator, level=level, fakta="Fakta.", analisis="Analisis."
            )

    return decide


@pytest.fixture
def framework_2018(framework):
    return Framework.objects.get(code="spbe-2018")


def changed(levels, changes):
    levels = list(levels)
    for position, level in changes.items():
        levels[position] = level
    return levels


def test_same_framework_per_indicator_levels_and_changes(
    cycle, open_year, decide, decide_all, coordinator
):
    earlier = open_year(2025)
    decide(earlier, LEVELS)
    services.finalize_assessment(queries.find_assessment(earlier), by=coordinator)
    # LEVELS starts 1, 3, 5, 2, 4 ...: raise the 1st, lower the 3rd by two.
    now = changed(LEVELS, {0: 2, 2: 3})
    decide_all(now)

    comparison = queries.year_over_year(cycle)

    assert [year.year for year in comparison.years] == [2025, 2026]
    assert [column.label for column in comparison.columns] == ["2025", "2026 (draf)"]
    assert [year.status for year in comparison.years] == ["final", "draft"]
    rows = comparison.indicator_rows
    assert len(rows) == 47
    assert [cell.shown for cell in rows[0].cells] == ["1", "2"]
    assert (rows[0].change.direction, rows[0].change.text) == ("up", "▲ naik 1")
    assert [cell.shown for cell in rows[2].cells] == ["5", "3"]
    assert (rows[2].change.direction, rows[2].change.text) == ("down", "▼ turun 2")
    assert (rows[1].change.direction, rows[1].change.text) == ("same", "= tetap")
    assert [row.node.number for row in rows if row.change.direction != "same"] == ["1", "3"]


def test_same_framework_index_and_node_rows_equal_the_engine(
    cycle, open_year, decide, decide_all, framework
):
    earlier = open_year(2025)
    decide(earlier, LEVELS)
    now = changed(LEVELS, {0: 2, 2: 3})
    decide_all(now)
    spec = framework.spec()
    codes = [node.code for node in spec.indicators]
    before = score(spec, dict(zip(codes, LEVELS, strict=True)))
    after = score(spec, dict(zip(codes, now, strict=True)))

    comparison = queries.year_over_year(cycle)

    assert [year.index for year in comparison.years] == [before.index, after.index]
    assert comparison.index_change.delta == rounded(after.index) - rounded(before.index)
    rows = {row.node.code: row for row in comparison.rows}
    assert [row.node.code for row in comparison.rows] == [
        node.code for node in spec.nodes if not node.is_indicator
    ]
    assert [cell.value for cell in rows["A1"].cells] == [
        before.indices["A1"],
        after.indices["A1"],
    ]
    assert [cell.shown for cell in rows["D1"].cells] == [
        display(before.indices["D1"]),
        display(after.indices["D1"]),
    ]
    assert comparison.radar_kind == "aspect"
    assert comparison.bar_kind == "domain"


def test_national_result_is_a_column_of_its_own(cycle, open_year, decide, coordinator, framework):
    earlier = open_year(2025)
    decide(earlier, LEVELS)
    services.enter_national_result(
        earlier, by=coordinator, node_values={"D1": "2.5", "A1": "2.5"}, source="Laporan 2025"
    )

    comparison = queries.year_over_year(cycle)

    assert [column.label for column in comparison.columns] == [
        "2025 (draf)",
        "2025 nasional",
        "2026 (draf)",
    ]
    rows = {row.node.code: row for row in comparison.rows}
    assert [cell.shown for cell in rows["D1"].cells][1:] == ["2,50", "–"]
    assert rows["D2"].cells[1].shown == "–"
    assert comparison.years[0].national_display == "–"
    # The change compares the agreed results only (2026 has none yet).
    assert rows["D1"].change.text == "–"
    assert [c.label for c in comparison.indicator_columns] == [
        "2025 (draf)",
        "2025 nasional",
        "2026 (draf)",
    ]


def test_other_framework_is_compared_by_index_and_same_name_nodes_only(
    cycle, open_year, decide, decide_all, framework_2018, framework
):
    old = open_year(2019, framework_2018)
    decide(old, [3] * 35)
    decide_all()
    old_spec = framework_2018.spec()
    old_score = score(old_spec, {node.code: 3 for node in old_spec.indicators})

    comparison = queries.year_over_year(cycle)

    old_year, this_year = comparison.years
    assert (old_year.same_framework, this_year.same_framework) == (False, True)
    assert old_year.index == Decimal(3)
    assert comparison.other_framework_years == [old_year]
    rows = {row.node.code: row for row in comparison.rows}
    # Same kind and name: D1 Kebijakan Internal SPBE, D2 Tata Kelola SPBE, and 2018's D3
    # Layanan SPBE is 2020's D4; 2020's D3 Manajemen SPBE has no 2018 counterpart.
    assert [rows[code].cells[0].shown for code in ("D1", "D2", "D3", "D4")] == [
        "3,00",
        "3,00",
        "–",
        "3,00",
    ]
    assert rows["A3"].node.name == "Teknologi Informasi dan Komunikasi"
    assert rows["A3"].cells[0].value == old_score.indices["A5"]
    assert rows["A2"].cells[0].value is None  # Perencanaan Strategis SPBE: not in 2018
    # Indicators are not compared across frameworks.
    assert [column.label for column in comparison.indicator_columns] == ["2026 (draf)"]
    assert all(len(row.cells) == 1 for row in comparison.indicator_rows)
    assert all(row.change.delta is None for row in comparison.indicator_rows)
    assert comparison.index_change.delta == rounded(this_year.index) - Decimal("3.00")


def test_at_most_four_years_oldest_first_and_none_after_the_cycle(cycle, open_year):
    for year in (2021, 2022, 2023, 2024, 2025, 2027):
        open_year(year)

    comparison = queries.year_over_year(cycle)

    assert [year.year for year in comparison.years] == [2023, 2024, 2025, 2026]
    assert comparison.cycle == cycle


def test_a_year_without_decisions_has_no_index(cycle, open_year, decide_all):
    open_year(2025)
    decide_all(count=5)

    comparison = queries.year_over_year(cycle)

    assert [(year.status, year.display, year.rating) for year in comparison.years] == [
        ("", "–", None),
        ("draft", "–", None),
    ]
    assert comparison.indicator_rows[0].cells[0].shown == "–"
    assert comparison.indicator_rows[0].change.text == "–"


def count_queries(function):
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


def test_fixed_number_of_queries_whatever_the_number_of_years(
    cycle, open_year, decide, decide_all, django_assert_num_queries
):
    decide_all()
    queries.year_over_year(cycle)  # the framework tree, kept per process from then on
    # Cycles, decisions, national values.
    with django_assert_num_queries(3):
        queries.year_over_year(cycle)
    for year in (2023, 2024, 2025):
        decide(open_year(year), LEVELS)

    with django_assert_num_queries(3):
        comparison = queries.year_over_year(cycle)

    assert len(comparison.years) == 4


def test_chart_context_draws_one_radar_polygon_and_bars_per_year(
    cycle, open_year, decide, decide_all
):
    decide(open_year(2025), LEVELS)
    decide_all()

    charts = queries.chart_context(cycle)

    radar = ET.fromstring(str(charts["aspect_radar"]))
    bars = ET.fromstring(str(charts["domain_bars"]))
    areas = [e for e in radar.iter(f"{SVG}polygon") if e.get("class") == "series-area"]
    assert len(areas) == 2
    assert len([e for e in bars.iter(f"{SVG}rect") if e.get("class") == "bar"]) == 8
    assert radar.get("aria-label") == "Indeks per aspek"
    assert bars.get("aria-label") == "Indeks per domain"
    labels = [e.text for e in radar.iter(f"{SVG}text") if e.get("class") == "axis-label"]
    assert labels == [f"Aspek {n}" for n in range(1, 9)]


# --- The page ---------------------------------------------------------------------------


def test_page_shows_years_charts_and_changes(
    client, cycle, open_year, decide, decide_all, supervisor
):
    decide(open_year(2025), LEVELS)
    decide_all(changed(LEVELS, {0: 2}))
    client.force_login(supervisor)

    response = client.get(reverse("year_over_year", args=[cycle.pk]))

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert page.count('class="chart chart-radar"') == 1
    assert page.count('class="chart chart-bars"') == 1
    assert "▲ naik 1" in page
    assert "Perbandingan antartahun" in page
    assert "2025 (draf)" in page


def test_result_page_links_to_the_comparison(client, cycle, coordinator):
    client.force_login(coordinator)

    page = client.get(reverse("assessment_result", args=[cycle.pk])).content.decode()

    assert reverse("year_over_year", args=[cycle.pk]) in page


@pytest.mark.parametrize("persona", ["agency_user", "outsider"])
def test_page_is_404_for_operators_and_other_institutions(request, client, cycle, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("year_over_year", args=[cycle.pk]))

    assert response.status_code == 404


def test_page_query_count_does_not_grow_with_years(
    client, cycle, open_year, decide, decide_all, coordinator
):
    decide_all()
    client.force_login(coordinator)
    url = reverse("year_over_year", args=[cycle.pk])
    client.get(url)  # warm the session and caches

    one_year = count_queries(lambda: client.get(url))
    for year in (2023, 2024, 2025):
        decide(open_year(year), LEVELS)
    four_years = count_queries(lambda: client.get(url))

    assert four_years == one_year


# --- A framework without domains ----------------------------------------------------------


def flat_framework(tmp_path):
    """Three aspects of one indicator each, no domains, other bands."""
    tree = [
        {
            "code": f"A{n}",
            "kind": "aspect",
            "number": n,
            "name": f"Aspek Uji {n}",
            "weight": "40" if n == 1 else "30",
            "children": [
                {
                    "code": f"X{n}",
                    "kind": "indicator",
                    "number": n,
                    "name": f"Indikator Uji {n}",
                    "weight": "40" if n == 1 else "30",
                }
            ],
        }
        for n in (1, 2, 3)
    ]
    data = {
        "format": "monev-framework/1",
        "code": "uji-datar",
        "version": "1",
        "name": "Kerangka uji tanpa domain",
        "default": False,
        "provenance": "reconstructed",
        "provenance_note": "Untuk pengujian.",
        "sources": [],
        "scale": {"min": 1, "max": 5},
        "capability_models": {},
        "bands": [
            {"rating": "Rendah", "min": "1", "max": "2.5"},
            {"rating": "Sedang", "min": "2.5", "max": "4"},
            {"rating": "Tinggi", "min": "4", "max": "5"},
        ],
        "tree": tree,
    }
    path = tmp_path / "datar.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    load_framework_file(path)
    return Framework.objects.get(code="uji-datar")


def test_a_framework_without_domains_compares_and_charts_its_aspects(
    tmp_path, framework, open_year, decide
):
    flat = flat_framework(tmp_path)
    decide(open_year(2025, flat), [1, 2, 3])
    this = open_year(2026, flat)
    decide(this, [2, 2, 4])

    comparison = queries.year_over_year(this)
    charts = queries.chart_context(this, comparison=comparison)

    assert (comparison.radar_kind, comparison.bar_kind) == ("aspect", "aspect")
    assert [row.change.text for row in comparison.indicator_rows] == [
        "▲ naik 1",
        "= tetap",
        "▲ naik 1",
    ]
    assert [y.rating for y in comparison.years] == ["Rendah", "Sedang"]
    radar = ET.fromstring(str(charts["aspect_radar"]))
    bars = ET.fromstring(str(charts["domain_bars"]))
    assert len([e for e in radar.iter(f"{SVG}polygon") if e.get("class") == "series-area"]) == 2
    assert len([e for e in bars.iter(f"{SVG}rect") if e.get("class") == "bar"]) == 6
