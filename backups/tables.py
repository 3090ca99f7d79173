"""Tables as JSON Lines, the same on every database engine.

Every table of the migration state is one member of the archive: one JSON array per row,
ordered by primary key, its values in the order of the table's columns (the fields'
attnames, listed in the manifest). A value is written as JSON has it (null, booleans,
numbers, text, and a JSONField's own value) or else as text: datetimes in ISO 8601 with
their offset (UTC, as Django reads them under USE_TZ), dates and times in ISO 8601,
Decimal as its digits, UUID, durations in ISO 8601 and binary data in base64. Reading back
goes through each field's to_python and get_db_prep_save, so the database that receives
the rows decides how to store them.

The models are the historical ones of the migration state (migrations' "project state"),
not the ones in the code: a backup reads the tables as they are, and a restore writes the
rows into the schema the archive was made from, even when the code has moved on.
"""

import base64
import datetime
import json

from django.db import models
from django.utils.duration import duration_iso_string

CHUNK_ROWS = 2000


def models_at(loader, nodes):
    """The concrete models of the migration state reached by `nodes` (app label and
    migration name), auto-created many-to-many tables included, sorted by label."""

    state_apps = loader.project_state(sorted(nodes), at_end=True).apps
    return sorted(
        (
            model
            for model in state_apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy and not model._meta.swapped
        ),
        key=lambda model: model._meta.label_lower,
    )


def columns_of(model):
    """The fields stored in the model's own table, in the order of its columns."""
    return list(model._meta.local_concrete_fields)


def read_rows(model, connection):
    """The table's rows as tuples of Python values, ordered by primary key, streamed."""
    names = [field.attname for field in columns_of(model)]
    rows = model._base_manager.using(connection.alias).order_by("pk").values_list(*names)
    return rows.iterator(chunk_size=CHUNK_ROWS)


def encode_row(fields, row):
    """One row as a line of JSON (bytes, with its newline)."""
    values = [_encode(field, value) for field, value in zip(fields, row, strict=True)]
    # Sorted keys inside JSONField values: PostgreSQL's jsonb reorders them, so without
    # sorting the same data would give different bytes (and hashes) on each engine.
    text = json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode() + b"\n"


def _encode(field, value):
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.date | datetime.time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)  # Decimal, UUID


def insert_rows(model, columns, lines, connection, *, batch_size=500):
    """Insert the JSON Lines of `lines` into the model's table with their primary keys;
    returns how many rows were inserted. Raises ValueError on a column this model lacks."""

    fields_by_name = {field.attname: field for field in columns_of(model)}
    unknown = [name for name in columns if name not in fields_by_name]
    if unknown:
        raise ValueError(f"{model._meta.label_lower} has no column {unknown[0]}")
    fields = [fields_by_name[name] for name in columns]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    count, batch = 0, []
    with connection.cursor() as cursor:
        for line in lines:
            values = json.loads(line)
            batch.append(
                [
                    field.get_db_prep_save(_decode(field, value), connection)
                    for field, value in zip(fields, values, strict=True)
                ]
            )
            if len(batch) == batch_size:
                cursor.executemany(sql, batch)
                count, batch = count + len(batch), []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _decode(field, value):
    if value is None or isinstance(field, models.JSONField):
        return value
    return field.to_python(value)
