"""The meetings API: who sees which meeting and which rows of the daftar hadir, and the
attendance desk's actions through the page's services; constant query counts."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from cycles import services as cycle_services
from cycles.services import finish_step
from institutions.models import Agency, Role
from meetings import services
from meetings.models import Attendee
from meetings.tests.conftest import PLACE
from monev.testing import api_client, make_user


def meeting_url(cycle, tail=""):
    return f"/api/v1/cycles/{cycle.pk}/meeting/{tail}"


def row_of(meeting, user):
    return Attendee.objects.get(meeting=meeting, user=user)


@pytest.fixture
def stranger_operator(institution):
    """An operator of an OPD that does not take part in the cycle (not invited)."""
    agency = Agency.objects.create(
        institution=institution, name="Dinas Perhubungan", short_name="Dishub"
    )
    return make_user(institution, "opd-dishub", Role.AGENCY, agency=agency)


# --- Reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "listed", "status", "minutes"),
    [
        ("coordinator", 1, 200, True),
        ("supervisor", 1, 200, True),
        ("secretariat", 1, 200, True),
        ("evaluator", 1, 200, True),
        ("leader", 1, 200, True),
        ("admin_user", 1, 200, True),
        ("agency_user", 1, 200, False),  # invited as its OPD's operator
        ("stranger_operator", 0, 404, None),
        ("outsider", 0, 404, None),
    ],
)
def test_meetings_per_role(request, meeting, cycle, persona, listed, status, minutes):
    client = api_client(request.getfixturevalue(persona))

    body = client.get("/api/v1/meetings/").json()
    assert body["count"] == listed
    if listed:
        assert body["results"][0]["cycle"] == cycle.pk
        assert body["results"][0]["place"] == PLACE

    response = client.get(meeting_url(cycle))
    assert response.status_code == status
    if status == 200:
        detail = response.json()
        assert detail["place"] == PLACE and detail["started_at"] is None
        assert (detail["minutes"] is not None) is minutes
        assert (detail["listed_count"] is not None) is minutes


def test_meeting_list_filters_by_cycle(meeting, cycle, coordinator):
    client = api_client(coordinator)
    assert client.get("/api/v1/meetings/", {"cycle": cycle.pk}).json()["count"] == 1
    assert client.get("/api/v1/meetings/", {"cycle": cycle.pk + 1}).json()["count"] == 0
    assert client.get("/api/v1/meetings/", {"cycle": "x"}).status_code == 400


def test_a_cycle_without_meeting_is_404(cycle, coordinator):
    assert api_client(coordinator).get(meeting_url(cycle)).status_code == 404


def test_staff_read_the_whole_daftar_hadir_an_invitee_their_own_row(
    meeting, cycle, secretariat, agency_user
):
    rows = api_client(secretariat).get(meeting_url(cycle, "attendees/")).json()
    everyone = list(Attendee.objects.filter(meeting=meeting).values_list("pk", flat=True))
    assert sorted(row["id"] for row in rows["results"]) == sorted(everyone)
    assert rows["count"] == len(everyone) > 1

    own = api_client(agency_user).get(meeting_url(cycle, "attendees/")).json()
    assert [row["id"] for row in own["results"]] == [row_of(meeting, agency_user).pk]
    assert own["results"][0]["present"] is False


def test_another_institution_reads_nothing(meeting, cycle, outsider):
    client = api_client(outsider)
    assert client.get(meeting_url(cycle, "attendees/")).status_code == 404
    assert client.get("/api/v1/meetings/", {"cycle": cycle.pk}).json()["count"] == 0


# --- The attendance desk ---------------------------------------------------------------------


def test_desk_checks_someone_in_through_the_service(meeting, cycle, secretariat, evaluator):
    row = row_of(meeting, evaluator)

    response = api_client(secretariat).post(meeting_url(cycle, f"attendees/{row.pk}/check-in/"))

    assert response.status_code == 200
    assert response.json()["present"] is True
    assert response.json()["checked_in_by"] == "Sari Sekretariat"
    row.refresh_from_db()
    assert row.checked_in_by == secretariat
    assert AuditEvent.objects.filter(action="meeting.checked_in").count() == 1


def test_an_invitee_checks_themself_in_once(meeting, cycle, agency_user):
    client = api_client(agency_user)
    first = client.post(meeting_url(cycle, "check-in/"))
    again = client.post(meeting_url(cycle, "check-in/"))

    assert (first.status_code, again.status_code) == (200, 200)
    assert first.json()["checked_in_at"] == again.json()["checked_in_at"]
    assert AuditEvent.objects.filter(action="meeting.checked_in").count() == 1


def test_an_invitee_cannot_check_in_someone_else(meeting, cycle, agency_user, evaluator):
    row = row_of(meeting, evaluator)
    response = api_client(agency_user).post(meeting_url(cycle, f"attendees/{row.pk}/check-in/"))
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.checked_in_at is None


def test_self_check_in_without_a_row_is_404(meeting, cycle, secretariat):
    # The secretariat runs the desk and is not invited by default.
    assert api_client(secretariat).post(meeting_url(cycle, "check-in/")).status_code == 404


def test_another_institution_cannot_check_in(meeting, cycle, outsider, evaluator):
    row = row_of(meeting, evaluator)
    response = api_client(outsider).post(meeting_url(cycle, f"attendees/{row.pk}/check-in/"))
    assert response.status_code == 404


def test_an_ended_meeting_refuses_check_in_with_400(
    meeting, cycle, coordinator, evaluator, collection_closed
):
    services.start_meeting(meeting, by=coordinator)
    finish_step(cycle, 6, by=coordinator)
    row = row_of(meeting, evaluator)

    response = api_client(coordinator).post(meeting_url(cycle, f"attendees/{row.pk}/check-in/"))

    assert response.status_code == 400
    assert response.json()["detail"].startswith("Rapat sudah selesai pukul")
    row.refresh_from_db()
    assert row.checked_in_at is None


def test_desk_adds_a_walk_in(meeting, cycle, secretariat, other_agency):
    response = api_client(secretariat).post(
        meeting_url(cycle, "attendees/"),
        {"name": "Andi Tamu", "position": "Staf", "agency": other_agency.pk},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["agency"], body["invited"], body["present"]) == (
        "Andi Tamu",
        other_agency.pk,
        False,
        True,
    )
    assert AuditEvent.objects.filter(action="meeting.attendee_added").count() == 1


def test_walk_in_ahead_of_the_meeting_is_not_present(meeting, cycle, coordinator):
    response = api_client(coordinator).post(
        meeting_url(cycle, "attendees/"),
        {"name": "Tamu Undangan", "unit": "BPKP", "present": False},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["present"] is False and response.json()["unit"] == "BPKP"


def test_walk_in_of_another_institutions_opd_is_400(meeting, cycle, secretariat, foreign_agency):
    response = api_client(secretariat).post(
        meeting_url(cycle, "attendees/"),
        {"name": "Orang Lain", "agency": foreign_agency.pk},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["agency"]


@pytest.mark.parametrize("persona", ["evaluator", "leader", "agency_user"])
def test_only_the_desk_adds_walk_ins(request, meeting, cycle, persona):
    response = api_client(request.getfixturevalue(persona)).post(
        meeting_url(cycle, "attendees/"), {"name": "Siapa Saja"}, format="json"
    )
    assert response.status_code == 403
    assert not Attendee.objects.filter(name="Siapa Saja").exists()


def test_a_duplicate_walk_in_is_400(meeting, cycle, secretariat):
    client = api_client(secretariat)
    client.post(meeting_url(cycle, "attendees/"), {"name": "Andi Tamu"}, format="json")
    response = client.post(meeting_url(cycle, "attendees/"), {"name": "andi tamu"}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "andi tamu sudah ada di daftar hadir."


@pytest.mark.parametrize("walk_ins", [1, 25])
def test_attendee_list_query_count_is_constant(
    meeting, cycle, secretariat, django_assert_num_queries, walk_ins
):
    for number in range(walk_ins):
        services.add_attendee(meeting, by=secretariat, name=f"Tamu {number}", position="")
    client = api_client(secretariat)
    path = meeting_url(cycle, "attendees/")
    client.get(path)  # the token's first use is written once
    # token, memberships, meeting, the daftar hadir
    with django_assert_num_queries(4):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("years", [[2025], [2023, 2024, 2025]])
def test_meeting_list_query_count_is_constant(
    meeting, coordinator, agency, sop, django_assert_num_queries, years
):
    for year in years:
        other = cycle_services.open_cycle(
            by=coordinator,
            year=year,
            framework=meeting.cycle.framework,
            agencies=[agency],
            deadline=timezone.localdate() + datetime.timedelta(days=14),
            contact_person=coordinator,
        )
        services.schedule_meeting(
            other, by=coordinator, starts_at=meeting.starts_at, place=f"Ruang {year}"
        )
    client = api_client(coordinator)
    client.get("/api/v1/meetings/")  # the token's first use is written once
    # token, memberships, count, page
    with django_assert_num_queries(4):
        assert client.get("/api/v1/meetings/").json()["count"] == len(years) + 1
