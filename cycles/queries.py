"""Reads of cycles reused by views and reports: the live state of every SOP step."""

import zoneinfo
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from cycles.clock import Calendar, Elapsed, measure
from cycles.models import Cycle, StepRun
from documents.formal import long_date
from sops.durations import duration_text
from sops.models import StepState


def previous_cycle(cycle):
    """The cycle this one was copied from, else the institution's cycle of the year before."""
    if cycle.copied_from_id is not None:
        source = Cycle.objects.filter(
            pk=cycle.copied_from_id, institution_id=cycle.institution_id
        ).first()
        if source is not None:
            return source
    return Cycle.objects.filter(institution_id=cycle.institution_id, year=cycle.year - 1).first()


@dataclass(frozen=True)
class StepLine:
    run: StepRun
    state: StepState
    elapsed: Elapsed | None
    note: str

    @property
    def step(self):
        return self.run.step


def step_lines(cycle, *, now=None):
    """Every SOP step of the cycle with its state, time against the standard and a note."""
    now = now or timezone.now()
    calendar = Calendar.for_institution(cycle.institution)
    zone = cycle.institution.time_zone
    runs = cycle.step_runs.select_related("step", "holder", "finished_by")
    lines = []
    for run in runs:
        elapsed = None
        if run.started_at:
            elapsed = measure(
                run.step, run.started_at, run.finished_at or now, calendar=calendar, time_zone=zone
            )
        lines.append(_line(cycle, run, elapsed, zoneinfo.ZoneInfo(zone)))
    return lines


def _line(cycle, run, elapsed, zone):
    if run.status == StepRun.Status.WAITING:
        return StepLine(run, StepState.PENDING, None, _("menunggu langkah sebelumnya"))
    took = duration_text(elapsed.value, elapsed.unit)
    if run.status == StepRun.Status.DONE:
        note = _("selesai %(date)s, %(took)s") % {
            "date": long_date(run.finished_at.astimezone(zone).date()),
            "took": took,
        }
        if elapsed.is_late:
            note += " — " + _("melebihi standar %(over)s") % {
                "over": duration_text(elapsed.overrun, elapsed.unit)
            }
        return StepLine(run, StepState.DONE, elapsed, note)
    who = run.holder.get_full_name() if run.holder else cycle.sop.actor_name(run.step.owner)
    note = _("dipegang %(who)s sejak %(date)s, %(took)s") % {
        "who": who,
        "date": long_date(run.started_at.astimezone(zone).date()),
        "took": took,
    }
    if elapsed.is_late:
        note += " — " + _("terlambat %(over)s") % {
            "over": duration_text(elapsed.overrun, elapsed.unit)
        }
        return StepLine(run, StepState.LATE, elapsed, note)
    return StepLine(run, StepState.IN_PROGRESS, elapsed, note)


def cycles_for(user):
    return Cycle.objects.filter(institution_id=user.institution_id).select_related(
        "framework", "sop"
    )


@dataclass(frozen=True)
class AssignmentRow:
    indicator: object
    parent: object
    agency_ids: frozenset

    @property
    def short_name(self):
        return short_indicator_name(self.indicator.name)


def short_indicator_name(name):
    """The indicator's name without what every indicator's name says ("Tingkat Kematangan
    ...", "... Instansi Pusat/Pemerintah Daerah"), for the columns of narrow tables."""
    for prefix in ("Tingkat Kematangan ",):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    for suffix in (" Instansi Pusat/Pemerintah Daerah",):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name


def framework_indicators(cycle):
    """The indicators of the cycle's framework in order, with their aspect and domain."""
    return list(
        cycle.framework.nodes.filter(children__isnull=True)
        .select_related("parent__parent")
        .order_by("position")
    )


def assigned_pairs(cycle):
    """{(indicator_id, agency_id)} of the cycle's saved assignment (one query)."""
    return set(cycle.assignments.values_list("indicator_id", "agency_id"))


def assignment_rows(cycle, *, pairs=None, indicators=None):
    """One row per indicator of the cycle's framework with the OPDs assigned to it (or
    ticked in `pairs`, e.g. a proposal not saved yet)."""
    if pairs is None:
        pairs = assigned_pairs(cycle)
    assigned = {}
    for indicator_id, agency_id in pairs:
        assigned.setdefault(indicator_id, set()).add(agency_id)
    if indicators is None:
        indicators = framework_indicators(cycle)
    return [
        AssignmentRow(node, node.parent, frozenset(assigned.get(node.pk, ())))
        for node in indicators
    ]


