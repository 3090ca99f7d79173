"""The recap matrix's repeated parts, written in Python: a city's matrix has thousands of
cells (80 OPDs × 47 indicators), and the template language spends tens of microseconds on
each. Every value put in the HTML is escaped."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from recap.queries import STATES

register = template.Library()

# The divider before each aspect's first column (but the first: the sticky columns draw it).
GROUP_START = " recap-group-start"
GROUP_CLASS = f' class="{GROUP_START.strip()}"'


@register.simple_tag
def recap_rows(matrix):
    """The <tr> of every shown OPD: its name (and "terlambat"), its completeness, a cell per
    indicator — empty when not assigned, else a link to the answer on its review page with
    the state's code and label (never colour alone) — and its count per state."""
    words = {
        "late": escape(gettext("terlambat")),
        "none": escape(gettext("tidak ada")),
        "indicator": escape(gettext("indikator")),
        "level": escape(gettext("tingkat")),
    }
    states = {
        state.key: (state.css, escape(state.code), escape(str(state.label))) for state in STATES
    }
    columns = [
        (
            f"<td{GROUP_CLASS}>" if column.starts_group else "<td>",
            escape(column.indicator.number),
            escape(column.url),  # a cell links to it at its OPD's anchor (Cell.url)
        )
        for column in matrix.columns
    ]
    # Most cells of a city's matrix are not assigned: a row starts as empty cells.
    blanks = [f"{open_td}</td>" for open_td, _number, _url in columns]
    html = [_row(row, columns, blanks, states, words) for row in matrix.rows]
    return mark_safe("".join(html))  # noqa: S308 - every value in it is escaped


def _row(row, columns, blanks, states, words):
    agency, short = row.agency, escape(row.agency.short_name)
    late = f' <span class="badge badge-bad">{words["late"]}</span>' if row.is_late else ""
    late_class = ' class="recap-late"' if row.is_late else ""
    parts = [
        f'\n    <tr id="opd-{agency.pk}"{late_class}>\n'
        f'      <th scope="row" class="recap-agency" title="{escape(agency.name)}">'
        f"{short}{late}</th>\n"
    ]
    assigned = row.assigned
    if assigned:
        percent = row.percent
        parts.append(
            f'      <td class="recap-percent" style="--done: {percent}%"><strong>{percent}%'
            f'</strong> <span class="small muted">{row.complete}/{assigned}</span></td>\n      '
        )
    else:
        parts.append(
            f'      <td class="recap-percent"><span class="small muted">{words["none"]}</span>'
            "</td>\n      "
        )
    cells = list(blanks)
    for index, cell in row.placed:
        open_td, number, url = columns[index]
        css, code, label = states[cell.state.key]
        level = f" · {words['level']} {cell.level}" if cell.level else ""
        dim = " state-dim" if cell.dimmed else ""
        cells[index] = (
            f'{open_td}<a class="state state-{css}{dim}" href="{url}#opd-{agency.pk}" '
            f'title="{short} · {words["indicator"]} {number}: {label}{level}">'
            f'{code}<span class="visually-hidden"> {label}</span></a></td>'
        )
    parts.extend(cells)
    for index, state in enumerate(STATES):
        start = " recap-group-start" if index == 0 else ""
        parts.append(f'<td class="recap-count{start}">{row.counts[state.key] or ""}</td>')
    parts.append("\n    </tr>")
    return "".join(parts)


@register.simple_tag
def recap_column_heads(matrix):
    """The header cell of every indicator column: its number, linking to its review page,
    with its name as the title."""
    parts = []
    for column in matrix.columns:
        number = escape(column.indicator.number)
        parts.append(
            f'<th scope="col"{GROUP_CLASS if column.starts_group else ""} title="{number}. '
            f'{escape(column.indicator.name)}"><a href="{escape(column.url)}">{number}</a></th>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value in it is escaped


@register.simple_tag
def recap_column_totals(matrix):
    """The footer cell of every indicator column: its completeness over the shown OPDs."""
    parts = []
    for column in matrix.columns:
        assigned = column.assigned
        shown = f"{column.percent}%" if assigned else ""
        parts.append(
            f'<td class="recap-column-total{GROUP_START if column.starts_group else ""}" '
            f'title="{escape(column.indicator.number)}: {column.complete}/{assigned}">'
            f"{shown}</td>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value in it is escaped


@register.simple_tag
def recap_agency_options(matrix):
    """The <option> of every OPD of the cycle in the OPD filter, the filtered one selected."""
    chosen = matrix.filters.agency
    return mark_safe(  # noqa: S308 - every value in it is escaped
        "".join(
            f'<option value="{agency.pk}"{" selected" if agency.pk == chosen else ""}>'
            f"{escape(agency.short_name)} — {escape(agency.name)}</option>"
            for agency in matrix.agency_choices
        )
    )
