"""REST operations of results for the staff (/api/v1/results): certificates, publicity batches and
their moves, objections and their check, revocation cases, and the enterprise's renewal.

The same permissions, selectors and services as the pages: batches and objections are the city
section's (the bureau leader reads them), certificates and revocation cases are read within the
user's scope (a county its division's, an enterprise its own certificates); an outsider gets 404,
a reader without the right 403, a refused rule 422 with the messages per field, a refused or
overtaken move 409. The public face (the portal's API) shows none of the objectors' details;
here only the city section's officer and chief read them. Scores travel as strings ("92.5").
"""

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema
from ninja import Status as Respond

from accounts.permissions import county_regions_for
from accounts.roles import COUNTY_ROLES, ENTERPRISE_ROLES, Role
from grading.models import GradeLevel, GradingApplication
from grading.permissions import visible_to as applications_visible_to
from lib.api import ERRORS, ErrorOut, transition_refusals
from lib.pagination import COUNT_EXACT_HELP, COUNT_HELP, counted
from lib.workflow import available_transitions
from results import domain, services
from results.models import (
    Announcement,
    Certificate,
    Objection,
    PublicityBatch,
    PublicityEntry,
    RevocationCase,
)
from results.permissions import (
    CERTIFICATE_READERS,
    CITY_READERS,
    CITY_STAFF,
    get_batch_for_user,
    get_certificate_for_user,
    get_objection_for_user,
    get_revocation_for_user,
    revocations_visible_to,
)
from results.selectors import (
    CertificateFilters,
    batch_entries,
    batch_list,
    certificate_list,
    certificate_state,
    objection_list,
    revocation_list,
    state_label,
)
from results.workflow import PUBLICITY_FLOW

router = Router(tags=["results"])
WITH_CONFLICT = {**ERRORS, 409: ErrorOut}
MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
CERTIFICATE_API_ROLES = CERTIFICATE_READERS | ENTERPRISE_ROLES
REVOCATION_READERS = CITY_READERS | COUNTY_ROLES
NO_DIVISION = "-"  # a division outside the user's scope: a path prefix no region has

# Choices as inline literals (see enterprises/api.py): no shared components named "Status".
StateCode = Literal[(domain.ACTIVE, domain.EXPIRING, domain.EXPIRED, domain.REVOKED, domain.SUPERSEDED)]
CertificateStatusCode = Literal[tuple(Certificate.Status.values)]
BatchStatusCode = Literal[tuple(PublicityBatch.Status.values)]
EntryOutcomeCode = Literal[tuple(PublicityEntry.Outcome.values)]
ObjectionStatusCode = Literal[tuple(Objection.Status.values)]
ObjectionOutcomeCode = Literal[("", *Objection.Outcome.values)]
GroundCode = Literal[tuple(RevocationCase.Ground.values)]
RevocationStatusCode = Literal[tuple(RevocationCase.Status.values)]
Level = Literal[tuple(GradeLevel.values)]

_SCORE = gettext_lazy('The score rate as a string with one decimal place, e.g. "92.5"; null when unknown.')


# --- Schemas ---------------------------------------------------------------------------------


class CertificateOut(Schema):
    id: int
    number: str
    enterprise_id: int
    enterprise_name: str = Field(description=gettext_lazy("As on the day of issue."))
    uscc: str
    division: str = Field(description=gettext_lazy("The enterprise's division today."))
    industry: str
    industry_label: str
    grade_level: Level
    grade_label: str
    issued_on: date
    expires_on: date
    status: CertificateStatusCode = Field(description=gettext_lazy("The stored status."))
    state: StateCode = Field(
        description=gettext_lazy(
            "The status with what the dates say: expiring inside the renewal window, expired."
        )
    )
    state_label: str
    revoked_on: date | None
    application_id: int | None = Field(
        description=gettext_lazy("Null for a certificate issued before the system.")
    )
    announcement_number: str
    pdf_url: str | None = Field(description=gettext_lazy("The certificate PDF; null while it is being made."))


class CertificateListOut(Schema):
    count: int = Field(description=COUNT_HELP)
    count_exact: bool = Field(description=COUNT_EXACT_HELP)
    items: list[CertificateOut]


