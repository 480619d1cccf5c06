"""Scoring standards as versioned data, and the score sheets scored against them."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Specialty(models.TextChoices):
    """The three core specialties a panel must cover (domain.md §6, glossary)."""

    SAFETY_MANAGEMENT = "safety_management", _("Safety management")
    PROCESS_TECHNOLOGY = "process_technology", _("Process technology")
    EQUIPMENT_FACILITIES = "equipment_facilities", _("Equipment and facilities")


class ScoringStandard(models.Model):
    """One version of a scoring standard (评定标准). Published versions are immutable.

    The total is never typed in: it is the sum of the items' points.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveIntegerField(_("version"), default=1)
    industries = models.JSONField(
        _("industries"), default=list, blank=True, help_text=_("Industry codes it applies to.")
    )
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    threshold_level1 = models.DecimalField(
        _("threshold for level 1 (%)"), max_digits=4, decimal_places=1, default=Decimal("90")
    )
    threshold_level2 = models.DecimalField(
        _("threshold for level 2 (%)"), max_digits=4, decimal_places=1, default=Decimal("75")
    )
    threshold_level3 = models.DecimalField(
        _("threshold for level 3 (%)"), max_digits=4, decimal_places=1, default=Decimal("60")
    )
    source_note = models.TextField(_("source"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("scoring standard")
        verbose_name_plural = _("scoring standards")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="standard_code_version_unique"),
            models.CheckConstraint(
                condition=models.Q(threshold_level1__gte=models.F("threshold_level2"))
                & models.Q(threshold_level2__gte=models.F("threshold_level3")),
                name="standard_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code} v{self.version}）"

    @property
    def key(self) -> str:
        """The version key the engine compares sheets against."""
        return f"{self.code}@{self.version}"

    @property
    def thresholds(self) -> dict[int, Decimal]:
        return {1: self.threshold_level1, 2: self.threshold_level2, 3: self.threshold_level3}


class Element(models.Model):
    """A first-level element (一级要素) of a standard version, with its subtotal."""

    standard = models.ForeignKey(ScoringStandard, on_delete=models.CASCADE, related_name="elements")
    no = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=100)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=1)

    class Meta:
        verbose_name = _("element")
        verbose_name_plural = _("elements")
        ordering = ["standard", "no"]
        constraints = [models.UniqueConstraint(fields=["standard", "no"], name="element_no_unique")]

    def __str__(self) -> str:
        return f"{self.no}. {self.name}"


class SubElement(models.Model):
    """A second-level element (二级要素), numbered like "6.2"."""

    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="subelements")
    no = models.CharField(_("number"), max_length=16)
    name = models.CharField(_("name"), max_length=100)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("sub-element")
        verbose_name_plural = _("sub-elements")
        ordering = ["element", "sort_order"]

    def __str__(self) -> str:
        return f"{self.no} {self.name}"


class Item(models.Model):
    """One scoring item (评分项) with its stable code "<subelement_no>.<item_no>"."""

    standard = models.ForeignKey(ScoringStandard, on_delete=models.CASCADE, related_name="items")
    subelement = models.ForeignKey(SubElement, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=24)
    item_no = models.PositiveSmallIntegerField(_("item number"))
    requirement = models.TextField(_("requirement"))
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=1)
    method_text = models.TextField(_("scoring method"))
    is_veto = models.BooleanField(_("veto item"), default=False)
    guidance = models.TextField(_("guidance and typical evidence"), blank=True)
    specialty = models.CharField(_("specialty"), max_length=24, choices=Specialty.choices, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("scoring item")
        verbose_name_plural = _("scoring items")
        ordering = ["standard", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="item_code_unique"),
            models.CheckConstraint(condition=models.Q(points__gt=0), name="item_points_positive"),
        ]

    def __str__(self) -> str:
        return self.code


class ScoreSheet(models.Model):
    """One scoring of a standard version: an enterprise's self-assessment or an expert's sheet.

    Later apps point at sheets (the application's self-assessment, each expert's review
    sheet, the consolidated sheet), so this model knows nothing about them.
    """

    class Kind(models.TextChoices):
        SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
        EXPERT = "expert", _("Expert review sheet")
        CONSOLIDATED = "consolidated", _("Consolidated sheet")
        PREVIEW = "preview", _("Trial scoring")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being filled")
        SUBMITTED = "submitted", _("Submitted")
        LOCKED = "locked", _("Locked")

    standard = models.ForeignKey(ScoringStandard, on_delete=models.PROTECT, related_name="sheets")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(_("title"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} #{self.pk}"


class SheetItem(models.Model):
    """What a sheet records for one item; items without a row score full marks."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    applicable = models.BooleanField(_("applicable"), default=True)
    na_reason = models.CharField(_("reason not applicable"), max_length=255, blank=True)
    extra_deduction = models.DecimalField(
        _("extra deduction"), max_digits=6, decimal_places=1, default=Decimal("0")
    )
    extra_reason = models.CharField(_("reason for the extra deduction"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sheet item")
        verbose_name_plural = _("sheet items")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "item"], name="sheet_item_unique"),
            models.CheckConstraint(
                condition=models.Q(extra_deduction__gte=0), name="sheet_item_extra_nonnegative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sheet_id}:{self.item_id}"


class SheetDeduction(models.Model):
    """One deduction on an item: points, reason, and whether it constitutes a hazard (构成隐患)."""

    entry = models.ForeignKey(SheetItem, on_delete=models.CASCADE, related_name="deductions")
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=1)
    reason = models.CharField(_("reason"), max_length=500)
    is_hazard = models.BooleanField(_("constitutes a hazard"), default=False)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("deduction")
        verbose_name_plural = _("deductions")
        ordering = ["entry", "sort_order", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(points__gt=0), name="deduction_points_positive")
        ]

    def __str__(self) -> str:
        return f"−{self.points} {self.reason}"


def evidence_path(instance: "SheetEvidence", filename: str) -> str:
    # The stored name is the content hash: no user-chosen path reaches the disk.
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"


class SheetEvidence(models.Model):
    """A photo or document backing a deduction on one item of a sheet.

    Evidence hangs on the item's entry so it survives edits of the deductions; ``deduction``
    points at the deduction it was attached to while that deduction exists.
    """

    entry = models.ForeignKey(SheetItem, on_delete=models.CASCADE, related_name="evidence")
    deduction = models.ForeignKey(
        SheetDeduction, on_delete=models.SET_NULL, null=True, blank=True, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    extension = models.CharField(max_length=8)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["entry", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name
