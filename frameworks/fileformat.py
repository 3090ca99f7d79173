"""Reading framework files ("monev-framework/1", see data/README.md).

Pure functions, no database: a file is parsed and validated as a whole, and every problem is
reported at once (FrameworkError, messages in Bahasa Indonesia naming the file,
the node and the problem). services.py stores what this module returns.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext as _

from monev.textfiles import TextFileError, upload_name, uploaded_text

from .scoring import Band, FrameworkError, FrameworkSpec, NodeSpec, to_decimal

FORMAT = "monev-framework/1"
PROVENANCES = ("official", "reconstructed")
CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
# Node.weight is Decimal(7, 3).
MAX_WEIGHT = Decimal("9999.999")
# An uploaded framework file (SPBE 2020, with every text of the Pedoman, is under 0.5 MB).
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class FrameworkFile:
    """A validated framework file: the engine's spec plus what is stored beside it."""

    path: Path
    spec: FrameworkSpec
    is_default: bool
    provenance: str
    provenance_note: str
    sources: list
    bands: list
    content_hash: str


def read_framework_file(path):
    """Parse and validate a framework file; return a FrameworkFile or raise FrameworkError."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise FrameworkError(
            _("%(file)s: berkas tidak dapat dibaca (%(error)s).") % {"file": path, "error": error}
        ) from None
    return parse_framework(text, path=path)


def read_framework_upload(upload):
    """Parse and validate an uploaded framework file (at most MAX_UPLOAD_BYTES); return a
    FrameworkFile or raise FrameworkError."""
    try:
        text = uploaded_text(upload, max_bytes=MAX_UPLOAD_BYTES)
    except TextFileError as error:
        raise FrameworkError(str(error)) from None
    return parse_framework(text, path=upload_name(upload))


def parse_framework(text, *, path):
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise FrameworkError(
            _("%(file)s: bukan JSON yang sah (baris %(line)s, kolom %(column)s: %(error)s).")
            % {"file": path, "line": error.lineno, "column": error.colno, "error": error.msg}
        ) from None
    problems = framework_problems(data)
    if problems:
        raise FrameworkError([f"{path}: {problem}" for problem in problems])
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return FrameworkFile(
        path=path,
        spec=build_spec(data),
        is_default=data["default"],
        provenance=data["provenance"],
        provenance_note=data["provenance_note"].strip(),
        sources=data["sources"],
        bands=[
            {"rating": band["rating"], "min": str(band["min"]), "max": str(band["max"])}
            for band in data["bands"]
        ],
        content_hash=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
    )


def build_spec(data):
    def node_spec(node):
        return NodeSpec(
            code=node["code"],
            kind=node["kind"],
            number=str(node["number"]),
            name=node["name"].strip(),
            weight=Decimal(node["weight"]),
            capability_model=node.get("capability_model", "") if is_leaf(node) else "",
            children=tuple(node_spec(child) for child in node.get("children") or []),
            texts=node.get("texts", {}) if is_leaf(node) else {},
        )

    return FrameworkSpec(
        code=data["code"],
        version=data["version"],
        name=data["name"].strip(),
        scale_min=data["scale"]["min"],
        scale_max=data["scale"]["max"],
        bands=tuple(
            sorted(
                (Band(b["rating"], Decimal(b["min"]), Decimal(b["max"])) for b in data["bands"]),
                key=lambda band: band.min,
            )
        ),
        roots=tuple(node_spec(node) for node in data["tree"]),
        capability_models=data["capability_models"],
    )


def is_leaf(node):
    return not node.get("children")


# Validation: each check returns messages in Bahasa Indonesia; read_framework_file adds the
# file name. Everything is checked, so one run lists every problem of a file.


def framework_problems(data):
    """Every problem of a parsed framework file, as messages; empty when it can be loaded."""
    if not isinstance(data, dict):
        return [_("isi berkas harus berupa objek JSON ({...}).")]
    if "format" not in data:
        return [_("kolom 'format' tidak ada (harus %(expected)r).") % {"expected": FORMAT}]
    if data["format"] != FORMAT:
        # Another format: the rest would be checked against the wrong rules.
        return [
            _("format harus %(expected)r, bukan %(found)r.")
            % {"expected": FORMAT, "found": data["format"]}
        ]
    where = _("berkas")
    problems = []
    problems += code_problems(data, "code", where)
    problems += code_problems(data, "version", where, max_length=20)
    problems += text_problems(data, "name", where, required=True, max_length=200)
    problems += text_problems(data, "provenance_note", where)
    if "default" not in data:
        problems.append(missing(where, "default"))
    elif not isinstance(data["default"], bool):
        problems.append(
            _("default harus true atau false, bukan %(value)r.") % {"value": data["default"]}
        )
    if "provenance" not in data:
        problems.append(missing(where, "provenance"))
    elif data["provenance"] not in PROVENANCES:
        problems.append(
            _("provenance harus salah satu dari %(known)s, bukan %(value)r.")
            % {"known": ", ".join(PROVENANCES), "value": data["provenance"]}
        )
    source_keys, found = sources_problems(data.get("sources"))
    problems += found
    scale, found = scale_problems(data.get("scale"))
    problems += found
    models, found = capability_model_problems(data.get("capability_models"), scale)
    problems += found
    problems += band_problems(data.get("bands"), scale)
    problems += tree_problems(data.get("tree"), scale=scale, models=models, sources=source_keys)
    return problems


def missing(where, name):
    return _("%(where)s: kolom %(field)r tidak ada.") % {"where": where, "field": name}


def text_problems(mapping, name, where, *, required=False, max_length=None):
    if name not in mapping:
        return [missing(where, name)]
    value = mapping[name]
    if not isinstance(value, str):
        return [_("%(where)s: %(field)s harus berupa teks.") % {"where": where, "field": name}]
    if required and not value.strip():
        return [_("%(where)s: %(field)s kosong.") % {"where": where, "field": name}]
    if max_length and len(value) > max_length:
        return [
            _("%(where)s: %(field)s lebih dari %(limit)s karakter.")
            % {"where": where, "field": name, "limit": max_length}
        ]
    return []


def code_problems(mapping, name, where, *, max_length=50):
    problems = text_problems(mapping, name, where, required=True, max_length=max_length)
    if not problems and not CODE_PATTERN.fullmatch(mapping[name]):
        problems.append(
            _(
                "%(where)s: %(field)s %(value)r hanya boleh berisi huruf, angka, titik, garis "
                "bawah dan tanda hubung."
            )
            % {"where": where, "field": name, "value": mapping[name]}
        )
    return problems


def is_int(value):
    # bool is an int in Python; `true` in a file is not a number.
    return isinstance(value, int) and not isinstance(value, bool)


def sources_problems(sources):
    """Return (the declared source keys, problems)."""
    if not isinstance(sources, list):
        return [], [_("sources harus berupa daftar sumber {key, title, attribution}.")]
    keys, problems = [], []
    for position, source in enumerate(sources, start=1):
        where = _("sumber ke-%(position)s") % {"position": position}
        if not isinstance(source, dict):
            problems.append(_("%(where)s harus berupa objek.") % {"where": where})
            continue
        problems += code_problems(source, "key", where)
        problems += text_problems(source, "title", where, required=True)
        problems += text_problems(source, "attribution", where, required=True)
        if "label" in source:
            problems += text_problems(source, "label", where, required=True, max_length=100)
        key = source.get("key")
        if key in keys:
            problems.append(
                _("%(where)s: kunci %(key)r sudah dipakai.") % {"where": where, "key": key}
            )
        elif isinstance(key, str):
            keys.append(key)
    return keys, problems


def scale_problems(scale):
    """Return ((min, max) or None, problems)."""
    if not isinstance(scale, dict):
        return None, [_("scale harus berupa objek {min, max}.")]
    low, high = scale.get("min"), scale.get("max")
    if not is_int(low) or not is_int(high):
        return None, [
            _("scale: min dan max harus bilangan bulat, bukan %(min)r dan %(max)r.")
            % {"min": low, "max": high}
        ]
    if low >= high:
        return None, [
            _("scale: min (%(min)s) harus lebih kecil dari max (%(max)s).")
            % {"min": low, "max": high}
        ]
    return (low, high), []


def level_key_problems(levels, where, scale, *, complete=False):
    """Level keys must be "1".."5" within the scale; `complete` asks for every level too."""
    if not isinstance(levels, dict):
        return [_('%(where)s harus berupa objek {"1": ...}.') % {"where": where}]
    if scale is None:
        return []
    problems = []
    allowed = [str(level) for level in range(scale[0], scale[1] + 1)]
    for key in levels:
        if key not in allowed:
            problems.append(
                _("%(where)s: kunci tingkat %(key)r di luar skala %(min)s–%(max)s.")
                % {"where": where, "key": key, "min": scale[0], "max": scale[1]}
            )
    absent = [key for key in allowed if key not in levels]
    if complete and absent:
        problems.append(
            _("%(where)s: tingkat %(levels)s tidak ada.")
            % {"where": where, "levels": ", ".join(absent)}
        )
    return problems


def capability_model_problems(models, scale):
    """Return (the declared model keys, problems)."""
    if not isinstance(models, dict):
        return [], [_("capability_models harus berupa objek {kunci: {name, levels}}.")]
    problems = []
    for key, model in models.items():
        where = _("model kapabilitas %(key)r") % {"key": key}
        if not CODE_PATTERN.fullmatch(key):
            problems.append(
                _(
                    "%(where)s: kunci hanya boleh berisi huruf, angka, titik, garis bawah dan "
                    "tanda hubung."
                )
                % {"where": where}
            )
        if not isinstance(model, dict):
            problems.append(_("%(where)s harus berupa objek {name, levels}.") % {"where": where})
            continue
        problems += text_problems(model, "name", where, required=True)
        levels = model.get("levels")
        problems += level_key_problems(levels, f"{where}: levels", scale, complete=True)
        for level, item in levels.items() if isinstance(levels, dict) else ():
            level_where = _("%(where)s: tingkat %(level)s") % {"where": where, "level": level}
            if not isinstance(item, dict):
                problems.append(
                    _("%(where)s harus berupa objek {name, description}.") % {"where": level_where}
                )
                continue
            problems += text_problems(item, "name", level_where, required=True)
            problems += text_problems(item, "description", level_where)
    return list(models), problems


def band_problems(bands, scale):
    if not isinstance(bands, list) or not bands:
        return [_("bands harus berupa daftar predikat {rating, min, max} yang tidak kosong.")]
    problems, parsed, ratings = [], [], []
    for position, band in enumerate(bands, start=1):
        where = _("predikat ke-%(position)s") % {"position": position}
        if not isinstance(band, dict):
            problems.append(
                _("%(where)s harus berupa objek {rating, min, max}.") % {"where": where}
            )
            continue
        found = text_problems(band, "rating", where, required=True, max_length=100)
        problems += found
        if not found:
            where = _("predikat %(rating)r") % {"rating": band["rating"]}
            if band["rating"] in ratings:
                problems.append(_("%(where)s disebut dua kali.") % {"where": where})
            ratings.append(band["rating"])
        bounds = [decimal_value(band, name, where) for name in ("min", "max")]
        problems += [problem for _value, problem in bounds if problem]
        low, high = (value for value, _problem in bounds)
        if low is None or high is None:
            continue
        if low >= high:
            problems.append(
                _("%(where)s: min (%(min)s) harus lebih kecil dari max (%(max)s).")
                % {"where": where, "min": low, "max": high}
            )
            continue
        parsed.append((low, high, where))
    if problems or scale is None:
        return problems
    parsed.sort(key=lambda item: item[0])
    if parsed[0][0] != scale[0]:
        problems.append(
            _("predikat tidak mencakup skala: %(where)s mulai dari %(value)s, bukan %(min)s.")
            % {"where": parsed[0][2], "value": parsed[0][0], "min": scale[0]}
        )
    if parsed[-1][1] != scale[1]:
        problems.append(
            _("predikat tidak mencakup skala: %(where)s berakhir di %(value)s, bukan %(max)s.")
            % {"where": parsed[-1][2], "value": parsed[-1][1], "max": scale[1]}
        )
    for (_low, high, where), (low, _high, next_where) in zip(parsed, parsed[1:], strict=False):
        if low < high:
            problems.append(
                _("%(first)s (sampai %(high)s) tumpang tindih dengan %(second)s (mulai %(low)s).")
                % {"first": where, "second": next_where, "high": high, "low": low}
            )
        elif low > high:
            problems.append(
                _("ada celah antara %(first)s (sampai %(high)s) dan %(second)s (mulai %(low)s).")
                % {"first": where, "second": next_where, "high": high, "low": low}
            )
    return problems


def decimal_value(mapping, name, where):
    """Return (Decimal or None, problem or None) for a decimal written as text or a number."""
    if name not in mapping:
        return None, missing(where, name)
    value = mapping[name]
    number = None if isinstance(value, float) else to_decimal(value)
    if number is None or not isinstance(value, str | int | Decimal):
        return None, (
            _('%(where)s: %(field)s %(value)r bukan bilangan desimal (tulis mis. "1.3").')
            % {"where": where, "field": name, "value": value}
        )
    return number, None


def tree_problems(tree, *, scale, models, sources):
    if not isinstance(tree, list) or not tree:
        return [_("tree harus berupa daftar simpul yang tidak kosong.")]
    problems, seen = [], {}
    context = {"scale": scale, "models": models, "sources": sources, "seen": seen}
    weights = [
        node_problems(node, None, position, problems, context)
        for position, node in enumerate(tree, 1)
    ]
    if all(weight is not None for weight in weights):
        total = sum(weights, Decimal(0))
        if total != 100:
            problems.append(
                _("jumlah bobot simpul teratas (%(codes)s) harus 100, bukan %(total)s.")
                % {"codes": ", ".join(node["code"] for node in tree), "total": total}
            )
    return problems


def node_problems(node, parent_where, position, problems, context):
    """Check one node and everything below it; return its weight (None if unusable)."""
    if isinstance(node, dict) and isinstance(node.get("code"), str) and node["code"]:
        where = _("simpul %(code)s") % {"code": node["code"]}
    elif parent_where is None:
        where = _("simpul teratas ke-%(position)s") % {"position": position}
    else:
        where = _("simpul ke-%(position)s di bawah %(parent)s") % {
            "position": position,
            "parent": parent_where,
        }
    if not isinstance(node, dict):
        problems.append(_("%(where)s harus berupa objek.") % {"where": where})
        return None
    found = code_problems(node, "code", where)
    problems += found
    if not found:
        if node["code"] in context["seen"]:
            problems.append(
                _("%(where)s: kode ganda, sudah dipakai oleh simpul lain (%(other)s).")
                % {"where": where, "other": context["seen"][node["code"]]}
            )
        else:
            context["seen"][node["code"]] = node.get("name", "")
    problems += text_problems(node, "kind", where, required=True, max_length=50)
    problems += text_problems(node, "name", where, required=True, max_length=300)
    number = node.get("number")
    if "number" not in node:
        problems.append(missing(where, "number"))
    elif (
        not (is_int(number) or (isinstance(number, str) and number.strip()))
        or len(str(number)) > 20
    ):
        problems.append(
            _("%(where)s: number harus bilangan bulat atau teks pendek, bukan %(value)r.")
            % {"where": where, "value": number}
        )
    weight, problem = decimal_value(node, "weight", where)
    if problem:
        problems.append(problem)
    elif weight <= 0 or weight > MAX_WEIGHT or weight.normalize().as_tuple().exponent < -3:
        problems.append(
            _(
                "%(where)s: bobot %(value)s harus lebih dari 0, paling besar %(max)s, dengan "
                "paling banyak 3 angka desimal."
            )
            % {"where": where, "value": node["weight"], "max": MAX_WEIGHT}
        )
        weight = None
    children = node.get("children", [])
    if not isinstance(children, list):
        problems.append(_("%(where)s: children harus berupa daftar simpul.") % {"where": where})
        return None
    if not children:
        problems += indicator_problems(node, where, context)
        return weight
    child_weights = [
        node_problems(child, where, child_position, problems, context)
        for child_position, child in enumerate(children, start=1)
    ]
    if weight is not None and all(value is not None for value in child_weights):
        total = sum(child_weights, Decimal(0))
        if total != weight:
            problems.append(
                _(
                    "%(where)s: bobot %(weight)s tidak sama dengan jumlah bobot anaknya "
                    "(%(codes)s) = %(total)s."
                )
                % {
                    "where": where,
                    "weight": node["weight"],
                    "codes": ", ".join(str(child.get("code")) for child in children),
                    "total": total,
                }
            )
    return weight


def indicator_problems(node, where, context):
    problems = []
    models = context["models"]
    model = node.get("capability_model")
    if model is None:
        if models:
            problems.append(missing(where, "capability_model"))
    elif model not in models:
        problems.append(
            _("%(where)s: model kapabilitas %(model)r tidak dikenal (yang dikenal: %(known)s).")
            % {"where": where, "model": model, "known": ", ".join(models) or "-"}
        )
    if "texts" in node:
        problems += texts_problems(node["texts"], where, context)
    return problems


def texts_problems(texts, where, context):
    if not isinstance(texts, dict):
        return [_("%(where)s: texts harus berupa objek.") % {"where": where}]
    scale, sources = context["scale"], context["sources"]
    problems = []
    for name in ("question", "question_source"):
        if name in texts:
            problems += text_problems(texts, name, where)
    problems += source_key_problems(texts.get("question_source"), where, sources)
    criteria = texts.get("criteria", {})
    if not isinstance(criteria, dict):
        problems.append(
            _("%(where)s: criteria harus berupa objek {sumber: {tingkat: teks}}.")
            % {"where": where}
        )
        criteria = {}
    for source, levels in criteria.items():
        problems += source_key_problems(source, where, sources)
        problems += level_key_problems(levels, f"{where}: criteria {source}", scale)
    guidance = texts.get("guidance", {})
    if not isinstance(guidance, dict):
        problems.append(_("%(where)s: guidance harus berupa objek.") % {"where": where})
    else:
        problems += source_key_problems(guidance.get("source"), where, sources)
        if "levels" in guidance:
            problems += level_key_problems(guidance["levels"], f"{where}: guidance levels", scale)
    notes = texts.get("notes", [])
    if not isinstance(notes, list) or not all(isinstance(note, str) for note in notes):
        problems.append(_("%(where)s: notes harus berupa daftar teks.") % {"where": where})
    return problems


def source_key_problems(key, where, sources):
    if key is None or key in sources:
        return []
    return [
        _("%(where)s: sumber %(key)r tidak ada di sources (yang ada: %(known)s).")
        % {"where": where, "key": key, "known": ", ".join(sources) or "-"}
    ]
