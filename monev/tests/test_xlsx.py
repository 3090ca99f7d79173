"""The shared print layout of workbooks (monev.xlsx), read back from real XLSX files."""

import io

import openpyxl
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from monev.tests.printing import (
    a4_landscape_one_page_wide,
    cut_labels,
    page_setup,
    short_rows,
)
from monev.xlsx import (
    chars_per_line,
    fit_label_columns,
    fit_row_heights,
    label_width,
    print_setup,
    row_height,
    set_widths,
    text_lines,
)

WRAP = Alignment(wrap_text=True, vertical="top")


def saved(workbook):
    out = io.BytesIO()
    workbook.save(out)
    return openpyxl.load_workbook(io.BytesIO(out.getvalue())).active


def test_a_line_holds_one_character_less_than_the_column_fewer_in_bold_or_larger():
    assert chars_per_line(80) == 79
    assert chars_per_line(80, bold=True) == 71
    assert chars_per_line(80, size=14) == 62
    assert chars_per_line(1) == 1


def test_text_wraps_at_words_line_breaks_and_inside_a_word_longer_than_a_line():
    assert text_lines("", 10) == 1
    assert text_lines("Peraturan Wali Kota", 10) == 2  # "Peraturan" / "Wali Kota"
    assert text_lines("FAKTA:\nAda.\n\nANALISIS:\nCukup.", 80) == 5
    assert text_lines("x" * 20, 11) == 2


def test_a_label_column_fits_the_label_on_one_line():
    assert label_width("Kerangka evaluasi", bold=True) == 20
    assert label_width("Predikat") == 9


def test_row_height_is_fifteen_points_a_line_at_most_excels_limit():
    assert row_height(3) == 45
    assert row_height(1, size=14) == 20
    assert row_height(100) == 409


def test_rows_fit_their_wrapped_text_merged_columns_added_up():
    workbook = Workbook()
    sheet = workbook.active
    set_widths(sheet, [10, 10, 21])
    sheet["A1"] = "Judul"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"], sheet["B2"] = "Label", "kata " * 8  # 9 characters a line: "kata kata" × 4
    sheet["B2"].alignment = WRAP
    sheet["A3"] = "kata " * 8  # merged over A:C, 41 wide: 1 line
    sheet["A3"].alignment = WRAP
    sheet.merge_cells("A3:C3")
    sheet["A4"] = "kata " * 8  # not wrapped: 1 line, runs on over the empty cells
    sheet["A5"].alignment = WRAP  # nothing in it: the row keeps the default

    fit_row_heights(sheet)
    sheet = saved(workbook)

    heights = [sheet.row_dimensions[row].height for row in range(1, 6)]
    assert heights == [20, 60, 15, 15, None]
    assert short_rows(sheet) == []


def test_label_columns_widen_where_a_value_beside_would_cut_the_label():
    workbook = Workbook()
    sheet = workbook.active
    set_widths(sheet, [7, 30])
    sheet["A1"] = "Judul yang panjang sekali"  # nothing beside it: runs on
    sheet["A2"], sheet["B2"] = "Kerangka evaluasi", "Evaluasi SPBE"
    sheet["A2"].font = Font(bold=True)
    sheet["A3"], sheet["B3"] = "Penjelasan yang panjang", "x"
    sheet["A3"].alignment = WRAP  # wraps instead

    fit_label_columns(sheet)
    fit_row_heights(sheet)
    sheet = saved(workbook)

    assert [sheet.column_dimensions[c].width for c in "AB"] == [20, 30]
    assert cut_labels(sheet) == []
    assert short_rows(sheet) == []


def test_print_setup_a4_landscape_one_page_wide_with_header_and_repeated_rows():
    workbook = Workbook()
    sheet = workbook.active
    sheet["A3"] = "No."

    print_setup(sheet, left="Dinas Komunikasi & Informatika", right="Rekap 2026", title_rows="3:3")
    sheet = saved(workbook)

    # "&&" prints one "&" ("&" starts a header code).
    assert page_setup(sheet) == a4_landscape_one_page_wide(
        "$3:$3", "Dinas Komunikasi && Informatika", "Rekap 2026"
    )
    assert sheet.oddFooter.right.text == "&P / &N"
