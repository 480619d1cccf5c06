"""REST operations of rectification (/api/v1/rectification): the hazard ledger and its export,
a hazard's loop (start, progress, evidence, submit, verify), extensions, 督办, the 一企一策
plan with its gate, the application's rectification moves and the major-hazard clause table.

The same services, selectors and scoping as the pages: every read starts from
``rectification.permissions.visible_to`` (an outsider gets 404, another division's county
officer included), a wrong role gets 403, a refused rule 422 with the message per field, a
refused or overtaken move 409. Money travels as a string ("1200.50").
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

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
from enterprises.permissions import visible_to as enterprises_visible_to
from grading.models import GradingApplication
from grading.permissions import get_application_for_user
from lib.api import ERRORS, DomainError, ErrorOut, transition_refusals
from lib.pagination import COUNT_EXACT_HELP, COUNT_HELP, counted
from lib.uploads import stored_file_response
from lib.xlsx import XLSX_CONTENT_TYPE, xlsx_response
from rectification import domain, services
from rectification.exports import ledger_filename, render_ledger_xlsx
from rectification.models import (
    EscalationOrder,
    ExtensionRequest,
    Hazard,
    HazardEvidence,
    MajorHazardClause,
    RectificationPlan,
)
from rectification.permissions import (
    CITY_STAFF,
    get_hazard_for_user,
    get_plan_for_user,
    may_decide_extension,
    may_edit_plan_hazard,
    may_rectify,
    may_verify,
    plans_visible_to,
    visible_to,
)
from rectification.selectors import (
    LedgerFilters,
    enterprise_flagged,
    flagged_enterprises,
    ledger,
    plan_progress,
    with_flags,
)

router = Router(tags=["rectification"])
WITH_CONFLICT = {**ERRORS, 409: ErrorOut}

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
# Who records a hazard outside a plan: the enterprise itself (自查), a county or city regulator (执法).
RECORDERS = ENTERPRISE_ROLES | COUNTY_ROLES | CITY_STAFF

# Choices as inline literals (see enterprises/api.py): no shared components named "Status".
LevelCode = Literal[tuple(Hazard.Level.values)]
HazardStatusCode = Literal[tuple(Hazard.Status.values)]
SourceCode = Literal[tuple(Hazard.Source.values)]
EvidenceKindCode = Literal[tuple(HazardEvidence.Kind.values)]

_MONEY_OUT = gettext_lazy('Yuan as a string with two decimal places, e.g. "1200.50"; null when not given.')
_MONEY_IN = gettext_lazy('Yuan, at most two decimal places; send a string such as "1200.50".')

XLSX_RESPONSE = {
    "responses": {
        200: {
            "description": "OK",
            "content": {XLSX_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}
FILE_RESPONSE = {
    "responses": {
        200: {
            "description": "OK",
            "content": {
                kind: {"schema": {"type": "string", "format": "binary"}}
                for kind in ("image/jpeg", "image/png", "application/pdf")
            },
        }
    }
}


# --- Schemas ---------------------------------------------------------------------------------


class ClauseOut(Schema):
    id: int
    version: str
    article: int
    item: int | None = Field(description=gettext_lazy("Null: the article's head."))
    label: str
    industries: list[str] = Field(description=gettext_lazy("Industry codes; empty: every 工贸 industry."))
    text: str
    effective_from: date


class HazardOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str
    enterprise_flagged: bool = Field(
        description=gettext_lazy("A major hazard of the enterprise is under 督办.")
    )
    plan_id: int | None
    application_id: int | None
    source: SourceCode
    source_label: str
    item_code: str = Field(description=gettext_lazy("The scoring item it came from; empty if none."))
    description: str
    location: str
    level: LevelCode
    level_label: str
    basis_clause: ClauseOut | None
    requirement: str
    measures: str
    responsible_name: str
    responsible_phone: str
    deadline: date
    original_deadline: date = Field(description=gettext_lazy("The deadline first set; extensions keep it."))
    funds: str | None = Field(description=_MONEY_OUT)
    responsibility: str
    contingency_plan: str
    governance_plan: str
    five_assurances_missing: list[str] = Field(
        description=gettext_lazy("Of a major hazard: the five assurances still empty.")
    )
    status: HazardStatusCode
    status_label: str
    is_overdue: bool
    escalated: bool = Field(description=gettext_lazy("An open 督办 item follows it."))
    found_on: date
    submitted_by: str
    submitted_at: datetime | None
    verified_by: str
    verified_at: datetime | None
    verification_note: str


class HazardListOut(Schema):
    count: int = Field(description=COUNT_HELP)
    count_exact: bool = Field(description=COUNT_EXACT_HELP)
    items: list[HazardOut]


class HazardTransitionOut(Schema):
    transition: str
    from_state: str
    to_state: str
    actor: str
    comment: str
    created_at: datetime


class HazardProgressOut(Schema):
    id: int
    note: str
    percent: int | None
    author: str
    created_at: datetime


class HazardEvidenceOut(Schema):
    id: int
    kind: EvidenceKindCode
    kind_label: str
    original_name: str
    size: int
    sha256: str
    note: str
    uploaded_by: str
    uploaded_at: datetime
    url: str


class ExtensionOut(Schema):
    id: int
    hazard_id: int
    requested_deadline: date
    previous_deadline: date
    reason: str
    status: Literal[tuple(ExtensionRequest.Status.values)]
    status_label: str
    requested_by: str
    requested_at: datetime
    decided_by: str
    decided_at: datetime | None
    decision_note: str


class EscalationOut(Schema):
    id: int
    hazard_id: int
    enterprise_id: int
    enterprise_name: str
    hazard_description: str
    hazard_level: LevelCode
    hazard_deadline: date
    status: Literal[tuple(EscalationOrder.Status.values)]
    status_label: str
    reason: str
    opened_by: str = Field(
        description=gettext_lazy("Empty: opened by the system when the hazard went overdue.")
    )
    opened_at: datetime
    assessment: str
    resume_request: str
    closed_by: str
    closed_at: datetime | None


class HazardActionsOut(Schema):
    edit: bool
    rectify: bool = Field(
        description=gettext_lazy("Report progress, add evidence, submit, ask for an extension.")
    )
    verify: bool
    decide_extension: bool
    escalate: bool


class HazardDetailOut(HazardOut):
    actions: HazardActionsOut
    transitions: list[HazardTransitionOut]
    progress: list[HazardProgressOut]
    evidence: list[HazardEvidenceOut]
    extensions: list[ExtensionOut]
    escalations: list[EscalationOut]


class HazardListParams(Schema):
    level: LevelCode | None = None
    status: HazardStatusCode | None = None
    overdue: bool = Field(False, description=gettext_lazy("Only open hazards past their deadline."))
    industry: str = Field("", max_length=24, description=gettext_lazy("Industry code of the enterprise."))
    division: str = Field("", max_length=12, description=gettext_lazy("Code of a county-level division."))
    leader: int | None = Field(None, description=gettext_lazy("Id of the expert leading the plan's panel."))
    source: SourceCode | None = None
    enterprise: int | None = Field(None, description=gettext_lazy("Id of an enterprise."))
    q: str = Field(
        "", max_length=100, description=gettext_lazy("Words of the description or the enterprise name.")
    )
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0)


class LedgerExportParams(Schema):
    level: LevelCode | None = None
    status: HazardStatusCode | None = None
    overdue: bool = False
    industry: str = Field("", max_length=24)
    division: str = Field("", max_length=12)
    leader: int | None = None
    source: SourceCode | None = None
    enterprise: int | None = None
    q: str = Field("", max_length=100)


class HazardCreateIn(Schema):
    enterprise: int | None = Field(
        None,
        description=gettext_lazy("Id of an enterprise in your scope; an enterprise user's own by default."),
    )
    plan: int | None = Field(
        None,
        description=gettext_lazy("Id of a rectification plan: the panel leader (or the city) adds to it."),
    )
    description: str = Field(max_length=5000)
    location: str = Field("", max_length=200)
    level: LevelCode = Hazard.Level.GENERAL.value
    basis_clause: int | None = Field(
        None,
        description=gettext_lazy("Id of a clause of the judgment standard; required for a major hazard."),
    )
    item_code: str = Field("", max_length=32)
    requirement: str = Field("", max_length=5000)
    measures: str = Field("", max_length=5000)
    responsible_name: str = Field("", max_length=64)
    responsible_phone: str = Field("", max_length=32)
    deadline: date | None = Field(
        None, description=gettext_lazy("Default: the rectification limit in working days from the day found.")
    )
    funds: Decimal | None = Field(None, description=_MONEY_IN)
    responsibility: str = Field("", max_length=5000)
    contingency_plan: str = Field("", max_length=5000)
    governance_plan: str = Field("", max_length=5000)
    found_on: date | None = None


# Every field is optional: fields left out keep their value.
class HazardUpdateIn(Schema):
    description: str | None = Field(None, max_length=5000)
    location: str | None = Field(None, max_length=200)
    level: LevelCode | None = None
    basis_clause: int | None = Field(None, description=gettext_lazy("Null clears it (a general hazard)."))
    item_code: str | None = Field(None, max_length=32)
    requirement: str | None = Field(None, max_length=5000)
    measures: str | None = Field(None, max_length=5000)
    responsible_name: str | None = Field(None, max_length=64)
    responsible_phone: str | None = Field(None, max_length=32)
    deadline: date | None = Field(
        None,
        description=gettext_lazy("While the hazard is to be rectified; later only through an extension."),
    )
    funds: Decimal | None = Field(None, description=_MONEY_IN)
    responsibility: str | None = Field(None, max_length=5000)
    contingency_plan: str | None = Field(None, max_length=5000)
    governance_plan: str | None = Field(None, max_length=5000)


class RectificationCommentIn(Schema):
    comment: str = Field("", max_length=2000)


class HazardProgressIn(Schema):
    note: str = Field(max_length=5000)
    percent: int | None = Field(None, ge=0, le=100)


class HazardVerifyIn(Schema):
    passed: bool
    note: str = Field(max_length=5000, description=gettext_lazy("The verification opinion (required)."))


class ExtensionIn(Schema):
    requested_deadline: date
    reason: str = Field(max_length=2000)


class ExtensionDecideIn(Schema):
    approve: bool
    note: str = Field("", max_length=2000, description=gettext_lazy("Required when refusing."))


class EscalateIn(Schema):
    reason: str = Field(max_length=200)


class EscalationCloseIn(Schema):
    assessment: str = Field(max_length=5000)
    resume_request: str = Field(
        max_length=5000, description=gettext_lazy("The enterprise's written request to resume.")
    )


class EscalationListParams(Schema):
    status: Literal[tuple(EscalationOrder.Status.values)] = EscalationOrder.Status.OPEN.value
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0)


class EscalationListOut(Schema):
    count: int
    items: list[EscalationOut]


class RectificationConfirmIn(Schema):
    passed: bool = Field(description=gettext_lazy("True: confirm (gated on the plan); false: send back."))
    comment: str = Field(max_length=2000, description=gettext_lazy("The rectification check opinion."))


class RectificationFailIn(Schema):
    reason: str = Field(max_length=2000)


class PlanProgressOut(Schema):
    total: int
    closed: int
    awaiting: int
    overdue: int
    open_major: int
    percent: int


class PlanGateOut(Schema):
    open: bool = Field(description=gettext_lazy("Whether the application may move on to publicity."))
    rule: Literal["closed", "general_only", "blocked"]
    rule_label: str
    still_open: list[int] = Field(description=gettext_lazy("Ids of the hazards not yet closed."))
    blocking: list[int] = Field(description=gettext_lazy("Ids of the hazards that keep the gate shut."))


class PlanOut(Schema):
    id: int
    application_id: int
    application_number: str
    application_status: str
    application_status_label: str
    enterprise_id: int
    enterprise_name: str
    enterprise_flagged: bool
    status: Literal[tuple(RectificationPlan.Status.values)]
    status_label: str
    summary: str
    issued_by: str
    issued_at: datetime
    closed_at: datetime | None
    progress: PlanProgressOut
    gate: PlanGateOut
    hazards: list[HazardOut]


class RectificationOut(Schema):
    application_id: int
    application_status: str
    application_status_label: str
    plan: PlanOut | None


# --- Helpers ---------------------------------------------------------------------------------


def _who(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def _clause(clause: MajorHazardClause | None) -> dict | None:
    if clause is None:
        return None
    return {
        "id": clause.pk,
        "version": clause.version,
        "article": clause.article,
        "item": clause.item,
        "label": str(clause),
        "industries": list(clause.industries or []),
        "text": clause.text,
        "effective_from": clause.effective_from,
    }


def _flagged(enterprise_id: int, cache: dict[int, bool]) -> bool:
    if enterprise_id not in cache:
        cache[enterprise_id] = enterprise_flagged(enterprise_id)
    return cache[enterprise_id]


def _hazard(hazard: Hazard, *, today: date, flags: dict[int, bool]) -> dict:
    """The hazard as ``HazardOut``; uses the selector's annotations when present."""
    overdue = getattr(hazard, "is_overdue", None)
    if overdue is None:
        overdue = domain.is_overdue(hazard.status, hazard.deadline, today)
    escalated = getattr(hazard, "escalated", None)
    if escalated is None:
        escalated = hazard.escalations.filter(status=EscalationOrder.Status.OPEN).exists()
    return {
        "id": hazard.pk,
        "enterprise_id": hazard.enterprise_id,
        "enterprise_name": hazard.enterprise.name,
        "enterprise_flagged": _flagged(hazard.enterprise_id, flags),
        "plan_id": hazard.plan_id,
        "application_id": hazard.plan.application_id if hazard.plan_id else None,
        "source": hazard.source,
        "source_label": hazard.get_source_display(),
        "item_code": hazard.item.code if hazard.item_id else "",
        "description": hazard.description,
        "location": hazard.location,
        "level": hazard.level,
        "level_label": hazard.get_level_display(),
        "basis_clause": _clause(hazard.basis_clause),
        "requirement": hazard.requirement,
        "measures": hazard.measures,
        "responsible_name": hazard.responsible_name,
        "responsible_phone": hazard.responsible_phone,
        "deadline": hazard.deadline,
        "original_deadline": hazard.original_deadline,
        "funds": _money(hazard.funds),
        "responsibility": hazard.responsibility,
        "contingency_plan": hazard.contingency_plan,
        "governance_plan": hazard.governance_plan,
        "five_assurances_missing": [str(m) for m in services.five_assurances_missing(hazard)],
        "status": hazard.status,
        "status_label": hazard.get_status_display(),
        "is_overdue": bool(overdue),
        "escalated": bool(escalated),
        "found_on": hazard.found_on,
        "submitted_by": _who(hazard.submitted_by),
        "submitted_at": hazard.submitted_at,
        "verified_by": _who(hazard.verified_by),
        "verified_at": hazard.verified_at,
        "verification_note": hazard.verification_note,
    }


