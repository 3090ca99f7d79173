"""Reads of a cycle's hasil evaluasi mandiri: the live index from the agreed levels (the
same engine as the `score` command, frameworks.scoring), what raising one indicator would
gain, the plan to a predicate, and the reconciliation of the OPDs' proposals with the agreed
and the national levels. Every function runs a fixed number of queries."""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from assessments.models import Assessment, Decision, NationalResult
from frameworks.scoring import display, plan_target, score, score_from_values, what_if
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
    rows = Decision.objects.filter(assessment=assessment).select_related("indicator", "decided_by")
    return {decision.indicator.code: decision for decision in rows}


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

    @cached_property
    def nodes(self):
        """[(node, index, display)] of every node above the indicators, in tree order."""
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


def proposals_by_code(cycle):
    """{indicator code: [Submission]} of the OPDs' proposed levels (one query)."""
    rows = (
        Submission.objects.filter(cycle=cycle, status__in=PROPOSED, level__isnull=False)
        .select_related("agency", "indicator")
        .order_by("agency__name")
    )
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


def node_pks(framework):
    """{node code: pk} of the framework's nodes (one query), for links."""
    return dict(framework.nodes.values_list("code", "pk"))


@dataclass(frozen=True)
class ResultRow:
    indicator: object
    pk: int
    decision: Decision | None
    proposals: list


def result_rows(cycle, result):
    """One row per indicator for the result table: the agreed decision and the OPDs'
    proposals (two queries)."""
    pks = node_pks(cycle.framework)
    proposals = proposals_by_code(cycle)
    return [
        ResultRow(
            node, pks[node.code], result.decisions.get(node.code), proposals.get(node.code, [])
        )
        for node in result.spec.indicators
    ]


def as_level(value):
    """A national value as a whole level when it is one (for display)."""
    if isinstance(value, Decimal) and value == value.to_integral():
        return int(value)
    return value
