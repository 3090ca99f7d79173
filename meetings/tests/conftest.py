import datetime
import zoneinfo

import pytest
from django.db import transaction
from django.utils import timezone

from cycles import services as cycle_services
from meetings import services
from submissions.services import close_collection

PLACE = "Ruang Rapat Pontive Center"
# Monday 7 December 2026, 09.00 WIB.
STARTS_AT = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Jakarta"))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff(coordinator, supervisor, secretariat, evaluator, leader):
    """Every staff persona exists (invitees and notifications are found by role)."""
    return {
        "coordinator": coordinator,
        "supervisor": supervisor,
        "secretariat": secretariat,
        "evaluator": evaluator,
        "leader": leader,
    }


def start_collection(cycle, by):
    """Steps 1-3 done, step 4 (the OPDs answer) running."""
    with transaction.atomic():
        for number in (1, 2, 3):
            cycle_services.finish_step(cycle, number, by=by)
        cycle_services.start_step(cycle, 4, by=by)


@pytest.fixture
def cycle(framework, sop, staff, coordinator, agency, other_agency, agency_user, other_agency_user):
    """A cycle in step 4 with two OPDs (BKPSDM, Dinkes), each with one operator."""
    cycle = cycle_services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=[agency, other_agency],
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        contact_person=coordinator,
        contact_phone="0812-5600-1234",
    )
    start_collection(cycle, coordinator)
    return cycle


@pytest.fixture
def meeting(cycle, coordinator):
    return services.schedule_meeting(cycle, by=coordinator, starts_at=STARTS_AT, place=PLACE)


@pytest.fixture
def collection_closed(cycle, coordinator):
    """Step 4 done, step 5 (the recap) running."""
    close_collection(cycle, by=coordinator)
    return cycle
