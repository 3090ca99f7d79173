"""Backup and restore: the archive, the round trip on this engine, SQLite → PostgreSQL →
SQLite, and the refusals (damaged or altered archive, installation not empty).

The source is built once for the module through the services, inside a transaction that
is rolled back; the backup is made in this process inside it. A restore needs an empty
installation, so restores run as `manage.py restore` in child processes against fresh
targets (see targets.py); the refusals that need no target of their own run in this
process against the test database, which holds only what `migrate` writes.
"""

import datetime
import hashlib
import json
import os
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings
from django.utils import timezone

from backups.archive import app_version
from backups.tests.targets import (
    Target,
    connected,
    file_hashes,
    postgres_target,
    sqlite_target,
    table_rows,
    target_rows,
    target_tables,
)
from cycles import services as cycle_services
from cycles.tasks import send_step_reminders
from documents.services import store_document
from evidence import services as evidence_services
from evidence.models import EvidenceRevision
from evidence.tests.helpers import pdf_bytes, upload
from frameworks.models import Framework
from frameworks.services import load_framework_files, shipped_framework_files
from institutions.models import Agency, Institution, Role
from monev.testing import make_user
from sops.services import SHIPPED_SOPS, load_sop_file
from submissions.models import Submission

pytestmark = pytest.mark.django_db

FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

MISSING_FILE = "evidence/hilang.pdf"


@dataclass
class Source:
    archive: Path
    rows: dict
    files: dict
    manifest: dict
    migrations: dict


def build_source():
    """Two institutions, users, the frameworks (a self-referencing tree, decimals), the
    SOP, a cycle (dates, JSON, many-to-many), data dukung files attached to an answer with
    a second revision, a generated document, a session and a queued task (UUID key)."""

    institution = Institution.objects.create(
        slug="pontianak", name="Pemerintah Kota Pontianak", city="Pontianak"
    )
    Institution.objects.create(slug="pangkalpinang", name="Kota Pangkalpinang")
    load_framework_files(shipped_framework_files())
    framework = Framework.objects.default()
    load_sop_file(SHIPPED_SOPS["pontianak"], institution=institution)
    coordinator = make_user(institution, "koordinator", Role.COORDINATOR, full_name="Rina")
    agency = Agency.objects.create(
        institution=institution, name="BKPSDM", short_name="BKPSDM", functions=["sdm"]
    )
    other = Agency.objects.create(institution=institution, name="Dinas Kesehatan")
    operator = make_user(institution, "opd-bkpsdm", Role.AGENCY, agency=agency)
    cycle = cycle_services.open_cycle(
        by=coordinator,
        year=2026,
        framework=framework,
        agencies=[agency, other],
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        contact_person=coordinator,
    )
    submission = Submission.objects.create(
        cycle=cycle, indicator=framework.nodes.get(code="I36"), agency=agency
    )
    for pages in (1, 2, 3):
        evidence = evidence_services.add_file_evidence(
            cycle,
            agency,
            by=operator,
            uploaded_file=upload(f"sk-{pages}.pdf", pdf_bytes(pages), "application/pdf"),
            title=f"SK nomor {pages}",
            document_date=datetime.date(2025, pages, 1),
            submission=submission,
        )
    evidence_services.add_revision(
        evidence, by=operator, uploaded_file=upload("sk-baru.pdf", pdf_bytes(4))
    )
    # A row whose file has gone missing from the storage (a fault the backup reports).
    EvidenceRevision.objects.create(
        evidence=evidence,
        number=3,
        file=MISSING_FILE,
        original_name="hilang.pdf",
        content_type="application/pdf",
        extension="pdf",
        size=1,
        sha256="0" * 64,
        uploaded_by=operator,
    )
    store_document(
        institution=institution,
        cycle=cycle,
        kind="catatan",
        source="backup-test",
        format="pdf",
        title="Catatan",
        content=pdf_bytes(5),
        by=coordinator,
    )
    session = SessionStore()
    session["bahasa"] = "id"
    session.create()
    with override_settings(TASKS=TASKS):
        send_step_reminders.using(backend="database").enqueue()


@pytest.fixture(scope="module")
def source(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("backup-source")
    archive = folder / "backup.zip"
    settings = override_settings(MEDIA_ROOT=folder / "media", PASSWORD_HASHERS=FAST_HASHING)
    with settings, django_db_blocker.unblock(), transaction.atomic():
        build_source()
        call_command("backup", str(archive), verbosity=0)
        migrations = {}
        for app_label, name in MigrationRecorder.Migration.objects.order_by("id").values_list(
            "app", "name"
        ):
            migrations.setdefault(app_label, []).append(name)
        rows = table_rows(connection)
        transaction.set_rollback(True)
    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read("manifest.json"))
    return Source(archive, rows, file_hashes(folder / "media"), manifest, migrations)


