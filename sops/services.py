"""Loading SOP definition files (format "monev-sop/1", see data/README.md) into the database."""

import hashlib
import json
import re
from pathlib import Path

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import record_event
from institutions.models import Institution, Role
from monev.textfiles import TextFileError, upload_name, uploaded_text

from .models import Sop, SopStep, TimeUnit
from .queries import forget_sop_steps

FORMAT = "monev-sop/1"
DATA_DIR = Path(__file__).resolve().parent / "data"
# An uploaded definition (the shipped ones are under 10 KB).
MAX_UPLOAD_BYTES = 1024 * 1024
# The SOP definitions that ship with the application.
SHIPPED_SOPS = {
    "pontianak": DATA_DIR / "pontianak.json",
    "pangkalpinang": DATA_DIR / "pangkalpinang.json",
}

ACTOR_KEYS = [role.value for role in Role if role != Role.ADMIN]
TOP_FIELDS = {"format", "code", "version", "name", "source", "header", "actors", "steps"}
HEADER_TEXT_FIELDS = {"number", "created", "revised", "effective", "name", "warnings"}
HEADER_LIST_FIELDS = {
    "organization",
    "legal_basis",
    "qualifications",
    "related",
    "equipment",
    "records",
}
APPROVED_BY_FIELDS = {"title", "name", "rank", "nip"}
STEP_FIELDS = {"number", "activity", "actors", "requirements", "time_standard", "output"}
TIME_FIELDS = {"value", "min", "unit", "label"}


class SopFileError(Exception):
    """A definition file that cannot be loaded; `problems` lists every reason found."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


class LoadOutcome(models.TextChoices):
    CREATED = "created", gettext_lazy("dibuat")
    UPDATED = "updated", gettext_lazy("diperbarui")
    UNCHANGED = "unchanged", gettext_lazy("tidak berubah")


def read_sop_file(path):
    """Parse and validate a definition file; return its data or raise SopFileError."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SopFileError(
            [_("%(file)s: berkas tidak dapat dibaca (%(error)s).") % {"file": path, "error": error}]
        ) from None
    return parse_sop(text, name=path)


def read_sop_upload(upload):
    """Parse and validate an uploaded definition file (at most MAX_UPLOAD_BYTES); return
    its data or raise SopFileError."""
    try:
        text = uploaded_text(upload, max_bytes=MAX_UPLOAD_BYTES)
    except TextFileError as error:
        raise SopFileError([str(error)]) from None
    return parse_sop(text, name=upload_name(upload))


