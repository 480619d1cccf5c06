"""Reads for account management, the token page and the workbench's welcome panel.

Every function starts from a ``*_visible_to(user)`` in ``accounts.permissions``.
"""

from dataclasses import dataclass

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ApiToken, Organisation, Region, User
from accounts.permissions import organisations_visible_to, tokens_visible_to, users_visible_to
from accounts.roles import ENTERPRISE_ROLES, OrganisationKind, Role


@dataclass(frozen=True)
class UserFilters:
    """The filters of the user list."""

    role: str = ""
    organisation: int | None = None
    q: str = ""
    must_change_password: bool = False
    locked_out: bool = False


def locked_out_usernames(*, user) -> QuerySet:
    """Return the usernames of the user's visible accounts that django-axes currently locks out.

    An attempt row locks once its failures reach AXES_FAILURE_LIMIT and until the cool-off
    has passed since the last failure. Attempts on names that are not accounts (guessing)
    are left out: there is nobody to help.
    """
    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        username__in=users_visible_to(user).values("username"),
    )
    cool_off = get_cool_off()
    if cool_off:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts.values_list("username", flat=True).distinct()


def user_list(*, user, filters: UserFilters | None = None) -> QuerySet[User]:
    """Return the users the account manager sees, narrowed by the filters, ordered by username.

    ``q`` matches the username, full name, phone or email (substring).
    """
    f = filters or UserFilters()
    qs = users_visible_to(user)
    if f.role:
        qs = qs.filter(role=f.role)
    if f.organisation:
        qs = qs.filter(organisation_id=f.organisation)
    if f.must_change_password:
        qs = qs.filter(must_change_password=True, is_active=True)
    if f.locked_out:
        qs = qs.filter(username__in=locked_out_usernames(user=user))
    q = f.q.strip()
    if q:
        qs = qs.filter(
            Q(username__icontains=q)
            | Q(full_name__icontains=q)
            | Q(phone__icontains=q)
            | Q(email__icontains=q)
        )
    return qs.order_by("username")


def organisation_list(*, user) -> QuerySet[Organisation]:
    """Return the organisations the account manager sees, grouped by kind then region."""
    return organisations_visible_to(user).order_by("kind", "region__path", "name")


def organisation_choices(*, user) -> list[tuple[str, list[tuple[int, str]]]]:
    """Return active organisations as select choices grouped by kind, in the kinds' declared order."""
    groups: dict[str, list[tuple[int, str]]] = {kind: [] for kind in OrganisationKind.values}
    for org in organisation_list(user=user).filter(is_active=True):
        groups.setdefault(org.kind, []).append((org.pk, str(org)))
    return [(str(OrganisationKind(kind).label), items) for kind, items in groups.items() if items]


@dataclass(frozen=True)
class RegionRow:
    """One line of the region tree: the region and how deep it sits (0 for a province)."""

    region: Region
    depth: int

    @property
    def indent_rem(self) -> float:
        return self.depth * 1.5


def region_tree(*, include_inactive: bool = True) -> list[RegionRow]:
    """Return every region in tree order (parents before their children), with its depth.

    Region names are public, so this needs no user; callers check who may manage them.
    """
    qs = Region.objects.order_by("path")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    rows = list(qs)
    by_parent: dict[int | None, list[Region]] = {}
    for region in rows:
        by_parent.setdefault(region.parent_id, []).append(region)
    for children in by_parent.values():
        children.sort(key=lambda r: (r.sort_order, r.code))
    result: list[RegionRow] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for region in by_parent.get(parent_id, []):
            result.append(RegionRow(region, depth))
            walk(region.pk, depth + 1)

    walk(None, 0)
    return result


def region_choices() -> list[tuple[int, str]]:
    """Return (pk, indented name) for every active region, in tree order, for parent pickers."""
    return [
        (row.region.pk, "\u3000" * row.depth + f"{row.region.name} ({row.region.code})")
        for row in region_tree(include_inactive=False)
    ]


def token_list(*, user) -> QuerySet[ApiToken]:
    """Return the API tokens the user sees (their own; admins see everyone's), newest first."""
    return tokens_visible_to(user).select_related("user", "created_by").order_by("-created_at", "-pk")


def user_scope_label(user) -> str:
    """Return, in words, the part of the world the user works on (for the welcome panel)."""
    organisation = user.organisation
    if organisation is None:
        return _("No organisation assigned")
    if user.role in ENTERPRISE_ROLES:
        return _("Your enterprise: %(name)s (%(region)s)") % {
            "name": organisation.name,
            "region": organisation.region.name,
        }
    if user.role == Role.EXPERT:
        return _("The review cases you are assigned to")
    if user.role == Role.BUREAU_LEADER:
        return _("%(region)s (read-only)") % {"region": organisation.region.name}
    return organisation.region.name


def users_responsible_for(region_path: str, roles) -> QuerySet[User]:
    """Active users with one of ``roles`` whose organisation's region contains ``region_path``.

    "The county officers of this enterprise's division" and "the city section" are both this
    query: a region contains a path when the path starts with the region's own path.
    """
    parts = [p for p in region_path.split("/") if p]
    ancestors = ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
    return User.objects.filter(
        is_active=True, role__in=list(roles), organisation__region__path__in=ancestors
    ).order_by("pk")


def city_bureau_users(region_path: str, roles) -> QuerySet[User]:
    """The city bureau's users (the 制造业科) with one of ``roles`` for the city ``region_path`` lies in."""
    return users_responsible_for(region_path, roles).filter(organisation__kind=OrganisationKind.CITY_BUREAU)


def county_bureau_users(region_path: str, roles) -> QuerySet[User]:
    """The county bureau's users with one of ``roles`` for the division ``region_path`` lies in."""
    return users_responsible_for(region_path, roles).filter(organisation__kind=OrganisationKind.COUNTY_BUREAU)


def enterprise_users(organisation_id: int | None, roles=None) -> QuerySet[User]:
    """Active users of an enterprise's organisation (optionally only some roles)."""
    if organisation_id is None:
        return User.objects.none()
    rows = User.objects.filter(is_active=True, organisation_id=organisation_id)
    return rows.filter(role__in=list(roles)) if roles else rows
