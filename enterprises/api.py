"""REST operations on the enterprise registry (/api/v1/enterprises).

Reads start from the same selector and access function as the HTML list and detail; writes
go through enterprise_create/enterprise_update, so the API refuses exactly what the form
refuses, with the same Chinese messages keyed by field.
"""

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status

from accounts.models import Region
from enterprises.models import Enterprise, Industry
from enterprises.permissions import get_enterprise_for_user, require_enterprise_creator
from enterprises.selectors import EnterpriseFilters, enterprise_list, risk_tags
from enterprises.services import enterprise_create, enterprise_update
from lib.api import ERRORS
from lib.pagination import COUNT_EXACT_HELP, COUNT_HELP, counted

router = Router(tags=["enterprises"])

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
# The only fields a PATCH may set to null; for the others null is refused rather than guessed at.
NULLABLE_FIELDS = frozenset({"town", "employee_count"})
MAX_POSITIVE_INT = 2_147_483_647  # PositiveIntegerField's limit on PostgreSQL

# Choices as inline literals: the OpenAPI document lists the values at each field instead of
# sharing components named "Status" or "Scale" that other apps' enums would collide with.
IndustryCode = Literal[tuple(Industry.values)]
ScaleCode = Literal[tuple(Enterprise.Scale.values)]
StatusCode = Literal[tuple(Enterprise.Status.values)]


# --- Schemas --------------------------------------------------------------

_BLACKLIST_HELP = gettext_lazy("On the credit blacklist for work safety: it cannot apply for grading (E7).")


class DivisionOut(Schema):
    id: int
    code: str
    name: str


class RiskTagOut(Schema):
    code: str
    name: str


class EnterpriseOut(Schema):
    id: int
    uscc: str = Field(description=gettext_lazy("Unified social credit code, 18 characters."))
    name: str
    short_name: str
    region: DivisionOut = Field(description=gettext_lazy("The county-level division."))
    town: DivisionOut | None
    address: str
    legal_representative: str
    principal_name: str
    principal_phone: str
    safety_manager_name: str
    safety_manager_phone: str
    employee_count: int | None
    scale: ScaleCode
    scale_label: str
    gb4754_code: str = Field(description=gettext_lazy("GB/T 4754-2017 industry code."))
    industry: IndustryCode = Field(description=gettext_lazy("Derived from the GB/T 4754 code."))
    industry_label: str
    status: StatusCode
    status_label: str
    risk_tags: list[RiskTagOut] = Field(description=gettext_lazy("Special risks."))
    on_credit_blacklist: bool = Field(description=_BLACKLIST_HELP)
    credit_blacklist_note: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_scale_label(obj: Enterprise) -> str:
        return obj.get_scale_display()

    @staticmethod
    def resolve_industry_label(obj: Enterprise) -> str:
        return obj.get_industry_display()

    @staticmethod
    def resolve_status_label(obj: Enterprise) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_risk_tags(obj: Enterprise) -> list[dict[str, str]]:
        # .all() uses the list's prefetch; sorted here so detail and list agree on the order.
        tags = sorted(obj.risk_tags.all(), key=lambda t: (t.sort_order, t.code))
        return [{"code": t.code, "name": t.name} for t in tags]


class EnterpriseListOut(Schema):
    count: int = Field(description=COUNT_HELP)
    count_exact: bool = Field(description=COUNT_EXACT_HELP)
    items: list[EnterpriseOut]


class EnterpriseListParams(Schema):
    region: int | None = Field(None, description=gettext_lazy("Id of a county-level division."))
    industry: IndustryCode | None = None
    risk_tag: str = Field("", max_length=32, description=gettext_lazy("Code of a special-risk tag."))
    status: StatusCode | None = None
    q: str = Field(
        "", max_length=100, description=gettext_lazy("Name, short name, USCC prefix or pinyin (initials).")
    )
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0)


_REGION_HELP = gettext_lazy("Id of the county-level division.")
_TOWN_HELP = gettext_lazy("Id of a town within the division.")
_RISK_TAGS_HELP = gettext_lazy("Codes of special-risk tags, e.g. dust_explosion.")
_GB4754_HELP = gettext_lazy("GB/T 4754-2017 industry code of 2 to 4 digits; the industry is derived from it.")


class EnterpriseCreateIn(Schema):
    uscc: str = Field(max_length=32, description=gettext_lazy("Unified social credit code, 18 characters."))
    name: str = Field(max_length=200)
    short_name: str = Field("", max_length=64)
    region: int = Field(description=_REGION_HELP)
    town: int | None = Field(None, description=_TOWN_HELP)
    address: str = Field("", max_length=255)
    legal_representative: str = Field("", max_length=64)
    principal_name: str = Field("", max_length=64)
    principal_phone: str = Field("", max_length=32)
    safety_manager_name: str = Field("", max_length=64)
    safety_manager_phone: str = Field("", max_length=32)
    employee_count: int | None = Field(None, le=MAX_POSITIVE_INT)
    scale: ScaleCode
    gb4754_code: str = Field(max_length=8, description=_GB4754_HELP)
    status: StatusCode = Enterprise.Status.NORMAL.value
    risk_tags: list[str] = Field(default_factory=list, max_length=50, description=_RISK_TAGS_HELP)
    on_credit_blacklist: bool = Field(False, description=_BLACKLIST_HELP)
    credit_blacklist_note: str = Field("", max_length=200)


