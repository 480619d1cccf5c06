"""The grading application (定级申请) and everything filed with it up to acceptance.

One ``GradingApplication`` per enterprise per attempt. Its ``status`` moves only through
``grading.workflow.APPLICATION_FLOW`` (compare-and-set, one ``ApplicationTransition`` row per
move). What the enterprise files (team, self-found problems, attachments, commitment) and
what the regulators write (correction requests, the county opinion, the city decision) hang
off it; generated PDFs are kept as ``GeneratedDocument`` versions.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from standards.models import ScoreSheet, ScoringStandard


class Status(models.TextChoices):
    """domain.md §3. Later issues add the review, rectification and publicity states."""

    DRAFT = "draft", _("Draft")
    INTERNAL_PUBLICITY = "internal_publicity", _("Internal publicity")
    COUNTY_REVIEW = "county_review", _("County preliminary review")
    COUNTY_RETURNED = "county_returned", _("Returned by the county for correction")
    CITY_REVIEW = "city_review", _("City re-review")
    CITY_RETURNED = "city_returned", _("Returned by the city for correction")
    ACCEPTED = "accepted", _("Accepted (awaiting review)")
    # The panel and on-site review (reviews app, domain.md §3 #7–9, #12).
    PANEL_FORMING = "panel_forming", _("Panel forming")
    REVIEW_SCHEDULED = "review_scheduled", _("Review scheduled")
    ON_SITE_REVIEW = "on_site_review", _("On-site review")
    RECTIFYING = "rectifying", _("Rectifying")
    RECTIFICATION_CHECK = "rectification_check", _("Rectification check")
    RESULT_CONFIRMATION = "result_confirmation", _("Result confirmation")
    # Publicity and announcement (results app, domain.md §3 #13–15).
    PUBLICITY = "publicity", _("Publicity")
    OBJECTION_CHECK = "objection_check", _("Objection check")
    ANNOUNCED = "announced", _("Announced")
    NOT_PASSED = "not_passed", _("Not passed")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    TERMINATED_FALSE_COMMITMENT = "terminated_false_commitment", _("Terminated: false commitment")


TERMINAL_STATES = frozenset(
    {
        Status.ANNOUNCED,
        Status.NOT_ACCEPTED,
        Status.NOT_PASSED,
        Status.WITHDRAWN,
        Status.TERMINATED_FALSE_COMMITMENT,
    }
)
# The enterprise edits its file only in these states.
ENTERPRISE_EDITABLE_STATES = frozenset({Status.DRAFT, Status.COUNTY_RETURNED, Status.CITY_RETURNED})


class Kind(models.TextChoices):
    INITIAL = "initial", _("Initial grading")
    RENEWAL = "renewal", _("Renewal")
    RENEWAL_FAST_TRACK = "renewal_fast_track", _("Renewal, fast track")


class GradeLevel(models.IntegerChoices):
    LEVEL1 = 1, _("Grade 1")
    LEVEL2 = 2, _("Grade 2")
    LEVEL3 = 3, _("Grade 3")


class GradingApplication(models.Model):
    number = models.CharField(_("application number"), max_length=32, unique=True)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="grading_applications",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, default=Kind.INITIAL)
    grade_level = models.PositiveSmallIntegerField(
        _("grade applied for"), choices=GradeLevel.choices, default=GradeLevel.LEVEL3
    )
    standard = models.ForeignKey(
        ScoringStandard, verbose_name=_("scoring standard"), on_delete=models.PROTECT, related_name="+"
    )
    self_sheet = models.OneToOneField(
        ScoreSheet,
        verbose_name=_("self-assessment sheet"),
        on_delete=models.PROTECT,
        related_name="self_assessment_application",
    )
    status = models.CharField(_("status"), max_length=40, choices=Status.choices, default=Status.DRAFT)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)

    # The self-assessment report's free parts.
    summary = models.TextField(_("self-assessment summary"), blank=True)
    self_found_problems = models.JSONField(
        _("problems found and fixed"), default=list, blank=True, help_text='[{"problem": "", "fix": ""}]'
    )
    assessment_started_on = models.DateField(_("self-assessment started"), null=True, blank=True)
    assessment_finished_on = models.DateField(_("self-assessment finished"), null=True, blank=True)

    internal_publicity_start = models.DateField(_("internal publicity from"), null=True, blank=True)
    internal_publicity_end = models.DateField(_("internal publicity until"), null=True, blank=True)
    internal_publicity_place = models.CharField(_("where it was posted"), max_length=200, blank=True)

    commitment_signed_at = models.DateTimeField(_("commitment signed"), null=True, blank=True)
    commitment_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    commitment_sha256 = models.CharField(max_length=64, blank=True)

    # The running timer (domain.md §11: a running timer keeps its starting parameter value).
    timer_param = models.CharField(max_length=64, blank=True)
    timer_kind = models.CharField(max_length=8, blank=True)  # "limit" or "minimum"
    timer_started_on = models.DateField(null=True, blank=True)
    timer_working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    timer_due_on = models.DateField(null=True, blank=True)  # None: the calendar does not reach it

    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    ban_until = models.DateField(_("no new application until"), null=True, blank=True)
    closing_reason = models.TextField(_("reason"), blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("grading application")
        verbose_name_plural = _("grading applications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "timer_due_on"]),
            # Lists and the API page newest first: the index gives a page without sorting them all.
            models.Index(fields=["-created_at", "-id"], name="app_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.enterprise.name}"

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_STATES

    @property
    def enterprise_may_edit(self) -> bool:
        return self.status in ENTERPRISE_EDITABLE_STATES


class ApplicationTransition(models.Model):
    """One move of an application: the case's timeline is these rows."""

    application = models.ForeignKey(GradingApplication, on_delete=models.CASCADE, related_name="transitions")
    transition = models.CharField(max_length=48)
    from_state = models.CharField(max_length=40)
    to_state = models.CharField(max_length=40)
    # None for a move the system makes (the end of a publicity window with an objection open).
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    comment = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.transition}"


