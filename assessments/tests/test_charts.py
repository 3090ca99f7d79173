"""The SVG charts: valid XML, the right shapes, escaped labels, gaps where values are missing."""

import xml.etree.ElementTree as ET
from decimal import Decimal

from django.utils import translation

from assessments.charts import STYLES, aspect_radar, domain_bars

SVG = "{http://www.w3.org/2000/svg}"
AXES = [(f"Aspek nomor {number}", f"A{number}") for number in range(1, 9)]


def parse(svg):
    return ET.fromstring(str(svg))


def with_class(root, tag, name):
    return [
        element
        for element in root.iter(f"{SVG}{tag}")
        if name in (element.get("class") or "").split()
    ]


def texts(root, name):
    return [element.text for element in with_class(root, "text", name)]


def test_radar_draws_a_polygon_per_complete_series_and_five_gridlines():
    series = [
        ("2024", [Decimal("2.1")] * 8),
        ("2025", [Decimal(n) / 2 for n in range(2, 10)]),
        ("2026 (draf)", [3, 3, 3, 3, 4, 4, 4, 4]),
    ]

    root = parse(aspect_radar(AXES, series, title="Indeks per aspek"))

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Indeks per aspek"
    assert root.find(f"{SVG}title").text == "Indeks per aspek"
    assert len(with_class(root, "polygon", "series-area")) == 3
    assert len(with_class(root, "polygon", "grid")) == 5
    assert texts(root, "grid-label") == ["1", "2", "3", "4", "5"]
    assert texts(root, "axis-label") == [f"A{n}" for n in range(1, 9)]
    assert texts(root, "legend") == ["2024", "2025", "2026 (draf)"]
    assert texts(root, "axis-key")[0] == "A1: Aspek nomor 1"


def test_radar_series_differ_by_line_as_well_as_colour_newest_solid():
    series = [(str(year), [3] * 8) for year in (2023, 2024, 2025, 2026)]

    areas = with_class(parse(aspect_radar(AXES, series)), "polygon", "series-area")

    styles = [(area.get("stroke"), area.get("stroke-dasharray")) for area in areas]
    assert styles[-1] == (STYLES[0].colour, None)
    assert len(set(styles)) == 4
    assert len({dash for _colour, dash in styles}) == 4


def test_radar_point_lies_on_its_axis_at_its_value():
    root = parse(aspect_radar(AXES, [("2026", [5, 0, 0, 0, 0, 0, 0, 0])]))

    area = with_class(root, "polygon", "series-area")[0]
    first = area.get("points").split()[0]
    outer = with_class(root, "polygon", "grid")[-1].get("points").split()[0]
    assert first == outer  # the value 5 on axis 1 is the outer gridline's top corner


def test_radar_with_missing_values_draws_markers_and_the_segments_between_neighbours():
    values = [3, 3, None, 3, 3, 3, 3, None]

    root = parse(aspect_radar(AXES, [("2025", [3] * 8), ("2026 (draf)", values)]))

    groups = root.findall(f"{SVG}g[@class='series']")
    newest = groups[-1]
    assert with_class(newest, "polygon", "series-area") == []
    # Present neighbours: 1-2, 4-5, 5-6, 6-7 (3 and 8 are missing).
    assert len(with_class(newest, "line", "series-line")) == 4
    markers = [e for e in newest if "marker" in (e.get("class") or "")]
    assert len(markers) == 6
    assert len(with_class(root, "polygon", "series-area")) == 1
    assert "A3 –" in root.find(f"{SVG}desc").text


def test_radar_escapes_labels_from_data():
    axes = [("<script>alert(1)</script> & co", 'A"1'), ("B", "B"), ("C", "C")]

    svg = aspect_radar(axes, [("2026 <b>", [1, 2, 3])], title="Judul & <i>")

    assert "<script>" not in svg and "<b>" not in svg and "<i>" not in svg
    root = parse(svg)
    assert texts(root, "axis-label")[0] == 'A"1'
    assert texts(root, "legend") == ["2026 <b>"]
    assert texts(root, "axis-key")[0] == 'A"1: <script>alert(1)</script> & co'
    assert root.get("aria-label") == "Judul & <i>"


def test_charts_are_deterministic():
    series = [("2025", [Decimal("2.3333")] * 8), ("2026", [Decimal("3.1")] * 8)]
    groups = [("Domain 1", [Decimal("2.5"), None]), ("Domain 2", [1, 2])]

    assert aspect_radar(AXES, series) == aspect_radar(AXES, series)
    assert domain_bars(groups, ["2025", "2026"]) == domain_bars(groups, ["2025", "2026"])


def test_bars_one_bar_per_value_with_its_label_and_a_dash_for_none():
    groups = [
        ("Kebijakan Internal SPBE", [Decimal("2.345"), Decimal("3.4986")]),
        ("Tata Kelola SPBE", [None, Decimal("1.7985")]),
        ("Manajemen SPBE", [1, 5]),
        ("Layanan SPBE", [Decimal("2.5968"), None]),
    ]

    root = parse(domain_bars(groups, ["2025", "2026 (draf)"], title="Indeks per domain"))

    assert len(with_class(root, "rect", "bar")) == 6
    assert texts(root, "value") == ["2,35", "3,50", "1,80", "1,00", "5,00", "2,60"]
    assert texts(root, "missing") == ["–", "–"]
    assert len(with_class(root, "line", "grid")) == 5
    assert texts(root, "grid-label") == ["1", "2", "3", "4", "5"]
    assert texts(root, "legend") == ["2025", "2026 (draf)"]
    assert "Kebijakan Internal SPBE" in " ".join(texts(root, "group-label"))
    assert root.get("aria-label") == "Indeks per domain"
    description = root.find(f"{SVG}desc").text
    assert "2025: Kebijakan Internal SPBE 2,35, Tata Kelola SPBE –" in description


def test_bar_labels_in_english_use_a_decimal_point():
    groups = [("Kebijakan Internal SPBE", [Decimal("2.345")])]

    with translation.override("en"):
        root = parse(domain_bars(groups, ["2026"], title="Index by domain"))

    assert texts(root, "value") == ["2.35"]
    assert "2026: Kebijakan Internal SPBE 2.35" in root.find(f"{SVG}desc").text


def test_bar_height_is_proportional_to_the_value():
    root = parse(domain_bars([("D1", [5, Decimal("2.5")])], ["a", "b"]))

    heights = [float(bar.get("height")) for bar in with_class(root, "rect", "bar")]
    assert heights == [220.0, 110.0]


def test_bars_escape_labels():
    svg = domain_bars([("<D&1>", [1])], ["<2026>"])

    assert "<D&1>" not in svg and "<2026>" not in svg
    root = parse(svg)
    assert texts(root, "group-label") == ["<D&1>"]
    assert texts(root, "legend") == ["<2026>"]
