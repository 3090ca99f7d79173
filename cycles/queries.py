"""Reads of cycles reused by views and reports: the live state of every SOP step."""

import zoneinfo
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from cycles.clock import Calendar, Elapsed, measure
from cycles.models import Cycle, StepRun
from documents.dates import long_date
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


def running_steps_for(user, roles):
    """Running steps across the user's cycles that the user or one of their roles holds."""
    runs = StepRun.objects.filter(
        cycle__institution_id=user.institution_id, status=StepRun.Status.RUNNING
    ).select_related("cycle", "step", "holder")
    return [
        run
        for run in runs
        if run.holder_id == user.pk or (run.holder_id is None and run.step.owner in roles)
    ]


@dataclass(frozen=True)
class AssignmentRow:
    indicator: object
    parent: object
    agency_ids: frozenset


def assignment_rows(cycle):
    """One row per indicator of the cycle's framework with the OPDs assigned to it."""
    assigned = {}
    for indicator_id, agency_id in cycle.assignments.values_list("indicator_id", "agency_id"):
        assigned.setdefault(indicator_id, set()).add(agency_id)
    indicators = (
        cycle.framework.nodes.filter(children__isnull=True)
        .select_related("parent")
        .order_by("position")
    )
    return [
        AssignmentRow(node, node.parent, frozenset(assigned.get(node.pk, ())))
        for node in indicators
    ]


def unassigned_indicators(cycle):
    return (
        cycle.framework.nodes.filter(children__isnull=True)
        .exclude(pk__in=cycle.assignments.values("indicator_id"))
        .order_by("position")
    )


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
