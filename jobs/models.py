"""Background jobs a user started (an Excel import, a large export) and how they went."""

from pathlib import PurePath
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def job_file_path(instance: "Job", filename: str) -> str:
    """Store job files under MEDIA_ROOT/jobs/ by month, with a random name (the original is in params)."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"jobs/{timezone.localdate():%Y/%m}/{uuid4().hex}{suffix}"


class Job(models.Model):
    """One run of background work for one user: what kind, how far it got and how it ended.

    ``status`` only moves queued → running → succeeded/failed (or queued → failed), by
    compare-and-set in ``jobs.services``, so a task delivered twice runs its handler once.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=64)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("total"), default=0)
    language = models.CharField(
        _("language"), max_length=16, blank=True, help_text=_("The UI language of the user; messages use it.")
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error_report = models.JSONField(
        _("error report"),
        default=list,
        blank=True,
        help_text=_("One entry per problem: row, column, message."),
    )
    input_file = models.FileField(_("input file"), upload_to=job_file_path, max_length=200, blank=True)
    output_file = models.FileField(_("output file"), upload_to=job_file_path, max_length=200, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # "My recent jobs": jobs of one user, newest first.
            models.Index(fields=["created_by", "-created_at"], name="job_owner_recent_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress_done__lte=models.F("progress_total"))
                | models.Q(progress_total=0),
                name="job_progress_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def kind_label(self) -> str:
        from jobs.registry import kind_label

        return kind_label(self.kind)
