"""Reading a user's own notifications (nobody reads anyone else's)."""

from django.db.models import QuerySet

from notifications.models import Notification


def notification_list(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    rows = Notification.objects.filter(recipient=user)
    return rows.filter(read_at__isnull=True) if unread_only else rows


def unread_count(user) -> int:
    return notification_list(user=user, unread_only=True).count()
