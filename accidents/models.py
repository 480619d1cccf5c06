"""The accident ledger (事故台账): production safety accidents of registered enterprises."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accidents.domain import AccidentGrade, AccidentType
from enterprises.models import Enterprise


class ReportingViolation(models.TextChoices):
    """How the accident was reported (domain.md §9, revocation ground 4)."""

    NONE = "none", _("Reported properly")
    CONCEALED = "concealed", _("Concealed")  # 瞒报
    FALSIFIED = "falsified", _("Falsely reported")  # 谎报
    LATE = "late", _("Reported late")  # 迟报
    OMITTED = "omitted", _("Omitted")  # 漏报


class Accident(models.Model):
    """One production safety accident at one enterprise, as recorded by a county or city officer.

    ``grade`` is computed by the service from deaths, serious injuries and direct loss (the
    493号令 bands); an officer may set ``grade_override`` with a reason, and the override
    then wins (``effective_grade``). Serious injuries include acute poisoning.
    """

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="accidents"
    )
    occurred_at = models.DateTimeField(_("occurred at"))
    place = models.CharField(_("place"), max_length=200)
    accident_type = models.CharField(
        _("accident type"), max_length=32, choices=AccidentType.choices, help_text=_("GB 6441-1986.")
    )
    deaths = models.PositiveIntegerField(_("deaths"), default=0)
    serious_injuries = models.PositiveIntegerField(
        _("serious injuries"), default=0, help_text=_("Including acute industrial poisoning.")
    )
    minor_injuries = models.PositiveIntegerField(_("minor injuries"), default=0)
    direct_loss_yuan = models.DecimalField(
        _("direct economic loss (yuan)"), max_digits=14, decimal_places=2, default=0
    )
    description = models.TextField(_("description"), blank=True)
    reporting_violation = models.CharField(
        _("reporting"), max_length=16, choices=ReportingViolation.choices, default=ReportingViolation.NONE
    )
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    grade = models.CharField(
        _("computed grade"),
        max_length=20,
        choices=AccidentGrade.choices,
        editable=False,
        help_text=_("From the bands of State Council Decree No. 493."),
    )
    grade_override = models.CharField(
        _("grade set by the officer"), max_length=20, choices=AccidentGrade.choices, null=True, blank=True
    )
    grade_override_reason = models.TextField(_("reason for the grade"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("accident")
        verbose_name_plural = _("accidents")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            # accident_list orders newest first (scope is the enterprise's indexed region_path).
            models.Index(fields=["-occurred_at"], name="acc_date_idx"),
            # enterprise_accident_totals and the enterprise page: one enterprise's accidents in a window.
            models.Index(fields=["enterprise", "occurred_at"], name="acc_enterprise_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(direct_loss_yuan__gte=0), name="acc_loss_nonnegative"),
            models.CheckConstraint(condition=Q(grade__in=AccidentGrade.values), name="acc_grade_valid"),
            # An override always says why (domain.md §10: the officer may override the computed grade).
            models.CheckConstraint(
                condition=Q(grade_override__isnull=True)
                | (Q(grade_override__in=AccidentGrade.values) & ~Q(grade_override_reason="")),
                name="acc_override_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(reported_at__isnull=True) | Q(reported_at__gte=F("occurred_at")),
                name="acc_reported_after_occurred",
            ),
        ]

    def __str__(self) -> str:
        day = timezone.localtime(self.occurred_at).date() if self.occurred_at else ""
        return f"{self.enterprise} {day} {self.get_accident_type_display()}"

    @property
    def effective_grade(self) -> str:
        """The grade that counts: the officer's override if any, else the computed one."""
        return self.grade_override or self.grade

    def get_effective_grade_display(self) -> str:
        return str(AccidentGrade(self.effective_grade).label)

    @property
    def is_overridden(self) -> bool:
        return self.grade_override is not None and self.grade_override != self.grade
