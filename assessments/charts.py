"""Charts as server-rendered SVG: pure functions of their values returning markup, so that a
page and a PDF (WeasyPrint draws inline SVG itself) show the same picture. No script, no
external assets, no ids (a page may hold several charts). Every text that comes from data is
escaped. The output is deterministic: the same values give the same bytes.

Values are indices or levels (Decimal, int, float) or None where there is none; they are
printed like the rest of the app prints an index (frameworks.scoring.display: "3,49" in
Indonesian, "3.49" in English).
"""

import math
import textwrap
from dataclasses import dataclass
from html import escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from frameworks.models import kind_label
from frameworks.scoring import display

FONT = "Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif"
INK = "#1a2330"
MUTED = "#4a5565"
GRID = "#cfd6df"


@dataclass(frozen=True)
class Style:
    colour: str
    dash: str  # stroke-dasharray; "" is a solid line
    marker: str


# Told apart by colour (Okabe-Ito hues, dark enough on white), by line and by marker, so a
# chart still reads on a black-and-white printout. The newest series gets the first style.
STYLES = (
    Style("#0b4f8a", "", "circle"),
    Style("#c0440a", "8 4", "square"),
    Style("#007a5a", "2 3", "triangle"),
    Style("#6a3d9a", "8 3 2 3", "diamond"),
    Style("#5a5a5a", "4 2", "circle"),
)


def style_for(position, count):
    """The style of series `position` of `count`: the last series (the newest) is solid."""
    return STYLES[(count - 1 - position) % len(STYLES)]


