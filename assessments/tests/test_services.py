import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from assessments import queries, services
from assessments.models import Assessment, Decision
from assessments.tests.conftest import LEVELS
from audit.models import AuditEvent
from evidence.models import Evidence
from frameworks.scoring import index_str, plan_target, what_if


def assessment_of(cycle):
    return queries.find_assessment(cycle)


def test_live_result_equals_the_score_command(cycle, indicators, decide_all, tmp_path):
    decide_all()
    csv_path = tmp_path / "levels.csv"
    rows = [f"{node.number},{level}" for node, level in zip(indicators, LEVELS, strict=True)]
    csv_path.write_text("indicator,level\n" + "\n".join(rows) + "\n")
    buffer = io.StringIO()
    call_command(
        "score", "--framework", "spbe-2020", "--levels", str(csv_path), "--json", stdout=buffer
    )
    expected = json.loads(buffer.getvalue())

    result = queries.live_result(assessment_of(cycle))

    assert result.complete is True
    assert result.missing == ()
    assert float(result.index) == expected["index"]
    assert index_str(result.index) == expected["index_display"]
    assert result.display == expected["index_display"].replace(".", ",")
    assert result.rating == expected["rating"]
    domains = [
        (node.code, float(index)) for node, index, _ in result.nodes if node.kind == "domain"
    ]
    assert domains == [(domain["code"], domain["index"]) for domain in expected["domains"]]


def test_what_if_and_plan_use_the_engine(cycle, decide_all):
    decide_all()
    assessment = assessment_of(cycle)
    result = queries.live_result(assessment)
    levels = dict(zip((n.code for n in result.spec.indicators), LEVELS, strict=True))

    gains = queries.what_if_gains(assessment)
    plan = queries.target_plan(assessment, "Sangat Baik")

    assert [option for _node, option in gains] == what_if(result.spec, levels)
    assert gains[0][0].code == gains[0][1].code
    assert plan.plan == plan_target(result.spec, levels, "Sangat Baik")
    assert [step for _node, step in plan.steps] == list(plan.plan.raises)


def test_live_result_incomplete_has_no_index_nor_gains(cycle, decide_all):
    decide_all(count=45)
    assessment = assessment_of(cycle)

    result = queries.live_result(assessment)

    assert result.complete is False
    assert result.index is None
    assert result.display == "–"
    assert result.missing_numbers == ["46", "47"]
    assert queries.what_if_gains(assessment) == []
    assert queries.target_plan(assessment, "Baik") is None


def test_finalize_refused_while_incomplete_names_the_numbers(cycle, coordinator, decide_all):
    decide_all(count=44)

    with pytest.raises(ValidationError) as error:
        services.finalize_assessment(assessment_of(cycle), by=coordinator)

    assert error.value.messages == [
        "Belum dapat difinalkan: indikator 45, 46, 47 belum memiliki tingkat yang disepakati."
    ]
    assert Assessment.objects.get(cycle=cycle).status == "draft"


def test_finalize_records_index_and_rating(cycle, coordinator, decide_all):
    decide_all()
    result = queries.live_result(assessment_of(cycle))

    assessment = services.finalize_assessment(assessment_of(cycle), by=coordinator)

    assert assessment.status == "final"
    assert assessment.finalized_by == coordinator
    event = AuditEvent.objects.get(action="assessment.finalized")
    assert event.after == {
        "status": "final",
        "index": str(result.index),
        "display": index_str(result.index),
        "rating": result.rating,
    }


def test_set_decision_refused_after_finalize(cycle, coordinator, evaluator, indicators, decide_all):
    decide_all()
    services.finalize_assessment(assessment_of(cycle), by=coordinator)

    with pytest.raises(ValidationError) as error:
        services.set_decision(cycle, indicators[0], by=evaluator, level=5, fakta="F", analisis="A")

    assert error.value.messages == [
        "Hasil evaluasi sudah final; buka kembali dengan alasan untuk mengubahnya."
    ]
    assert Decision.objects.get(indicator=indicators[0]).level == LEVELS[0]


