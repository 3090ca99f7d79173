"""The recap workbook (rekap, SOP step 5 output) for the coordination meeting: the OPD ×
indicator matrix, completeness per OPD and per indicator with the levels the OPDs propose."""

import io
import zoneinfo

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from documents.formal import tanggal
from monev.exports import neutralize_workbook
from monev.xlsx import fit_label_columns, fit_row_heights, print_setup, set_widths
from recap.queries import COMPLETE, STATES, recap_matrix

# The same colours as recap.css: the sheet and the screen read the same on a projector.
FILL_COLOURS = {
    "none": "DDE3EA",
    "draft": "FFD98A",
    "submitted": "0B4F8A",
    "returned": "A01C1C",
    "accepted": "1E6B34",
}
TEXT_COLOURS = {"none": "3B4553", "draft": "4D3200"}  # white on the darker fills
HEADER_FILL = PatternFill("solid", fgColor="E9EEF4")
LATE_FILL = PatternFill("solid", fgColor="FDE6E6")
THIN = Side(style="thin", color="CFD6DF")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
CENTER = Alignment(horizontal="center", vertical="center")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER_TOP = Alignment(horizontal="center", vertical="top")
TOP = Alignment(vertical="top")


def node_number(node):
    """An indicator's number as a number when it is one (no "number stored as text")."""
    return int(node.number) if node.number.isdigit() else node.number


def state_fill(state):
    return PatternFill("solid", fgColor=FILL_COLOURS[state.css])


def state_font(state):
    return Font(bold=True, color=TEXT_COLOURS.get(state.css, "FFFFFF"))


def recap_workbook(cycle, *, now=None):
    """The recap of `cycle` as XLSX bytes: sheets "Matriks", "Per OPD" and "Per indikator",
    each under a title row naming the institution, the cycle and the generation time, and
    each printing on A4 landscape one page wide, its table header repeated on every page and
    the institution and the year in the page header."""
    now = now or timezone.now()
    zone = zoneinfo.ZoneInfo(cycle.institution.time_zone)
    local = timezone.localtime(now, zone)
    matrix = recap_matrix(cycle, today=local.date())
    title = _("%(institution)s · Rekap isian OPD %(cycle)s") % {
        "institution": cycle.institution.name,
        "cycle": cycle.name,
    }
    subtitle = _("Dibuat %(when)s · batas waktu pengisian OPD %(deadline)s") % {
        "when": f"{tanggal(local.date())} {local:%H.%M} {local:%Z}",
        "deadline": tanggal(cycle.deadline),
    }
    page_header = _("Rekap isian OPD tahun %(year)s") % {"year": cycle.year}
    workbook = Workbook()
    _matrix_sheet(workbook.active, matrix, title, subtitle)
    _agency_sheet(workbook.create_sheet(), matrix, title, subtitle)
    _indicator_sheet(workbook.create_sheet(), matrix, title, subtitle)
    for sheet, title_rows in zip(workbook.worksheets, ("3:4", "3:3", "3:3"), strict=True):
        fit_label_columns(sheet)
        fit_row_heights(sheet)
        print_setup(sheet, left=cycle.institution.name, right=page_header, title_rows=title_rows)
    neutralize_workbook(workbook)  # OPD and indicator names are typed by people
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _titles(sheet, title, subtitle):
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = subtitle
    sheet["A2"].font = Font(italic=True, color="4A5565")


def _header(sheet, row, values):
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.border = GRID
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _matrix_sheet(sheet, matrix, title, subtitle):
    sheet.title = _("Matriks")
    _titles(sheet, title, subtitle)
    first = 2  # the first indicator column
    for group_start, group in _group_starts(matrix.aspects, first):
        label = f"{group.node.kind_label} {group.node.number}" if group.node else ""
        cell = sheet.cell(row=3, column=group_start, value=label)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, CENTER
        if group.node:
            cell.comment = Comment(group.node.name, "Monev SPBE")
        if group.span > 1:
            sheet.merge_cells(
                start_row=3,
                start_column=group_start,
                end_row=3,
                end_column=group_start + group.span - 1,
            )
    after = first + len(matrix.columns)
    _header(
        sheet,
        4,
        [_("OPD")]
        + [node_number(column.indicator) for column in matrix.columns]
        + [_("Lengkap"), _("Kelengkapan (%)"), _("Terlambat")],
    )
    for index, column in enumerate(matrix.columns):
        sheet.cell(row=4, column=first + index).comment = Comment(
            f"{column.indicator.number}. {column.indicator.name}", "Monev SPBE"
        )
    line = 5
    for row in matrix.rows:
        name = sheet.cell(row=line, column=1, value=row.agency.name)
        name.border, name.alignment = GRID, WRAP
        if row.is_late:
            name.fill = LATE_FILL
        for index, cell in enumerate(row.cells):
            target = sheet.cell(row=line, column=first + index)
            target.border = GRID
            target.alignment = CENTER
            if cell.state:
                target.value = cell.state.code
                target.fill = state_fill(cell.state)
                target.font = state_font(cell.state)
        sheet.cell(row=line, column=after, value=f"{row.complete}/{row.assigned}")
        sheet.cell(row=line, column=after + 1, value=row.percent)
        sheet.cell(row=line, column=after + 2, value=_("ya") if row.is_late else _("tidak"))
        line += 1
    sheet.cell(row=line, column=1, value=_("Kelengkapan per indikator (%)")).font = BOLD
    for index, column in enumerate(matrix.columns):
        sheet.cell(row=line, column=first + index, value=column.percent).alignment = CENTER
    sheet.cell(row=line, column=after, value=f"{matrix.complete}/{matrix.assigned}").font = BOLD
    sheet.cell(row=line, column=after + 1, value=matrix.percent).font = BOLD
    _legend(sheet, line + 2)
    sheet.freeze_panes = "B5"
    set_widths(sheet, [48] + [4.5] * len(matrix.columns) + [10, 12, 11])


