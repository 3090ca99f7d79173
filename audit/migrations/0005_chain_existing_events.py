# The existing events chained in id order, one chain per institution (see audit/chain.py).

from django.db import migrations

from audit.chain import GENESIS, event_hash

BATCH = 1000


def chain_existing_events(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    heads = {}  # institution id -> (seq, hash) of its chain so far
    batch = []
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=BATCH):
        seq, prev_hash = heads.get(event.institution_id, (0, GENESIS))
        event.seq = seq + 1
        event.prev_hash = prev_hash
        event.hash = event_hash(event)
        heads[event.institution_id] = (event.seq, event.hash)
        batch.append(event)
        if len(batch) == BATCH:
            AuditEvent.objects.bulk_update(batch, ["seq", "prev_hash", "hash"])
            batch = []
    AuditEvent.objects.bulk_update(batch, ["seq", "prev_hash", "hash"])


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0004_auditevent_chain_fields'),
    ]

    operations = [
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
    ]
