"""The export-cell rule (monev.exports), read back from real CSV and XLSX files."""

import csv
import io

import openpyxl
from openpyxl import Workbook

from monev.exports import export_cell, export_row, neutralize_workbook

PAYLOADS = ['=HYPERLINK("https://x","klik")', "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"]


def test_a_text_a_spreadsheet_would_run_gets_an_apostrophe():
    assert [export_cell(value) for value in PAYLOADS] == [
        '\'=HYPERLINK("https://x","klik")',
        "'+1",
        "'-1+2",
        "'@SUM(A1)",
        "'\t=1",
        "'\r=1",
    ]


def test_numbers_plain_texts_and_empty_cells_stay_as_they_are():
    assert export_row([-1, 2.5, None, "", "Perwa 12/2024", "'=1"]) == [
        -1,
        2.5,
        None,
        "",
        "Perwa 12/2024",
        "'=1",
    ]


def test_a_csv_written_with_export_row_reads_back_as_text():
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(export_row([*PAYLOADS, -3]))

    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["'" + value for value in PAYLOADS] + [
        "-3"
    ]


def test_a_neutralized_workbook_has_no_formula_and_keeps_its_numbers():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([*PAYLOADS, -3, 4.5])

    neutralize_workbook(workbook)
    out = io.BytesIO()
    workbook.save(out)
    cells = next(openpyxl.load_workbook(io.BytesIO(out.getvalue())).active.iter_rows())

    assert [cell.value for cell in cells] == ["'" + value for value in PAYLOADS] + [-3, 4.5]
    assert [cell.data_type for cell in cells] == ["s"] * len(PAYLOADS) + ["n", "n"]