def _n(value):
    """A coordinate with one decimal ("12.5"; never "-0.0")."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _text(value):
    return escape(str(value), quote=True)


def _number(value):
    return None if value is None else float(value)


def _svg(width, height, *, kind, label, description, body):
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" role="img" '
        f'aria-label="{_text(label)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="12" '
        # Scales down to its container, never up; WeasyPrint needs the width given to
        # keep the proportions (max-width with height:auto alone draws a square there).
        f'style="width: 100%; max-width: {width}px; height: auto;">'
        f"<title>{_text(label)}</title><desc>{_text(description)}</desc>"
        f"{''.join(body)}</svg>"
    )


def _heading(title, width):
    if not title:
        return [], 10
    return [
        f'<text class="chart-title" x="{_n(width / 2)}" y="20" text-anchor="middle" '
        f'font-size="15" font-weight="bold" fill="{INK}">{_text(title)}</text>'
    ], 36


def _marker(style, x, y, size=4.0):
    fill = f'fill="{style.colour}" stroke="#ffffff" stroke-width="1"'
    if style.marker == "square":
        return (
            f'<rect class="marker" x="{_n(x - size)}" y="{_n(y - size)}" '
            f'width="{_n(2 * size)}" height="{_n(2 * size)}" {fill}/>'
        )
    if style.marker == "triangle":
        points = [
            (x, y - size * 1.2),
            (x + size * 1.1, y + size * 0.8),
            (x - size * 1.1, y + size * 0.8),
        ]
        return f'<polygon class="marker" points="{_points(points)}" {fill}/>'
    if style.marker == "diamond":
        points = [
            (x, y - size * 1.3),
            (x + size * 1.3, y),
            (x, y + size * 1.3),
            (x - size * 1.3, y),
        ]
        return f'<polygon class="marker" points="{_points(points)}" {fill}/>'
    return f'<circle class="marker" cx="{_n(x)}" cy="{_n(y)}" r="{_n(size)}" {fill}/>'


def _points(points):
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


def _dash(style):
    return f' stroke-dasharray="{style.dash}"' if style.dash else ""


def _wrap(text, width):
    return textwrap.wrap(str(text), width=max(width, 8)) or [""]


def _legend_lines(series_labels, width, top, *, swatch):
    """The legend as rows of items, wrapped to the chart width; returns (markup, height)."""
    body, x, y, count = [], 16.0, top, len(series_labels)
    for position, label in enumerate(series_labels):
        style = style_for(position, count)
        item_width = 46 + 7 * len(str(label))
        if x > 16 and x + item_width > width - 8:
            x, y = 16.0, y + 22
        if swatch == "line":
            body.append(
                f'<line x1="{_n(x)}" y1="{_n(y)}" x2="{_n(x + 30)}" y2="{_n(y)}" '
                f'stroke="{style.colour}" stroke-width="2.5"{_dash(style)}/>'
            )
            body.append(_marker(style, x + 15, y))
        else:
            body.append(
                f'<rect x="{_n(x)}" y="{_n(y - 7)}" width="24" height="14" fill="{style.colour}"/>'
            )
        body.append(
            f'<text class="legend" x="{_n(x + 36)}" y="{_n(y + 4)}" fill="{INK}">'
            f"{_text(label)}</text>"
        )
        x += item_width + 14
    return [f'<g class="legend">{"".join(body)}</g>'], y - top + 22


def _description(intro, names, series):
    parts = [intro]
    for label, values in series:
        shown = ", ".join(
            f"{name} {display(value) if value is not None else '–'}"
            for name, value in zip(names, values, strict=True)
        )
        parts.append(f"{label}: {shown}.")
    return " ".join(parts)


def aspect_radar(axes, series, *, scale_max=5, title=""):
    """A radar (spider) chart: one axis per node (e.g. the 8 aspects), one closed line per
    series (e.g. a year), gridlines at 1..scale_max with their numbers, a legend and a key of
    the axes below.

    `axes` = [(label, short_label)] (the short label is printed at the axis end, the label
    in the key); `series` = [(series label, [value or None for each axis])], oldest first:
    the last one is drawn solid and on top. A series with every value draws one polygon; a
    series with gaps draws its markers and the segments between neighbouring values.
    """
    count = len(axes)
    for label, values in series:
        if len(values) != count:
            raise ValueError(f"Series {label!r} has {len(values)} values for {count} axes.")
    width, radius = 560, 165
    heading, top = _heading(title, width)
    cx, cy = width / 2, top + radius + 34
    angles = [-math.pi / 2 + 2 * math.pi * i / count for i in range(count)] if count else []

    def point(position, value):
        distance = radius * min(max(float(value), 0.0), scale_max) / scale_max
        angle = angles[position]
        return cx + distance * math.cos(angle), cy + distance * math.sin(angle)

    body = list(heading)
    grid = []
    for level in range(1, scale_max + 1):
        if count >= 3:
            ring = [point(position, level) for position in range(count)]
            grid.append(
                f'<polygon class="grid" points="{_points(ring)}" fill="none" '
                f'stroke="{GRID}" stroke-width="1"/>'
            )
        else:
            grid.append(
                f'<circle class="grid" cx="{_n(cx)}" cy="{_n(cy)}" '
                f'r="{_n(radius * level / scale_max)}" fill="none" stroke="{GRID}"/>'
            )
        label_y = cy - radius * level / scale_max - 3
        grid.append(
            f'<text class="grid-label" x="{_n(cx + 4)}" y="{_n(label_y)}" '
            f'font-size="10" fill="{MUTED}">{level}</text>'
        )
    body.append(f'<g class="grid">{"".join(grid)}</g>')

    axis_marks = []
    for position, (_label, short_label) in enumerate(axes):
        x, y = point(position, scale_max)
        axis_marks.append(
            f'<line class="axis" x1="{_n(cx)}" y1="{_n(cy)}" x2="{_n(x)}" y2="{_n(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        cos, sin = math.cos(angles[position]), math.sin(angles[position])
        anchor = "start" if cos > 0.3 else "end" if cos < -0.3 else "middle"
        lx, ly = cx + (radius + 10) * cos, cy + (radius + 10) * sin
        ly += 12 if sin > 0.3 else -2 if sin < -0.3 else 4
        axis_marks.append(
            f'<text class="axis-label" x="{_n(lx)}" y="{_n(ly)}" text-anchor="{anchor}" '
            f'font-weight="bold" fill="{INK}">{_text(short_label)}</text>'
        )
    body.append(f'<g class="axes">{"".join(axis_marks)}</g>')

    for position, (_label, values) in enumerate(series):
        style = style_for(position, len(series))
        newest = position == len(series) - 1
        stroke = (
            f'stroke="{style.colour}" stroke-width="{"3" if newest else "2"}"'
            f' stroke-linejoin="round"{_dash(style)}'
        )
        parts = []
        present = [value is not None for value in values]
        if count >= 3 and all(present):
            ring = [point(index, value) for index, value in enumerate(values)]
            parts.append(
                f'<polygon class="series-area" points="{_points(ring)}" fill="{style.colour}" '
                f'fill-opacity="{"0.10" if newest else "0.04"}" {stroke}/>'
            )
        else:
            for index in range(count if count >= 3 else count - 1):
                following = (index + 1) % count
                if present[index] and present[following] and index != following:
                    (x1, y1), (x2, y2) = (
                        point(index, values[index]),
                        point(following, values[following]),
                    )
                    parts.append(
                        f'<line class="series-line" x1="{_n(x1)}" y1="{_n(y1)}" '
                        f'x2="{_n(x2)}" y2="{_n(y2)}" fill="none" {stroke}/>'
                    )
        for index, value in enumerate(values):
            if value is not None:
                parts.append(_marker(style, *point(index, value)))
        body.append(f'<g class="series">{"".join(parts)}</g>')

    legend, legend_height = _legend_lines(
        [label for label, _values in series], width, cy + radius + 44, swatch="line"
    )
    body.extend(legend)
    y = cy + radius + 44 + legend_height + 6
    key = []
    for label, short_label in axes:
        for number, line in enumerate(_wrap(f"{short_label}: {label}", 80)):
            key.append(
                f'<text class="axis-key" x="16" y="{_n(y)}" font-size="11" fill="{MUTED}">'
                f"{'' if number == 0 else '    '}{_text(line)}</text>"
            )
            y += 15
    body.append(f'<g class="key">{"".join(key)}</g>')
    height = math.ceil(y + 4)
    names = [short_label for _label, short_label in axes]
    description = _description(title or _("Grafik radar."), names, series)
    return _svg(
        width,
        height,
        kind="radar",
        label=title or _("Grafik radar"),
        description=description,
        body=body,
    )


def domain_bars(groups, series_labels, *, scale_max=5, title=""):
    """A grouped bar chart: one group per node (e.g. the 4 domains), one bar per series in
    each group (e.g. a year, oldest first, in legend order), its value printed above it
    ("3.49"), "–" where a series has no value. Gridlines at 1..scale_max.

    `groups` = [(group label, [value or None for each series])]; `series_labels` =
    [label] in the same order as the values.
    """
    count = len(series_labels)
    for label, values in groups:
        if len(values) != count:
            raise ValueError(f"Group {label!r} has {len(values)} values for {count} series.")
    slot = 34  # width of one bar and its gap
    group_width = max(count * slot + 24, 120)
    left, right = 36, 12
    width = max(640, left + right + group_width * len(groups))
    group_width = (width - left - right) / max(len(groups), 1)
    heading, top = _heading(title, width)
    plot_top = top + 14
    plot_height = 220
    base = plot_top + plot_height

    def y_of(value):
        return base - plot_height * min(max(float(value), 0.0), scale_max) / scale_max

    body = list(heading)
    grid = []
    for level in range(1, scale_max + 1):
        y = y_of(level)
        grid.append(
            f'<line class="grid" x1="{left}" y1="{_n(y)}" x2="{_n(width - right)}" '
            f'y2="{_n(y)}" stroke="{GRID}" stroke-width="1"/>'
        )
        grid.append(
            f'<text class="grid-label" x="{left - 6}" y="{_n(y + 4)}" text-anchor="end" '
            f'font-size="10" fill="{MUTED}">{level}</text>'
        )
    grid.append(
        f'<line class="axis" x1="{left}" y1="{_n(base)}" x2="{_n(width - right)}" '
        f'y2="{_n(base)}" stroke="{MUTED}" stroke-width="1"/>'
    )
    body.append(f'<g class="grid">{"".join(grid)}</g>')

    bar_width = slot - 6
    label_lines = 1
    for number, (label, values) in enumerate(groups):
        start = left + number * group_width + (group_width - count * slot) / 2 + 3
        bars = []
        for position, value in enumerate(values):
            style = style_for(position, count)
            x = start + position * slot
            middle = x + bar_width / 2
            if value is None:
                bars.append(
                    f'<text class="missing" x="{_n(middle)}" y="{_n(base - 4)}" '
                    f'text-anchor="middle" fill="{MUTED}">–</text>'
                )
                continue
            y = y_of(value)
            bars.append(
                f'<rect class="bar" x="{_n(x)}" y="{_n(y)}" width="{bar_width}" '
                f'height="{_n(base - y)}" fill="{style.colour}"/>'
            )
            bars.append(
                f'<text class="value" x="{_n(middle)}" y="{_n(y - 4)}" text-anchor="middle" '
                f'font-size="11" fill="{INK}">{_text(display(value))}</text>'
            )
        lines = _wrap(label, int(group_width / 6.6))[:3]
        label_lines = max(label_lines, len(lines))
        for line_number, line in enumerate(lines):
            bars.append(
                f'<text class="group-label" x="{_n(left + (number + 0.5) * group_width)}" '
                f'y="{_n(base + 18 + 14 * line_number)}" text-anchor="middle" fill="{INK}">'
                f"{_text(line)}</text>"
            )
        body.append(f'<g class="group">{"".join(bars)}</g>')

    legend_top = base + 18 + 14 * label_lines + 16
    legend, legend_height = _legend_lines(series_labels, width, legend_top, swatch="box")
    body.extend(legend)
    height = math.ceil(legend_top + legend_height)
    series = [
        (label, [values[position] for _group, values in groups])
        for position, label in enumerate(series_labels)
    ]
    description = _description(
        title or _("Grafik batang."), [label for label, _values in groups], series
    )
    return _svg(
        width,
        height,
        kind="bars",
        label=title or _("Grafik batang"),
        description=description,
        body=body,
    )


def comparison_charts(comparison, *, radar=True):
    """{"aspect_radar": svg, "domain_bars": svg} of a year-over-year comparison
    (queries.year_over_year): the agreed result of every year, the radar over the nodes
    just above the indicators (SPBE: the aspects), the bars over the top nodes (SPBE: the
    domains); "" for a chart the framework has no nodes for (indicators only), and for the
    radar when `radar` is False (a page that shows the bars only). Printed words are in the
    active language."""
    columns = comparison.self_columns
    labels = [column.label for column in columns]
    scale_max = comparison.current.spec.scale_max
    charts = {"aspect_radar": "", "domain_bars": ""}

    def values(row):
        return [row.cell(column).value for column in columns]

    radar_rows = comparison.rows_of(comparison.radar_kind) if radar else []
    if radar_rows:
        kind = str(kind_label(comparison.radar_kind))
        by_row = [values(row) for row in radar_rows]
        charts["aspect_radar"] = aspect_radar(
            [(row.node.name, f"{kind} {row.node.number}") for row in radar_rows],
            [(label, [row[i] for row in by_row]) for i, label in enumerate(labels)],
            scale_max=scale_max,
            title=_("Indeks per %(kind)s") % {"kind": kind.lower()},
        )
    bar_rows = comparison.rows_of(comparison.bar_kind)
    if bar_rows:
        kind = str(kind_label(comparison.bar_kind))
        charts["domain_bars"] = domain_bars(
            [(f"{kind} {row.node.number}. {row.node.name}", values(row)) for row in bar_rows],
            labels,
            scale_max=scale_max,
            title=_("Indeks per %(kind)s") % {"kind": kind.lower()},
        )
    return charts
