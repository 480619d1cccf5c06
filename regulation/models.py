"""Regulation parameters (every number of the rules, versioned) and the working-day calendar."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Confidence(models.TextChoices):
    """How sure we are of a value (domain.md labels)."""

    VERIFIED = "V", _("Verified in a public source")
    MEMORY = "M", _("Recalled from the official text, unverified")
    LOCAL = "L", _("Local or analogous practice")
    DESIGN = "D", _("Design default")


class Unit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    DAYS = "days", _("days")
    MONTHS = "months", _("months")
    YEARS = "years", _("years")
    HOURS = "hours", _("hours")
    PERSONS = "persons", _("persons")
    YUAN = "yuan", _("yuan")
    PERCENT = "percent", _("percent")
    FRACTION = "fraction", _("fraction")
    TEXT = "text", _("text")
    POINTS = "points", _("points")
    FLAG = "flag", _("yes (1) or no (0)")


class RegulationParameter(models.Model):
    """One value of one parameter, in force from ``effective_from`` until the next version.

    Setting a new value closes the previous row, so the history is the rows of a key; a
    running timer reads the value in force on its start day.
    """

    key = models.SlugField(_("key"), max_length=64)
    label = models.CharField(_("name"), max_length=120)
    value = models.CharField(
        _("value"), max_length=120, help_text=_("A number, or numbers separated by commas.")
    )
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    confidence = models.CharField(_("confidence"), max_length=1, choices=Confidence.choices)
    source_note = models.TextField(_("source"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("regulation parameter")
        verbose_name_plural = _("regulation parameters")
        ordering = ["key", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "effective_from"], name="parameter_key_from_unique"),
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(effective_to__isnull=True),
                name="parameter_one_open_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class CalendarDay(models.Model):
    """An exception to the Monday–Friday week: a statutory holiday or a make-up working day (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Statutory holiday")
        MAKEUP_WORKDAY = "makeup_workday", _("Make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=32, help_text=_("e.g. 春节, 国庆节"))
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("The State Council notice.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"