class CertificateListParams(Schema):
    q: str = Field(
        "", max_length=100, description=gettext_lazy("Certificate number, enterprise name or USCC.")
    )
    state: StateCode | None = None
    industry: str = Field("", max_length=24, description=gettext_lazy("Industry code."))
    division: str = Field("", max_length=12, description=gettext_lazy("Code of a county-level division."))
    year: int | None = Field(None, ge=1990, le=2100, description=gettext_lazy("Year of issue."))
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0)


class RevocationCaseOut(Schema):
    id: int
    certificate_id: int
    certificate_number: str
    enterprise_name: str
    ground: GroundCode
    ground_label: str
    detail: str
    source: str = Field(description=gettext_lazy("What triggered a system flag, e.g. accident:12."))
    flagged_by_system: bool
    flagged_by: str = Field(description=gettext_lazy("Empty when the system flagged it."))
    flagged_at: datetime
    status: RevocationStatusCode
    status_label: str
    decision_reason: str
    decided_by: str
    decided_at: datetime | None
    ban_until: date | None
    announcement_number: str


class RevocationListOut(Schema):
    count: int
    items: list[RevocationCaseOut]


class RevocationListParams(Schema):
    status: RevocationStatusCode | None = None
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0)


class AnnualAssessmentOut(Schema):
    id: int
    year: int
    status: Literal["draft", "submitted"]
    status_label: str
    sheet_id: int
    percentage: str | None = Field(description=_SCORE)
    submitted_at: datetime | None


class CertificateDetailOut(CertificateOut):
    verify_url: str = Field(
        description=gettext_lazy("The public verification page; empty until the portal serves it.")
    )
    revocations: list[RevocationCaseOut] = Field(description=gettext_lazy("The cases you may see."))
    annual_assessments: list[AnnualAssessmentOut]
    renewal_problems: list[str] = Field(
        description=gettext_lazy("For the enterprise: why a renewal cannot be opened today (empty: it can).")
    )


class PublicityEntryOut(Schema):
    id: int
    application_id: int
    application_number: str
    enterprise_name: str
    region_name: str
    industry: str
    grade_level: Level
    percentage: str | None = Field(description=_SCORE)
    review_date: date | None
    outcome: EntryOutcomeCode
    outcome_label: str
    outcome_reason: str
    objection_count: int
    open_objection_count: int


class MoveLogOut(Schema):
    transition: str
    label: str
    from_state: str
    to_state: str
    actor: str = Field(description=gettext_lazy("Empty for the system."))
    comment: str
    created_at: datetime


class PublicityBatchOut(Schema):
    id: int
    number: str = Field(description=gettext_lazy("Given when the chief approves it."))
    title: str
    intro: str
    contact: str
    status: BatchStatusCode
    status_label: str
    starts_on: date | None
    ends_on: date | None = Field(description=gettext_lazy("The last day of the window (until 24:00)."))
    working_days: int | None
    entry_count: int
    open_objections: int
    created_by: str
    created_at: datetime
    submitted_at: datetime | None
    approved_by: str
    approved_at: datetime | None
    return_comment: str
    announcement_id: int | None
    announcement_number: str


class PublicityBatchListOut(Schema):
    count: int
    items: list[PublicityBatchOut]


class PublicityBatchListParams(Schema):
    status: BatchStatusCode | None = None
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0)


class PublicityBatchDetailOut(PublicityBatchOut):
    entries: list[PublicityEntryOut]
    transitions: list[MoveLogOut]
    actions: list[Literal["submit", "send_back", "approve", "announce"]] = Field(
        description=gettext_lazy("The moves you may make now.")
    )
    announce_problems: list[str] = Field(
        description=gettext_lazy("For the chief of a published batch: what stops the announcement today.")
    )


class PublicityBatchIn(Schema):
    title: str = Field(max_length=200)
    contact: str = Field(max_length=200, description=gettext_lazy("Where and how the public may object."))
    intro: str = Field("", max_length=4000)
    applications: list[int] = Field(
        description=gettext_lazy("Ids of applications awaiting result confirmation, in no other open batch.")
    )


class BatchCommentIn(Schema):
    comment: str = Field("", max_length=2000)