def _evidence(row: HazardEvidence) -> dict:
    return {
        "id": row.pk,
        "kind": row.kind,
        "kind_label": row.get_kind_display(),
        "original_name": row.original_name,
        "size": row.size,
        "sha256": row.sha256,
        "note": row.note,
        "uploaded_by": _who(row.uploaded_by),
        "uploaded_at": row.uploaded_at,
        "url": reverse("api:hazard_evidence_file", args=[row.hazard_id, row.pk]),
    }


def _extension(row: ExtensionRequest) -> dict:
    return {
        "id": row.pk,
        "hazard_id": row.hazard_id,
        "requested_deadline": row.requested_deadline,
        "previous_deadline": row.previous_deadline,
        "reason": row.reason,
        "status": row.status,
        "status_label": row.get_status_display(),
        "requested_by": _who(row.requested_by),
        "requested_at": row.requested_at,
        "decided_by": _who(row.decided_by),
        "decided_at": row.decided_at,
        "decision_note": row.decision_note,
    }


def _escalation(row: EscalationOrder) -> dict:
    hazard = row.hazard
    return {
        "id": row.pk,
        "hazard_id": hazard.pk,
        "enterprise_id": hazard.enterprise_id,
        "enterprise_name": hazard.enterprise.name,
        "hazard_description": hazard.description,
        "hazard_level": hazard.level,
        "hazard_deadline": hazard.deadline,
        "status": row.status,
        "status_label": row.get_status_display(),
        "reason": row.reason,
        "opened_by": _who(row.opened_by),
        "opened_at": row.opened_at,
        "assessment": row.assessment,
        "resume_request": row.resume_request,
        "closed_by": _who(row.closed_by),
        "closed_at": row.closed_at,
    }


