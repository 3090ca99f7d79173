"""Background jobs of the SOP clock: reminders before a step's time standard runs out and
when it is late. Run periodically by `manage.py run_periodic` (cron or its --loop)."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks import task

from cycles.clock import Calendar, measure
from cycles.models import StepRun
from cycles.services import agency_operators, role_holders
from institutions.models import Role
from notifications.messages import day
from notifications.services import notify
from sops.models import TimeUnit

# Remind when this much of the standard is left (in the step's own unit).
REMIND_BEFORE = {TimeUnit.WORKING_DAYS: 1, TimeUnit.MINUTES: 10}


def step_recipients(run):
    if run.holder_id:
        return [run.holder]
    if run.step.owner == Role.AGENCY:
        return agency_operators(run.cycle.agencies.all())
    return role_holders(run.cycle, run.step.owner)


@task()
def send_step_reminders():
    """Notify who holds each running step when it is nearly due and when it is late.
    Each (step, moment) notifies a person once, however often this runs."""
    now = timezone.now()
    calendars = {}
    runs = StepRun.objects.filter(status=StepRun.Status.RUNNING).select_related(
        "cycle__institution", "step", "holder"
    )
    sent = 0
    for run in runs:
        institution = run.cycle.institution
        if institution.pk not in calendars:
            calendars[institution.pk] = Calendar.for_institution(institution)
        elapsed = measure(
            run.step,
            run.started_at,
            now,
            calendar=calendars[institution.pk],
            time_zone=institution.time_zone,
        )
        values = {"n": run.number, "cycle": run.cycle.name, "due": day(elapsed.due.date())}
        if elapsed.is_late:
            key = f"step:{run.pk}:late"
            template = gettext_noop("Langkah %(n)s %(cycle)s terlambat: batas waktunya %(due)s.")
        elif elapsed.standard - elapsed.value <= REMIND_BEFORE[elapsed.unit]:
            key = f"step:{run.pk}:due-soon"
            template = gettext_noop("Langkah %(n)s %(cycle)s harus selesai %(due)s.")
        else:
            continue
        url = reverse("cycle_detail", args=[run.cycle_id]) + f"#langkah-{run.number}"
        with transaction.atomic():
            created = notify(
                step_recipients(run), key=key, template=template, params=values, url=url
            )
            sent += len(created)
    return sent
