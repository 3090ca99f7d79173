"""/sehat/: is this installation able to work? For a monitor (or a person) without logging in.

Three checks, each cheap enough to run every minute:

- database: one trivial query;
- storage: a tiny probe file written under sehat/, read back and deleted (on S3 that is
  four small requests), so a full disk, a wrong bucket or a key without write permission
  shows here and not at the next OPD upload;
- worker: with TASKS_BACKEND=database, no task waiting longer than HEALTH_QUEUE_MAX_MINUTES
  (default 15) — a stopped `manage.py db_worker` shows as a growing wait. Tasks that run in
  the web process (the immediate backend) have no queue to watch.

The answer is JSON, 200 when every check is ok and 503 otherwise, never cached. It names the
check that failed and nothing about the system (no host, path or error text); the error
itself goes to the log.
"""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Min
from django.db.models.functions import Greatest
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

logger = logging.getLogger(__name__)

PROBE_CONTENT = b"monev-sehat"


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok"}


def check_storage():
    name = default_storage.save(f"sehat/{uuid.uuid4().hex}.txt", ContentFile(PROBE_CONTENT))
    try:
        with default_storage.open(name, "rb") as probe:
            content = probe.read()
    finally:
        default_storage.delete(name)
    if content != PROBE_CONTENT:
        return {"status": "error", "message": _("Berkas uji terbaca berbeda dari yang ditulis.")}
    return {"status": "ok"}


def check_worker():
    """The waiting tasks of the database backend: the longest wait in minutes, an error past
    HEALTH_QUEUE_MAX_MINUTES. A task due later (run_after in the future) is not waiting yet."""
    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return {"status": "ok", "queue": "immediate"}
    ready = DBTaskResult.objects.ready()
    # run_after is a far-future sentinel for "as soon as possible": such a task waits from
    # when it was enqueued; one scheduled for a time waits from that time.
    since = [
        ready.filter(run_after=get_date_max()).aggregate(since=Min("enqueued_at"))["since"],
        ready.exclude(run_after=get_date_max()).aggregate(
            since=Min(Greatest("enqueued_at", "run_after"))
        )["since"],
    ]
    since = [moment for moment in since if moment is not None]
    waited = timezone.now() - min(since) if since else timedelta(0)
    minutes = settings.HEALTH_QUEUE_MAX_MINUTES
    result = {"queue": "database", "oldest_waiting_minutes": int(waited.total_seconds() // 60)}
    if waited > timedelta(minutes=minutes):
        message = _("Ada tugas latar yang menunggu lebih dari %(minutes)s menit; periksa worker.")
        return {"status": "error", **result, "message": message % {"minutes": minutes}}
    return {"status": "ok", **result}


CHECKS = {"database": check_database, "storage": check_storage, "worker": check_worker}
FAILED = {
    "database": gettext_lazy("Basis data tidak dapat dihubungi."),
    "storage": gettext_lazy("Penyimpanan berkas tidak dapat ditulis atau dibaca."),
    "worker": gettext_lazy("Antrean tugas latar tidak dapat diperiksa."),
}


@never_cache
def health(request):
    checks = {}
    for name, check in CHECKS.items():
        try:
            checks[name] = check()
        except Exception:
            logger.exception("Health check %s failed", name)
            checks[name] = {"status": "error", "message": str(FAILED[name])}
    healthy = all(check["status"] == "ok" for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks},
        status=200 if healthy else 503,
    )
