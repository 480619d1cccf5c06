"""REST operations on grading applications (/api/v1/applications).

Every operation starts from ``get_application_for_user`` with the action the HTML page
checks, so an outsider gets 404 and an insider without the right 403; writes go through
``grading.services``, so the API refuses exactly what the pages refuse, with the same
Chinese messages. A move the transitions table refuses answers 409 ``transition_refused``;
a move another request made first answers 409 ``stale_state``. Decimals travel as strings.
"""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja import Status as Respond

from accounts.roles import COUNTY_ROLES, ENTERPRISE_ROLES
from enterprises.models import Enterprise
from grading import domain, eligibility, services
from grading.models import (
    Attachment,
    CityDecision,
    CorrectionItem,
    CorrectionRequest,
    CountyOpinion,
    GeneratedDocument,
    GradeLevel,
    GradingApplication,
    Kind,
    OpinionStatus,
    RequiredDocument,
    TeamMember,
)
from grading.models import Status as AppStatus
from grading.permissions import (
    can_city_review,
    can_county_review,
    can_create_application,
    get_application_for_user,
)
from grading.selectors import (
    ApplicationFilters,
    application_attachment,
    application_documents,
    application_list,
    application_timeline,
    current_attachments,
    deadline_for,
)
from grading.workflow import APPLICATION_FLOW, CITY_DECISION_FLOW, COUNTY_OPINION_FLOW
from lib.api import ERRORS, DomainError, ErrorOut, transition_refusals
from lib.pagination import COUNT_EXACT_HELP, COUNT_HELP, counted
from lib.uploads import stored_file_response
from lib.workflow import available_transitions
from standards.models import ScoringStandard

router = Router(tags=["applications"])

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
MAX_TEXT = services.MAX_TEXT
MAX_ROWS = 100
WITH_CONFLICT = {**ERRORS, 409: ErrorOut}
# The only fields a PATCH may set to null; for the others null is refused rather than guessed at.
NULLABLE_FIELDS = frozenset({"assessment_started_on", "assessment_finished_on"})

# Choices as inline literals (see enterprises/api.py): no shared components named "Status".
StatusCode = Literal[tuple(AppStatus.values)]
KindCode = Literal[tuple(Kind.values)]
Level = Literal[tuple(GradeLevel.values)]
TeamRoleCode = Literal[tuple(TeamMember.Role.values)]
OpinionStatusCode = Literal[tuple(OpinionStatus.values)]
ConclusionCode = Literal[("", *CountyOpinion.Conclusion.values)]
ProposalCode = Literal[("", *CityDecision.Proposal.values)]
ItemStateCode = Literal[tuple(CorrectionItem.State.values)]
StageCode = Literal[tuple(CorrectionRequest.Stage.values)]
AddresseeCode = Literal[tuple(CorrectionRequest.Addressee.values)]
DocumentKindCode = Literal[tuple(GeneratedDocument.Kind.values)]
CheckResult = Literal[(domain.PASS, domain.FAIL, domain.UNKNOWN)]

_PERCENT = gettext_lazy('Percentage as a string with one decimal place, e.g. "92.5"; null before scoring.')
_NAME = gettext_lazy("Full name of the user, or the username.")


# --- Schemas: output ----------------------------------------------------------------


class ApplicationEnterpriseOut(Schema):
    id: int
    name: str
    uscc: str
    region: str = Field(description=gettext_lazy("Name of the county-level division."))


class ApplicationStandardOut(Schema):
    id: int
    code: str
    name: str
    version: int


class ApplicationListItemOut(Schema):
    id: int
    number: str = Field(description=gettext_lazy('Application number, e.g. "DJ20260001".'))
    enterprise: ApplicationEnterpriseOut
    status: StatusCode
    status_label: str
    kind: KindCode
    kind_label: str
    grade_level: Level = Field(description=gettext_lazy("The grade applied for: 1 is the best (一级)."))
    grade_level_label: str
    standard: ApplicationStandardOut
    due_on: date | None = Field(
        description=gettext_lazy("Last day of the running timer; null without one or beyond the calendar.")
    )
    overdue: bool = Field(description=gettext_lazy("The authority's deadline has passed."))
    status_changed_at: datetime | None
    submitted_at: datetime | None
    created_at: datetime


class ApplicationListOut(Schema):
    count: int = Field(description=COUNT_HELP)
    count_exact: bool = Field(description=COUNT_EXACT_HELP)
    items: list[ApplicationListItemOut]


class DeadlineOut(Schema):
    param: str = Field(description=gettext_lazy("The regulation parameter that set the timer."))
    kind: Literal["limit", "minimum"] = Field(
        description=gettext_lazy(
            "limit: the authority's deadline; minimum: the earliest day the next step is allowed."
        )
    )
    started_on: date
    working_days: int
    due_on: date | None = Field(
        description=gettext_lazy("null when the working-day calendar does not reach it yet.")
    )
    elapsed: int | None = Field(description=gettext_lazy("Working days elapsed; null without a calendar."))
    overdue: bool
    alert: bool = Field(description=gettext_lazy("Past the alert fraction (80 %) of a limit."))
    calendar_missing: bool


class TeamMemberOut(Schema):
    name: str
    position: str
    role: TeamRoleCode
    role_label: str
    phone: str


class ProblemOut(Schema):
    problem: str
    fix: str


class PublicityOut(Schema):
    start: date | None
    end: date | None
    place: str
    earliest_end: date | None = Field(
        description=gettext_lazy("The first day the application may be submitted after the posting.")
    )


class CommitmentStateOut(Schema):
    signed: bool
    signed_at: datetime | None
    signed_by: str | None = Field(description=_NAME)
    sha256: str = Field(description=gettext_lazy("SHA-256 of the text signed; empty until signed."))


class ScoreOut(Schema):
    percentage: str | None = Field(description=_PERCENT)
    unscored_items: int


class TransitionOut(Schema):
    name: str
    label: str


class ConditionCheckOut(Schema):
    ok: bool
    note: str


