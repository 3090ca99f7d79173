import datetime

import pytest

from cycles import services
from cycles.tests.scale import crowd  # noqa: F401 - the recap tests' OPDs at scale
from frameworks.models import Node
from submissions.models import Submission


@pytest.fixture
def cycle(framework, sop, coordinator, agency, other_agency):
    """Monev SPBE 2026, deadline 15 December 2026. From the OPDs' functions, BKPSDM answers
    indicators 25, 36 and 41, Dinkes 45, 46 and 47."""
    return services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=[agency, other_agency],
        deadline=datetime.date(2026, 12, 15),
        contact_person=coordinator,
        contact_phone="0812-0000-0000",
    )


def indicator(cycle, number):
    return Node.objects.get(framework=cycle.framework, number=str(number), children=None)


def answer(cycle, agency, number, status, level=None):
    """Put one answer in a state directly (the submissions services are not reused here)."""
    return Submission.objects.create(
        cycle=cycle, indicator=indicator(cycle, number), agency=agency, status=status, level=level
    )
