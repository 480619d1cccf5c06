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


class SiteReview(models.Model):
    """The on-site review of one application (现场评审): when, where, the plan, who opened it."""

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
