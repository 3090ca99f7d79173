"""Bulk imports of agencies (OPD) and users from XLSX/CSV: all-or-nothing, every row is
checked (and shown as a preview) before any is written."""

import csv
import io
from dataclasses import dataclass, field

import openpyxl
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record_event
from institutions.models import Agency, Function, Institution, Role, User
from institutions.services.accounts import LOCKOUT_OWN_ADMIN, _set_roles

MAX_IMPORT_BYTES = 5 * 1024 * 1024

ROLE_ALIASES = {
    "coordinator": Role.COORDINATOR,
    "koordinator": Role.COORDINATOR,
    "supervisor": Role.SUPERVISOR,
    "kabid": Role.SUPERVISOR,
    "secretariat": Role.SECRETARIAT,
    "sekretariat": Role.SECRETARIAT,
    "evaluator": Role.EVALUATOR,
    "agency": Role.AGENCY,
    "opd": Role.AGENCY,
    "operator": Role.AGENCY,
    "leader": Role.LEADER,
    "pimpinan": Role.LEADER,
    "sekda": Role.LEADER,
    "admin": Role.ADMIN,
}

AGENCY_COLUMNS = ["nama", "singkatan", "kepala", "jabatan_kepala", "surel", "fungsi"]
USER_COLUMNS = ["username", "nama", "surel", "nip", "jabatan", "peran", "opd", "kata_sandi"]


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, empty, missing columns)."""


@dataclass
class RowError:
    line: int
    message: str


@dataclass
class PlannedRow:
    """A good row and what importing it will do: update `existing`, or create when None."""

    line: int
    existing: object
    values: dict
    parsed: tuple = ()

    @property
    def is_new(self):
        return self.existing is None


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    planned: list[PlannedRow] = field(default_factory=list)
    # The same confirmation again (a double click on "Simpan impor"): nothing was written.
    repeated: bool = False

    @property
    def ok(self):
        return not self.errors

    @property
    def to_create(self):
        return sum(1 for row in self.planned if row.is_new)

    @property
    def to_update(self):
        return len(self.planned) - self.to_create


def read_table(uploaded, *, required):
    """Rows of an uploaded XLSX or CSV file as (line number, {column: text}) pairs.

    The type is decided by content, not by the file name. Column names are matched
    case-insensitively; every column in `required` must be present.
    """
    data = uploaded.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(_("Berkas terlalu besar (maksimal 5 MB)."))
    if not data.strip():
        raise ImportFileError(_("Berkas kosong."))
    is_xlsx = data[:4] == b"PK\x03\x04"  # XLSX is a ZIP container
    rows = _xlsx_rows(data) if is_xlsx else _csv_rows(data)
    try:
        header = next(rows)
    except StopIteration:
        raise ImportFileError(_("Berkas kosong.")) from None
    columns = [str(c or "").strip().lower() for c in header]
    missing = [c for c in required if c not in columns]
    if missing:
        raise ImportFileError(
            _("Kolom wajib tidak ada: %(columns)s. Baris pertama harus berisi nama kolom.")
            % {"columns": ", ".join(missing)}
        )
    result = []
    for line, values in enumerate(rows, start=2):
        record = {
            col: ("" if value is None else str(value).strip())
            for col, value in zip(columns, values, strict=False)
            if col
        }
        if any(record.values()):
            result.append((line, record))
    return result


def _xlsx_rows(data):
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise ImportFileError(_("Berkas bukan XLSX atau CSV yang dapat dibaca.")) from None
    return iter(list(workbook.worksheets[0].iter_rows(values_only=True)))


def _csv_rows(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_("Berkas bukan XLSX atau CSV (UTF-8) yang dapat dibaca.")) from None
    if "\x00" in text:
        raise ImportFileError(_("Berkas bukan XLSX atau CSV (UTF-8) yang dapat dibaca."))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return iter(list(csv.reader(io.StringIO(text), delimiter=delimiter)))


def _parse_functions(text):
    labels = {label.lower(): code for code, label in Function.choices}
    codes, unknown = [], []
    for part in filter(None, (p.strip().lower() for p in text.replace(",", ";").split(";"))):
        code = part if part in Function.values else labels.get(part)
        if code:
            codes.append(code)
        else:
            unknown.append(part)
    return codes, unknown


def check_agencies(institution, rows, *, by=None):
    """What importing OPD `rows` (see AGENCY_COLUMNS) would do, without writing anything: the
    errors per row and, when there are none, the planned creates and updates. (`by` is taken
    for the same signature as check_users.)"""
    report = ImportReport()
    existing = {a.short_name.lower(): a for a in institution.agencies.all()}
    seen_short, seen_names = {}, {}
    for line, row in rows:
        name, short = row.get("nama", ""), row.get("singkatan", "")
        if not name or not short:
            report.errors.append(RowError(line, _("Kolom nama dan singkatan wajib diisi.")))
            continue
        if short.lower() in seen_short:
            report.errors.append(
                RowError(
                    line,
                    _("Singkatan %(short)s sudah dipakai di baris %(other)s.")
                    % {"short": short, "other": seen_short[short.lower()]},
                )
            )
            continue
        if name.lower() in seen_names:
            report.errors.append(
                RowError(
                    line,
                    _("Nama OPD sudah dipakai di baris %(other)s.")
                    % {"other": seen_names[name.lower()]},
                )
            )
            continue
        seen_short[short.lower()], seen_names[name.lower()] = line, line
        functions, unknown = _parse_functions(row.get("fungsi", ""))
        if unknown:
            report.errors.append(
                RowError(
                    line, _("Fungsi tidak dikenal: %(names)s.") % {"names": ", ".join(unknown)}
                )
            )
            continue
        email = row.get("surel", "")
        if email and "@" not in email:
            report.errors.append(
                RowError(line, _("Alamat surel tidak valid: %(v)s.") % {"v": email})
            )
            continue
        report.planned.append(PlannedRow(line, existing.get(short.lower()), row, (functions,)))
    if report.errors:
        report.planned = []
    return report


def _import_repeated(institution, action, token):
    """Inside an import's transaction: take the institution's lock (one import at a time, so
    the rows are checked against what the previous one wrote) and say whether this
    confirmation, by its one-time token, was already imported."""
    list(Institution.objects.select_for_update().filter(pk=institution.pk).values_list("pk"))
    return (
        bool(token)
        and (
            AuditEvent.objects.filter(institution=institution, action=action, after__token=token)
        ).exists()
    )


def import_agencies(institution, rows, *, by, token=""):
    """Create or update OPDs from rows (see AGENCY_COLUMNS); all rows or none. The same
    confirmation `token` twice imports once (the report says `repeated`).

    Side effects: one audit event "agencies.imported" with the counts and the token.
    """
    with transaction.atomic():
        if _import_repeated(institution, "agencies.imported", token):
            return ImportReport(repeated=True)
        report = check_agencies(institution, rows)
        if report.errors:
            return report
        for planned in report.planned:
            row, (functions,) = planned.values, planned.parsed
            values = {
                "name": row["nama"],
                "short_name": row["singkatan"],
                "head_name": row.get("kepala", ""),
                "head_title": row.get("jabatan_kepala", ""),
                "email": row.get("surel", ""),
                "functions": functions,
            }
            if planned.is_new:
                Agency.objects.create(institution=institution, **values)
                report.created += 1
            else:
                agency = planned.existing
                for key, value in values.items():
                    setattr(agency, key, value)
                agency.save()
                report.updated += 1
        record_event(
            "agencies.imported",
            by=by,
            institution=institution,
            after={"created": report.created, "updated": report.updated}
            | ({"token": token} if token else {}),
        )
    return report


def _parse_roles(text):
    roles, unknown = [], []
    for part in filter(None, (p.strip().lower() for p in text.replace(",", ";").split(";"))):
        if part in ROLE_ALIASES:
            roles.append(ROLE_ALIASES[part])
        else:
            unknown.append(part)
    return roles, unknown


def _check_user_row(row, agencies, taken_elsewhere, by):
    """The problems of one user row, as messages; empty when the row can be written."""
    problems = []
    username = row.get("username", "")
    if not username or not row.get("nama"):
        problems.append(_("Kolom username dan nama wajib diisi."))
    elif username.lower() in taken_elsewhere:
        problems.append(_("Nama pengguna %(u)s sudah dipakai.") % {"u": username})
    roles, unknown = _parse_roles(row.get("peran", ""))
    if unknown:
        problems.append(_("Peran tidak dikenal: %(names)s.") % {"names": ", ".join(unknown)})
    if not roles and not unknown:
        problems.append(_("Kolom peran wajib diisi."))
    if by is not None and username.lower() == by.username.lower() and Role.ADMIN not in roles:
        problems.append(LOCKOUT_OWN_ADMIN)
    short = row.get("opd", "")
    if Role.AGENCY in roles and not short:
        problems.append(_("Peran operator OPD memerlukan kolom opd (singkatan OPD)."))
    if short and short.lower() not in agencies:
        problems.append(_("OPD %(short)s tidak ditemukan di instansi ini.") % {"short": short})
    email = row.get("surel", "")
    if email and "@" not in email:
        problems.append(_("Alamat surel tidak valid: %(v)s.") % {"v": email})
    password = row.get("kata_sandi", "")
    if password:
        try:
            validate_password(password)
        except ValidationError as error:
            problems.extend(error.messages)
    return problems


def check_users(institution, rows, *, by):
    """What importing user `rows` (see USER_COLUMNS) would do, without writing anything: the
    errors per row and, when there are none, the planned creates and updates."""
    report = ImportReport()
    agencies = {a.short_name.lower(): a for a in institution.agencies.all()}
    usernames = [row.get("username", "") for _line, row in rows]
    known = {u.username.lower(): u for u in User.objects.filter(username__in=usernames)}
    taken_elsewhere = {
        name for name, user in known.items() if user.institution_id != institution.pk
    }
    seen = {}
    for line, row in rows:
        username = row.get("username", "").lower()
        if username and username in seen:
            report.errors.append(
                RowError(
                    line,
                    _("Nama pengguna sudah ada di baris %(other)s.") % {"other": seen[username]},
                )
            )
            continue
        seen[username] = line
        problems = _check_user_row(row, agencies, taken_elsewhere, by)
        report.errors.extend(RowError(line, problem) for problem in problems)
        if not problems:
            roles, _unknown = _parse_roles(row["peran"])
            agency = agencies.get(row.get("opd", "").lower())
            report.planned.append(PlannedRow(line, known.get(username), row, (roles, agency)))
    if report.errors:
        report.planned = []
    return report


def import_users(institution, rows, *, by, token=""):
    """Create or update users and set their roles to exactly the listed ones; all rows or none.
    The same confirmation `token` twice imports once (the report says `repeated`).

    A row without `kata_sandi` gets no usable password (the person sets it from an invitation
    link). Side effects: one audit event "users.imported" with the counts and the token.
    """
    with transaction.atomic():
        if _import_repeated(institution, "users.imported", token):
            return ImportReport(repeated=True)
        report = check_users(institution, rows, by=by)
        if report.errors:
            return report
        for planned in report.planned:
            user = planned.existing
            if user is None:
                user = User(username=planned.values["username"], institution=institution)
                report.created += 1
            else:
                report.updated += 1
            _write_user(user, planned.values, *planned.parsed)
        record_event(
            "users.imported",
            by=by,
            institution=institution,
            after={"created": report.created, "updated": report.updated}
            | ({"token": token} if token else {}),
        )
    return report


def _write_user(user, row, roles, agency):
    user.full_name = row["nama"]
    user.email = row.get("surel", "")
    user.nip = row.get("nip", "")
    user.position = row.get("jabatan", "")
    if row.get("kata_sandi"):
        user.set_password(row["kata_sandi"])
    elif not user.pk:
        user.set_unusable_password()
    user.save()
    _set_roles(user, roles, agency)
