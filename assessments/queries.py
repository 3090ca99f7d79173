"""Reads of a cycle's hasil evaluasi mandiri: the live index from the agreed levels (the
same engine as the `score` command, frameworks.scoring), what raising one indicator would
gain, the plan to a predicate, and the reconciliation of the OPDs' proposals with the agreed
and the national levels. Every function runs a fixed number of queries."""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from assessments.models import Assessment, Decision, NationalResult
from cycles.models import Cycle
from frameworks.queries import node_pks
from frameworks.scoring import (
    display,
    plan_target,
    rounded,
    score,
    score_from_values,
    what_if,
)
from submissions.models import Submission

# The answers that count as an OPD's proposal: handed in (and possibly accepted).
PROPOSED = (Submission.Status.SUBMITTED, Submission.Status.ACCEPTED)


def find_assessment(cycle):
    """The cycle's assessment, or an unsaved draft one before the first decision (reading
    never creates rows)."""
    assessment = Assessment.objects.filter(cycle=cycle).first()
    if assessment is None:
        assessment = Assessment(cycle=cycle)
    assessment.cycle = cycle
    return assessment


def decisions_of(assessment):
    """{indicator code: Decision} (one query; none before the assessment exists)."""
    if assessment.pk is None:
        return {}
    # The indicators' codes come from the framework tree kept per process: joining the
    # nodes (and leaving out their texts) took longer to build than the query took to run.
    rows = Decision.objects.filter(assessment=assessment).select_related("decided_by").order_by()
    by_indicator = {decision.indicator_id: decision for decision in rows}
    return {
        code: by_indicator[pk]
        for code, pk in node_pks(assessment.cycle.framework).items()  # in tree order
        if pk in by_indicator
    }


@dataclass(frozen=True)
class LiveResult:
    """The index of the agreed levels so far. `score` is the engine's ScoreResult."""

    spec: object = field(repr=False)
    score: object = field(repr=False)
    levels: dict
    decisions: dict = field(repr=False)

    @property
    def complete(self):
        return self.score.complete

    @property
    def index(self):
        """The unrounded overall index (None while any indicator has no agreed level)."""
        return self.score.index

    @property
    def display(self):
        return display(self.score.index)

    @property
    def rating(self):
        return self.score.rating

    @property
    def missing(self):
        """Codes of the indicators without an agreed level, in tree order."""
        return self.score.missing

    @cached_property
    def missing_numbers(self):
        return [self.spec.by_code[code].number for code in self.missing]

    @property
    def nodes(self):
        """[(node, index, display)] of every node above the indicators, in tree order; not
        cached: the display is in the language active when read (a PDF is Indonesian)."""
        return [
            (node, self.score.indices[node.code], display(self.score.indices[node.code]))
            for node in self.spec.nodes
            if not node.is_indicator
        ]


def live_result(assessment, *, spec=None):
    """The framework's score from the agreed levels: two queries (the framework tree and
    the decisions), one when `spec` is given."""
    spec = spec or assessment.cycle.framework.spec()
    decisions = decisions_of(assessment)
    levels = {code: decision.level for code, decision in decisions.items()}
    return LiveResult(spec=spec, score=score(spec, levels), levels=levels, decisions=decisions)


def what_if_gains(assessment, *, result=None):
    """[(indicator node, WhatIf)]: each one-level raise, largest gain first (the engine's
    what_if). Empty while the result is incomplete."""
    result = result or live_result(assessment)
    if not result.complete:
        return []
    return [
        (result.spec.by_code[option.code], option) for option in what_if(result.spec, result.levels)
    ]


def next_rating(spec, rating):
    """The predicate above `rating` (None at the top or without a rating)."""
    ratings = [band.rating for band in spec.bands]
    if rating not in ratings or rating == ratings[-1]:
        return None
    return ratings[ratings.index(rating) + 1]


def target_plan(assessment, target_rating, *, result=None):
    """The engine's plan (frameworks.scoring.plan_target) to reach `target_rating` from the
    agreed levels, with [(indicator node, Raise)] as `steps`; None while incomplete."""
    result = result or live_result(assessment)
    if not result.complete:
        return None
    plan = plan_target(result.spec, result.levels, target_rating)
    return PlanView(plan, [(result.spec.by_code[step.code], step) for step in plan.raises])


@dataclass(frozen=True)
class PlanView:
    plan: object
    steps: list


def _proposed(cycle):
    """The cycle's answers that propose a level, by OPD name."""
    return Submission.objects.filter(
        cycle=cycle, status__in=PROPOSED, level__isnull=False
    ).order_by("agency__name")


