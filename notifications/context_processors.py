"""Template context: the unread count behind the bell in the top bar."""

from django.utils.functional import SimpleLazyObject

from notifications.selectors import unread_count


def unread(request) -> dict:
    """Return the user's unread count, lazily: one COUNT query, only on pages that show the bell."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notification_count": SimpleLazyObject(lambda: unread_count(user))}
