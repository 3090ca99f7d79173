"""Background builds: a real django-tasks task builds a real document while its job reports
progress; the page that started it polls job_status."""

import datetime
import io

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from audit.models import AuditEvent
from documents.jobs import (
    claim_job,
    fail_job,
    finish_job,
    run_job,
    start_job,
    sweep_jobs,
    update_job,
)
from documents.letters import sample_render_context
from documents.models import Document, GenerationJob
from documents.services import render_docx_document, store_document

seen_progress = []


def _build_letter(job):
    update_job(job, progress=40, step="Mengisi templat surat")
    seen_progress.append(
        GenerationJob.objects.values_list("status", "progress", "step").get(pk=job.pk)
    )
    content = render_docx_document(job.institution, "letter", sample_render_context())
    update_job(job, progress=90, step="Menyimpan dokumen")
    return [
        store_document(
            institution=job.institution,
            cycle=job.cycle,
            kind="letter.contoh",
            source=f"documents.generationjob:{job.pk}",
            format="docx",
            title="Surat Contoh",
            content=content,
            by=job.requested_by,
        )
    ]


@task()
def build_sample_letter(job_pk):
    return run_job(job_pk, _build_letter).pk


def _refuse(job):
    raise ValidationError("Belum ada hasil evaluasi yang disepakati.")


@task()
def build_refused(job_pk):
    return run_job(job_pk, _refuse).pk


def _crash(job):
    update_job(job, progress=30, step="Menggabungkan data dukung")
    raise RuntimeError("disk penuh")


@task()
def build_crashing(job_pk):
    return run_job(job_pk, _crash).pk


def start(cycle, coordinator, build, capture):
    with capture(execute=True) as callbacks:
        job = start_job(
            institution=cycle.institution, cycle=cycle, kind="letter", by=coordinator, task=build
        )
        # Nothing runs before the transaction that started the job commits.
        assert GenerationJob.objects.get(pk=job.pk).status == GenerationJob.Status.QUEUED
    assert len(callbacks) == 1
    job.refresh_from_db()
    return job


def test_a_job_builds_a_real_document(cycle, coordinator, django_capture_on_commit_callbacks):
    seen_progress.clear()
    job = start(cycle, coordinator, build_sample_letter, django_capture_on_commit_callbacks)

    assert seen_progress == [("running", 40, "Mengisi templat surat")]
    assert (job.status, job.progress, job.step, job.error) == ("done", 100, "", "")
    assert job.started_at <= job.finished_at
    (document,) = job.documents.all()
    assert (document.title, document.format, document.cycle) == ("Surat Contoh", "docx", cycle)
    with document.file.open("rb") as handle:
        text = [p.text for p in docx.Document(io.BytesIO(handle.read())).paragraphs]
    assert "Undangan Pengisian Evaluasi Mandiri SPBE Tahun 2026" in " ".join(text)
    assert list(
        AuditEvent.objects.filter(action__startswith="document.job").values_list(
            "action", "actor", "cycle"
        )
    ) == [
        ("document.job_started", coordinator.pk, cycle.pk),
        ("document.job_done", coordinator.pk, cycle.pk),
    ]


def test_a_refused_build_fails_with_its_message(
    cycle, coordinator, django_capture_on_commit_callbacks
):
    job = start(cycle, coordinator, build_refused, django_capture_on_commit_callbacks)
    assert (job.status, job.error) == ("failed", "Belum ada hasil evaluasi yang disepakati.")
    assert job.finished_at is not None


def test_a_crash_fails_with_a_plain_message_and_is_logged(
    cycle, coordinator, django_capture_on_commit_callbacks, caplog
):
    job = start(cycle, coordinator, build_crashing, django_capture_on_commit_callbacks)
    assert (job.status, job.progress, job.step) == ("failed", 30, "Menggabungkan data dukung")
    assert job.error == (
        "Dokumen gagal dibuat karena kesalahan pada sistem. Coba sekali lagi; jika gagal lagi, "
        "hubungi administrator aplikasi."
    )
    assert "disk penuh" not in job.error
    assert "disk penuh" in caplog.text
    assert AuditEvent.objects.filter(action="document.job_failed").count() == 1


def test_a_finished_job_is_not_run_again(cycle, coordinator, django_capture_on_commit_callbacks):
    job = start(cycle, coordinator, build_refused, django_capture_on_commit_callbacks)
    run_job(job.pk, _build_letter)
    job.refresh_from_db()
    assert (job.status, job.documents.count()) == ("failed", 0)


