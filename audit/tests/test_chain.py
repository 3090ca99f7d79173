"""The audit trail's hash chains: appended by record_event, checked by verify_audit, and
broken at the exact event by a changed, deleted or inserted row."""

import importlib
import io
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.loader import MigrationLoader

from audit.chain import GENESIS, chain_head, event_hash, verify_chain
from audit.models import AuditEvent
from audit.services import record_event
from institutions.models import User


@pytest.fixture
def events(coordinator, supervisor, outsider):
    """Three events of Kota Pontianak, one of Pangkalpinang and one without an institution."""
    return [
        record_event("cycle.opened", by=coordinator, after={"year": 2026}),
        record_event("letter.drafted", by=supervisor, before=None, after={"title": "Undangan"}),
        record_event("letter.approved", by=coordinator, before={"s": "draft"}, after={"s": "ok"}),
        record_event("cycle.opened", by=outsider, after={"year": 2026}),
        record_event("framework.loaded", by=None, after={"code": "spbe-2020", "score": 2.0}),
    ]


def verify(*args):
    """verify_audit's (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
    except CommandError as error:
        return 1, out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


def raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_events_are_numbered_and_linked_per_institution(events):
    first, second, third, foreign, loose = events
    assert [(e.seq, e.prev_hash) for e in events] == [
        (1, GENESIS),
        (2, first.hash),
        (3, second.hash),
        (1, GENESIS),
        (1, GENESIS),
    ]
    assert third.hash == event_hash(AuditEvent.objects.get(pk=third.pk))
    assert len({e.hash for e in events}) == 5
    assert chain_head(first.institution) == (3, third.hash)
    assert chain_head(foreign.institution) == (1, foreign.hash)
    assert chain_head(None) == (1, loose.hash)


def test_an_empty_chain_has_the_genesis_head(institution):
    assert chain_head(institution) == (0, GENESIS)


def test_a_fresh_chain_verifies(events):
    third, foreign, loose = events[2], events[3], events[4]
    assert verify() == (
        0,
        f"(no institution): OK: 1 events, head {loose.hash}\n"
        f"pontianak: OK: 3 events, head {third.hash}\n"
        f"pangkalpinang: OK: 1 events, head {foreign.hash}\n",
        "",
    )
    assert verify("--institution", "pangkalpinang") == (
        0,
        f"pangkalpinang: OK: 1 events, head {foreign.hash}\n",
        "",
    )


def test_an_unknown_institution_is_refused(events):
    assert verify("--institution", "atlantis") == (
        1,
        "",
        "No institution with the slug 'atlantis'.",
    )


def test_a_changed_value_breaks_the_chain_at_that_event(events):
    second = events[1]
    raw("UPDATE audit_auditevent SET after = %s WHERE id = %s", ['{"title": "Palsu"}', second.pk])
    code, out, err = verify("--institution", "pontianak")
    assert (code, out) == (1, "")
    assert err.startswith(
        f"pontianak: BROKEN at event {second.pk} (seq 2), after 1 good events: the stored hash "
        f"{second.hash[:16]}… does not match the event's fields"
    )
    assert err.endswith("1 broken audit chain(s).")
    check = verify_chain(second.institution_id)
    assert (check.ok, check.count, check.broken_event, check.broken_seq) == (
        False,
        1,
        second.pk,
        2,
    )


def test_a_changed_actor_breaks_the_chain_at_that_event(events, evaluator):
    third = events[2]
    raw("UPDATE audit_auditevent SET actor_id = %s WHERE id = %s", [evaluator.pk, third.pk])
    check = verify_chain(third.institution_id)
    assert (check.broken_event, check.broken_seq, check.count) == (third.pk, 3, 2)
    assert "does not match the event's fields" in check.problem
    # The other institutions' chains are untouched.
    assert verify_chain(events[3].institution_id).ok


def test_a_rehashed_change_breaks_the_next_link(events):
    first, second = events[0], events[1]
    event = AuditEvent.objects.get(pk=first.pk)
    event.reason = "diubah"
    raw(
        "UPDATE audit_auditevent SET reason = %s, hash = %s WHERE id = %s",
        ["diubah", event_hash(event), first.pk],
    )
    check = verify_chain(first.institution_id)
    assert (check.broken_event, check.broken_seq) == (second.pk, 2)
    assert check.problem.startswith(f"prev_hash {first.hash[:16]}… is not the hash of seq 1")


def test_a_deleted_event_is_detected(events):
    second, third = events[1], events[2]
    raw("DELETE FROM audit_auditevent WHERE id = %s", [second.pk])
    check = verify_chain(second.institution_id)
    assert (check.broken_event, check.broken_seq, check.count) == (third.pk, 3, 1)
    assert check.problem == "seq 3 follows seq 1: an event is missing or was inserted"
    assert verify()[0] == 1


def test_the_seq_is_unique_per_chain(events, institution):
    first = events[0]
    duplicate = AuditEvent(
        institution=institution, action="x", seq=2, prev_hash=first.hash, hash=first.hash
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    loose = AuditEvent(institution=None, action="x", seq=1, prev_hash=GENESIS, hash=GENESIS)
    with pytest.raises(IntegrityError), transaction.atomic():
        loose.save()


def test_the_migration_chains_existing_events_as_record_event_does(events):
    hashes = {event.pk: (event.seq, event.prev_hash, event.hash) for event in events}
    raw("UPDATE audit_auditevent SET seq = seq + 100, prev_hash = '', hash = ''", [])
    migration = importlib.import_module("audit.migrations.0005_chain_existing_events")
    state = MigrationLoader(connection).project_state(("audit", "0005_chain_existing_events"))
    migration.chain_existing_events(state.apps, None)
    assert {
        pk: (seq, prev, value)
        for pk, seq, prev, value in AuditEvent.objects.values_list("pk", "seq", "prev_hash", "hash")
    } == hashes
    assert verify()[0] == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_valid_chain(coordinator):
    if connection.vendor == "sqlite":
        # The SQLite test database is in memory with a shared cache, where a second writer
        # fails at once instead of waiting as it does on the WAL file (BEGIN IMMEDIATE).
        pytest.skip("concurrent writers need PostgreSQL or a file database")
    workers, per_worker = 4, 5
    barrier = threading.Barrier(workers)
    errors = []

    def append_events():
        user = User.objects.get(pk=coordinator.pk)
        try:
            barrier.wait(timeout=10)
            for number in range(per_worker):
                with transaction.atomic():
                    record_event("thing.done", by=user, after={"n": number})
        except Exception as error:  # reported to the test, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=append_events) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    seqs = sorted(coordinator.institution.audit_events.values_list("seq", flat=True))
    assert seqs == list(range(1, workers * per_worker + 1))
    check = verify_chain(coordinator.institution_id)
    assert (check.ok, check.count) == (True, workers * per_worker)
