"""The results API: the same numbers as the result page and the `score` command, what-if
without storing, the plan, the agreed levels; who may read them; constant query counts."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from assessments import queries
from assessments.models import Assessment, Decision
from assessments.tests.conftest import LEVELS
from frameworks.scoring import index_str, score, weight_str
from monev.testing import api_client


def results_url(cycle, tail=""):
    return f"/api/v1/cycles/{cycle.pk}/results/{tail}"


def score_command(indicators, levels, tmp_path):
    csv_path = tmp_path / "levels.csv"
    rows = [f"{node.number},{level}" for node, level in zip(indicators, levels, strict=True)]
    csv_path.write_text("indicator,level\n" + "\n".join(rows) + "\n")
    buffer = io.StringIO()
    call_command(
        "score", "--framework", "spbe-2020", "--levels", str(csv_path), "--json", stdout=buffer
    )
    return json.loads(buffer.getvalue())


def test_index_equals_the_score_command(cycle, indicators, decide_all, coordinator, tmp_path):
    decide_all()
    expected = score_command(indicators, LEVELS, tmp_path)

    body = api_client(coordinator).get(results_url(cycle)).json()

    assert body["complete"] is True and body["missing"] == []
    # The command prints JSON numbers; the API the exact decimal as a string.
    assert float(body["index"]) == expected["index"]
    assert body["index_display"] == expected["index_display"]
    assert body["rating"] == expected["rating"]
    for kind in ("domain", "aspect", "indicator"):
        nodes = [(n["code"], float(n["index"])) for n in body["nodes"] if n["kind"] == kind]
        assert nodes == [(node["code"], node["index"]) for node in expected[f"{kind}s"]]


def test_result_nodes_are_the_result_pages(cycle, indicators, decide_all, coordinator):
    decide_all()
    result = queries.live_result(queries.find_assessment(cycle))

    body = api_client(coordinator).get(results_url(cycle)).json()

    assert [n["code"] for n in body["nodes"]] == [node.code for node in result.spec.nodes]
    shown = [(n["code"], n["index_display"]) for n in body["nodes"] if n["kind"] != "indicator"]
    assert shown == [(node.code, index_str(index)) for node, index, _shown in result.nodes]
    first = next(n for n in body["nodes"] if n["kind"] == "indicator")
    node = result.spec.indicators[0]
    assert first == {
        "code": node.code,
        "kind": "indicator",
        "number": node.number,
        "name": node.name,
        "parent": result.spec.parents[node.code].code,
        "weight": weight_str(node.weight),
        "index": str(LEVELS[0]),
        "index_display": index_str(LEVELS[0]),
        "level": LEVELS[0],
        "level_name": result.spec.level_name(node, LEVELS[0]),
    }
    assert body["cycle"] == cycle.pk and body["year"] == 2026
    assert body["status"] == "draft"
    assert body["next_rating"] == queries.next_rating(result.spec, result.rating)


def test_incomplete_result_has_no_index(cycle, decide_all, coordinator, indicators):
    decide_all(count=2)

    body = api_client(coordinator).get(results_url(cycle)).json()

    assert body["complete"] is False
    assert body["index"] is None and body["rating"] is None
    assert body["missing"] == [node.code for node in indicators[2:]]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("supervisor", 200),
        ("secretariat", 200),
        ("evaluator", 200),
        ("leader", 200),
        ("admin_user", 200),
        ("agency_user", 404),
        ("other_agency_user", 404),
        ("outsider", 404),
    ],
)
def test_results_per_role(request, cycle, decide_all, persona, status):
    decide_all()
    client = api_client(request.getfixturevalue(persona))
    for path in (results_url(cycle), results_url(cycle, "plan/")):
        assert client.get(path).status_code == status, path
    # The decisions are a list under the cycle: 404 only to who may not open the cycle, no
    # row to its OPDs' operators.
    decisions = client.get(f"/api/v1/cycles/{cycle.pk}/decisions/")
    if persona == "outsider":
        assert decisions.status_code == 404
    else:
        assert (decisions.status_code, len(decisions.json()["results"]) > 0) == (
            200,
            status == 200,
        )
    answer = client.post(results_url(cycle, "what-if/"), {"levels": {"I1": 5}}, format="json")
    assert answer.status_code == status


def test_what_if_answers_the_engine_and_stores_nothing(cycle, indicators, decide_all, evaluator):
    decide_all()
    spec = cycle.framework.spec()
    agreed = dict(zip((node.code for node in spec.indicators), LEVELS, strict=True))
    stored = list(Decision.objects.order_by("pk").values_list("pk", "level", "decided_at"))

    response = api_client(evaluator).post(
        results_url(cycle, "what-if/"), {"levels": {"I1": 5, "I2": 1}}, format="json"
    )

    expected = score(spec, {**agreed, "I1": 5, "I2": 1})
    assert response.status_code == 200
    body = response.json()
    assert Decimal(body["index"]) == expected.index
    assert body["index_display"] == index_str(expected.index)
    assert body["rating"] == expected.rating
    assert [n["level"] for n in body["nodes"] if n["code"] in ("I1", "I2")] == [5, 1]
    assert list(Decision.objects.order_by("pk").values_list("pk", "level", "decided_at")) == stored


def test_what_if_on_an_incomplete_result_fills_the_gaps(cycle, decide_all, coordinator):
    decide_all(count=46)
    last = cycle.framework.spec().indicators[-1].code

    body = (
        api_client(coordinator)
        .post(results_url(cycle, "what-if/"), {"levels": {last: 3}}, format="json")
        .json()
    )

    assert body["complete"] is True and body["missing"] == []
    assert Assessment.objects.get(cycle=cycle).decisions.count() == 46


def test_what_if_refuses_unknown_codes_and_levels(cycle, decide_all, coordinator):
    decide_all()
    client = api_client(coordinator)

    response = client.post(results_url(cycle, "what-if/"), {"levels": {"X9": 3}}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == {
        "levels": ["Indikator X9 tidak ada di kerangka spbe-2020."]
    }

    response = client.post(results_url(cycle, "what-if/"), {"levels": {"I1": 6}}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"levels": ["Tingkat indikator I1 (6) di luar skala 1–5."]}


def test_plan_is_the_result_pages_plan(cycle, decide_all, leader):
    decide_all()
    assessment = queries.find_assessment(cycle)
    result = queries.live_result(assessment)
    target = queries.next_rating(result.spec, result.rating)
    page_plan = queries.target_plan(assessment, target, result=result)

    body = api_client(leader).get(results_url(cycle, "plan/")).json()

    assert body["target_rating"] == target
    assert body["plan"]["reachable"] is page_plan.plan.reachable
    assert body["plan"]["message"] == page_plan.plan.message
    assert [(r["code"], r["from_level"], r["to_level"]) for r in body["plan"]["raises"]] == [
        (step.code, step.from_level, step.to_level) for step in page_plan.plan.raises
    ]
    assert Decimal(body["plan"]["index"]) == page_plan.plan.index


def test_plan_to_a_named_predicate_and_an_unknown_one(cycle, decide_all, coordinator):
    decide_all()
    client = api_client(coordinator)

    body = client.get(results_url(cycle, "plan/"), {"target": "Memuaskan"}).json()
    assert body["target_rating"] == "Memuaskan"
    assert Decimal(body["plan"]["index"]) >= Decimal(body["plan"]["target_min"])

    response = client.get(results_url(cycle, "plan/"), {"target": "Luar Biasa"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["target"]


def test_plan_is_null_while_levels_are_missing(cycle, decide_all, coordinator):
    decide_all(count=10)

    body = api_client(coordinator).get(results_url(cycle, "plan/")).json()

    assert body == {"target_rating": None, "plan": None}


def test_decisions_list_the_agreed_levels(cycle, indicators, decide_all, evaluator, coordinator):
    decide_all(count=3)

    body = api_client(coordinator).get(f"/api/v1/cycles/{cycle.pk}/decisions/").json()

    assert body["count"] == 3
    assert [(row["code"], row["level"]) for row in body["results"]] == [
        (node.code, level) for node, level in zip(indicators[:3], LEVELS, strict=False)
    ]
    first = body["results"][0]
    assert first["indicator"] == indicators[0].pk
    assert (first["fakta"], first["analisis"], first["evidence"]) == ("Fakta.", "Analisis.", [])
    assert first["decided_by"] == "Eko Evaluator"


def test_another_institutions_cycle_is_404(cycle, decide_all, outsider):
    decide_all()
    response = api_client(outsider).get(results_url(cycle))
    assert response.status_code == 404
    assert response.json()["status"] == 404


@pytest.mark.parametrize("count", [2, 20])
def test_decision_list_query_count_is_constant(
    cycle, decide_all, coordinator, django_assert_num_queries, count
):
    decide_all(count=count)
    client = api_client(coordinator)
    path = f"/api/v1/cycles/{cycle.pk}/decisions/"
    client.get(path)  # the framework tree is cached per process after the first read
    # token, memberships, cycle, count, page, the cited evidence
    with django_assert_num_queries(6):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("count", [2, 47])
def test_results_query_count_is_constant(
    cycle, decide_all, coordinator, django_assert_num_queries, count
):
    decide_all(count=count)
    client = api_client(coordinator)
    client.get(results_url(cycle))
    # token, memberships, cycle, assessment, decisions
    with django_assert_num_queries(5):
        assert client.get(results_url(cycle)).status_code == 200
