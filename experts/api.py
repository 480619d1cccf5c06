"""REST operations on the expert pool (/api/v1/experts).

The same access functions, selectors and services as the pages: city roles and admins see
their city's pool, an expert only his own profile (``/experts/me``), county and enterprise
users nothing (404). ID numbers leave the API masked; only create and update take the full
number.
"""

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status

from accounts.models import User
from accounts.roles import Role
from enterprises.models import Industry
from experts.models import (
    Expert,
    ExpertCertificate,
    ExpertChangeRequest,
    ExpertRating,
    ExpertRelation,
    ExpertUnavailability,
    RelativeRelationship,
    Skill,
    Specialty,
)
from experts.permissions import (
    get_expert_for_user,
    get_own_expert,
    require_change_decider,
    require_expert_manager,
    require_pool_viewer,
)
from experts.selectors import (
    ExpertFilters,
    change_request_queue,
    division_choices,
    expert_certificates,
    expert_change_requests,
    expert_list,
    expert_ratings,
    expert_relations,
    expert_unavailabilities,
    rating_summary,
)
from experts.services import (
    expert_certificate_add,
    expert_certificate_remove,
    expert_change_request_decide,
    expert_create,
    expert_rate,
    expert_relation_add,
    expert_relation_remove,
    expert_relation_update,
    expert_self_update,
    expert_set_status,
    expert_unavailability_add,
    expert_unavailability_remove,
    expert_update,
)
from lib.api import ERRORS

router = Router(tags=["experts"])

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
# The only profile fields a PATCH may set to null; for the others null is refused.
NULLABLE_FIELDS = frozenset({"region", "term_until", "user"})

# Choices as inline literals (see enterprises/api.py): no shared components named "Status".
GenderCode = Literal[tuple(Expert.Gender.values)]
ExpertStatusCode = Literal[tuple(Expert.Status.values)]
SpecialtyCode = Literal[tuple(Specialty.values)]
IndustryCode = Literal[tuple(Industry.values)]
SkillCode = Literal[tuple(Skill.values)]
RelationKindCode = Literal[tuple(ExpertRelation.Kind.values)]
RelationshipCode = Literal[tuple(RelativeRelationship.values)]
ChangeStatusCode = Literal[tuple(ExpertChangeRequest.Status.values)]
CertificateStateCode = Literal[tuple(ExpertCertificate.State.values)]

_ID_OUT = gettext_lazy("Resident ID number, masked: only the first 6 and last 4 characters are shown.")
_ID_IN = gettext_lazy("The full 18-character resident ID number.")
_REGION_IN = gettext_lazy("Id of the county-level division.")
_USER_IN = gettext_lazy("Id of an expert user account not linked to another expert.")


# --- Schemas --------------------------------------------------------------


def _person(user) -> str | None:
    return (user.get_full_name() or user.get_username()) if user is not None else None


class ExpertDivisionOut(Schema):
    id: int
    code: str
    name: str


class ExpertOut(Schema):
    id: int
    name: str
    gender: GenderCode
    gender_label: str
    id_number: str = Field(description=_ID_OUT)
    phone: str
    employer: str
    employer_uscc: str
    title: str
    registered_safety_engineer: bool
    registered_safety_engineer_number: str
    years_of_experience: int
    training_certificate_number: str
    specialties: list[str]
    industries: list[str]
    skills: list[str]
    region: ExpertDivisionOut | None
    status: ExpertStatusCode
    status_label: str
    status_reason: str
    can_lead: bool
    term_until: date | None
    user: str | None = Field(description=gettext_lazy("Username of the expert's account."))
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_gender_label(obj: Expert) -> str:
        return obj.get_gender_display()

    @staticmethod
    def resolve_id_number(obj: Expert) -> str:
        return obj.masked_id_number

    @staticmethod
    def resolve_status_label(obj: Expert) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_user(obj: Expert) -> str | None:
        return obj.user.username if obj.user_id else None


class ExpertListOut(Schema):
    count: int = Field(description=gettext_lazy("Number of experts matching the filters, on all pages."))
    items: list[ExpertOut]


