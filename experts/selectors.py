"""Reads of the expert pool. Every function starts from visible_to(user)."""

from django.db.models import QuerySet

from experts.models import Expert
from experts.permissions import visible_to


def expert_list(*, user, status: str = "") -> QuerySet[Expert]:
    """Return the user's experts, optionally of one status, with region and account preloaded."""
    qs = visible_to(user)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("region", "user").order_by("name", "pk")
