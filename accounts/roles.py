"""The roles a user can hold, and which organisation kind each belongs to."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    CITY_OFFICER = "city_officer", _("Manufacturing section officer")
    CITY_CHIEF = "city_chief", _("Manufacturing section chief")
    BUREAU_LEADER = "bureau_leader", _("Bureau leader")
    COUNTY_OFFICER = "county_officer", _("County officer")
    COUNTY_CHIEF = "county_chief", _("County chief")
    ENTERPRISE_USER = "enterprise_user", _("Enterprise contact")
    ENTERPRISE_PRINCIPAL = "enterprise_principal", _("Enterprise principal")
    EXPERT = "expert", _("Expert")


class OrganisationKind(models.TextChoices):
    ADMINISTRATION = "administration", _("System administration")
    CITY_BUREAU = "city_bureau", _("City emergency management bureau")
    COUNTY_BUREAU = "county_bureau", _("County emergency management bureau")
    ENTERPRISE = "enterprise", _("Enterprise")
    EXPERT_POOL = "expert_pool", _("Expert pool")


CITY_ROLES = frozenset({Role.CITY_OFFICER, Role.CITY_CHIEF, Role.BUREAU_LEADER})
COUNTY_ROLES = frozenset({Role.COUNTY_OFFICER, Role.COUNTY_CHIEF})
ENTERPRISE_ROLES = frozenset({Role.ENTERPRISE_USER, Role.ENTERPRISE_PRINCIPAL})
READ_ONLY_ROLES = frozenset({Role.BUREAU_LEADER})

# Which organisation kind each role must belong to; user_create refuses any other pairing.
ROLE_ORGANISATION_KIND = {
    Role.SYSTEM_ADMIN: OrganisationKind.ADMINISTRATION,
    Role.CITY_OFFICER: OrganisationKind.CITY_BUREAU,
    Role.CITY_CHIEF: OrganisationKind.CITY_BUREAU,
    Role.BUREAU_LEADER: OrganisationKind.CITY_BUREAU,
    Role.COUNTY_OFFICER: OrganisationKind.COUNTY_BUREAU,
    Role.COUNTY_CHIEF: OrganisationKind.COUNTY_BUREAU,
    Role.ENTERPRISE_USER: OrganisationKind.ENTERPRISE,
    Role.ENTERPRISE_PRINCIPAL: OrganisationKind.ENTERPRISE,
    Role.EXPERT: OrganisationKind.EXPERT_POOL,
}
