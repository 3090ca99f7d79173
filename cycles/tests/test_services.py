import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from cycles import services
from cycles.models import Assignment, Cycle, StepRun


def test_open_cycle_starts_step_1_and_freezes_the_framework(cycle, coordinator, framework):
    framework.refresh_from_db()
    assert framework.frozen_at is not None
    assert cycle.name == "Monev SPBE 2026"
    runs = list(cycle.step_runs.values_list("number", "status", "holder"))
    assert runs == [(1, "running", coordinator.pk)] + [(n, "waiting", None) for n in range(2, 9)]
    assert list(AuditEvent.objects.filter(cycle=cycle).values_list("action", flat=True)) == [
        "step.started",
        "cycle.opened",
    ]


def test_assignments_are_proposed_from_functions(cycle, agency, other_agency):
    by_number = {}
    for a in Assignment.objects.filter(cycle=cycle).select_related("indicator", "agency"):
        by_number.setdefault(a.indicator.number, []).append(a.agency.short_name)
    # BKPSDM covers "sdm": Kompetensi SDM, Kepegawaian, Kinerja Pegawai.
    # Dinkes covers "pelayanan": Layanan Publik Sektor 1-3.
    assert by_number == {
        "25": ["BKPSDM"],
        "36": ["BKPSDM"],
        "41": ["BKPSDM"],
        "45": ["Dinkes"],
        "46": ["Dinkes"],
        "47": ["Dinkes"],
    }


def test_open_cycle_refuses_a_second_cycle_for_the_year(cycle, coordinator, framework, agency):
    with pytest.raises(ValidationError) as error:
        services.open_cycle(
            by=coordinator,
            year=2026,
            framework=framework,
            agencies=[agency],
            deadline=datetime.date(2026, 12, 1),
            contact_person=coordinator,
        )
    assert error.value.messages == ["Periode monev tahun 2026 sudah ada."]
    assert Cycle.objects.count() == 1


@pytest.mark.parametrize(
    "persona", ["supervisor", "secretariat", "evaluator", "leader", "admin_user", "agency_user"]
)
def test_only_a_coordinator_opens_a_cycle(request, persona, framework, sop, agency, coordinator):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.open_cycle(
            by=user,
            year=2026,
            framework=framework,
            agencies=[agency],
            deadline=datetime.date(2026, 12, 1),
            contact_person=coordinator,
        )
    assert Cycle.objects.count() == 0


def test_open_cycle_refuses_another_institutions_agency(
    framework, sop, coordinator, foreign_agency
):
    with pytest.raises(PermissionDenied):
        services.open_cycle(
            by=coordinator,
            year=2026,
            framework=framework,
            agencies=[foreign_agency],
            deadline=datetime.date(2026, 12, 1),
            contact_person=coordinator,
        )
    assert Cycle.objects.count() == 0


def test_the_same_assignments_again_change_nothing(cycle, coordinator, agency):
    indicator = cycle.framework.nodes.get(code="I1")
    for _ in range(2):
        services.set_assignments(cycle, {indicator: [agency]}, by=coordinator)

    assert list(cycle.assignments.values_list("indicator__code", "agency__short_name")) == [
        ("I1", "BKPSDM")
    ]
    assert AuditEvent.objects.filter(action="cycle.assignments_set").count() == 1


def test_copy_cycle_keeps_participants_and_assignments(cycle, coordinator, agency):
    indicator = cycle.framework.nodes.get(code="I1")
    services.set_assignments(cycle, {indicator: [agency]}, by=coordinator)
    copy = services.copy_cycle(
        cycle, by=coordinator, year=2027, deadline=datetime.date(2027, 11, 30)
    )
    assert copy.copied_from == cycle
    assert set(copy.agencies.all()) == set(cycle.agencies.all())
    assert list(copy.assignments.values_list("indicator__code", "agency__short_name")) == [
        ("I1", "BKPSDM")
    ]


def test_set_assignments_refuses_a_non_participant(cycle, coordinator, foreign_agency):
    indicator = cycle.framework.nodes.get(code="I1")
    before = cycle.assignments.count()
    with pytest.raises(ValidationError):
        services.set_assignments(cycle, {indicator: [foreign_agency]}, by=coordinator)
    assert cycle.assignments.count() == before


def test_finish_step_is_recorded_once(cycle, coordinator):
    services.finish_step(cycle, 1, by=coordinator, output="surat")
    services.finish_step(cycle, 1, by=coordinator, output="lagi")
    run = StepRun.objects.get(cycle=cycle, number=1)
    assert (run.status, run.output, run.finished_by) == ("done", "surat", coordinator)
    assert AuditEvent.objects.filter(action="step.finished").count() == 1