def proposals_by_code(cycle, *, indicator=None):
    """{indicator code: [Submission]} of the OPDs' proposed levels, of one `indicator` when
    given (one query)."""
    rows = (
        _proposed(cycle)
        .select_related("agency", "indicator")
        .defer("indicator__texts")  # the framework's texts: tens of kB per indicator
    )
    if indicator is not None:
        rows = rows.filter(indicator=indicator)
    proposals = {}
    for submission in rows:
        proposals.setdefault(submission.indicator.code, []).append(submission)
    return proposals


def national_values(assessment):
    """{node code: Decimal} of the entered national result (one query)."""
    if assessment.pk is None:
        return {}
    rows = NationalResult.objects.filter(assessment=assessment).select_related("node")
    return {row.node.code: row.value for row in rows}


def _difference(level, other):
    return None if level is None or other is None else level - other


@dataclass(frozen=True)
class Proposal:
    agency: object
    level: int
    vs_agreed: int | None
    vs_national: int | None


@dataclass(frozen=True)
class ReconciliationRow:
    indicator: object
    proposals: list
    agreed: int | None
    national: int | None

    @property
    def agreed_vs_national(self):
        """+1: the team agreed one level above the national result (an over-claim)."""
        return _difference(self.agreed, self.national)


@dataclass
class AgencySummary:
    agency: object
    proposals: int = 0
    above_agreed: int = 0
    below_agreed: int = 0
    above_national: int = 0
    below_national: int = 0


@dataclass(frozen=True)
class Reconciliation:
    rows: list
    agencies: list
    national: object = field(repr=False)  # the engine's ScoreResult of the national values


def reconciliation(assessment):
    """Per indicator: the OPDs' proposals, the agreed and the national level and their
    differences (proposal − agreed, proposal − national, agreed − national: positive is an
    over-claim); per OPD: how many of its proposals were above / below the agreed and the
    national level. Four queries."""
    spec = assessment.cycle.framework.spec()
    agreed = {code: d.level for code, d in decisions_of(assessment).items()}
    values = national_values(assessment)
    proposals = proposals_by_code(assessment.cycle)
    summaries, rows = {}, []
    for node in spec.indicators:
        value = values.get(node.code)
        national = int(value) if value is not None and value == value.to_integral() else None
        row_proposals = []
        for submission in proposals.get(node.code, []):
            proposal = Proposal(
                agency=submission.agency,
                level=submission.level,
                vs_agreed=_difference(submission.level, agreed.get(node.code)),
                vs_national=_difference(submission.level, national),
            )
            row_proposals.append(proposal)
            summary = summaries.setdefault(
                submission.agency.pk, AgencySummary(agency=submission.agency)
            )
            summary.proposals += 1
            summary.above_agreed += (proposal.vs_agreed or 0) > 0
            summary.below_agreed += (proposal.vs_agreed or 0) < 0
            summary.above_national += (proposal.vs_national or 0) > 0
            summary.below_national += (proposal.vs_national or 0) < 0
        rows.append(ReconciliationRow(node, row_proposals, agreed.get(node.code), national))
    national_score = score_from_values(spec, values) if values else None
    agencies = sorted(summaries.values(), key=lambda summary: summary.agency.name)
    return Reconciliation(rows=rows, agencies=agencies, national=national_score)


@dataclass(frozen=True)
class ResultRow:
    indicator: object
    pk: int
    decision: Decision | None
    proposals: list  # [(OPD short name, level)] by OPD name

    @property
    def proposals_text(self):
        """ "BKD: 3, Dinkes: 4", or "–" without proposals."""
        return ", ".join(f"{name}: {level}" for name, level in self.proposals) or "–"


def result_rows(cycle, result):
    """One row per indicator for the result table: the agreed decision and the OPDs'
    proposed levels (two queries, rows of values: a city has thousands of proposals)."""
    pks = node_pks(cycle.framework)
    proposals = {}
    for indicator_id, name, level in _proposed(cycle).values_list(
        "indicator_id", "agency__short_name", "level"
    ):
        proposals.setdefault(indicator_id, []).append((name, level))
    return [
        ResultRow(
            node,
            pks[node.code],
            result.decisions.get(node.code),
            proposals.get(pks[node.code], []),
        )
        for node in result.spec.indicators
    ]


def as_level(value):
    """A national value as a whole level when it is one (for display)."""
    if isinstance(value, Decimal) and value == value.to_integral():
        return int(value)
    return value


# --- Year over year -------------------------------------------------------------------------

# How many cycles a comparison shows: this one and up to three before it.
YEARS = 4


