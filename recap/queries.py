"""Reads for the recap (SOP step 5): the live OPD × indicator matrix of a cycle's answers.

`recap_matrix` runs a fixed number of queries (indicators, participating OPDs, assignments,
submissions), whatever the number of OPDs and indicators: everything else is arithmetic.
"""

from dataclasses import dataclass, field
from fractions import Fraction
from itertools import groupby

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cycles.models import Assignment
from frameworks.models import Node
from frameworks.queries import tree_rows
from submissions.models import Submission

NOT_STARTED = "not_started"
DRAFT = Submission.Status.DRAFT.value
SUBMITTED = Submission.Status.SUBMITTED.value
RETURNED = Submission.Status.RETURNED.value
ACCEPTED = Submission.Status.ACCEPTED.value
# Submitted or accepted: the OPD has done its part (the team may still return it).
COMPLETE = {SUBMITTED, ACCEPTED}
# Still waiting for the OPD.
UNANSWERED = {NOT_STARTED, DRAFT}


@dataclass(frozen=True)
class State:
    """The state of one assigned cell. `code` is printed with the colour, never colour alone."""

    key: str
    code: str
    label: str
    css: str


STATES = (
    State(NOT_STARTED, "–", _("belum dimulai"), "none"),
    State(DRAFT, "D", _("draf"), "draft"),
    State(SUBMITTED, "A", _("diajukan"), "submitted"),
    State(RETURNED, "K", _("dikembalikan"), "returned"),
    State(ACCEPTED, "✓", _("diterima"), "accepted"),
)
STATE_BY_KEY = {state.key: state for state in STATES}


def percent(part, whole):
    """Whole percent, rounded down so that 100 means really all; None when there is nothing."""
    if not whole:
        return None
    return part * 100 // whole


def local_today(institution, now=None):
    """Today's date in the institution's time zone."""
    return institution.today(now)


def _review_url_prefix(cycle):
    """The review page of an indicator's answers (the submissions app's `review_indicator`)
    up to the indicator's pk: one reverse() for every column."""
    return reverse("review_indicator", args=[cycle.pk, 0]).removesuffix("0/")


@dataclass(frozen=True)
class RecapFilters:
    state: str = ""
    agency: int | None = None
    aspect: int | None = None
    only_late: bool = False

    @property
    def active(self):
        return bool(self.state or self.agency or self.aspect or self.only_late)


# Not frozen: a city's matrix makes thousands of cells per request, and a frozen dataclass
# takes several times as long to build. Nothing changes a cell once made.
@dataclass(slots=True)
class Cell:
    indicator: Node
    state: State | None  # None: the indicator is not assigned to this OPD
    level: int | None = None
    url: str = ""
    dimmed: bool = False  # assigned, but not in the state the matrix is filtered on
    starts_group: bool = False  # the first indicator of its aspect


STATE_KEYS = tuple(state.key for state in STATES)


def _zero_counts():
    return dict.fromkeys(STATE_KEYS, 0)


@dataclass
class Tally:
    """Counts per state of a set of assigned cells, and the completeness they make."""

    counts: dict = field(default_factory=_zero_counts)

    @property
    def assigned(self):
        return sum(self.counts.values())

    @property
    def complete(self):
        return sum(self.counts[key] for key in COMPLETE)

    @property
    def percent(self):
        return percent(self.complete, self.assigned)

    @property
    def is_done(self):
        return self.complete == self.assigned

    @property
    def count_list(self):
        """[(State, n)] in the legend's order, for templates and sheets."""
        return [(state, self.counts[state.key]) for state in STATES]


@dataclass
class AgencyRow(Tally):
    agency: object = None
    cells: list = field(default_factory=list)
    is_late: bool = False
    # [(column index, Cell)] of the assigned cells in `cells`, left to right.
    placed: list = field(default_factory=list)

    def indicators_in(self, keys):
        return [cell.indicator for cell in self.cells if cell.state and cell.state.key in keys]

    @property
    def unanswered(self):
        return self.indicators_in(UNANSWERED)

    @property
    def returned(self):
        return self.indicators_in({RETURNED})


@dataclass
class IndicatorColumn(Tally):
    indicator: Node = None
    url: str = ""
    starts_group: bool = False
    # [(agency, State, level)] of the shown OPDs this indicator is assigned to, by OPD name.
    answers: list = field(default_factory=list)

    @property
    def aspect(self):
        return self.indicator.parent


@dataclass(frozen=True)
class AspectGroup:
    node: Node | None
    span: int


@dataclass
class RecapMatrix(Tally):
    cycle: object = None
    today: object = None
    filters: RecapFilters = field(default_factory=RecapFilters)
    columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    aspects: list = field(default_factory=list)
    agency_choices: list = field(default_factory=list)
    aspect_choices: list = field(default_factory=list)

    @property
    def deadline_passed(self):
        return self.today > self.cycle.deadline

    @property
    def days_left(self):
        return (self.cycle.deadline - self.today).days

    @property
    def days_late(self):
        return -self.days_left

    @property
    def late_count(self):
        return sum(1 for row in self.rows if row.is_late)


