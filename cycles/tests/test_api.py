"""The cycles API's list: a filter over the cycles the caller may open
(cycles.permissions.cycles_visible_to, as get_cycle_or_404): every cycle of the institution
for its staff, those their OPD takes part in for an operator, none of another institution."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cycles import services
from monev.testing import api_client
from sops.services import SHIPPED_SOPS, load_sop_file


def ids(response):
    assert response.status_code == 200
    return [row["id"] for row in response.json()["results"]]


def open_cycle(by, year, framework, agencies):
    return services.open_cycle(
        by=by,
        year=year,
        framework=framework,
        agencies=agencies,
        deadline=datetime.date(year, 12, 15),
        contact_person=by,
    )


@pytest.fixture
def later(cycle, coordinator, framework, agency):
    """A second cycle that only BKPSDM takes part in."""
    return open_cycle(coordinator, 2027, framework, [agency])


def test_staff_list_every_cycle_newest_first(cycle, later, supervisor):
    assert ids(api_client(supervisor).get("/api/v1/cycles/")) == [later.pk, cycle.pk]


def test_an_operator_lists_the_cycles_their_opd_takes_part_in(
    cycle, later, agency_user, other_agency_user
):
    assert ids(api_client(agency_user).get("/api/v1/cycles/")) == [later.pk, cycle.pk]
    assert ids(api_client(other_agency_user).get("/api/v1/cycles/")) == [cycle.pk]
    assert api_client(other_agency_user).get(f"/api/v1/cycles/{later.pk}/").status_code == 404


def test_another_institution_lists_only_its_own_cycles(
    cycle, outsider, other_institution, foreign_agency, framework
):
    load_sop_file(SHIPPED_SOPS["pontianak"], institution=other_institution)
    theirs = open_cycle(outsider, 2026, framework, [foreign_agency])

    assert ids(api_client(outsider).get("/api/v1/cycles/")) == [theirs.pk]


def test_the_list_reads_a_fixed_number_of_queries(cycle, later, coordinator, framework, agency):
    client = api_client(coordinator)
    client.get("/api/v1/me/")  # the token's first use writes its last_used_at
    with CaptureQueriesContext(connection) as two:
        assert len(ids(client.get("/api/v1/cycles/"))) == 2
    for year in (2028, 2029, 2030):
        open_cycle(coordinator, year, framework, [agency])
    with CaptureQueriesContext(connection) as five:
        assert len(ids(client.get("/api/v1/cycles/"))) == 5

    assert len(five) == len(two)