class ExpertListParams(Schema):
    status: ExpertStatusCode | None = None
    specialty: SpecialtyCode | None = None
    industry: IndustryCode | None = None
    skill: SkillCode | None = None
    region: int | None = Field(None, description=_REGION_IN)
    can_lead: bool | None = None
    q: str = Field("", max_length=100, description=gettext_lazy("Name, pinyin (initials) or employer."))
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0)


class ExpertCreateIn(Schema):
    name: str = Field(max_length=64)
    gender: GenderCode
    id_number: str = Field(max_length=24, description=_ID_IN)
    phone: str = Field("", max_length=32)
    employer: str = Field("", max_length=200)
    employer_uscc: str = Field("", max_length=30)
    title: str = Field("", max_length=64)
    registered_safety_engineer: bool = False
    registered_safety_engineer_number: str = Field("", max_length=64)
    years_of_experience: int = Field(0, ge=0, le=80)
    training_certificate_number: str = Field("", max_length=64)
    specialties: list[SpecialtyCode] = Field(default_factory=list)
    industries: list[IndustryCode] = Field(default_factory=list)
    skills: list[SkillCode] = Field(default_factory=list)
    region: int | None = Field(None, description=_REGION_IN)
    status: ExpertStatusCode = Expert.Status.ACTIVE.value
    can_lead: bool = False
    term_until: date | None = None
    user: int | None = Field(None, description=_USER_IN)


# Every field is optional: fields left out keep their value.
class ExpertUpdateIn(Schema):
    name: str | None = Field(None, max_length=64)
    gender: GenderCode | None = None
    id_number: str | None = Field(None, max_length=24, description=_ID_IN)
    phone: str | None = Field(None, max_length=32)
    employer: str | None = Field(None, max_length=200)
    employer_uscc: str | None = Field(None, max_length=30)
    title: str | None = Field(None, max_length=64)
    registered_safety_engineer: bool | None = None
    registered_safety_engineer_number: str | None = Field(None, max_length=64)
    years_of_experience: int | None = Field(None, ge=0, le=80)
    training_certificate_number: str | None = Field(None, max_length=64)
    specialties: list[SpecialtyCode] | None = None
    industries: list[IndustryCode] | None = None
    skills: list[SkillCode] | None = None
    region: int | None = Field(None, description=_REGION_IN)
    can_lead: bool | None = None
    term_until: date | None = None
    user: int | None = Field(None, description=_USER_IN)


class ExpertSelfUpdateIn(Schema):
    phone: str | None = Field(None, max_length=32)
    employer: str | None = Field(None, max_length=200)
    employer_uscc: str | None = Field(None, max_length=30)
    title: str | None = Field(None, max_length=64)
    registered_safety_engineer: bool | None = None
    registered_safety_engineer_number: str | None = Field(None, max_length=64)
    years_of_experience: int | None = Field(None, ge=0, le=80)
    training_certificate_number: str | None = Field(None, max_length=64)
    specialties: list[SpecialtyCode] | None = None
    industries: list[IndustryCode] | None = None
    skills: list[SkillCode] | None = None
    can_lead: bool | None = None


class ExpertStatusIn(Schema):
    status: ExpertStatusCode
    reason: str = Field(max_length=500)


class ExpertChangeRequestOut(Schema):
    id: int
    expert: int
    expert_name: str
    requested_by: str
    requested_at: datetime
    changes: dict[str, Any] = Field(
        description=gettext_lazy(
            "Requested values by field; certificates_add and certificates_remove list certificate ids."
        )
    )
    status: ChangeStatusCode
    decided_by: str | None
    decided_at: datetime | None
    reason: str

    @staticmethod
    def resolve_expert(obj: ExpertChangeRequest) -> int:
        return obj.expert_id

    @staticmethod
    def resolve_expert_name(obj: ExpertChangeRequest) -> str:
        return obj.expert.name

    @staticmethod
    def resolve_requested_by(obj: ExpertChangeRequest) -> str:
        return _person(obj.requested_by) or ""

    @staticmethod
    def resolve_decided_by(obj: ExpertChangeRequest) -> str | None:
        return _person(obj.decided_by)


class ExpertSelfUpdateOut(Schema):
    expert: ExpertOut
    applied: list[str] = Field(description=gettext_lazy("Contact fields changed at once."))
    change_request: ExpertChangeRequestOut | None = Field(
        description=gettext_lazy("The pending request with the qualification changes, if any.")
    )


