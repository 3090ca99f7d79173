"""City-ish data for the query-count guards of the staff pages (recap, cycle page, result,
meeting mode, home, inbox): more OPDs, more answers and decisions, and another
institution's cycle with data of its own. Rows are written directly (the services would
take long for hundreds of answers); the cycles are opened through the services."""

import datetime

from django.utils import timezone

from assessments.models import Assessment, Decision
from cycles import services
from frameworks.models import Node
from institutions.models import Agency, Role
from monev.testing import make_user
from sops.services import SHIPPED_SOPS, load_sop_file
from submissions.models import Submission

STATUS_CYCLE = [None, "draft", "submitted", "returned", "accepted", "submitted", "accepted"]


def crowd(cycle, coordinator, n, *, prefix="DCN"):
    """Add `n` OPDs to the cycle, each assigned 12 of the 47 indicators, answers in a spread
    of states. Returns the new agencies."""
    agencies = Agency.objects.bulk_create(
        Agency(
            institution=cycle.institution,
            name=f"Dinas Contoh Nomor {i:02d}" if prefix == "DCN" else f"Dinas {prefix} {i:02d}",
            short_name=f"{prefix}{i:02d}",
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
                    fakta=f"Fakta {j}",
                    analisis=f"Analisis {j}",
                )
            )
    Submission.objects.bulk_create(rows)
    return agencies


def decide(cycle, by, *, count=None):
    """Agreed levels for the first `count` indicators (all by default)."""
    assessment, _created = Assessment.objects.get_or_create(cycle=cycle)
    indicators = Node.objects.filter(framework=cycle.framework, children=None).order_by("position")[
        :count
    ]
    Decision.objects.bulk_create(
        Decision(
            assessment=assessment,
            indicator=node,
            level=1 + i % 5,
            fakta=f"Fakta rapat {node.number}",
            analisis=f"Analisis rapat {node.number}",
            decided_by=by,
            decided_at=timezone.now(),
        )
        for i, node in enumerate(indicators)
        if not Decision.objects.filter(assessment=assessment, indicator=node).exists()
    )
    return assessment


def grow(cycle, coordinator, n):
    """`cycle` at a bigger size: `n` more OPDs with answers, every indicator decided, and
    another institution's cycle of the same year with as much data."""
    crowd(cycle, coordinator, n)
    decide(cycle, coordinator)
    foreign_cycle(cycle.framework, year=cycle.year, opds=n)


def foreign_cycle(framework, *, year, opds):
    """Another institution's cycle with `opds` OPDs, answers and decisions: nothing of it may
    show on, or be read for, this institution's pages."""
    from institutions.models import Institution

    institution = Institution.objects.create(
        slug=f"lain-{year}-{opds}", name=f"Pemerintah Kota Lain {opds}", city="Kota Lain"
    )
    load_sop_file(SHIPPED_SOPS["pontianak"], institution=institution)
    coordinator = make_user(institution, f"lain-{opds}-koordinator", Role.COORDINATOR)
    first = Agency.objects.create(institution=institution, name="Dinas Lain", short_name="DL")
    cycle = services.open_cycle(
        by=coordinator,
        year=year,
        framework=framework,
        agencies=[first],
        deadline=datetime.date(year, 12, 15),
        contact_person=coordinator,
    )
    crowd(cycle, coordinator, opds, prefix="LN")
    decide(cycle, coordinator)
    return cycle
