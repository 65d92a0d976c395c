"""Celery entry points of the admin's imports: large files are checked and written here.

The worker reads the uploaded file from the default storage (MEDIA_ROOT on one
machine; with workers on other machines that storage must be shared, e.g. S3 or NFS).
An error ends the job as failed (jobs.py), so a task never leaves it running.
"""

from celery import shared_task

from .jobs import import_job_preview, import_job_run


@shared_task(acks_late=True)
def import_job_preview_task(*, job_id: int) -> None:
    """The dry run of an uploaded file. Idempotent: it acts only on a job that is
    being checked, and writes nothing; a cancelled job is left alone."""
    import_job_preview(job_id)


@shared_task(acks_late=True)
def import_job_run_task(*, job_id: int) -> None:
    """Writes a confirmed import. A retry after a crash imports the file again, which
    creates nothing twice: written rows match their natural key and are skipped."""
    import_job_run(job_id)
