"""Reads of the reports app: a cycle's step-7 statements, what they state (the agreed result
and the meeting's participants) and the executive brief. Every function runs a fixed number
of queries, whatever the number of OPDs, participants or indicators."""

import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from assessments.queries import find_assessment, live_result, what_if_gains, year_over_year
from cycles.models import Assignment
from cycles.team import decree_citation
from followups.queries import open_items_by_agency
from frameworks.models import kind_label
from frameworks.scoring import display, index_str
from institutions.models import Agency
from meetings.queries import meeting_of, participants
from reports.models import SignedReport
from submissions.models import Submission


def reports_of(cycle):
    """[(kind, SignedReport or None)] of the cycle's two statements, the Berita Acara first
    (one query)."""
    existing = {
        report.kind: report
        for report in SignedReport.objects.filter(
            cycle=cycle, kind__in=SignedReport.STATEMENT_KINDS
        ).select_related("signed_by", "routed_by")
    }
    for report in existing.values():
        report.cycle = cycle
    return [(kind, existing.get(kind)) for kind in SignedReport.STATEMENT_KINDS]


def statement_content(cycle, *, result=None):
    """What the statements state, as plain data (JSON): the agreed result (index unrounded
    and as shown, predicate, the index of every domain and aspect) and the meeting (date,
    place, the participants who checked in). Frozen into SignedReport.content when a
    statement is numbered. Four queries (framework, decisions, meeting, participants)."""
    result = result or live_result(find_assessment(cycle))
    spec = result.spec
    meeting = meeting_of(cycle)
    people = participants(meeting) if meeting is not None else []
    zone = cycle.institution.time_zone
    return {
        "framework": cycle.framework.name,
        # The evaluator team's decree, cited in the Berita Acara ("" while there is none).
        "decree": decree_citation(cycle),
        "index": None if result.index is None else str(result.index),
        "display": index_str(result.index),
        "rating": result.rating or "",
        "nodes": [
            {
                "kind": str(kind_label(node.kind)),
                "number": node.number,
                "name": node.name,
                "display": index_str(index),
                "depth": len(spec.ancestors(node.code)),
            }
            for node, index, _shown in result.nodes
        ],
        "meeting": None
        if meeting is None
        else {
            "date": _local_date(meeting.starts_at, zone).isoformat(),
            "place": meeting.place,
        },
        "participants": [
            {
                "name": person.name,
                "position": person.position,
                "unit": _unit_of(person),
            }
            for person in people
        ],
    }


def _local_date(moment, zone):
    return timezone.localtime(moment, zoneinfo.ZoneInfo(zone)).date()


def _unit_of(attendee):
    unit = getattr(attendee, "unit_name", None)
    if unit is None:
        agency = getattr(attendee, "agency", None)
        unit = getattr(agency, "name", "") if agency is not None else ""
    return unit or ""


def content_of(report):
    """What a statement states: frozen since numbering, live while it is a draft."""
    if report.status != SignedReport.Status.DRAFT and report.content:
        return report.content
    return statement_content(report.cycle)


# --- The executive brief -------------------------------------------------------------------


@dataclass(frozen=True)
class Raise:
    """One indicator one level up and what it adds to the index."""

    indicator: object  # NodeSpec
    level: int
    new_level: int
    gain: Decimal
    index: Decimal
    rating: str

    @property
    def gain_display(self):
        return display(self.gain)

    @property
    def index_display(self):
        return display(self.index)


@dataclass(frozen=True)
class AgencyWork:
    """An OPD's unfinished work: open follow-ups and answers the team has not accepted."""

    agency: object
    open_follow_ups: int
    answers_not_accepted: int

    @property
    def total(self):
        return self.open_follow_ups + self.answers_not_accepted


@dataclass(frozen=True)
class ExecutiveBrief:
    cycle: object
    result: object = field(repr=False)  # assessments.queries.LiveResult
    is_final: bool
    previous: object  # assessments.queries.YearResult of the cycle a year before, or None
    change: object  # assessments.queries.Change: direction "up"/"down"/"same"/"", amount
    raises: list
    agencies: list


TOP_RAISES = 5
TOP_AGENCIES = 5


def executive_brief(cycle):
    """The one page for the Sekda or the Wali Kota: the index and predicate, the change
    since the institution's previous cycle (assessments.queries.year_over_year, compared as
    shown), the five one-level raises that add the most, and the OPDs with the most
    unfinished work. A fixed number of queries (about a dozen)."""
    assessment = find_assessment(cycle)
    result = live_result(assessment)
    comparison = year_over_year(cycle, years=2)
    previous = comparison.years[0] if len(comparison.years) == 2 else None
    raises = [
        Raise(node, option.level, option.new_level, option.gain, option.index, option.rating)
        for node, option in what_if_gains(assessment, result=result)[:TOP_RAISES]
    ]
    return ExecutiveBrief(
        cycle=cycle,
        result=result,
        is_final=assessment.is_final,
        previous=previous,
        change=comparison.index_change,
        raises=raises,
        agencies=agency_work(cycle)[:TOP_AGENCIES],
    )


def agency_work(cycle):
    """[AgencyWork] of the OPDs with unfinished work, most first (then by name): open
    follow-ups (followups.queries.open_items_by_agency) and answers not accepted — the
    assigned indicators whose answer is not (yet) accepted by the team: not started, draft,
    awaiting review or returned. Four queries."""
    follow_ups = {agency.pk: count for agency, count in open_items_by_agency(cycle)}
    assigned = Counter(
        dict(
            Assignment.objects.filter(cycle=cycle)
            .values_list("agency")
            .annotate(count=Count("id"))
            .values_list("agency", "count")
        )
    )
    accepted = Counter(
        dict(
            Submission.objects.filter(cycle=cycle, status=Submission.Status.ACCEPTED)
            .values_list("agency")
            .annotate(count=Count("id"))
            .values_list("agency", "count")
        )
    )
    not_accepted = {pk: max(count - accepted[pk], 0) for pk, count in assigned.items()}
    pks = {pk for pk, count in follow_ups.items() if count} | {
        pk for pk, count in not_accepted.items() if count
    }
    agencies = Agency.objects.filter(pk__in=pks)
    rows = [
        AgencyWork(agency, follow_ups.get(agency.pk, 0), not_accepted.get(agency.pk, 0))
        for agency in agencies
    ]
    return sorted(rows, key=lambda row: (-row.total, row.agency.name))
