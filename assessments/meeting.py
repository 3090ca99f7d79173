"""Reads for meeting mode (SOP step 6): one screen per indicator for the coordination
meeting, with the OPDs' proposals, the agreed level and the live index beside it.

Everything is computed by the same engine as the `score` command (frameworks.scoring) from
the agreed levels; `indicator_screen` runs a fixed number of queries whatever the number of
OPDs, proposals or decisions (see tests/test_meeting_mode.py).
"""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from assessments import queries
from cycles.models import Assignment
from documents.formal import clock, long_date
from evidence.models import Evidence, EvidenceRevision
from frameworks.queries import criteria_sources, node_pks
from frameworks.scoring import HUNDRED, display, plain, score
from submissions import queries as submission_queries
from submissions.models import Review, Submission
from submissions.queries import level_criteria


@dataclass(frozen=True)
class StripItem:
    """One indicator in the strip across the top of the screen."""

    pk: int
    code: str
    number: str
    name: str
    level: int | None
    url: str

    @property
    def decided(self):
        return self.level is not None

    @property
    def state(self):
        """What the strip says of it: "tingkat 3" or "belum disepakati"."""
        if self.level is None:
            return _("belum disepakati")
        return _("tingkat %(level)s") % {"level": self.level}


def indicator_strip(cycle, result):
    """Every indicator in tree order with its node pk, agreed level and meeting-mode URL
    (one query)."""
    pks = node_pks(cycle.framework)
    # One reverse() for 47 links: only the node pk differs.
    pattern = reverse("meeting_indicator", args=[cycle.pk, 0]).removesuffix("0/")
    return [
        StripItem(
            pks[node.code],
            node.code,
            node.number,
            node.name,
            result.levels.get(node.code),
            f"{pattern}{pks[node.code]}/",
        )
        for node in result.spec.indicators
    ]


def first_undecided(strip, *, after=None):
    """The first indicator without an agreed level, searching after `after` (a code) and
    wrapping around; None when every indicator is decided."""
    start = 0
    if after is not None:
        start = next(i for i, item in enumerate(strip) if item.code == after) + 1
    for item in strip[start:] + strip[:start]:
        if not item.decided and item.code != after:
            return item
    return None


@dataclass(frozen=True)
class LevelEffect:
    """What the index would be with this indicator at `level`, the others as agreed."""

    level: int
    name: str
    contribution: Decimal  # weight × level / 100: this indicator's part of the overall index
    index: Decimal | None  # None while another indicator has no agreed level
    rating: str | None
    current: bool

    @property
    def display(self):
        return display(self.index)

    @property
    def contribution_text(self):
        return plain(self.contribution)


@dataclass(frozen=True)
class Influence:
    """How much this indicator weighs in the overall index ("pengaruh indikator ini")."""

    weight: Decimal
    level: int | None
    effects: list
    others_missing: int  # indicators other than this one without an agreed level

    @property
    def step(self):
        """What one level of this indicator is worth in the overall index."""
        return self.weight / HUNDRED

    @property
    def step_text(self):
        return plain(self.step)

    @property
    def weight_text(self):
        return plain(self.weight)

    def _effect(self, level):
        return next((effect for effect in self.effects if effect.level == level), None)

    @property
    def current(self):
        return self._effect(self.level) if self.level is not None else None

    @property
    def lower(self):
        return self._effect(self.level - 1) if self.level is not None else None

    @property
    def higher(self):
        return self._effect(self.level + 1) if self.level is not None else None


def influence(result, code):
    """The index at every level of indicator `code`, the others as agreed (the engine's
    score, once per level)."""
    spec = result.spec
    node = spec.by_code[code]
    level = result.levels.get(code)
    effects = []
    for candidate in range(spec.scale_min, spec.scale_max + 1):
        scored = score(spec, {**result.levels, code: candidate})
        effects.append(
            LevelEffect(
                level=candidate,
                name=spec.level_name(node, candidate),
                contribution=node.weight * candidate / HUNDRED,
                index=scored.index,
                rating=scored.rating,
                current=candidate == level,
            )
        )
    others_missing = len([missing for missing in result.missing if missing != code])
    return Influence(node.weight, level, effects, others_missing)


