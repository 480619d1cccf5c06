"""Who sees and edits which enterprise. Every read of enterprises starts from visible_to()."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from accounts.permissions import NO_REGION, region_scope_path
from accounts.roles import ENTERPRISE_ROLES, Role
from enterprises.models import Enterprise

EDITOR_ROLES = frozenset({Role.CITY_OFFICER, Role.CITY_CHIEF, Role.COUNTY_OFFICER, Role.COUNTY_CHIEF})


def visible_to(user) -> QuerySet[Enterprise]:
    """Return the enterprises the user may see.

    City roles, bureau leaders and admins: their city. County roles: their division.
    Enterprise users: their own enterprise. Experts: none yet (their assigned cases'
    enterprises arrive with panels). Anonymous: none.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Enterprise.objects.none()
    if user.role in ENTERPRISE_ROLES:
        if user.organisation_id is None:
            return Enterprise.objects.none()
        return Enterprise.objects.filter(organisation_id=user.organisation_id)
    path = region_scope_path(user)
    if path == NO_REGION:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(region_path__startswith=path)


def can_create_enterprise(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.role in EDITOR_ROLES)


def can_edit_enterprise(user, enterprise: Enterprise) -> bool:
    """Editors may change enterprises in their scope (the caller has already checked visibility)."""
    return can_create_enterprise(user) and enterprise.region_path.startswith(region_scope_path(user))


def get_enterprise_for_user(user, pk: int, action: str = "view") -> Enterprise:
    """Return enterprise ``pk`` if the user may perform ``action`` ("view" or "edit") on it.

    Raises Http404 when the user may not see it (an outsider must not learn it exists) and
    PermissionDenied when they see it but may not perform the action.
    """
    try:
        enterprise = visible_to(user).select_related("region", "town").get(pk=pk)
    except (Enterprise.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if action == "edit" and not can_edit_enterprise(user, enterprise):
        raise PermissionDenied
    if action not in {"view", "edit"}:
        raise PermissionDenied
    return enterprise


def require_enterprise_creator(user) -> None:
    if not can_create_enterprise(user):
        raise PermissionDenied
