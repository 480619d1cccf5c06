"""Starting and running background jobs.

``job_create`` stores the job and enqueues ``jobs.tasks.run_job`` once the transaction
commits. ``job_run`` (called by the task) claims the job with a compare-and-set
queued → running, calls the kind's handler outside any transaction (so progress updates are
visible to the polling page at once), then records success or failure the same way.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import audit_record
from jobs.models import Job
from jobs.registry import JobFailed, get_kind

logger = logging.getLogger("anbiao.jobs")

S = Job.Status
# The only moves a job's status may make.
JOB_TRANSITIONS: dict[str, frozenset[str]] = {
    S.QUEUED: frozenset({S.RUNNING, S.FAILED}),
    S.RUNNING: frozenset({S.SUCCEEDED, S.FAILED}),
    S.SUCCEEDED: frozenset(),
    S.FAILED: frozenset(),
}


class JobStateError(Exception):
    """The job was not in the state the move starts from (another worker got there first)."""


def job_transition(job: Job, to: str, **fields: Any) -> Job:
    """Move ``job`` to status ``to`` by compare-and-set, also writing ``fields``.

    Raises JobStateError if the move is not allowed from the job's status, or if the row's
    status changed since ``job`` was read (exactly one row must change).
    """
    if to not in JOB_TRANSITIONS[job.status]:
        raise JobStateError(f"{job.status} → {to} is not allowed")
    updated = Job.objects.filter(pk=job.pk, status=job.status).update(status=to, **fields)
    if updated != 1:
        raise JobStateError(f"job {job.pk} is no longer {job.status}")
    job.status = to
    for name, value in fields.items():
        setattr(job, name, value)
    return job


@transaction.atomic
def job_create(*, actor, kind: str, input_file: File | None = None, params: dict | None = None) -> Job:
    """Store a queued job of ``kind`` for ``actor`` and enqueue it when the transaction commits.

    ``input_file`` (an upload) is saved under MEDIA_ROOT/jobs/; its original name goes into
    ``params["filename"]`` unless given. Raises LookupError for an unregistered kind.
    """
    get_kind(kind)
    params = dict(params or {})
    job = Job(kind=kind, created_by=actor, params=params, language=translation.get_language() or "")
    if input_file is not None:
        original = PurePath(getattr(input_file, "name", "") or "upload").name
        params.setdefault("filename", original)
        job.input_file.save(original, input_file, save=False)
    job.save()
    audit_record(actor=actor, action="job.create", target=job, data={"kind": kind, "params": params})

    from jobs.tasks import run_job  # the task module imports this one

    transaction.on_commit(lambda: run_job.enqueue(job_id=job.pk))
    return job


def job_progress(*, job: Job, done: int, total: int) -> None:
    """Record how far a running job got (shown by the polling status page)."""
    total = max(total, 0)
    done = min(max(done, 0), total)
    Job.objects.filter(pk=job.pk, status=S.RUNNING).update(progress_done=done, progress_total=total)
    job.progress_done, job.progress_total = done, total


@dataclass
class _Context:
    """What a handler gets: the job, a progress reporter and a place for its output file."""

    job: Job

    def progress(self, done: int, total: int) -> None:
        job_progress(job=self.job, done=done, total=total)

    def save_output(self, filename: str, content: bytes) -> None:
        self.job.output_file.save(filename, ContentFile(content), save=False)
        self.job.params = {**self.job.params, "output_filename": filename}
        Job.objects.filter(pk=self.job.pk).update(
            output_file=self.job.output_file.name, params=self.job.params
        )


def job_run(*, job_id: int) -> Job | None:
    """Claim queued job ``job_id``, run its handler and record the outcome; return the job.

    Returns None, doing nothing, when the job does not exist or is no longer queued (the
    task was delivered twice, or another worker claimed it). A handler's JobFailed becomes a
    failed job with its message and per-row report; any other exception a failed job with
    a generic message (and a logged traceback).
    """
    job = Job.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or job.status != S.QUEUED:
        return None
    try:
        job_transition(job, S.RUNNING, started_at=timezone.now())
    except JobStateError:
        return None
    # Messages (row problems, the result) are stored as text, in the uploader's language.
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            result = get_kind(job.kind).handler(_Context(job))
        except JobFailed as exc:
            return job_transition(
                job,
                S.FAILED,
                finished_at=timezone.now(),
                result={"message": exc.message},
                error_report=exc.errors,
            )
        except Exception:
            logger.exception("Job %s (%s) failed", job.pk, job.kind)
            message = _(
                "The job stopped because of an unexpected error. Please try again or tell the administrator."
            )
            return job_transition(job, S.FAILED, finished_at=timezone.now(), result={"message": message})
    fields: dict[str, Any] = {"finished_at": timezone.now(), "result": result or {}}
    if job.progress_total:
        fields["progress_done"] = job.progress_total
    return job_transition(job, S.SUCCEEDED, **fields)


def job_reap_stale(*, older_than_minutes: int = 60, dry_run: bool = False) -> list[int]:
    """Mark jobs "running" for longer than the limit as failed (their worker died); return their ids.

    Each job is claimed by compare-and-set, so a job that finishes meanwhile is left alone and
    running this twice is harmless.
    """
    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    stale = list(Job.objects.filter(status=S.RUNNING, started_at__lt=cutoff).order_by("pk"))
    if dry_run:
        return [job.pk for job in stale]
    reaped = []
    for job in stale:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            message = _("The job was interrupted (the background worker stopped). Please start it again.")
        try:
            job_transition(job, S.FAILED, finished_at=timezone.now(), result={"message": message})
        except JobStateError:
            continue
        reaped.append(job.pk)
    return reaped
