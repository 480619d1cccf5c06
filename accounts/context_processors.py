"""Template context: the left navigation for the user's role."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    roles: frozenset[str] | None = None  # None: every logged-in user
    # View-name prefixes under which the entry is highlighted; default: its whole namespace.
    active_for: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    def is_active(self, view_name: str) -> bool:
        if view_name == self.url_name:
            return True
        prefixes = self.active_for or (self.url_name.split(":")[0] + ":",)
        return view_name != "workbench:home" and view_name.startswith(prefixes)


STAFF = frozenset(
    {
        Role.CITY_OFFICER,
        Role.CITY_CHIEF,
        Role.BUREAU_LEADER,
        Role.COUNTY_OFFICER,
        Role.COUNTY_CHIEF,
        Role.SYSTEM_ADMIN,
    }
)
AUDITORS = frozenset({Role.SYSTEM_ADMIN, Role.CITY_OFFICER, Role.CITY_CHIEF, Role.BUREAU_LEADER})

# Later issues append their entries here (applications, panels, ledger, publicity…).
NAVIGATION: list[NavItem] = [
    NavItem(_("Workbench"), "workbench:home", "house"),
    NavItem(
        _("Enterprises"),
        "enterprises:list",
        "building",
        STAFF | {Role.ENTERPRISE_USER, Role.ENTERPRISE_PRINCIPAL},
    ),
    NavItem(_("Accidents"), "accidents:list", "exclamation-octagon", STAFF),
    NavItem(
        _("Grading applications"),
        "grading:list",
        "file-earmark-text",
        (STAFF - {Role.SYSTEM_ADMIN}) | {Role.ENTERPRISE_USER, Role.ENTERPRISE_PRINCIPAL},
    ),
    NavItem(
        _("Hazard ledger"),
        "rectification:ledger",
        "clipboard-data",
        (STAFF - {Role.SYSTEM_ADMIN}) | {Role.ENTERPRISE_USER, Role.ENTERPRISE_PRINCIPAL, Role.EXPERT},
    ),
    NavItem(
        _("Statistics"),
        "dashboard:home",
        "bar-chart-line",
        frozenset(
            {Role.CITY_OFFICER, Role.CITY_CHIEF, Role.BUREAU_LEADER, Role.COUNTY_OFFICER, Role.COUNTY_CHIEF}
        ),
    ),
    NavItem(
        _("Publicity, announcements and certificates"),
        "results:batches",
        "award",
        frozenset({Role.CITY_OFFICER, Role.CITY_CHIEF, Role.BUREAU_LEADER}),
        ("results:",),
    ),
    NavItem(
        _("Certificates"),
        "results:certificates",
        "patch-check",
        frozenset({Role.COUNTY_OFFICER, Role.COUNTY_CHIEF, Role.ENTERPRISE_USER, Role.ENTERPRISE_PRINCIPAL}),
        ("results:certificate",),
    ),
    NavItem(
        _("Portal articles"),
        "portal_manage:article_list",
        "megaphone",
        frozenset({Role.CITY_OFFICER, Role.CITY_CHIEF}),
        ("portal_manage:",),
    ),
    NavItem(
        _("Expert pool"),
        "experts:list",
        "person-badge",
        frozenset({Role.CITY_OFFICER, Role.CITY_CHIEF, Role.BUREAU_LEADER, Role.SYSTEM_ADMIN}),
    ),
    NavItem(_("My profile"), "experts:me", "person-vcard", frozenset({Role.EXPERT}), ("experts:",)),
    NavItem(
        _("Scoring standards"),
        "standards:list",
        "journal-check",
        STAFF | {Role.ENTERPRISE_USER, Role.ENTERPRISE_PRINCIPAL},
        ("standards:list", "standards:detail", "standards:import", "standards:export", "standards:publish"),
    ),
    NavItem(_("Score sheets"), "standards:sheet_list", "clipboard-check", None, ("standards:sheet_",)),
    NavItem(_("Audit log"), "audit:list", "journal", AUDITORS),
    NavItem(_("Users"), "accounts:user_list", "people", frozenset({Role.SYSTEM_ADMIN}), ("accounts:user_",)),
    NavItem(
        _("Regions"),
        "accounts:region_list",
        "map",
        frozenset({Role.SYSTEM_ADMIN}),
        ("accounts:region_", "accounts:organisation_"),
    ),
    NavItem(
        _("Regulation parameters"),
        "regulation:parameter_list",
        "sliders",
        frozenset({Role.SYSTEM_ADMIN}),
        ("regulation:",),
    ),
    NavItem(_("API tokens"), "accounts:token_list", "key", None, ("accounts:token_",)),
]


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    current = request.resolver_match.view_name if request.resolver_match else ""
    for item in NAVIGATION:
        if item.roles is None or user.role in item.roles:
            items.append(
                {"label": item.label, "url": item.url, "icon": item.icon, "active": item.is_active(current)}
            )
    return {"nav_items": items}
