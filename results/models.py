"""Results (domain.md §9): publicity (公示), objections (异议), announcements (公告), certificates
(证书) and their revocation (撤销).

A ``PublicityBatch`` lists passed applications (``PublicityEntry``: the score, grade and review
date copied when they are listed, so the public list never changes under the reader); the 科长
approves it and it stays on the public portal for ``publicity_min`` working days. Anyone may
file an ``Objection`` in the window; the city records its check (成立 / 不成立). After the window,
with no open or upheld objection, the 科长 issues an ``Announcement`` (numbered 文号, dated, with
the 抄送 list of ``CcRecipient`` copied in) and every listed application becomes 已公告 with a
``Certificate``. A certificate's stored status is only active / superseded / revoked: 即将到期 and
已过期 are derived from the dates (``results.domain.certificate_state``). A ``RevocationCase`` is
opened by the system (a fatal accident, 12-month totals over the thresholds, an overdue 重大
hazard) or by the city, and decided by the 科长; a revocation is announced the same way.
Numbers come from ``NumberingRule`` patterns and yearly ``NumberSequence`` rows.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from grading.models import GradeLevel, GradingApplication
from lib.industries import Industry
from lib.search import joined_grams


class NumberingRule(models.Model):
    """The pattern of one kind of number; ``{seq}`` is the yearly sequence (admin-editable)."""

    class Kind(models.TextChoices):
        CERTIFICATE = "certificate", _("Certificate number")
        PUBLICITY = "publicity", _("Publicity number")
        ANNOUNCEMENT = "announcement", _("Announcement number (文号)")
        REVOCATION = "revocation", _("Revocation announcement number (文号)")
        OBJECTION = "objection", _("Objection receipt number")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, unique=True)
    pattern = models.CharField(
        _("pattern"),
        max_length=120,
        help_text=_(
            "Placeholders: {year}, {seq} (the yearly sequence, e.g. {seq:04d}), {industry} (YJ, YS, JC, JX, "
            "QG, FZ, YC, SM), {level} (Ⅰ, Ⅱ, Ⅲ), {province}."
        ),
    )
    province = models.CharField(_("province code"), max_length=8, blank=True, default="辽")

    class Meta:
        verbose_name = _("numbering rule")
        verbose_name_plural = _("numbering rules")
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.pattern}"


class NumberSequence(models.Model):
    """The last number given for (kind, year): incremented in the database, so never given twice."""

    kind = models.CharField(max_length=16)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="number_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class CcRecipient(models.Model):
    """A department an announcement is copied to (抄送), kept as editable data (domain.md §9)."""

    name = models.CharField(_("department"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("copy recipient")
        verbose_name_plural = _("copy recipients")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class PublicityBatch(models.Model):
    """One 公示: a list of passed applications shown to the public for a number of working days."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting the chief's approval")
        PUBLISHED = "published", _("On publicity")
        ANNOUNCED = "announced", _("Announced")

    number = models.CharField(_("number"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("text"), blank=True)
    contact = models.CharField(
        _("objection contact"), max_length=200, help_text=_("Where and how the public may object.")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    return_comment = models.TextField(_("comment when sent back"), blank=True)
    # The window: the trigger day is not counted; the window ends at 24:00 of ``ends_on``.
    starts_on = models.DateField(_("publicity from"), null=True, blank=True)
    ends_on = models.DateField(_("publicity until"), null=True, blank=True)
    working_days = models.PositiveSmallIntegerField(_("working days"), null=True, blank=True)

    class Meta:
        verbose_name = _("publicity batch")
        verbose_name_plural = _("publicity batches")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "ends_on"])]

    def __str__(self) -> str:
        return self.number or self.title