class CountyOpinionOut(Schema):
    id: int
    round: int
    status: OpinionStatusCode
    status_label: str
    basic_info_check: str
    licence_check: str
    score_check: str
    site_check: str
    problems: str
    condition_checks: dict[str, ConditionCheckOut] = Field(
        description=gettext_lazy("Conditions confirmed by hand, by code (E3, E11…).")
    )
    conclusion: ConclusionCode
    conclusion_label: str
    reasons: str
    drafted_by: str = Field(description=_NAME)
    submitted_at: datetime | None
    approved_by: str | None = Field(description=_NAME)
    approved_at: datetime | None
    chief_comment: str
    updated_at: datetime


class CorrectionLineOut(Schema):
    subject: str
    problem: str
    fix: str


class CityDecisionOut(Schema):
    id: int
    round: int
    status: OpinionStatusCode
    status_label: str
    package_check: str
    condition_checks: dict[str, ConditionCheckOut]
    proposal: ProposalCode
    proposal_label: str
    reasons: str
    correction_items: list[CorrectionLineOut]
    drafted_by: str = Field(description=_NAME)
    submitted_at: datetime | None
    approved_by: str | None = Field(description=_NAME)
    approved_at: datetime | None
    chief_comment: str
    updated_at: datetime


class CorrectionItemOut(Schema):
    id: int
    seq: int
    subject: str
    problem: str
    fix_required: str
    answer: str
    answered_at: datetime | None
    state: ItemStateCode
    state_label: str
    checked_at: datetime | None


class CorrectionRequestOut(Schema):
    id: int
    stage: StageCode
    stage_label: str
    addressee: AddresseeCode
    addressee_label: str
    round: int
    note: str
    created_at: datetime
    answered_at: datetime | None
    closed_at: datetime | None
    items: list[CorrectionItemOut]


class ApplicationOut(ApplicationListItemOut):
    self_sheet: int = Field(
        description=gettext_lazy("Id of the self-assessment score sheet (see /api/v1/sheets).")
    )
    deadline: DeadlineOut | None = Field(description=gettext_lazy("The running timer; null if none runs."))
    team: list[TeamMemberOut]
    summary: str
    self_found_problems: list[ProblemOut]
    assessment_started_on: date | None
    assessment_finished_on: date | None
    internal_publicity: PublicityOut
    commitment: CommitmentStateOut
    score: ScoreOut = Field(description=gettext_lazy("The self-assessment's score so far."))
    available_transitions: list[TransitionOut] = Field(
        description=gettext_lazy(
            "Moves your role may make in this state (POST …/transitions/{name}); a move may still be "
            "refused by the case's data."
        )
    )
    county_opinion: CountyOpinionOut | None = Field(
        description=gettext_lazy(
            "The latest preliminary review opinion; the enterprise sees it only once approved."
        )
    )
    city_decision: CityDecisionOut | None = Field(
        description=gettext_lazy("The latest re-review proposal; regulators only.")
    )
    correction_requests: list[CorrectionRequestOut] = Field(
        description=gettext_lazy(
            "Itemised correction notices, oldest first; the enterprise sees those addressed to it."
        )
    )
    decided_at: datetime | None
    ban_until: date | None
    closing_reason: str
    updated_at: datetime


class AttachmentVersionOut(Schema):
    id: int
    document: str = Field(description=gettext_lazy("Code of the required document."))
    version: int
    name: str = Field(description=gettext_lazy("The file's name as uploaded."))
    size: int = Field(description=gettext_lazy("Size in bytes."))
    sha256: str
    current: bool = Field(description=gettext_lazy("False once replaced by a newer version or withdrawn."))
    uploaded_by: str = Field(description=_NAME)
    uploaded_at: datetime
    superseded_at: datetime | None
    url: str = Field(description=gettext_lazy("Where to download the file."))


class RequiredDocumentOut(Schema):
    id: int
    code: str
    name: str
    description: str
    required: bool
    versions: list[AttachmentVersionOut] = Field(description=gettext_lazy("Newest first."))


class EligibilityCheckOut(Schema):
    code: str = Field(description=gettext_lazy("E1–E15, plus conditions other modules add."))
    label: str
    result: CheckResult
    reason: str


class EligibilityOut(Schema):
    checks: list[EligibilityCheckOut]
    blocking: bool = Field(description=gettext_lazy("Whether a failed condition blocks submission."))


class CommitmentOut(CommitmentStateOut):
    text: str = Field(description=gettext_lazy("The commitment (承诺书) the principal signs."))


class GuidanceOut(Schema):
    id: int
    author: str = Field(description=_NAME)
    text: str
    created_at: datetime


class CountyOpinionPanelOut(Schema):
    opinion: CountyOpinionOut | None = Field(
        description=gettext_lazy("The latest opinion (for the enterprise: the latest approved one).")
    )
    can_edit: bool = Field(description=gettext_lazy("Whether you may save the draft now (PUT)."))
    available_transitions: list[TransitionOut]


class CityDecisionPanelOut(Schema):
    decision: CityDecisionOut | None = Field(description=gettext_lazy("The latest re-review proposal."))
    can_edit: bool = Field(description=gettext_lazy("Whether you may save the draft now (PUT)."))
    available_transitions: list[TransitionOut]


class TimelineEntryOut(Schema):
    at: datetime
    kind: str = Field(
        description=gettext_lazy("transition, submission, document, attachment, guidance or correction.")
    )
    title: str
    actor: str
    comment: str
    from_state: str = Field(description=gettext_lazy("Label of the state before a move."))
    to_state: str = Field(description=gettext_lazy("Label of the state after a move."))
    url: str | None
    details: list[str]


class GeneratedDocumentOut(Schema):
    id: int
    kind: DocumentKindCode
    kind_label: str
    version: int
    size: int
    sha256: str
    reason: str = Field(description=gettext_lazy("The occasion it was generated for."))
    created_by: str = Field(description=_NAME)
    created_at: datetime
    url: str = Field(description=gettext_lazy("Where to download the PDF."))


