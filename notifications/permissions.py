"""A notification is its recipient's alone: anyone else gets 404, never a hint that it exists."""

from django.http import Http404

from notifications.models import Notification
from notifications.selectors import notification_list


def get_notification_for_user(user, pk) -> Notification:
    """Return the user's own notification ``pk``; raise Http404 for anyone else's."""
    try:
        return notification_list(user=user).get(pk=pk)
    except (Notification.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
