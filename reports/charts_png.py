"""The Dokumen Evaluasi's two charts as PNG pictures for its Word version, drawn with Pillow
from the same year-over-year comparison as the PDF's SVG charts (assessments.charts
.comparison_charts): the index of each aspect over the years (a radar), and of each domain
(grouped bars). Word cannot show the PDF's inline SVG and the project has no SVG renderer;
the pictures carry the same values, colours and labels, printed at 200 dpi.
"""

import io
import math
import textwrap

from PIL import Image, ImageDraw, ImageFont

from assessments.charts import style_for
from frameworks.models import kind_label
from frameworks.scoring import display

FONT_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
INK = "#1a2330"
MUTED = "#4a5565"
GRID = "#cfd6df"
WIDTH = 1600  # 8 inches at 200 dpi: 16 cm wide in the document
DPI = 200


def _font(size, *, bold=False):
    try:
        return ImageFont.truetype(BOLD_PATH if bold else FONT_PATH, size)
    except OSError:
        return ImageFont.load_default(size=size)


def _png(image):
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(DPI, DPI), optimize=True)
    return out.getvalue()


def _legend(draw, labels, top):
    """One row of swatches and labels under the plot, wrapped; returns the next free y."""
    font = _font(26)
    x, y = 40, top
    for position, label in enumerate(labels):
        style = style_for(position, len(labels))
        width = 70 + int(draw.textlength(str(label), font=font))
        if x > 40 and x + width > WIDTH - 40:
            x, y = 40, y + 44
        draw.rectangle([x, y + 4, x + 44, y + 28], fill=style.colour)
        draw.text((x + 56, y), str(label), font=font, fill=INK)
        x += width + 30
    return y + 50


def _title(draw, title):
    font = _font(36, bold=True)
    width = draw.textlength(title, font=font)
    draw.text(((WIDTH - width) / 2, 24), title, font=font, fill=INK)


def radar_png(axes, series, *, scale_max, title):
    """axes: [(name, short label)]; series: [(label, [value or None per axis])]."""
    height = 1800
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    _title(draw, title)
    cx, cy, radius = WIDTH / 2, 700, 520
    small = _font(24)

    def point(position, value):
        angle = -math.pi / 2 + 2 * math.pi * position / len(axes)
        distance = radius * min(max(float(value), 0.0), scale_max) / scale_max
        return cx + distance * math.cos(angle), cy + distance * math.sin(angle)

    for level in range(1, scale_max + 1):
        ring = [point(position, level) for position in range(len(axes))]
        draw.polygon(ring, outline=GRID, width=2)
        label_y = cy - radius * level / scale_max + 2
        draw.text((cx + 8, label_y), str(level), font=small, fill=MUTED)
    for position, (_name, short) in enumerate(axes):
        x, y = point(position, scale_max)
        draw.line([cx, cy, x, y], fill=GRID, width=2)
        lx, ly = point(position, scale_max * 1.12)
        text_width = draw.textlength(short, font=small)
        draw.text((lx - text_width / 2, ly - 14), short, font=small, fill=INK)
    for position, (_label, values) in enumerate(series):
        style = style_for(position, len(series))
        points = [point(axis, value) for axis, value in enumerate(values) if value is not None]
        if len(points) >= 2:
            draw.line([*points, points[0]], fill=style.colour, width=5, joint="curve")
        for x, y in points:
            draw.ellipse([x - 8, y - 8, x + 8, y + 8], fill=style.colour, outline="white")
    bottom = _legend(draw, [label for label, _values in series], cy + radius + 110)
    key = "; ".join(f"{short}: {name}" for name, short in axes)
    for line in textwrap.wrap(key, width=105):
        draw.text((40, bottom), line, font=small, fill=MUTED)
        bottom += 32
    return _png(image.crop((0, 0, WIDTH, min(height, bottom + 20))))


def bars_png(groups, series_labels, *, scale_max, title):
    """groups: [(label, [value or None per series])], drawn as horizontal grouped bars."""
    font, small = _font(26), _font(24)
    count = max(len(series_labels), 1)
    bar, gap = 30, 40
    label_width = 560
    plot_left, plot_right = label_width + 60, WIDTH - 130
    top = 100
    rows = [textwrap.wrap(label, width=38)[:3] or [""] for label, _values in groups]
    heights = [max(count * bar, 32 * len(lines)) + gap for lines in rows]
    height = top + sum(heights) + 60 + 50 + 44 * math.ceil(count / 4) + 20
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    _title(draw, title)
    plot_bottom = top + sum(heights)

    def x_of(value):
        share = min(max(float(value), 0.0), scale_max) / scale_max
        return plot_left + (plot_right - plot_left) * share

    for level in range(0, scale_max + 1):
        x = x_of(level)
        draw.line([x, top - 10, x, plot_bottom], fill=GRID, width=2)
        draw.text((x - 7, plot_bottom + 8), str(level), font=small, fill=MUTED)
    y = top
    for (_label, values), lines, row_height in zip(groups, rows, heights, strict=True):
        for number, line in enumerate(lines):
            draw.text((40, y + number * 32), line, font=font, fill=INK)
        for position, value in enumerate(values):
            style = style_for(position, count)
            y0 = y + position * bar
            if value is None:
                draw.text((plot_left + 8, y0), "–", font=small, fill=MUTED)
                continue
            draw.rectangle([plot_left, y0 + 3, x_of(value), y0 + bar - 3], fill=style.colour)
            draw.text((x_of(value) + 10, y0), display(value), font=small, fill=INK)
        y += row_height
    _legend(draw, series_labels, plot_bottom + 60)
    return _png(image)


def chart_pngs(comparison):
    """{"aspect_radar": PNG bytes or None, "domain_bars": PNG bytes or None} of a
    year-over-year comparison (assessments.queries.year_over_year), with the words and
    values of comparison_charts (translation active: Indonesian for the document)."""
    columns = comparison.self_columns
    labels = [column.label for column in columns]
    scale_max = comparison.current.spec.scale_max
    charts = {"aspect_radar": None, "domain_bars": None}

    def values(row):
        return [row.cell(column).value for column in columns]

    radar_rows = comparison.rows_of(comparison.radar_kind)
    if radar_rows:
        kind = str(kind_label(comparison.radar_kind))
        by_row = [values(row) for row in radar_rows]
        charts["aspect_radar"] = radar_png(
            [(row.node.name, f"{kind} {row.node.number}") for row in radar_rows],
            [(label, [row[i] for row in by_row]) for i, label in enumerate(labels)],
            scale_max=scale_max,
            title=f"Indeks per {kind.lower()}",
        )
    bar_rows = comparison.rows_of(comparison.bar_kind)
    if bar_rows:
        kind = str(kind_label(comparison.bar_kind))
        charts["domain_bars"] = bars_png(
            [(f"{kind} {row.node.number}. {row.node.name}", values(row)) for row in bar_rows],
            labels,
            scale_max=scale_max,
            title=f"Indeks per {kind.lower()}",
        )
    return charts
