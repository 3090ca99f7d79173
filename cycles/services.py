"""Writes to cycles: opening one, its assignments, and the clock of its SOP steps.
Every function checks permission, runs in one transaction, writes an audit event, and
notifies after commit (see notifications.services.notify)."""

import json
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from cycles import permissions
from cycles.models import Assignment, Cycle, StepRun
from frameworks.services import freeze_framework
from institutions.models import Role, User
from notifications.services import settle
from sops.queries import current_sop

DEFAULT_ASSIGNMENTS = Path(__file__).resolve().parent / "data" / "default-assignments.json"


def propose_assignments(framework, agencies):
    """{indicator Node: [Agency]} proposed from the functions each OPD covers."""
    functions_by_number = json.loads(DEFAULT_ASSIGNMENTS.read_text()).get(framework.code, {})
    proposal = {}
    for indicator in framework.nodes.filter(children__isnull=True).order_by("position"):
        wanted = set(functions_by_number.get(str(indicator.number), []))
        proposal[indicator] = [a for a in agencies if wanted & set(a.functions)]
    return proposal


def open_cycle(
    *,
    by,
    year,
    framework,
    agencies,
    deadline,
    contact_person,
    contact_phone="",
    assignments=None,
    copied_from=None,
):
    """Open a monev cycle (SOP step 1 starts, held by the coordinator who opens it).

    `assignments` maps indicator nodes to lists of agencies; None proposes them from the
    agencies' functions. Side effects: the framework version is frozen; one StepRun per SOP
    step; audit event "cycle.opened"; the still-open follow-ups of earlier cycles are
    carried into this one (followups.services.carry_follow_ups); last year's evaluator team
    decree is copied as a draft to confirm (cycles.team.carry_decree).
    """
    institution = by.institution
    if institution is None or not permissions.can_open_cycle(by, institution):
        raise PermissionDenied
    sop = current_sop(institution)
    if sop is None:
        raise ValidationError(_("Instansi ini belum memiliki SOP Monev SPBE."))
    exists = ValidationError(_("Periode monev tahun %(year)s sudah ada.") % {"year": year})
    if Cycle.objects.filter(institution=institution, year=year).exists():
        raise exists
    agencies = list(agencies)
    if not agencies:
        raise ValidationError(_("Pilih setidaknya satu OPD peserta."))
    if any(a.institution_id != institution.pk for a in agencies):
        raise PermissionDenied
    if assignments is None:
        assignments = propose_assignments(framework, agencies)
    with transaction.atomic():
        freeze_framework(framework, by=by)
        try:
            with transaction.atomic():  # a savepoint, for the unique year below
                cycle = Cycle.objects.create(
                    institution=institution,
                    year=year,
                    name=_("Monev SPBE %(year)s") % {"year": year},
                    framework=framework,
                    sop=sop,
                    deadline=deadline,
                    contact_person=contact_person,
                    contact_phone=contact_phone,
                    copied_from=copied_from,
                    created_by=by,
                )
        except IntegrityError:  # opened by a concurrent request a moment ago (a double click)
            raise exists from None
        cycle.agencies.set(agencies)
        _write_assignments(cycle, assignments)
        StepRun.objects.bulk_create(
            StepRun(cycle=cycle, step=step, number=step.number) for step in sop.steps.all()
        )
        start_step(cycle, 1, by=by, holder=by)
        record_event(
            "cycle.opened",
            by=by,
            target=cycle,
            after={
                "year": year,
                "framework": f"{framework.code}@{framework.version}",
                "sop": f"{sop.code}@{sop.version}",
                "agencies": len(agencies),
                "deadline": deadline.isoformat(),
            },
        )
        from followups.services import carry_follow_ups  # local: followups builds on cycles

        carry_follow_ups(cycle, by=by)
        _carry_team_decree(cycle, by=by)
    return cycle


def _carry_team_decree(cycle, *, by):
    """Last year's evaluator team decree (of the cycle copied from, else of the year
    before), as a draft to confirm (cycles.team.carry_decree)."""
    from cycles.queries import previous_cycle  # queries' matrix imports this module
    from cycles.team import carry_decree

    carry_decree(cycle, previous_cycle(cycle), by=by)


def copy_cycle(source, *, by, year, deadline, contact_person=None, contact_phone=None):
    """Open this year's cycle from last year's: same participants and assignments."""
    previous = {}
    for assignment in source.assignments.select_related("indicator", "agency"):
        previous.setdefault(assignment.indicator, []).append(assignment.agency)
    return open_cycle(
        by=by,
        year=year,
        framework=source.framework,
        agencies=source.agencies.filter(is_active=True),
        deadline=deadline,
        contact_person=contact_person or source.contact_person,
        contact_phone=source.contact_phone if contact_phone is None else contact_phone,
        assignments=previous,
        copied_from=source,
    )