def test_update_job_writes_only_progress_and_step(cycle, coordinator):
    job = GenerationJob.objects.create(
        institution=cycle.institution, cycle=cycle, kind="letter", requested_by=coordinator
    )
    stale = GenerationJob.objects.get(pk=job.pk)
    GenerationJob.objects.filter(pk=job.pk).update(error="catatan lain")
    update_job(stale, progress=150, step="x" * 300)
    job.refresh_from_db()
    assert (job.status, job.progress, len(job.step), job.error) == (
        "running",
        100,
        200,
        "catatan lain",
    )


def test_a_job_remembers_its_task(cycle, coordinator, django_capture_on_commit_callbacks):
    job = start(cycle, coordinator, build_sample_letter, django_capture_on_commit_callbacks)
    assert (job.task, job.attempts) == ("documents.tests.test_jobs.build_sample_letter", 1)
    assert job.queued_at is not None


def test_a_job_enqueued_twice_is_built_once(cycle, coordinator, django_capture_on_commit_callbacks):
    job = start(cycle, coordinator, build_sample_letter, django_capture_on_commit_callbacks)
    result = build_sample_letter.enqueue(job.pk)
    job.refresh_from_db()
    assert (result.return_value, job.status, job.attempts) == (job.pk, "done", 1)
    assert Document.objects.count() == 1
    assert AuditEvent.objects.filter(action="document.job_done").count() == 1


def test_only_one_run_claims_a_job(cycle, coordinator):
    job = queued_job(cycle, coordinator, waited_minutes=0)
    claimed = claim_job(job.pk)
    assert (claimed.status, claimed.attempts, claimed.step) == (
        "running",
        1,
        "Mulai membuat dokumen",
    )
    assert claim_job(job.pk) is None


# --- The sweeper: jobs stuck in the queue or left running by a dead worker ---------------------

FIXED_SWEEP = {"requeued": 0, "retried": 0, "failed": 0}


def queued_job(cycle, coordinator, *, waited_minutes, task=build_sample_letter):
    """A job row whose task was never enqueued, as when the enqueue raised after commit."""
    job = GenerationJob.objects.create(
        institution=cycle.institution,
        cycle=cycle,
        kind="letter",
        requested_by=coordinator,
        task=task.module_path,
        queued_at=timezone.now() - datetime.timedelta(minutes=waited_minutes),
    )
    return job


def running_job(cycle, coordinator, *, minutes, attempts):
    """A job a worker took `minutes` ago and never finished (the worker died)."""
    return GenerationJob.objects.create(
        institution=cycle.institution,
        cycle=cycle,
        kind="letter",
        requested_by=coordinator,
        task=build_sample_letter.module_path,
        status=GenerationJob.Status.RUNNING,
        attempts=attempts,
        progress=40,
        step="Mengisi templat surat",
        started_at=timezone.now() - datetime.timedelta(minutes=minutes),
    )


def test_a_job_that_was_never_enqueued_is_enqueued_by_the_sweeper(cycle, coordinator):
    job = queued_job(cycle, coordinator, waited_minutes=11)
    recent = queued_job(cycle, coordinator, waited_minutes=9)

    assert sweep_jobs() == {**FIXED_SWEEP, "requeued": 1}

    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress, job.error) == ("done", 1, 100, "")
    (document,) = job.documents.all()
    assert document.title == "Surat Contoh"
    recent.refresh_from_db()
    assert (recent.status, recent.attempts) == ("queued", 0)
    # Done now: the next sweep has nothing to do.
    assert sweep_jobs() == FIXED_SWEEP


def test_a_job_whose_worker_died_is_run_again(
    cycle, coordinator, django_capture_on_commit_callbacks
):
    job = running_job(cycle, coordinator, minutes=31, attempts=1)
    alive = running_job(cycle, coordinator, minutes=29, attempts=1)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert sweep_jobs() == {**FIXED_SWEEP, "retried": 1}
    assert len(callbacks) == 1

    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress, job.step) == ("done", 2, 100, "")
    assert job.documents.count() == 1
    assert list(
        AuditEvent.objects.filter(action__startswith="document.job").values_list("action", "after")
    ) == [
        ("document.job_retried", {"kind": "letter", "attempts": 1}),
        ("document.job_done", {"kind": "letter", "documents": [job.documents.get().pk]}),
    ]
    alive.refresh_from_db()
    assert (alive.status, alive.attempts, alive.progress) == ("running", 1, 40)