@pytest.fixture(scope="module")
def engine_target(django_db_setup, django_db_blocker, tmp_path_factory):
    """An empty installation on the test database's engine: a scratch PostgreSQL database
    on the test database's server, or a SQLite file."""

    folder = tmp_path_factory.mktemp("backup-target")
    if connection.vendor != "postgresql":
        yield sqlite_target(folder, "target")
        return
    with postgres_target(postgres_server_of(connection.settings_dict), folder, "target") as target:
        yield target


@dataclass
class Restored:
    target: Target
    done: subprocess.CompletedProcess  # the restore
    failed: subprocess.CompletedProcess  # the restore that failed half-way before it
    filled_after_failure: set  # the tables with rows after the failure
    files_after_failure: dict


@pytest.fixture(scope="module")
def restored(source, engine_target, tmp_path_factory, django_db_blocker):
    """The archive restored into the empty engine target — after a restore of an archive
    that fails half-way, as it lists a file twice: the second copy cannot get its own name
    once the first is written, after every row is in. (Both in one target: a migrate
    costs seconds.)"""

    def list_a_file_twice(data):
        manifest = json.loads(data)
        manifest["files"].append(manifest["files"][0])
        return json.dumps(manifest).encode()

    folder = tmp_path_factory.mktemp("twice")
    twice = rewrite(source.archive, folder / "twice.zip", "manifest.json", list_a_file_twice)
    failed = engine_target.manage("restore", twice)
    with django_db_blocker.unblock():
        rows = target_rows(engine_target)
    files = file_hashes(engine_target.media)
    done = engine_target.manage("restore", source.archive)
    assert done.returncode == 0, done.stderr
    filled = {label for label, table in rows.items() if table}
    return Restored(engine_target, done, failed, filled, files)


@pytest.fixture(scope="module")
def pilot(source, restored, tmp_path_factory):
    """The archive restored into SQLite: on the SQLite pass, the restored target itself."""
    if connection.vendor == "sqlite":
        return restored.target
    target = sqlite_target(tmp_path_factory.mktemp("pilot"), "pilot")
    assert target.manage("restore", source.archive, "-v0").returncode == 0
    return target


def postgres_server_of(settings_dict):
    server = {"host": settings_dict["HOST"] or "127.0.0.1", "port": settings_dict["PORT"] or 5432}
    server["user"] = settings_dict["USER"]
    if settings_dict["PASSWORD"]:
        server["password"] = settings_dict["PASSWORD"]
    return server


@pytest.fixture(scope="module")
def postgres_server(django_db_setup):
    """The PostgreSQL server of the test database; on the SQLite pass the one at
    MONEV_TEST_POSTGRES (default: the CI server's address), skipped when none answers."""

    if connection.vendor == "postgresql":
        return postgres_server_of(connection.settings_dict)
    url = os.environ.get("MONEV_TEST_POSTGRES", "postgres://postgres@127.0.0.1:54329/postgres")
    parsed = psycopg.conninfo.conninfo_to_dict(url)
    server = {key: parsed[key] for key in ("host", "port", "user", "password") if key in parsed}
    try:
        psycopg.connect(**server, dbname="postgres", connect_timeout=3).close()
    except psycopg.OperationalError:
        pytest.skip(f"No PostgreSQL reachable at {url}; set MONEV_TEST_POSTGRES to run this.")
    return server


def next_key(target, table):
    """The key PostgreSQL's sequence gives the table's next row."""
    with connected(target) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
        return cursor.fetchone()[0]


def restore_summary(source):
    rows = sum(len(rows) for rows in source.rows.values())
    size = sum(entry["size"] for entry in source.manifest["files"]) / 1024 / 1024
    return (
        f"Restored {rows:,} rows in {len(source.rows)} tables and {len(source.files)} files "
        f"({size:,.1f} MiB).\n"
        f"Note: missing from the storage when the backup was made (1): {MISSING_FILE}\n"
    )


def rewrite(archive, path, member, change):
    """A copy of `archive` at `path` with `change(bytes)` applied to one member: a valid
    ZIP (its CRCs recomputed), so only our own hashes can notice."""
    with zipfile.ZipFile(archive) as original, zipfile.ZipFile(path, "w") as copy:
        for info in original.infolist():
            data = original.read(info)
            copy.writestr(info, change(data) if info.filename == member else data)
    return path


def flip_byte(data):
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]


def refused(target, archive):
    """Restore `archive` into `target` (a child process), which must refuse; returns the
    message."""
    done = target.manage("restore", archive)
    assert done.returncode == 1
    assert done.stdout == ""
    assert target_tables(target) == []
    assert file_hashes(target.media) == {}
    return done.stderr.strip().removeprefix("CommandError: ")