def _group_starts(groups, first):
    start = first
    for group in groups:
        yield start, group
        start += group.span


def _legend(sheet, line):
    sheet.cell(row=line, column=1, value=_("Keterangan")).font = BOLD
    for offset, state in enumerate(STATES, start=1):
        sheet.cell(row=line + offset, column=1, value=str(state.label))
        code = sheet.cell(row=line + offset, column=2, value=state.code)
        code.fill, code.font, code.alignment = state_fill(state), state_font(state), CENTER
    sheet.cell(row=line + len(STATES) + 1, column=1, value=_("kosong: tidak ditugaskan"))


def _agency_sheet(sheet, matrix, title, subtitle):
    sheet.title = _("Per OPD")
    _titles(sheet, title, subtitle)
    _header(
        sheet,
        3,
        [_("No."), _("OPD"), _("Singkatan"), _("Ditugaskan")]
        + [str(state.label).capitalize() for state in STATES]
        + [_("Kelengkapan (%)"), _("Terlambat")],
    )
    line = 4
    for number, row in enumerate(matrix.rows, start=1):
        values = [number, row.agency.name, row.agency.short_name, row.assigned]
        values += [n for _state, n in row.count_list]
        values += [row.percent, _("ya") if row.is_late else _("tidak")]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=line, column=column, value=value)
            cell.border = GRID
            cell.alignment = WRAP if column == 2 else TOP  # a long OPD name takes two lines
            if row.is_late:
                cell.fill = LATE_FILL
        line += 1
    totals = ["", _("Jumlah"), "", matrix.assigned] + [n for _state, n in matrix.count_list]
    totals += [matrix.percent, matrix.late_count]
    for column, value in enumerate(totals, start=1):
        sheet.cell(row=line, column=column, value=value).font = BOLD
    sheet.freeze_panes = "C4"
    set_widths(sheet, [6, 48, 14, 12] + [14] * len(STATES) + [16, 11])


def _indicator_sheet(sheet, matrix, title, subtitle):
    sheet.title = _("Per indikator")
    _titles(sheet, title, subtitle)
    _header(
        sheet,
        3,
        [
            _("No."),
            _("Aspek"),
            _("Indikator"),
            _("OPD ditugaskan"),
            _("Diajukan/diterima"),
            _("Kelengkapan (%)"),
            _("OPD yang menjawab: tingkat yang diusulkan"),
            _("Belum lengkap"),
        ],
    )
    line = 4
    for column in matrix.columns:
        answered = [
            f"{agency.short_name}: {level or '–'} ({state.label})"
            for agency, state, level in column.answers
            if state.key in COMPLETE
        ]
        waiting = [
            f"{agency.short_name} ({state.label})"
            for agency, state, _level in column.answers
            if state.key not in COMPLETE
        ]
        aspect = column.aspect
        values = [
            node_number(column.indicator),
            f"{aspect.number}. {aspect.name}" if aspect else "",
            column.indicator.name,
            column.assigned,
            column.complete,
            column.percent,
            "; ".join(answered) or None,
            "; ".join(waiting) or None,
        ]
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=line, column=index, value=value)
            cell.border = GRID
            # The number centred: "1" beside "1. Kebijakan …" would print as "11. Kebijakan …".
            cell.alignment = CENTER_TOP if index == 1 else WRAP
        line += 1
    sheet.freeze_panes = "D4"
    set_widths(sheet, [6, 30, 50, 11, 12, 14, 45, 35])
