import datetime

import pytest

from cycles import services
from frameworks.models import Node
from institutions.models import Agency
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


STATUS_CYCLE = [None, "draft", "submitted", "returned", "accepted", "submitted", "accepted"]


def crowd(cycle, coordinator, n):
    """Add `n` OPDs to the cycle, each assigned 12 of the 47 indicators, answers in a spread
    of states. Returns the new agencies."""
    agencies = Agency.objects.bulk_create(
        Agency(
            institution=cycle.institution,
            name=f"Dinas Contoh Nomor {i:02d}",
            short_name=f"DCN{i:02d}",
        )
        for i in range(n)
    )
    cycle.agencies.add(*agencies)
    indicators = list(
        Node.objects.filter(framework=cycle.framework, children=None).order_by("position")
    )
    assignments = {node: [] for node in indicators}
    for assignment in cycle.assignments.select_related("indicator", "agency"):
        assignments[assignment.indicator].append(assignment.agency)
    for i, agency in enumerate(agencies):
        for k in range(12):
            assignments[indicators[(i * 5 + k * 4) % len(indicators)]].append(agency)
    services.set_assignments(cycle, assignments, by=coordinator)
    rows = []
    for j, assignment in enumerate(cycle.assignments.filter(agency__in=agencies)):
        status = STATUS_CYCLE[(j * 3 + assignment.agency_id) % len(STATUS_CYCLE)]
        if status:
            rows.append(
                Submission(
                    cycle=cycle,
                    indicator_id=assignment.indicator_id,
                    agency_id=assignment.agency_id,
                    status=status,
                    level=1 + j % 5 if status != "draft" else None,
                )
            )
    Submission.objects.bulk_create(rows)
    return agencies
