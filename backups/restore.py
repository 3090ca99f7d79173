"""Restore an archive (see archive.py) into an empty installation: all or nothing.

Order: check that this installation can take the archive (migrations known, database
and storage empty) and the whole archive (every member's size and hash) before writing
anything; migrate the database to the archive's migration state; then, in one
transaction, the rows with their primary keys, the constraint check, the sequences and
the files. On any failure the files written so far are deleted and the transaction rolls
back: the database keeps only its schema and what `migrate` wrote.
"""

import hashlib

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader

from backups.archive import (
    PROGRESS_BYTES,
    PROGRESS_ROWS,
    ArchiveError,
    Progress,
    open_archive,
    read_member,
    verify_archive,
)
from backups.tables import insert_rows, models_at


def restore_backup(path, *, out=None):
    """Restore the archive at `path` into this empty installation; `out` takes progress
    lines. Returns what was restored: {"rows", "tables", "files", "bytes",
    "newer_migrations", "missing_files"}. Raises ArchiveError when the archive or the
    installation is not fit, before anything is written."""

    archive, manifest = open_archive(path)
    with archive:
        archived = {
            (app_label, name)
            for app_label, names in manifest["migrations"].items()
            for name in names
        }
        loader = MigrationLoader(connection)
        _check_known(loader, archived, manifest["app_version"])
        _check_database_empty()
        _check_storage_empty(manifest["files"])
        verify_archive(archive, manifest, out=out)
        if out:
            out("Migrating the database to the archive's migration state.")
        nodes = _migrate_to(loader, archived)
        models = {model._meta.label_lower: model for model in models_at(loader, nodes)}
        written = []
        try:
            with transaction.atomic():
                _insert_tables(archive, manifest["tables"], models, out)
                _write_files(archive, manifest["files"], written, out)
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise
    ContentType.objects.clear_cache()
    return {
        "rows": sum(entry["rows"] for entry in manifest["tables"]),
        "tables": len(manifest["tables"]),
        "files": len(manifest["files"]),
        "bytes": sum(entry["size"] for entry in manifest["files"]),
        "newer_migrations": len(loader.graph.nodes) - len(nodes),
        "missing_files": manifest.get("missing_files", []),
    }


def _check_known(loader, archived, version):
    known = set(loader.disk_migrations)
    known |= {key for migration in loader.disk_migrations.values() for key in migration.replaces}
    unknown = sorted(archived - known)
    if unknown:
        names = ", ".join(f"{app_label}.{name}" for app_label, name in unknown[:5])
        raise ArchiveError(
            f"The archive was made by a newer version of Monev ({version}): this code does "
            f"not know {len(unknown)} of its migrations ({names}). Restore it with that "
            "version or a later one."
        )


def _check_database_empty():
    existing = set(connection.introspection.table_names())
    # `migrate` fills these itself; the archive's rows take their place.
    filled_by_migrate = {ContentType._meta.db_table, Permission._meta.db_table}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if not model._meta.managed or model._meta.proxy or table in filled_by_migrate:
            continue
        if table in existing and model._base_manager.exists():
            raise ArchiveError(
                f"The database already holds data (table {table} has rows): a backup is "
                "restored only into an empty installation. Nothing was written."
            )


def _check_storage_empty(files):
    for entry in files:
        if default_storage.exists(entry["name"]):
            raise ArchiveError(
                f"The storage already holds {entry['name']}: a backup is restored only into "
                "an empty installation. Nothing was written."
            )


def _migrate_to(loader, archived):
    """Migrate to the archive's state: everything when it is this code's state, else each
    app to its last archived migration. Returns the archive's nodes of the graph."""

    nodes = {key for key in archived if key in loader.graph.nodes}
    if nodes == set(loader.graph.nodes):
        call_command("migrate", verbosity=0, interactive=False)
        return nodes
    for app_label, name in sorted(nodes):
        children = loader.graph.node_map[(app_label, name)].children
        if not any(child.key in nodes and child.key[0] == app_label for child in children):
            call_command("migrate", app_label, name, verbosity=0, interactive=False)
    return nodes


def _insert_tables(archive, tables, models, out):
    quote = connection.ops.quote_name
    targets = []
    for entry in tables:
        if entry["model"] not in models:
            raise ArchiveError(
                f"The archive is damaged: its table {entry['model']} is not in its own "
                "migration state."
            )
        targets.append((entry, models[entry["model"]]))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # The rows `migrate` wrote (content types, permissions): the archive's replace them.
        for _entry, model in targets:
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")
    total = sum(entry["rows"] for entry in tables)
    progress = Progress(out, "Rows", total, step=PROGRESS_ROWS, unit="rows")
    for entry, model in targets:
        with read_member(archive, entry["member"]) as stream:
            try:
                count = insert_rows(model, entry["columns"], _lines(stream, progress), connection)
            except ValueError as error:
                raise ArchiveError(f"The archive is damaged: {error}.") from None
        if count != entry["rows"]:
            raise ArchiveError(
                f"The archive is damaged: member {entry['member']} has {count} rows, its "
                f"manifest says {entry['rows']}."
            )
    progress.finish()
    # Foreign keys are checked here, once every table is in (self-references and
    # many-to-many tables included), rather than row by row.
    connection.check_constraints()
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [m for _e, m in targets]):
            cursor.execute(sql)


def _lines(stream, progress):
    for line in stream:
        progress.add(1)
        yield line


def _write_files(archive, files, written, out):
    total = sum(entry["size"] for entry in files)
    progress = Progress(out, "Files", total, step=PROGRESS_BYTES, unit="bytes")
    for entry in files:
        name = entry["name"]
        with read_member(archive, entry["member"]) as stream:
            reader = _HashingReader(stream, entry["size"], progress)
            saved = default_storage.save(name, File(reader, name=name))
            written.append(saved)
        if saved != name:
            raise ArchiveError(f"The storage stored {name} as {saved}; nothing was restored.")
        if reader.sha256.hexdigest() != entry["sha256"]:
            raise ArchiveError(
                f"The archive changed while it was restored: {entry['member']} no longer "
                "matches its hash. Nothing was restored."
            )
    progress.finish()


class _HashingReader:
    """A read-only, forward-only file over an archive member, hashing what is read."""

    def __init__(self, stream, size, progress):
        self.stream, self.size, self.progress = stream, size, progress
        self.sha256 = hashlib.sha256()

    def read(self, size=-1):
        chunk = self.stream.read(size)
        self.sha256.update(chunk)
        self.progress.add(len(chunk))
        return chunk

    def seekable(self):
        return False