MIGRATE_WRITES = {"contenttypes.contenttype", "auth.permission"}


def refused_here(archive, media):
    """Restore `archive` in this process into the test database — an empty installation:
    it holds only what `migrate` writes — which must refuse; returns the message."""
    with override_settings(MEDIA_ROOT=media), pytest.raises(CommandError) as error:
        call_command("restore", str(archive), verbosity=0)
    assert {label for label, rows in table_rows(connection).items() if rows} == MIGRATE_WRITES
    assert file_hashes(media) == {}
    return str(error.value)


# --- The archive -------------------------------------------------------------------------


def test_backup_lists_every_table_and_file_with_its_hash(source):
    manifest = source.manifest
    assert manifest["format"] == "monev-backup"
    assert manifest["format_version"] == 1
    assert manifest["app_version"] == app_version()
    assert manifest["database"] == connection.vendor
    assert manifest["migrations"] == source.migrations
    assert {entry["model"]: entry["rows"] for entry in manifest["tables"]} == {
        label: len(rows) for label, rows in source.rows.items()
    }
    assert {entry["name"]: entry["sha256"] for entry in manifest["files"]} == source.files
    assert len(source.files) == 5
    assert manifest["missing_files"] == [MISSING_FILE]
    with zipfile.ZipFile(source.archive) as archive:
        for entry in [*manifest["tables"], *manifest["files"]]:
            data = archive.read(entry["member"])
            assert (len(data), hashlib.sha256(data).hexdigest()) == (
                entry["size"],
                entry["sha256"],
            )
        assert sorted(archive.namelist()) == sorted(
            ["manifest.json"]
            + [entry["member"] for entry in manifest["tables"]]
            + [f"files/{name}" for name in source.files]
        )


def test_backup_writes_rows_as_engine_independent_json(source):
    with zipfile.ZipFile(source.archive) as archive:
        lines = archive.read("data/evidence.evidence.jsonl").decode().splitlines()
    entry = next(e for e in source.manifest["tables"] if e["model"] == "evidence.evidence")
    first = dict(zip(entry["columns"], json.loads(lines[0]), strict=True))
    assert first["title"] == "SK nomor 1"
    assert first["document_date"] == "2025-01-01"
    assert datetime.datetime.fromisoformat(first["created_at"]).utcoffset() == datetime.timedelta(0)


def test_backup_refuses_to_overwrite_a_file(source):
    with pytest.raises(CommandError) as error:
        call_command("backup", str(source.archive), verbosity=0)
    assert str(error.value) == f"{source.archive} already exists: give the backup a new file name."


# --- Round trips -------------------------------------------------------------------------


def assert_audit_chains_verify(target):
    # The audit trail's hash chains survive the move: same events, same hashes, any engine.
    done = target.manage("verify_audit")
    lines = done.stdout.splitlines()
    assert (done.returncode, done.stderr) == (0, ""), done.stdout
    assert lines and all(": OK: " in line for line in lines), done.stdout


def test_restore_gives_back_every_row_and_file(source, restored, tmp_path):
    target, done = restored.target, restored.done
    assert done.stdout == restore_summary(source)
    rows = sum(len(rows) for rows in source.rows.values())
    assert f"Rows: {rows:,} of {rows:,} rows (100%)" in done.stderr.splitlines()
    assert target_rows(target) == source.rows
    assert file_hashes(target.media) == source.files
    assert_audit_chains_verify(target)
    # Backed up again, the restored installation gives the very same members.
    again = target.manage("backup", tmp_path / "again.zip", "-v0")
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
    with zipfile.ZipFile(tmp_path / "again.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["tables"] == source.manifest["tables"]
    assert manifest["files"] == source.manifest["files"]


def test_pilot_on_sqlite_moves_to_postgresql_and_back(source, postgres_server, pilot, tmp_path):
    assert pilot.manage("backup", tmp_path / "pilot.zip", "-v0").returncode == 0
    back = sqlite_target(tmp_path, "back")
    with postgres_target(postgres_server, tmp_path, "server") as server:
        done = server.manage("restore", tmp_path / "pilot.zip")
        assert (done.returncode, done.stdout) == (0, restore_summary(source)), done.stderr
        assert server.manage("backup", tmp_path / "server.zip", "-v0").returncode == 0
        assert target_rows(server) == source.rows
        assert file_hashes(server.media) == source.files
        assert_audit_chains_verify(server)
        # The sequences go on after the restored keys.
        last = max(row[0] for row in source.rows["institutions.institution"])
        assert next_key(server, "institutions_institution") == last + 1
    assert back.manage("restore", tmp_path / "server.zip", "-v0").returncode == 0
    assert target_rows(back) == source.rows
    assert file_hashes(back.media) == source.files
    assert_audit_chains_verify(back)
    for name in ("pilot.zip", "server.zip"):
        with zipfile.ZipFile(tmp_path / name) as archive:
            manifest = json.loads(archive.read("manifest.json"))
        assert manifest["tables"] == source.manifest["tables"], name
        assert manifest["files"] == source.manifest["files"], name


# --- Refusals ----------------------------------------------------------------------------


def test_restore_refuses_a_database_that_holds_data(source, restored):
    target = restored.target
    done = target.manage("restore", source.archive)
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        "CommandError: The database already holds data (table django_session has rows): a "
        "backup is restored only into an empty installation. Nothing was written."
    )
    assert target_rows(target) == source.rows


