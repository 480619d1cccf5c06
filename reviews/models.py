"""Panels and on-site reviews (domain.md §6–7): the draw record, the panel and its members.

A ``PanelDraw`` is the evidence of one run of the pure engine (``reviews.draw``): its
canonical inputs, seed, algorithm version, result and result hash, so ``manage.py
replay_draw`` can recompute it for discipline inspection (纪检). The ``Panel`` is what came of
the accepted draw: members who confirm or decline, reserves who step in, hand replacements
with a reason — every change audited.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from experts.models import Expert
from grading.models import GradingApplication
from standards.models import Item, ScoreSheet


class PanelDraw(models.Model):
    application = models.ForeignKey(GradingApplication, on_delete=models.PROTECT, related_name="panel_draws")
    review_date = models.DateField(_("review date"))
    seed = models.CharField(_("seed"), max_length=64)
    algorithm_version = models.CharField(_("algorithm version"), max_length=32)
    inputs = models.JSONField(_("inputs"))
    result = models.JSONField(_("result"))
    result_hash = models.CharField(_("result hash"), max_length=64)
    ok = models.BooleanField(_("a valid panel was found"))
    failure = models.TextField(_("why no panel was found"), blank=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(_("drawn"), auto_now_add=True)

    class Meta:
        verbose_name = _("panel draw")
        verbose_name_plural = _("panel draws")
        ordering = ["-drawn_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.application_id} draw #{self.pk}"


class Panel(models.Model):
    """The expert panel of one application (评审组)."""

    class Status(models.TextChoices):
        FORMING = "forming", _("Waiting for confirmations")
        CONFIRMED = "confirmed", _("All members confirmed")
        APPROVED = "approved", _("Approved by the chief")

    application = models.OneToOneField(GradingApplication, on_delete=models.PROTECT, related_name="panel")
    draw = models.ForeignKey(PanelDraw, on_delete=models.PROTECT, related_name="+")
    review_date = models.DateField(_("review date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.FORMING)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("panel")
        verbose_name_plural = _("panels")

    def __str__(self) -> str:
        return f"{self.application_id} panel"


class PanelMember(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        MEMBER = "member", _("Member")
        RESERVE = "reserve", _("Reserve")

    class State(models.TextChoices):
        INVITED = "invited", _("Invited")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        REPLACED = "replaced", _("Replaced")
        STANDBY = "standby", _("On standby")

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="panel_seats")
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    no_conflict_declared_at = models.DateTimeField(_("no-conflict declaration signed"), null=True, blank=True)
    added_by_hand = models.BooleanField(_("added by hand"), default=False)
    hand_reason = models.TextField(_("reason for the change by hand"), blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["panel_id", "role", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "expert"],
                condition=~Q(state__in=["declined", "replaced"]),
                name="panel_member_once",
            ),
            models.UniqueConstraint(
                fields=["panel"],
                condition=Q(role="leader") & ~Q(state__in=["declined", "replaced"]),
                name="panel_one_leader",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.panel_id} {self.expert_id} {self.role}"


class Conclusion(models.TextChoices):
    PASS = "pass", _("Passed")
    FAIL = "fail", _("Not passed")


class SiteReview(models.Model):
    """The on-site review of one application (现场评审): when, where, the plan, who opened it,
    the panel sheet and, once finalised, the engine's result."""

    application = models.OneToOneField(
        GradingApplication, on_delete=models.PROTECT, related_name="site_review"
    )
    date = models.DateField(_("review date"))
    end_date = models.DateField(_("last day"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200)
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    # The panel sheet (评审汇总): the leader's consolidation of the members' sheets, the only
    # sheet that counts. Made by the first consolidation, locked by the finalisation.
    panel_sheet = models.OneToOneField(
        ScoreSheet,
        verbose_name=_("panel sheet"),
        on_delete=models.PROTECT,
        related_name="review_as_panel",
        null=True,
        blank=True,
    )
    # The engine's result, stored when the leader finalises (the sheet is locked then).
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    finalised_at = models.DateTimeField(_("finalised"), null=True, blank=True)
    conclusion = models.CharField(_("conclusion"), max_length=8, choices=Conclusion.choices, blank=True)
    earned = models.DecimalField(_("score"), max_digits=7, decimal_places=1, null=True, blank=True)
    percentage = models.DecimalField(
        _("score rate (%)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    final_level = models.PositiveSmallIntegerField(_("level reached"), null=True, blank=True)
    failed_vetoes = models.JSONField(_("failed veto items"), default=list, blank=True)
    nonconformities = models.PositiveIntegerField(_("nonconformities"), default=0)
    explanation = models.JSONField(_("how the score was computed"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("on-site review")
        verbose_name_plural = _("on-site reviews")

    def __str__(self) -> str:
        return f"{self.application_id} review {self.date}"


class ReviewPlanRow(models.Model):
    """One line of the 现场评审计划: a time slot, an activity, the element and who does it."""

    review = models.ForeignKey(SiteReview, on_delete=models.CASCADE, related_name="plan_rows")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    starts_at = models.TimeField(_("starts"))
    ends_at = models.TimeField(_("ends"))
    activity = models.CharField(_("activity"), max_length=200)
    element = models.CharField(_("element"), max_length=100, blank=True)
    experts = models.ManyToManyField(Expert, related_name="+", blank=True, verbose_name=_("experts"))
    expert_names = models.CharField(_("experts (names)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("plan row")
        verbose_name_plural = _("plan rows")
        ordering = ["review_id", "order", "starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.starts_at}-{self.ends_at} {self.activity}"


class Attendance(models.Model):
    """A signature on the opening (首次会议) or closing (末次会议) meeting's sign-in sheet."""

    class Meeting(models.TextChoices):
        OPENING = "opening", _("Opening meeting")
        CLOSING = "closing", _("Closing meeting")

    class Side(models.TextChoices):
        PANEL = "panel", _("Panel")
        CITY = "city", _("City bureau")
        COUNTY = "county", _("County bureau")
        ENTERPRISE = "enterprise", _("Enterprise")

    review = models.ForeignKey(SiteReview, on_delete=models.CASCADE, related_name="attendance")
    meeting = models.CharField(_("meeting"), max_length=8, choices=Meeting.choices)
    name = models.CharField(_("name"), max_length=64)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("attends for"), max_length=12, choices=Side.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    signed_at = models.DateTimeField(_("signed"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["review_id", "meeting", "signed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.meeting} {self.name}"


SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class SupervisionNote(models.Model):
    """A regulator's supervision record (监督记录) of the panel's work on site."""

    review = models.ForeignKey(SiteReview, on_delete=models.CASCADE, related_name="supervision_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    punctuality = models.PositiveSmallIntegerField(_("punctuality"), validators=SCORE)
    thoroughness = models.PositiveSmallIntegerField(_("thoroughness"), validators=SCORE)
    impartiality = models.PositiveSmallIntegerField(_("impartiality"), validators=SCORE)
    irregularity = models.TextField(_("irregularities observed"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("supervision note")
        verbose_name_plural = _("supervision notes")
        ordering = ["review_id", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(punctuality__range=(1, 5))
                & Q(thoroughness__range=(1, 5))
                & Q(impartiality__range=(1, 5)),
                name="supervision_scores_1_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.review_id} note by {self.author_id}"


class MemberSheet(models.Model):
    """A panel member's own score sheet (kind ``expert``), scored blind and kept for audit.

    Each member writes only his own sheet, so two members saving at the same moment never
    touch the same rows (domain.md §5.4).
    """

    review = models.ForeignKey(SiteReview, on_delete=models.CASCADE, related_name="member_sheets")
    member = models.OneToOneField(PanelMember, on_delete=models.PROTECT, related_name="review_sheet")
    sheet = models.OneToOneField(ScoreSheet, on_delete=models.PROTECT, related_name="review_member")
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("member sheet")
        verbose_name_plural = _("member sheets")
        ordering = ["review_id", "member__order", "pk"]

    def __str__(self) -> str:
        return f"{self.review_id} sheet of {self.member_id}"


class ItemAssignment(models.Model):
    """Which member scores an item (by specialty tag by default; the leader may reassign)."""

    review = models.ForeignKey(SiteReview, on_delete=models.CASCADE, related_name="assignments")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="assignments")
    by_hand = models.BooleanField(_("reassigned by the leader"), default=False)
    assigned_at = models.DateTimeField(_("assigned"), auto_now=True)

    class Meta:
        verbose_name = _("item assignment")
        verbose_name_plural = _("item assignments")
        ordering = ["review_id", "item__sort_order"]
        constraints = [models.UniqueConstraint(fields=["review", "item"], name="assignment_one_per_item")]

    def __str__(self) -> str:
        return f"{self.review_id} {self.item_id} → {self.member_id}"


class ConsolidationReason(models.Model):
    """The leader's reason for the panel's value of an item where the members' sheets differ,
    or where the panel value differs from a member's."""

    review = models.ForeignKey(SiteReview, on_delete=models.CASCADE, related_name="consolidation_reasons")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField(_("given"), auto_now=True)

    class Meta:
        verbose_name = _("consolidation reason")
        verbose_name_plural = _("consolidation reasons")
        ordering = ["review_id", "item__sort_order"]
        constraints = [models.UniqueConstraint(fields=["review", "item"], name="consolidation_reason_unique")]

    def __str__(self) -> str:
        return f"{self.review_id} {self.item_id}"
