"""REST operations on the accident ledger (/api/v1/accidents).

Reads start from the same selector and access function as the HTML list and detail; writes
go through accident_record/accident_update, so the API refuses exactly what the form refuses,
with the same Chinese messages keyed by field. Money travels as a string ("125000.50").
"""

from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status

from accidents.domain import AccidentGrade, AccidentType
from accidents.models import Accident, ReportingViolation
from accidents.permissions import get_accident_for_user, recordable_enterprises, require_accident_recorder
from accidents.selectors import AccidentFilters, accident_list, accident_list_totals
from accidents.services import accident_record, accident_update
from lib.api import ERRORS

router = Router(tags=["accidents"])

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
MAX_COUNT = 2_147_483_647
# The only fields a PATCH may set to null; for the others null is refused rather than guessed at.
NULLABLE_FIELDS = frozenset({"reported_at", "grade_override"})

# Choices as inline literals (see enterprises/api.py): no shared components named "Grade".
AccidentTypeCode = Literal[tuple(AccidentType.values)]
GradeCode = Literal[tuple(AccidentGrade.values)]
ReportingCode = Literal[tuple(ReportingViolation.values)]

_MONEY_OUT = gettext_lazy('Yuan as a string with two decimal places, e.g. "125000.50".')
_MONEY_IN = gettext_lazy('Yuan, at most two decimal places; send a string such as "125000.50".')
_DATETIME_IN = gettext_lazy("ISO 8601; without a time zone it is taken as Beijing time.")
_ENTERPRISE_IN = gettext_lazy("Id of an enterprise you may record accidents for.")
_OVERRIDE_IN = gettext_lazy("A grade set by the officer instead of the computed one; null to clear.")


# --- Schemas --------------------------------------------------------------


class AccidentEnterpriseOut(Schema):
    id: int
    name: str
    uscc: str
    region: str = Field(description=gettext_lazy("Name of the county-level division."))

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.name


class AccidentOut(Schema):
    id: int
    enterprise: AccidentEnterpriseOut
    occurred_at: datetime
    place: str
    accident_type: AccidentTypeCode = Field(description=gettext_lazy("GB 6441-1986 accident type."))
    accident_type_label: str
    deaths: int
    serious_injuries: int
    minor_injuries: int
    direct_loss_yuan: str = Field(description=_MONEY_OUT)
    description: str
    reporting_violation: ReportingCode
    reporting_violation_label: str
    reported_at: datetime | None
    grade: GradeCode = Field(
        description=gettext_lazy("The grade that counts: the officer's, else the computed one.")
    )
    grade_label: str
    computed_grade: GradeCode = Field(
        description=gettext_lazy("From the bands of State Council Decree No. 493.")
    )
    grade_override: GradeCode | None
    grade_override_reason: str
    recorded_by: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_accident_type_label(obj: Accident) -> str:
        return obj.get_accident_type_display()

    @staticmethod
    def resolve_direct_loss_yuan(obj: Accident) -> str:
        return f"{obj.direct_loss_yuan:.2f}"

    @staticmethod
    def resolve_reporting_violation_label(obj: Accident) -> str:
        return obj.get_reporting_violation_display()

    @staticmethod
    def resolve_grade(obj: Accident) -> str:
        return obj.effective_grade

    @staticmethod
    def resolve_grade_label(obj: Accident) -> str:
        return obj.get_effective_grade_display()

    @staticmethod
    def resolve_computed_grade(obj: Accident) -> str:
        return obj.grade

    @staticmethod
    def resolve_recorded_by(obj: Accident) -> str:
        return obj.recorded_by.get_full_name() or obj.recorded_by.get_username()


class AccidentTotalsOut(Schema):
    accidents: int
    deaths: int
    serious_injuries: int
    minor_injuries: int
    direct_loss_yuan: str = Field(description=_MONEY_OUT)


class AccidentListOut(Schema):
    count: int = Field(description=gettext_lazy("Number of accidents matching the filters, on all pages."))
    totals: AccidentTotalsOut = Field(description=gettext_lazy("Sums over every matching accident."))
    items: list[AccidentOut]


class AccidentListParams(Schema):
    enterprise: int | None = Field(None, description=gettext_lazy("Id of an enterprise."))
    region: int | None = Field(None, description=gettext_lazy("Id of a county-level division."))
    accident_type: AccidentTypeCode | None = None
    grade: GradeCode | None = Field(None, description=gettext_lazy("The grade that counts."))
    reporting_violation: ReportingCode | None = None
    year: int | None = Field(
        None, ge=1949, le=9999, description=gettext_lazy("Year it occurred (Beijing time).")
    )
    date_from: date | None = Field(
        None, description=gettext_lazy("Occurred on or after this day (Beijing time).")
    )
    date_to: date | None = Field(
        None, description=gettext_lazy("Occurred on or before this day (Beijing time).")
    )
    q: str = Field(
        "", max_length=100, description=gettext_lazy("Enterprise name, USCC prefix, pinyin, or place.")
    )
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0)