@dataclass(frozen=True)
class PanelRow:
    """A domain or aspect in the live panel."""

    node: object
    index: Decimal | None
    missing: int  # indicators below it without an agreed level

    @property
    def display(self):
        return display(self.index)


def panel_rows(result):
    """Every node above the indicators, in tree order, with its unrounded index and the
    number of indicators below it still missing an agreed level."""
    spec = result.spec
    missing = {}
    for code in result.missing:
        for ancestor in spec.ancestors(code):
            missing[ancestor.code] = missing.get(ancestor.code, 0) + 1
    return [
        PanelRow(node, result.score.indices[node.code], missing.get(node.code, 0))
        for node in spec.nodes
        if not node.is_indicator
    ]


# --- The OPDs' answers, read lean -----------------------------------------------------------
# A screen may show forty OPDs' answers with their data dukung and threads: they are read as
# plain values (no model instances) and their repeated parts are built as HTML here, which
# keeps the screen under 100 ms where model rows and template loops took about three times
# that (see the bench_meeting_mode command).

THREAD_BADGES = {"accepted": "badge-ok", "returned": "badge-bad", "submitted": "badge-info"}


@dataclass
class Answer:
    """One OPD's answer to the indicator (or an assigned OPD that has not answered)."""

    agency_pk: int
    agency: str  # short name
    agency_name: str
    pk: int | None = None
    status: str = submission_queries.NOT_STARTED
    level: int | None = None
    level_name: str = ""
    fakta: str = ""
    analisis: str = ""
    evidence: list = field(default_factory=list)  # [(evidence pk, title, url, meta)]
    thread: list = field(default_factory=list)  # [review values]
    assigned: bool = True

    @property
    def proposed(self):
        """Handed in with a level (a draft or a returned answer is not a proposal)."""
        return self.status in queries.PROPOSED and self.level is not None

    @property
    def state_label(self):
        return submission_queries.STATES[self.status][0]

    @property
    def badge(self):
        return submission_queries.STATES[self.status][1]

    @property
    def returned_before(self):
        """A thread with a return in it is shown open: why it came back matters."""
        return any(entry["kind"] == Review.Kind.RETURNED for entry in self.thread)

    # The two below are built with escape() and f-strings: a screen shows forty OPDs' answers
    # and format_html() costs several times as much per piece. Every value is escaped.

    @property
    def evidence_html(self):
        """The data dukung, each opening in a new tab in one click."""
        if not self.evidence:
            return mark_safe(f'<span class="muted">{escape(_("belum ada"))}</span>')  # noqa: S308
        items = []
        for _pk, title, url, meta in self.evidence:
            title = escape(title)
            if url:
                title = (
                    f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer">{title}</a>'
                )
            items.append(f'<li>{title} <span class="small muted">({escape(meta)})</span></li>')
        return mark_safe(f'<ul class="evidence-list">{"".join(items)}</ul>')  # noqa: S308

    @property
    def thread_html(self):
        """The review thread, as submissions/_thread.html shows it (same classes)."""
        labels = dict(Review.Kind.choices)
        level_word = _("tingkat")
        items = []
        for entry in self.thread:
            kind = entry["kind"]
            when = f"{long_date(entry['at'])} {clock(entry['at'])}"
            if entry["level"]:
                when = f"{when} · {level_word} {entry['level']}"
            note = entry["note"]
            note = f'<p class="prewrap thread-note">{escape(note)}</p>' if note else ""
            items.append(
                f'<li class="thread-entry thread-{escape(kind)}"><span class="badge '
                f'{escape(THREAD_BADGES.get(kind, "badge-warn"))}">{escape(labels.get(kind, kind))}'
                f"</span> <span>{escape(entry['by__full_name'] or entry['by__username'])}</span> "
                f'<span class="small muted">{escape(when)}</span>{note}</li>'
            )
        return mark_safe(f'<ol class="thread">{"".join(items)}</ol>')  # noqa: S308


