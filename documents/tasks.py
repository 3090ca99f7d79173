"""The periodic sweep of background document builds, enqueued by `manage.py run_periodic`."""

from django_tasks import task

from documents.jobs import sweep_jobs
from documents.services import remove_partial_files


@task()
def sweep_document_jobs():
    """Get stuck generation jobs moving again (documents.jobs.sweep_jobs) and delete the
    half-written files killed processes left more than a day ago (remove_partial_files).
    Returns the counts of both."""
    return {**sweep_jobs(), "files_removed": len(remove_partial_files())}
