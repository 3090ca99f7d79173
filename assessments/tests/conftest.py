import datetime

import pytest
from django.utils import timezone

from assessments import services
from cycles import services as cycle_services
from submissions import services as submission_services
from submissions.tests.conftest import start_collection

# A fixed level for each of the 47 indicators, in tree order (a pattern over the scale).
LEVELS = [(number * 7) % 5 + 1 for number in range(47)]


@pytest.fixture
def indicators(framework):
    """The framework's indicators in tree order."""
    return list(framework.nodes.filter(children__isnull=True).order_by("position"))


@pytest.fixture
def cycle(framework, sop, coordinator, evaluator, agency, other_agency, indicators):
    """A cycle in step 4: BKPSDM answers indicators 1 and 2, Dinkes answers 2 and 3."""
    first, second, third = indicators[:3]
    cycle = cycle_services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=[agency, other_agency],
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        contact_person=coordinator,
        assignments={first: [agency], second: [agency, other_agency], third: [other_agency]},
    )
    start_collection(cycle, coordinator)
    return cycle


@pytest.fixture
def propose(cycle):
    """An OPD operator saves and submits a proposed level through the services."""

    def propose(indicator, level, *, by, fakta="Perwa 12/2024 Pasal 3.", analisis="Terpenuhi."):
        agency = by.memberships.get().agency
        submission = submission_services.save_draft(
            cycle,
            indicator,
            agency,
            by=by,
            level=level,
            fakta=fakta,
            analisis=analisis,
            version=0,
        )
        return submission_services.submit_submission(submission, by=by)

    return propose


@pytest.fixture
def decide_all(cycle, indicators, evaluator):
    """Agree the LEVELS (or given levels) for every indicator, or the first `count`."""

    def decide(levels=LEVELS, count=None):
        for indicator, level in list(zip(indicators, levels, strict=True))[:count]:
            services.set_decision(
                cycle, indicator, by=evaluator, level=level, fakta="Fakta.", analisis="Analisis."
            )

    return decide