class TeamMember(models.Model):
    """A member of the self-assessment working group; the leader is the principal."""

    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        MEMBER = "member", _("Member")
        EMPLOYEE_REPRESENTATIVE = "employee_rep", _("Employee representative")

    application = models.ForeignKey(GradingApplication, on_delete=models.CASCADE, related_name="team")
    name = models.CharField(_("name"), max_length=64)
    position = models.CharField(_("position"), max_length=64, blank=True)
    role = models.CharField(_("role in the group"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=Q(role="leader"), name="team_one_leader"
            )
        ]

    def __str__(self) -> str:
        return self.name


class RequiredDocument(models.Model):
    """A kind of attachment the application may or must carry (configurable by the city)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=255, blank=True)
    required = models.BooleanField(_("required"), default=True)
    industries = models.JSONField(
        _("industries"), default=list, blank=True, help_text=_("Empty: all industries.")
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name

    def applies_to(self, industry: str) -> bool:
        return not self.industries or industry in self.industries


def attachment_path(instance, filename: str) -> str:
    return f"grading/{instance.application_id}/{instance.sha256[:16]}{instance.extension}"


class Attachment(models.Model):
    """One uploaded file of a required kind; a replacement supersedes it and both are kept."""

    application = models.ForeignKey(GradingApplication, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(RequiredDocument, verbose_name=_("document"), on_delete=models.PROTECT)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    extension = models.CharField(max_length=8)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)

    class Meta:
        ordering = ["document__sort_order", "document_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "document", "version"], name="attachment_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.original_name} v{self.version}"


class CorrectionRequest(models.Model):
    """An itemised 补正 notice (一次性告知): every defect at once, each line tracked."""

    class Stage(models.TextChoices):
        COUNTY = "county", _("County preliminary review")
        CITY = "city", _("City re-review")

    class Addressee(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        COUNTY = "county", _("County regulator")

    application = models.ForeignKey(
        GradingApplication, on_delete=models.CASCADE, related_name="correction_requests"
    )
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices)
    addressee = models.CharField(_("addressed to"), max_length=12, choices=Addressee.choices)
    round = models.PositiveSmallIntegerField(_("round"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("issued"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} #{self.round}"


class CorrectionItem(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        ACCEPTED = "accepted", _("Accepted")
        REOPENED = "reopened", _("Not yet resolved")

    request = models.ForeignKey(CorrectionRequest, on_delete=models.CASCADE, related_name="items")
    seq = models.PositiveSmallIntegerField(_("no."))
    subject = models.CharField(_("item"), max_length=200)
    problem = models.TextField(_("problem"))
    fix_required = models.TextField(_("what to fix"))
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)

    class Meta:
        ordering = ["request_id", "seq"]

    def __str__(self) -> str:
        return f"{self.seq}. {self.subject}"


class Guidance(models.Model):
    """A guidance comment from a regulator that the enterprise sees (属地指导)."""

    application = models.ForeignKey(GradingApplication, on_delete=models.CASCADE, related_name="guidance")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("guidance"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class OpinionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting the chief's approval")
    APPROVED = "approved", _("Approved")
    SENT_BACK = "sent_back", _("Sent back by the chief")


class CountyOpinion(models.Model):
    """《工贸企业安全生产标准化初审意见》: drafted by the county officer, approved by the chief."""

    class Conclusion(models.TextChoices):
        FORWARD = "forward", _("Agree to forward to the city")
        RETURN = "return", _("Return for correction")

    application = models.ForeignKey(
        GradingApplication, on_delete=models.CASCADE, related_name="county_opinions"
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=OpinionStatus.choices, default=OpinionStatus.DRAFT
    )
    basic_info_check = models.TextField(_("basic information verified"), blank=True)
    licence_check = models.TextField(_("licences checked"), blank=True)
    score_check = models.TextField(_("self-assessment score reviewed"), blank=True)
    site_check = models.TextField(_("on-site check"), blank=True)
    problems = models.TextField(_("problems found"), blank=True)
    condition_checks = models.JSONField(
        _("conditions confirmed"), default=dict, blank=True, help_text='{"E3": {"ok": true, "note": ""}}'
    )
    conclusion = models.CharField(_("conclusion"), max_length=8, choices=Conclusion.choices, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    chief_comment = models.TextField(_("chief's comment"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-round", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "round"], name="county_opinion_one_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} county #{self.round}"


class CityDecision(models.Model):
    """The 制造业科 officer's re-review proposal and the 科长's approval."""

    class Proposal(models.TextChoices):
        ACCEPT = "accept", _("Accept")
        RETURN_ENTERPRISE = "return_enterprise", _("Return to the enterprise for correction")
        RETURN_COUNTY = "return_county", _("Return to the county")
        NOT_ACCEPT = "not_accept", _("Do not accept")

    application = models.ForeignKey(
        GradingApplication, on_delete=models.CASCADE, related_name="city_decisions"
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=OpinionStatus.choices, default=OpinionStatus.DRAFT
    )
    package_check = models.TextField(_("package checked"), blank=True)
    condition_checks = models.JSONField(_("conditions confirmed"), default=dict, blank=True)
    proposal = models.CharField(_("proposal"), max_length=20, choices=Proposal.choices, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    correction_items = models.JSONField(
        _("items to correct"),
        default=list,
        blank=True,
        help_text='[{"subject": "", "problem": "", "fix": ""}]',
    )
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    chief_comment = models.TextField(_("chief's comment"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-round", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "round"], name="city_decision_one_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} city #{self.round}"


class OpinionTransition(models.Model):
    """The log of a county opinion's or a city decision's own small flow."""

    county_opinion = models.ForeignKey(
        CountyOpinion, on_delete=models.CASCADE, related_name="transitions", null=True, blank=True
    )
    city_decision = models.ForeignKey(
        CityDecision, on_delete=models.CASCADE, related_name="transitions", null=True, blank=True
    )
    transition = models.CharField(max_length=48)
    from_state = models.CharField(max_length=16)
    to_state = models.CharField(max_length=16)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.transition


class Submission(models.Model):
    """A frozen copy of what the enterprise filed each time it submitted: the versions."""

    application = models.ForeignKey(GradingApplication, on_delete=models.CASCADE, related_name="submissions")
    seq = models.PositiveSmallIntegerField(_("version"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"))
    snapshot = models.JSONField(default=dict)
    eligibility = models.JSONField(default=list)

    class Meta:
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["application", "seq"], name="submission_unique_seq")]

    def __str__(self) -> str:
        return f"{self.application_id} v{self.seq}"


def document_path(instance, filename: str) -> str:
    return f"grading/{instance.application_id}/docs/{instance.kind}-v{instance.version}.pdf"


class GeneratedDocument(models.Model):
    """A PDF the system produced from the case's data; each regeneration is a new version."""

    class Kind(models.TextChoices):
        SELF_ASSESSMENT_REPORT = "self_assessment_report", _("Self-assessment report")
        COUNTY_OPINION = "county_review_opinion", _("County preliminary review opinion")
        DECISION_NOTICE = "decision_notice", _("Decision notice")
        CORRECTION_NOTICE = "correction_notice", _("Correction notice")
        REVIEW_REPORT = "review_report", _("Review report")
        RECTIFICATION_NOTICE = "rectification_notice", _("Rectification notice")
        RECTIFICATION_CHECK_OPINION = "rectification_check_opinion", _("Rectification check opinion")
        NOT_PASSED_NOTICE = "not_passed_notice", _("Notice of not passing")

    application = models.ForeignKey(GradingApplication, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=32, choices=Kind.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(upload_to=document_path, max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("generated"), auto_now_add=True)
    reason = models.CharField(_("occasion"), max_length=100, blank=True)

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind", "version"], name="document_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class DeadlineReminder(models.Model):
    """A deadline reminder that was sent, so the periodic job never sends it twice."""

    application = models.ForeignKey(GradingApplication, on_delete=models.CASCADE, related_name="+")
    timer_param = models.CharField(max_length=64)
    timer_started_on = models.DateField()
    level = models.CharField(max_length=8)  # "alert" (80%) or "due" (100%) or "overdue"
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "timer_param", "timer_started_on", "level"], name="reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.timer_param} {self.level}"


class ApplicationCounter(models.Model):
    """The yearly sequence behind application numbers (locked row: no two get the same number)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
