"""Who may change regulation parameters and the working-day calendar: system admins only.

The role is spelled out here because this app sits below ``accounts`` in the layers.
"""

from django.core.exceptions import PermissionDenied

REGULATION_ADMIN_ROLE = "system_admin"


def can_manage_regulation(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and getattr(user, "role", None) == REGULATION_ADMIN_ROLE
    )


def require_regulation_admin(user) -> None:
    if not can_manage_regulation(user):
        raise PermissionDenied