class ExpertChangeRequestListParams(Schema):
    status: ChangeStatusCode | None = ExpertChangeRequest.Status.PENDING.value
    expert: int | None = None


class ExpertDecisionIn(Schema):
    approve: bool
    reason: str = Field("", max_length=1000, description=gettext_lazy("Required when rejecting."))


class ExpertRelationOut(Schema):
    id: int
    kind: RelationKindCode
    kind_label: str
    enterprise_name: str
    enterprise_uscc: str
    enterprise: int | None = Field(
        description=gettext_lazy("Id of the registered enterprise, if recognised.")
    )
    relative_relationship: RelationshipCode | Literal[""]
    start: date | None
    end: date | None = Field(description=gettext_lazy("Null while it continues."))
    note: str

    @staticmethod
    def resolve_kind_label(obj: ExpertRelation) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_enterprise(obj: ExpertRelation) -> int | None:
        return obj.enterprise_id


class ExpertRelationIn(Schema):
    kind: RelationKindCode
    enterprise_name: str = Field(max_length=200)
    enterprise_uscc: str = Field("", max_length=30)
    relative_relationship: RelationshipCode | Literal[""] = ""
    start: date | None = None
    end: date | None = None
    note: str = Field("", max_length=500)


class ExpertRelationUpdateIn(Schema):
    kind: RelationKindCode | None = None
    enterprise_name: str | None = Field(None, max_length=200)
    enterprise_uscc: str | None = Field(None, max_length=30)
    relative_relationship: RelationshipCode | Literal[""] | None = None
    start: date | None = None
    end: date | None = None
    note: str | None = Field(None, max_length=500)


class ExpertCertificateOut(Schema):
    id: int
    name: str
    number: str
    issued_on: date | None
    expires_on: date | None
    state: CertificateStateCode
    state_label: str
    expiry: Literal["expired", "expiring", ""] = Field(
        description=gettext_lazy("expired; expiring within 90 days; or empty.")
    )
    removal_requested: bool
    has_file: bool


class ExpertCertificateIn(Schema):
    name: str = Field(max_length=100)
    number: str = Field("", max_length=64)
    issued_on: date | None = None
    expires_on: date | None = None


class ExpertUnavailabilityOut(Schema):
    id: int
    start: date
    end: date
    reason: str


class ExpertUnavailabilityIn(Schema):
    start: date
    end: date
    reason: str = Field("", max_length=200)


class ExpertRatingOut(Schema):
    id: int
    rated_by: str
    rated_at: datetime
    professional: int
    discipline: int
    ethics: int
    integrity: int
    average: str = Field(description=gettext_lazy("Mean of the four scores, two decimals, as a string."))
    comment: str
    source: str
    application: int | None

    @staticmethod
    def resolve_rated_by(obj: ExpertRating) -> str:
        return _person(obj.rated_by) or ""

    @staticmethod
    def resolve_average(obj: ExpertRating) -> str:
        return f"{obj.average:.2f}"

    @staticmethod
    def resolve_application(obj: ExpertRating) -> int | None:
        return obj.application_id


class ExpertRatingSummaryOut(Schema):
    count: int
    average: str | None
    last_rated_at: datetime | None


class ExpertRatingListOut(Schema):
    summary: ExpertRatingSummaryOut
    items: list[ExpertRatingOut]


class ExpertRatingIn(Schema):
    professional: int = Field(description=gettext_lazy("1 to 100."))
    discipline: int = Field(description=gettext_lazy("1 to 100."))
    ethics: int = Field(description=gettext_lazy("1 to 100."))
    integrity: int = Field(description=gettext_lazy("1 to 100."))
    comment: str = Field("", max_length=2000)
    source: str = Field(
        "", max_length=100, description=gettext_lazy("What was rated, e.g. the application number.")
    )


# --- Helpers --------------------------------------------------------------


def _resolve(actor, data: dict[str, Any]) -> dict[str, Any]:
    """Return ``data`` with region and user ids replaced by objects; unknown ids are field errors."""
    errors: dict[str, list[str]] = {}
    resolved = dict(data)
    if resolved.get("region") is not None:
        region = division_choices(actor).filter(pk=resolved["region"]).first()
        if region is None:
            errors["region"] = [_("There is no division with the id %(id)s.") % {"id": resolved["region"]}]
        resolved["region"] = region
    if resolved.get("user") is not None:
        user = User.objects.filter(pk=resolved["user"], role=Role.EXPERT).first()
        if user is None:
            errors["user"] = [_("There is no expert account with the id %(id)s.") % {"id": resolved["user"]}]
        resolved["user"] = user
    if errors:
        raise ValidationError(errors)
    return resolved


