"""The audit events API: a cycle's events for the staff who see its history page, the whole
trail for the administrator, no event for anyone else nor of another institution; every event
with what a program needs to verify the hash chain itself."""

import datetime
import hashlib
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.chain import GENESIS
from audit.models import AuditEvent
from audit.services import record_event
from cycles import services as cycle_services
from monev.testing import api_client

STAFF = ["coordinator", "supervisor", "secretariat", "evaluator", "leader", "admin_user"]


@pytest.fixture
def cycle(framework, sop, coordinator, agency, other_agency):
    return cycle_services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=[agency, other_agency],
        deadline=datetime.date(2026, 12, 15),
        contact_person=coordinator,
        contact_phone="0812-0000-0000",
    )


@pytest.fixture
def trail(cycle, coordinator, admin_user, outsider):
    """Besides the cycle's own events: an account event of the institution (no cycle) and
    an event of another institution."""
    record_event("user.updated", by=admin_user, target=coordinator, after={"position": "Kasi"})
    record_event("cycle.opened", by=outsider, after={"year": 2026})
    return cycle


def actions(response):
    return [row["action"] for row in response.json()["results"]]


@pytest.mark.parametrize("persona", STAFF)
def test_staff_read_a_cycles_events(request, persona, trail):
    response = api_client(request.getfixturevalue(persona)).get(
        f"/api/v1/audit-events/?cycle={trail.pk}"
    )

    assert response.status_code == 200
    expected = list(
        AuditEvent.objects.filter(cycle=trail).order_by("seq").values_list("action", flat=True)
    )
    assert actions(response) == expected
    assert expected[:2] == ["step.started", "cycle.opened"]
    assert {row["cycle"] for row in response.json()["results"]} == {trail.pk}


@pytest.mark.parametrize("persona", ["agency_user", "other_agency_user"])
def test_operators_read_no_event(request, persona, trail):
    client = api_client(request.getfixturevalue(persona))

    for url in (f"/api/v1/audit-events/?cycle={trail.pk}", "/api/v1/audit-events/"):
        response = client.get(url)
        assert (response.status_code, response.json()["results"]) == (200, [])


def test_another_institution_reads_only_its_own_events(outsider, trail):
    client = api_client(outsider)

    named = client.get(f"/api/v1/audit-events/?cycle={trail.pk}")
    assert (named.status_code, named.json()["results"]) == (200, [])
    own = client.get("/api/v1/audit-events/").json()["results"]
    # Its administrator's whole trail: the event it recorded and its API token's creation.
    assert [(row["institution"], row["action"]) for row in own] == [
        (outsider.institution_id, "cycle.opened"),
        (outsider.institution_id, "api_token.created"),
    ]


def test_admin_reads_the_whole_trail_other_staff_every_cycles_events(
    trail, admin_user, coordinator, institution
):
    admin_client, coordinator_client = api_client(admin_user), api_client(coordinator)

    everything = admin_client.get("/api/v1/audit-events/").json()["results"]
    cycles_only = coordinator_client.get("/api/v1/audit-events/").json()["results"]

    ours = AuditEvent.objects.filter(institution=institution).order_by("seq")
    assert [row["id"] for row in everything] == [event.pk for event in ours]
    assert "user.updated" in [row["action"] for row in everything]
    assert [row["id"] for row in cycles_only] == [
        event.pk for event in ours.filter(cycle__isnull=False)
    ]
    assert "user.updated" not in [row["action"] for row in cycles_only]


def test_filters_by_action_and_after_seq(trail, admin_user, coordinator):
    client = api_client(admin_user)

    updated = client.get("/api/v1/audit-events/?action=user.updated").json()["results"]
    first = client.get("/api/v1/audit-events/").json()["results"][0]
    later = client.get(f"/api/v1/audit-events/?after_seq={first['seq']}").json()["results"]

    assert [(row["action"], row["target"]) for row in updated] == [
        ("user.updated", f"institutions.user:{coordinator.pk}")
    ]
    assert (first["seq"], first["prev_hash"]) == (1, GENESIS)
    assert [row["seq"] for row in later] == list(range(2, len(later) + 2))
    assert len(later) == AuditEvent.objects.filter(institution=admin_user.institution).count() - 1


def test_a_program_verifies_the_chain_from_the_answers_alone(trail, admin_user):
    rows = api_client(admin_user).get("/api/v1/audit-events/?page_size=500").json()["results"]

    previous = GENESIS
    for row in rows:
        fields = {name: row[name] for name in ["seq", "institution", "actor", "cycle"]}
        fields |= {
            name: row[name]
            for name in ["action", "target", "before", "after", "reason", "created_at"]
        }
        fields["prev_hash"] = row["prev_hash"]
        text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert row["prev_hash"] == previous
        assert hashlib.sha256(text.encode()).hexdigest() == row["hash"]
        previous = row["hash"]
    assert len(rows) == AuditEvent.objects.filter(institution=admin_user.institution).count()


def test_actor_is_named_and_no_secret_is_shown(trail, admin_user):
    rows = api_client(admin_user).get("/api/v1/audit-events/?action=user.updated").json()
    [row] = rows["results"]

    assert (row["actor"], row["actor_name"]) == (admin_user.pk, "Admin Diskominfo")
    assert row["after"] == {"position": "Kasi"}


def test_list_queries_do_not_grow_with_events(trail, admin_user, coordinator):
    client = api_client(admin_user)
    client.get("/api/v1/audit-events/")
    with CaptureQueriesContext(connection) as few:
        count = len(client.get("/api/v1/audit-events/").json()["results"])
    for number in range(10):
        record_event("user.updated", by=coordinator, after={"n": number})
    with CaptureQueriesContext(connection) as more:
        assert len(client.get("/api/v1/audit-events/").json()["results"]) == count + 10

    assert len(more) == len(few)


def test_an_id_filter_that_no_row_can_have_is_400(trail, admin_user):
    client = api_client(admin_user)

    cycle = client.get("/api/v1/audit-events/?cycle=99999999999999999999999")
    seq = client.get("/api/v1/audit-events/?after_seq=x")

    assert (cycle.status_code, cycle.json()["errors"]) == (400, {"cycle": ["Isi dengan nomor id."]})
    assert (seq.status_code, seq.json()["errors"]) == (400, {"after_seq": ["Isi dengan nomor id."]})