# Every field is optional: fields left out keep their value.
class EnterpriseUpdateIn(Schema):
    uscc: str | None = Field(None, max_length=32)
    name: str | None = Field(None, max_length=200)
    short_name: str | None = Field(None, max_length=64)
    region: int | None = Field(None, description=_REGION_HELP)
    town: int | None = Field(None, description=_TOWN_HELP)
    address: str | None = Field(None, max_length=255)
    legal_representative: str | None = Field(None, max_length=64)
    principal_name: str | None = Field(None, max_length=64)
    principal_phone: str | None = Field(None, max_length=32)
    safety_manager_name: str | None = Field(None, max_length=64)
    safety_manager_phone: str | None = Field(None, max_length=32)
    employee_count: int | None = Field(None, le=MAX_POSITIVE_INT)
    scale: ScaleCode | None = None
    gb4754_code: str | None = Field(None, max_length=8, description=_GB4754_HELP)
    status: StatusCode | None = None
    risk_tags: list[str] | None = Field(None, max_length=50, description=_RISK_TAGS_HELP)
    on_credit_blacklist: bool | None = Field(None, description=_BLACKLIST_HELP)
    credit_blacklist_note: str | None = Field(None, max_length=200)


# --- Helpers --------------------------------------------------------------


def _resolve_references(data: dict[str, Any]) -> dict[str, Any]:
    """Return ``data`` with region and town ids and risk-tag codes replaced by objects.

    Raises ValidationError keyed by field for an id or code that names nothing.
    """
    errors: dict[str, list[str]] = {}
    resolved = dict(data)
    for name in ("region", "town"):
        if resolved.get(name) is not None:
            region = Region.objects.filter(pk=resolved[name], is_active=True).first()
            if region is None:
                errors[name] = [_("There is no region with the id %(id)s.") % {"id": resolved[name]}]
            resolved[name] = region
    if "risk_tags" in resolved:
        codes = list(dict.fromkeys(resolved["risk_tags"] or []))
        tags = {t.code: t for t in risk_tags().filter(code__in=codes)}
        unknown = [c for c in codes if c not in tags]
        if unknown:
            errors["risk_tags"] = [
                _("Unknown special-risk tag codes: %(codes)s.") % {"codes": ", ".join(unknown)}
            ]
        resolved["risk_tags"] = [tags[c] for c in codes if c in tags]
    if errors:
        raise ValidationError(errors)
    return resolved


# --- Operations -----------------------------------------------------------


@router.get(
    "/",
    response={200: EnterpriseListOut, **ERRORS},
    summary=gettext_lazy("List enterprises"),
    description=gettext_lazy(
        "Only the enterprises you may see, with the filters of the enterprise list page."
    ),
)
def list_enterprises(request: HttpRequest, params: Query[EnterpriseListParams]):
    filters = EnterpriseFilters(
        region=params.region,
        industry=params.industry or "",
        risk_tag=params.risk_tag.strip(),
        status=params.status or "",
        q=params.q,
    )
    qs = enterprise_list(user=request.auth, filters=filters)
    return {**counted(qs), "items": list(qs[params.offset : params.offset + params.limit])}


@router.get(
    "/{enterprise_id}", response={200: EnterpriseOut, **ERRORS}, summary=gettext_lazy("One enterprise")
)
def get_enterprise(request: HttpRequest, enterprise_id: int):
    return get_enterprise_for_user(request.auth, enterprise_id)


@router.post(
    "/",
    response={201: EnterpriseOut, **ERRORS},
    summary=gettext_lazy("Register an enterprise"),
    description=gettext_lazy("City and county officers and chiefs, within their own division."),
)
def create_enterprise(request: HttpRequest, payload: EnterpriseCreateIn):
    require_enterprise_creator(request.auth)  # 403 before any validation for read-only roles
    data = _resolve_references(payload.model_dump(mode="json"))
    return Status(201, enterprise_create(actor=request.auth, data=data))


@router.patch(
    "/{enterprise_id}",
    response={200: EnterpriseOut, **ERRORS},
    summary=gettext_lazy("Change an enterprise"),
    description=gettext_lazy("Fields left out keep their value. The change is recorded in the audit log."),
)
def update_enterprise(request: HttpRequest, enterprise_id: int, payload: EnterpriseUpdateIn):
    enterprise = get_enterprise_for_user(request.auth, enterprise_id, "edit")
    changes = payload.model_dump(mode="json", exclude_unset=True)
    empty = [name for name, value in changes.items() if value is None and name not in NULLABLE_FIELDS]
    if empty:
        raise ValidationError({name: _("This field cannot be empty.") for name in empty})
    data = _resolve_references(changes)
    return enterprise_update(actor=request.auth, enterprise=enterprise, data=data)
