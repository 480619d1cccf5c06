"""Who sees which job: only the user who started it (everyone else gets 404)."""

from django.db.models import QuerySet
from django.http import Http404

from jobs.models import Job


def visible_to(user) -> QuerySet[Job]:
    """Return the jobs the user started; none for anonymous or inactive users."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Job.objects.none()
    return Job.objects.filter(created_by=user)


def get_job_for_user(user, pk: int) -> Job:
    """Return job ``pk`` if the user started it, else raise Http404 (others must not learn it exists)."""
    try:
        return visible_to(user).get(pk=pk)
    except (Job.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
