"""Reminders to the OPDs while they collect their data (SOP step 4): on the days before the
deadline listed in settings.OPD_REMINDER_DAYS, and once after it, each OPD that still owes
answers is told exactly which. Run periodically by `manage.py run_periodic`."""

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_noop
from django_tasks import task

from cycles.models import StepRun
from institutions.models import Membership, Role
from notifications import noop
from notifications.messages import day, phrase
from notifications.services import notify
from recap.queries import local_today, recap_matrix

LATE = "late"


def reminder_moment(days_left, reminder_days):
    """Which reminder is due `days_left` days before the deadline: "late" after it, else
    "d<N>" for the smallest N of `reminder_days` not below `days_left` (so a run missed on
    day N still reminds the next day), or None when it is too early."""
    if days_left < 0:
        return LATE
    due = [n for n in reminder_days if n >= days_left]
    return f"d{min(due)}" if due else None


def reminder_message(cycle, row, days_left):
    """(template, params) of the reminder, e.g. "Monev SPBE 2026, BKPSDM: 3 hari lagi (15
    Desember 2026). Belum diajukan: indikator 25, 36. Dikembalikan untuk diperbaiki: indikator
    41." Each sentence is a phrase; the template only places them side by side."""
    values = {
        "cycle": cycle.name,
        "agency": row.agency.short_name,
        "n": days_left,
        "date": day(cycle.deadline),
    }
    if days_left < 0:
        when = phrase(
            gettext_noop("%(cycle)s, %(agency)s: batas waktu pengisian (%(date)s) sudah lewat."),
            values,
        )
    elif days_left == 0:
        when = phrase(
            gettext_noop("%(cycle)s, %(agency)s: batas waktu pengisian hari ini (%(date)s)."),
            values,
        )
    else:
        when = noop.ngettext(
            "%(cycle)s, %(agency)s: %(n)s hari lagi (%(date)s).",
            "%(cycle)s, %(agency)s: %(n)s hari lagi (%(date)s).",
            days_left,
            values,
        )
    params = {"when": when}
    if row.unanswered:
        params["unanswered"] = phrase(
            gettext_noop("Belum diajukan: indikator %(numbers)s."), _numbers(row.unanswered)
        )
    if row.returned:
        params["returned"] = phrase(
            gettext_noop("Dikembalikan untuk diperbaiki: indikator %(numbers)s."),
            _numbers(row.returned),
        )
    return " ".join(f"%({name})s" for name in params), params


def _numbers(indicators):
    return {"numbers": ", ".join(node.number for node in indicators)}


def portal_url(cycle, agency):
    """The OPD's own page of the cycle's answers (the submissions app's `portal`)."""
    try:
        return reverse("portal", args=[cycle.pk, agency.pk])
    except NoReverseMatch:  # until the submissions app names its portal page
        return f"/isian/{cycle.pk}/opd/{agency.pk}/"


def operators_by_agency(agencies):
    """{agency pk: [active operators]} of the given OPDs, in one query."""
    operators = {}
    memberships = Membership.objects.filter(
        role=Role.AGENCY, agency__in=agencies, user__is_active=True
    ).select_related("user")
    for membership in memberships:
        operators.setdefault(membership.agency_id, []).append(membership.user)
    return operators


def remind_agencies(cycle, *, now=None):
    """Remind the operators of each OPD of `cycle` that has unanswered or returned indicators,
    if a reminder is due today (in the institution's time zone). An OPD whose assigned
    indicators are all submitted or accepted gets nothing.

    Side effects: one notification (and e-mail) per operator, keyed per (cycle, OPD, moment),
    so a moment is never sent twice. Returns the number of notifications sent.
    """
    days_left = (cycle.deadline - local_today(cycle.institution, now)).days
    moment = reminder_moment(days_left, settings.OPD_REMINDER_DAYS)
    if moment is None:
        return 0
    matrix = recap_matrix(cycle, today=local_today(cycle.institution, now))
    rows = [row for row in matrix.rows if not row.is_done]
    operators = operators_by_agency([row.agency for row in rows])
    sent = 0
    for row in rows:
        with transaction.atomic():
            template, params = reminder_message(cycle, row, days_left)
            created = notify(
                operators.get(row.agency.pk, []),
                key=f"opd-reminder:{cycle.pk}:{row.agency.pk}:{moment}",
                template=template,
                params=params,
                url=portal_url(cycle, row.agency),
            )
        sent += len(created)
    return sent


def remind_collecting_agencies(*, now=None):
    """Run `remind_agencies` for every cycle whose OPD data-collection step is running (the
    step the OPDs hold: step 4 of the shipped SOPs). Returns the number of notifications."""
    runs = StepRun.objects.filter(status=StepRun.Status.RUNNING).select_related(
        "cycle__institution", "step"
    )
    return sum(remind_agencies(run.cycle, now=now) for run in runs if run.step.owner == Role.AGENCY)


@task()
def send_opd_reminders():
    """Background task: the OPD reminders due now (see remind_collecting_agencies)."""
    return remind_collecting_agencies()