def _hazard_row(user, pk: int) -> Hazard:
    """The hazard, scoped (404 outside), with the ledger's annotations."""
    get_hazard_for_user(user, pk)
    return (
        with_flags(Hazard.objects.filter(pk=pk))
        .select_related("enterprise", "plan", "basis_clause", "item", "submitted_by", "verified_by")
        .get()
    )


def _detail(user, pk: int) -> dict:
    hazard = _hazard_row(user, pk)
    today = timezone.localdate()
    return {
        **_hazard(hazard, today=today, flags={}),
        "actions": {
            "edit": hazard.status != Hazard.Status.CLOSED and may_edit_plan_hazard(user, hazard),
            "rectify": hazard.status != Hazard.Status.CLOSED and may_rectify(user, hazard),
            "verify": hazard.status == Hazard.Status.AWAITING_VERIFICATION and may_verify(user, hazard),
            "decide_extension": may_decide_extension(user, hazard),
            "escalate": hazard.status != Hazard.Status.CLOSED and user.role in CITY_STAFF,
        },
        "transitions": [
            {
                "transition": t.transition,
                "from_state": t.from_state,
                "to_state": t.to_state,
                "actor": _who(t.actor),
                "comment": t.comment,
                "created_at": t.created_at,
            }
            for t in hazard.transitions.select_related("actor")
        ],
        "progress": [
            {
                "id": p.pk,
                "note": p.note,
                "percent": p.percent,
                "author": _who(p.author),
                "created_at": p.created_at,
            }
            for p in hazard.progress.select_related("author")
        ],
        "evidence": [_evidence(e) for e in hazard.evidence.select_related("uploaded_by")],
        "extensions": [_extension(x) for x in hazard.extensions.select_related("requested_by", "decided_by")],
        "escalations": [
            _escalation(o)
            for o in hazard.escalations.select_related("hazard__enterprise", "opened_by", "closed_by")
        ],
    }


GATE_RULES = {
    "closed": gettext_lazy("Every hazard of the plan is closed."),
    "general_only": gettext_lazy(
        "Only general hazards remain open and none is overdue; the parameter allows it."
    ),
    "blocked": gettext_lazy("Open hazards keep the application from moving on."),
}


def _plan(plan: RectificationPlan) -> dict:
    today = timezone.localdate()
    application = plan.application
    progress = plan_progress(plan, today)
    gate = services.plan_gate(application, today)
    hazards = with_flags(plan.hazards.all(), today).select_related(
        "enterprise", "plan", "basis_clause", "item", "submitted_by", "verified_by"
    )
    flags: dict[int, bool] = {}
    return {
        "id": plan.pk,
        "application_id": application.pk,
        "application_number": application.number,
        "application_status": application.status,
        "application_status_label": application.get_status_display(),
        "enterprise_id": plan.enterprise_id,
        "enterprise_name": plan.enterprise.name,
        "enterprise_flagged": _flagged(plan.enterprise_id, flags),
        "status": plan.status,
        "status_label": plan.get_status_display(),
        "summary": plan.summary,
        "issued_by": _who(plan.issued_by),
        "issued_at": plan.issued_at,
        "closed_at": plan.closed_at,
        "progress": {
            "total": progress.total,
            "closed": progress.closed,
            "awaiting": progress.awaiting,
            "overdue": progress.overdue,
            "open_major": progress.open_major,
            "percent": progress.percent,
        },
        "gate": {
            "open": gate.open,
            "rule": gate.rule,
            "rule_label": str(GATE_RULES.get(gate.rule, gate.rule)),
            "still_open": list(gate.still_open),
            "blocking": list(gate.blocking),
        },
        "hazards": [_hazard(h, today=today, flags=flags) for h in hazards.order_by("deadline", "pk")],
    }


def _rectification(user, application: GradingApplication) -> dict:
    application.refresh_from_db(fields=["status"])
    plan = (
        plans_visible_to(user)
        .filter(application=application)
        .select_related("enterprise", "issued_by")
        .first()
    )
    if plan is not None:
        plan.application = application
    return {
        "application_id": application.pk,
        "application_status": application.status,
        "application_status_label": application.get_status_display(),
        "plan": _plan(plan) if plan is not None else None,
    }


def _filters(params) -> LedgerFilters:
    return LedgerFilters(
        level=params.level or "",
        status=params.status or "",
        overdue=params.overdue,
        industry=params.industry.strip(),
        division=params.division.strip(),
        leader=params.leader,
        source=params.source or "",
        enterprise=params.enterprise,
        q=params.q.strip(),
    )


def _hazard_in(data: dict) -> services.HazardIn:
    if "basis_clause" in data:
        data["basis_clause_id"] = data.pop("basis_clause") or 0
    return services.HazardIn(**data)


def _enterprise_for_create(user, payload: HazardCreateIn, plan: RectificationPlan | None) -> Enterprise:
    if plan is not None:
        if payload.enterprise is not None and payload.enterprise != plan.enterprise_id:
            raise ValidationError({"enterprise": [_("The plan belongs to another enterprise.")]})
        return plan.enterprise
    if payload.enterprise is None:
        if user.role in ENTERPRISE_ROLES:
            enterprise = Enterprise.objects.filter(organisation_id=user.organisation_id).first()
            if enterprise is not None:
                return enterprise
        raise ValidationError({"enterprise": [_("Choose the enterprise.")]})
    enterprise = enterprises_visible_to(user).filter(pk=payload.enterprise).first()
    if enterprise is None:
        raise ValidationError(
            {
                "enterprise": [
                    _("There is no enterprise with the id %(id)s in your scope.") % {"id": payload.enterprise}
                ]
            }
        )
    return enterprise


# --- Operations: the ledger ------------------------------------------------------------------


@router.get(
    "/hazards",
    response={200: HazardListOut, **ERRORS},
    summary=gettext_lazy("The hazard ledger"),
    description=gettext_lazy(
        "The hazards you may see (the city all, a county its division, an enterprise its own, a "
        "panel leader those of the plans he leads), in deadline order, with the ledger's filters."
    ),
)
def list_hazards(request: HttpRequest, params: Query[HazardListParams]):
    today = timezone.localdate()
    qs = ledger(user=request.auth, filters=_filters(params), today=today).prefetch_related(
        "plan", "submitted_by"
    )
    rows = list(qs[params.offset : params.offset + params.limit])
    flagged = flagged_enterprises(h.enterprise_id for h in rows)
    flags = {h.enterprise_id: h.enterprise_id in flagged for h in rows}
    return {**counted(qs), "items": [_hazard(h, today=today, flags=flags) for h in rows]}


@router.get(
    "/hazards/export.xlsx",
    response=ERRORS,
    summary=gettext_lazy("Export the hazard ledger as Excel"),
    description=gettext_lazy(
        "The ledger with the same filters, in the ledger layout: No., description, level, basis "
        "clause, requirement, measures, responsible person, deadline, funds, status, verifier, "
        "verification date."
    ),
    openapi_extra=XLSX_RESPONSE,
)
def export_hazards(request: HttpRequest, params: Query[LedgerExportParams]):
    today = timezone.localdate()
    hazards = ledger(user=request.auth, filters=_filters(params), today=today)
    return xlsx_response(render_ledger_xlsx(hazards.iterator(chunk_size=1000), today), ledger_filename(today))


@router.post(
    "/hazards",
    response={201: HazardDetailOut, **ERRORS},
    summary=gettext_lazy("Record a hazard"),
    description=gettext_lazy(
        "An enterprise records one it found itself; a county or city officer one found on "
        "inspection; the panel leader (or the city) adds one to a plan. A major hazard cites "
        "its clause of the judgment standard."
    ),
)
def create_hazard(request: HttpRequest, payload: HazardCreateIn):
    user = request.auth
    plan = get_plan_for_user(user, payload.plan) if payload.plan is not None else None
    if plan is None and user.role not in RECORDERS:
        raise PermissionDenied
    enterprise = _enterprise_for_create(user, payload, plan)
    data = payload.model_dump(exclude={"enterprise", "plan"})
    hazard = services.hazard_create(actor=user, enterprise=enterprise, data=_hazard_in(data), plan=plan)
    return Respond(201, _detail(user, hazard.pk))


@router.get(
    "/hazards/{int:hazard_id}",
    response={200: HazardDetailOut, **ERRORS},
    summary=gettext_lazy("One hazard with its history"),
    description=gettext_lazy(
        "The hazard, what you may do with it, its moves, progress reports, evidence, "
        "extension requests and 督办 items."
    ),
)
def get_hazard(request: HttpRequest, hazard_id: int):
    return _detail(request.auth, hazard_id)


@router.patch(
    "/hazards/{int:hazard_id}",
    response={200: HazardDetailOut, **ERRORS},
    summary=gettext_lazy("Change a hazard"),
    description=gettext_lazy(
        "While it is open. The finding side (the plan's leader or the city; the recorder for "
        "the enterprise's own register) sets the finding, level, basis and deadline; the "
        "enterprise sets how it fixes it. Fields left out keep their value; others' fields are ignored."
    ),
)
def update_hazard(request: HttpRequest, hazard_id: int, payload: HazardUpdateIn):
    hazard = get_hazard_for_user(request.auth, hazard_id)
    changes = payload.model_dump(exclude_unset=True)
    empty = [name for name, value in changes.items() if value is None and name != "basis_clause"]
    if empty:
        raise ValidationError({name: [_("This field cannot be empty.")] for name in empty})
    services.hazard_update(actor=request.auth, hazard=hazard, data=_hazard_in(changes))
    return _detail(request.auth, hazard_id)


# --- Operations: the loop --------------------------------------------------------------------


@router.post(
    "/hazards/{int:hazard_id}/start",
    response={200: HazardDetailOut, **WITH_CONFLICT},
    summary=gettext_lazy("Start the rectification"),
    description=gettext_lazy("The enterprise: to be rectified → being rectified."),
)
def start_hazard(request: HttpRequest, hazard_id: int):
    hazard = get_hazard_for_user(request.auth, hazard_id)
    with transition_refusals():
        services.hazard_start(actor=request.auth, hazard=hazard)
    return _detail(request.auth, hazard_id)


@router.post(
    "/hazards/{int:hazard_id}/progress",
    response={201: HazardProgressOut, **WITH_CONFLICT},
    summary=gettext_lazy("Report progress"),
    description=gettext_lazy("The enterprise; reporting on a hazard still to be rectified starts it."),
)
def add_progress(request: HttpRequest, hazard_id: int, payload: HazardProgressIn):
    hazard = get_hazard_for_user(request.auth, hazard_id)
    with transition_refusals():
        row = services.hazard_progress_add(
            actor=request.auth, hazard=hazard, note=payload.note, percent=payload.percent
        )
    return Respond(
        201,
        {
            "id": row.pk,
            "note": row.note,
            "percent": row.percent,
            "author": _who(row.author),
            "created_at": row.created_at,
        },
    )


@router.post(
    "/hazards/{int:hazard_id}/evidence",
    response={201: HazardEvidenceOut, **ERRORS},
    summary=gettext_lazy("Add evidence"),
    description=gettext_lazy(
        "Multipart: the kind (before, after or document) in the field kind, an optional note, "
        "and the file (PDF, JPEG or PNG, checked by its content, at most 20 MB) in the field file."
    ),
)
def add_evidence(
    request: HttpRequest,
    hazard_id: int,
    kind: Form[EvidenceKindCode],
    file: File[UploadedFile],
    note: Form[str] = "",
):
    hazard = get_hazard_for_user(request.auth, hazard_id)
    row = services.hazard_evidence_add(actor=request.auth, hazard=hazard, file=file, kind=kind, note=note)
    return Respond(201, _evidence(row))


@router.get(
    "/hazards/{int:hazard_id}/evidence/{int:evidence_id}/file",
    response=ERRORS,
    url_name="hazard_evidence_file",
    summary=gettext_lazy("Download a piece of evidence"),
    description=gettext_lazy("The file as uploaded, as an attachment with its original name."),
    openapi_extra=FILE_RESPONSE,
)
def download_evidence(request: HttpRequest, hazard_id: int, evidence_id: int):
    hazard = get_hazard_for_user(request.auth, hazard_id)
    row = HazardEvidence.objects.filter(pk=evidence_id, hazard=hazard).first()
    if row is None:
        raise Http404
    return stored_file_response(row.file, row.original_name)


@router.post(
    "/hazards/{int:hazard_id}/submit",
    response={200: HazardDetailOut, **WITH_CONFLICT},
    summary=gettext_lazy("Submit the fix for verification"),
    description=gettext_lazy(
        "The enterprise. Refused (422) without evidence of the fix (a photo after it or a "
        "document), and for a major hazard without its five assurances."
    ),
)
def submit_hazard(request: HttpRequest, hazard_id: int, payload: RectificationCommentIn | None = None):
    hazard = get_hazard_for_user(request.auth, hazard_id)
    with transition_refusals():
        services.hazard_submit(actor=request.auth, hazard=hazard, comment=payload.comment if payload else "")
    return _detail(request.auth, hazard_id)


@router.post(
    "/hazards/{int:hazard_id}/verify",
    response={200: HazardDetailOut, **WITH_CONFLICT},
    summary=gettext_lazy("Verify the fix"),
    description=gettext_lazy(
        "The verifier (the panel leader for a plan's hazards) closes the hazard or sends it "
        "back with the reason. The person who submitted the fix or added its evidence can "
        "never verify it (422)."
    ),
)
def verify_hazard(request: HttpRequest, hazard_id: int, payload: HazardVerifyIn):
    hazard = get_hazard_for_user(request.auth, hazard_id)
    with transition_refusals():
        services.hazard_verify(actor=request.auth, hazard=hazard, passed=payload.passed, note=payload.note)
    return _detail(request.auth, hazard_id)


# --- Operations: extensions ------------------------------------------------------------------


@router.post(
    "/hazards/{int:hazard_id}/extensions",
    response={201: ExtensionOut, **ERRORS},
    summary=gettext_lazy("Request an extension"),
    description=gettext_lazy(
        "The enterprise, with its reason; the city decides. The original deadline stays on record."
    ),
)
def request_extension(request: HttpRequest, hazard_id: int, payload: ExtensionIn):
    hazard = get_hazard_for_user(request.auth, hazard_id)
    row = services.extension_request(
        actor=request.auth,
        hazard=hazard,
        requested_deadline=payload.requested_deadline,
        reason=payload.reason,
    )
    return Respond(201, _extension(row))


@router.post(
    "/extensions/{int:extension_id}/decide",
    response={200: ExtensionOut, **WITH_CONFLICT},
    summary=gettext_lazy("Decide an extension request"),
    description=gettext_lazy(
        "The city (a major hazard's: the chief). Approving moves the deadline; the original "
        "stays on the hazard. A refusal needs its reason. A request already decided gives 409."
    ),
)
def decide_extension(request: HttpRequest, extension_id: int, payload: ExtensionDecideIn):
    row = ExtensionRequest.objects.filter(pk=extension_id, hazard__in=visible_to(request.auth)).first()
    if row is None:
        raise Http404
    decided = services.extension_decide(
        actor=request.auth, extension=row, approve=payload.approve, note=payload.note
    )
    if not decided:
        raise DomainError(_("This request has already been decided."), code="already_decided")
    row = ExtensionRequest.objects.select_related("requested_by", "decided_by").get(pk=row.pk)
    return _extension(row)


# --- Operations: 督办 ------------------------------------------------------------------------


@router.post(
    "/hazards/{int:hazard_id}/escalate",
    response={201: EscalationOut, 200: EscalationOut, **ERRORS},
    summary=gettext_lazy("Open a 督办 item"),
    description=gettext_lazy(
        "The city puts an open hazard under its supervision (an overdue major hazard gets one "
        "from the system). An item already open is returned as it is (200)."
    ),
)
def escalate_hazard(request: HttpRequest, hazard_id: int, payload: EscalateIn):
    hazard = get_hazard_for_user(request.auth, hazard_id)
    existed = EscalationOrder.objects.filter(hazard=hazard, status=EscalationOrder.Status.OPEN).exists()
    order = services.escalation_open(actor=request.auth, hazard=hazard, reason=payload.reason)
    order = EscalationOrder.objects.select_related("hazard__enterprise", "opened_by", "closed_by").get(
        pk=order.pk
    )
    return Respond(200 if existed else 201, _escalation(order))


@router.post(
    "/escalations/{int:escalation_id}/close",
    response={200: EscalationOut, **WITH_CONFLICT},
    summary=gettext_lazy("Close a 督办 item"),
    description=gettext_lazy(
        "The city, with the rectification assessment and the enterprise's written request to "
        "resume. An item already closed gives 409."
    ),
)
def close_escalation(request: HttpRequest, escalation_id: int, payload: EscalationCloseIn):
    order = EscalationOrder.objects.filter(pk=escalation_id, hazard__in=visible_to(request.auth)).first()
    if order is None:
        raise Http404
    closed = services.escalation_close(
        actor=request.auth, order=order, assessment=payload.assessment, resume_request=payload.resume_request
    )
    if not closed:
        raise DomainError(_("This 督办 item is already closed."), code="already_closed")
    order = EscalationOrder.objects.select_related("hazard__enterprise", "opened_by", "closed_by").get(
        pk=order.pk
    )
    return _escalation(order)


@router.get(
    "/escalations",
    response={200: EscalationListOut, **ERRORS},
    summary=gettext_lazy("The 督办 items"),
    description=gettext_lazy("The open (or closed) 督办 items of the hazards you may see, newest first."),
)
def list_escalations(request: HttpRequest, params: Query[EscalationListParams]):
    qs = (
        EscalationOrder.objects.filter(hazard__in=visible_to(request.auth), status=params.status)
        .select_related("hazard__enterprise", "opened_by", "closed_by")
        .order_by("-opened_at", "-pk")
    )
    return {
        "count": qs.count(),
        "items": [_escalation(o) for o in qs[params.offset : params.offset + params.limit]],
    }


# --- Operations: the plan and the application's rectification moves ----------------------------


@router.get(
    "/plans/{int:plan_id}",
    response={200: PlanOut, **ERRORS},
    summary=gettext_lazy("One rectification plan (一企一策)"),
    description=gettext_lazy(
        "The plan, its progress, its gate to publicity (which rule holds, what is still open) and its hazards."
    ),
)
def get_plan(request: HttpRequest, plan_id: int):
    plan = get_plan_for_user(request.auth, plan_id)
    return _plan(plan)


@router.get(
    "/applications/{int:application_id}/rectification",
    response={200: RectificationOut, **ERRORS},
    summary=gettext_lazy("An application's rectification"),
    description=gettext_lazy("The application's status and its plan (null before a review made one)."),
)
def get_rectification(request: HttpRequest, application_id: int):
    application = get_application_for_user(request.auth, application_id, "view")
    return _rectification(request.auth, application)


@router.post(
    "/applications/{int:application_id}/rectification/submit",
    response={200: RectificationOut, **WITH_CONFLICT},
    summary=gettext_lazy("Report the rectification done"),
    description=gettext_lazy(
        "The enterprise's principal, once every hazard of the plan is submitted for "
        "verification or closed: rectifying → rectification check."
    ),
)
def submit_rectification(
    request: HttpRequest, application_id: int, payload: RectificationCommentIn | None = None
):
    application = get_application_for_user(request.auth, application_id, "view")
    with transition_refusals():
        services.rectification_submit(
            actor=request.auth, application=application, comment=payload.comment if payload else ""
        )
    return _rectification(request.auth, application)


@router.post(
    "/applications/{int:application_id}/rectification/confirm",
    response={200: RectificationOut, **WITH_CONFLICT},
    summary=gettext_lazy("Confirm the rectification or send it back"),
    description=gettext_lazy(
        "The panel leader, with the check opinion: confirming moves the application to result "
        "confirmation only through the plan's gate (409 otherwise) and issues the rectification "
        "check opinion; sending back returns it to the enterprise."
    ),
)
def confirm_rectification(request: HttpRequest, application_id: int, payload: RectificationConfirmIn):
    application = get_application_for_user(request.auth, application_id, "view")
    with transition_refusals():
        services.rectification_confirm(
            actor=request.auth, application=application, passed=payload.passed, comment=payload.comment
        )
    return _rectification(request.auth, application)


@router.post(
    "/applications/{int:application_id}/rectification/fail",
    response={200: RectificationOut, **WITH_CONFLICT},
    summary=gettext_lazy("Decide the rectification failed"),
    description=gettext_lazy("The city chief, with the reasons: → not passed (the ban starts)."),
)
def fail_rectification(request: HttpRequest, application_id: int, payload: RectificationFailIn):
    application = get_application_for_user(request.auth, application_id, "view")
    with transition_refusals():
        services.rectification_fail(actor=request.auth, application=application, reason=payload.reason)
    return _rectification(request.auth, application)


# --- Operations: the clause table ------------------------------------------------------------


@router.get(
    "/clauses",
    response={200: list[ClauseOut], **ERRORS},
    summary=gettext_lazy("The major-hazard clauses"),
    description=gettext_lazy(
        "The clauses in use of 《工贸企业重大事故隐患判定标准》 (应急管理部令第10号) a major "
        "hazard cites; with industry, those for that industry and for every industry."
    ),
)
def list_clauses(request: HttpRequest, industry: str = ""):
    clauses = MajorHazardClause.objects.filter(active=True).order_by("version", "article", "item")
    rows = [_clause(c) for c in clauses]
    industry = industry.strip()
    if industry:
        rows = [r for r in rows if not r["industries"] or industry in r["industries"]]
    return rows