def test_reopen_requires_a_reason_then_allows_edits(
    cycle, coordinator, evaluator, indicators, decide_all
):
    decide_all()
    services.finalize_assessment(assessment_of(cycle), by=coordinator)

    with pytest.raises(ValidationError) as error:
        services.reopen_assessment(assessment_of(cycle), by=coordinator, reason="  ")
    assert error.value.messages == ["Tulis alasan pembukaan kembali."]

    assessment = services.reopen_assessment(
        assessment_of(cycle), by=coordinator, reason="Data dukung indikator 1 baru ditemukan."
    )
    services.set_decision(cycle, indicators[0], by=evaluator, level=5, fakta="F", analisis="A")

    assert (assessment.status, assessment.reopened_count) == ("draft", 1)
    event = AuditEvent.objects.get(action="assessment.reopened")
    assert event.reason == "Data dukung indikator 1 baru ditemukan."
    assert event.actor == coordinator
    assert Decision.objects.get(indicator=indicators[0]).level == 5


def test_set_decision_creates_then_changes_with_audit(cycle, evaluator, indicators):
    services.set_decision(cycle, indicators[0], by=evaluator, level=2, fakta="F1", analisis="A1")
    decision = services.set_decision(
        cycle, indicators[0], by=evaluator, level=3, fakta="F2", analisis="A2"
    )

    assert (decision.level, decision.fakta, decision.analisis) == (3, "F2", "A2")
    assert Decision.objects.count() == 1
    events = AuditEvent.objects.filter(action="assessment.decision_set").order_by("pk")
    assert [(e.before, e.after["level"]) for e in events] == [(None, 2), ({"level": 2}, 3)]


def test_the_same_decision_again_changes_nothing(cycle, evaluator, indicators):
    for _ in range(2):
        services.set_decision(cycle, indicators[0], by=evaluator, level=2, fakta="F", analisis="A")

    assert Decision.objects.count() == 1
    assert AuditEvent.objects.filter(action="assessment.decision_set").count() == 1


@pytest.mark.parametrize("level", [0, 6, "x", None])
def test_set_decision_refuses_a_level_outside_the_scale(cycle, evaluator, indicators, level):
    with pytest.raises(ValidationError) as error:
        services.set_decision(
            cycle, indicators[0], by=evaluator, level=level, fakta="", analisis=""
        )

    assert error.value.messages == ["Tingkat harus bilangan bulat antara 1 dan 5."]


def test_set_decision_refuses_a_node_that_is_not_an_indicator(cycle, evaluator, framework):
    domain = framework.nodes.get(code="D1")

    with pytest.raises(ValidationError) as error:
        services.set_decision(cycle, domain, by=evaluator, level=3, fakta="", analisis="")

    assert error.value.messages == ["Indikator bukan bagian dari kerangka periode ini."]


@pytest.mark.parametrize("persona", ["agency_user", "supervisor", "secretariat", "outsider"])
def test_set_decision_refused_to_other_roles(request, cycle, indicators, persona):
    user = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        services.set_decision(cycle, indicators[0], by=user, level=3, fakta="", analisis="")


@pytest.mark.parametrize("persona", ["evaluator", "agency_user", "supervisor", "outsider"])
def test_finalize_reopen_and_national_result_only_for_the_coordinator(
    request, cycle, decide_all, persona
):
    decide_all()
    user = request.getfixturevalue(persona)
    assessment = assessment_of(cycle)

    with pytest.raises(PermissionDenied):
        services.finalize_assessment(assessment, by=user)
    with pytest.raises(PermissionDenied):
        services.reopen_assessment(assessment, by=user, reason="Alasan.")
    with pytest.raises(PermissionDenied):
        services.enter_national_result(cycle, by=user, levels={"I1": 3})


