"""Reads of jobs. Every function starts from visible_to(user)."""

from django.db.models import QuerySet

from jobs.models import Job
from jobs.permissions import visible_to


def job_list(*, user, kind: str = "") -> QuerySet[Job]:
    """Return the user's jobs, newest first, optionally of one kind."""
    qs = visible_to(user)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-pk")
