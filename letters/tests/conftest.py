import datetime

import pytest

from cycles import services as cycle_services
from letters import services
from letters.tests.helpers import signed_upload


@pytest.fixture(autouse=True)
def _letters_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff(coordinator, supervisor, secretariat, evaluator, leader, admin_user):
    """Every staff persona exists (they are notified by role)."""
    return {
        "coordinator": coordinator,
        "supervisor": supervisor,
        "secretariat": secretariat,
        "evaluator": evaluator,
        "leader": leader,
        "admin": admin_user,
    }


@pytest.fixture
def cycle(framework, sop, staff, coordinator, agency, other_agency, agency_user, other_agency_user):
    coordinator.email = "rina@pontianak.go.id"
    coordinator.save()
    agency_user.email = "operator.bkpsdm@pontianak.go.id"
    agency_user.save()
    other_agency_user.email = "operator.dinkes@pontianak.go.id"
    other_agency_user.save()
    return cycle_services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=[agency, other_agency],
        deadline=datetime.date(2026, 12, 15),
        contact_person=coordinator,
        contact_phone="0812-5600-1234",
    )


@pytest.fixture
def drafted(cycle, coordinator):
    """The cycle's (invitation, data request), in draft."""
    invitation, data_request = services.draft_cycle_letters(cycle, by=coordinator)
    return invitation, data_request


@pytest.fixture
def letter(drafted):
    """The data-request letter, in draft."""
    return drafted[1]


def advance(letter, status, *, coordinator, supervisor, secretariat):
    """Take a letter through the real services up to `status`."""
    order = ["draft", "submitted", "approved", "numbered", "signed", "dispatched"]
    steps = {
        "submitted": lambda: services.submit_letter(letter, by=coordinator),
        "approved": lambda: services.dispose_letter(
            letter, by=supervisor, approve=True, instruction="Segera kirim ke OPD."
        ),
        "numbered": lambda: services.number_letter(letter, by=secretariat),
        "signed": lambda: services.record_signature(
            letter, by=secretariat, signed_pdf=signed_upload()
        ),
        "dispatched": lambda: services.dispatch_letter(letter, by=secretariat),
    }
    for name in order[order.index(letter.status) + 1 : order.index(status) + 1]:
        steps[name]()
    return letter


@pytest.fixture
def to_status(coordinator, supervisor, secretariat):
    def go(letter, status):
        return advance(
            letter, status, coordinator=coordinator, supervisor=supervisor, secretariat=secretariat
        )

    return go
