"""The backup archive: one ZIP file holding the whole installation.

    data/<app label>.<model>.jsonl   every table, rows as tables.py writes them (deflated)
    files/<storage name>             every stored file a FileField names (stored as is)
    manifest.json                    written last: what the archive holds and its hashes

The manifest: {"format": "monev-backup", "format_version": 1, "app_version",
"created_at", "database" (the engine it came from), "migrations": {app label: [applied
migrations in the order they were applied]}, "tables": [{"model", "table", "member",
"columns", "rows", "size", "sha256"}], "files": [{"name", "member", "size", "sha256"}],
"missing_files": [names a row points to but the storage did not have]}. Sizes and hashes
are those of a member's uncompressed bytes.

ZIP rather than tar: a restore reads the manifest first without reading the archive
through, every member carries a CRC besides our SHA-256, members of unknown length are
written as streams, and `unzip -l` lists the archive on any machine.
"""

import datetime
import hashlib
import json
import os
import tomllib
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from backups.tables import columns_of, encode_row, models_at, read_rows

FORMAT = "monev-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
TABLE_KEYS = {"model", "table", "member", "columns", "rows", "size", "sha256"}
FILE_KEYS = {"name", "member", "size", "sha256"}
CHUNK = 1024 * 1024
# A progress line each time this much more is done.
PROGRESS_ROWS = 50_000
PROGRESS_BYTES = 64 * CHUNK


class ArchiveError(Exception):
    """The archive cannot be written or read; the message says why, for the operator."""


class Progress:
    """'<what>: <done> of <total> (<percent>)' each time another `step` is done and at the
    end, through `out` (a function taking a line); silent when `out` is None."""

    def __init__(self, out, what, total, *, step, unit):
        self.out, self.what, self.total, self.step, self.unit = out, what, total, step, unit
        self.done = self.shown = 0

    def add(self, amount):
        self.done += amount
        if self.done - self.shown >= self.step:
            self.show()

    def finish(self):
        if self.done != self.shown:
            self.show()

    def show(self):
        self.shown = self.done
        if self.out is None:
            return
        percent = f" ({self.done / self.total:.0%})" if self.total else ""
        if self.unit == "bytes":
            amount = f"{self.done / CHUNK:,.1f} of {self.total / CHUNK:,.1f} MiB"
        else:
            amount = f"{self.done:,} of {self.total:,} {self.unit}"
        self.out(f"{self.what}: {amount}{percent}")


def app_version():
    with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["project"]["version"]


# --- Writing --------------------------------------------------------------------------


@contextmanager
def snapshot():
    """One read transaction that sees the database as it was at its first query, while
    the app goes on writing."""

    if connection.in_atomic_block:  # already inside a transaction (a test): its snapshot
        with transaction.atomic():
            yield
    elif connection.vendor == "sqlite":
        # A deferred BEGIN: the settings' IMMEDIATE mode would hold the write lock for the
        # whole backup. In WAL mode a read transaction sees one snapshot.
        connection.ensure_connection()  # reads the settings' transaction_mode
        saved, connection.transaction_mode = connection.transaction_mode, "DEFERRED"
        try:
            with transaction.atomic():
                yield
        finally:
            connection.transaction_mode = saved
    else:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield


def write_backup(path, *, out=None):
    """Write the whole installation into a new archive at `path`; returns its manifest.

    The tables are read in one snapshot, then the files their FileFields name are copied
    (stored files are never changed, so the snapshot's names still mean the same bytes).
    The archive is written under a temporary name and renamed when complete."""

    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            file_names = {}
            with snapshot():
                migrations = _applied_migrations()
                loader = MigrationLoader(connection)
                nodes = [key for key in loader.applied_migrations if key in loader.graph.nodes]
                tables = models_at(loader, nodes)
                counts = [model._base_manager.using(connection.alias).count() for model in tables]
                progress = Progress(out, "Tables", sum(counts), step=PROGRESS_ROWS, unit="rows")
                entries = [_write_table(archive, model, progress, file_names) for model in tables]
                progress.finish()
            files, missing = _write_files(archive, file_names, out)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "app_version": app_version(),
                "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
                "database": connection.vendor,
                "migrations": migrations,
                "tables": entries,
                "files": files,
                "missing_files": missing,
            }
            archive.writestr(MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False))
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest


def _applied_migrations():
    applied = {}
    records = MigrationRecorder(connection).migration_qs.order_by("id").values_list("app", "name")
    for app_label, name in records:
        applied.setdefault(app_label, []).append(name)
    return applied


def _write_table(archive, model, progress, file_names):
    fields = columns_of(model)
    file_columns = [i for i, field in enumerate(fields) if isinstance(field, models.FileField)]
    member = f"data/{model._meta.label_lower}.jsonl"
    digest, size, rows, lines = hashlib.sha256(), 0, 0, []

    def flush():
        nonlocal size
        data = b"".join(lines)
        digest.update(data)
        stream.write(data)
        size += len(data)
        progress.add(len(lines))
        lines.clear()

    info = _member_info(member, zipfile.ZIP_DEFLATED)
    with archive.open(info, "w", force_zip64=True) as stream:
        for row in read_rows(model, connection):
            lines.append(encode_row(fields, row))
            rows += 1
            for index in file_columns:
                if row[index]:
                    file_names[row[index]] = True
            if len(lines) == 1000:
                flush()
        flush()
    return {
        "model": model._meta.label_lower,
        "table": model._meta.db_table,
        "member": member,
        "columns": [field.attname for field in fields],
        "rows": rows,
        "size": size,
        "sha256": digest.hexdigest(),
    }