def test_restore_that_fails_half_way_leaves_no_rows_and_no_files(source, restored):
    assert restored.failed.returncode == 1
    name = source.manifest["files"][0]["name"]
    message = restored.failed.stderr.splitlines()[-1]
    assert message.startswith(f"CommandError: The storage stored {name} as ")
    assert message.endswith("; nothing was restored.")
    # What `migrate` wrote; then the same installation took the archive (see `restored`).
    assert restored.filled_after_failure == {"contenttypes.contenttype", "auth.permission"}
    assert restored.files_after_failure == {}


def test_restore_refuses_a_storage_that_holds_a_file_of_the_archive(source, tmp_path):
    name = sorted(source.files)[0]
    (tmp_path / "media" / name).parent.mkdir(parents=True)
    (tmp_path / "media" / name).write_bytes(b"older")
    with override_settings(MEDIA_ROOT=tmp_path / "media"), pytest.raises(CommandError) as error:
        call_command("restore", str(source.archive), verbosity=0)
    assert str(error.value) == (
        f"The storage already holds {name}: a backup is restored only into an empty "
        "installation. Nothing was written."
    )
    assert {label for label, rows in table_rows(connection).items() if rows} == MIGRATE_WRITES
    assert file_hashes(tmp_path / "media") == {name: hashlib.sha256(b"older").hexdigest()}


def test_restore_refuses_a_truncated_archive(source, tmp_path):
    data = source.archive.read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[: len(data) // 2])
    assert refused(sqlite_target(tmp_path, "target"), cut) == (
        f"The archive is truncated or damaged: {cut} has no readable ZIP directory at its end "
        "(File is not a zip file)."
    )


def test_restore_refuses_an_altered_data_member(source, tmp_path):
    member = "data/evidence.evidencerevision.jsonl"
    altered = rewrite(source.archive, tmp_path / "altered.zip", member, flip_byte)
    assert refused(sqlite_target(tmp_path, "target"), altered) == (
        f"The archive is damaged or was altered: member {member} does not match the size "
        "and SHA-256 its manifest records."
    )


def test_restore_refuses_an_altered_file(source, tmp_path):
    member = "files/" + sorted(source.files)[-1]
    altered = rewrite(source.archive, tmp_path / "altered.zip", member, flip_byte)
    assert refused(sqlite_target(tmp_path, "target"), altered) == (
        f"The archive is damaged or was altered: member {member} does not match the size "
        "and SHA-256 its manifest records."
    )


def test_restore_refuses_an_archive_damaged_on_disk(source, tmp_path):
    """One bit flipped in a stored file's bytes inside the archive: its CRC catches it."""
    name = sorted(source.files)[0]
    content = (source.archive.parent / "media" / name).read_bytes()
    data = source.archive.read_bytes()
    start = data.index(content)
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(data[:start] + flip_byte(content) + data[start + len(content) :])
    assert refused_here(damaged, tmp_path / "media") == (
        f"The archive is truncated or damaged: member files/{name} is incomplete or corrupt "
        f"(Bad CRC-32 for file 'files/{name}')."
    )


def test_restore_refuses_an_archive_from_newer_code(source, tmp_path):
    def add_migration(data):
        manifest = json.loads(data)
        manifest["migrations"]["evidence"].append("0099_from_the_future")
        return json.dumps(manifest).encode()

    newer = rewrite(source.archive, tmp_path / "newer.zip", "manifest.json", add_migration)
    assert refused_here(newer, tmp_path / "media") == (
        f"The archive was made by a newer version of Monev ({app_version()}): this code does "
        "not know 1 of its migrations (evidence.0099_from_the_future). Restore it with that "
        "version or a later one."
    )


def test_restore_refuses_a_zip_that_is_not_a_backup(tmp_path):
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("notes.txt", "not a backup")
    assert refused_here(other, tmp_path / "media") == (
        f"This is not a Monev backup: {other} has no manifest.json."
    )
