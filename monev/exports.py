"""The one rule for every cell the app writes into a CSV or XLSX file: a text a spreadsheet
would read as a formula is not one.

OWASP's CSV-injection rule: a text starting with =, +, -, @, a tab or a carriage return is
prefixed with an apostrophe, so an evidence title like =HYPERLINK("https://…","klik") shows
as that text instead of a live link. Numbers, dates and empty cells stay what they are.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_cell(value):
    """`value` as it may go into a cell: a dangerous text prefixed with "'", anything else
    unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_row(values):
    """A CSV row with every cell made safe."""
    return [export_cell(value) for value in values]


def neutralize_workbook(workbook):
    """Make every text cell of an openpyxl workbook safe, just before it is saved. The app
    writes no formulas of its own, so a cell openpyxl took for one ("=…") is a text too."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    safe = export_cell(cell.value)
                    if safe is not cell.value:
                        cell.value = safe
                    cell.data_type = "s"
    return workbook
