"""Who sees and acts on which hazard and plan. Every read starts from ``visible_to``.

Scope follows the enterprise (``enterprises.permissions.visible_to``): the city sees the city,
a county bureau its division, an enterprise its own ledger. An expert sees the hazards of the
plans of the panels he leads (he verifies them). Outsiders get 404.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.roles import COUNTY_ROLES, ENTERPRISE_ROLES, Role
from enterprises.permissions import visible_to as enterprises_visible_to
from rectification.models import Hazard, RectificationPlan
from reviews.models import PanelMember

CITY_STAFF = frozenset({Role.CITY_OFFICER, Role.CITY_CHIEF})
REGULATORS = CITY_STAFF | frozenset(COUNTY_ROLES)
READERS_OF_LEDGER = REGULATORS | {Role.BUREAU_LEADER, Role.SYSTEM_ADMIN}


def _led_applications(user):
    return PanelMember.objects.filter(
        expert__user=user, role=PanelMember.Role.LEADER, state=PanelMember.State.CONFIRMED
    ).values("panel__application_id")


def visible_to(user) -> QuerySet[Hazard]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Hazard.objects.none()
    if user.role == Role.EXPERT:
        return Hazard.objects.filter(plan__application_id__in=_led_applications(user))
    return Hazard.objects.filter(enterprise__in=enterprises_visible_to(user))


def plans_visible_to(user) -> QuerySet[RectificationPlan]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return RectificationPlan.objects.none()
    if user.role == Role.EXPERT:
        return RectificationPlan.objects.filter(application_id__in=_led_applications(user))
    return RectificationPlan.objects.filter(enterprise__in=enterprises_visible_to(user))


def get_hazard_for_user(user, pk) -> Hazard:
    try:
        return visible_to(user).select_related("enterprise", "plan", "basis_clause", "item").get(pk=pk)
    except (Hazard.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_plan_for_user(user, pk) -> RectificationPlan:
    try:
        return plans_visible_to(user).select_related("application", "enterprise").get(pk=pk)
    except (RectificationPlan.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def is_own_enterprise(user, hazard: Hazard) -> bool:
    return (
        user.role in ENTERPRISE_ROLES
        and user.organisation_id is not None
        and user.organisation_id == hazard.enterprise.organisation_id
    )


def leads_plan(user, plan: RectificationPlan | None) -> bool:
    if plan is None or getattr(user, "role", None) != Role.EXPERT:
        return False
    return PanelMember.objects.filter(
        panel__application_id=plan.application_id,
        expert__user=user,
        role=PanelMember.Role.LEADER,
        state=PanelMember.State.CONFIRMED,
    ).exists()


def in_scope(user, hazard: Hazard) -> bool:
    return visible_to(user).filter(pk=hazard.pk).exists()


def in_plan_scope(user, plan: RectificationPlan) -> bool:
    return plans_visible_to(user).filter(pk=plan.pk).exists()


def may_verify(user, hazard: Hazard) -> bool:
    """Who verifies (domain.md §8): a review's hazards — the panel leader; the others — the county
    bureau of the enterprise's division, or, for a 一般 hazard the enterprise found itself (自查),
    also its principal. Never the person who rectified it (checked in the service, with the
    message)."""
    if hazard.plan_id is not None:
        return leads_plan(user, hazard.plan)
    if user.role in COUNTY_ROLES:
        return in_scope(user, hazard)
    return (
        hazard.level == Hazard.Level.GENERAL
        and hazard.source == Hazard.Source.SELF_CHECK
        and user.role == Role.ENTERPRISE_PRINCIPAL
        and is_own_enterprise(user, hazard)
    )


def may_rectify(user, hazard: Hazard) -> bool:
    """The enterprise's own users report progress, upload evidence and submit."""
    return is_own_enterprise(user, hazard)


def may_decide_extension(user, hazard: Hazard) -> bool:
    """The city approves extensions (issue 6); a 重大 hazard's needs the 科长."""
    if hazard.level == Hazard.Level.MAJOR:
        return user.role == Role.CITY_CHIEF and in_scope(user, hazard)
    return user.role in CITY_STAFF and in_scope(user, hazard)


def may_edit_plan_hazard(user, hazard: Hazard) -> bool:
    """Who sets the finding (level, basis, requirement, deadline): of a plan's hazard the leader or
    the city; of a hazard the enterprise found itself, the enterprise or a regulator in scope; of
    one found on inspection, only the regulators (the enterprise cannot downgrade it)."""
    if hazard.plan_id is not None:
        return leads_plan(user, hazard.plan) or (user.role in CITY_STAFF and in_scope(user, hazard))
    if user.role in REGULATORS:
        return in_scope(user, hazard)
    return hazard.source == Hazard.Source.SELF_CHECK and is_own_enterprise(user, hazard)


def require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def hazards_q_for_escalation(user) -> Q:
    """The 督办 items the user follows: the city all, a county its division."""
    return Q(hazard__in=visible_to(user))