def answers_of(cycle, indicator, *, level_names=None):
    """Every OPD's answer to the indicator: the OPDs assigned to it (by name), then any
    answer of an OPD no longer assigned. Five queries, whatever the number of OPDs:
    assignments, answers, their threads, their data dukung and its newest revisions."""
    level_names = level_names or {}
    answers = {
        agency_pk: Answer(agency_pk, short_name, name)
        for agency_pk, short_name, name in Assignment.objects.filter(
            cycle=cycle, indicator=indicator
        )
        .order_by("agency__name")
        .values_list("agency_id", "agency__short_name", "agency__name")
    }
    by_submission = {}
    for row in (
        Submission.objects.filter(cycle=cycle, indicator=indicator)
        .order_by("agency__name")
        .values(
            "pk",
            "agency_id",
            "agency__short_name",
            "agency__name",
            "status",
            "level",
            "fakta",
            "analisis",
        )
    ):
        answer = answers.get(row["agency_id"])
        if answer is None:
            answer = answers[row["agency_id"]] = Answer(
                row["agency_id"], row["agency__short_name"], row["agency__name"], assigned=False
            )
        answer.pk, answer.status, answer.level = row["pk"], row["status"], row["level"]
        answer.level_name = level_names.get(row["level"], "")
        answer.fakta, answer.analisis = row["fakta"], row["analisis"]
        by_submission[row["pk"]] = answer
    if by_submission:
        for entry in (
            Review.objects.filter(submission_id__in=by_submission)
            .order_by("at", "id")
            .values("submission_id", "kind", "note", "level", "at", "by__full_name", "by__username")
        ):
            by_submission[entry["submission_id"]].thread.append(entry)
        links = list(
            Submission.evidence.through.objects.filter(submission_id__in=by_submission)
            .order_by("evidence__title", "evidence_id")
            .values(
                "submission_id", "evidence_id", "evidence__title", "evidence__kind", "evidence__url"
            )
        )
        newest = {}
        for evidence_pk, revision_pk, extension, size in (
            EvidenceRevision.objects.filter(evidence_id__in={link["evidence_id"] for link in links})
            .order_by("evidence_id", "-number")
            .values_list("evidence_id", "pk", "extension", "size")
        ):
            newest.setdefault(evidence_pk, (revision_pk, extension, size))
        download = reverse("evidence_download", args=[0]).removesuffix("0/")
        for link in links:
            submission_pk, evidence_pk = link["submission_id"], link["evidence_id"]
            if link["evidence__kind"] == Evidence.Kind.LINK:
                url, meta = link["evidence__url"], _("tautan")
            elif evidence_pk in newest:
                revision_pk, extension, size = newest[evidence_pk]
                url = f"{download}{revision_pk}/?isian={submission_pk}"
                meta = f"{extension.upper()}, {filesizeformat(size)}"
            else:
                url, meta = "", ""
            by_submission[submission_pk].evidence.append(
                (evidence_pk, link["evidence__title"], url, meta)
            )
    assigned = [answer for answer in answers.values() if answer.assigned]
    former = sorted((a for a in answers.values() if not a.assigned), key=lambda a: a.agency_name)
    return assigned + former


def prefilled_text(proposals, attribute):
    """The proposals' FAKTA (or ANALISIS), each after its OPD's name, as a starting text."""
    parts = []
    for answer in proposals:
        text = getattr(answer, attribute).strip()
        if text:
            parts.append(f"{answer.agency}: {text}")
    return "\n\n".join(parts)


@dataclass(frozen=True)
class EvidenceChoice:
    pk: int
    title: str
    agency: str


