import datetime
import io

import openpyxl
import pytest

from institutions.models import Agency
from monev.tests.printing import (
    a4_landscape_one_page_wide,
    cut_labels,
    page_setup,
    short_rows,
)
from recap.tests.conftest import answer
from recap.xlsx import recap_workbook

# 10.00 WIB, three days before the deadline.
NOW = datetime.datetime(2026, 12, 12, 3, 0, tzinfo=datetime.UTC)


@pytest.fixture
def workbook(cycle, agency, other_agency):
    answer(cycle, agency, 25, "draft")
    answer(cycle, agency, 36, "submitted", level=3)
    answer(cycle, agency, 41, "returned", level=2)
    answer(cycle, other_agency, 45, "accepted", level=4)
    answer(cycle, other_agency, 46, "submitted", level=2)
    return openpyxl.load_workbook(io.BytesIO(recap_workbook(cycle, now=NOW)))


def column_of(sheet, header_row, value):
    return next(cell.column for cell in sheet[header_row] if cell.value == value)


def row_of(sheet, column, value):
    return next(cell.row for cell in sheet[column] if cell.value == value)


def test_sheets_and_title_rows(workbook):
    assert workbook.sheetnames == ["Matriks", "Per OPD", "Per indikator"]
    for sheet in workbook.worksheets:
        assert sheet["A1"].value == "Pemerintah Kota Pontianak · Rekap isian OPD Monev SPBE 2026"
        assert sheet["A2"].value == (
            "Dibuat 12 Desember 2026 10.00 WIB · batas waktu pengisian OPD 15 Desember 2026"
        )
    assert [sheet.freeze_panes for sheet in workbook.worksheets] == ["B5", "C4", "D4"]


def test_matrix_cells_have_a_text_and_a_fill(workbook):
    sheet = workbook["Matriks"]
    assert [cell.value for cell in sheet[4]][:3] == ["OPD", 1, 2]
    assert sheet["B3"].value == "Aspek 1"
    row = row_of(sheet, "A", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia")
    returned = sheet.cell(row=row, column=column_of(sheet, 4, 41))
    assert returned.value == "K"
    assert returned.fill.fgColor.rgb == "00A01C1C"
    accepted_row = row_of(sheet, "A", "Dinas Kesehatan")
    accepted = sheet.cell(row=accepted_row, column=column_of(sheet, 4, 45))
    assert (accepted.value, accepted.fill.fgColor.rgb) == ("✓", "001E6B34")
    assert sheet.cell(row=row, column=column_of(sheet, 4, 1)).value is None
    assert sheet.cell(row=row, column=column_of(sheet, 4, "Kelengkapan (%)")).value == 33
    assert sheet.column_dimensions["A"].width == 48


def test_per_opd_sheet(workbook):
    sheet = workbook["Per OPD"]
    assert [cell.value for cell in sheet[3]] == [
        "No.",
        "OPD",
        "Singkatan",
        "Ditugaskan",
        "Belum dimulai",
        "Draf",
        "Diajukan",
        "Dikembalikan",
        "Diterima",
        "Kelengkapan (%)",
        "Terlambat",
    ]
    assert [[cell.value for cell in sheet[row]][2:] for row in (4, 5, 6)] == [
        ["BKPSDM", 3, 0, 1, 1, 1, 0, 33, "tidak"],
        ["Dinkes", 3, 1, 0, 1, 0, 1, 66, "tidak"],
        [None, 6, 1, 1, 2, 1, 1, 50, 0],
    ]


def test_per_indicator_sheet_lists_the_proposed_levels(workbook):
    sheet = workbook["Per indikator"]
    line = row_of(sheet, "A", 46)
    assert [cell.value for cell in sheet[line]] == [
        46,
        "8. Layanan Publik Berbasis Elektronik",
        sheet.cell(row=line, column=3).value,
        1,
        1,
        100,
        "Dinkes: 2 (diajukan)",
        None,
    ]
    line = row_of(sheet, "A", 41)
    assert [cell.value for cell in sheet[line]][3:] == [1, 0, 0, None, "BKPSDM (dikembalikan)"]
    assert sheet.max_row == 3 + 47


def test_every_sheet_prints_one_page_wide_with_rows_as_high_as_their_text(workbook):
    for sheet, repeated in zip(workbook.worksheets, ("$3:$4", "$3:$3", "$3:$3"), strict=True):
        assert page_setup(sheet) == a4_landscape_one_page_wide(
            repeated, "Pemerintah Kota Pontianak", "Rekap isian OPD tahun 2026"
        )
        assert short_rows(sheet) == []
        assert cut_labels(sheet) == []
    matrix = workbook["Matriks"]
    # An OPD name longer than its column wraps onto a second line instead of being cut.
    line = row_of(matrix, "A", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia")
    assert matrix.cell(row=line, column=1).alignment.wrap_text is True
    assert matrix.row_dimensions[line].height == 2 * 15
    per_indicator = workbook["Per indikator"]
    line = row_of(per_indicator, "A", 46)
    assert per_indicator.row_dimensions[line].height == 2 * 15


def test_an_opd_name_a_spreadsheet_would_run_is_text(cycle, agency):
    payload = '=HYPERLINK("https://x","klik")'
    Agency.objects.filter(pk=agency.pk).update(name=payload)

    workbook = openpyxl.load_workbook(io.BytesIO(recap_workbook(cycle, now=NOW)))

    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    found = [(cell.parent.title, cell.coordinate) for cell in cells if cell.value == "'" + payload]
    assert found == [("Matriks", "A5"), ("Per OPD", "B4")]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
