"""Model rows read by plain SQL, for the few reads that run on (almost) every request.

Building and compiling an ORM query costs far more than running it: here a `.get(pk=…)`
of a user with their institution takes ~0.4–0.5 ms to build, compile and read, the same
statement run by the cursor ~0.03 ms (docs/benchmarks.md, "Figures after the third pass").
The reads that every signed-in request, every operator's page and every autosave or upload
makes (the user and their roles, the operator's cycle, the answering window, the OPD's work
and follow-ups, the data dukung panel, the audit chain's head) are therefore written as
SQL statements, and this module turns their rows into model instances exactly as the ORM
does: `Model.from_db` with each field's database converters (SQLite returns dates as text
and booleans as integers; a JSONField's text is decoded).

Table and column names always come from the models' `_meta`; values are always parameters.
Use it only where a measured hot path needs it: everywhere else the ORM is the clearer code.
"""

from django.db import DEFAULT_DB_ALIAS, connection, connections


def quote(name):
    return connection.ops.quote_name(name)


def table(model):
    return quote(model._meta.db_table)


def column(model, field, alias=None):
    name = quote(model._meta.get_field(field).column)
    return f"{alias}.{name}" if alias else name


def join(model, alias, to, *, field="id", outer=False):
    """ "INNER JOIN <the model's table> <alias> ON <alias>.<field> = <to> " (a LEFT JOIN when
    `outer`), `to` being a qualified column (see `column`)."""
    kind = "LEFT JOIN" if outer else "INNER JOIN"
    return f"{kind} {table(model)} {alias} ON {column(model, field, alias)} = {to} "


def select(*sources):
    """ "SELECT <the columns of every source> FROM <the first> <JOIN the others> ", the
    columns in the order `instances` reads them. `sources`: (model, alias) for the first,
    then (model, alias, "other_alias.field") for each joined one, on its primary key equal
    to that column, with a fourth item "outer" for a LEFT JOIN."""
    (first, first_alias), joined = sources[0], sources[1:]
    models = {first_alias: first}
    columns = [select_list(first, first_alias)]
    joins = []
    for model, alias, on, *outer in joined:
        other, field = on.split(".")
        models[alias] = model
        columns.append(select_list(model, alias))
        to = column(models[other], field, other)
        joins.append(join(model, alias, to, outer=outer == ["outer"]))
    return f"SELECT {', '.join(columns)} FROM {table(first)} {first_alias} {''.join(joins)}"


def placeholders(count):
    """ "%s, %s, …": `count` parameters, for an IN (…)."""
    return ", ".join(["%s"] * count)


def select_list(model, alias):
    """The model's concrete columns, qualified by `alias`, in the order `instance` reads."""
    return ", ".join(f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields)


def width(model):
    """How many columns `select_list` gives for the model."""
    return len(model._meta.concrete_fields)


def _reader(model):
    """(attnames, the primary key's index, [(column expression, converters)]) of the model
    for this thread's connection, kept on the connection object (its converters are bound
    to its operations; `connection` itself is a proxy shared by the threads)."""
    readers = connections[DEFAULT_DB_ALIAS].__dict__.setdefault("_monev_plain_readers", {})
    reader = readers.get(model)
    if reader is None:
        fields = model._meta.concrete_fields
        columns = []
        for field in fields:
            expression = field.get_col(model._meta.db_table)
            converters = connection.ops.get_db_converters(
                expression
            ) + expression.get_db_converters(connection)
            columns.append((expression, converters))
        attnames = [field.attname for field in fields]
        pk_index = attnames.index(model._meta.pk.attname)
        reader = readers[model] = (attnames, pk_index, columns)
    return reader


def instance(model, row, start=0):
    """The model instance made of row[start:start + width(model)] as the ORM makes it, or
    None when its primary key is NULL (the missing side of a LEFT JOIN)."""
    attnames, pk_index, columns = _reader(model)
    values = list(row[start : start + len(attnames)])
    if values[pk_index] is None:
        return None
    for index, (expression, converters) in enumerate(columns):
        value = values[index]
        for converter in converters:
            value = converter(value, expression, connection)
        values[index] = value
    return model.from_db(connection.alias, attnames, values)


def value(model, attname, raw):
    """One column's value `raw` of the model's field `attname` as the ORM would give it (a
    date from SQLite's text, say), for a statement that reads a few columns only."""
    attnames, _pk_index, columns = _reader(model)
    expression, converters = columns[attnames.index(attname)]
    for converter in converters:
        raw = converter(raw, expression, connection)
    return raw


def instances(models, row):
    """The instances of `models` (a tuple, in the order of their select lists) in one row."""
    made, start = [], 0
    for model in models:
        made.append(instance(model, row, start))
        start += width(model)
    return made


def fetch(sql, params):
    """Every row of one statement."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def insert(obj):
    """INSERT the new model instance `obj` as Model.save() would (every concrete field but
    an auto primary key, each prepared by its field for this database) and set its pk.
    No signals are sent: only for models that have no receivers (the audit events)."""
    model = type(obj)
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    values = [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
    pk = model._meta.pk
    sql = (
        f"INSERT INTO {table(model)} ({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with connection.cursor() as cursor:
        if connection.features.can_return_columns_from_insert:
            cursor.execute(f"{sql} RETURNING {quote(pk.column)}", values)
            obj.pk = cursor.fetchone()[0]
        else:
            cursor.execute(sql, values)
            obj.pk = connection.ops.last_insert_id(cursor, model._meta.db_table, pk.column)
    obj._state.adding, obj._state.db = False, connection.alias
    return obj