class BatchSendBackIn(Schema):
    comment: str = Field(max_length=2000, description=gettext_lazy("What is to be changed (required)."))


class BatchAnnounceIn(Schema):
    title: str = Field("", max_length=200, description=gettext_lazy("Empty: the standard title."))
    body: str = Field("", max_length=8000)


class AnnouncementBriefOut(Schema):
    id: int
    document_number: str
    title: str
    issued_on: date
    certificates: list[int] = Field(description=gettext_lazy("Ids of the certificates issued."))


class ObjectionCaseOut(Schema):
    id: int
    receipt_number: str
    entry_id: int
    batch_id: int
    application_id: int
    enterprise_name: str
    content: str
    received_at: datetime
    due_on: date | None
    status: ObjectionStatusCode
    status_label: str
    outcome: ObjectionOutcomeCode
    check_note: str
    checked_by: str
    checked_at: datetime | None
    attachments: int = Field(description=gettext_lazy("Number of files attached."))
    objector_name: str | None = Field(
        description=gettext_lazy("Confidential: null except for the city section.")
    )
    objector_contact: str | None = Field(
        description=gettext_lazy("Confidential: null except for the city section.")
    )


class ObjectionCaseListOut(Schema):
    count: int
    items: list[ObjectionCaseOut]


class ObjectionListParams(Schema):
    status: ObjectionStatusCode | None = None
    entry: int | None = Field(None, description=gettext_lazy("Id of a publicity entry."))
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0)


class ObjectionDecideIn(Schema):
    upheld: bool = Field(
        description=gettext_lazy("True: upheld (the enterprise leaves the list); false: not upheld.")
    )
    note: str = Field(max_length=4000, description=gettext_lazy("What the check found (required)."))


class RevocationFlagIn(Schema):
    ground: GroundCode
    detail: str = Field(max_length=4000, description=gettext_lazy("The facts (required)."))


class RevocationDecideIn(Schema):
    revoke: bool = Field(description=gettext_lazy("True: revoke the certificate; false: dismiss the flag."))
    reason: str = Field(max_length=4000, description=gettext_lazy("The reasons (required)."))


class RenewalOut(Schema):
    application_id: int
    application_number: str
    status: str


# --- Helpers ---------------------------------------------------------------------------------


