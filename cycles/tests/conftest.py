import datetime

import pytest

from cycles import services


@pytest.fixture
def cycle(framework, sop, coordinator, agency, other_agency):
    return services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=[agency, other_agency],
        deadline=datetime.date(2026, 12, 15),
        contact_person=coordinator,
        contact_phone="0812-0000-0000",
    )