def test_a_retried_job_waits_with_a_step_that_says_so(
    cycle, coordinator, django_capture_on_commit_callbacks
):
    job = running_job(cycle, coordinator, minutes=31, attempts=2)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert sweep_jobs() == {**FIXED_SWEEP, "retried": 1}
    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress, job.step) == (
        "queued",
        2,
        0,
        "Diulang (percobaan 3 dari 3) karena proses sebelumnya terhenti",
    )
    assert len(callbacks) == 1


def test_a_job_that_died_three_times_fails_with_a_clear_message(
    cycle, coordinator, django_capture_on_commit_callbacks
):
    job = running_job(cycle, coordinator, minutes=31, attempts=3)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert sweep_jobs() == {**FIXED_SWEEP, "failed": 1}
    assert callbacks == []
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == (
        "failed",
        3,
        "Gagal setelah 3 percobaan; silakan coba lagi.",
    )
    assert job.finished_at is not None
    assert AuditEvent.objects.filter(action="document.job_failed").count() == 1
    assert sweep_jobs() == FIXED_SWEEP


def test_the_time_limit_is_a_setting(cycle, coordinator, settings):
    settings.JOB_TIME_LIMIT_MINUTES = 60
    running_job(cycle, coordinator, minutes=31, attempts=1)
    assert sweep_jobs() == FIXED_SWEEP


def test_a_run_given_up_on_does_not_overwrite_the_next_one(cycle, coordinator):
    job = queued_job(cycle, coordinator, waited_minutes=0)
    first_run = claim_job(job.pk)
    GenerationJob.objects.filter(pk=job.pk).update(status=GenerationJob.Status.QUEUED)
    second_run = claim_job(job.pk)

    fail_job(first_run, error="terlambat")
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == ("running", 2, "")
    finish_job(second_run, documents=[])
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2)
    assert AuditEvent.objects.filter(action__startswith="document.job").count() == 1


def test_run_periodic_runs_the_sweep(cycle, coordinator):
    job = queued_job(cycle, coordinator, waited_minutes=60)
    out = io.StringIO()
    call_command("run_periodic", stdout=out)
    assert "sweep_document_jobs: SUCCESSFUL" in out.getvalue().splitlines()
    job.refresh_from_db()
    assert job.status == "done"


# --- The status partial ---------------------------------------------------------------------


@pytest.fixture
def job(cycle, coordinator):
    job = GenerationJob.objects.create(
        institution=cycle.institution, cycle=cycle, kind="letter", requested_by=coordinator
    )
    update_job(job, progress=45, step="Menyusun lampiran 3 dari 7")
    return job


def status(client, job, htmx=True):
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(reverse("job_status", args=[job.pk]), headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def test_a_running_job_polls_every_second(client, coordinator, job):
    client.force_login(coordinator)
    html = status(client, job)
    assert html.lstrip().startswith('<div class="job job-running" id="job-')
    assert 'hx-trigger="every 1s"' in html
    assert 'aria-valuenow="45"' in html
    assert "45% · Menyusun lampiran 3 dari 7" in html
    assert "<html" not in html
    # Without HTMX the same content on a page of its own.
    page = status(client, job, htmx=False)
    assert "<html" in page
    assert 'hx-trigger="every 1s"' in page


def test_a_finished_job_stops_polling_and_links_its_documents(
    client, coordinator, job, make_document, cycle
):
    document = make_document(cycle=cycle, title="Dokumen Evaluasi SPBE")
    finish_job(job, documents=[document])
    client.force_login(coordinator)
    html = status(client, job)
    assert "hx-trigger" not in html
    assert "selesai" in html
    assert f'<a href="{reverse("document_download", args=[document.pk])}">' in html
    assert "Dokumen Evaluasi SPBE" in html


def test_a_failed_job_shows_the_error(client, coordinator, job):
    fail_job(job, error="Belum ada hasil evaluasi yang disepakati.")
    client.force_login(coordinator)
    html = status(client, job)
    assert "hx-trigger" not in html
    assert "gagal" in html
    assert "Belum ada hasil evaluasi yang disepakati." in html


@pytest.mark.parametrize("persona", ["outsider", "agency_user"])
def test_other_people_do_not_see_a_job(request, client, job, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("job_status", args=[job.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 404


def test_the_status_queries(client, coordinator, job, django_assert_num_queries):
    client.force_login(coordinator)
    # The user is read with their institution in one query (UserBackend).
    with django_assert_num_queries(5):
        status(client, job)
