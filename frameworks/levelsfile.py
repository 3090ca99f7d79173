"""Reading levels CSV files: header "indicator,level", one row per indicator with its official
number and an integer level. Pure functions, no database; every bad line is reported at once
(LevelError, messages in Bahasa Indonesia naming the file and the line)."""

import csv
import io
import re
from pathlib import Path

from django.utils.translation import gettext as _

from .scoring import LevelError

HEADER = ["indicator", "level"]


def read_levels_csv(path, spec):
    """Read a levels file into {indicator code: level}; raise LevelError naming each bad line.

    Every indicator of the framework must appear exactly once. A comma or a semicolon (as
    spreadsheets in an Indonesian locale write) separates the columns."""
    path = Path(path)
    try:
        content = path.read_bytes()
    except OSError as error:
        raise LevelError(
            _("%(file)s: berkas tidak dapat dibaca (%(error)s).") % {"file": path, "error": error}
        ) from None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LevelError(
            _("%(file)s baris %(line)s: bukan teks CSV (UTF-8).")
            % {"file": path, "line": content[: error.start].count(b"\n") + 1}
        ) from None
    return parse_levels_csv(text, spec, path=path)


def parse_levels_csv(text, spec, *, path):
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise LevelError(
            _("%(file)s baris 1: kepala kolom harus %(header)r.")
            % {"file": path, "header": ",".join(HEADER)}
        )
    delimiter = ";" if ";" in lines[0] and "," not in lines[0] else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        raise LevelError(
            _("%(file)s baris %(line)s: bukan CSV yang sah (%(error)s).")
            % {"file": path, "line": reader.line_num, "error": error}
        ) from None
    header = [cell.strip().lower() for cell in rows[0][1]]
    if header != HEADER:
        raise LevelError(
            _("%(file)s baris 1: kepala kolom harus %(header)r, bukan %(found)r.")
            % {"file": path, "header": ",".join(HEADER), "found": delimiter.join(rows[0][1])}
        )
    by_number = {node.number: node for node in spec.indicators}
    problems, levels, lines_of = [], {}, {}
    for line, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        where = _("%(file)s baris %(line)s") % {"file": path, "line": line}
        if len(row) != 2:
            problems.append(
                _("%(where)s: harus 2 kolom (indicator,level), ditemukan %(count)s.")
                % {"where": where, "count": len(row)}
            )
            continue
        number, level = row[0].strip(), row[1].strip()
        node = by_number.get(number)
        if node is None:
            problems.append(
                _("%(where)s: indikator %(number)r tidak ada di kerangka %(framework)s.")
                % {"where": where, "number": number, "framework": spec.code}
            )
            continue
        if node.code in lines_of:
            problems.append(
                _("%(where)s: indikator %(number)s sudah diisi di baris %(other)s.")
                % {"where": where, "number": number, "other": lines_of[node.code]}
            )
            continue
        lines_of[node.code] = line
        if not re.fullmatch(r"[+-]?\d+", level):
            problems.append(
                _("%(where)s: tingkat indikator %(number)s harus bilangan bulat, bukan %(level)r.")
                % {"where": where, "number": number, "level": level}
            )
        elif not spec.scale_min <= int(level) <= spec.scale_max:
            problems.append(
                _(
                    "%(where)s: tingkat indikator %(number)s (%(level)s) di luar skala "
                    "%(min)s–%(max)s."
                )
                % {
                    "where": where,
                    "number": number,
                    "level": level,
                    "min": spec.scale_min,
                    "max": spec.scale_max,
                }
            )
        else:
            levels[node.code] = int(level)
    absent = [node.number for node in spec.indicators if node.code not in lines_of]
    if absent:
        problems.append(
            _("%(file)s: indikator belum diisi (%(count)s dari %(total)s): %(numbers)s.")
            % {
                "file": path,
                "count": len(absent),
                "total": len(spec.indicators),
                "numbers": ", ".join(absent),
            }
        )
    if problems:
        raise LevelError(problems)
    return levels
