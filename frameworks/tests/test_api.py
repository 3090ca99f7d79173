"""The frameworks API: every signed-in user reads the frameworks and their trees, as the
pages; nothing is written through it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from frameworks.services import load_framework_file
from monev.testing import api_client

DETAIL = "/api/v1/frameworks/spbe-2020/1/"


@pytest.mark.django_db
def test_frameworks_need_authentication(spbe2020):
    assert APIClient().get("/api/v1/frameworks/").status_code == 401
    assert APIClient().get(DETAIL).status_code == 401


@pytest.mark.parametrize("persona", ["agency_user", "evaluator", "outsider"])
def test_every_signed_in_user_lists_frameworks_default_first(request, persona, spbe2020, spbe2018):
    client = api_client(request.getfixturevalue(persona))

    response = client.get("/api/v1/frameworks/")

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(row["code"], row["version"], row["is_default"]) for row in rows] == [
        ("spbe-2020", "1", True),
        ("spbe-2018", "1", False),
    ]
    assert [row["indicator_count"] for row in rows] == [47, 35]
    assert rows[0]["provenance"] == "official"
    assert [source["key"] for source in rows[0]["sources"]] == ["permen", "pedoman"]
    assert rows[0]["sources"][0]["attribution"] == (
        "Sumber: Lampiran Peraturan Menteri PANRB Nomor 59 Tahun 2020 tentang Pemantauan dan "
        "Evaluasi SPBE."
    )
    assert rows[0]["is_frozen"] is False


def test_detail_gives_the_tree_with_weights_and_level_criteria(agency_user, spbe2020):
    response = api_client(agency_user).get(DETAIL)

    assert response.status_code == 200
    body = response.json()
    assert body["indicator_count"] == 47
    assert [root["code"] for root in body["tree"]] == ["D1", "D2", "D3", "D4"]
    domain = body["tree"][0]
    assert (domain["kind"], domain["name"], domain["weight"]) == (
        "domain",
        "Kebijakan Internal SPBE",
        "13",
    )
    aspect = domain["children"][0]
    assert (aspect["code"], aspect["kind"], aspect["weight"]) == ("A1", "aspect", "13")
    indicator = aspect["children"][0]
    assert (indicator["code"], indicator["kind"], indicator["weight"]) == ("I1", "indicator", "1.3")
    assert "children" not in indicator
    assert indicator["texts"]["criteria"]["permen"]["2"].startswith(
        "Kebijakan internal Arsitektur SPBE Instansi Pusat/Pemerintah Daerah telah ditetapkan."
    )
    assert indicator["texts"]["question_source"] == "permen"
    assert sorted(body["capability_models"]) == ["process", "service"]
    assert [band["rating"] for band in body["bands"]] == [
        "Kurang",
        "Cukup",
        "Baik",
        "Sangat Baik",
        "Memuaskan",
    ]


def test_framework_without_domains_has_aspects_as_roots(agency_user, write_framework, flat_data):
    load_framework_file(write_framework(flat_data))

    body = api_client(agency_user).get("/api/v1/frameworks/uji-datar/1/").json()

    assert [
        (root["code"], root["kind"], [child["code"] for child in root["children"]])
        for root in body["tree"]
    ] == [("A1", "aspect", ["X1", "X2"]), ("A2", "aspect", ["X3"])]
    assert body["tree"][0]["children"][0]["texts"]["criteria"] == {
        "resmi": {"1": "Belum ada.", "5": "Sudah optimal."}
    }
    assert [band["rating"] for band in body["bands"]] == ["Rendah", "Sedang", "Tinggi"]


def test_unknown_framework_is_404_problem(agency_user, spbe2020):
    response = api_client(agency_user).get("/api/v1/frameworks/spbe-2020/9/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_nothing_is_written_through_the_api(coordinator, spbe2020):
    client = api_client(coordinator)

    assert client.post("/api/v1/frameworks/", {}, format="json").status_code == 405
    assert client.put(DETAIL, {}, format="json").status_code == 405


def test_list_runs_the_same_queries_whatever_the_number_of_frameworks(
    admin_user, spbe2020, write_framework, flat_data
):
    client = api_client(admin_user)
    client.get("/api/v1/frameworks/")  # the token's first use writes last_used_at
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/api/v1/frameworks/").json()["results"]) == 1
    for number in range(3):
        load_framework_file(write_framework({**flat_data, "version": str(number + 2)}))
    with CaptureQueriesContext(connection) as four:
        assert len(client.get("/api/v1/frameworks/").json()["results"]) == 4

    assert len(four) == len(one)
