"""Reads of findings and follow-ups, shared by the pages here, the Dokumen Evaluasi and the
executive brief. Every function runs a fixed number of queries."""

import functools
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from cycles.models import Cycle
from followups.models import Finding, FollowUp
from frameworks.models import Node
from institutions.models import Agency, Institution
from monev import plain

ASPECT = "aspect"

FOLLOW_UP_RELATED = ("agency", "cycle", "carried_to", "recommendation__aspect")


def aspects_of(framework):
    """The framework's aspect nodes in tree order, each with its domain (`parent`, None in a
    framework without domains). One query."""
    return list(
        Node.objects.filter(framework=framework, kind=ASPECT)
        .select_related("parent")
        .defer("texts", "parent__texts")
        .order_by("position")
    )


@dataclass
class AspectFindings:
    aspect: object
    strengths: list = field(default_factory=list)
    weaknesses: list = field(default_factory=list)
    recommendations: list = field(default_factory=list)

    @property
    def domain(self):
        return self.aspect.parent

    @property
    def count(self):
        return len(self.strengths) + len(self.weaknesses) + len(self.recommendations)

    @property
    def sections(self):
        """[(kind, findings)] in the report's order: strengths, weaknesses, recommendations."""
        return [
            (Finding.Kind.STRENGTH, self.strengths),
            (Finding.Kind.WEAKNESS, self.weaknesses),
            (Finding.Kind.RECOMMENDATION, self.recommendations),
        ]

    def of_kind(self, kind):
        return {
            Finding.Kind.STRENGTH: self.strengths,
            Finding.Kind.WEAKNESS: self.weaknesses,
            Finding.Kind.RECOMMENDATION: self.recommendations,
        }[kind]


def findings_by_aspect(cycle):
    """[AspectFindings] for every aspect of the cycle's framework in tree order, each list in
    its own order; every recommendation comes with its `follow_ups` (and their OPDs)
    prefetched. Three queries."""
    groups = {aspect.pk: AspectFindings(aspect) for aspect in aspects_of(cycle.framework)}
    rows = Finding.objects.filter(cycle=cycle).prefetch_related(
        Prefetch("follow_ups", queryset=FollowUp.objects.select_related("agency"))
    )
    for finding in rows.order_by("position", "pk"):
        group = groups.get(finding.aspect_id)
        if group is not None:
            group.of_kind(finding.kind).append(finding)
    return list(groups.values())


def follow_ups_of(cycle):
    """The follow-ups created in this cycle (on its recommendations), earliest due first."""
    return FollowUp.objects.filter(cycle=cycle).select_related(*FOLLOW_UP_RELATED)


def carried_follow_ups(cycle):
    """The follow-ups of earlier cycles carried into this one (still open when it opened)."""
    return FollowUp.objects.filter(carried_to=cycle).select_related(*FOLLOW_UP_RELATED)


def _open_in(cycle):
    return Q(follow_ups__status__in=FollowUp.OPEN_STATUSES) & (
        Q(follow_ups__cycle=cycle) | Q(follow_ups__carried_to=cycle)
    )


def open_items_by_agency(cycle):
    """[(agency, count)] of open follow-ups per OPD, originated in this cycle or carried into
    it, most first (then by name). One query."""
    agencies = (
        Agency.objects.filter(_open_in(cycle))
        .annotate(open_count=Count("follow_ups", distinct=True))
        .order_by("-open_count", "name")
    )
    return [(agency, agency.open_count) for agency in agencies]


def open_follow_ups_of(agencies):
    """The open follow-ups of every cycle of `agencies` OPDs, earliest due first, with
    their cycle and its institution, the cycle they were carried to and their OPD (what the
    OPD's list and the waiting list show). One statement: an operator's home and portal
    read it on every visit, and as an ORM query with its four joins it cost ~2 ms to build
    and read four rows (monev.plain)."""
    pks = [agency.pk for agency in agencies]
    if not pks:
        return []
    follow_ups = []
    for row in plain.fetch(_open_follow_ups_sql(len(pks)), [*pks, *FollowUp.OPEN_STATUSES]):
        follow_up, cycle, institution, agency, carried_to = plain.instances(
            (FollowUp, Cycle, Institution, Agency, Cycle), row
        )
        cycle.institution = institution
        follow_up.cycle, follow_up.agency, follow_up.carried_to = cycle, agency, carried_to
        follow_ups.append(follow_up)
    return follow_ups


@functools.cache
def _open_follow_ups_sql(count):
    select = plain.select(
        (FollowUp, "f"),
        (Cycle, "c", "f.cycle"),
        (Institution, "i", "c.institution"),
        (Agency, "a", "f.agency"),
        (Cycle, "t", "f.carried_to", "outer"),
    )

    def col(field):
        return plain.column(FollowUp, field, "f")

    statuses = plain.placeholders(len(FollowUp.OPEN_STATUSES))
    return (
        f"{select}WHERE {col('agency')} IN ({plain.placeholders(count)}) "
        f"AND {col('status')} IN ({statuses}) ORDER BY {col('due_date')}, {col('id')}"
    )


def follow_ups_for_agency(agency):
    """The OPD's open follow-ups of every cycle, earliest due first. One query."""
    return open_follow_ups_of([agency])
