"""Who sees the statistics dashboard, and over which enterprises.

City roles (科员, 科长, 局领导) see the whole city; county roles their own division, through
``accounts.permissions.region_scope_path`` on the enterprise's indexed ``region_path``. Everyone
else — enterprise users, experts, system administrators — gets 404: the page does not exist for
them. Every figure is scoped through ``scoped_enterprise_filter``.
"""

from django.db.models import Q
from django.http import Http404

from accounts.permissions import NO_REGION, region_scope_path
from accounts.roles import CITY_ROLES, COUNTY_ROLES

DASHBOARD_ROLES = CITY_ROLES | COUNTY_ROLES


def can_view_dashboard(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role in DASHBOARD_ROLES
        and user.organisation_id is not None
    )


def require_dashboard_access(user) -> None:
    """Raise Http404 unless the user may see the dashboard (outsiders must not learn of it)."""
    if not can_view_dashboard(user):
        raise Http404


def can_pick_division(user) -> bool:
    """City roles narrow the figures to one division; a county sees only its own anyway."""
    return can_view_dashboard(user) and user.role in CITY_ROLES


def division_q(code: str, prefix: str = "") -> Q:
    """Enterprises in the division ``code`` (or below it), by a segment of their region path."""
    code = code.strip("/")
    return Q(**{f"{prefix}region_path__startswith": f"{code}/"}) | Q(
        **{f"{prefix}region_path__contains": f"/{code}/"}
    )


def scoped_enterprise_filter(
    user, *, prefix: str = "enterprise__", division: str = "", industry: str = ""
) -> Q:
    """Return the Q that keeps the enterprises the user's dashboard covers, optionally narrowed.

    ``prefix`` is the path from the queried model to the enterprise (``""`` for Enterprise
    itself, ``"application__enterprise__"`` for reviews). Users without dashboard access get a
    Q matching nothing.
    """
    path = region_scope_path(user) if can_view_dashboard(user) else NO_REGION
    if path == NO_REGION:
        # Matches nothing (and never sends NO_REGION's NUL byte to PostgreSQL).
        return Q(pk__in=[])
    q = Q(**{f"{prefix}region_path__startswith": path})
    if division:
        q &= division_q(division, prefix)
    if industry:
        q &= Q(**{f"{prefix}industry": industry})
    return q