def parse_sop(text, *, name):
    """A definition's data from its text; SopFileError lists every problem, each prefixed
    with `name` (the file's)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SopFileError(
            [
                _("%(file)s: bukan JSON yang sah (baris %(line)s, kolom %(column)s: %(error)s).")
                % {"file": name, "line": error.lineno, "column": error.colno, "error": error.msg}
            ]
        ) from None
    problems = sop_definition_problems(data)
    if problems:
        raise SopFileError([f"{name}: {problem}" for problem in problems])
    return data


def load_sop_file(path, *, institution, by=None):
    """Load an SOP definition file for an institution (manage.py load_sop, the demo); return
    (sop, outcome). See store_sop."""
    return store_sop(read_sop_file(path), institution=institution, by=by)


def import_sop(upload, *, institution, by):
    """Load an uploaded SOP definition file for an institution (its administrator, through
    the API); return (sop, outcome). See store_sop."""
    return store_sop(read_sop_upload(upload), institution=institution, by=by)


def store_sop(data, *, institution, by):
    """Store a validated definition (read_sop_file / read_sop_upload); return (sop, outcome).

    The whole file was validated before anything is written. Side effects, in one
    transaction that holds the institution's row (two loads at once, a double click, run one
    after the other: the second finds the first's version):
    - a new (code, version) creates the Sop and its steps ("created");
    - the same content again changes nothing ("unchanged");
    - the same code and version with other content updates the Sop and its steps in place,
      matched by step number, deleting steps past the new last one ("updated"), unless a
      monev cycle follows that version: then SopFileError and nothing changes (publish a
      new version instead);
    - a created or updated Sop gets loaded_at = now, which makes it the institution's
      current SOP and makes every process read its steps again (queries.sop_steps);
    - an audit event "sop.created" / "sop.updated" in the institution's trail.
    """
    content_hash = hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()
    fields = {
        "name": data["name"].strip(),
        "header": data.get("header", {}),
        "actors": data["actors"],
        "source": data["source"].strip(),
        "content_hash": content_hash,
        "loaded_at": timezone.now(),
    }
    with transaction.atomic():
        Institution.objects.select_for_update().filter(pk=institution.pk).first()
        sop = Sop.objects.filter(
            institution=institution, code=data["code"], version=data["version"]
        ).first()
        if sop is not None and sop.content_hash == content_hash:
            return sop, LoadOutcome.UNCHANGED
        if sop is not None and is_followed(sop):
            raise SopFileError(
                [
                    _(
                        "%(code)s versi %(version)s sudah diikuti periode monev dan tidak dapat "
                        'diubah; terbitkan versi baru (ubah "version").'
                    )
                    % {"code": sop.code, "version": sop.version}
                ]
            )
        before = None if sop is None else sop_summary(sop)
        if sop is None:
            sop = Sop.objects.create(
                institution=institution, code=data["code"], version=data["version"], **fields
            )
            outcome = LoadOutcome.CREATED
        else:
            for name, value in fields.items():
                setattr(sop, name, value)
            sop.save()
            outcome = LoadOutcome.UPDATED
        sop.steps.filter(number__gt=len(data["steps"])).delete()
        for step in data["steps"]:
            SopStep.objects.update_or_create(
                sop=sop, number=step["number"], defaults=step_fields(step)
            )
        record_event(
            f"sop.{outcome}",
            by=by,
            institution=institution,
            target=sop,
            before=before,
            after=sop_summary(sop),
        )
        # Other processes see the new stamp; this one also drops what it kept under the old.
        forget_sop_steps(sop)
    return sop, outcome


def is_followed(sop):
    """Whether a monev cycle follows this SOP version (its steps are that cycle's steps)."""
    from cycles.models import Cycle  # cycles depends on sops, not the other way round

    return Cycle.objects.filter(sop=sop).exists()


def sop_summary(sop):
    """What an audit event records about an SOP version."""
    return {
        "code": sop.code,
        "version": sop.version,
        "name": sop.name,
        "content_hash": sop.content_hash,
        "steps": sop.steps.count(),
    }


def step_fields(step):
    time = step["time_standard"]
    return {
        "activity": step["activity"].strip(),
        "actors": step["actors"],
        "requirements": step["requirements"].strip(),
        "time_value": time["value"],
        "time_min": time.get("min"),
        "time_unit": time["unit"],
        "time_label": time.get("label", "").strip(),
        "output": step["output"].strip(),
    }


# Validation: each check appends messages in Bahasa Indonesia; the file name is added by
# parse_sop. Everything is checked, so one run lists every problem of a file.


def sop_definition_problems(data):
    """Every problem of a parsed definition, as messages; empty when it can be loaded."""
    if not isinstance(data, dict):
        return [_("isi berkas harus berupa objek JSON ({...}).")]
    problems = []
    problems += unknown_field_problems(data, TOP_FIELDS)
    if data.get("format") != FORMAT:
        problems.append(
            _("format harus %(expected)r, bukan %(found)r.")
            % {"expected": FORMAT, "found": data.get("format")}
        )
    for field, limit in (("code", 100), ("version", 50), ("name", 200)):
        problems += text_problems(data, field, required=True, max_length=limit)
    problems += text_problems(data, "source", required=True)
    if isinstance(data.get("code"), str) and not is_slug(data["code"]):
        problems.append(
            _("code %(code)r hanya boleh berisi huruf kecil, angka dan tanda hubung.")
            % {"code": data["code"]}
        )
    problems += header_problems(data.get("header", {}))
    actor_keys, actor_problems = actors_problems(data.get("actors"))
    problems += actor_problems
    problems += steps_problems(data.get("steps"), actor_keys)
    return problems


def is_slug(value):
    return re.fullmatch(r"[a-z0-9][a-z0-9_-]*", value) is not None


def located(where, message):
    """Prefix a message with where in the file it applies ("langkah 3: …"), if anywhere."""
    return f"{where}: {message}" if where else message


def unknown_field_problems(mapping, known, where=""):
    return [
        located(
            where,
            _("kolom %(field)r tidak dikenal (yang dikenal: %(known)s).")
            % {"field": field, "known": ", ".join(sorted(known))},
        )
        for field in mapping
        if field not in known
    ]


def text_problems(mapping, field, where="", *, required=False, max_length=None):
    if field not in mapping:
        message = _("kolom %(field)r tidak ada.") % {"field": field}
    elif not isinstance(mapping[field], str):
        message = _("%(field)s harus berupa teks.") % {"field": field}
    elif required and not mapping[field].strip():
        message = _("%(field)s kosong.") % {"field": field}
    elif max_length and len(mapping[field]) > max_length:
        message = _("%(field)s lebih dari %(limit)s karakter.") % {
            "field": field,
            "limit": max_length,
        }
    else:
        return []
    return [located(where, message)]


def header_problems(header):
    where = "header"
    if not isinstance(header, dict):
        return [_("header harus berupa objek.")]
    known = HEADER_TEXT_FIELDS | HEADER_LIST_FIELDS | {"approved_by"}
    problems = unknown_field_problems(header, known, where)
    for field in sorted(HEADER_TEXT_FIELDS & header.keys()):
        problems += text_problems(header, field, where)
    for field in sorted(HEADER_LIST_FIELDS & header.keys()):
        value = header[field]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            problems.append(_("header: %(field)s harus berupa daftar teks.") % {"field": field})
    if "approved_by" in header:
        approved_by = header["approved_by"]
        if not isinstance(approved_by, dict):
            problems.append(_("header: approved_by harus berupa objek."))
        else:
            where = "header.approved_by"
            problems += unknown_field_problems(approved_by, APPROVED_BY_FIELDS, where)
            for field in sorted(APPROVED_BY_FIELDS & approved_by.keys()):
                problems += text_problems(approved_by, field, where)
    return problems


def actors_problems(actors):
    """Return (the declared actor keys, problems)."""
    if not isinstance(actors, list) or not actors:
        return [], [_("actors harus berupa daftar pelaksana yang tidak kosong.")]
    keys, problems = [], []
    for position, actor in enumerate(actors, start=1):
        where = _("pelaksana ke-%(position)s") % {"position": position}
        if not isinstance(actor, dict):
            problems.append(_("%(where)s harus berupa objek {key, name}.") % {"where": where})
            continue
        problems += unknown_field_problems(actor, {"key", "name"}, where)
        problems += text_problems(actor, "name", where, required=True, max_length=100)
        key = actor.get("key")
        if key not in ACTOR_KEYS:
            problems.append(
                _("%(where)s: kunci %(key)r tidak dikenal (yang dikenal: %(known)s).")
                % {"where": where, "key": key, "known": ", ".join(ACTOR_KEYS)}
            )
        elif key in keys:
            problems.append(
                _("%(where)s: kunci %(key)r sudah dipakai.") % {"where": where, "key": key}
            )
        else:
            keys.append(key)
    return keys, problems


def steps_problems(steps, actor_keys):
    if not isinstance(steps, list) or not steps:
        return [_("steps harus berupa daftar langkah yang tidak kosong.")]
    problems, numbers = [], []
    for position, step in enumerate(steps, start=1):
        if not isinstance(step, dict):
            problems.append(
                _("langkah ke-%(position)s dalam daftar harus berupa objek.")
                % {"position": position}
            )
            continue
        number = step.get("number")
        if is_positive_int(number):
            where = _("langkah %(number)s") % {"number": number}
            numbers.append(number)
        else:
            where = _("langkah ke-%(position)s dalam daftar") % {"position": position}
            problems.append(
                _("%(where)s: number harus bilangan bulat positif, bukan %(value)r.")
                % {"where": where, "value": number}
            )
        problems += step_problems(step, where, actor_keys)
    duplicates = sorted({number for number in numbers if numbers.count(number) > 1})
    if duplicates:
        problems.append(
            _("nomor langkah ganda: %(numbers)s.")
            % {"numbers": ", ".join(str(number) for number in duplicates)}
        )
    if numbers and sorted(set(numbers)) != list(range(1, len(steps) + 1)):
        problems.append(
            _("nomor langkah harus urut 1 sampai %(count)s tanpa celah, ditemukan: %(numbers)s.")
            % {"count": len(steps), "numbers": ", ".join(str(number) for number in numbers)}
        )
    return problems


def step_problems(step, where, actor_keys):
    problems = unknown_field_problems(step, STEP_FIELDS, where)
    problems += text_problems(step, "activity", where, required=True)
    problems += text_problems(step, "requirements", where)
    problems += text_problems(step, "output", where)
    actors = step.get("actors")
    if not isinstance(actors, list) or not actors:
        problems.append(
            _("%(where)s: actors harus berupa daftar kunci pelaksana yang tidak kosong.")
            % {"where": where}
        )
    else:
        for key in actors:
            if key not in actor_keys:
                problems.append(
                    _("%(where)s: pelaksana %(key)r tidak dikenal (yang dinyatakan: %(known)s).")
                    % {"where": where, "key": key, "known": ", ".join(actor_keys)}
                )
        if len(set(map(repr, actors))) != len(actors):
            problems.append(_("%(where)s: ada pelaksana yang disebut dua kali.") % {"where": where})
    problems += time_standard_problems(step.get("time_standard"), where)
    return problems


def time_standard_problems(time, where):
    if not isinstance(time, dict):
        return [
            _("%(where)s: time_standard harus berupa objek {value, unit, min, label}.")
            % {"where": where}
        ]
    problems = unknown_field_problems(time, TIME_FIELDS, where)
    if time.get("unit") not in TimeUnit.values:
        problems.append(
            _("%(where)s: satuan waktu %(unit)r tidak dikenal (yang dikenal: %(known)s).")
            % {"where": where, "unit": time.get("unit"), "known": ", ".join(TimeUnit.values)}
        )
    value = time.get("value")
    if not is_positive_int(value):
        problems.append(
            _("%(where)s: waktu (value) harus bilangan bulat positif, bukan %(value)r.")
            % {"where": where, "value": value}
        )
    if "min" in time:
        minimum = time["min"]
        if not is_positive_int(minimum):
            problems.append(
                _("%(where)s: waktu minimum (min) harus bilangan bulat positif, bukan %(value)r.")
                % {"where": where, "value": minimum}
            )
        elif is_positive_int(value) and minimum > value:
            problems.append(
                _("%(where)s: waktu minimum (%(min)s) lebih besar dari waktu baku (%(value)s).")
                % {"where": where, "min": minimum, "value": value}
            )
    if "label" in time:
        problems += text_problems(time, "label", where, max_length=100)
    return problems


def is_positive_int(value):
    # bool is an int in Python; `true` in a file is not a number.
    return isinstance(value, int) and not isinstance(value, bool) and value > 0
