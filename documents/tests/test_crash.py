"""A worker killed (SIGKILL) while it writes a document: no Document row, no file under a
document's name; the sweeper then runs the job again and the document is made. Real child
processes on a throwaway SQLite database and media folder."""

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from documents.services import remove_partial_files
from documents.tests.crashing_build import CHUNK, CHUNKS

ROOT = Path(__file__).resolve().parents[2]

START = """
import django
django.setup()
from documents.jobs import start_job
from documents.tests.crashing_build import build_large_document
from institutions.models import Institution, User

institution = Institution.objects.create(slug="pontianak", name="Kota Pontianak")
user = User.objects.create_user("koordinator", institution=institution)
start_job(institution=institution, cycle=None, kind="report", by=user, task=build_large_document)
"""

# Half an hour later, as far as the job is concerned, the periodic sweep runs.
SWEEP = """
import datetime, json
import django
django.setup()
from django.utils import timezone
from documents.models import GenerationJob
from documents.tasks import sweep_document_jobs

GenerationJob.objects.update(started_at=timezone.now() - datetime.timedelta(minutes=31))
print(json.dumps(sweep_document_jobs.enqueue().return_value))
"""


def run(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, check=True, text=True, **kwargs
    )


def files(media):
    return sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file())


def test_a_killed_build_leaves_no_half_document_and_runs_again(tmp_path):
    media = tmp_path / "media"
    database = tmp_path / "db.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "monev.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(media),
        "TASKS_BACKEND": "immediate",
    }
    run(env, "manage.py", "migrate", "-v0")

    child = subprocess.Popen(
        [sys.executable, "-c", START], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline() == "menulis\n"
        (partial,) = (media / "documents").rglob("*.zip.partial")
        time.sleep(0.5)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    db = sqlite3.connect(database)
    assert db.execute("SELECT count(*) FROM documents_document").fetchone() == (0,)
    assert db.execute("SELECT status, attempts FROM documents_generationjob").fetchall() == [
        ("running", 1)
    ]
    # Only the partial name: half written, under no document's name.
    assert files(media) == [str(partial.relative_to(media))]
    assert 0 < partial.stat().st_size < len(CHUNK) * CHUNKS

    # Two days later it is old enough to be removed by the same sweep that reruns the job.
    two_days_ago = time.time() - 2 * 86400
    os.utime(partial, (two_days_ago, two_days_ago))
    swept = run(env, "-c", SWEEP, capture_output=True).stdout
    assert json.loads(swept) == {"requeued": 0, "retried": 1, "failed": 0, "files_removed": 1}

    assert db.execute("SELECT status, attempts, error FROM documents_generationjob").fetchall() == [
        ("done", 2, "")
    ]
    ((name, size, sha256, version),) = db.execute(
        "SELECT file, size, sha256, version FROM documents_document"
    ).fetchall()
    assert files(media) == [name]
    content = (media / name).read_bytes()
    assert (size, version, len(content)) == (len(CHUNK) * CHUNKS, 1, len(CHUNK) * CHUNKS)
    assert sha256 == hashlib.sha256(content).hexdigest()
    db.close()


def test_only_old_leftovers_are_removed(media_root, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    paths = {
        "old partial": media_root / "documents" / "2025" / "a.zip.partial",
        "new partial": media_root / "documents" / "2026" / "b.pdf.partial",
        "old document": media_root / "documents" / "2025" / "c.pdf",
        "old upload": tmp_path / "uploads" / "tmp1.upload",
        "new upload": tmp_path / "uploads" / "tmp2.upload",
    }
    two_days_ago = time.time() - 2 * 86400
    for label, path in paths.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"isi")
        if label.startswith("old"):
            os.utime(path, (two_days_ago, two_days_ago))

    assert sorted(remove_partial_files()) == [
        str(paths["old partial"]),
        str(paths["old upload"]),
    ]
    assert [label for label, path in paths.items() if path.exists()] == [
        "new partial",
        "old document",
        "new upload",
    ]