@dataclass
class IndicatorScreen:
    """Everything one meeting-mode screen shows about one indicator."""

    cycle: object
    indicator: object  # the frameworks.Node, with its texts
    assessment: object
    result: object  # queries.LiveResult
    strip: list
    answers: list  # Answer, every OPD assigned
    decision_evidence: list = field(default_factory=list)  # (pk, title) cited by the decision

    @property
    def code(self):
        return self.indicator.code

    @property
    def ancestors(self):
        """The domain and aspect above the indicator (NodeSpecs), top first."""
        return self.result.spec.ancestors(self.code)

    @property
    def ancestor_codes(self):
        return {node.code for node in self.ancestors}

    @property
    def decision(self):
        return self.result.decisions.get(self.code)

    @cached_property
    def position(self):
        return next(i for i, item in enumerate(self.strip) if item.code == self.code)

    @property
    def previous(self):
        return self.strip[self.position - 1] if self.position > 0 else None

    @property
    def next(self):
        return self.strip[self.position + 1] if self.position + 1 < len(self.strip) else None

    @property
    def next_undecided(self):
        return first_undecided(self.strip, after=self.code)

    @property
    def decided_count(self):
        return len(self.result.levels)

    @property
    def total(self):
        return len(self.strip)

    @property
    def percent(self):
        return round(100 * self.decided_count / self.total) if self.total else 0

    @cached_property
    def proposals(self):
        return [answer for answer in self.answers if answer.proposed]

    @property
    def others(self):
        """Assigned OPDs that have not handed in a level (yet)."""
        return [answer for answer in self.answers if not answer.proposed]

    @cached_property
    def influence(self):
        return influence(self.result, self.code)

    @cached_property
    def panel_rows(self):
        return panel_rows(self.result)

    @cached_property
    def levels(self):
        """Per level: the criteria (submissions.queries.level_criteria), the OPDs that
        propose it, and the index it would give."""
        proposers = {}
        for answer in self.proposals:
            proposers.setdefault(answer.level, []).append(answer.agency)
        effects = {effect.level: effect for effect in self.influence.effects}
        return [
            {**row, "proposers": proposers.get(row["level"], []), "effect": effects[row["level"]]}
            for row in level_criteria(self.cycle.framework, self.indicator)
        ]

    @property
    def sources(self):
        return criteria_sources(self.cycle.framework, self.indicator)

    @property
    def question_source(self):
        return self.cycle.framework.source_by_key.get(self.indicator.texts.get("question_source"))

    @cached_property
    def evidence_choices(self):
        """The data dukung the team may cite: the OPDs' pieces for this indicator, then any
        piece the decision already cites (from an answer changed since)."""
        choices, seen = [], set()
        for answer in self.answers:
            for pk, title, _url, _meta in answer.evidence:
                if pk not in seen:
                    seen.add(pk)
                    choices.append(EvidenceChoice(pk, title, answer.agency))
        for pk, title in self.decision_evidence:
            if pk not in seen:
                seen.add(pk)
                choices.append(EvidenceChoice(pk, title, ""))
        return choices

    def initial(self):
        """The form's starting values: the decision as stored, or the proposals' texts."""
        decision = self.decision
        if decision is not None:
            return {
                "level": decision.level,
                "fakta": decision.fakta,
                "analisis": decision.analisis,
                "evidence": [pk for pk, _title in self.decision_evidence],
            }
        return {
            "fakta": prefilled_text(self.proposals, "fakta"),
            "analisis": prefilled_text(self.proposals, "analisis"),
        }


def indicator_screen(cycle, indicator):
    """The screen of one indicator in ten queries at most: the assessment, the decisions,
    the framework tree, node pks, the OPDs' answers (five, see answers_of) and, once the
    indicator is decided, the data dukung its decision cites."""
    assessment = queries.find_assessment(cycle)
    result = queries.live_result(assessment)
    spec, node = result.spec, result.spec.by_code[indicator.code]
    names = {
        level: spec.level_name(node, level) for level in range(spec.scale_min, spec.scale_max + 1)
    }
    screen = IndicatorScreen(
        cycle=cycle,
        indicator=indicator,
        assessment=assessment,
        result=result,
        strip=indicator_strip(cycle, result),
        answers=answers_of(cycle, indicator, level_names=names),
    )
    if screen.decision is not None:
        screen.decision_evidence = list(screen.decision.evidence.values_list("pk", "title"))
    return screen