def _no_nulls(changes: dict[str, Any], nullable: frozenset[str] = frozenset()) -> None:
    empty = [name for name, value in changes.items() if value is None and name not in nullable]
    if empty:
        raise ValidationError({name: _("This field cannot be empty.") for name in empty})


def _certificate_out(row) -> dict[str, Any]:
    c = row.certificate
    return {
        "id": c.pk,
        "name": c.name,
        "number": c.number,
        "issued_on": c.issued_on,
        "expires_on": c.expires_on,
        "state": c.state,
        "state_label": c.get_state_display(),
        "expiry": row.expiry,
        "removal_requested": row.removal_requested,
        "has_file": bool(c.file),
    }


# --- The pool ----------------------------------------------------------------


@router.get(
    "/",
    response={200: ExpertListOut, **ERRORS},
    summary=gettext_lazy("List experts"),
    description=gettext_lazy(
        "City roles and administrators: the experts of their city, with the list page's filters."
    ),
)
def list_experts(request: HttpRequest, params: Query[ExpertListParams]):
    require_pool_viewer(request.auth)
    filters = ExpertFilters(
        status=params.status or "",
        specialty=params.specialty or "",
        industry=params.industry or "",
        skill=params.skill or "",
        region=params.region,
        can_lead=params.can_lead,
        q=params.q,
    )
    qs = expert_list(user=request.auth, filters=filters)
    return {"count": qs.count(), "items": list(qs[params.offset : params.offset + params.limit])}


@router.post(
    "/",
    response={201: ExpertOut, **ERRORS},
    summary=gettext_lazy("Add an expert"),
    description=gettext_lazy("The manufacturing section and administrators."),
)
def create_expert(request: HttpRequest, payload: ExpertCreateIn):
    require_pool_viewer(request.auth)
    require_expert_manager(request.auth)  # 403 before any validation for the bureau leader
    data = _resolve(request.auth, payload.model_dump())
    return Status(201, expert_create(actor=request.auth, **data))


@router.get("/me", response={200: ExpertOut, **ERRORS}, summary=gettext_lazy("My expert profile"))
def get_me(request: HttpRequest):
    return get_own_expert(request.auth)


@router.patch(
    "/me",
    response={200: ExpertSelfUpdateOut, **ERRORS},
    summary=gettext_lazy("Change my expert profile"),
    description=gettext_lazy(
        "Contact fields change at once; qualification fields go into a change request for the city to approve."
    ),
)
def update_me(request: HttpRequest, payload: ExpertSelfUpdateIn):
    expert = get_own_expert(request.auth)
    changes = payload.model_dump(exclude_unset=True)
    _no_nulls(changes)
    result = expert_self_update(actor=request.auth, expert=expert, data=changes)
    return {"expert": result.expert, "applied": result.applied, "change_request": result.change_request}


@router.get(
    "/change-requests",
    response={200: list[ExpertChangeRequestOut], **ERRORS},
    summary=gettext_lazy("List qualification change requests"),
    description=gettext_lazy("The pool's requests, pending ones by default, oldest first."),
)
def list_change_requests(request: HttpRequest, params: Query[ExpertChangeRequestListParams]):
    require_pool_viewer(request.auth)
    qs = change_request_queue(user=request.auth, status=params.status or "")
    if params.expert is not None:
        qs = qs.filter(expert_id=params.expert)
    return list(qs[:500])


@router.post(
    "/change-requests/{int:request_id}/decide",
    response={200: ExpertChangeRequestOut, **ERRORS},
    summary=gettext_lazy("Approve or reject a change request"),
    description=gettext_lazy(
        "The section's officer or chief. Approval applies the changes; rejection needs a reason."
    ),
)
def decide_change_request(request: HttpRequest, request_id: int, payload: ExpertDecisionIn):
    require_pool_viewer(request.auth)
    change_request = get_object_or_404(change_request_queue(user=request.auth, status=""), pk=request_id)
    require_change_decider(request.auth)
    return expert_change_request_decide(
        actor=request.auth, change_request=change_request, approve=payload.approve, reason=payload.reason
    )