def test_reconciliation_shows_over_and_under_claims(
    cycle,
    coordinator,
    evaluator,
    agency,
    other_agency,
    agency_user,
    other_agency_user,
    indicators,
    propose,
):
    first, second, third = indicators[:3]
    propose(first, 3, by=agency_user)  # agreed 2, national 2: +1 / +1
    propose(second, 4, by=agency_user)  # agreed 3, national 4: +1 / 0
    propose(second, 2, by=other_agency_user)  # agreed 3, national 4: -1 / -2
    propose(third, 1, by=other_agency_user)  # agreed 1, no national level
    for indicator, level in ((first, 2), (second, 3), (third, 1)):
        services.set_decision(cycle, indicator, by=evaluator, level=level, fakta="", analisis="")
    services.enter_national_result(
        cycle, by=coordinator, levels={"I1": 2, "I2": 4}, source="Laporan KemenPANRB 2026"
    )

    result = queries.reconciliation(assessment_of(cycle))

    rows = [
        (
            row.indicator.number,
            [(p.agency.short_name, p.level, p.vs_agreed, p.vs_national) for p in row.proposals],
            row.agreed,
            row.national,
            row.agreed_vs_national,
        )
        for row in result.rows[:4]
    ]
    assert rows == [
        ("1", [("BKPSDM", 3, 1, 1)], 2, 2, 0),
        ("2", [("BKPSDM", 4, 1, 0), ("Dinkes", 2, -1, -2)], 3, 4, -1),
        ("3", [("Dinkes", 1, 0, None)], 1, None, None),
        ("4", [], None, None, None),
    ]
    summaries = [
        (
            s.agency.short_name,
            s.proposals,
            s.above_agreed,
            s.below_agreed,
            s.above_national,
            s.below_national,
        )
        for s in result.agencies
    ]
    assert summaries == [("BKPSDM", 2, 2, 0, 1, 0), ("Dinkes", 2, 0, 1, 0, 1)]


def test_national_result_as_domain_values_gives_the_national_index(cycle, coordinator):
    services.enter_national_result(cycle, by=coordinator, levels={"I1": 3})
    services.enter_national_result(
        cycle,
        by=coordinator,
        node_values={"D1": "3.10", "D2": "2.50", "D3": "3.00", "D4": "2.00"},
        source="Laporan resmi",
    )

    result = queries.reconciliation(assessment_of(cycle))

    values = queries.national_values(assessment_of(cycle))
    assert sorted(values) == ["D1", "D2", "D3", "D4"]  # the earlier entry was replaced
    assert result.rows[0].national is None
    assert result.national.index == Decimal("2.433")  # (13×3.1 + 25×2.5 + 16.5×3 + 45.5×2)/100
    event = AuditEvent.objects.filter(action="assessment.national_result_entered").last()
    assert event.after == {"levels": 0, "node_values": 4, "source": "Laporan resmi"}


def test_national_result_refuses_values_outside_the_framework(cycle, coordinator):
    with pytest.raises(ValidationError) as error:
        services.enter_national_result(cycle, by=coordinator, levels={"I1": 7, "X9": 2})

    assert error.value.messages == [
        "Tingkat indikator I1 (7) di luar skala 1–5.",
        "Indikator X9 tidak ada di kerangka spbe-2020.",
    ]


def test_set_decision_keeps_the_chosen_evidence_of_this_cycle_only(
    cycle, evaluator, agency, agency_user, indicators
):
    piece = Evidence.objects.create(
        cycle=cycle,
        agency=agency,
        kind=Evidence.Kind.LINK,
        title="Perwa 12/2024",
        url="https://jdih.example.go.id/perwa-12-2024",
        created_by=agency_user,
    )
    decision = services.set_decision(
        cycle, indicators[0], by=evaluator, level=3, fakta="F", analisis="A", evidence=[piece]
    )
    other = Evidence(cycle_id=cycle.pk + 1, agency=agency, title="Lain")

    with pytest.raises(ValidationError) as error:
        services.set_decision(
            cycle, indicators[0], by=evaluator, level=3, fakta="F", analisis="A", evidence=[other]
        )

    assert list(decision.evidence.all()) == [piece]
    assert error.value.messages == ["Data dukung harus berasal dari periode ini."]