class PublicityEntry(models.Model):
    """One application in a batch, with what the public sees frozen at listing."""

    class Outcome(models.TextChoices):
        LISTED = "listed", _("Listed")
        WITHDRAWN = "withdrawn", _("Taken off the list")
        ANNOUNCED = "announced", _("Announced")

    batch = models.ForeignKey(PublicityBatch, on_delete=models.CASCADE, related_name="entries")
    application = models.ForeignKey(
        GradingApplication, on_delete=models.PROTECT, related_name="publicity_entries"
    )
    enterprise_name = models.CharField(_("enterprise"), max_length=200)
    region_name = models.CharField(_("division"), max_length=100)
    industry = models.CharField(_("industry"), max_length=24, choices=Industry.choices)
    grade_level = models.PositiveSmallIntegerField(_("grade"), choices=GradeLevel.choices)
    percentage = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=1, null=True)
    review_date = models.DateField(_("review date"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.LISTED)
    outcome_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("publicity entry")
        verbose_name_plural = _("publicity entries")
        ordering = ["batch", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "application"], name="publicity_entry_once"),
        ]

    def __str__(self) -> str:
        return self.enterprise_name


class Objection(models.Model):
    """An objection (异议) from anyone during the window; the objector's details stay confidential."""

    class Status(models.TextChoices):
        OPEN = "open", _("Being checked")
        CLOSED = "closed", _("Checked")
        LOGGED = "logged", _("Late: logged only")

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("Upheld (成立)")
        REJECTED = "rejected", _("Not upheld (不成立)")

    receipt_number = models.CharField(_("receipt number"), max_length=40, unique=True)
    entry = models.ForeignKey(PublicityEntry, on_delete=models.PROTECT, related_name="objections")
    objector_name = models.CharField(_("name"), max_length=60)
    objector_contact = models.CharField(_("contact"), max_length=100)
    content = models.TextField(_("content"))
    ip = models.GenericIPAddressField(null=True, blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, blank=True)
    check_note = models.TextField(_("check and findings"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    due_on = models.DateField(_("check due"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="closed", outcome__in=["upheld", "rejected"]) | ~Q(status="closed"),
                name="objection_closed_has_outcome",
            )
        ]

    def __str__(self) -> str:
        return self.receipt_number


class ObjectionAttachment(models.Model):
    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="objections/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.original_name


class Announcement(models.Model):
    """A 公告: the grading announcement of a publicity batch, or a revocation announcement."""

    class Kind(models.TextChoices):
        GRADING = "grading", _("Grading announcement")
        REVOCATION = "revocation", _("Revocation announcement")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    document_number = models.CharField(_("document number"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    cc_recipients = models.JSONField(_("copied to"), default=list)
    batch = models.OneToOneField(
        PublicityBatch, on_delete=models.PROTECT, related_name="announcement", null=True, blank=True
    )
    pdf = models.FileField(upload_to="announcements/%Y/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.document_number} {self.title}"


def _public_id() -> str:
    return secrets.token_urlsafe(12)


class Certificate(models.Model):
    """The grade certificate (证书) of one announced application."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Valid")
        SUPERSEDED = "superseded", _("Superseded by renewal")
        REVOKED = "revoked", _("Revoked")

    number = models.CharField(_("certificate number"), max_length=64, unique=True)
    public_id = models.CharField(max_length=24, unique=True, default=_public_id, editable=False)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="certificates")
    # None for a certificate issued before the system (recorded by ``certificate_record_legacy``).
    application = models.OneToOneField(
        GradingApplication, on_delete=models.PROTECT, related_name="certificate", null=True, blank=True
    )
    legacy = models.BooleanField(_("issued before the system"), default=False)
    announcement = models.ForeignKey(
        Announcement, on_delete=models.PROTECT, related_name="certificates", null=True, blank=True
    )
    # Frozen at issue: the certificate says what it said on the day.
    enterprise_name = models.CharField(_("enterprise"), max_length=200)
    # The name's two-character windows: the public lookup's index on PostgreSQL (lib.search).
    name_grams = models.TextField(editable=False, blank=True, default="")
    uscc = models.CharField(_("USCC"), max_length=18, db_index=True)
    region_path = models.CharField(max_length=255, db_index=True)
    industry = models.CharField(_("industry"), max_length=24, choices=Industry.choices)
    grade_level = models.PositiveSmallIntegerField(_("grade"), choices=GradeLevel.choices)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("valid until"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    superseded_by = models.OneToOneField(
        "self", on_delete=models.PROTECT, related_name="supersedes", null=True, blank=True
    )
    pdf = models.FileField(upload_to="certificates/%Y/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-pk"]
        indexes = [
            models.Index(fields=["status", "expires_on"]),
            models.Index(fields=["enterprise_name"]),
            models.Index(fields=["-issued_on", "-id"], name="cert_list_order"),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs) -> None:
        # Normalisation only: the search column follows the frozen name.
        self.name_grams = joined_grams(self.enterprise_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "name_grams"}
        super().save(*args, **kwargs)


class RevocationCase(models.Model):
    """A certificate flagged for revocation (撤销), by the system or the city; the 科长 decides."""

    class Ground(models.TextChoices):
        DEATH = "death", _("A death in an accident")
        ACCIDENT_TOTALS = "accident_totals", _("Serious injuries or direct loss over the 12-month thresholds")
        SOCIAL_IMPACT = "social_impact", _("An event with major adverse social impact")
        REPORTING = "reporting", _("An accident concealed, falsely, late or not reported")
        BLACKLIST = "blacklist", _("On the credit blacklist")
        FRAUD = "fraud", _("False materials or improper means")
        LICENCE = "licence", _("Licence revoked or left the industry")
        MAJOR_HAZARD = "major_hazard", _("A major hazard overdue")
        SYSTEM_LAPSED = "system_lapsed", _("The standardisation system not kept running")

    class Status(models.TextChoices):
        FLAGGED = "flagged", _("Flagged for review")
        REVOKED = "revoked", _("Revoked")
        DISMISSED = "dismissed", _("Dismissed")

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="revocation_cases")
    ground = models.CharField(_("ground"), max_length=24, choices=Ground.choices)
    detail = models.TextField(_("facts"))
    source = models.CharField(max_length=64, blank=True)  # e.g. "accident:12", "hazard:7"
    flagged_by_system = models.BooleanField(_("flagged by the system"), default=False)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    flagged_at = models.DateTimeField(_("flagged"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.FLAGGED)
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    ban_until = models.DateField(_("no new application until"), null=True, blank=True)
    announcement = models.OneToOneField(
        Announcement, on_delete=models.PROTECT, related_name="revocation", null=True, blank=True
    )

    class Meta:
        verbose_name = _("revocation case")
        verbose_name_plural = _("revocation cases")
        ordering = ["-flagged_at", "-pk"]
        constraints = [
            # The system flags a ground from one source once (a re-run adds nothing).
            models.UniqueConstraint(
                fields=["certificate", "ground", "source"],
                condition=Q(flagged_by_system=True),
                name="revocation_flag_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate.number}: {self.get_ground_display()}"


class TransitionLog(models.Model):
    """One move of a batch or a revocation case (the object's history); the actor is None for
    a move the system made."""

    transition = models.CharField(max_length=40)
    from_state = models.CharField(max_length=16)
    to_state = models.CharField(max_length=16)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    comment = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.transition}: {self.from_state} → {self.to_state}"


class RevocationTransition(TransitionLog):
    case = models.ForeignKey(RevocationCase, on_delete=models.CASCADE, related_name="transitions")


class PublicityTransition(TransitionLog):
    batch = models.ForeignKey(PublicityBatch, on_delete=models.CASCADE, related_name="transitions")


class CertificateReminder(models.Model):
    """One reminder sent about a certificate (expiry at T−days, or the yearly self-assessment)."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="reminders")
    key = models.CharField(max_length=40)  # "expiry:90", "self_assessment:2027"
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["certificate", "key"], name="certificate_reminder_once")
        ]

    def __str__(self) -> str:
        return self.key


class AnnualSelfAssessment(models.Model):
    """The yearly self-assessment of a certified enterprise (domain.md §9), on a score sheet of
    the standard it was graded on."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being scored")
        SUBMITTED = "submitted", _("Filed")

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="annual_assessments")
    year = models.PositiveSmallIntegerField(_("year"))
    sheet = models.OneToOneField(
        "standards.ScoreSheet", on_delete=models.PROTECT, related_name="annual_assessment"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("filed"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    percentage = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = _("annual self-assessment")
        verbose_name_plural = _("annual self-assessments")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "year"], name="annual_assessment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.certificate.number} {self.year}"
