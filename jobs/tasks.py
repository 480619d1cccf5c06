"""Background tasks of the jobs app. A task takes ids and calls one service."""

from django_tasks import task

from jobs.services import job_run


@task()
def run_job(job_id: int) -> str:
    """Run job ``job_id``'s handler; a second delivery finds the job claimed and does nothing."""
    job = job_run(job_id=job_id)
    return job.status if job is not None else "skipped"
