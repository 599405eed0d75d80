"""The Celery task of a large import: takes the job's id, runs it, stores the outcome."""

from celery import shared_task

from . import services
from .models import ImportJob, ImportStatus


@shared_task(acks_late=True)
def run_job(job_id: int) -> str:
    job = ImportJob.objects.select_related("program", "user").filter(pk=job_id).first()
    if job is None or job.status != ImportStatus.QUEUED:
        return "skipped"  # gone, or a redelivered message of a job already run
    return services.execute(job).status
