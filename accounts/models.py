"""Regions, organisations, users and API tokens."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import CITY_ROLES, COUNTY_ROLES, ENTERPRISE_ROLES, OrganisationKind, Role


class Region(models.Model):
    """One administrative division: a province, a city, a county-level division or a town.

    ``path`` is the chain of codes from the root ("210000/210800/210802/"), so "everything
    under 营口市" is one ``startswith`` and another city needs only new rows.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County-level division")
        TOWN = "town", _("Town or subdistrict")

    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=128, unique=True, editable=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # Normalisation only: the path follows the parent chain.
        self.path = f"{self.parent.path if self.parent else ''}{self.code}/"
        super().save(*args, **kwargs)


class Organisation(models.Model):
    """A body users belong to: the city bureau, a county bureau, an enterprise or the expert pool."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    section = models.CharField(
        _("section"),
        max_length=64,
        blank=True,
        help_text=_("For the city bureau: the section that runs grading."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "region__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "region", "name"], name="organisation_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name}{self.section}" if self.section else self.name


class User(AbstractUser):
    """A person who logs in, with one role in one organisation."""

    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    full_name = models.CharField(_("full name"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=False)

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name()

    @property
    def is_city(self) -> bool:
        return self.role in CITY_ROLES

    @property
    def is_county(self) -> bool:
        return self.role in COUNTY_ROLES

    @property
    def is_enterprise(self) -> bool:
        return self.role in ENTERPRISE_ROLES

    @property
    def is_system_admin(self) -> bool:
        return self.role == Role.SYSTEM_ADMIN


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 is stored; the secret is shown once."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=64)
    prefix = models.CharField(
        _("prefix"), max_length=12, help_text=_("First characters, to tell tokens apart.")
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