def recap_matrix(cycle, *, filters=None, today=None):
    """The OPD × indicator matrix of `cycle` (see RecapMatrix), filtered by `filters`.

    Rows: participating OPDs, late first, then least complete first, then by name. An OPD is
    late when the deadline (a date in the institution's time zone) has passed and not all of
    its assigned indicators are submitted or accepted. With an aspect filter, an OPD's counts,
    completeness and lateness are over that aspect's indicators. Column and grand totals count
    the rows shown. Four queries, whatever the size.
    """
    filters = filters or RecapFilters()
    today = today or local_today(cycle.institution)
    indicators = _indicators(cycle.framework)
    agencies, assigned, answers = _cycle_answers(cycle)

    aspect_choices = list({node.parent_id: node.parent for node in indicators}.values())
    if filters.aspect:
        indicators = [node for node in indicators if node.parent_id == filters.aspect]
    prefix = _review_url_prefix(cycle)
    columns = [
        IndicatorColumn(
            indicator=node,
            url=f"{prefix}{node.pk}/",
            # A divider before each aspect but the first (the sticky columns draw that one).
            starts_group=index > 0 and node.parent_id != indicators[index - 1].parent_id,
        )
        for index, node in enumerate(indicators)
    ]
    passed = today > cycle.deadline
    # Most cells of a city's matrix are not assigned: those are shared, one per column.
    blanks = [
        Cell(indicator=column.indicator, state=None, starts_group=column.starts_group)
        for column in columns
    ]
    places = {column.indicator.pk: index for index, column in enumerate(columns)}
    rows = []
    for agency in agencies:
        if filters.agency and agency.pk != filters.agency:
            continue
        row = _agency_row(
            agency, columns, blanks, places, assigned.get(agency.pk, ()), answers, filters
        )
        row.is_late = passed and not row.is_done
        if _keep(row, filters):
            rows.append(row)
    rows.sort(key=_row_order)

    matrix = RecapMatrix(
        cycle=cycle,
        today=today,
        filters=filters,
        columns=columns,
        rows=rows,
        aspects=_aspect_groups(columns),
        agency_choices=agencies,
        aspect_choices=aspect_choices,
    )
    for row in rows:
        for index, cell in row.placed:
            column = columns[index]
            column.counts[cell.state.key] += 1
            column.answers.append((row.agency, cell.state, cell.level))
        for key, n in row.counts.items():
            matrix.counts[key] += n
    for column in columns:
        column.answers.sort(key=lambda answer: answer[0].name)
    return matrix


def agency_progress(cycle, *, today=None):
    """[AgencyRow] of the cycle's OPDs by name, without cells: each one's counts per state,
    completeness and lateness as in the matrix. Three queries, whatever the size."""
    passed = (today or local_today(cycle.institution)) > cycle.deadline
    agencies, assigned, answers = _cycle_answers(cycle)
    rows = []
    for agency in agencies:
        row = AgencyRow(agency=agency)
        for indicator_id in assigned.get(agency.pk, ()):
            row.counts[answers.get((agency.pk, indicator_id), (NOT_STARTED,))[0]] += 1
        row.is_late = passed and not row.is_done
        rows.append(row)
    return rows


def _cycle_answers(cycle):
    """The cycle's OPDs by name, {OPD pk: [assigned indicator pks]} and
    {(OPD pk, indicator pk): (status, level)} of its answers (three queries)."""
    agencies = list(cycle.agencies.order_by("name"))
    assigned = {}
    for agency_id, indicator_id in Assignment.objects.filter(cycle=cycle).values_list(
        "agency_id", "indicator_id"
    ):
        assigned.setdefault(agency_id, []).append(indicator_id)
    answers = {
        (agency_id, indicator_id): (status, level)
        for agency_id, indicator_id, status, level in Submission.objects.filter(cycle=cycle)
        .order_by()  # the default order joins the OPDs and the framework for nothing
        .values_list("agency_id", "indicator_id", "status", "level")
    }
    return agencies, assigned, answers


def _indicators(framework):
    """The framework's indicators in tree order, each with its parent (no query once the
    process keeps the tree: frameworks.queries.tree_rows)."""
    nodes = tree_rows(framework)
    by_pk = {node.pk: node for node in nodes}
    indicators = [node for node in nodes if node.is_indicator]
    for node in indicators:
        node.parent = by_pk.get(node.parent_id)
    return indicators


def _agency_row(agency, columns, blanks, places, indicator_ids, answers, filters):
    """The row of `agency`: its assigned indicators' cells (in `places`, the shown columns'
    indexes by indicator pk) over the shared `blanks`."""
    row = AgencyRow(agency=agency, cells=list(blanks))
    agency_id, counts, cells, placed = agency.pk, row.counts, row.cells, row.placed
    for indicator_id in indicator_ids:
        index = places.get(indicator_id)
        if index is None:  # an indicator of another aspect than the one filtered on
            continue
        column = columns[index]
        status, level = answers.get((agency_id, indicator_id), (NOT_STARTED, None))
        counts[status] += 1
        cell = cells[index] = Cell(
            indicator=column.indicator,
            state=STATE_BY_KEY[status],
            level=level,
            url=f"{column.url}#opd-{agency_id}",
            dimmed=bool(filters.state) and status != filters.state,
            starts_group=column.starts_group,
        )
        placed.append((index, cell))
    placed.sort(key=_first)
    return row


def _first(pair):
    return pair[0]


def _aspect_groups(columns):
    """Runs of consecutive columns under the same parent, for the matrix's top header row."""
    groups = []
    for _parent_id, run in groupby(columns, key=lambda column: column.indicator.parent_id):
        run = list(run)
        groups.append(AspectGroup(node=run[0].aspect, span=len(run)))
    return groups


def _keep(row, filters):
    if filters.active and not row.assigned:
        return False
    if filters.state and not row.counts.get(filters.state):
        return False
    return not (filters.only_late and not row.is_late)


def _row_order(row):
    # OPDs with nothing assigned have nothing to chase: last.
    completeness = Fraction(row.complete, row.assigned) if row.assigned else Fraction(2)
    return (not row.is_late, completeness, row.agency.name.casefold())
