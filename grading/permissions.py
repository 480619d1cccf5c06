"""Who sees which application and who may act on it. Every read starts from visible_to().

Scope follows the enterprise registry: the enterprise's own users see its applications; the
county sees its division's; the city, bureau leaders and admins see the city's. Experts see
what a higher app (reviews: the panels they sit on) registers with ``register_visibility``.
Outsiders get 404, insiders without the right get 403.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.permissions import NO_REGION, region_scope_path
from accounts.roles import COUNTY_ROLES, ENTERPRISE_ROLES, Role
from grading.models import ENTERPRISE_EDITABLE_STATES, GradingApplication, Status

CITY_REVIEWERS = frozenset({Role.CITY_OFFICER, Role.CITY_CHIEF})
REGULATORS = COUNTY_ROLES | CITY_REVIEWERS
# Attachments and the commitment may still change while the self-assessment is posted.
ENTERPRISE_FILING_STATES = ENTERPRISE_EDITABLE_STATES | {Status.INTERNAL_PUBLICITY}


VisibilityProvider = Callable[..., Q | None]  # (user) -> Q over GradingApplication, or None
_VISIBILITY: list[VisibilityProvider] = []


def register_visibility(fn: VisibilityProvider) -> VisibilityProvider:
    """Let a higher app grant experts applications (from its ``AppConfig.ready``; idempotent)."""
    if fn not in _VISIBILITY:
        _VISIBILITY.append(fn)
    return fn


def _expert_visible(user) -> QuerySet[GradingApplication]:
    q = None
    for provider in _VISIBILITY:
        part = provider(user)
        if part is not None:
            q = part if q is None else q | part
    if q is None:
        return GradingApplication.objects.none()
    # A subquery, not distinct(): callers annotate, order and aggregate the result freely.
    return GradingApplication.objects.filter(pk__in=GradingApplication.objects.filter(q).values("pk"))


def visible_to(user) -> QuerySet[GradingApplication]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return GradingApplication.objects.none()
    if user.role in ENTERPRISE_ROLES:
        if user.organisation_id is None:
            return GradingApplication.objects.none()
        return GradingApplication.objects.filter(enterprise__organisation_id=user.organisation_id)
    if user.role == Role.EXPERT:
        return _expert_visible(user)
    path = region_scope_path(user)
    if path == NO_REGION:
        return GradingApplication.objects.none()
    return GradingApplication.objects.filter(enterprise__region_path__startswith=path)


def is_own_enterprise(user, application: GradingApplication) -> bool:
    return bool(
        user.role in ENTERPRISE_ROLES
        and user.organisation_id
        and application.enterprise.organisation_id == user.organisation_id
    )


def can_create_application(user) -> bool:
    """Enterprise users start applications for their own enterprise."""
    return bool(
        getattr(user, "is_authenticated", False) and user.role in ENTERPRISE_ROLES and user.organisation_id
    )


def can_edit_file(user, application: GradingApplication) -> bool:
    """The self-assessment, team, summary and problems: the enterprise, while it holds the file."""
    return is_own_enterprise(user, application) and application.status in ENTERPRISE_EDITABLE_STATES


def can_file_documents(user, application: GradingApplication) -> bool:
    """Attachments and the commitment: also during internal publicity."""
    return is_own_enterprise(user, application) and application.status in ENTERPRISE_FILING_STATES


def can_sign_commitment(user, application: GradingApplication) -> bool:
    return can_file_documents(user, application) and user.role == Role.ENTERPRISE_PRINCIPAL


def in_scope(user, application: GradingApplication) -> bool:
    """The application lies in the regulator's region (what visible_to checks, without a query).

    The services check it themselves: a view reached the application through visible_to,
    but a task, command or API caller handing over any object must not act outside its region.
    """
    path = region_scope_path(user)
    return path != NO_REGION and (application.enterprise.region_path or "").startswith(path)


def can_guide(user, application: GradingApplication) -> bool:
    """County and city regulators in scope write guidance the enterprise reads."""
    return user.role in REGULATORS and not application.is_terminal and in_scope(user, application)


def can_county_review(user, application: GradingApplication) -> bool:
    return (
        user.role in COUNTY_ROLES
        and application.status == Status.COUNTY_REVIEW
        and in_scope(user, application)
    )


def can_city_review(user, application: GradingApplication) -> bool:
    return (
        user.role in CITY_REVIEWERS
        and application.status == Status.CITY_REVIEW
        and in_scope(user, application)
    )


def can_decide_as_chief(user, application: GradingApplication) -> bool:
    """The 科长's case-ending decisions (false commitment) within the city."""
    return user.role == Role.CITY_CHIEF and in_scope(user, application)


ACTIONS = {
    "view": lambda user, app: True,
    "edit": can_edit_file,
    "file": can_file_documents,
    "sign": can_sign_commitment,
    "guide": can_guide,
    "county_review": can_county_review,
    "city_review": can_city_review,
    # Transitions check roles and states in the transitions table; this only needs visibility.
    "transition": lambda user, app: user.role not in {Role.BUREAU_LEADER, Role.SYSTEM_ADMIN},
}


def get_application_for_user(user, pk, action: str = "view") -> GradingApplication:
    """Return application ``pk`` if the user may do ``action`` on it: 404 unseen, 403 unallowed."""
    try:
        application = (
            visible_to(user)
            .select_related("enterprise", "enterprise__region", "standard", "self_sheet")
            .get(pk=pk)
        )
    except (GradingApplication.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    check = ACTIONS.get(action)
    if check is None or not check(user, application):
        raise PermissionDenied
    return application


def sheets_visible_q(user):
    """The self-assessment sheets of the applications the user sees (plugged into standards)."""
    return Q(self_assessment_application__in=visible_to(user).values("pk"))


def can_edit_self_sheet(user, sheet) -> bool | None:
    """The enterprise edits its self-assessment sheet while it holds the file; None: not ours."""
    application = _application_of_sheet(sheet)
    if application is None:
        return None
    return can_edit_file(user, application)


def sheet_is_self_assessment(sheet) -> bool:
    """An application's self-assessment is submitted with the application, not on its own."""
    return _application_of_sheet(sheet) is not None


def _application_of_sheet(sheet) -> GradingApplication | None:
    """The application whose self-assessment ``sheet`` is (None for other kinds: no query)."""
    if sheet.kind != "self_assessment":
        return None
    if not hasattr(sheet, "_grading_application"):
        sheet._grading_application = (
            GradingApplication.objects.filter(self_sheet_id=sheet.pk).select_related("enterprise").first()
        )
    return sheet._grading_application