def _write_assignments(cycle, assignments):
    pairs, _indicators = _valid_pairs(cycle, assignments)
    Assignment.objects.bulk_create(
        Assignment(cycle=cycle, indicator_id=indicator_id, agency_id=agency_id)
        for indicator_id, agency_id in sorted(pairs)
    )


def _check_assignable(cycle, by):
    """Who may change the assignment, and when: the coordinator, until the cycle closes.
    Dispatching the data request does not freeze it (the OPDs' portals show the change)."""
    if not permissions.can_manage_cycle(by, cycle):
        raise PermissionDenied
    permissions.check_not_closed(cycle)


def _replace_assignments(cycle, wanted, *, indicators):
    """Make the cycle's (indicator_id, agency_id) pairs of `indicators` (pks) exactly
    `wanted`, in one delete and one insert, with the cycle row locked so that two saves at
    once replace the rows one after the other. Returns (before, added, removed) counts, or
    None when nothing changes (the same matrix again: a double click, a retry)."""
    Cycle.objects.select_for_update().get(pk=cycle.pk)
    scope = cycle.assignments.filter(indicator_id__in=indicators)
    current = set(scope.values_list("indicator_id", "agency_id"))
    if current == wanted:
        return None
    scope.delete()
    Assignment.objects.bulk_create(
        Assignment(cycle=cycle, indicator_id=indicator_id, agency_id=agency_id)
        for indicator_id, agency_id in sorted(wanted)
    )
    return len(current), len(wanted - current), len(current - wanted)


def _valid_pairs(cycle, assignments):
    """{(indicator_id, agency_id)} of `assignments` ({indicator: [agency]}), refused when an
    indicator is not in the cycle's framework or an OPD does not take part."""
    participants = set(cycle.agencies.values_list("pk", flat=True))
    indicators = set(
        cycle.framework.nodes.filter(children__isnull=True).values_list("pk", flat=True)
    )
    pairs = set()
    for indicator, agencies in assignments.items():
        if indicator.pk not in indicators:
            raise ValidationError(_("Indikator bukan bagian dari kerangka periode ini."))
        for agency in agencies:
            if agency.pk not in participants:
                raise ValidationError(
                    _("%(agency)s bukan OPD peserta periode ini.") % {"agency": agency}
                )
            pairs.add((indicator.pk, agency.pk))
    return pairs, indicators


def set_assignments(cycle, assignments, *, by, indicators=None):
    """Replace the OPDs of the cycle's indicators with `assignments` ({indicator: [agency]})
    as one write. `indicators` limits the replacement to those indicators (the rows a
    filtered matrix showed): the others keep their OPDs; None replaces every indicator.

    Refused (ValidationError) in a closed cycle. Side effects: audit event
    "cycle.assignments_set" with the counts before, added and removed. The same assignment
    again (a double click, a retry) changes nothing and records nothing. Returns whether
    anything changed."""
    _check_assignable(cycle, by)
    wanted, every = _valid_pairs(cycle, assignments)
    scope = every if indicators is None else {node.pk for node in indicators} & every
    wanted = {pair for pair in wanted if pair[0] in scope}
    with transaction.atomic():
        changed = _replace_assignments(cycle, wanted, indicators=scope)
        if changed is None:
            return False
        before, added, removed = changed
        record_event(
            "cycle.assignments_set",
            by=by,
            target=cycle,
            before={"assignments": before},
            after={
                "assignments": cycle.assignments.count(),
                "indicators": len(scope),
                "added": added,
                "removed": removed,
            },
        )
    return True


@dataclass(frozen=True)
class CopiedAssignments:
    source: Cycle | None
    copied: int  # (indicator, OPD) pairs taken over
    skipped: int  # pairs of last year whose indicator or OPD is not in this cycle


