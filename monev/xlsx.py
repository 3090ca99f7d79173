"""Workbooks that print: the layout every XLSX the app writes shares (the official form, the
recap).

A spreadsheet does not grow a row to fit its wrapped text when the file comes from a program
rather than from typing: Excel keeps the height stored in the file, and LibreOffice prints
a row of default height with the lines of a long text on top of each other. So the writer
sets each row's height from an estimate of the lines its wrapped cells need, and each label
column's width from its labels. The estimate is deliberately generous: the reader's font may
be wider than Calibri (LibreOffice without Carlito prints in DejaVu Sans), and a row a little
too tall prints well while one too short does not.
"""

import math
import textwrap

from openpyxl.utils import get_column_letter

# Excel's and LibreOffice's default column width (in characters) and font size.
DEFAULT_WIDTH = 8.43
DEFAULT_SIZE = 11
# The default row is 15 points high for an 11-point font: 15/11 points per point of font.
LINE_HEIGHT = 15 / DEFAULT_SIZE
# Excel refuses rows higher than 409 points; a longer text is cut in print whatever we do.
MAX_ROW_HEIGHT = 409
# A column W characters wide holds W - 1 of the default font's digits (the rest is the cell's
# padding). Calibri's letters are a little narrower than its digits on average and
# LibreOffice's fallback fonts a little wider: count one letter a digit; bold is wider.
PADDING = 1
TEXT_FACTOR = 1.0
BOLD_FACTOR = 0.9


def font_size(font):
    return float(font.sz or DEFAULT_SIZE) if font else DEFAULT_SIZE


def chars_per_line(width, *, size=DEFAULT_SIZE, bold=False):
    """How many characters of a text fit on one line of a column `width` characters wide."""
    factor = TEXT_FACTOR * (BOLD_FACTOR if bold else 1) * DEFAULT_SIZE / size
    return max(1, math.floor((width - PADDING) * factor))


def text_lines(text, width, *, size=DEFAULT_SIZE, bold=False):
    """The lines `text` needs when wrapped at words in a column `width` characters wide
    (a word longer than a line is broken, as a spreadsheet does)."""
    chars = chars_per_line(width, size=size, bold=bold)
    return sum(
        max(1, len(textwrap.wrap(line, chars, break_long_words=True, break_on_hyphens=False)))
        for line in str(text).split("\n")
    )


def label_width(text, *, size=DEFAULT_SIZE, bold=False):
    """The column width (in characters) that shows `text` on one line without cutting it."""
    factor = TEXT_FACTOR * (BOLD_FACTOR if bold else 1) * DEFAULT_SIZE / size
    return math.ceil(len(str(text)) / factor) + PADDING


def row_height(lines, size=DEFAULT_SIZE):
    """The height in points of `lines` lines of a `size`-point font, at most Excel's limit."""
    return min(MAX_ROW_HEIGHT, math.ceil(lines * size * LINE_HEIGHT))


def column_width(sheet, column):
    dimension = sheet.column_dimensions.get(get_column_letter(column))
    return dimension.width if dimension is not None and dimension.customWidth else DEFAULT_WIDTH


def set_widths(sheet, widths, *, start=1):
    """Column widths in characters, from column `start` on."""
    for column, width in enumerate(widths, start=start):
        sheet.column_dimensions[get_column_letter(column)].width = width


def cell_widths(sheet):
    """{(row, column): width}: a cell's width in characters — a merged range's top-left cell
    spans all its columns; the other cells of the range hold nothing to print."""
    widths = {}
    for merged in sheet.merged_cells.ranges:
        total = sum(
            column_width(sheet, column) for column in range(merged.min_col, merged.max_col + 1)
        )
        widths[(merged.min_row, merged.min_col)] = total
        for row in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                widths.setdefault((row, column), 0)
    return widths


def cell_lines(cell, width):
    """The lines a cell prints on: its wrapped text's lines, 1 for any other value."""
    if cell.alignment is not None and cell.alignment.wrap_text:
        return text_lines(cell.value, width, size=font_size(cell.font), bold=bool(cell.font.b))
    return 1


def fit_label_columns(sheet, *, min_row=1):
    """Widen every column whose not-wrapped text cells (the labels, "Kerangka evaluasi")
    would be cut by the cell to their right, so they print whole. Call after writing."""
    for row in sheet.iter_rows(min_row=min_row):
        for cell in row:
            if not isinstance(cell.value, str) or (cell.alignment and cell.alignment.wrap_text):
                continue
            if sheet.cell(row=cell.row, column=cell.column + 1).value is None:
                continue  # nothing to its right: the text runs on over the empty cells
            if any(cell.coordinate in merged for merged in sheet.merged_cells.ranges):
                continue
            needed = label_width(cell.value, size=font_size(cell.font), bold=bool(cell.font.b))
            if column_width(sheet, cell.column) < needed:
                sheet.column_dimensions[get_column_letter(cell.column)].width = needed


def fit_row_heights(sheet, *, min_row=1):
    """Set the height of every row with a value to what its tallest cell needs: the lines of
    its wrapped text at its column's width (merged columns added up) and its font size.
    Call after the values, fonts, alignments, widths and merges are set."""
    widths = cell_widths(sheet)
    for row in sheet.iter_rows(min_row=min_row):
        height = 0
        for cell in row:
            if cell.value is None:
                continue
            width = widths.get((cell.row, cell.column), column_width(sheet, cell.column))
            lines = cell_lines(cell, width) if width else 1
            height = max(height, row_height(lines, font_size(cell.font)))
        if height:
            sheet.row_dimensions[row[0].row].height = height


def header_text(text):
    """A text as a page header shows it: "&" starts a header code in Excel, "&&" is one "&"."""
    return str(text).replace("&", "&&")


def print_setup(sheet, *, left, right, title_rows=None):
    """Print `sheet` on A4 landscape, one page wide and as many high as it takes, with `left`
    and `right` in the page header (the institution; the document and its year), the page
    number in the footer and rows `title_rows` ("11:11") repeated on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = False
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.75
    sheet.oddHeader.left.text = header_text(left)
    sheet.oddHeader.right.text = header_text(right)
    sheet.oddHeader.left.size = sheet.oddHeader.right.size = 9
    sheet.oddFooter.right.text = "&P / &N"
    sheet.oddFooter.right.size = 9
    if title_rows:
        sheet.print_title_rows = title_rows
