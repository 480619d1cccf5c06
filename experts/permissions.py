"""Who sees and manages which expert. Every read of experts starts from visible_to()."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.permissions import NO_REGION, region_scope_path
from accounts.roles import CITY_ROLES, Role
from experts.models import Expert

# The manufacturing section keeps the pool; the bureau leader only reads it.
MANAGER_ROLES = frozenset({Role.CITY_OFFICER, Role.CITY_CHIEF, Role.SYSTEM_ADMIN})


def visible_to(user) -> QuerySet[Expert]:
    """Return the experts the user may see.

    City roles and system admins: every expert of their city, including those with no
    region recorded (the pool is the city's). An expert: his own profile. Everyone
    else (county and enterprise users, anonymous): none, since who may be drawn onto a
    panel is not theirs to know.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Expert.objects.none()
    if user.role == Role.EXPERT:
        return Expert.objects.filter(user=user)
    if user.role not in CITY_ROLES and user.role != Role.SYSTEM_ADMIN:
        return Expert.objects.none()
    path = region_scope_path(user)
    if path == NO_REGION:
        return Expert.objects.none()
    return Expert.objects.filter(Q(region__path__startswith=path) | Q(region__isnull=True))


def can_manage_experts(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role in MANAGER_ROLES)


def require_expert_manager(user) -> None:
    if not can_manage_experts(user):
        raise PermissionDenied


def get_expert_for_user(user, pk: int, action: str = "view") -> Expert:
    """Return expert ``pk`` if the user may perform ``action`` ("view" or "edit") on it.

    Http404 when the user may not see it; PermissionDenied when they see it but may not act.
    """
    try:
        expert = visible_to(user).select_related("region", "user").get(pk=pk)
    except (Expert.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if action == "edit" and not can_manage_experts(user):
        raise PermissionDenied
    if action not in {"view", "edit"}:
        raise PermissionDenied
    return expert