def copy_previous_assignments(cycle, *, by):
    """Replace the cycle's assignment with the previous cycle's (cycles.queries.
    previous_cycle), as one write. Indicators are matched by code (a newer framework
    version keeps its codes); a pair whose indicator is not in this cycle's framework or
    whose OPD does not take part in this cycle is skipped.

    Refused (ValidationError) without a previous cycle or in a closed cycle. Side effects:
    audit event "cycle.assignments_copied" with the source, counts copied and skipped
    (none when the assignment was already the same). Returns CopiedAssignments."""
    from cycles.queries import previous_cycle  # queries' matrix imports this module

    _check_assignable(cycle, by)
    source = previous_cycle(cycle)
    if source is None:
        raise ValidationError(_("Tidak ada periode sebelumnya untuk disalin."), code="none")
    indicators = dict(cycle.framework.nodes.filter(children__isnull=True).values_list("code", "pk"))
    participants = set(cycle.agencies.values_list("pk", flat=True))
    wanted, skipped = set(), 0
    for code, agency_id in source.assignments.values_list("indicator__code", "agency_id"):
        if code in indicators and agency_id in participants:
            wanted.add((indicators[code], agency_id))
        else:
            skipped += 1
    with transaction.atomic():
        changed = _replace_assignments(cycle, wanted, indicators=set(indicators.values()))
        if changed is not None:
            record_event(
                "cycle.assignments_copied",
                by=by,
                target=cycle,
                before={"assignments": changed[0]},
                after={"source": source.pk, "copied": len(wanted), "skipped": skipped},
            )
    return CopiedAssignments(source, len(wanted), skipped)


def assign_unassigned(cycle, agency, *, by):
    """Assign every indicator that no OPD answers yet to `agency`, as one write.

    Refused (ValidationError) when the OPD does not take part or the cycle is closed. Side
    effects: audit event "cycle.assignments_filled" with the OPD and the indicators'
    numbers (none when nothing was left). Returns the indicators assigned, in order."""
    _check_assignable(cycle, by)
    if not cycle.agencies.filter(pk=agency.pk).exists():
        raise ValidationError(
            _("%(agency)s bukan OPD peserta periode ini.") % {"agency": agency}, code="agency"
        )
    with transaction.atomic():
        Cycle.objects.select_for_update().get(pk=cycle.pk)
        indicators = list(
            cycle.framework.nodes.filter(children__isnull=True)
            .exclude(pk__in=cycle.assignments.values("indicator_id"))
            .order_by("position")
        )
        if not indicators:
            return []
        Assignment.objects.bulk_create(
            Assignment(cycle=cycle, indicator=indicator, agency=agency) for indicator in indicators
        )
        record_event(
            "cycle.assignments_filled",
            by=by,
            target=cycle,
            after={"agency": agency.pk, "indicators": [node.number for node in indicators]},
        )
    return indicators


def start_step(cycle, number, *, by, holder=None):
    """Start SOP step `number` now (no-op when it already started). Audit "step.started"."""
    run = StepRun.objects.select_for_update().get(cycle=cycle, number=number)
    if run.started_at is not None:
        return run
    run.status = StepRun.Status.RUNNING
    run.started_at = timezone.now()
    run.holder = holder
    run.save(update_fields=["status", "started_at", "holder"])
    record_event("step.started", by=by, target=run, after={"step": number})
    return run


def finish_step(cycle, number, *, by, output=""):
    """Finish SOP step `number` now with its output (no-op when already done).
    Audit event "step.finished"; the step's late / due-soon reminders are marked read."""
    run = StepRun.objects.select_for_update().get(cycle=cycle, number=number)
    if run.status == StepRun.Status.DONE:
        return run
    if run.started_at is None:
        run.started_at = timezone.now()
    run.status = StepRun.Status.DONE
    run.finished_at = timezone.now()
    run.finished_by = by
    run.output = output
    run.save(update_fields=["status", "started_at", "finished_at", "finished_by", "output"])
    record_event("step.finished", by=by, target=run, after={"step": number, "output": output})
    settle(prefixes=[f"step:{run.pk}:"])
    return run


def hand_over_step(cycle, number, *, by, holder):
    """Record who holds a running step now (e.g. back to the coordinator after a return)."""
    run = StepRun.objects.select_for_update().get(cycle=cycle, number=number)
    before = run.holder_id
    run.holder = holder
    run.save(update_fields=["holder"])
    record_event(
        "step.handed_over",
        by=by,
        target=run,
        before={"holder": before},
        after={"holder": holder.pk if holder else None},
    )
    return run


def role_holders(cycle, role):
    """The users of the cycle's institution who hold `role` (for notifications)."""
    return User.objects.filter(
        institution=cycle.institution, is_active=True, memberships__role=role
    ).distinct()


def agency_operators(agencies):
    """Active operators of the given OPDs (for notifications)."""
    return User.objects.filter(
        is_active=True, memberships__role=Role.AGENCY, memberships__agency__in=agencies
    ).distinct()
