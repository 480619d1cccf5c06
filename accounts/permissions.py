"""Scope: which part of the region tree a user works in, and who may manage accounts.

Every other app's ``visible_to`` builds on ``region_scope_path`` so that lists, details,
exports, dashboards and the API agree on what a user can see.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from accounts.models import ApiToken, Organisation, Region, User
from accounts.roles import CITY_ROLES, COUNTY_ROLES, Role

# A path that matches no region: ``startswith`` on it returns nothing.
NO_REGION = "\x00"


def region_scope_path(user) -> str:
    """Return the region path prefix under which the user sees regional data.

    City roles and system admins see their city (their organisation's region and below);
    county roles see their division. Everyone else gets NO_REGION: their access, if any,
    is by organisation or assignment, not by region.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.organisation_id is None:
        return NO_REGION
    if user.role in CITY_ROLES or user.role in COUNTY_ROLES or user.role == Role.SYSTEM_ADMIN:
        return user.organisation.region.path
    return NO_REGION


def regions_visible_to(user) -> QuerySet[Region]:
    """Return the regions a user may see: the whole tree for staff, their own chain otherwise.

    Region names are public information, so every logged-in user may list them; this only
    narrows pickers to the user's part of the tree.
    """
    path = region_scope_path(user)
    qs = Region.objects.filter(is_active=True)
    if path == NO_REGION:
        return qs
    return qs.filter(path__startswith=path)


def county_regions_for(user) -> QuerySet[Region]:
    """Return the county-level divisions the user may pick (filters, forms)."""
    return regions_visible_to(user).filter(level=Region.Level.COUNTY).order_by("sort_order", "code")


def can_manage_accounts(user) -> bool:
    """System admins create users, regions and organisations; nobody else does."""
    return bool(getattr(user, "is_authenticated", False) and user.role == Role.SYSTEM_ADMIN)


def require_account_manager(user) -> None:
    if not can_manage_accounts(user):
        raise PermissionDenied


def users_visible_to(user) -> QuerySet[User]:
    """Return the users an account manager may see (all in their scope), none for others."""
    if not can_manage_accounts(user):
        return User.objects.none()
    return User.objects.select_related("organisation", "organisation__region")


def organisations_visible_to(user) -> QuerySet[Organisation]:
    if not can_manage_accounts(user):
        return Organisation.objects.none()
    return Organisation.objects.select_related("region")


def get_user_for_user(actor, pk: int) -> User:
    """Return the user ``pk`` for account management; 403 for non-admins, 404 if absent."""
    require_account_manager(actor)
    try:
        return users_visible_to(actor).get(pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc


def get_region_for_user(actor, pk: int) -> Region:
    require_account_manager(actor)
    try:
        return Region.objects.get(pk=pk)
    except Region.DoesNotExist as exc:
        raise Http404 from exc


def tokens_visible_to(user) -> QuerySet[ApiToken]:
    """Return the API tokens the user may see: their own; admins see everyone's."""
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    qs = ApiToken.objects.select_related("user")
    return qs if can_manage_accounts(user) else qs.filter(user=user)


def get_token_for_user(user, pk: int) -> ApiToken:
    try:
        return tokens_visible_to(user).get(pk=pk)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc


def get_organisation_for_user(actor, pk: int) -> Organisation:
    """Return organisation ``pk`` for account management; 403 for non-admins, 404 if absent."""
    require_account_manager(actor)
    try:
        return organisations_visible_to(actor).get(pk=pk)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc
