"""To-do providers of the foundation apps: accounts and the enterprise registry.

Design note. The workbench page knows nothing about applications, panels or hazards: it
shows whatever ``lib.workbench.todos_for(user)`` returns. Each provider is a function
``(user) -> list[Todo]`` registered for the roles it serves, and it must scope its query
through the owning app's ``visible_to``/selectors, so a county officer's counts cover only
his division. Later issues register their own providers (applications waiting for county or
city review, panel confirmations, score sheets due, hazards overdue, publicity ending…) in
their app's ``providers.py`` and import it from their AppConfig.ready(), as this module is
imported from ``workbench.apps``. A provider returns an empty list or a zero count when there
is nothing to do; zero-count to-dos are dropped.
"""

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from accounts.roles import CITY_ROLES, COUNTY_ROLES, ENTERPRISE_ROLES, READ_ONLY_ROLES, Role
from accounts.selectors import UserFilters, locked_out_usernames, user_list
from enterprises.models import Enterprise
from enterprises.selectors import enterprise_list
from lib.workbench import Todo, register

# Registry fields a county officer must fill in for every enterprise in the division.
REGISTRY_GAPS = Q(principal_phone="") | Q(employee_count__isnull=True)
# Profile fields an enterprise is asked to complete.
PROFILE_FIELDS = (
    "address",
    "principal_name",
    "principal_phone",
    "safety_manager_name",
    "safety_manager_phone",
    "employee_count",
)


def _url(name: str, *args, query: str = "") -> str:
    """Return the URL of a page, or "" while the app that serves it has not added it yet."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return f"{url}?{query}" if query else url


def _enterprise_list_url(query: str = "") -> str:
    return _url("enterprises:list", query=query)


@register(roles={Role.SYSTEM_ADMIN}, order=10)
def locked_out_accounts(user) -> list[Todo]:
    """Accounts locked after repeated failed logins: the admin can reset the password to unlock."""
    count = locked_out_usernames(user=user).count()
    return [
        Todo(
            title=_("Locked-out accounts"),
            detail=_("Set a new password to lift the lock, or let the lock expire."),
            url=_url("accounts:user_list", query="locked_out=on"),
            count=count,
            urgency=1,
            category=_("Accounts"),
        )
    ]


@register(roles={Role.SYSTEM_ADMIN}, order=20)
def users_must_change_password(user) -> list[Todo]:
    """Active users who have not yet replaced the password an admin gave them."""
    count = user_list(user=user, filters=UserFilters(must_change_password=True)).count()
    return [
        Todo(
            title=_("Users who have not changed their initial password"),
            detail=_("Remind them to log in and choose their own password."),
            url=_url("accounts:user_list", query="must_change_password=on"),
            count=count,
            category=_("Accounts"),
        )
    ]


@register(roles=COUNTY_ROLES, order=50)
def complete_the_registry(user) -> list[Todo]:
    """Enterprises in the officer's division without the principal's phone or the employee count."""
    count = enterprise_list(user=user).filter(REGISTRY_GAPS).count()
    return [
        Todo(
            title=_("Complete the enterprise registry"),
            detail=_("Enterprises without the principal's phone or the number of employees."),
            url=_enterprise_list_url(),
            count=count,
            category=_("Enterprise registry"),
        )
    ]


@register(roles=CITY_ROLES - READ_ONLY_ROLES, order=50)
def enterprises_without_principal(user) -> list[Todo]:
    """Enterprises in the city with no principal recorded (nobody to address notices to)."""
    count = enterprise_list(user=user).filter(principal_name="").count()
    return [
        Todo(
            title=_("Enterprises without a principal"),
            detail=_("Ask the county officers to record each enterprise's principal."),
            url=_enterprise_list_url(),
            count=count,
            category=_("Enterprise registry"),
        )
    ]


@register(roles=ENTERPRISE_ROLES, order=50)
def complete_your_profile(user) -> list[Todo]:
    """One to-do per enterprise of the user whose profile still has empty fields."""
    todos = []
    for enterprise in enterprise_list(user=user):
        missing = [
            str(Enterprise._meta.get_field(name).verbose_name)
            for name in PROFILE_FIELDS
            if getattr(enterprise, name) in ("", None)
        ]
        if missing:
            todos.append(
                Todo(
                    title=_("Complete your enterprise's profile"),
                    detail=_("Missing: %(fields)s.") % {"fields": "、".join(missing)},
                    url=_url("enterprises:detail", enterprise.pk) or _enterprise_list_url(),
                    count=len(missing),
                    category=_("Your enterprise"),
                )
            )
    return todos
