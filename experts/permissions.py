"""Who sees and manages which expert. Every read of experts starts from visible_to().

City roles and system admins see their city's pool; an expert sees only his own profile;
county and enterprise users see nothing (404), since who may be drawn onto a panel is not
theirs to know. Inside the pool, the manufacturing section (officer, chief) and admins
manage profiles; the bureau leader only reads (403 on writes).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.permissions import NO_REGION, region_scope_path
from accounts.roles import CITY_ROLES, Role
from experts.models import Expert

# The manufacturing section keeps the pool; the bureau leader only reads it.
MANAGER_ROLES = frozenset({Role.CITY_OFFICER, Role.CITY_CHIEF, Role.SYSTEM_ADMIN})
# Approving or rejecting an expert's qualification changes is the section's call.
DECIDER_ROLES = frozenset({Role.CITY_OFFICER, Role.CITY_CHIEF})
# The city officer rates each member after a job (domain.md §6).
RATER_ROLES = frozenset({Role.CITY_OFFICER})

# What each action on one expert needs (see get_expert_for_user).
ACTIONS = frozenset({"view", "edit", "status", "declare", "certify", "decide", "rate", "ratings"})


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_pool_viewer(user) -> bool:
    """City roles and system admins: they see the pool (list, export, detail pages)."""
    return _active(user) and (user.role in CITY_ROLES or user.role == Role.SYSTEM_ADMIN)


def is_expert_user(user) -> bool:
    return _active(user) and user.role == Role.EXPERT


def visible_to(user) -> QuerySet[Expert]:
    """Return the experts the user may see.

    City roles and system admins: every expert of their city, including those with no
    region recorded (the pool is the city's). An expert: his own profile. Everyone
    else (county and enterprise users, anonymous): none.
    """
    if not _active(user):
        return Expert.objects.none()
    if user.role == Role.EXPERT:
        return Expert.objects.filter(user=user)
    if not is_pool_viewer(user):
        return Expert.objects.none()
    path = region_scope_path(user)
    if path == NO_REGION:
        return Expert.objects.none()
    return Expert.objects.filter(Q(region__path__startswith=path) | Q(region__isnull=True))


def can_manage_experts(user) -> bool:
    return _active(user) and user.role in MANAGER_ROLES


def require_expert_manager(user) -> None:
    if not can_manage_experts(user):
        raise PermissionDenied


def require_pool_viewer(user) -> None:
    """Raise Http404 for anyone who may not see the pool as a whole (its list, export, queue)."""
    if not is_pool_viewer(user):
        raise Http404


def is_own_profile(user, expert: Expert) -> bool:
    return is_expert_user(user) and expert.user_id == user.pk


def can_declare(user, expert: Expert) -> bool:
    """Relations and unavailable dates: the expert himself (his duty) or the section."""
    return is_own_profile(user, expert) or can_manage_experts(user)


def can_decide_changes(user) -> bool:
    return _active(user) and user.role in DECIDER_ROLES


def require_change_decider(user) -> None:
    if not can_decide_changes(user):
        raise PermissionDenied


def can_rate(user) -> bool:
    return _active(user) and user.role in RATER_ROLES


def require_rater(user) -> None:
    if not can_rate(user):
        raise PermissionDenied


def can_see_ratings(user) -> bool:
    """The individual ratings are the bureau's; an expert sees only his own summary."""
    return is_pool_viewer(user)


def can_act(user, expert: Expert, action: str) -> bool:
    """Whether a user who sees ``expert`` may perform ``action`` on it."""
    if action == "view":
        return True
    if action in {"edit", "status"}:
        return can_manage_experts(user)
    if action in {"declare", "certify"}:
        # certify: the section records a certificate; the expert's own waits for approval.
        return can_declare(user, expert)
    if action == "decide":
        return can_decide_changes(user)
    if action == "rate":
        return can_rate(user)
    if action == "ratings":
        return can_see_ratings(user)
    return False


def get_expert_for_user(user, pk: int, action: str = "view") -> Expert:
    """Return expert ``pk`` if the user may perform ``action`` on it.

    Actions: view, edit, status, declare (relations, unavailable dates), certify
    (certificates), decide (change requests), rate, ratings (read the ratings).
    Http404 when the user may not see the expert; PermissionDenied when they see it but
    may not act.
    """
    try:
        expert = visible_to(user).select_related("region", "user").get(pk=pk)
    except (Expert.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if action not in ACTIONS or not can_act(user, expert, action):
        raise PermissionDenied
    return expert


def get_own_expert(user) -> Expert:
    """Return the expert profile linked to the user's account; Http404 if there is none."""
    if not is_expert_user(user):
        raise Http404
    expert = Expert.objects.select_related("region", "user").filter(user=user).first()
    if expert is None:
        raise Http404
    return expert
