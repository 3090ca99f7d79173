"""The index engine: pure functions over a framework tree. No database, Decimal throughout.

A framework is a tree of weighted nodes whose leaves are indicators (see data/README.md).
An indicator's index is its level; any other node's index is Σ(child weight × child index) /
node weight; the overall index is Σ(weight × level) / 100 over the indicators. The predicate
(rating) comes from the UNROUNDED index; `display` rounds half-up to 2 decimals for people,
in their language ("2,96" / "2.96"); `rounded` and `index_str` are the same value for
arithmetic and machines.

Specs are built either from a parsed file (fileformat.py) or from the database
(Framework.spec()); the engine does not care which.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cached_property

from django.utils.formats import number_format
from django.utils.translation import gettext as _

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class FrameworkError(Exception):
    """A framework (file or spec) that cannot be used; `problems` lists every reason found."""

    def __init__(self, problems):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class LevelError(FrameworkError):
    """Levels or values that do not fit the framework (unknown code, outside the scale...)."""


@dataclass(frozen=True)
class Band:
    """A predicate band: min inclusive, max exclusive (the top band's max inclusive)."""

    rating: str
    min: Decimal
    max: Decimal


@dataclass(frozen=True)
class NodeSpec:
    code: str
    kind: str
    number: str
    name: str
    weight: Decimal
    capability_model: str = ""
    children: tuple["NodeSpec", ...] = ()
    texts: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_indicator(self):
        return not self.children


@dataclass(frozen=True)
class FrameworkSpec:
    code: str
    version: str
    name: str
    scale_min: int
    scale_max: int
    bands: tuple[Band, ...]
    roots: tuple[NodeSpec, ...]
    capability_models: dict = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def nodes(self):
        """Every node in tree order (pre-order: a parent before its children)."""
        result = []

        def walk(nodes):
            for node in nodes:
                result.append(node)
                walk(node.children)

        walk(self.roots)
        return result

    @cached_property
    def by_code(self):
        return {node.code: node for node in self.nodes}

    @cached_property
    def indicators(self):
        return [node for node in self.nodes if node.is_indicator]

    @cached_property
    def parents(self):
        return {child.code: node for node in self.nodes for child in node.children}

    @cached_property
    def kinds(self):
        """The node kinds in order of first appearance, e.g. ["domain", "aspect", "indicator"]."""
        return list(dict.fromkeys(node.kind for node in self.nodes))

    def ancestors(self, code):
        """The nodes above `code`, top first."""
        chain = []
        node = self.parents.get(code)
        while node is not None:
            chain.append(node)
            node = self.parents.get(node.code)
        return chain[::-1]

    def level_name(self, node, level):
        model = self.capability_models.get(node.capability_model, {})
        return model.get("levels", {}).get(str(level), {}).get("name", "")

    def band(self, rating):
        for band in self.bands:
            if band.rating == rating:
                return band
        raise LevelError(
            _("Predikat %(rating)r tidak dikenal (yang dikenal: %(known)s).")
            % {"rating": rating, "known": ", ".join(band.rating for band in self.bands)}
        )


def make_bands(raw):
    """Bands from their file/database form ([{rating, min, max}] with decimal strings)."""
    bands = [Band(item["rating"], Decimal(item["min"]), Decimal(item["max"])) for item in raw]
    return tuple(sorted(bands, key=lambda band: band.min))


@dataclass(frozen=True)
class ScoreResult:
    """`indices` maps every node code to its unrounded index (None below a missing indicator)."""

    spec: FrameworkSpec = field(repr=False, compare=False)
    indices: dict
    index: Decimal | None
    rating: str | None
    missing: tuple[str, ...]

    @property
    def complete(self):
        return self.index is not None

    def of_kind(self, kind):
        """[(node, index)] for every node of one kind, in tree order."""
        return [(node, self.indices[node.code]) for node in self.spec.nodes if node.kind == kind]


def check_levels(spec, levels):
    """Raise LevelError naming every code or level that does not fit the framework."""
    problems = []
    for code, level in levels.items():
        node = spec.by_code.get(code)
        if node is None or not node.is_indicator:
            problems.append(
                _("Indikator %(code)s tidak ada di kerangka %(framework)s.")
                % {"code": code, "framework": spec.code}
            )
        elif isinstance(level, bool) or not isinstance(level, int):
            problems.append(
                _("Tingkat indikator %(code)s harus bilangan bulat, bukan %(value)r.")
                % {"code": code, "value": level}
            )
        elif not spec.scale_min <= level <= spec.scale_max:
            problems.append(
                _("Tingkat indikator %(code)s (%(value)s) di luar skala %(min)s–%(max)s.")
                % {"code": code, "value": level, "min": spec.scale_min, "max": spec.scale_max}
            )
    if problems:
        raise LevelError(problems)


def score(spec, levels):
    """Score indicator levels ({indicator code: int}); missing indicators leave gaps (None)."""
    check_levels(spec, levels)
    return evaluate(spec, {code: Decimal(level) for code, level in levels.items()})


def score_from_values(spec, values):
    """Compute upward from values given at any nodes, e.g. the four domain indices of a
    published result ({node code: Decimal, int or decimal string}). A value given for a node
    is used as that node's index even if values are given below it too."""
    problems, given = [], {}
    for code, value in values.items():
        if code not in spec.by_code:
            problems.append(
                _("Simpul %(code)s tidak ada di kerangka %(framework)s.")
                % {"code": code, "framework": spec.code}
            )
            continue
        number = to_decimal(value)
        if number is None:
            problems.append(
                _("Nilai simpul %(code)s harus bilangan desimal, bukan %(value)r.")
                % {"code": code, "value": value}
            )
        elif not spec.scale_min <= number <= spec.scale_max:
            problems.append(
                _("Nilai simpul %(code)s (%(value)s) di luar skala %(min)s–%(max)s.")
                % {"code": code, "value": value, "min": spec.scale_min, "max": spec.scale_max}
            )
        else:
            given[code] = number
    if problems:
        raise LevelError(problems)
    return evaluate(spec, given)


def to_decimal(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


def evaluate(spec, given):
    """The scoring walk. Each node's weighted sum Σ(weight × index) below it is exact; dividing
    it once by the node weight keeps every index as exact as Decimal allows."""
    indices, missing = {}, []

    def weighted_sum(node, covered):
        if node.code in given:
            for child in node.children:
                weighted_sum(child, covered=True)
            indices[node.code] = given[node.code]
            return node.weight * given[node.code]
        if node.is_indicator:
            indices[node.code] = None
            if not covered:
                missing.append(node.code)
            return None
        sums = [weighted_sum(child, covered) for child in node.children]
        if any(value is None for value in sums):
            indices[node.code] = None
            return None
        total = sum(sums, Decimal(0))
        indices[node.code] = total / node.weight
        return total

    sums = [weighted_sum(root, covered=False) for root in spec.roots]
    index = None if any(value is None for value in sums) else sum(sums, Decimal(0)) / HUNDRED
    return ScoreResult(
        spec=spec,
        indices=indices,
        index=index,
        rating=rating_for(spec, index),
        missing=tuple(missing),
    )


def rating_for(spec, value):
    """The predicate of an unrounded index (None gives None)."""
    if value is None:
        return None
    if not spec.scale_min <= value <= spec.scale_max:
        raise LevelError(
            _("Nilai %(value)s di luar skala %(min)s–%(max)s.")
            % {"value": value, "min": spec.scale_min, "max": spec.scale_max}
        )
    top = spec.bands[-1]
    for band in spec.bands:
        if band.min <= value < band.max or (band is top and value == band.max):
            return band.rating
    raise LevelError(_("Nilai %(value)s tidak masuk predikat mana pun.") % {"value": value})


def rounded(value):
    """An index as people see it, as a number: rounded half-up to 2 decimals (None for None).
    Arithmetic on shown values (a change from last year) and numeric spreadsheet cells use
    this, never a parsed display string."""
    if value is None:
        return None
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def index_str(value):
    """The rounded index for machines (audit records, JSON, frozen document content):
    "2.96" whatever the reader's language; None for None."""
    number = rounded(value)
    return None if number is None else str(number)


def display(value):
    """An index for people in the active language: rounded half-up to 2 decimals, Indonesian
    "2,96", English "2.96"; "–" when there is none."""
    if value is None:
        return "–"
    return number_format(rounded(value), decimal_pos=2, use_l10n=True)


def unrounded(value):
    """The exact index in the active language ("2,9925"), only where labelled as unrounded."""
    if value is None:
        return "–"
    return number_format(Decimal(value), use_l10n=True)


def weight_str(value):
    """A weight for machines, no trailing zeros: Decimal("1.300") -> "1.3", "13.000" -> "13"."""
    number = Decimal(value)
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def plain(value):
    """A weight (or any number keeping its own precision) for people, without trailing zeros,
    in the active language: Decimal("1.300") -> "1,3" ("1.3" in English), "13.000" -> "13"."""
    return number_format(Decimal(weight_str(value)), use_l10n=True)


def require_complete(result):
    if not result.complete:
        raise LevelError(
            _("Tingkat semua indikator diperlukan; belum diisi: %(codes)s.")
            % {"codes": ", ".join(result.missing)}
        )


@dataclass(frozen=True)
class WhatIf:
    """The effect of raising one indicator: the new overall index, its gain and rating."""

    code: str
    level: int
    new_level: int
    index: Decimal
    gain: Decimal
    rating: str


def what_if(spec, levels, *, step=1):
    """For each indicator below the top of the scale: the index if it alone were raised by
    `step` levels (capped at the top), sorted by gain, largest first (ties in tree order).
    Needs every indicator's level (LevelError otherwise)."""
    current = score(spec, levels)
    require_complete(current)
    options = []
    for node in spec.indicators:
        level = levels[node.code]
        if level >= spec.scale_max:
            continue
        new_level = min(level + step, spec.scale_max)
        gain = node.weight * (new_level - level) / HUNDRED
        index = current.index + gain
        options.append(WhatIf(node.code, level, new_level, index, gain, rating_for(spec, index)))
    return sorted(options, key=lambda option: -option.gain)


@dataclass(frozen=True)
class Raise:
    """One step of a plan: an indicator one level up, and the overall index after it."""

    code: str
    from_level: int
    to_level: int
    index: Decimal


@dataclass(frozen=True)
class Plan:
    """The raises that reach a target predicate, or, when `reachable` is False, none and
    `index` = the highest index the raisable indicators can give."""

    target_rating: str
    target_min: Decimal
    start_index: Decimal
    index: Decimal
    raises: tuple[Raise, ...]
    reachable: bool

    @property
    def message(self):
        values = {
            "rating": self.target_rating,
            "min": display(self.target_min),
            "start": display(self.start_index),
            "index": display(self.index),
            "count": len(self.raises),
        }
        if not self.reachable:
            return (
                _(
                    "Predikat %(rating)s (indeks ≥ %(min)s) tidak dapat dicapai: bila semua "
                    "indikator yang boleh dinaikkan mencapai tingkat tertinggi, indeks paling "
                    "tinggi %(index)s."
                )
                % values
            )
        if not self.raises:
            return _("Predikat %(rating)s sudah tercapai (indeks %(start)s).") % values
        return (
            _(
                "Predikat %(rating)s (indeks ≥ %(min)s) tercapai dengan %(count)s kenaikan satu "
                "tingkat: indeks %(start)s menjadi %(index)s."
            )
            % values
        )


def plan_target(spec, levels, target_rating, *, locked=()):
    """The smallest list of one-level raises that brings the unrounded index to the target
    band's minimum. Greedy by the highest weight per raise, which is optimal because every
    raise of an indicator adds the same weight / 100; ties go to an indicator not yet raised
    in the plan, then the lower current level, then tree order. `locked` indicators are never
    raised. Needs every indicator's level (LevelError otherwise)."""
    band = spec.band(target_rating)
    start = score(spec, levels)
    require_complete(start)
    unknown = sorted(set(locked) - {node.code for node in spec.indicators})
    if unknown:
        check_levels(spec, dict.fromkeys(unknown, spec.scale_min))
    position = {node.code: number for number, node in enumerate(spec.indicators)}
    current = dict(levels)
    index, raises = start.index, []
    while index < band.min:
        candidates = [
            node
            for node in spec.indicators
            if current[node.code] < spec.scale_max and node.code not in locked
        ]
        if not candidates:
            return Plan(band.rating, band.min, start.index, index, (), reachable=False)
        raised = {step.code for step in raises}
        node = min(
            candidates,
            key=lambda node: (
                -node.weight,
                node.code in raised,
                current[node.code],
                position[node.code],
            ),
        )
        index += node.weight / HUNDRED
        raises.append(Raise(node.code, current[node.code], current[node.code] + 1, index))
        current[node.code] += 1
    return Plan(band.rating, band.min, start.index, index, tuple(raises), reachable=True)
