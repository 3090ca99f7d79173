"""Background builds of SOP step 8: the Dokumen Evaluasi SPBE and the evidence package. Each
task takes a GenerationJob's pk; documents.jobs.run_job records progress and the outcome."""

from django_tasks import task

from documents.jobs import run_job


@task()
def build_evaluation(job_pk):
    """Build the Dokumen Evaluasi SPBE (PDF and DOCX) of the job's cycle."""
    return run_job(job_pk, _evaluation).status


@task()
def build_package(job_pk):
    """Build the evidence package (ZIP) of the job's cycle."""
    return run_job(job_pk, _package).status


def _evaluation(job):
    # Imported here: reports.evaluation enqueues these tasks.
    from reports.evaluation import generate_evaluation

    return generate_evaluation(job.cycle, by=job.requested_by, job=job)


def _package(job):
    from evidence.package import build_evidence_package

    return [build_evidence_package(job.cycle, by=job.requested_by, job=job)]
