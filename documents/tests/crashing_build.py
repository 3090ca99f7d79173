"""A background build for test_crash.py, run in a child process. Its first run writes a large
document slowly, so that the test can kill the process half-way; a later run (the retry)
writes it at once."""

import time

from django_tasks import task

from documents.jobs import run_job
from documents.services import store_document_file

CHUNK = b"x" * 65536
CHUNKS = 64  # 4 MiB


@task()
def build_large_document(job_pk):
    return run_job(job_pk, _build).status


def _build(job):
    slow = job.attempts == 1

    def write(target):
        for n in range(CHUNKS):
            target.write(CHUNK)
            if slow:
                target.flush()
                if n == 1:
                    print("menulis", flush=True)
                time.sleep(0.5)

    return [
        store_document_file(
            institution=job.institution,
            kind="report",
            source=f"documents.generationjob:{job.pk}",
            format="zip",
            title="Dokumen Besar",
            by=job.requested_by,
            write=write,
        )
    ]