@dataclass(frozen=True)
class AssignmentGroup:
    """The indicators of one aspect (the parent node), under its domain."""

    aspect: object
    rows: list

    @property
    def domain(self):
        return self.aspect.parent if self.aspect else None


@dataclass(frozen=True)
class AssignmentMatrix:
    """The OPD x indicator matrix of a cycle: the groups shown (every aspect, or the one
    filtered on), the aspects to filter by, the participating OPDs with the number of
    indicators each has outside the rows shown, and the state it starts from."""

    agencies: list
    groups: list
    aspects: list
    aspect: object  # the aspect filtered on, or None
    is_proposal: bool  # the ticks are the proposal from OPD functions, not saved
    has_saved: bool  # the cycle has a saved assignment
    unassigned: int  # indicators without an OPD in the saved assignment
    outside: dict  # {agency_id: indicators ticked outside the rows shown}

    @property
    def rows(self):
        return [row for group in self.groups for row in group.rows]

    @property
    def empty_rows(self):
        return sum(1 for row in self.rows if not row.agency_ids)

    @property
    def columns(self):
        """(agency, indicators ticked in total, of them outside the rows shown) for the
        column heads."""
        ticked = {agency.pk: self.outside.get(agency.pk, 0) for agency in self.agencies}
        for row in self.rows:
            for agency_id in row.agency_ids:
                ticked[agency_id] = ticked.get(agency_id, 0) + 1
        return [
            (agency, ticked[agency.pk], self.outside.get(agency.pk, 0)) for agency in self.agencies
        ]


def assignment_matrix(cycle, *, aspect_code="", proposal=False):
    """The matrix for the assignment page, in four queries whatever the number of OPDs and
    indicators (OPDs, indicators with their aspect and domain, assignments, and the
    proposal's indicators when it is shown). `proposal` shows the proposal from the OPDs'
    functions instead of the saved assignment; a cycle with nothing saved shows it anyway."""
    from cycles.services import propose_assignments  # services build on queries

    agencies = list(cycle.agencies.order_by("short_name"))
    indicators = framework_indicators(cycle)
    saved = assigned_pairs(cycle)
    is_proposal = proposal or not saved
    pairs = saved
    if is_proposal:
        pairs = {
            (indicator.pk, agency.pk)
            for indicator, proposed in propose_assignments(cycle.framework, agencies).items()
            for agency in proposed
        }
    aspects = list({node.parent_id: node.parent for node in indicators}.values())
    aspect = next((node for node in aspects if node.code == aspect_code), None)
    shown = [node for node in indicators if aspect is None or node.parent_id == aspect.pk]
    shown_ids = {node.pk for node in shown}
    outside = {}
    for indicator_id, agency_id in pairs:
        if indicator_id not in shown_ids:
            outside[agency_id] = outside.get(agency_id, 0) + 1
    groups = {}
    for row in assignment_rows(cycle, pairs=pairs, indicators=shown):
        groups.setdefault(row.parent, []).append(row)
    return AssignmentMatrix(
        agencies=agencies,
        groups=[AssignmentGroup(parent, rows) for parent, rows in groups.items()],
        aspects=aspects,
        aspect=aspect,
        is_proposal=is_proposal,
        has_saved=bool(saved),
        unassigned=len(indicators) - len({indicator_id for indicator_id, _ in saved}),
        outside=outside,
    )


def unassigned_indicators(cycle):
    return (
        cycle.framework.nodes.filter(children__isnull=True)
        .exclude(pk__in=cycle.assignments.values("indicator_id"))
        .order_by("position")
    )


def unassigned_count(cycle):
    """How many indicators of the cycle no OPD answers (one query)."""
    return unassigned_indicators(cycle).count()


def compliance_summary(lines):
    """Mutu Baku compliance of a cycle: steps done within / over their time standard."""
    measured = [line for line in lines if line.elapsed is not None]
    done = [line for line in measured if line.run.status == StepRun.Status.DONE]
    return {
        "steps": len(lines),
        "done": len(done),
        "on_time": sum(1 for line in done if not line.elapsed.is_late),
        "late": sum(1 for line in measured if line.elapsed.is_late),
    }
