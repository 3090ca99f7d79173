"""The audit trail as hash chains: one chain per institution (events without an institution
form their own), each event numbered `seq` 1, 2, 3… in its chain and carrying the hash of
its predecessor, so a changed, inserted or deleted row breaks the chain at that event.

An event's hash is SHA-256 over a canonical JSON of its fields (see `canonical`). The chain
is checked by `verify_chain` (and `manage.py verify_audit`). A chain whose last events are
deleted still verifies: the head printed in the Dokumen Evaluasi is the anchor for that.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from monev import plain

# The prev_hash of the first event of a chain.
GENESIS = "0" * 64
# Namespace of the PostgreSQL advisory locks that serialize the appends to one chain.
LOCK_NAMESPACE = 0x41554454  # "AUDT"


def _plain(value):
    """JSON data as it reads back from either database: floats that are whole numbers as
    ints (PostgreSQL's jsonb returns 1e20 as 100000000000000000000)."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def canonical(event):
    """The bytes an event's hash is computed over: its chain position, who, what, when and
    its predecessor's hash — everything but its database id. Works on the model and on its
    historical version in migrations (attributes only)."""
    fields = {
        "seq": event.seq,
        "institution": event.institution_id,
        "actor": event.actor_id,
        "cycle": event.cycle_id,
        "action": event.action,
        "target": event.target,
        "before": _plain(json.loads(json.dumps(event.before))),
        "after": _plain(json.loads(json.dumps(event.after))),
        "reason": event.reason,
        "created_at": event.created_at.astimezone(datetime.UTC).isoformat(),
        "prev_hash": event.prev_hash,
    }
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode()


def event_hash(event):
    return hashlib.sha256(canonical(event)).hexdigest()


def chain_events(institution_id):
    """The events of one chain (an institution's, or None: those without one)."""
    from audit.models import AuditEvent

    if institution_id is None:
        return AuditEvent.objects.filter(institution__isnull=True)
    return AuditEvent.objects.filter(institution_id=institution_id)


def chain_head(institution):
    """(seq, hash) of the newest event of the institution's chain (None: the chain of the
    events without an institution); (0, GENESIS) while it is empty."""
    from audit.models import AuditEvent

    institution_id = getattr(institution, "pk", institution)
    # Read before every event is written (every autosave): one plain statement (monev.plain).
    events, seq = plain.table(AuditEvent), plain.column(AuditEvent, "seq")
    owner = plain.column(AuditEvent, "institution")
    where, params = (
        (f"{owner} IS NULL", []) if institution_id is None else (f"{owner} = %s", [institution_id])
    )
    rows = plain.fetch(
        f"SELECT {seq}, {plain.column(AuditEvent, 'hash')} FROM {events} WHERE {where} "
        f"ORDER BY {seq} DESC LIMIT 1",
        params,
    )
    return tuple(rows[0]) if rows else (0, GENESIS)


def append(event):
    """Save a new AuditEvent as the next link of its institution's chain: its seq, time,
    prev_hash and hash set here. Runs in the caller's transaction (or its own).

    Appends to one chain are serialized until the transaction ends, so two concurrent
    events never take the same predecessor: SQLite writes one transaction at a time (BEGIN
    IMMEDIATE, see settings); PostgreSQL takes a transaction-level advisory lock on the
    chain — locking the head row would not do, the waiting transaction would read the old
    head again. The unique (institution, seq) constraints are the safety net.
    """
    with transaction.atomic(savepoint=False):
        _lock_chain(event.institution_id)
        seq, prev_hash = chain_head(event.institution_id)
        event.seq = seq + 1
        event.prev_hash = prev_hash
        event.created_at = timezone.now()
        event.hash = event_hash(event)
        event.save()
    return event


def _lock_chain(institution_id):
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, institution_id or 0]
        )


@dataclass(frozen=True)
class ChainCheck:
    """The outcome of verify_chain: how many events were read, the head, and the first
    broken link (None when the chain is intact)."""

    count: int
    head_seq: int
    head_hash: str
    broken_event: int | None = None
    broken_seq: int | None = None
    problem: str = ""

    @property
    def ok(self):
        return self.broken_event is None


def verify_chain(institution_id):
    """Recompute one chain in seq order and stop at the first broken link: a seq out of
    order (an event deleted or inserted), a prev_hash that is not its predecessor's hash,
    or a hash that does not match the event's fields (the row was changed)."""
    count, seq, prev_hash = 0, 0, GENESIS
    for event in chain_events(institution_id).order_by("seq", "id").iterator(chunk_size=2000):
        problem = ""
        if event.seq != seq + 1:
            problem = (
                f"seq {event.seq} follows seq {seq}: an event is missing or was inserted"
                if event.seq > seq
                else f"seq {event.seq} repeats or goes back after seq {seq}"
            )
        elif event.prev_hash != prev_hash:
            problem = (
                f"prev_hash {event.prev_hash[:16]}… is not the hash of seq {seq} "
                f"({prev_hash[:16]}…)"
            )
        elif event.hash != event_hash(event):
            problem = (
                f"the stored hash {event.hash[:16]}… does not match the event's fields "
                f"(recomputed {event_hash(event)[:16]}…): the row was changed"
            )
        if problem:
            return ChainCheck(count, seq, prev_hash, event.pk, event.seq, problem)
        count, seq, prev_hash = count + 1, event.seq, event.hash
    return ChainCheck(count, seq, prev_hash)


def chain_institution_ids():
    """The institution ids that have a chain, None (the events without an institution) first."""
    from audit.models import AuditEvent

    ids = AuditEvent.objects.order_by().values_list("institution_id", flat=True).distinct()
    return sorted(ids, key=lambda pk: (pk is not None, pk or 0))
