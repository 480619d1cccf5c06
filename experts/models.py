"""The expert pool (技术检查员库): the people a review panel is drawn from (domain.md §6).

An ``Expert`` is the profile; hanging off it are what the panel draw checks on the review
date: blackout dates (``ExpertUnavailability``), declared relations for conflicts of
interest (``ExpertRelation``), certificates with their expiry (``ExpertCertificate``), and
what it ranks leaders by (``ExpertRating``). Qualification changes an expert asks for wait
in ``ExpertChangeRequest`` until the city decides. Nothing here is ever deleted: an expert
leaves by a status change, a certificate by being marked removed.
"""

from decimal import Decimal
from pathlib import PurePath
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from experts.domain import (
    IdNumberError,
    mask_id_number,
    name_search_keys,
    normalise_id_number,
    rating_average,
    validate_id_number,
)


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
        ACTIVE = "active", _("In the pool")  # 在库
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
    employer_uscc = models.CharField(
        _("employer's unified social credit code"),
        max_length=18,
        blank=True,
        help_text=_("Optional; lets the draw recognise the employer among registered enterprises."),
    )
    title = models.CharField(_("professional title"), max_length=64, blank=True)
    registered_safety_engineer = models.BooleanField(_("registered safety engineer"), default=False)
    registered_safety_engineer_number = models.CharField(
        _("registered safety engineer number"), max_length=64, blank=True
    )
    years_of_experience = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    training_certificate_number = models.CharField(
        _("training certificate number"), max_length=64, blank=True
    )
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
    status_reason = models.CharField(_("reason for the status"), max_length=500, blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    can_lead = models.BooleanField(_("may lead a panel"), default=False)
    term_until = models.DateField(
        _("appointment term ends"),
        null=True,
        blank=True,
        help_text=_("The last day of the appointment; empty when open-ended."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert_profile",
        limit_choices_to={"role": "expert"},
    )
    # Search keys for "zsj" or "zhangsanjun" (derived in save()).
    name_pinyin = models.CharField(max_length=200, editable=False, blank=True)
    name_initials = models.CharField(max_length=64, editable=False, blank=True)
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
        # Normalisation only: "x" typed as the check character is stored as "X"; search keys.
        self.id_number = normalise_id_number(self.id_number)
        self.employer_uscc = "".join((self.employer_uscc or "").split()).replace("-", "").upper()
        self.name_pinyin, self.name_initials = name_search_keys(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "id_number",
                "employer_uscc",
                "name_pinyin",
                "name_initials",
            }
        super().save(*args, **kwargs)

    @property
    def masked_id_number(self) -> str:
        """The ID number with only the first 6 and last 4 characters shown."""
        return mask_id_number(self.id_number)


class ExpertUnavailability(models.Model):
    """A period (both days included) in which the expert cannot sit on a panel."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="unavailabilities")
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("unavailable period")
        verbose_name_plural = _("unavailable periods")
        ordering = ["expert_id", "start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="expert_unavailability_order"),
        ]
        indexes = [
            # The draw asks "who is away on the review date": periods ending on or after it.
            models.Index(fields=["expert", "end"], name="expert_unavail_end_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.start}–{self.end}"


class RelativeRelationship(models.TextChoices):
    """The near relatives whose position at an enterprise is a hard conflict (domain.md §6)."""

    SPOUSE = "spouse", _("Spouse")  # 配偶
    PARENT = "parent", _("Parent")  # 父母
    CHILD = "child", _("Child")  # 子女
    SIBLING = "sibling", _("Sibling")  # 兄弟姐妹
    PATERNAL_GRANDPARENT = "paternal_grandparent", _("Paternal grandparent")  # 祖父母
    MATERNAL_GRANDPARENT = "maternal_grandparent", _("Maternal grandparent")  # 外祖父母
    GRANDCHILD = "grandchild", _("Grandchild (son's child)")  # 孙子女
    DAUGHTERS_CHILD = "daughters_child", _("Grandchild (daughter's child)")  # 外孙子女


class ExpertRelation(models.Model):
    """One tie the expert declared with an enterprise: a job, a consulting client, a relative there.

    The panel draw reads these for conflicts of interest. ``enterprise`` is set by the
    service when ``enterprise_uscc`` matches a registered enterprise; the USCC and name stay
    as declared, so a tie with an enterprise registered later can still be matched.
    ``end`` empty means ongoing.
    """

    class Kind(models.TextChoices):
        EMPLOYMENT = "employment", _("Employment")
        CONSULTING = "consulting", _("Consulting, evaluation or training")
        RELATIVE = "relative", _("A near relative works there")
        OTHER = "other", _("Other interest")

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="relations")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    enterprise_name = models.CharField(_("enterprise name"), max_length=200)
    enterprise_uscc = models.CharField(
        _("enterprise's unified social credit code"), max_length=18, blank=True
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("registered enterprise"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    relative_relationship = models.CharField(
        _("relationship"), max_length=24, choices=RelativeRelationship.choices, blank=True
    )
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("to"), null=True, blank=True, help_text=_("Empty while it continues."))
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("declared relation")
        verbose_name_plural = _("declared relations")
        ordering = ["expert_id", "kind", "-start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=F("start")),
                name="expert_relation_order",
            ),
            models.CheckConstraint(
                condition=Q(kind="relative", relative_relationship__gt="")
                | (~Q(kind="relative") & Q(relative_relationship="")),
                name="expert_relation_relative_has_relationship",
            ),
        ]
        indexes = [
            # The draw looks up the relations with the enterprise under review.
            models.Index(fields=["enterprise_uscc"], name="expert_relation_uscc_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.enterprise_name}"


def certificate_path(instance: "ExpertCertificate", filename: str) -> str:
    """Store scans under MEDIA_ROOT/experts/<id>/ with a random name (the original is kept apart)."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"experts/{instance.expert_id}/certificates/{uuid4().hex}{suffix}"


class ExpertCertificate(models.Model):
    """A certificate the expert holds (training, registration, title); valid until ``expires_on``.

    The draw counts only recorded certificates valid on the review date. One the expert adds
    himself stays "awaiting approval" until the city approves his change request.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        RECORDED = "recorded", _("Recorded")
        REJECTED = "rejected", _("Rejected")
        REMOVED = "removed", _("Removed")

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="certificates")
    name = models.CharField(_("certificate"), max_length=100)
    number = models.CharField(_("number"), max_length=64, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(
        _("expires on"), null=True, blank=True, help_text=_("Empty if it does not expire.")
    )
    file = models.FileField(_("scan"), upload_to=certificate_path, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.RECORDED)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["expert_id", "expires_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(issued_on__isnull=True)
                | Q(expires_on__isnull=True)
                | Q(expires_on__gte=F("issued_on")),
                name="expert_certificate_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ExpertRating(models.Model):
    """The city officer's rating of an expert after one job, out of 100 on four counts (domain.md §6)."""

    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="ratings")
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("rated by"), on_delete=models.PROTECT, related_name="+"
    )
    rated_at = models.DateTimeField(_("rated"), auto_now_add=True)
    professional = models.PositiveSmallIntegerField(_("professional competence"))  # 业务水平
    discipline = models.PositiveSmallIntegerField(_("work discipline"))  # 工作纪律
    ethics = models.PositiveSmallIntegerField(_("professional ethics"))  # 职业道德
    integrity = models.PositiveSmallIntegerField(_("integrity"))  # 廉洁自律
    comment = models.TextField(_("comment"), blank=True)
    source = models.CharField(
        _("job"), max_length=100, blank=True, help_text=_("What was rated, e.g. the application number.")
    )
    application = models.ForeignKey(
        "grading.GradingApplication",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("expert rating")
        verbose_name_plural = _("expert ratings")
        ordering = ["expert_id", "-rated_at", "-pk"]
        constraints = [
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 100}),
                    name=f"expert_rating_{name}_range",
                )
                for name in ("professional", "discipline", "ethics", "integrity")
            ),
            # One rating per expert per reviewed application.
            models.UniqueConstraint(
                fields=["expert", "application"],
                condition=Q(application__isnull=False),
                name="expert_rating_once_per_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert_id} {self.average}"

    @property
    def average(self) -> Decimal:
        """The mean of the four scores, to two decimal places."""
        return rating_average(self.professional, self.discipline, self.ethics, self.integrity)


class ExpertChangeRequest(models.Model):
    """Qualification changes an expert asked for, waiting for the city's decision.

    ``changes`` maps a field to its requested value ({"title": "正高级工程师", "specialties":
    [...]}); certificates the expert added or wants removed are listed by id under
    "certificates_add" / "certificates_remove". Approval applies them; a rejection keeps
    the profile as it was. At most one request per expert is pending; later changes join it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="change_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    changes = models.JSONField(_("requested changes"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("qualification change request")
        verbose_name_plural = _("qualification change requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert"], condition=Q(status="pending"), name="expert_one_pending_change_request"
            ),
        ]
        indexes = [
            # The city's queue: pending requests, oldest first.
            models.Index(fields=["status", "requested_at"], name="expert_change_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.expert_id} {self.status}"
