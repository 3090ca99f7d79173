"""/sehat/: ok when the database, the storage and the task queue are, 503 naming the check
that is not; no login, never cached, nothing about the system in the answer."""

import datetime
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reports.tasks import build_package

pytestmark = pytest.mark.django_db

URL = "/sehat/"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def health(client):
    response = client.get(URL)
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]
    return response.status_code, response.json()


def test_the_url_is_sehat():
    assert reverse("health") == URL


def test_all_ok_without_login_on_the_local_disk(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    assert health(client) == (
        200,
        {
            "status": "ok",
            "checks": {
                "database": {"status": "ok"},
                "storage": {"status": "ok"},
                "worker": {"status": "ok", "queue": "immediate"},
            },
        },
    )
    # The probe file is gone again.
    assert list((tmp_path / "media" / "sehat").iterdir()) == []


def test_all_ok_on_s3_leaves_no_probe_in_the_bucket(client, s3_bucket):
    status, body = health(client)
    assert (status, body["checks"]["storage"]) == (200, {"status": "ok"})
    assert s3_bucket.object_keys() == []


def test_a_missing_bucket_is_a_storage_error(client, s3_bucket, caplog):
    s3_bucket.client.delete_bucket(Bucket=s3_bucket.name)
    status, body = health(client)
    assert (status, body["status"]) == (503, "error")
    assert body["checks"]["storage"] == {
        "status": "error",
        "message": "Penyimpanan berkas tidak dapat ditulis atau dibaca.",
    }
    assert body["checks"]["database"] == {"status": "ok"}
    # The reason is in the log for the administrator, not in the answer.
    assert "Health check storage failed" in caplog.text
    assert s3_bucket.name not in str(body)


def test_an_unwritable_media_folder_is_a_storage_error(client, settings, tmp_path):
    # A file where the folder should be: nothing can be written below it (root or not).
    (tmp_path / "media").write_text("not a folder")
    settings.MEDIA_ROOT = tmp_path / "media"
    status, body = health(client)
    assert (status, body["checks"]["storage"]["status"]) == (503, "error")


def test_a_queue_served_by_a_worker_is_ok(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = DATABASE_TASKS
    build_package.enqueue(1)
    status, body = health(client)
    assert (status, body["checks"]["worker"]) == (
        200,
        {"status": "ok", "queue": "database", "oldest_waiting_minutes": 0},
    )


def test_a_task_waiting_too_long_is_a_worker_error(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = DATABASE_TASKS
    settings.HEALTH_QUEUE_MAX_MINUTES = 15
    build_package.enqueue(1)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=16))
    status, body = health(client)
    assert (status, body["status"]) == (503, "error")
    assert body["checks"]["worker"] == {
        "status": "error",
        "queue": "database",
        "oldest_waiting_minutes": 16,
        "message": "Ada tugas latar yang menunggu lebih dari 15 menit; periksa worker.",
    }


def test_a_task_scheduled_for_later_or_finished_is_not_waiting(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = DATABASE_TASKS
    long_ago = timezone.now() - datetime.timedelta(hours=3)
    build_package.using(run_after=timezone.now() + datetime.timedelta(hours=1)).enqueue(1)
    build_package.enqueue(2)
    DBTaskResult.objects.update(enqueued_at=long_ago)
    DBTaskResult.objects.filter(args_kwargs__args=[2]).update(status="SUCCESSFUL")
    status, body = health(client)
    assert (status, body["checks"]["worker"]["oldest_waiting_minutes"]) == (200, 0)


def test_a_task_due_since_a_while_waits_from_when_it_was_due(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = DATABASE_TASKS
    build_package.using(run_after=timezone.now() + datetime.timedelta(hours=1)).enqueue(1)
    DBTaskResult.objects.update(
        enqueued_at=timezone.now() - datetime.timedelta(hours=3),
        run_after=timezone.now() - datetime.timedelta(minutes=20),
    )
    status, body = health(client)
    assert (status, body["checks"]["worker"]["oldest_waiting_minutes"]) == (503, 20)


DOWN_CLIENT = """
import json, django
django.setup()
from django.test import Client
response = Client().get("/sehat/", HTTP_HOST="127.0.0.1")
print(json.dumps([response.status_code, response.json()]))
"""


def test_a_database_that_does_not_answer_is_a_database_error(tmp_path):
    # A real refused connection, in a process of its own: this one's database stays up.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "monev.settings",
        "DATABASE_URL": f"postgres://monev@127.0.0.1:{port}/monev",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "TASKS_BACKEND": "database",
        "LOG_LEVEL": "CRITICAL",
    }
    done = subprocess.run(
        [sys.executable, "-c", DOWN_CLIENT],
        env=environment,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    status, body = json.loads(done.stdout.splitlines()[-1])
    assert (status, body) == (
        503,
        {
            "status": "error",
            "checks": {
                "database": {"status": "error", "message": "Basis data tidak dapat dihubungi."},
                "storage": {"status": "ok"},
                "worker": {
                    "status": "error",
                    "message": "Antrean tugas latar tidak dapat diperiksa.",
                },
            },
        },
    )
