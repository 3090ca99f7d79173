"""Checks of a workbook's print layout as openpyxl reads it back from the file, shared by the
tests of every XLSX writer. Deliberately independent of monev.xlsx's own estimate: a row must
hold at least one line per line break of its wrapped text, and no more characters on a line
than its column is wide."""

import math

from openpyxl.utils import get_column_letter

DEFAULT_WIDTH = 8.43
LINE_POINTS = 15 / 11  # Excel's default row: 15 points for an 11-point font


def width_of(sheet, cell):
    """A cell's printed width in characters (a merged range's top-left cell spans it)."""
    columns = [cell.column]
    for merged in sheet.merged_cells.ranges:
        if cell.coordinate in merged:
            columns = range(merged.min_col, merged.max_col + 1)
    widths = [sheet.column_dimensions[get_column_letter(column)].width for column in columns]
    return sum(width or DEFAULT_WIDTH for width in widths)


def fewest_lines(text, width):
    return sum(max(1, math.ceil(len(line) / width)) for line in str(text).split("\n"))


def short_rows(sheet):
    """[(cell, row height, points needed)] where a wrapped text needs more lines than its row
    holds. [] when every wrapped text prints apart."""
    short = []
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None or not cell.alignment.wrap_text:
                continue
            size = cell.font.sz or 11
            needed = min(409, fewest_lines(cell.value, width_of(sheet, cell)) * size * LINE_POINTS)
            height = sheet.row_dimensions[cell.row].height or 15
            if height < needed:
                short.append((cell.coordinate, height, needed))
    return short


def cut_labels(sheet):
    """[(cell, text, column width)] of one-line texts wider than their column with a value
    to their right, which a spreadsheet cuts ("Kerangka evaluasi" printed "Kerangk")."""
    cut = []
    for row in sheet.iter_rows():
        for cell in row:
            if not isinstance(cell.value, str) or cell.alignment.wrap_text:
                continue
            if sheet.cell(row=cell.row, column=cell.column + 1).value is None:
                continue
            if any(cell.coordinate in merged for merged in sheet.merged_cells.ranges):
                continue
            if width_of(sheet, cell) < len(cell.value):
                cut.append((cell.coordinate, cell.value, width_of(sheet, cell)))
    return cut


def page_setup(sheet):
    """What a printed page of `sheet` is: (orientation, paper, fit to width, fit to height,
    fit to page, repeated rows, header left, header right)."""
    setup = sheet.page_setup
    return (
        setup.orientation,
        setup.paperSize,
        setup.fitToWidth,
        setup.fitToHeight,
        sheet.sheet_properties.pageSetUpPr.fitToPage,
        sheet.print_title_rows,
        sheet.oddHeader.left.text,
        sheet.oddHeader.right.text,
    )


def a4_landscape_one_page_wide(repeated, left, right):
    """page_setup() of a sheet printed as every workbook of the app is: A4 (9) landscape, one
    page wide and as many high as it takes, rows `repeated` on every page, `left` and `right`
    in the page header."""
    return ("landscape", 9, 1, 0, True, repeated, left, right)
