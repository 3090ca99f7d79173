"""The reads other apps call (the Dokumen Evaluasi, the executive brief)."""

import datetime

from django.utils import timezone

from cycles import services as cycle_services
from followups import queries, services
from followups.models import Finding, FollowUp

Kind = Finding.Kind


def test_findings_by_aspect_lists_every_aspect_in_tree_order(
    cycle, coordinator, evaluator, aspects, django_assert_num_queries
):
    services.add_finding(cycle, by=coordinator, aspect=aspects[3], kind=Kind.WEAKNESS, text="K1")
    services.add_finding(cycle, by=evaluator, aspect=aspects[3], kind=Kind.STRENGTH, text="S1")
    services.add_finding(cycle, by=evaluator, aspect=aspects[3], kind=Kind.WEAKNESS, text="K2")
    rec = services.add_finding(
        cycle, by=coordinator, aspect=aspects[0], kind=Kind.RECOMMENDATION, text="R1"
    )
    services.create_follow_up(
        rec,
        by=coordinator,
        agency=cycle.agencies.get(short_name="Dinkes"),
        due_date=timezone.localdate(),
    )

    with django_assert_num_queries(3):
        groups = queries.findings_by_aspect(cycle)
        follow_up_agencies = [
            f.agency.short_name for f in groups[0].recommendations[0].follow_ups.all()
        ]

    assert [group.aspect for group in groups] == aspects
    assert [group.aspect.number for group in groups] == ["1", "2", "3", "4", "5", "6", "7", "8"]
    assert [group.domain.number for group in groups] == ["1", "2", "2", "2", "3", "3", "4", "4"]
    assert (
        [f.text for f in groups[3].strengths],
        [f.text for f in groups[3].weaknesses],
        groups[3].recommendations,
    ) == (["S1"], ["K1", "K2"], [])
    assert [f.text for f in groups[0].recommendations] == ["R1"]
    assert follow_up_agencies == ["Dinkes"]
    assert [group.count for group in groups] == [1, 0, 0, 3, 0, 0, 0, 0]


def test_follow_up_reads_of_a_cycle_and_of_an_agency(
    cycle, coordinator, aspects, agency, other_agency, agency_user, due
):
    def follow_up(number, agency):
        finding = services.add_finding(
            cycle,
            by=coordinator,
            aspect=aspects[number],
            kind=Kind.RECOMMENDATION,
            text=f"R{number}",
        )
        return services.create_follow_up(finding, by=coordinator, agency=agency, due_date=due)

    first, second, third = follow_up(0, agency), follow_up(1, agency), follow_up(2, other_agency)
    services.update_follow_up(third, by=coordinator, status=FollowUp.Status.DONE, note="")
    later = cycle_services.copy_cycle(
        cycle, by=coordinator, year=2027, deadline=timezone.localdate() + datetime.timedelta(30)
    )
    fourth = services.add_finding(
        later, by=coordinator, aspect=aspects[0], kind=Kind.RECOMMENDATION, text="R baru"
    )
    newest = services.create_follow_up(fourth, by=coordinator, agency=other_agency, due_date=due)

    assert list(queries.follow_ups_of(cycle)) == [first, second, third]
    assert list(queries.follow_ups_of(later)) == [newest]
    assert list(queries.carried_follow_ups(later)) == [first, second]
    assert list(queries.carried_follow_ups(cycle)) == []
    assert queries.open_items_by_agency(later) == [(agency, 2), (other_agency, 1)]
    assert queries.open_items_by_agency(cycle) == [(agency, 2)]
    assert list(queries.follow_ups_for_agency(agency)) == [first, second]
    assert list(queries.follow_ups_for_agency(other_agency)) == [newest]