# --- Schemas: input -----------------------------------------------------------------


class ApplicationListParams(Schema):
    status: StatusCode | None = None
    region: int | None = Field(None, description=gettext_lazy("Id of a county-level division."))
    overdue: bool = Field(False, description=gettext_lazy("Only cases past the authority's deadline."))
    q: str = Field("", max_length=100, description=gettext_lazy("Number, enterprise name, USCC or pinyin."))
    open_only: bool = Field(False, description=gettext_lazy("Leave out closed cases."))
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0)


class ApplicationCreateIn(Schema):
    standard: int = Field(
        description=gettext_lazy("Id of a published scoring standard for your enterprise's industry.")
    )
    grade_level: Level = GradeLevel.LEVEL3.value
    kind: KindCode = Kind.INITIAL.value


class ProblemIn(Schema):
    problem: str = Field("", max_length=1000)
    fix: str = Field("", max_length=1000)


# Every field is optional: fields left out keep their value.
class ApplicationUpdateIn(Schema):
    grade_level: Level | None = None
    summary: str | None = Field(None, max_length=MAX_TEXT)
    self_found_problems: list[ProblemIn] | None = Field(None, max_length=MAX_ROWS)
    assessment_started_on: date | None = None
    assessment_finished_on: date | None = None
    internal_publicity_place: str | None = Field(None, max_length=200)


class TeamMemberIn(Schema):
    name: str = Field(max_length=64)
    position: str = Field("", max_length=64)
    role: TeamRoleCode = TeamMember.Role.MEMBER.value
    phone: str = Field("", max_length=32)


class TeamIn(Schema):
    members: list[TeamMemberIn] = Field(
        max_length=MAX_ROWS, description=gettext_lazy("The whole group; exactly one leader (the principal).")
    )


class CorrectionLineIn(Schema):
    subject: str = Field("", max_length=200)
    problem: str = Field("", max_length=2000)
    fix: str = Field("", max_length=2000)


class TransitionIn(Schema):
    comment: str = Field("", max_length=MAX_TEXT)
    start: date | None = Field(
        None,
        description=gettext_lazy("start_internal_publicity: first day of the posting (today if left out)."),
    )
    place: str = Field(
        "", max_length=200, description=gettext_lazy("start_internal_publicity: where it is posted.")
    )
    items: list[CorrectionLineIn] = Field(
        default_factory=list,
        max_length=MAX_ROWS,
        description=gettext_lazy("county_return: every item to correct, all at once."),
    )
    reason: str = Field(
        "",
        max_length=MAX_TEXT,
        description=gettext_lazy("withdraw, terminate_false_commitment: the reason (required)."),
    )


class CommentIn(Schema):
    comment: str = Field("", max_length=MAX_TEXT)


class GuidanceIn(Schema):
    text: str = Field(max_length=MAX_TEXT)


class AnswerIn(Schema):
    answer: str = Field(max_length=2000)


class CheckIn(Schema):
    accepted: bool = Field(description=gettext_lazy("True accepts the answer; false reopens the item."))


class ConditionCheckIn(Schema):
    ok: bool = False
    note: str = Field("", max_length=500)


# Fields left out (or null) keep their value.
class CountyOpinionIn(Schema):
    basic_info_check: str | None = Field(None, max_length=MAX_TEXT)
    licence_check: str | None = Field(None, max_length=MAX_TEXT)
    score_check: str | None = Field(None, max_length=MAX_TEXT)
    site_check: str | None = Field(None, max_length=MAX_TEXT)
    problems: str | None = Field(None, max_length=MAX_TEXT)
    conclusion: ConclusionCode | None = None
    reasons: str | None = Field(None, max_length=MAX_TEXT)
    condition_checks: dict[str, ConditionCheckIn] | None = Field(
        None, description=gettext_lazy('Conditions confirmed by hand: {"E3": {"ok": true, "note": ""}}.')
    )


# Fields left out (or null) keep their value.
class CityDecisionIn(Schema):
    package_check: str | None = Field(None, max_length=MAX_TEXT)
    proposal: ProposalCode | None = None
    reasons: str | None = Field(None, max_length=MAX_TEXT)
    condition_checks: dict[str, ConditionCheckIn] | None = None
    correction_items: list[CorrectionLineIn] | None = Field(
        None,
        max_length=MAX_ROWS,
        description=gettext_lazy("For a return: every item to correct, all at once."),
    )


# --- Helpers ------------------------------------------------------------------------


