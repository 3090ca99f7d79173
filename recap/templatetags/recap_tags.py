"""The recap matrix's body rows, written in Python: a city's matrix has thousands of cells
(80 OPDs × 47 indicators), and the template language spends tens of microseconds on each."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from recap.queries import STATES

register = template.Library()


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
            '<td class="recap-group-start">' if column.starts_group else "<td>",
            escape(column.indicator.number),
            escape(column.url),  # a cell links to it at its OPD's anchor (Cell.url)
        )
        for column in matrix.columns
    ]
    html = [_row(row, columns, states, words) for row in matrix.rows]
    return mark_safe("".join(html))  # noqa: S308 - every value in it is escaped


def _row(row, columns, states, words):
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
    for cell, (open_td, number, url) in zip(row.cells, columns, strict=True):
        if cell.state is None:
            parts.append(f"{open_td}</td>")
            continue
        css, code, label = states[cell.state.key]
        level = f" · {words['level']} {cell.level}" if cell.level else ""
        dim = " state-dim" if cell.dimmed else ""
        parts.append(
            f'{open_td}<a class="state state-{css}{dim}" href="{url}#opd-{agency.pk}" '
            f'title="{short} · {words["indicator"]} {number}: {label}{level}">'
            f'{code}<span class="visually-hidden"> {label}</span></a></td>'
        )
    for index, state in enumerate(STATES):
        start = " recap-group-start" if index == 0 else ""
        parts.append(f'<td class="recap-count{start}">{row.counts[state.key] or ""}</td>')
    parts.append("\n    </tr>")
    return "".join(parts)
