"""The SOPs API: every user of the institution reads its SOP versions and their steps, as
on the SOP sheet; another institution's SOP is 404; nothing is written through it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monev.testing import api_client
from sops.services import load_sop_file


@pytest.mark.parametrize("persona", ["coordinator", "agency_user", "leader"])
def test_institution_users_list_their_sop_versions(request, persona, pontianak_sop):
    response = api_client(request.getfixturevalue(persona)).get("/api/v1/sops/")

    assert response.status_code == 200
    assert [
        (row["id"], row["code"], row["version"], row["is_current"])
        for row in response.json()["results"]
    ] == [(pontianak_sop.pk, "pontianak-monev-spbe", "2020", True)]


def test_other_institutions_sops_are_not_listed(outsider, pontianak_sop):
    assert api_client(outsider).get("/api/v1/sops/").json()["results"] == []


def test_detail_gives_header_actors_and_steps_with_time_standards(agency_user, pontianak_sop):
    response = api_client(agency_user).get(f"/api/v1/sops/{pontianak_sop.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Monitoring dan Evaluasi SPBE"
    assert body["actors"][0] == {"key": "coordinator", "name": "Kasi. PK&AI"}
    assert [step["number"] for step in body["steps"]] == [1, 2, 3, 4, 5, 6, 7, 8]
    first, fourth = body["steps"][0], body["steps"][3]
    assert first["actors"] == ["coordinator"]
    assert (first["time_value"], first["time_min"], first["time_unit"]) == (3, None, "working_days")
    assert first["time_display"] == "3 hari"
    assert (fourth["time_min"], fourth["time_value"], fourth["time_label"]) == (
        5,
        10,
        "1 - 2 minggu",
    )
    assert body["header"] == pontianak_sop.header


def test_an_older_version_is_not_current(coordinator, pontianak_sop, pontianak_data, write_sop):
    newer, _outcome = load_sop_file(
        write_sop({**pontianak_data, "version": "2026"}), institution=coordinator.institution
    )
    client = api_client(coordinator)

    rows = client.get("/api/v1/sops/").json()["results"]
    older = client.get(f"/api/v1/sops/{pontianak_sop.pk}/").json()

    assert [(row["id"], row["is_current"]) for row in rows] == [
        (newer.pk, True),
        (pontianak_sop.pk, False),
    ]
    assert older["is_current"] is False


def test_another_institutions_sop_is_404(outsider, pontianak_sop):
    response = api_client(outsider).get(f"/api/v1/sops/{pontianak_sop.pk}/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_nothing_is_written_through_the_api(admin_user, pontianak_sop):
    client = api_client(admin_user)

    assert client.post("/api/v1/sops/", {}, format="json").status_code == 405
    assert client.put(f"/api/v1/sops/{pontianak_sop.pk}/", {}, format="json").status_code == 405


def test_list_runs_the_same_queries_whatever_the_number_of_versions(
    coordinator, pontianak_sop, pontianak_data, write_sop
):
    client = api_client(coordinator)
    client.get("/api/v1/sops/")  # the token's first use writes last_used_at
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/api/v1/sops/").json()["results"]) == 1
    for version in ["2021", "2022", "2023"]:
        load_sop_file(
            write_sop({**pontianak_data, "version": version}, name=f"{version}.json"),
            institution=coordinator.institution,
        )
    with CaptureQueriesContext(connection) as four:
        assert len(client.get("/api/v1/sops/").json()["results"]) == 4

    assert len(four) == len(one)
