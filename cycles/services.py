"""Writes to cycles: opening one, its assignments, and the clock of its SOP steps.
Every function checks permission, runs in one transaction, writes an audit event, and
notifies after commit (see notifications.services.notify)."""

import json
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
    carried into this one (followups.services.carry_follow_ups).
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
    return cycle


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
    participants = set(cycle.agencies.values_list("pk", flat=True))
    indicators = set(
        cycle.framework.nodes.filter(children__isnull=True).values_list("pk", flat=True)
    )
    rows = []
    for indicator, agencies in assignments.items():
        if indicator.pk not in indicators:
            raise ValidationError(_("Indikator bukan bagian dari kerangka periode ini."))
        for agency in agencies:
            if agency.pk not in participants:
                raise ValidationError(
                    _("%(agency)s bukan OPD peserta periode ini.") % {"agency": agency}
                )
            rows.append(Assignment(cycle=cycle, indicator=indicator, agency=agency))
    Assignment.objects.bulk_create(rows)


def set_assignments(cycle, assignments, *, by):
    """Replace the cycle's indicator → OPD assignment. Audit event "cycle.assignments_set".
    The same assignment again (a double click, a retry) changes nothing."""
    if not permissions.can_manage_cycle(by, cycle):
        raise PermissionDenied
    wanted = {
        (indicator.pk, agency.pk)
        for indicator, agencies in assignments.items()
        for agency in agencies
    }
    with transaction.atomic():
        # Lock the cycle: two saves at once replace the rows one after the other.
        Cycle.objects.select_for_update().get(pk=cycle.pk)
        current = set(cycle.assignments.values_list("indicator_id", "agency_id"))
        if current == wanted:
            return
        before = len(current)
        cycle.assignments.all().delete()
        _write_assignments(cycle, assignments)
        record_event(
            "cycle.assignments_set",
            by=by,
            target=cycle,
            before={"assignments": before},
            after={"assignments": cycle.assignments.count()},
        )


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