@dataclass(frozen=True)
class YearResult:
    """One cycle's result for the comparison: the agreed levels scored (`score`), the
    national result when one was entered (`national`, else None), and `codes`: for each
    node code of the compared (newest) framework, this cycle's node code — the same code
    in the same framework, else the node of the same kind and exactly the same name."""

    cycle: object
    spec: object = field(repr=False)
    score: object = field(repr=False)
    levels: dict
    status: str  # Assessment.Status, "" before the first decision
    national: object = field(repr=False)
    codes: dict = field(repr=False)
    same_framework: bool

    @property
    def year(self):
        return self.cycle.year

    @property
    def is_final(self):
        return self.status == Assessment.Status.FINAL

    @property
    def index(self):
        return self.score.index

    @property
    def display(self):
        return display(self.score.index)

    @property
    def rating(self):
        return self.score.rating

    @property
    def national_index(self):
        return self.national.index if self.national is not None else None

    @property
    def national_display(self):
        return display(self.national_index)

    @property
    def national_rating(self):
        return self.national.rating if self.national is not None else None


@dataclass(frozen=True, eq=False)
class Column:
    """One column of the comparison: a year's agreed result, or its national result."""

    year: YearResult
    national: bool = False

    @property
    def label(self):
        if self.national:
            return _("%(year)s nasional") % {"year": self.year.year}
        if self.year.is_final:
            return str(self.year.year)
        return _("%(year)s (draf)") % {"year": self.year.year}

    def value(self, code):
        """The index (or level) of the compared framework's node `code` in this column."""
        own = self.year.codes.get(code)
        result = self.year.national if self.national else self.year.score
        if own is None or result is None:
            return None
        return result.indices.get(own)


@dataclass(frozen=True)
class Change:
    """The change from the year before, as people read the values: indices compared as
    shown (rounded to 2 decimals), levels as whole numbers. `delta` None: nothing to compare."""

    delta: Decimal | None
    level: bool = False

    @property
    def direction(self):
        if self.delta is None:
            return ""
        return "up" if self.delta > 0 else "down" if self.delta < 0 else "same"

    @property
    def arrow(self):
        return {"up": "▲", "down": "▼", "same": "="}.get(self.direction, "")

    @property
    def amount(self):
        if self.delta is None:
            return ""
        # Levels are whole numbers ("1"); indices were compared as shown ("0,25").
        if self.level:
            return number_format(abs(self.delta), use_l10n=True)
        return display(abs(self.delta))

    @property
    def text(self):
        """What people read: "▲ naik 1", "▼ turun 0,25", "= tetap", or "–"."""
        if self.direction == "up":
            return _("▲ naik %(amount)s") % {"amount": self.amount}
        if self.direction == "down":
            return _("▼ turun %(amount)s") % {"amount": self.amount}
        if self.direction == "same":
            return _("= tetap")
        return "–"


def _shown(value, *, level):
    if value is None:
        return "–"
    if level:
        return str(int(value)) if value == int(value) else display(value)
    return display(value)


def _change(before, after, *, level):
    if before is None or after is None:
        return Change(None)
    if level:
        return Change(Decimal(after) - Decimal(before), level=True)
    return Change(rounded(after) - rounded(before))


@dataclass(frozen=True)
class Cell:
    value: Decimal | None
    shown: str


@dataclass(frozen=True)
class ComparisonRow:
    """One node of the compared framework: its value in every column (`cells`, aligned with
    the columns it was built for) and the change of the agreed value from the year before."""

    node: object
    cells: tuple
    change: Change
    columns: tuple = field(repr=False)

    def cell(self, column):
        return self.cells[self.columns.index(column)]


def _rows(nodes, columns, self_columns, *, level):
    rows = []
    for node in nodes:
        values = [column.value(node.code) for column in columns]
        agreed = [column.value(node.code) for column in self_columns[-2:]]
        change = _change(*agreed, level=level) if len(agreed) == 2 else Change(None)
        rows.append(
            ComparisonRow(
                node=node,
                cells=tuple(Cell(value, _shown(value, level=level)) for value in values),
                change=change,
                columns=tuple(columns),
            )
        )
    return tuple(rows)


def _columns(years):
    columns = []
    for year in years:
        columns.append(Column(year))
        if year.national is not None:
            columns.append(Column(year, national=True))
    return tuple(columns)


