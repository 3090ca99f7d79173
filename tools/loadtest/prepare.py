"""Make the loaded data a deadline day and write the load test's plan (who works on what).

    .venv/bin/python tools/loadtest/prepare.py PLAN.json

Run by scripts/loadtest against the throwaway database (DATABASE_URL, MEDIA_ROOT) after the
data are loaded. For each institution, its latest cycle is the one being answered: when its
collection (SOP step 4) is not closed, its deadline is set to tomorrow in the institution's
time, so every OPD's window is open whatever the hour of the run (the demo's deadline is three
days ago, with only two OPDs reopened). This is a direct update, a test fixture: no service
writes a deadline after the cycle is opened.

The plan lists per institution: that cycle, the cycle of the year before (its result page and
meeting mode screen), the coordinators, and per OPD its operator accounts and the indicators
it can still change (assigned, not handed in or accepted), in a fixed order.
"""

import datetime
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monev.settings")

import django  # noqa: E402

django.setup()

from cycles.models import Cycle, StepRun  # noqa: E402
from institutions.models import Institution, Role, User  # noqa: E402
from submissions import queries  # noqa: E402
from submissions.models import Submission  # noqa: E402

PASSWORD = "monev-demo"
LOCKED = (Submission.Status.SUBMITTED, Submission.Status.ACCEPTED)


def open_collection(cycle):
    """Deadline tomorrow (institution time) unless the collection was closed."""
    if StepRun.objects.filter(cycle=cycle, number=4, status=StepRun.Status.DONE).exists():
        return False
    tomorrow = queries.local_today(cycle) + datetime.timedelta(days=1)
    Cycle.objects.filter(pk=cycle.pk).update(deadline=tomorrow)
    return True


def agencies_of(cycle):
    locked = set(
        Submission.objects.filter(cycle=cycle, status__in=LOCKED).values_list(
            "agency_id", "indicator_id"
        )
    )
    editable = {}
    for agency_id, indicator_id in cycle.assignments.order_by(
        "agency_id", "indicator__position"
    ).values_list("agency_id", "indicator_id"):
        if (agency_id, indicator_id) not in locked:
            editable.setdefault(agency_id, []).append(indicator_id)
    accounts = {}
    for agency_id, username in (
        User.objects.filter(
            is_active=True, memberships__role=Role.AGENCY, memberships__agency__in=list(editable)
        )
        .order_by("username")
        .values_list("memberships__agency", "username")
    ):
        accounts.setdefault(agency_id, []).append(username)
    return [
        {"pk": agency_id, "accounts": accounts[agency_id], "indicators": indicators}
        for agency_id, indicators in sorted(editable.items())
        if agency_id in accounts
    ]


def institution_plan(institution):
    cycles = list(Cycle.objects.filter(institution=institution).order_by("-year")[:2])
    if not cycles:
        return None
    current = cycles[0]
    previous = cycles[1] if len(cycles) > 1 else None
    if not open_collection(current):
        return None
    first_indicator = None
    if previous is not None:
        first_indicator = (
            previous.framework.nodes.filter(children__isnull=True)
            .order_by("position")
            .values_list("pk", flat=True)
            .first()
        )
    coordinators = list(
        User.objects.filter(
            institution=institution, is_active=True, memberships__role=Role.COORDINATOR
        )
        .order_by("username")
        .values_list("username", flat=True)
    )
    return {
        "slug": institution.slug,
        "cycle": current.pk,
        "previous": previous.pk if previous else None,
        "meeting_indicator": first_indicator,
        "coordinators": coordinators,
        "agencies": agencies_of(current),
    }


def main(path):
    plans = [plan for i in Institution.objects.order_by("pk") if (plan := institution_plan(i))]
    plans = [plan for plan in plans if plan["coordinators"] and plan["agencies"]]
    if not plans:
        sys.exit("no institution has a cycle open for answers with coordinators and operators")
    Path(path).write_text(json.dumps({"password": PASSWORD, "institutions": plans}, indent=1))
    pairs = sum(len(a["indicators"]) for plan in plans for a in plan["agencies"])
    accounts = sum(len(a["accounts"]) for plan in plans for a in plan["agencies"])
    print(
        f"plan: {len(plans)} institution(s), "
        f"{sum(len(p['agencies']) for p in plans)} OPDs with {accounts} operator accounts, "
        f"{pairs} answers open to change; deadline set to tomorrow"
    )


if __name__ == "__main__":
    main(sys.argv[1])
