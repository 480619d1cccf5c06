"""Who sees and records which accidents. Every read of accidents starts from visible_to().

Scope follows the enterprise registry: whoever sees an enterprise (enterprises.permissions
.visible_to) sees its accidents. County and city officers and chiefs record and edit them in
their own scope; bureau leaders, admins and enterprise users only read.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from accidents.models import Accident
from accounts.permissions import NO_REGION, region_scope_path
from accounts.roles import ENTERPRISE_ROLES, Role
from enterprises.models import Enterprise
from enterprises.permissions import visible_to as enterprises_visible_to

RECORDER_ROLES = frozenset({Role.COUNTY_OFFICER, Role.COUNTY_CHIEF, Role.CITY_OFFICER, Role.CITY_CHIEF})


def visible_to(user) -> QuerySet[Accident]:
    """Return the accidents the user may see: those of the enterprises they may see.

    City roles, bureau leaders and admins: their city. County roles: their division (the
    enterprise's indexed region_path, so accidents move with an enterprise that moves).
    Enterprise users: their own enterprise's. Experts and anonymous users: none.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Accident.objects.none()
    if user.role in ENTERPRISE_ROLES:
        if user.organisation_id is None:
            return Accident.objects.none()
        return Accident.objects.filter(enterprise__organisation_id=user.organisation_id)
    path = region_scope_path(user)
    if path == NO_REGION:
        return Accident.objects.none()
    return Accident.objects.filter(enterprise__region_path__startswith=path)


def can_record_accidents(user) -> bool:
    """County and city officers and chiefs record accidents (domain.md §2)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role in RECORDER_ROLES)


def require_accident_recorder(user) -> None:
    if not can_record_accidents(user):
        raise PermissionDenied


def can_edit_accident(user, accident: Accident) -> bool:
    """Recorders may change accidents in their scope (the caller has already checked visibility)."""
    return can_record_accidents(user) and accident.enterprise.region_path.startswith(region_scope_path(user))


def recordable_enterprises(user) -> QuerySet[Enterprise]:
    """Return the enterprises the user may record an accident for: their scope, if they record."""
    if not can_record_accidents(user):
        return Enterprise.objects.none()
    return enterprises_visible_to(user)


def get_accident_for_user(user, pk: int, action: str = "view") -> Accident:
    """Return accident ``pk`` if the user may perform ``action`` ("view" or "edit") on it.

    Raises Http404 when the user may not see it (another county must not learn it exists)
    and PermissionDenied when they see it but may not perform the action.
    """
    try:
        accident = (
            visible_to(user).select_related("enterprise", "enterprise__region", "recorded_by").get(pk=pk)
        )
    except (Accident.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if action == "edit" and not can_edit_accident(user, accident):
        raise PermissionDenied
    if action not in {"view", "edit"}:
        raise PermissionDenied
    return accident