@dataclass(frozen=True)
class YearOverYear:
    """The comparison of a cycle with its institution's earlier cycles (queries.year_over_year).

    `years`: the cycles' results, oldest first, the compared cycle last. `rows`: every node
    above the indicators of the compared cycle's framework, in tree order, with one cell per
    `columns` (each year's agreed result, then its national result when entered).
    `indicator_rows`: every indicator, over `indicator_columns` — only the years evaluated
    with the same framework (levels of different frameworks are not comparable)."""

    years: tuple
    columns: tuple
    rows: tuple
    indicator_columns: tuple
    indicator_rows: tuple
    index_change: Change

    @property
    def current(self):
        return self.years[-1]

    @property
    def cycle(self):
        return self.current.cycle

    @property
    def earlier(self):
        return self.years[:-1]

    @property
    def self_columns(self):
        return tuple(column for column in self.columns if not column.national)

    @property
    def other_framework_years(self):
        return [year for year in self.years if not year.same_framework]

    @property
    def radar_kind(self):
        """The kind of the nodes just above the indicators (SPBE: "aspect")."""
        spec = self.current.spec
        parent = spec.parents.get(spec.indicators[0].code) if spec.indicators else None
        return parent.kind if parent is not None else None

    @property
    def bar_kind(self):
        """The kind of the top nodes (SPBE: "domain")."""
        spec = self.current.spec
        tops = [node for node in spec.roots if not node.is_indicator]
        return tops[0].kind if tops else None

    def rows_of(self, kind):
        return [row for row in self.rows if row.node.kind == kind]


def _codes(current_spec, spec):
    """{compared node code: this framework's node code} (see YearResult.codes)."""
    if spec.code == current_spec.code:
        return {node.code: node.code for node in current_spec.nodes if node.code in spec.by_code}
    named = {(node.kind, node.name): node.code for node in spec.nodes if not node.is_indicator}
    return {
        node.code: named[(node.kind, node.name)]
        for node in current_spec.nodes
        if (node.kind, node.name) in named
    }


def year_over_year(cycle, *, years=YEARS):
    """`cycle` and up to `years` − 1 earlier cycles of its institution (YearOverYear),
    oldest first. A cycle's result is its agreed levels, final or draft as they stand.
    Domains and aspects of another framework are compared only when their kind and name
    are exactly the same; indicators only within the same framework.

    Queries: the cycles (with their framework and assessment), one per distinct framework
    version (its tree), the agreed levels and the national values — whatever the number of
    years."""
    cycles = list(
        Cycle.objects.filter(institution_id=cycle.institution_id, year__lte=cycle.year)
        .select_related("framework", "assessment")
        .order_by("-year")[:years]
    )[::-1]
    specs = {}
    for each in cycles:
        if each.framework_id not in specs:
            specs[each.framework_id] = each.framework.spec()
    ids = [each.pk for each in cycles]
    levels, national = {pk: {} for pk in ids}, {pk: {} for pk in ids}
    for cycle_id, code, level in Decision.objects.filter(assessment__cycle_id__in=ids).values_list(
        "assessment__cycle_id", "indicator__code", "level"
    ):
        levels[cycle_id][code] = level
    for cycle_id, code, value in NationalResult.objects.filter(
        assessment__cycle_id__in=ids
    ).values_list("assessment__cycle_id", "node__code", "value"):
        national[cycle_id][code] = value

    current_spec = specs[cycles[-1].framework_id]
    results = []
    for each in cycles:
        spec = specs[each.framework_id]
        try:
            status = each.assessment.status
        except Assessment.DoesNotExist:
            status = ""
        results.append(
            YearResult(
                cycle=each,
                spec=spec,
                score=score(spec, levels[each.pk]),
                levels=levels[each.pk],
                status=status,
                national=score_from_values(spec, national[each.pk]) if national[each.pk] else None,
                codes=_codes(current_spec, spec),
                same_framework=spec.code == current_spec.code,
            )
        )
    columns = _columns(results)
    self_columns = tuple(column for column in columns if not column.national)
    indicator_columns = tuple(column for column in columns if column.year.same_framework)
    indicator_self = tuple(column for column in indicator_columns if not column.national)
    agreed = [year.index for year in results[-2:]]
    return YearOverYear(
        years=tuple(results),
        columns=columns,
        rows=_rows(
            [node for node in current_spec.nodes if not node.is_indicator],
            columns,
            self_columns,
            level=False,
        ),
        indicator_columns=indicator_columns,
        indicator_rows=_rows(
            current_spec.indicators, indicator_columns, indicator_self, level=True
        ),
        index_change=_change(*agreed, level=False) if len(agreed) == 2 else Change(None),
    )


def chart_context(cycle, *, comparison=None):
    """{"aspect_radar": svg, "domain_bars": svg}: the year-over-year charts of `cycle`, for
    any page or PDF that includes "assessments/_charts.html"."""
    from assessments.charts import comparison_charts

    return comparison_charts(comparison or year_over_year(cycle))
