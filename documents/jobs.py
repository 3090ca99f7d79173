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

Faults: a run first claims its job (QUEUED -> RUNNING in one conditional UPDATE), so a task
enqueued twice builds once. sweep_jobs, run by `manage.py run_periodic`, enqueues again a job
that has waited too long (its enqueue failed after the commit, or the queue lost it) and puts
back in the queue a job that has run past settings.JOB_TIME_LIMIT_MINUTES (its worker died),
up to MAX_ATTEMPTS runs; then the job fails with a message asking to start it again.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from audit.services import record_event
from documents.models import GenerationJob

logger = logging.getLogger(__name__)

Status = GenerationJob.Status
FINISHED = [Status.DONE, Status.FAILED]
# Runs of one job, the first included, before it fails for good.
MAX_ATTEMPTS = 3


def start_job(*, institution, cycle, kind, by, task):
    """Create a queued GenerationJob and enqueue `task` (a django-tasks Task taking the job's
    pk) once the surrounding transaction commits, so the worker finds the job row.

    Side effects: one GenerationJob (QUEUED, remembering its task); audit event
    "document.job_started"; the task enqueued after commit (run there and then by the
    immediate backend). An enqueue that fails is logged and left to sweep_jobs.
    """
    with transaction.atomic():
        job = GenerationJob.objects.create(
            institution=institution,
            cycle=cycle,
            kind=kind,
            requested_by=by,
            task=task.module_path,
            queued_at=timezone.now(),
        )
        record_event(
            "document.job_started",
            by=by,
            institution=institution,
            target=job,
            after={"kind": kind, "cycle": cycle.pk if cycle else None},
        )
        # robust: the request that started the job has committed; a queue that refuses the
        # task now must not turn it into an error page. The job waits for sweep_jobs.
        transaction.on_commit(lambda: task.enqueue(job.pk), robust=True)
    return job


def claim_job(job_pk):
    """Take the queued job `job_pk` for this run: QUEUED -> RUNNING with one more attempt, in
    one conditional UPDATE, so of two runs of the same job only one gets it. Returns the job,
    or None when it is not queued (another run has it, or it is finished)."""
    claimed = GenerationJob.objects.filter(pk=job_pk, status=Status.QUEUED).update(
        status=Status.RUNNING,
        attempts=F("attempts") + 1,
        started_at=timezone.now(),
        progress=0,
        step=_("Mulai membuat dokumen"),
    )
    if not claimed:
        return None
    return GenerationJob.objects.select_related("institution", "cycle", "requested_by").get(
        pk=job_pk
    )


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


def _settle(job, **fields):
    """Write the outcome of this run of `job` unless the job has moved on (finished, or
    claimed again by a later run after the sweeper gave up on this one). True if written."""
    written = (
        GenerationJob.objects.filter(pk=job.pk, attempts=job.attempts)
        .exclude(status__in=FINISHED)
        .update(**fields)
    )
    if written:
        for name, value in fields.items():
            setattr(job, name, value)
    return bool(written)


def finish_job(job, *, documents):
    """The build is done and produced `documents`.

    Side effects: the job DONE at 100 % with its documents; audit event "document.job_done".
    Nothing when the job has moved on since this run took it (see _settle).
    """
    with transaction.atomic():
        done = _settle(
            job,
            status=Status.DONE,
            progress=100,
            step="",
            error="",
            finished_at=timezone.now(),
        )
        if not done:
            return job
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
    Nothing when the job has moved on since this run took it (see _settle).
    """
    with transaction.atomic():
        if not _settle(job, status=Status.FAILED, error=str(error), finished_at=timezone.now()):
            return job
        record_event(
            "document.job_failed",
            by=job.requested_by,
            institution=job.institution,
            target=job,
            after={"kind": job.kind, "error": job.error},
        )
    return job


def run_job(job_pk, build):
    """Claim the job `job_pk` and run `build(job)`, then record its outcome: finish_job with
    the documents it returns, or fail_job when it raises. A ValidationError's messages are
    shown as they are (they are written for users); anything else is logged and shown as a
    general message. Returns the job. A job that is not queued (finished, or taken by another
    run of the same task) is not run again."""
    job = claim_job(job_pk)
    if job is None:
        return GenerationJob.objects.get(pk=job_pk)
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


# --- The sweeper -------------------------------------------------------------------------------


def sweep_jobs():
    """Get stuck jobs moving again; run by the periodic documents.tasks.sweep_document_jobs.

    A job QUEUED for longer than settings.JOB_REQUEUE_MINUTES is enqueued again (a duplicate
    run is harmless: it finds the job claimed). A job RUNNING for longer than
    settings.JOB_TIME_LIMIT_MINUTES lost its worker: it goes back in the queue (retry_job)
    while it has had fewer than MAX_ATTEMPTS runs, and fails otherwise (give_up_job). Returns
    how many jobs were {"requeued", "retried", "failed"}.
    """
    now = timezone.now()
    counts = {"requeued": 0, "retried": 0, "failed": 0}
    waited = now - timedelta(minutes=settings.JOB_REQUEUE_MINUTES)
    waiting = GenerationJob.objects.filter(status=Status.QUEUED).filter(
        Q(queued_at__lt=waited) | Q(queued_at=None, requested_at__lt=waited)
    )
    for job in waiting.select_related("institution", "requested_by"):
        if not job.task:  # queued before jobs remembered their task: nothing to enqueue
            counts["failed"] += give_up_job(job)
        elif GenerationJob.objects.filter(
            pk=job.pk, status=Status.QUEUED, queued_at=job.queued_at
        ).update(queued_at=now):
            logger.warning("Generation job %s waited too long: enqueued again", job.pk)
            _enqueue(job)
            counts["requeued"] += 1
    limit = now - timedelta(minutes=settings.JOB_TIME_LIMIT_MINUTES)
    stuck = GenerationJob.objects.filter(status=Status.RUNNING, started_at__lt=limit)
    for job in stuck.select_related("institution", "requested_by"):
        logger.warning("Generation job %s ran past its time limit (run %s)", job.pk, job.attempts)
        if job.task and job.attempts < MAX_ATTEMPTS:
            counts["retried"] += retry_job(job)
        else:
            counts["failed"] += give_up_job(job)
    return counts


def give_up_job(job):
    """Fail a job that could not be built in MAX_ATTEMPTS runs, asking the person to start it
    again. Side effects as fail_job. Returns 1, or 0 when the job moved on meanwhile."""
    error = _("Gagal setelah %(n)s percobaan; silakan coba lagi.") % {"n": max(job.attempts, 1)}
    return int(fail_job(job, error=error).status == Status.FAILED)


def retry_job(job):
    """Put a job whose run stopped (its worker died) back in the queue and enqueue its task.

    Side effects: the job QUEUED at 0 % with a step saying it is tried again; audit event
    "document.job_retried"; its task enqueued after commit. Returns 1, or 0 when the job
    moved on meanwhile (the run finished after all)."""
    step = _("Diulang (percobaan %(n)s dari %(max)s) karena proses sebelumnya terhenti") % {
        "n": job.attempts + 1,
        "max": MAX_ATTEMPTS,
    }
    with transaction.atomic():
        if not _settle(job, status=Status.QUEUED, progress=0, step=step, queued_at=timezone.now()):
            return 0
        record_event(
            "document.job_retried",
            by=job.requested_by,
            institution=job.institution,
            target=job,
            after={"kind": job.kind, "attempts": job.attempts},
        )
        transaction.on_commit(lambda: _enqueue(job), robust=True)
    return 1


def _enqueue(job):
    import_string(job.task).enqueue(job.pk)