# --- One expert ---------------------------------------------------------------


@router.get("/{int:expert_id}", response={200: ExpertOut, **ERRORS}, summary=gettext_lazy("One expert"))
def get_expert(request: HttpRequest, expert_id: int):
    return get_expert_for_user(request.auth, expert_id)


@router.patch(
    "/{int:expert_id}",
    response={200: ExpertOut, **ERRORS},
    summary=gettext_lazy("Change an expert"),
    description=gettext_lazy("Fields left out keep their value. The change is recorded in the audit log."),
)
def update_expert(request: HttpRequest, expert_id: int, payload: ExpertUpdateIn):
    expert = get_expert_for_user(request.auth, expert_id, "edit")
    changes = payload.model_dump(exclude_unset=True)
    _no_nulls(changes, NULLABLE_FIELDS)
    return expert_update(actor=request.auth, expert=expert, data=_resolve(request.auth, changes))


@router.post(
    "/{int:expert_id}/status",
    response={200: ExpertOut, **ERRORS},
    summary=gettext_lazy("Change an expert's status"),
    description=gettext_lazy("In the pool, suspended or exited, with a reason. Nothing is deleted."),
)
def set_status(request: HttpRequest, expert_id: int, payload: ExpertStatusIn):
    expert = get_expert_for_user(request.auth, expert_id, "status")
    return expert_set_status(actor=request.auth, expert=expert, status=payload.status, reason=payload.reason)


@router.get(
    "/{int:expert_id}/change-requests",
    response={200: list[ExpertChangeRequestOut], **ERRORS},
    summary=gettext_lazy("An expert's change requests"),
)
def expert_change_request_list(request: HttpRequest, expert_id: int):
    expert = get_expert_for_user(request.auth, expert_id)
    return list(expert_change_requests(expert))


# --- Relations -------------------------------------------------------------------


@router.get(
    "/{int:expert_id}/relations",
    response={200: list[ExpertRelationOut], **ERRORS},
    summary=gettext_lazy("An expert's declared relations"),
)
def list_relations(request: HttpRequest, expert_id: int):
    return list(expert_relations(get_expert_for_user(request.auth, expert_id)))


@router.post(
    "/{int:expert_id}/relations",
    response={201: ExpertRelationOut, **ERRORS},
    summary=gettext_lazy("Declare a relation"),
    description=gettext_lazy("The expert himself or the section; takes effect at once."),
)
def add_relation(request: HttpRequest, expert_id: int, payload: ExpertRelationIn):
    expert = get_expert_for_user(request.auth, expert_id, "declare")
    return Status(201, expert_relation_add(actor=request.auth, expert=expert, **payload.model_dump()))


@router.patch(
    "/{int:expert_id}/relations/{int:relation_id}",
    response={200: ExpertRelationOut, **ERRORS},
    summary=gettext_lazy("Change a declared relation"),
)
def update_relation(request: HttpRequest, expert_id: int, relation_id: int, payload: ExpertRelationUpdateIn):
    expert = get_expert_for_user(request.auth, expert_id, "declare")
    relation = get_object_or_404(expert.relations.all(), pk=relation_id)
    changes = payload.model_dump(exclude_unset=True)
    _no_nulls(changes, frozenset({"start", "end"}))
    return expert_relation_update(actor=request.auth, relation=relation, data=changes)


@router.delete(
    "/{int:expert_id}/relations/{int:relation_id}",
    response={204: None, **ERRORS},
    summary=gettext_lazy("Remove a declared relation"),
)
def remove_relation(request: HttpRequest, expert_id: int, relation_id: int):
    expert = get_expert_for_user(request.auth, expert_id, "declare")
    expert_relation_remove(
        actor=request.auth, relation=get_object_or_404(expert.relations.all(), pk=relation_id)
    )
    return Status(204, None)


# --- Certificates ------------------------------------------------------------------


@router.get(
    "/{int:expert_id}/certificates",
    response={200: list[ExpertCertificateOut], **ERRORS},
    summary=gettext_lazy("An expert's certificates"),
)
def list_certificates(request: HttpRequest, expert_id: int):
    expert = get_expert_for_user(request.auth, expert_id)
    return [_certificate_out(row) for row in expert_certificates(expert, today=timezone.localdate())]


