"""The assignment matrix's three writes sent several times at the same instant (real threads,
real HTTP to the live server, monev.tests.firing): never a 5xx, and the write happens once.
With -s it prints the table of what it saw."""

import datetime

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from cycles import services
from cycles.tests import test_assignment_matrix as matrix_tests
from monev.tests import firing
from monev.tests.firing import N, fire, fire_each, session_headers

pytestmark = pytest.mark.django_db(transaction=True)

RESULTS = firing.Results("assignments / events")
_print_table = RESULTS.printer()
_media = firing.tmp_media
check = RESULTS.check
REDIRECT = {302}

third_agency, last_year = matrix_tests.third_agency, matrix_tests.last_year


@pytest.fixture
def cycle(framework, sop, coordinator, agency, other_agency):
    """Monev SPBE 2026 for BKPSDM and Dinkes with the proposal saved (6 pairs)."""
    return services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=[agency, other_agency],
        deadline=datetime.date(2026, 12, 15),
        contact_person=coordinator,
    )


def events(action):
    return AuditEvent.objects.filter(action=action).count()


def matrix_body(cycle, ticks):
    """The POST of the whole matrix with `ticks` {indicator number: [agency]}."""
    data = {"indicator": [n.pk for n in cycle.framework.nodes.filter(children__isnull=True)]}
    for number, agencies in ticks.items():
        data[f"i{matrix_tests.node(cycle, number).pk}"] = [a.pk for a in agencies]
    return data


def test_the_same_matrix_saved_at_once(live_server, client, cycle, coordinator, agency):
    body = matrix_body(cycle, {1: [agency], 2: [agency]})
    statuses = fire(
        live_server,
        reverse("cycle_assignments", args=[cycle.pk]),
        session_headers(client, coordinator),
        body,
    )
    saved = events("cycle.assignments_set")
    pairs = matrix_tests.pairs(cycle)
    check("matrix ×N same", statuses, f"{len(pairs)}; set×{saved}", allowed=REDIRECT)
    assert pairs == {("1", "BKPSDM"), ("2", "BKPSDM")}
    assert saved == 1


def test_two_different_matrices_at_once(
    live_server, client, cycle, coordinator, agency, other_agency
):
    first = matrix_body(cycle, {1: [agency]})
    second = matrix_body(cycle, {1: [other_agency], 2: [other_agency]})
    statuses = fire_each(
        live_server,
        reverse("cycle_assignments", args=[cycle.pk]),
        session_headers(client, coordinator),
        [(first, None), (second, None)] * (N // 2),
    )
    pairs = matrix_tests.pairs(cycle)
    saved = events("cycle.assignments_set")
    check("matrix ×N two bodies", statuses, f"{len(pairs)}; set×{saved}", allowed=REDIRECT)
    # One of the two, whole: never a mix of both.
    assert pairs in ({("1", "BKPSDM")}, {("1", "Dinkes"), ("2", "Dinkes")})
    assert 1 <= saved <= N


def test_copy_last_year_at_once(live_server, client, cycle, last_year, coordinator):
    statuses = fire(
        live_server,
        reverse("cycle_assignments_copy", args=[cycle.pk]),
        session_headers(client, coordinator),
    )
    pairs = matrix_tests.pairs(cycle)
    copied = events("cycle.assignments_copied")
    check("copy ×N", statuses, f"{len(pairs)}; copied×{copied}", allowed=REDIRECT)
    assert pairs == {("1", "BKPSDM"), ("2", "Dinkes")}
    assert copied == 1


def test_assign_the_rest_at_once(live_server, client, cycle, coordinator, agency):
    statuses = fire(
        live_server,
        reverse("cycle_assignments_rest", args=[cycle.pk]),
        session_headers(client, coordinator),
        {"agency": agency.pk},
    )
    rows = cycle.assignments.count()
    filled = events("cycle.assignments_filled")
    check("rest ×N", statuses, f"{rows}; filled×{filled}", allowed=REDIRECT)
    assert rows == 47
    assert filled == 1
