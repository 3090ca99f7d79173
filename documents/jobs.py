"""Documents built in the background: one GenerationJob per build, run by a django-tasks task,
followed by the person who started it on a page that polls documents.views.job_status.

A build is a task that takes the job's pk and hands its work to run_job:

    @task()
    def build_evaluation_document(job_pk):
        return run_job(job_pk, _build)

    def _build(job):
        update_job(job, progress=10, step=_("Menyusun hasil per indikator"))
        ...
        return [generate_pdf(...), store_document(...)]   # the documents it produced

and a service starts it with start_job(..., task=build_evaluation_document). With the
immediate backend (the embedded default, the demo and the tests) the task runs in the same
process right after the transaction that started it commits; with the database backend a
worker (`manage.py db_worker`) runs it.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from documents.models import GenerationJob

logger = logging.getLogger(__name__)

Status = GenerationJob.Status


def start_job(*, institution, cycle, kind, by, task):
    """Create a queued GenerationJob and enqueue `task` (a django-tasks Task taking the job's
    pk) once the surrounding transaction commits, so the worker finds the job row.

    Side effects: one GenerationJob (QUEUED); audit event "document.job_started"; the task
    enqueued after commit (run there and then by the immediate backend).
    """
    with transaction.atomic():
        job = GenerationJob.objects.create(
            institution=institution, cycle=cycle, kind=kind, requested_by=by
        )
        record_event(
            "document.job_started",
            by=by,
            institution=institution,
            target=job,
            after={"kind": kind, "cycle": cycle.pk if cycle else None},
        )
        transaction.on_commit(lambda: task.enqueue(job.pk))
    return job


def update_job(job, *, progress, step):
    """Report how far the build is: `progress` in percent (0-100), `step` in words for the
    person waiting ("Menggabungkan data dukung 12 dari 40"). Writes only those two fields
    (and RUNNING, the first time), so it is safe to call from the task at any time."""
    job.progress = max(0, min(100, int(progress)))
    job.step = str(step)[:200]
    fields = {"progress": job.progress, "step": job.step}
    if job.status == Status.QUEUED:
        job.status = Status.RUNNING
        job.started_at = timezone.now()
        fields.update(status=job.status, started_at=job.started_at)
    GenerationJob.objects.filter(pk=job.pk).update(**fields)


def finish_job(job, *, documents):
    """The build is done and produced `documents`.

    Side effects: the job DONE at 100 % with its documents; audit event "document.job_done".
    """
    with transaction.atomic():
        job.status = Status.DONE
        job.progress = 100
        job.step = ""
        job.error = ""
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "progress", "step", "error", "finished_at"])
        job.documents.set(documents)
        record_event(
            "document.job_done",
            by=job.requested_by,
            institution=job.institution,
            target=job,
            after={"kind": job.kind, "documents": sorted(d.pk for d in documents)},
        )
    return job


def fail_job(job, *, error):
    """The build failed; `error` says why, in plain Indonesian, to the person waiting.

    Side effects: the job FAILED with the error; audit event "document.job_failed".
    """
    with transaction.atomic():
        job.status = Status.FAILED
        job.error = str(error)
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        record_event(
            "document.job_failed",
            by=job.requested_by,
            institution=job.institution,
            target=job,
            after={"kind": job.kind, "error": job.error},
        )
    return job


def run_job(job_pk, build):
    """Run `build(job)` for the job `job_pk` and record its outcome: finish_job with the
    documents it returns, or fail_job when it raises. A ValidationError's messages are
    shown as they are (they are written for users); anything else is logged and shown as a
    general message. Returns the job. A job that is already finished is not run again."""
    job = GenerationJob.objects.select_related("institution", "cycle", "requested_by").get(
        pk=job_pk
    )
    if job.is_finished:
        return job
    update_job(job, progress=0, step=_("Mulai membuat dokumen"))
    try:
        documents = build(job)
    except ValidationError as error:
        return fail_job(job, error=" ".join(error.messages))
    except Exception:
        logger.exception("Generation job %s (%s) failed", job.pk, job.kind)
        return fail_job(
            job,
            error=_(
                "Dokumen gagal dibuat karena kesalahan pada sistem. Coba sekali lagi; jika "
                "gagal lagi, hubungi administrator aplikasi."
            ),
        )
    return finish_job(job, documents=documents or [])