def _who(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _score(value) -> str | None:
    return None if value is None else f"{value:.1f}"


def _require_reader(user, roles) -> None:
    if getattr(user, "role", None) not in roles:
        raise Http404


def _certificate(certificate: Certificate, state: str) -> dict:
    enterprise = certificate.enterprise
    return {
        "id": certificate.pk,
        "number": certificate.number,
        "enterprise_id": certificate.enterprise_id,
        "enterprise_name": certificate.enterprise_name,
        "uscc": certificate.uscc,
        "division": enterprise.region.name if enterprise.region_id else "",
        "industry": certificate.industry,
        "industry_label": certificate.get_industry_display(),
        "grade_level": certificate.grade_level,
        "grade_label": certificate.get_grade_level_display(),
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
        "status": certificate.status,
        "state": state,
        "state_label": str(state_label(state)),
        "revoked_on": certificate.revoked_on,
        "application_id": certificate.application_id,
        "announcement_number": certificate.announcement.document_number
        if certificate.announcement_id
        else "",
        "pdf_url": reverse("results:certificate_pdf", args=[certificate.pk]) if certificate.pdf else None,
    }


def _revocation(case: RevocationCase) -> dict:
    certificate = case.certificate
    return {
        "id": case.pk,
        "certificate_id": certificate.pk,
        "certificate_number": certificate.number,
        "enterprise_name": certificate.enterprise_name,
        "ground": case.ground,
        "ground_label": case.get_ground_display(),
        "detail": case.detail,
        "source": case.source,
        "flagged_by_system": case.flagged_by_system,
        "flagged_by": _who(case.flagged_by),
        "flagged_at": case.flagged_at,
        "status": case.status,
        "status_label": case.get_status_display(),
        "decision_reason": case.decision_reason,
        "decided_by": _who(case.decided_by),
        "decided_at": case.decided_at,
        "ban_until": case.ban_until,
        "announcement_number": case.announcement.document_number if case.announcement_id else "",
    }


REVOCATION_RELATED = ("certificate", "flagged_by", "decided_by", "announcement")


def _certificate_detail(request: HttpRequest, user, pk) -> dict:
    certificate = get_certificate_for_user(user, pk)
    today = timezone.localdate()
    try:
        verify = request.build_absolute_uri(
            reverse("portal:certificate_verify", kwargs={"public_id": certificate.public_id})
        )
    except NoReverseMatch:
        verify = ""
    revocations = (
        revocations_visible_to(user).filter(certificate=certificate).select_related(*REVOCATION_RELATED)
    )
    return {
        **_certificate(certificate, certificate_state(certificate, today)),
        "verify_url": verify,
        "revocations": [_revocation(c) for c in revocations],
        "annual_assessments": [
            {
                "id": a.pk,
                "year": a.year,
                "status": a.status,
                "status_label": a.get_status_display(),
                "sheet_id": a.sheet_id,
                "percentage": _score(a.percentage),
                "submitted_at": a.submitted_at,
            }
            for a in certificate.annual_assessments.all()
        ],
        "renewal_problems": [str(p) for p in services.renewal_problems(certificate, today)]
        if user.role in ENTERPRISE_ROLES
        else [],
    }


def _batch(batch: PublicityBatch, announcement: Announcement | None) -> dict:
    """The batch as ``PublicityBatchOut`` (``batch_list`` annotates the counts)."""
    return {
        "id": batch.pk,
        "number": batch.number,
        "title": batch.title,
        "intro": batch.intro,
        "contact": batch.contact,
        "status": batch.status,
        "status_label": batch.get_status_display(),
        "starts_on": batch.starts_on,
        "ends_on": batch.ends_on,
        "working_days": batch.working_days,
        "entry_count": batch.entry_count,
        "open_objections": batch.open_objections,
        "created_by": _who(batch.created_by),
        "created_at": batch.created_at,
        "submitted_at": batch.submitted_at,
        "approved_by": _who(batch.approved_by),
        "approved_at": batch.approved_at,
        "return_comment": batch.return_comment,
        "announcement_id": announcement.pk if announcement else None,
        "announcement_number": announcement.document_number if announcement else "",
    }


def _announcements(batch_ids) -> dict[int, Announcement]:
    rows = Announcement.objects.filter(batch__in=batch_ids).only("pk", "batch_id", "document_number")
    return {a.batch_id: a for a in rows}


def _batch_rows(user):
    return batch_list(user=user).select_related("created_by", "approved_by").order_by("-created_at", "-pk")


def _batch_detail(user, pk) -> dict:
    get_batch_for_user(user, pk)
    batch = _batch_rows(user).get(pk=pk)
    today = timezone.localdate()
    actions = [t.name for t in available_transitions(batch, PUBLICITY_FLOW, user)]
    return {
        **_batch(batch, _announcements([batch.pk]).get(batch.pk)),
        "entries": [
            {
                "id": e.pk,
                "application_id": e.application_id,
                "application_number": e.application.number,
                "enterprise_name": e.enterprise_name,
                "region_name": e.region_name,
                "industry": e.industry,
                "grade_level": e.grade_level,
                "percentage": _score(e.percentage),
                "review_date": e.review_date,
                "outcome": e.outcome,
                "outcome_label": e.get_outcome_display(),
                "outcome_reason": e.outcome_reason,
                "objection_count": e.objection_count,
                "open_objection_count": e.open_objection_count,
            }
            for e in batch_entries(batch)
        ],
        "transitions": [
            {
                "transition": t.transition,
                "label": str(PUBLICITY_FLOW[t.transition].label),
                "from_state": t.from_state,
                "to_state": t.to_state,
                "actor": _who(t.actor),
                "comment": t.comment,
                "created_at": t.created_at,
            }
            for t in batch.transitions.select_related("actor")
        ],
        "actions": actions,
        "announce_problems": [str(p) for p in services.announce_problems(batch, today)]
        if "announce" in actions
        else [],
    }


def _objection(objection: Objection, *, confidential: bool) -> dict:
    entry = objection.entry
    return {
        "id": objection.pk,
        "receipt_number": objection.receipt_number,
        "entry_id": entry.pk,
        "batch_id": entry.batch_id,
        "application_id": entry.application_id,
        "enterprise_name": entry.enterprise_name,
        "content": objection.content,
        "received_at": objection.received_at,
        "due_on": objection.due_on,
        "status": objection.status,
        "status_label": objection.get_status_display(),
        "outcome": objection.outcome,
        "check_note": objection.check_note,
        "checked_by": _who(objection.checked_by),
        "checked_at": objection.checked_at,
        "attachments": objection.attachment_count,
        "objector_name": None if confidential else objection.objector_name,
        "objector_contact": None if confidential else objection.objector_contact,
    }


def _objection_rows(user, status: str = ""):
    return (
        objection_list(user=user, status=status)
        .select_related("checked_by")
        .annotate(attachment_count=Count("attachments"))
    )


def _applications(user, ids: list[int]) -> list[GradingApplication]:
    """The applications the user sees among ``ids``; an unknown id is refused by field."""
    found = list(applications_visible_to(user).filter(pk__in=ids))
    missing = sorted(set(ids) - {a.pk for a in found})
    if missing:
        raise ValidationError(
            {
                "applications": [
                    _("There is no application with the id %(id)s in your scope.") % {"id": pk}
                    for pk in missing
                ]
            }
        )
    return found


# --- Certificates ----------------------------------------------------------------------------


@router.get(
    "/certificates",
    response={200: CertificateListOut, **ERRORS},
    summary=gettext_lazy("Certificates"),
    description=gettext_lazy(
        "The certificates you may see (the city all, a county its division's, an enterprise its own), "
        "newest first, with the list page's filters."
    ),
)
def list_certificates(request: HttpRequest, params: Query[CertificateListParams]):
    user = request.auth
    _require_reader(user, CERTIFICATE_API_ROLES)
    region = ""
    if params.division.strip():
        division = county_regions_for(user).filter(code=params.division.strip()).first()
        region = division.path if division else NO_DIVISION
    filters = CertificateFilters(
        q=params.q.strip(),
        state=params.state or "",
        industry=params.industry.strip(),
        region=region,
        year=params.year,
    )
    rows = certificate_list(user=user, filters=filters)
    return {
        **counted(rows),
        "items": [_certificate(c, c.state) for c in rows[params.offset : params.offset + params.limit]],
    }


@router.get(
    "/certificates/{int:certificate_id}",
    response={200: CertificateDetailOut, **ERRORS},
    summary=gettext_lazy("One certificate"),
    description=gettext_lazy(
        "The certificate with its state, its revocation cases (those you may see), its yearly "
        "self-assessments and, for the enterprise, why a renewal cannot be opened today."
    ),
)
def get_certificate(request: HttpRequest, certificate_id: int):
    return _certificate_detail(request, request.auth, certificate_id)


@router.post(
    "/certificates/{int:certificate_id}/revocations",
    response={201: RevocationCaseOut, **WITH_CONFLICT},
    summary=gettext_lazy("Flag a certificate for revocation"),
    description=gettext_lazy(
        "The city section, with the ground and the facts; the chief decides. Only a valid certificate (409 otherwise)."
    ),
)
def flag_certificate(request: HttpRequest, certificate_id: int, payload: RevocationFlagIn):
    user = request.auth
    certificate = get_certificate_for_user(user, certificate_id)
    if user.role not in CITY_STAFF:
        raise PermissionDenied
    with transition_refusals():
        case = services.revocation_flag(
            actor=user, certificate=certificate, ground=payload.ground, detail=payload.detail
        )
    return Respond(
        201, _revocation(RevocationCase.objects.select_related(*REVOCATION_RELATED).get(pk=case.pk))
    )


@router.post(
    "/certificates/{int:certificate_id}/renewal",
    response={201: RenewalOut, **WITH_CONFLICT},
    summary=gettext_lazy("Apply for renewal"),
    description=gettext_lazy(
        "The enterprise, inside the renewal window of a valid certificate: a new renewal application "
        "in draft, pre-filled from the last one. Outside the window: 422 with the reason."
    ),
)
def start_renewal(request: HttpRequest, certificate_id: int):
    user = request.auth
    certificate = get_certificate_for_user(user, certificate_id)
    if user.role not in ENTERPRISE_ROLES:
        raise PermissionDenied
    with transition_refusals():
        application = services.renewal_start(actor=user, certificate=certificate)
    return Respond(
        201,
        {
            "application_id": application.pk,
            "application_number": application.number,
            "status": application.status,
        },
    )


# --- Publicity batches -----------------------------------------------------------------------


@router.get(
    "/batches",
    response={200: PublicityBatchListOut, **ERRORS},
    summary=gettext_lazy("Publicity batches"),
    description=gettext_lazy(
        "The city section's publicity batches, newest first (the bureau leader reads them)."
    ),
)
def list_batches(request: HttpRequest, params: Query[PublicityBatchListParams]):
    user = request.auth
    _require_reader(user, CITY_READERS)
    rows = _batch_rows(user)
    if params.status:
        rows = rows.filter(status=params.status)
    batches = list(rows[params.offset : params.offset + params.limit])
    announcements = _announcements([b.pk for b in batches])
    return {"count": rows.count(), "items": [_batch(b, announcements.get(b.pk)) for b in batches]}


@router.get(
    "/batches/{int:batch_id}",
    response={200: PublicityBatchDetailOut, **ERRORS},
    summary=gettext_lazy("One publicity batch"),
    description=gettext_lazy(
        "The batch, its entries with their objection counts, its history, the moves you may make and, "
        "for the chief of a published batch, what stops the announcement today."
    ),
)
def get_batch(request: HttpRequest, batch_id: int):
    return _batch_detail(request.auth, batch_id)


@router.post(
    "/batches",
    response={201: PublicityBatchDetailOut, **ERRORS},
    summary=gettext_lazy("Draft a publicity batch"),
    description=gettext_lazy(
        "The city section lists applications awaiting result confirmation that are in no other open batch."
    ),
)
def create_batch(request: HttpRequest, payload: PublicityBatchIn):
    user = request.auth
    _require_reader(user, CITY_READERS)
    if user.role not in CITY_STAFF:
        raise PermissionDenied
    batch = services.batch_create(
        actor=user,
        title=payload.title,
        contact=payload.contact,
        intro=payload.intro,
        applications=_applications(user, payload.applications),
    )
    return Respond(201, _batch_detail(user, batch.pk))


def _move(request: HttpRequest, batch_id: int, name: str, call) -> dict:
    user = request.auth
    batch = get_batch_for_user(user, batch_id)
    if user.role not in PUBLICITY_FLOW[name].roles:
        raise PermissionDenied
    with transition_refusals():
        call(user, batch)
    return _batch_detail(user, batch_id)


@router.post(
    "/batches/{int:batch_id}/submit",
    response={200: PublicityBatchDetailOut, **WITH_CONFLICT},
    summary=gettext_lazy("Submit a publicity batch to the chief"),
    description=gettext_lazy("The city section: draft → awaiting the chief's approval."),
)
def submit_batch(request: HttpRequest, batch_id: int, payload: BatchCommentIn | None = None):
    comment = payload.comment if payload else ""
    return _move(
        request,
        batch_id,
        "submit",
        lambda user, batch: services.batch_submit(actor=user, batch=batch, comment=comment),
    )


@router.post(
    "/batches/{int:batch_id}/send-back",
    response={200: PublicityBatchDetailOut, **WITH_CONFLICT},
    summary=gettext_lazy("Send a publicity batch back"),
    description=gettext_lazy("The chief, saying what is to be changed: awaiting approval → draft."),
)
def send_back_batch(request: HttpRequest, batch_id: int, payload: BatchSendBackIn):
    return _move(
        request,
        batch_id,
        "send_back",
        lambda user, batch: services.batch_send_back(actor=user, batch=batch, comment=payload.comment),
    )


@router.post(
    "/batches/{int:batch_id}/approve",
    response={200: PublicityBatchDetailOut, **WITH_CONFLICT},
    summary=gettext_lazy("Approve and publish a publicity batch"),
    description=gettext_lazy(
        "The chief: the window of publicity_min working days starts today and every listed application "
        "moves to publicity (each re-checked for eligibility: 422 with the problems)."
    ),
)
def approve_batch(request: HttpRequest, batch_id: int, payload: BatchCommentIn | None = None):
    comment = payload.comment if payload else ""
    return _move(
        request,
        batch_id,
        "approve",
        lambda user, batch: services.batch_approve(actor=user, batch=batch, comment=comment),
    )


@router.post(
    "/batches/{int:batch_id}/announce",
    response={200: PublicityBatchDetailOut, **WITH_CONFLICT},
    summary=gettext_lazy("Issue the announcement of a publicity batch"),
    description=gettext_lazy(
        "The chief, after the window, with no objection open: a numbered announcement; every listed "
        "application is announced and gets its certificate. Not ready: 422 with the problems."
    ),
)
def announce_batch(request: HttpRequest, batch_id: int, payload: BatchAnnounceIn | None = None):
    title, body = (payload.title, payload.body) if payload else ("", "")
    return _move(
        request,
        batch_id,
        "announce",
        lambda user, batch: services.batch_announce(actor=user, batch=batch, title=title, body=body),
    )


# --- Objections ------------------------------------------------------------------------------


@router.get(
    "/objections",
    response={200: ObjectionCaseListOut, **ERRORS},
    summary=gettext_lazy("Objections"),
    description=gettext_lazy(
        "Objections to the enterprises on publicity, newest first. The objector's name and contact "
        "are confidential: null except for the city section's officer and chief."
    ),
)
def list_objections(request: HttpRequest, params: Query[ObjectionListParams]):
    user = request.auth
    _require_reader(user, CITY_READERS)
    rows = _objection_rows(user, params.status or "")
    if params.entry:
        rows = rows.filter(entry_id=params.entry)
    confidential = user.role not in CITY_STAFF
    return {
        "count": rows.count(),
        "items": [
            _objection(o, confidential=confidential)
            for o in rows[params.offset : params.offset + params.limit]
        ],
    }


@router.post(
    "/objections/{int:objection_id}/decide",
    response={200: ObjectionCaseOut, **WITH_CONFLICT},
    summary=gettext_lazy("Record the check of an objection"),
    description=gettext_lazy(
        "The city section: upheld (the enterprise leaves the list and its application goes back to result "
        "confirmation) or not upheld, with the findings. Already decided: 409."
    ),
)
def decide_objection(request: HttpRequest, objection_id: int, payload: ObjectionDecideIn):
    user = request.auth
    objection = get_objection_for_user(user, objection_id)
    if user.role not in CITY_STAFF:
        raise PermissionDenied
    with transition_refusals():
        services.objection_decide(actor=user, objection=objection, upheld=payload.upheld, note=payload.note)
    return _objection(_objection_rows(user).get(pk=objection.pk), confidential=False)


# --- Revocation ------------------------------------------------------------------------------


@router.get(
    "/revocations",
    response={200: RevocationListOut, **ERRORS},
    summary=gettext_lazy("Revocation cases"),
    description=gettext_lazy(
        "Certificates flagged for revocation (by the system or the city) and the decisions: the city "
        "reads every case, a county those of its division."
    ),
)
def list_revocations(request: HttpRequest, params: Query[RevocationListParams]):
    user = request.auth
    _require_reader(user, REVOCATION_READERS)
    rows = revocation_list(user=user, status=params.status or "").select_related(*REVOCATION_RELATED)
    return {
        "count": rows.count(),
        "items": [_revocation(c) for c in rows[params.offset : params.offset + params.limit]],
    }


@router.post(
    "/revocations/{int:revocation_id}/decide",
    response={200: RevocationCaseOut, **WITH_CONFLICT},
    summary=gettext_lazy("Decide a revocation case"),
    description=gettext_lazy(
        "The chief: revoke (the certificate is revoked, the ban starts and a revocation announcement is "
        "issued) or dismiss the flag, with the reasons. Already decided: 409."
    ),
)
def decide_revocation(request: HttpRequest, revocation_id: int, payload: RevocationDecideIn):
    user = request.auth
    case = get_revocation_for_user(user, revocation_id)
    if user.role != Role.CITY_CHIEF:
        raise PermissionDenied
    with transition_refusals():
        services.revocation_decide(actor=user, case=case, revoke=payload.revoke, reason=payload.reason)
    return _revocation(RevocationCase.objects.select_related(*REVOCATION_RELATED).get(pk=case.pk))