class AccidentCreateIn(Schema):
    enterprise: int = Field(description=_ENTERPRISE_IN)
    occurred_at: datetime = Field(description=_DATETIME_IN)
    place: str = Field(max_length=200)
    accident_type: AccidentTypeCode = Field(description=gettext_lazy("GB 6441-1986 accident type."))
    deaths: int = Field(0, le=MAX_COUNT)
    serious_injuries: int = Field(0, le=MAX_COUNT)
    minor_injuries: int = Field(0, le=MAX_COUNT)
    direct_loss_yuan: Decimal = Field(Decimal("0"), description=_MONEY_IN)
    description: str = Field("", max_length=5000)
    reporting_violation: ReportingCode = ReportingViolation.NONE.value
    reported_at: datetime | None = Field(None, description=_DATETIME_IN)
    grade_override: GradeCode | None = Field(None, description=_OVERRIDE_IN)
    grade_override_reason: str = Field("", max_length=1000)


# Every field is optional: fields left out keep their value.
class AccidentUpdateIn(Schema):
    enterprise: int | None = Field(None, description=_ENTERPRISE_IN)
    occurred_at: datetime | None = Field(None, description=_DATETIME_IN)
    place: str | None = Field(None, max_length=200)
    accident_type: AccidentTypeCode | None = None
    deaths: int | None = Field(None, le=MAX_COUNT)
    serious_injuries: int | None = Field(None, le=MAX_COUNT)
    minor_injuries: int | None = Field(None, le=MAX_COUNT)
    direct_loss_yuan: Decimal | None = Field(None, description=_MONEY_IN)
    description: str | None = Field(None, max_length=5000)
    reporting_violation: ReportingCode | None = None
    reported_at: datetime | None = Field(None, description=_DATETIME_IN)
    grade_override: GradeCode | None = Field(None, description=_OVERRIDE_IN)
    grade_override_reason: str | None = Field(None, max_length=1000)


# --- Helpers --------------------------------------------------------------


def _resolve_enterprise(actor, data: dict[str, Any]) -> dict[str, Any]:
    """Return ``data`` with the enterprise id replaced by the enterprise, if the actor may record for it.

    An id outside the actor's scope reads as unknown, so another county's ids stay secret.
    """
    if data.get("enterprise") is None:
        return data
    enterprise = recordable_enterprises(actor).filter(pk=data["enterprise"]).first()
    if enterprise is None:
        raise ValidationError(
            {
                "enterprise": [
                    _("There is no enterprise with the id %(id)s in your scope.") % {"id": data["enterprise"]}
                ]
            }
        )
    return {**data, "enterprise": enterprise}


def _payload(payload: Schema, *, exclude_unset: bool = False) -> dict[str, Any]:
    # Python mode keeps datetimes and Decimals as objects for accident_clean.
    return payload.model_dump(exclude_unset=exclude_unset)


# --- Operations -----------------------------------------------------------


@router.get(
    "/",
    response={200: AccidentListOut, **ERRORS},
    summary=gettext_lazy("List accidents"),
    description=gettext_lazy("Only the accidents you may see, with the filters of the accident list page."),
)
def list_accidents(request: HttpRequest, params: Query[AccidentListParams]):
    filters = AccidentFilters(
        enterprise=params.enterprise,
        region=params.region,
        accident_type=params.accident_type or "",
        grade=params.grade or "",
        reporting_violation=params.reporting_violation or "",
        year=params.year,
        date_from=params.date_from,
        date_to=params.date_to,
        q=params.q,
    )
    qs = accident_list(user=request.auth, filters=filters)
    totals = accident_list_totals(qs)
    return {
        "count": totals.accidents,
        "totals": {**asdict(totals), "direct_loss_yuan": f"{totals.direct_loss_yuan:.2f}"},
        "items": list(qs[params.offset : params.offset + params.limit]),
    }


@router.get("/{accident_id}", response={200: AccidentOut, **ERRORS}, summary=gettext_lazy("One accident"))
def get_accident(request: HttpRequest, accident_id: int):
    return get_accident_for_user(request.auth, accident_id)


@router.post(
    "/",
    response={201: AccidentOut, **ERRORS},
    summary=gettext_lazy("Record an accident"),
    description=gettext_lazy(
        "County and city officers and chiefs, for enterprises in their scope. The grade is computed."
    ),
)
def create_accident(request: HttpRequest, payload: AccidentCreateIn):
    require_accident_recorder(request.auth)  # 403 before any validation for read-only roles
    data = _resolve_enterprise(request.auth, _payload(payload))
    return Status(201, accident_record(actor=request.auth, data=data))


@router.patch(
    "/{accident_id}",
    response={200: AccidentOut, **ERRORS},
    summary=gettext_lazy("Change an accident"),
    description=gettext_lazy("Fields left out keep their value. The change is recorded in the audit log."),
)
def update_accident(request: HttpRequest, accident_id: int, payload: AccidentUpdateIn):
    accident = get_accident_for_user(request.auth, accident_id, "edit")
    changes = _payload(payload, exclude_unset=True)
    empty = [name for name, value in changes.items() if value is None and name not in NULLABLE_FIELDS]
    if empty:
        raise ValidationError({name: _("This field cannot be empty.") for name in empty})
    data = _resolve_enterprise(request.auth, changes)
    return accident_update(actor=request.auth, accident=accident, data=data)