@router.post(
    "/{int:expert_id}/certificates",
    response={201: ExpertCertificateOut, **ERRORS},
    summary=gettext_lazy("Add a certificate"),
    description=gettext_lazy(
        "Recorded at once when the section adds it; one the expert adds waits for the city's approval. "
        "Scans are uploaded on the page."
    ),
)
def add_certificate(request: HttpRequest, expert_id: int, payload: ExpertCertificateIn):
    expert = get_expert_for_user(request.auth, expert_id, "certify")
    certificate = expert_certificate_add(actor=request.auth, expert=expert, **payload.model_dump())
    rows = expert_certificates(expert, today=timezone.localdate(), include_closed=True)
    return Status(201, _certificate_out(next(r for r in rows if r.certificate.pk == certificate.pk)))


@router.delete(
    "/{int:expert_id}/certificates/{int:certificate_id}",
    response={204: None, **ERRORS},
    summary=gettext_lazy("Remove a certificate"),
    description=gettext_lazy(
        "The section removes at once; the expert's removal of a recorded one waits for approval."
    ),
)
def remove_certificate(request: HttpRequest, expert_id: int, certificate_id: int):
    expert = get_expert_for_user(request.auth, expert_id, "certify")
    certificate = get_object_or_404(expert.certificates.all(), pk=certificate_id)
    expert_certificate_remove(actor=request.auth, certificate=certificate)
    return Status(204, None)


# --- Unavailable dates ------------------------------------------------------------------


@router.get(
    "/{int:expert_id}/unavailability",
    response={200: list[ExpertUnavailabilityOut], **ERRORS},
    summary=gettext_lazy("An expert's unavailable dates"),
)
def list_unavailability(request: HttpRequest, expert_id: int):
    return list(expert_unavailabilities(get_expert_for_user(request.auth, expert_id)))


@router.post(
    "/{int:expert_id}/unavailability",
    response={201: ExpertUnavailabilityOut, **ERRORS},
    summary=gettext_lazy("Add unavailable dates"),
    description=gettext_lazy("Both days included; may not overlap a period already recorded."),
)
def add_unavailability(request: HttpRequest, expert_id: int, payload: ExpertUnavailabilityIn):
    expert = get_expert_for_user(request.auth, expert_id, "declare")
    return Status(201, expert_unavailability_add(actor=request.auth, expert=expert, **payload.model_dump()))


@router.delete(
    "/{int:expert_id}/unavailability/{int:item_id}",
    response={204: None, **ERRORS},
    summary=gettext_lazy("Remove unavailable dates"),
)
def remove_unavailability(request: HttpRequest, expert_id: int, item_id: int):
    expert = get_expert_for_user(request.auth, expert_id, "declare")
    period = get_object_or_404(ExpertUnavailability.objects.filter(expert=expert), pk=item_id)
    expert_unavailability_remove(actor=request.auth, unavailability=period)
    return Status(204, None)


# --- Ratings -----------------------------------------------------------------------------


@router.get(
    "/{int:expert_id}/ratings",
    response={200: ExpertRatingListOut, **ERRORS},
    summary=gettext_lazy("An expert's ratings"),
    description=gettext_lazy("City roles and administrators."),
)
def list_ratings(request: HttpRequest, expert_id: int):
    expert = get_expert_for_user(request.auth, expert_id, "ratings")
    summary = rating_summary(expert)
    return {
        "summary": {
            "count": summary.count,
            "average": f"{summary.average:.2f}" if summary.average is not None else None,
            "last_rated_at": summary.last.rated_at if summary.last else None,
        },
        "items": list(expert_ratings(expert)),
    }


@router.post(
    "/{int:expert_id}/ratings",
    response={201: ExpertRatingOut, **ERRORS},
    summary=gettext_lazy("Rate an expert"),
    description=gettext_lazy("City officers: four whole scores from 1 to 100."),
)
def add_rating(request: HttpRequest, expert_id: int, payload: ExpertRatingIn):
    expert = get_expert_for_user(request.auth, expert_id, "rate")
    return Status(201, expert_rate(actor=request.auth, expert=expert, **payload.model_dump()))
