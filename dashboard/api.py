"""REST access to the statistics dashboard (/api/v1/dashboard/statistics/).

One operation returns every figure of the page, computed by the same selectors with the same
filters and the same scope (city roles: the city; county roles: their division; everyone else
404). Rates and points travel as strings ("83.3"); a rate with no base is null.
"""

from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema

from dashboard import selectors
from dashboard.permissions import require_dashboard_access
from dashboard.selectors import DashboardFilters
from lib.api import ERRORS
from lib.industries import Industry

router = Router(tags=["dashboard"])

IndustryCode = Literal[tuple(Industry.values)]
_DECIMAL = gettext_lazy('A decimal number as a string, e.g. "83.3"; null when there is no base.')


class StatisticsParams(Schema):
    year: int | None = Field(
        None, ge=1949, le=9999, description=gettext_lazy("Narrow to one year (see each figure).")
    )
    region: str | None = Field(
        None,
        max_length=12,
        pattern=r"^[0-9]+$",
        description=gettext_lazy("Code of a county-level division, e.g. 210802 (city roles)."),
    )
    industry: IndustryCode | None = None


class StageOut(Schema):
    status: str
    label: str
    kind: Literal["main", "side", "end"]
    current: int = Field(description=gettext_lazy("Applications in this state now."))
    reached: int = Field(description=gettext_lazy("Applications that ever entered this state."))


class ApplicationGroupOut(Schema):
    code: str = Field(description=gettext_lazy("Division code or industry code."))
    name: str
    total: int
    in_progress: int
    announced: int
    not_passed: int
    other_ends: int


class PassRateOut(Schema):
    announced: int
    not_passed: int
    decided: int
    rate: str | None = Field(description=_DECIMAL)


class ScoreBinOut(Schema):
    code: str = Field(description=gettext_lazy('"<60", "60-65", …, "95-100" (95 ≤ x ≤ 100).'))
    count: int


class ElementLossOut(Schema):
    standard: str
    element_no: int
    element: str
    points_lost: str = Field(description=_DECIMAL)
    extra_deductions: str = Field(description=_DECIMAL)
    enterprises: int
    reviews: int


class HazardCountsOut(Schema):
    code: str = Field(description=gettext_lazy("Hazard level or division code."))
    name: str
    found: int
    closed: int
    closed_on_time: int
    open: int
    overdue: int
    open_major: int


class StepOut(Schema):
    status: str
    label: str
    kind: Literal["limit", "minimum"]
    parameter: str
    limit: int | None = Field(description=gettext_lazy("Working days, the parameter in force today."))
    n: int
    mean: str | None = Field(description=_DECIMAL)
    longest: int | None
    outside: int = Field(description=gettext_lazy("Stays longer than the limit (shorter than the minimum)."))
    unmeasured: int


class CertificateStateOut(Schema):
    state: Literal["active", "expiring", "expired", "revoked", "superseded"]
    count: int


class AccidentPeriodOut(Schema):
    year: int
    quarter: int | None
    certified_accidents: int
    certified_deaths: int
    uncertified_accidents: int
    uncertified_deaths: int


class BeforeAfterRowOut(Schema):
    enterprise: str
    issued_on: date
    before_accidents: int
    before_deaths: int
    after_accidents: int
    after_deaths: int


class BeforeAfterOut(Schema):
    n: int = Field(description=gettext_lazy("First certificates compared."))
    excluded: int = Field(description=gettext_lazy("First certificates whose 12 months after are not over."))
    before_accidents: int
    after_accidents: int
    before_deaths: int
    after_deaths: int
    accidents_change: str | None = Field(description=_DECIMAL)
    deaths_change: str | None = Field(description=_DECIMAL)
    rows: list[BeforeAfterRowOut]


class StatisticsOut(Schema):
    applications_by_stage: list[StageOut]
    applications_by_division: list[ApplicationGroupOut]
    applications_by_industry: list[ApplicationGroupOut]
    pass_rate: PassRateOut
    score_distribution: list[ScoreBinOut]
    element_losses: list[ElementLossOut]
    hazards_by_level: list[HazardCountsOut]
    hazards_by_division: list[HazardCountsOut]
    step_durations: list[StepOut]
    certificates_by_state: list[CertificateStateOut]
    accidents_by_year: list[AccidentPeriodOut]
    accidents_by_quarter: list[AccidentPeriodOut]
    before_after: BeforeAfterOut


def _plain(value: Any) -> Any:
    """Dataclasses to dicts with Decimals as strings (the API's rule for exact numbers)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "__dataclass_fields__"):
        return _plain(asdict(value))
    return value


@router.get(
    "/statistics/",
    response={200: StatisticsOut, **ERRORS},
    summary=gettext_lazy("Statistics"),
    description=gettext_lazy(
        "Every figure of the statistics dashboard for your area (city or county roles), with the page's filters."
    ),
)
def statistics(request: HttpRequest, params: Query[StatisticsParams]):
    user = request.auth
    require_dashboard_access(user)
    filters = DashboardFilters(year=params.year, region=params.region, industry=params.industry)
    today = timezone.localdate()
    return _plain(
        {
            "applications_by_stage": selectors.applications_by_stage(user, filters),
            "applications_by_division": selectors.applications_by_division(user, filters),
            "applications_by_industry": selectors.applications_by_industry(user, filters),
            "pass_rate": selectors.pass_rate(user, filters),
            "score_distribution": selectors.score_distribution(user, filters),
            "element_losses": selectors.element_losses(user, filters),
            "hazards_by_level": selectors.hazards_by_level(user, filters, today),
            "hazards_by_division": selectors.hazards_by_division(user, filters, today),
            "step_durations": selectors.step_durations(user, filters, today),
            "certificates_by_state": selectors.certificates_by_state(user, filters, today),
            "accidents_by_year": selectors.accidents_by_year(user, filters),
            "accidents_by_quarter": selectors.accidents_by_quarter(user, filters),
            "before_after": selectors.before_after(user, filters, today),
        }
    )
