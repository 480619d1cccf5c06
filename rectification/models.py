"""One plan per enterprise (一企一策) and the hazard ledger (隐患整改台账), domain.md §8.

A ``Hazard`` is the enterprise's single hazard register: the nonconformities of a review
marked as hazards, those the leader adds, and those the enterprise finds itself (自查). Its
status moves through the transitions table in ``rectification/workflow.py``
(待整改 → 整改中 → 待验收 → 已销号, 退回 back to 整改中), every move logged as a
``HazardTransition``; overdue (逾期) is derived from the deadline, never stored. A 重大 hazard
cites its basis clause from the versioned ``MajorHazardClause`` table (应急管理部令第10号).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from grading.models import GradingApplication
from standards.models import Item, SheetDeduction


class MajorHazardClause(models.Model):
    """A clause of 《工贸企业重大事故隐患判定标准》: article, item, industries, text (versioned)."""

    version = models.CharField(_("version"), max_length=32)  # e.g. "应急管理部令第10号（2023）"
    article = models.PositiveSmallIntegerField(_("article"))
    item = models.PositiveSmallIntegerField(_("item"), null=True, blank=True)  # None: the article's head
    industries = models.JSONField(
        _("industries"), default=list, blank=True, help_text=_("Industry codes; empty: all 工贸 industries.")
    )
    text = models.TextField(_("text"))
    effective_from = models.DateField(_("effective from"))
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("major-hazard clause")
        verbose_name_plural = _("major-hazard clauses")
        ordering = ["version", "article", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "article", "item"],
                name="clause_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        if self.item is None:
            return _("Article %(article)s") % {"article": self.article}
        return _("Article %(article)s item (%(item)s)") % {"article": self.article, "item": self.item}


class RectificationPlan(models.Model):
    """The 一企一策 of one finalised review: its hazards, issued with the 整改通知书."""

    class Status(models.TextChoices):
        OPEN = "open", _("Plan open")
        CLOSED = "closed", _("Plan closed")

    application = models.OneToOneField(
        GradingApplication, on_delete=models.PROTECT, related_name="rectification_plan"
    )
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="rectification_plans")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    summary = models.TextField(_("overall requirements"), blank=True)

    class Meta:
        verbose_name = _("rectification plan")
        verbose_name_plural = _("rectification plans")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.application_id} plan"


class Hazard(models.Model):
    """One hazard (事故隐患) in the enterprise's ledger."""

    class Source(models.TextChoices):
        REVIEW = "review", _("On-site review")
        SELF_CHECK = "self_check", _("Self-check")
        ENFORCEMENT = "enforcement", _("Enforcement inspection")

    class Level(models.TextChoices):
        GENERAL = "general", _("General")
        MAJOR = "major", _("Major")

    class Status(models.TextChoices):
        PENDING = "pending", _("To be rectified")
        IN_PROGRESS = "in_progress", _("Being rectified")
        AWAITING_VERIFICATION = "awaiting_verification", _("Awaiting verification")
        CLOSED = "closed", _("Closed off")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="hazards")
    plan = models.ForeignKey(
        RectificationPlan, on_delete=models.PROTECT, related_name="hazards", null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    item = models.ForeignKey(
        Item,
        verbose_name=_("scoring item"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    deduction = models.ForeignKey(
        SheetDeduction, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    description = models.TextField(_("description"))
    location = models.CharField(_("location or department"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices, default=Level.GENERAL)
    basis_clause = models.ForeignKey(
        MajorHazardClause,
        verbose_name=_("basis clause"),
        on_delete=models.PROTECT,
        related_name="hazards",
        null=True,
        blank=True,
    )
    requirement = models.TextField(_("rectification requirement"), blank=True)
    measures = models.TextField(_("rectification measures"), blank=True)
    responsible_name = models.CharField(_("responsible person"), max_length=64, blank=True)
    responsible_phone = models.CharField(_("responsible person's phone"), max_length=32, blank=True)
    deadline = models.DateField(_("deadline"))
    original_deadline = models.DateField(_("original deadline"))
    funds = models.DecimalField(_("funds (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    # 五落实 of a major hazard: responsibility, measures, funds, deadline (above) and the
    # contingency plan; plus its 治理方案.
    responsibility = models.TextField(_("responsibility (who answers for it)"), blank=True)
    contingency_plan = models.TextField(_("contingency plan"), blank=True)
    governance_plan = models.TextField(_("governance plan"), blank=True)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.PENDING)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    found_on = models.DateField(_("found on"))
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted for verification"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verification_note = models.TextField(_("verification opinion"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["enterprise", "status"], name="hazard_enterprise_status"),
            models.Index(fields=["status", "deadline"], name="hazard_status_deadline"),
            # The ledger's order: a page comes off the index instead of sorting every hazard.
            models.Index(fields=["deadline", "id"], name="hazard_ledger_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="general") | Q(basis_clause__isnull=False), name="hazard_major_has_basis"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.description[:30]}"


class HazardTransition(models.Model):
    """One move of a hazard: its history is these rows."""

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="transitions")
    transition = models.CharField(max_length=48)
    from_state = models.CharField(max_length=24)
    to_state = models.CharField(max_length=24)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.transition}"


def evidence_path(instance: "HazardEvidence", filename: str) -> str:
    return f"hazards/{instance.hazard_id}/{instance.sha256[:16]}{instance.extension}"


class HazardEvidence(models.Model):
    """A before/after photo or a document proving the fix, stored with its SHA-256."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Before")
        AFTER = "after", _("After")
        DOCUMENT = "document", _("Document")

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    extension = models.CharField(max_length=8)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    note = models.CharField(_("note"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("rectification evidence")
        verbose_name_plural = _("rectification evidence")
        ordering = ["hazard", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class HazardProgress(models.Model):
    """A progress report by the enterprise (what was done, what remains)."""

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="progress")
    note = models.TextField(_("progress"))
    percent = models.PositiveSmallIntegerField(_("done (%)"), null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["hazard", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100), name="progress_percent_max_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.created_at:%Y-%m-%d}"


class ExtensionRequest(models.Model):
    """A request to move a hazard's deadline; the city decides. The original deadline stays on the hazard."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="extensions")
    requested_deadline = models.DateField(_("requested deadline"))
    previous_deadline = models.DateField(_("deadline before the request"))
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["hazard", "requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["hazard"], condition=Q(status="pending"), name="extension_one_pending_per_hazard"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hazard_id} → {self.requested_deadline}"


class EscalationOrder(models.Model):
    """A 督办 item: an overdue major hazard (or one the city picks) under the city's supervision."""

    class Status(models.TextChoices):
        OPEN = "open", _("Under supervision")
        CLOSED = "closed", _("Supervision closed")

    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, related_name="escalations")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    reason = models.CharField(_("reason"), max_length=200)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )  # None: opened by the system when the hazard went overdue
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    assessment = models.TextField(_("rectification assessment"), blank=True)
    resume_request = models.TextField(_("written request to resume"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervision order (督办)")
        verbose_name_plural = _("supervision orders (督办)")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(fields=["hazard"], condition=Q(status="open"), name="escalation_one_open")
        ]

    def __str__(self) -> str:
        return f"督办 {self.hazard_id}"
