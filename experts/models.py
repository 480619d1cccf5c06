"""The expert pool (技术检查员库): the people a review panel is drawn from.

Only the profile exists so far; conflicts, blackout dates, ratings and the panel draw
arrive with the panel issue (domain.md §6).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from experts.domain import IdNumberError, mask_id_number, normalise_id_number, validate_id_number


class Specialty(models.TextChoices):
    """A professional direction (专业方向). A panel covers the first three (domain.md §6)."""

    SAFETY_MANAGEMENT = "safety_management", _("Safety management")
    PROCESS_TECHNOLOGY = "process_technology", _("Process technology")
    EQUIPMENT_FACILITIES = "equipment_facilities", _("Equipment and facilities")
    ELECTRICAL = "electrical", _("Electrical")
    FIRE = "fire", _("Fire protection")
    OCCUPATIONAL_HEALTH = "occupational_health", _("Occupational health")


# Every panel needs at least one member of each core specialty.
CORE_SPECIALTIES = (Specialty.SAFETY_MANAGEMENT, Specialty.PROCESS_TECHNOLOGY, Specialty.EQUIPMENT_FACILITIES)


class Skill(models.TextChoices):
    """A special-risk competence the draw matches against an enterprise's risk tags."""

    DUST_EXPLOSION = "dust_explosion", _("Dust explosion prevention")
    AMMONIA_REFRIGERATION = "ammonia_refrigeration", _("Ammonia refrigeration")
    CONFINED_SPACE = "confined_space", _("Confined spaces")
    METALLURGICAL_GAS = "metallurgical_gas", _("Metallurgical gas")
    SPECIAL_EQUIPMENT = "special_equipment", _("Special equipment")


def id_number_validator(value: str) -> None:
    """Model-field validator: raise ValidationError with the domain's message for a bad ID number."""
    try:
        validate_id_number(value)
    except IdNumberError as exc:
        raise ValidationError(str(exc), code="invalid_id_number") from exc


class Expert(models.Model):
    """One person in the city's expert pool, who may be drawn onto review panels.

    ``specialties``, ``industries`` and ``skills`` are lists of codes (Specialty,
    enterprises.models.Industry, Skill); the draw filters on them in Python, so JSON
    lists are enough and keep the row self-contained.
    """

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")  # 在库
        SUSPENDED = "suspended", _("Suspended")  # 暂停
        EXITED = "exited", _("Exited")  # 退出

    name = models.CharField(_("name"), max_length=64)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    id_number = models.CharField(
        _("ID number"),
        max_length=18,
        unique=True,
        validators=[id_number_validator],
        help_text=_("18-character resident ID number; shown masked outside the pool's own pages."),
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    title = models.CharField(_("professional title"), max_length=64, blank=True)
    registered_safety_engineer = models.BooleanField(_("registered safety engineer"), default=False)
    registered_safety_engineer_number = models.CharField(
        _("registered safety engineer number"), max_length=64, blank=True
    )
    years_of_experience = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    specialties = models.JSONField(_("specialties"), default=list, blank=True)
    industries = models.JSONField(_("industries"), default=list, blank=True)
    skills = models.JSONField(_("special skills"), default=list, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Where the expert lives or works; same-region reviews are a soft conflict."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    can_lead = models.BooleanField(_("may lead a panel"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert_profile",
        limit_choices_to={"role": "expert"},
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name", "pk"]
        indexes = [
            # The panel draw starts from the active experts.
            models.Index(fields=["status", "can_lead"], name="expert_status_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # Normalisation only: "x" typed as the check character is stored as "X".
        self.id_number = normalise_id_number(self.id_number)
        super().save(*args, **kwargs)

    @property
    def masked_id_number(self) -> str:
        """The ID number with only the first 6 and last 4 characters shown."""
        return mask_id_number(self.id_number)