def _member_info(member, compression):
    info = zipfile.ZipInfo(member, date_time=datetime.datetime.now().timetuple()[:6])
    info.compress_type = compression
    info.external_attr = 0o644 << 16  # readable when unzipped by hand
    return info


def _write_files(archive, file_names, out):
    sizes, missing = {}, []
    for name in file_names:
        if default_storage.exists(name):
            sizes[name] = default_storage.size(name)
        else:
            missing.append(name)
            if out:
                out(f"Warning: {name} is named by a row but missing from the storage.")
    progress = Progress(out, "Files", sum(sizes.values()), step=PROGRESS_BYTES, unit="bytes")
    entries = []
    for name, size in sizes.items():
        info = _member_info("files/" + name, zipfile.ZIP_STORED)
        info.file_size = size  # lets zipfile choose ZIP64 for a large file
        digest, written = hashlib.sha256(), 0
        with default_storage.open(name, "rb") as source, archive.open(info, "w") as target:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                target.write(chunk)
                written += len(chunk)
                progress.add(len(chunk))
        entries.append(
            {"name": name, "member": info.filename, "size": written, "sha256": digest.hexdigest()}
        )
    progress.finish()
    return entries, missing


# --- Reading --------------------------------------------------------------------------


def open_archive(path):
    """The open ZipFile and its manifest, or ArchiveError saying what is wrong."""

    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ArchiveError(f"There is no file {path}.") from None
    except (zipfile.BadZipFile, OSError) as error:
        raise ArchiveError(
            f"The archive is truncated or damaged: {path} has no readable ZIP directory "
            f"at its end ({error})."
        ) from None
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        archive.close()
        raise ArchiveError(f"This is not a Monev backup: {path} has no {MANIFEST}.") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as error:
        archive.close()
        raise ArchiveError(
            f"The archive is damaged: {MANIFEST} cannot be read ({error})."
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        archive.close()
        raise ArchiveError(f"This is not a Monev backup: {MANIFEST} is not a Monev manifest.")
    if manifest.get("format_version") != FORMAT_VERSION:
        archive.close()
        raise ArchiveError(
            f"The archive has format version {manifest.get('format_version')}; this version "
            f"of Monev reads version {FORMAT_VERSION}."
        )
    try:
        _check_manifest(manifest)
    except ArchiveError:
        archive.close()
        raise
    return archive, manifest


def _check_manifest(manifest):
    complete = (
        "app_version" in manifest
        and isinstance(manifest.get("migrations"), dict)
        and isinstance(manifest.get("tables"), list)
        and isinstance(manifest.get("files"), list)
        and all(set(entry) >= TABLE_KEYS for entry in manifest["tables"])
        and all(set(entry) >= FILE_KEYS for entry in manifest["files"])
    )
    if not complete:
        raise ArchiveError(f"The archive is damaged: {MANIFEST} is incomplete.")
    for entry in manifest["files"]:
        _check_file_name(entry)


def verify_archive(archive, manifest, *, out=None):
    """Read every member through and check its size and SHA-256 against the manifest;
    raises ArchiveError at the first difference."""

    entries = [*manifest["tables"], *manifest["files"]]
    listed = {MANIFEST} | {entry["member"] for entry in entries}
    present = set(archive.namelist())
    if absent := sorted(listed - present):
        raise ArchiveError(f"The archive is truncated or damaged: member {absent[0]} is missing.")
    if extra := sorted(present - listed):
        raise ArchiveError(f"The archive was altered: member {extra[0]} is not in its manifest.")
    total = sum(entry["size"] for entry in entries)
    progress = Progress(out, "Checking the archive", total, step=PROGRESS_BYTES, unit="bytes")
    for entry in entries:
        digest, size = hashlib.sha256(), 0
        with read_member(archive, entry["member"]) as stream:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                progress.add(len(chunk))
        if size != entry["size"] or digest.hexdigest() != entry["sha256"]:
            raise ArchiveError(
                f"The archive is damaged or was altered: member {entry['member']} does not "
                "match the size and SHA-256 its manifest records."
            )
    progress.finish()


def _check_file_name(entry):
    name = entry["name"]
    if (
        entry["member"] != "files/" + name
        or name.startswith("/")
        or ".." in PurePosixPath(name).parts
    ):
        raise ArchiveError(f"The archive was altered: {name!r} is not a stored file's name.")


@contextmanager
def read_member(archive, member):
    """The member opened for reading; a read error becomes ArchiveError naming it."""
    try:
        with archive.open(member) as stream:
            yield stream
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise ArchiveError(
            f"The archive is truncated or damaged: member {member} is incomplete or "
            f"corrupt ({error})."
        ) from None