def _name(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def _percentage(value) -> str | None:
    return f"{value:.1f}" if value is not None else None


def _is_enterprise(user) -> bool:
    return user.role in ENTERPRISE_ROLES


def _transitions(obj, workflow, user) -> list[dict[str, str]]:
    return [{"name": t.name, "label": str(t.label)} for t in available_transitions(obj, workflow, user)]


def _list_item(application: GradingApplication, today: date) -> dict[str, Any]:
    enterprise = application.enterprise
    standard = application.standard
    return {
        "id": application.pk,
        "number": application.number,
        "enterprise": {
            "id": enterprise.pk,
            "name": enterprise.name,
            "uscc": enterprise.uscc,
            "region": enterprise.region.name,
        },
        "status": application.status,
        "status_label": application.get_status_display(),
        "kind": application.kind,
        "kind_label": application.get_kind_display(),
        "grade_level": application.grade_level,
        "grade_level_label": application.get_grade_level_display(),
        "standard": {
            "id": standard.pk,
            "code": standard.code,
            "name": standard.name,
            "version": standard.version,
        },
        "due_on": application.timer_due_on,
        "overdue": bool(
            application.timer_kind == "limit"
            and application.timer_due_on is not None
            and application.timer_due_on < today
        ),
        "status_changed_at": application.status_changed_at,
        "submitted_at": application.submitted_at,
        "created_at": application.created_at,
    }


def _county_opinion_out(opinion: CountyOpinion | None) -> dict[str, Any] | None:
    if opinion is None:
        return None
    return {
        "id": opinion.pk,
        "round": opinion.round,
        "status": opinion.status,
        "status_label": opinion.get_status_display(),
        "basic_info_check": opinion.basic_info_check,
        "licence_check": opinion.licence_check,
        "score_check": opinion.score_check,
        "site_check": opinion.site_check,
        "problems": opinion.problems,
        "condition_checks": opinion.condition_checks or {},
        "conclusion": opinion.conclusion,
        "conclusion_label": opinion.get_conclusion_display() if opinion.conclusion else "",
        "reasons": opinion.reasons,
        "drafted_by": _name(opinion.drafted_by),
        "submitted_at": opinion.submitted_at,
        "approved_by": _name(opinion.approved_by),
        "approved_at": opinion.approved_at,
        "chief_comment": opinion.chief_comment,
        "updated_at": opinion.updated_at,
    }


def _city_decision_out(decision: CityDecision | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {
        "id": decision.pk,
        "round": decision.round,
        "status": decision.status,
        "status_label": decision.get_status_display(),
        "package_check": decision.package_check,
        "condition_checks": decision.condition_checks or {},
        "proposal": decision.proposal,
        "proposal_label": decision.get_proposal_display() if decision.proposal else "",
        "reasons": decision.reasons,
        "correction_items": [
            {"subject": r.get("subject", ""), "problem": r.get("problem", ""), "fix": r.get("fix", "")}
            for r in decision.correction_items or []
        ],
        "drafted_by": _name(decision.drafted_by),
        "submitted_at": decision.submitted_at,
        "approved_by": _name(decision.approved_by),
        "approved_at": decision.approved_at,
        "chief_comment": decision.chief_comment,
        "updated_at": decision.updated_at,
    }


def _latest_county_opinion(application: GradingApplication, user) -> CountyOpinion | None:
    """The latest opinion; the enterprise reads only approved ones."""
    rows = application.county_opinions.select_related("drafted_by", "approved_by").order_by("-round")
    if _is_enterprise(user):
        rows = rows.filter(status=OpinionStatus.APPROVED)
    return rows.first()


def _latest_city_decision(application: GradingApplication, user) -> CityDecision | None:
    if _is_enterprise(user):
        return None
    return application.city_decisions.select_related("drafted_by", "approved_by").order_by("-round").first()


def _item_out(item: CorrectionItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "seq": item.seq,
        "subject": item.subject,
        "problem": item.problem,
        "fix_required": item.fix_required,
        "answer": item.answer,
        "answered_at": item.answered_at,
        "state": item.state,
        "state_label": item.get_state_display(),
        "checked_at": item.checked_at,
    }


def _commitment_state(application: GradingApplication) -> dict[str, Any]:
    return {
        "signed": application.commitment_signed_at is not None,
        "signed_at": application.commitment_signed_at,
        "signed_by": _name(application.commitment_signed_by),
        "sha256": application.commitment_sha256,
    }


def _deadline_out(application: GradingApplication) -> dict[str, Any] | None:
    deadline = deadline_for(application)
    if deadline is None:
        return None
    return {
        "param": deadline.param,
        "kind": deadline.kind,
        "started_on": deadline.started_on,
        "working_days": deadline.working_days,
        "due_on": deadline.due_on,
        "elapsed": deadline.elapsed,
        "overdue": deadline.overdue,
        "alert": deadline.alert,
        "calendar_missing": deadline.calendar_missing,
    }


def _detail(user, application_id: int) -> dict[str, Any]:
    """The application as the caller may see it, read afresh (after a write, the new state)."""
    application = get_application_for_user(user, application_id)
    unscored, percentage = eligibility.sheet_progress(application)
    requests = application.correction_requests.prefetch_related("items").order_by("created_at", "pk")
    if _is_enterprise(user):  # a return from the city to the county is between the regulators
        requests = requests.filter(addressee=CorrectionRequest.Addressee.ENTERPRISE)
    return {
        **_list_item(application, timezone.localdate()),
        "self_sheet": application.self_sheet_id,
        "deadline": _deadline_out(application),
        "team": [
            {
                "name": m.name,
                "position": m.position,
                "role": m.role,
                "role_label": m.get_role_display(),
                "phone": m.phone,
            }
            for m in application.team.all()
        ],
        "summary": application.summary,
        "self_found_problems": [
            {"problem": r.get("problem", ""), "fix": r.get("fix", "")}
            for r in application.self_found_problems or []
        ],
        "assessment_started_on": application.assessment_started_on,
        "assessment_finished_on": application.assessment_finished_on,
        "internal_publicity": {
            "start": application.internal_publicity_start,
            "end": application.internal_publicity_end,
            "place": application.internal_publicity_place,
            "earliest_end": eligibility.publicity_earliest_end(application),
        },
        "commitment": _commitment_state(application),
        "score": {"percentage": _percentage(percentage), "unscored_items": unscored},
        "available_transitions": _transitions(application, APPLICATION_FLOW, user),
        "county_opinion": _county_opinion_out(_latest_county_opinion(application, user)),
        "city_decision": _city_decision_out(_latest_city_decision(application, user)),
        "correction_requests": [
            {
                "id": r.pk,
                "stage": r.stage,
                "stage_label": r.get_stage_display(),
                "addressee": r.addressee,
                "addressee_label": r.get_addressee_display(),
                "round": r.round,
                "note": r.note,
                "created_at": r.created_at,
                "answered_at": r.answered_at,
                "closed_at": r.closed_at,
                "items": [_item_out(i) for i in r.items.all()],
            }
            for r in requests
        ],
        "decided_at": application.decided_at,
        "ban_until": application.ban_until,
        "closing_reason": application.closing_reason,
        "updated_at": application.updated_at,
    }


def _attachment_out(attachment: Attachment, code: str) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "document": code,
        "version": attachment.version,
        "name": attachment.original_name,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "current": attachment.superseded_at is None,
        "uploaded_by": _name(attachment.uploaded_by),
        "uploaded_at": attachment.uploaded_at,
        "superseded_at": attachment.superseded_at,
        "url": reverse("api:application_attachment_file", args=[attachment.application_id, attachment.pk]),
    }


def _timeline_url(url_name: str, url_args: tuple) -> str | None:
    return reverse(url_name, args=url_args) if url_name else None


def _comment(payload: "CommentIn | None") -> str:
    return payload.comment if payload is not None else ""


def _payload(payload: Schema) -> dict[str, Any]:
    return payload.model_dump(exclude_unset=True, exclude_none=True)


def _corrections(items: list[CorrectionLineIn]) -> list[services.CorrectionIn]:
    return [services.CorrectionIn(i.subject, i.problem, i.fix) for i in items]


def _correction_item(application: GradingApplication, item_id: int) -> CorrectionItem:
    item = (
        CorrectionItem.objects.select_related("request__application__enterprise")
        .filter(pk=item_id, request__application=application)
        .first()
    )
    if item is None:
        raise Http404
    return item


# --- Operations: the list, starting, the file ---------------------------------------


@router.get(
    "/",
    response={200: ApplicationListOut, **ERRORS},
    summary=gettext_lazy("List grading applications"),
    description=gettext_lazy(
        "Only the applications you may see, newest first, with the filters of the list page."
    ),
)
def list_applications(request: HttpRequest, params: Query[ApplicationListParams]):
    filters = ApplicationFilters(
        status=params.status or "",
        region=params.region,
        overdue=params.overdue,
        q=params.q,
        open_only=params.open_only,
    )
    qs = application_list(user=request.auth, filters=filters)
    today = timezone.localdate()
    return {
        **counted(qs),
        "items": [_list_item(a, today) for a in qs[params.offset : params.offset + params.limit]],
    }


@router.post(
    "/",
    response={201: ApplicationOut, **ERRORS},
    summary=gettext_lazy("Start a grading application"),
    description=gettext_lazy(
        "Enterprise users, for their own enterprise: a draft with an empty self-assessment sheet. "
        "An enterprise has at most one open application."
    ),
)
def create_application(request: HttpRequest, payload: ApplicationCreateIn):
    user = request.auth
    enterprise = Enterprise.objects.filter(organisation_id=user.organisation_id).first()
    if not can_create_application(user) or enterprise is None:
        raise PermissionDenied
    standard = ScoringStandard.objects.filter(pk=payload.standard).first()
    application = services.application_create(
        actor=user,
        enterprise=enterprise,
        standard=standard,
        grade_level=payload.grade_level,
        kind=payload.kind,
    )
    return Respond(201, _detail(user, application.pk))


@router.get(
    "/{int:application_id}",
    response={200: ApplicationOut, **ERRORS},
    summary=gettext_lazy("One grading application"),
    description=gettext_lazy(
        "The file, the running timer, the moves open to you, the opinions and the correction notices."
    ),
)
def get_application(request: HttpRequest, application_id: int):
    return _detail(request.auth, application_id)


@router.patch(
    "/{int:application_id}",
    response={200: ApplicationOut, **WITH_CONFLICT},
    summary=gettext_lazy("Change the application's file"),
    description=gettext_lazy(
        "The enterprise, while it holds the file (draft, or returned for correction). "
        "Fields left out keep their value."
    ),
)
def update_application(request: HttpRequest, application_id: int, payload: ApplicationUpdateIn):
    application = get_application_for_user(request.auth, application_id, "edit")
    changes = payload.model_dump(exclude_unset=True)
    empty = [name for name, value in changes.items() if value is None and name not in NULLABLE_FIELDS]
    if empty:
        raise ValidationError({name: _("This field cannot be empty.") for name in empty})
    services.application_update(actor=request.auth, application=application, data=changes)
    return _detail(request.auth, application_id)


@router.put(
    "/{int:application_id}/team",
    response={200: list[TeamMemberOut], **WITH_CONFLICT},
    summary=gettext_lazy("Replace the self-assessment group"),
    description=gettext_lazy("The whole group at once, with exactly one leader: the principal."),
)
def save_team(request: HttpRequest, application_id: int, payload: TeamIn):
    application = get_application_for_user(request.auth, application_id, "edit")
    members = services.team_save(
        actor=request.auth,
        application=application,
        members=[services.MemberIn(m.name, m.position, m.role, m.phone) for m in payload.members],
    )
    return [
        {
            "name": m.name,
            "position": m.position,
            "role": m.role,
            "role_label": m.get_role_display(),
            "phone": m.phone,
        }
        for m in members
    ]


# --- Operations: attachments -----------------------------------------------------------


@router.get(
    "/{int:application_id}/attachments",
    response={200: list[RequiredDocumentOut], **ERRORS},
    summary=gettext_lazy("The required documents and their files"),
    description=gettext_lazy("Each document that applies to the enterprise, with every version uploaded."),
)
def list_attachments(request: HttpRequest, application_id: int):
    application = get_application_for_user(request.auth, application_id)
    return [
        {
            "id": document.pk,
            "code": document.code,
            "name": document.name,
            "description": document.description,
            "required": document.required,
            "versions": [_attachment_out(a, document.code) for a in versions],
        }
        for document, versions in current_attachments(application)
    ]


@router.post(
    "/{int:application_id}/attachments",
    response={201: AttachmentVersionOut, **WITH_CONFLICT},
    summary=gettext_lazy("Upload a document"),
    description=gettext_lazy(
        "Multipart: the document's code in the field document and the file (PDF, JPEG or PNG, "
        "checked by its content, at most 20 MB) in the field file. A file of the same document "
        "before it is kept as an older version. A refused file gives 422 and nothing is stored."
    ),
)
def add_attachment(request: HttpRequest, application_id: int, document: Form[str], file: File[UploadedFile]):
    application = get_application_for_user(request.auth, application_id, "file")
    required = RequiredDocument.objects.filter(code=document.strip()).first()
    if required is None:
        raise ValidationError({"document": [_("Choose one of the listed documents.")]})
    attachment = services.attachment_add(
        actor=request.auth, application=application, document=required, file=file
    )
    return Respond(201, _attachment_out(attachment, required.code))


@router.get(
    "/{int:application_id}/attachments/{int:attachment_id}/file",
    response=ERRORS,
    url_name="application_attachment_file",
    summary=gettext_lazy("Download an uploaded document"),
    description=gettext_lazy("The file as uploaded, as an attachment with its original name."),
    openapi_extra={
        "responses": {
            200: {
                "description": "OK",
                "content": {
                    kind: {"schema": {"type": "string", "format": "binary"}}
                    for kind in ("image/jpeg", "image/png", "application/pdf")
                },
            }
        }
    },
)
def download_attachment(request: HttpRequest, application_id: int, attachment_id: int):
    application = get_application_for_user(request.auth, application_id)
    attachment = application_attachment(application, attachment_id)
    if attachment is None:
        raise Http404
    return stored_file_response(attachment.file, attachment.original_name)


@router.delete(
    "/{int:application_id}/attachments/{int:attachment_id}",
    response={204: None, **WITH_CONFLICT},
    summary=gettext_lazy("Withdraw a document"),
    description=gettext_lazy(
        "Takes the current version off the file; it stays in the history. Only the enterprise, "
        "while it may file documents."
    ),
)
def withdraw_attachment(request: HttpRequest, application_id: int, attachment_id: int):
    application = get_application_for_user(request.auth, application_id, "file")
    attachment = application_attachment(application, attachment_id)
    if attachment is None:
        raise Http404
    if attachment.superseded_at is not None:
        raise DomainError(
            _("This version has already been replaced or withdrawn."), code="attachment_not_current"
        )
    services.attachment_withdraw(actor=request.auth, application=application, attachment=attachment)
    return Respond(204, None)


# --- Operations: eligibility and commitment ------------------------------------------


@router.get(
    "/{int:application_id}/eligibility",
    response={200: EligibilityOut, **ERRORS},
    summary=gettext_lazy("The eligibility checklist"),
    description=gettext_lazy(
        "Each condition passes, fails or is unknown (confirmed by hand by the county and the city). "
        "A failed condition blocks submission."
    ),
)
def get_eligibility(request: HttpRequest, application_id: int):
    application = get_application_for_user(request.auth, application_id)
    checks = eligibility.evaluate(application)
    return {"checks": [c.as_dict() for c in checks], "blocking": bool(domain.blocking(checks))}


def _commitment_out(application: GradingApplication) -> dict[str, Any]:
    signed_at = application.commitment_signed_at
    on = timezone.localdate(signed_at) if signed_at else None
    return {**_commitment_state(application), "text": services.commitment_text_for(application, on)}


@router.get(
    "/{int:application_id}/commitment",
    response={200: CommitmentOut, **ERRORS},
    summary=gettext_lazy("The commitment"),
    description=gettext_lazy("Its text (as of the signing day once signed) and who signed it."),
)
def get_commitment(request: HttpRequest, application_id: int):
    application = get_application_for_user(request.auth, application_id)
    return _commitment_out(application)


@router.post(
    "/{int:application_id}/commitment",
    response={200: CommitmentOut, **WITH_CONFLICT},
    summary=gettext_lazy("Sign the commitment"),
    description=gettext_lazy(
        "The enterprise's principal signs; the text's SHA-256 is stored with the signature. "
        "Signing again changes nothing."
    ),
)
def sign_commitment(request: HttpRequest, application_id: int):
    application = get_application_for_user(request.auth, application_id, "sign")
    services.commitment_sign(actor=request.auth, application=application)
    return _commitment_out(get_application_for_user(request.auth, application_id))


# --- Operations: moves ----------------------------------------------------------------

Move = Callable[[Any, GradingApplication, TransitionIn], Any]

MOVES: dict[str, Move] = {
    "start_internal_publicity": lambda actor, app, p: services.application_start_publicity(
        actor=actor, application=app, start=p.start, place=p.place, comment=p.comment
    ),
    "back_to_draft": lambda actor, app, p: services.application_back_to_draft(
        actor=actor, application=app, comment=p.comment
    ),
    "submit": lambda actor, app, p: services.application_submit(
        actor=actor, application=app, comment=p.comment
    ),
    "county_return": lambda actor, app, p: services.application_county_return(
        actor=actor, application=app, items=_corrections(p.items), comment=p.comment
    ),
    "county_resubmit": lambda actor, app, p: services.application_county_resubmit(
        actor=actor, application=app, comment=p.comment
    ),
    "city_resubmit": lambda actor, app, p: services.application_city_resubmit(
        actor=actor, application=app, comment=p.comment
    ),
    "withdraw": lambda actor, app, p: services.application_withdraw(
        actor=actor, application=app, reason=p.reason
    ),
    "terminate_false_commitment": lambda actor, app, p: services.application_terminate_false_commitment(
        actor=actor, application=app, reason=p.reason
    ),
}


@router.post(
    "/{int:application_id}/transitions/{name}",
    response={200: ApplicationOut, **WITH_CONFLICT},
    summary=gettext_lazy("Make a move"),
    description=gettext_lazy(
        "name is one of start_internal_publicity (start, place), back_to_draft, submit, "
        "county_return (items), county_resubmit, city_resubmit, withdraw (reason) and "
        "terminate_false_commitment (reason); every move takes a comment. Forwarding, accepting "
        "and the city's returns happen by approving the county opinion or the city decision. "
        "A move refused in this state or by the case's data gives 409 transition_refused; one "
        "another user made first gives 409 stale_state."
    ),
)
def make_transition(
    request: HttpRequest, application_id: int, name: str, payload: TransitionIn | None = None
):
    application = get_application_for_user(request.auth, application_id, "transition")
    move = MOVES.get(name)
    if move is None:
        raise Http404
    with transition_refusals():
        move(request.auth, application, payload or TransitionIn())
    return _detail(request.auth, application_id)


# --- Operations: guidance and corrections ---------------------------------------------


@router.get(
    "/{int:application_id}/guidance",
    response={200: list[GuidanceOut], **ERRORS},
    summary=gettext_lazy("The regulators' guidance"),
    description=gettext_lazy("Oldest first."),
)
def list_guidance(request: HttpRequest, application_id: int):
    application = get_application_for_user(request.auth, application_id)
    return [
        {"id": g.pk, "author": _name(g.author), "text": g.text, "created_at": g.created_at}
        for g in application.guidance.select_related("author").order_by("created_at", "pk")
    ]


@router.post(
    "/{int:application_id}/guidance",
    response={201: GuidanceOut, **WITH_CONFLICT},
    summary=gettext_lazy("Write guidance"),
    description=gettext_lazy(
        "County and city regulators in scope, while the case is open; the enterprise is told."
    ),
)
def add_guidance(request: HttpRequest, application_id: int, payload: GuidanceIn):
    application = get_application_for_user(request.auth, application_id, "guide")
    row = services.guidance_add(actor=request.auth, application=application, text=payload.text)
    return Respond(
        201, {"id": row.pk, "author": _name(row.author), "text": row.text, "created_at": row.created_at}
    )


@router.post(
    "/{int:application_id}/corrections/items/{int:item_id}/answer",
    response={200: CorrectionItemOut, **WITH_CONFLICT},
    summary=gettext_lazy("Answer an item of a correction notice"),
    description=gettext_lazy(
        "The addressee of the notice (the enterprise, or the county), while it is open."
    ),
)
def answer_correction(request: HttpRequest, application_id: int, item_id: int, payload: AnswerIn):
    application = get_application_for_user(request.auth, application_id)
    item = _correction_item(application, item_id)
    return _item_out(services.correction_answer(actor=request.auth, item=item, answer=payload.answer))


@router.post(
    "/{int:application_id}/corrections/items/{int:item_id}/check",
    response={200: CorrectionItemOut, **WITH_CONFLICT},
    summary=gettext_lazy("Accept or reopen an answer"),
    description=gettext_lazy("The reviewer of the stage that issued the notice."),
)
def check_correction(request: HttpRequest, application_id: int, item_id: int, payload: CheckIn):
    application = get_application_for_user(request.auth, application_id)
    item = _correction_item(application, item_id)
    return _item_out(services.correction_check(actor=request.auth, item=item, accepted=payload.accepted))


# --- Operations: the county opinion ---------------------------------------------------


def _county_panel(user, application_id: int) -> dict[str, Any]:
    application = get_application_for_user(user, application_id)
    opinion = _latest_county_opinion(application, user)
    reviewing = can_county_review(user, application) and user.role in COUNTY_ROLES
    return {
        "opinion": _county_opinion_out(opinion),
        "can_edit": bool(reviewing and (opinion is None or opinion.status != OpinionStatus.SUBMITTED)),
        "available_transitions": _transitions(opinion, COUNTY_OPINION_FLOW, user)
        if reviewing and opinion is not None and opinion.status != OpinionStatus.APPROVED
        else [],
    }


def _current_opinion(application: GradingApplication) -> CountyOpinion:
    opinion = services.current_county_opinion(application)
    if opinion is None:
        raise DomainError(_("Nothing is in progress here: save a draft first."), code="transition_refused")
    return opinion


@router.get(
    "/{int:application_id}/county-opinion",
    response={200: CountyOpinionPanelOut, **ERRORS},
    summary=gettext_lazy("The preliminary review opinion"),
    description=gettext_lazy(
        "The latest opinion with what you may do with it; the enterprise sees only approved opinions."
    ),
)
def get_county_opinion(request: HttpRequest, application_id: int):
    return _county_panel(request.auth, application_id)


@router.put(
    "/{int:application_id}/county-opinion",
    response={200: CountyOpinionPanelOut, **WITH_CONFLICT},
    summary=gettext_lazy("Save the draft of the preliminary review opinion"),
    description=gettext_lazy(
        "County officers and chiefs, during the preliminary review. Fields left out keep their value; "
        "after an approval, saving starts the next round."
    ),
)
def save_county_opinion(request: HttpRequest, application_id: int, payload: CountyOpinionIn):
    application = get_application_for_user(request.auth, application_id, "county_review")
    services.county_opinion_save(actor=request.auth, application=application, data=_payload(payload))
    return _county_panel(request.auth, application_id)


@router.post(
    "/{int:application_id}/county-opinion/submit",
    response={200: CountyOpinionPanelOut, **WITH_CONFLICT},
    summary=gettext_lazy("Submit the opinion to the county chief"),
    description=gettext_lazy("Only an opinion that agrees to forward, with every check filled in."),
)
def submit_county_opinion(request: HttpRequest, application_id: int, payload: CommentIn | None = None):
    application = get_application_for_user(request.auth, application_id, "county_review")
    with transition_refusals():
        services.county_opinion_submit(
            actor=request.auth, opinion=_current_opinion(application), comment=_comment(payload)
        )
    return _county_panel(request.auth, application_id)


@router.post(
    "/{int:application_id}/county-opinion/send-back",
    response={200: CountyOpinionPanelOut, **WITH_CONFLICT},
    summary=gettext_lazy("Send the opinion back to the officer"),
    description=gettext_lazy("The county chief; the comment (required) says what to change."),
)
def send_back_county_opinion(request: HttpRequest, application_id: int, payload: CommentIn | None = None):
    application = get_application_for_user(request.auth, application_id, "county_review")
    with transition_refusals():
        services.county_opinion_send_back(
            actor=request.auth, opinion=_current_opinion(application), comment=_comment(payload)
        )
    return _county_panel(request.auth, application_id)


@router.post(
    "/{int:application_id}/county-opinion/approve",
    response={200: CountyOpinionPanelOut, **WITH_CONFLICT},
    summary=gettext_lazy("Approve the opinion and forward to the city"),
    description=gettext_lazy("The county chief; the application goes to the city's re-review."),
)
def approve_county_opinion(request: HttpRequest, application_id: int, payload: CommentIn | None = None):
    application = get_application_for_user(request.auth, application_id, "county_review")
    with transition_refusals():
        services.county_opinion_approve(
            actor=request.auth, opinion=_current_opinion(application), comment=_comment(payload)
        )
    return _county_panel(request.auth, application_id)


# --- Operations: the city decision ----------------------------------------------------


def _city_panel(user, application_id: int) -> dict[str, Any]:
    application = get_application_for_user(user, application_id)
    if _is_enterprise(user):
        raise PermissionDenied
    decision = _latest_city_decision(application, user)
    reviewing = can_city_review(user, application)
    return {
        "decision": _city_decision_out(decision),
        "can_edit": bool(reviewing and (decision is None or decision.status != OpinionStatus.SUBMITTED)),
        "available_transitions": _transitions(decision, CITY_DECISION_FLOW, user)
        if reviewing and decision is not None and decision.status != OpinionStatus.APPROVED
        else [],
    }


def _current_decision(application: GradingApplication) -> CityDecision:
    decision = services.current_city_decision(application)
    if decision is None:
        raise DomainError(_("Nothing is in progress here: save a draft first."), code="transition_refused")
    return decision


@router.get(
    "/{int:application_id}/city-decision",
    response={200: CityDecisionPanelOut, **ERRORS},
    summary=gettext_lazy("The re-review proposal"),
    description=gettext_lazy("The latest proposal with what you may do with it; regulators only."),
)
def get_city_decision(request: HttpRequest, application_id: int):
    return _city_panel(request.auth, application_id)


@router.put(
    "/{int:application_id}/city-decision",
    response={200: CityDecisionPanelOut, **WITH_CONFLICT},
    summary=gettext_lazy("Save the draft of the re-review proposal"),
    description=gettext_lazy(
        "The city section, during the re-review. Fields left out keep their value; after an "
        "approval, saving starts the next round."
    ),
)
def save_city_decision(request: HttpRequest, application_id: int, payload: CityDecisionIn):
    application = get_application_for_user(request.auth, application_id, "city_review")
    services.city_decision_save(actor=request.auth, application=application, data=_payload(payload))
    return _city_panel(request.auth, application_id)


@router.post(
    "/{int:application_id}/city-decision/submit",
    response={200: CityDecisionPanelOut, **WITH_CONFLICT},
    summary=gettext_lazy("Submit the proposal to the section chief"),
    description=gettext_lazy(
        "The proposal must be complete: a return lists its items, a refusal its reasons."
    ),
)
def submit_city_decision(request: HttpRequest, application_id: int, payload: CommentIn | None = None):
    application = get_application_for_user(request.auth, application_id, "city_review")
    with transition_refusals():
        services.city_decision_submit(
            actor=request.auth, decision=_current_decision(application), comment=_comment(payload)
        )
    return _city_panel(request.auth, application_id)


@router.post(
    "/{int:application_id}/city-decision/send-back",
    response={200: CityDecisionPanelOut, **WITH_CONFLICT},
    summary=gettext_lazy("Send the proposal back to the officer"),
    description=gettext_lazy("The section chief; the comment (required) says what to change."),
)
def send_back_city_decision(request: HttpRequest, application_id: int, payload: CommentIn | None = None):
    application = get_application_for_user(request.auth, application_id, "city_review")
    with transition_refusals():
        services.city_decision_send_back(
            actor=request.auth, decision=_current_decision(application), comment=_comment(payload)
        )
    return _city_panel(request.auth, application_id)


@router.post(
    "/{int:application_id}/city-decision/approve",
    response={200: CityDecisionPanelOut, **WITH_CONFLICT},
    summary=gettext_lazy("Approve the proposal"),
    description=gettext_lazy(
        "The section chief: the application is accepted, returned to the enterprise or the county, "
        "or not accepted, as proposed."
    ),
)
def approve_city_decision(request: HttpRequest, application_id: int, payload: CommentIn | None = None):
    application = get_application_for_user(request.auth, application_id, "city_review")
    with transition_refusals():
        services.city_decision_approve(
            actor=request.auth, decision=_current_decision(application), comment=_comment(payload)
        )
    return _city_panel(request.auth, application_id)


# --- Operations: history and documents ------------------------------------------------


@router.get(
    "/{int:application_id}/timeline",
    response={200: list[TimelineEntryOut], **ERRORS},
    summary=gettext_lazy("The case's history"),
    description=gettext_lazy(
        "Every move, generated document, uploaded file, guidance and correction notice, oldest first."
    ),
)
def get_timeline(request: HttpRequest, application_id: int):
    application = get_application_for_user(request.auth, application_id)
    return [
        {
            "at": e.at,
            "kind": e.kind,
            "title": str(e.title),
            "actor": e.actor,
            "comment": e.comment,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "url": _timeline_url(e.url_name, e.url_args),
            "details": list(e.details),
        }
        for e in application_timeline(application, user=request.auth)
    ]


@router.get(
    "/{int:application_id}/documents",
    response={200: list[GeneratedDocumentOut], **ERRORS},
    summary=gettext_lazy("The generated PDFs"),
    description=gettext_lazy(
        "Every version of every document the system produced for the case, newest first."
    ),
)
def list_documents(request: HttpRequest, application_id: int):
    application = get_application_for_user(request.auth, application_id)
    return [
        {
            "id": d.pk,
            "kind": d.kind,
            "kind_label": d.get_kind_display(),
            "version": d.version,
            "size": d.size,
            "sha256": d.sha256,
            "reason": d.reason,
            "created_by": _name(d.created_by),
            "created_at": d.created_at,
            "url": reverse("grading:document", args=[application.pk, d.pk]),
        }
        for d in application_documents(application, user=request.auth)
    ]
