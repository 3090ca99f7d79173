import datetime

import pytest
from django.utils import timezone

from cycles import services as cycle_services
from followups import services
from followups.models import Finding


@pytest.fixture
def cycle(framework, sop, coordinator, evaluator, agency, other_agency):
    """This year's cycle (2026) with BKPSDM and Dinkes."""
    indicators = list(framework.nodes.filter(children__isnull=True).order_by("position")[:2])
    return cycle_services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=[agency, other_agency],
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        contact_person=coordinator,
        assignments={indicators[0]: [agency], indicators[1]: [other_agency]},
    )


@pytest.fixture
def aspects(framework):
    """The framework's eight aspects in tree order."""
    return list(framework.nodes.filter(kind="aspect").order_by("position"))


@pytest.fixture
def due():
    """A due date four weeks ahead."""
    return timezone.localdate() + datetime.timedelta(days=28)


@pytest.fixture
def recommendation(cycle, coordinator, aspects):
    return services.add_finding(
        cycle,
        by=coordinator,
        aspect=aspects[0],
        kind=Finding.Kind.RECOMMENDATION,
        text="Tetapkan Peraturan Wali Kota tentang Arsitektur SPBE.",
    )


@pytest.fixture
def follow_up(recommendation, coordinator, agency, agency_user, due):
    """BKPSDM's follow-up of the recommendation (its operator exists to be notified)."""
    return services.create_follow_up(recommendation, by=coordinator, agency=agency, due_date=due)
