"""The dashboard's figures: one function per figure, each aggregated in the database.

Every function takes the user and a ``DashboardFilters`` and returns plain rows (dataclasses).
Every query goes through ``dashboard.permissions.scoped_enterprise_filter`` (the user's region
scope on the enterprise's region path, plus the division and industry filters), and each
figure costs a fixed number of queries whatever the number of enterprises: counts are
``values()``/``annotate()`` in SQL; only the working-day figure and the before/after
comparison read rows into Python (one query each), because their arithmetic (working days,
windows) lives in ``dashboard.domain``.

The year filter means, per figure: applications created in the year; decisions (pass rate)
made in the year; reviews finalised in the year; hazards found in the year; stays that ended
in the year; certificates issued in the year; accidents that occurred in the year; first
certificates issued in the year.

Each figure is cached (``@statistic``) for ``DASHBOARD_CACHE_SECONDS`` per region scope,
filters, day and language: the page, its exports and the API share the entry, and a
province-sized database is aggregated once per period instead of on every visit.
"""

import functools
import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractQuarter, ExtractYear, TruncDate
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accidents.models import Accident
from accidents.selectors import local_midnight
from accounts.models import Region
from accounts.permissions import region_scope_path
from dashboard import domain
from dashboard.permissions import can_view_dashboard, scoped_enterprise_filter
from grading.models import TERMINAL_STATES, ApplicationTransition, GradingApplication, Status
from grading.workflow import STATE_TIMERS
from lib.dates import WorkingDayCounter
from lib.industries import Industry
from rectification.models import Hazard
from rectification.selectors import overdue_q
from regulation.selectors import ParameterMissing, param_int, work_calendar
from results import domain as results_domain
from results.models import Certificate
from reviews.models import SiteReview
from standards.models import ScoreSheet, SheetDeduction, SheetItem


@dataclass(frozen=True)
class DashboardFilters:
    """The page's filters (GET parameters), shared by the page, the exports and the API.

    ``region`` is the code of a county-level division (e.g. "210802"); ``industry`` an
    ``Industry`` value. A county user's figures stay inside his division whatever he asks for.
    """

    year: int | None = None
    region: str | None = None
    industry: str | None = None


def statistic(func):
    """Cache the figure's rows per scope, filters, day and language for DASHBOARD_CACHE_SECONDS.

    The key holds what the result depends on: the region path the user's figures cover
    (two officers of one county share an entry; a county never reads the city's), the
    filters, the day (``today`` or Beijing's date) and the language of the labels. 0 turns
    caching off (the tests do).
    """

    @functools.wraps(func)
    def wrapper(user, filters: DashboardFilters, *args, **kwargs):
        seconds = settings.DASHBOARD_CACHE_SECONDS
        if seconds <= 0:
            return func(user, filters, *args, **kwargs)
        path = region_scope_path(user) if can_view_dashboard(user) else ""
        today = kwargs.get("today") or (args[0] if args else None) or timezone.localdate()
        raw = repr((func.__module__, func.__name__, path, filters, today.isoformat(), get_language()))
        key = "dashboard:v1:" + hashlib.sha256(raw.encode()).hexdigest()
        value = cache.get(key)
        if value is None:
            value = func(user, filters, *args, **kwargs)
            cache.set(key, value, seconds)
        return value

    return wrapper


def _scope(user, filters: DashboardFilters, prefix: str = "enterprise__") -> Q:
    return scoped_enterprise_filter(
        user, prefix=prefix, division=filters.region or "", industry=filters.industry or ""
    )


def _in_year(field: str, year: int | None) -> Q:
    """A Beijing calendar year on a DateTimeField (times are stored in UTC)."""
    if not year:
        return Q()
    return Q(
        **{
            f"{field}__gte": local_midnight(date(year, 1, 1)),
            f"{field}__lt": local_midnight(date(year + 1, 1, 1)),
        }
    )


def _on_year(field: str, year: int | None) -> Q:
    """A calendar year on a DateField."""
    return Q(**{f"{field}__year": year}) if year else Q()


# --- Divisions --------------------------------------------------------------------------


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    path: str


def divisions(user, filters: DashboardFilters | None = None) -> list[Division]:
    """The county-level divisions the user's figures are broken down by (one query)."""
    if not can_view_dashboard(user):
        return []
    qs = Region.objects.filter(path__startswith=region_scope_path(user), level=Region.Level.COUNTY)
    if filters is not None and filters.region:
        qs = qs.filter(code=filters.region)
    return [Division(r.code, r.name, r.path) for r in qs.order_by("sort_order", "code")]


def _division_of(path: str, known: list[Division]) -> Division | None:
    """The county-level ancestor (or self) of a region path, among ``known``."""
    for division in known:
        if path.startswith(division.path):
            return division
    return None


def _fold_by_division(rows, known: list[Division], path_key: str, fields: tuple[str, ...]) -> list[dict]:
    """Add up aggregated rows keyed by region path into one row per division (zeros included)."""
    totals = {d.code: dict.fromkeys(fields, 0) for d in known}
    other = dict.fromkeys(fields, 0)
    for row in rows:
        division = _division_of(row[path_key], known)
        target = totals[division.code] if division else other
        for field in fields:
            target[field] += row[field] or 0
    result = [{"code": d.code, "name": d.name, **totals[d.code]} for d in known]
    if any(other.values()):
        result.append({"code": "", "name": _("Other"), **other})
    return result


# --- Applications -------------------------------------------------------------------------

# The main path of an application, in order; the rest are side states and ends.
MAIN_PATH = (
    Status.DRAFT,
    Status.INTERNAL_PUBLICITY,
    Status.COUNTY_REVIEW,
    Status.CITY_REVIEW,
    Status.ACCEPTED,
    Status.PANEL_FORMING,
    Status.REVIEW_SCHEDULED,
    Status.ON_SITE_REVIEW,
    Status.RECTIFYING,
    Status.RECTIFICATION_CHECK,
    Status.RESULT_CONFIRMATION,
    Status.PUBLICITY,
    Status.OBJECTION_CHECK,
    Status.ANNOUNCED,
)
FAILED_ENDS = (Status.NOT_PASSED, Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.TERMINATED_FALSE_COMMITMENT)
SIDE_STATES = (Status.COUNTY_RETURNED, Status.CITY_RETURNED)
STAGE_ORDER = (*MAIN_PATH[:3], SIDE_STATES[0], MAIN_PATH[3], SIDE_STATES[1], *MAIN_PATH[4:], *FAILED_ENDS)


@dataclass(frozen=True)
class StageRow:
    status: str
    label: str
    kind: str  # "main" (the path to announcement), "side" (returned for correction) or "end" (failed ends)
    current: int  # applications in this state now
    reached: int  # applications that ever entered it (every application starts as a draft)


def _applications(user, filters: DashboardFilters):
    return GradingApplication.objects.filter(_scope(user, filters), _in_year("created_at", filters.year))


@statistic
def applications_by_stage(user, filters: DashboardFilters) -> list[StageRow]:
    """The funnel: per state, how many applications are in it now and how many ever reached it (one query)."""
    aggregates = {}
    for status in STAGE_ORDER:
        aggregates[f"cur_{status}"] = Count("pk", distinct=True, filter=Q(status=status))
        if status != Status.DRAFT:
            aggregates[f"reach_{status}"] = Count(
                "pk", distinct=True, filter=Q(status=status) | Q(transitions__to_state=status)
            )
    aggregates["total"] = Count("pk", distinct=True)
    counts = _applications(user, filters).aggregate(**aggregates)
    rows = []
    for status in STAGE_ORDER:
        kind = "main" if status in MAIN_PATH else "side" if status in SIDE_STATES else "end"
        reached = counts["total"] if status == Status.DRAFT else counts[f"reach_{status}"]
        rows.append(StageRow(status, str(Status(status).label), kind, counts[f"cur_{status}"], reached))
    return rows


@dataclass(frozen=True)
class ApplicationGroupRow:
    code: str
    name: str
    total: int
    in_progress: int
    announced: int
    not_passed: int
    other_ends: int  # not accepted, withdrawn, terminated


_GROUP_FIELDS = ("total", "in_progress", "announced", "not_passed", "other_ends")


def _group_counts() -> dict:
    return {
        "total": Count("pk"),
        "in_progress": Count("pk", filter=~Q(status__in=TERMINAL_STATES)),
        "announced": Count("pk", filter=Q(status=Status.ANNOUNCED)),
        "not_passed": Count("pk", filter=Q(status=Status.NOT_PASSED)),
        "other_ends": Count(
            "pk", filter=Q(status__in=TERMINAL_STATES) & ~Q(status__in=[Status.ANNOUNCED, Status.NOT_PASSED])
        ),
    }


@statistic
def applications_by_division(user, filters: DashboardFilters) -> list[ApplicationGroupRow]:
    """Applications per county-level division of the enterprise (two queries)."""
    rows = (
        _applications(user, filters).order_by().values("enterprise__region_path").annotate(**_group_counts())
    )
    folded = _fold_by_division(rows, divisions(user, filters), "enterprise__region_path", _GROUP_FIELDS)
    return [ApplicationGroupRow(**row) for row in folded]


def _industries(filters: DashboardFilters) -> list[tuple[str, str]]:
    return [
        (value, str(label))
        for value, label in Industry.choices
        if not filters.industry or value == filters.industry
    ]


@statistic
def applications_by_industry(user, filters: DashboardFilters) -> list[ApplicationGroupRow]:
    """Applications per industry of the enterprise, every industry listed (one query)."""
    counts = {
        row["enterprise__industry"]: row
        for row in _applications(user, filters)
        .order_by()
        .values("enterprise__industry")
        .annotate(**_group_counts())
    }
    return [
        ApplicationGroupRow(code, label, *(counts.get(code, {}).get(f, 0) for f in _GROUP_FIELDS))
        for code, label in _industries(filters)
    ]


@dataclass(frozen=True)
class PassRate:
    announced: int
    not_passed: int
    decided: int
    rate: Decimal | None  # percent, one decimal; None when nothing was decided


@statistic
def pass_rate(user, filters: DashboardFilters) -> PassRate:
    """Announced ÷ (announced + not passed), over applications decided in the year (one query)."""
    counts = GradingApplication.objects.filter(
        _scope(user, filters), _in_year("status_changed_at", filters.year)
    ).aggregate(
        announced=Count("pk", filter=Q(status=Status.ANNOUNCED)),
        not_passed=Count("pk", filter=Q(status=Status.NOT_PASSED)),
    )
    passed, failed = counts["announced"], counts["not_passed"]
    return PassRate(passed, failed, passed + failed, domain.pass_rate(passed, failed))


@dataclass(frozen=True)
class ScoreBinRow:
    code: str  # "<60", "60-65", …, "95-100"
    count: int


@statistic
def score_distribution(user, filters: DashboardFilters) -> list[ScoreBinRow]:
    """Finalised on-site reviews by score rate, in bins of 5 points from 60 and one below (one query)."""
    whens = []
    for code, lower, upper in domain.SCORE_BINS:
        condition = Q()
        if lower is not None:
            condition &= Q(percentage__gte=lower)
        if code != domain.SCORE_BINS[-1][0]:
            condition &= Q(percentage__lt=upper)
        whens.append(When(condition, then=Value(code)))
    counts = dict(
        SiteReview.objects.filter(
            _scope(user, filters, "application__enterprise__"),
            _in_year("finalised_at", filters.year),
            finalised_at__isnull=False,
            percentage__isnull=False,
        )
        .annotate(bin=Case(*whens, output_field=CharField()))
        .order_by()
        .values("bin")
        .annotate(n=Count("pk"))
        .values_list("bin", "n")
    )
    return [ScoreBinRow(code, counts.get(code, 0)) for code, _lo, _hi in domain.SCORE_BINS]


@dataclass(frozen=True)
class ElementLossRow:
    standard: str
    element_no: int
    element: str
    points_lost: Decimal  # Σ (points − item score) over the element's applicable items
    extra_deductions: Decimal  # Σ extra deductions taken off the element
    enterprises: int  # enterprises that lost points in it
    reviews: int  # finalised panel sheets that lost points in it


@statistic
def element_losses(user, filters: DashboardFilters) -> list[ElementLossRow]:
    """Where enterprises lose points: per element, on the panel sheets of finalised reviews (one query).

    An item's loss is ``min(points, Σ deductions)`` (the engine floors item scores at 0);
    N/A items lose nothing. Sorted by points lost, largest first.
    """
    panel_sheets = ScoreSheet.objects.filter(
        kind=ScoreSheet.Kind.CONSOLIDATED,
        review_as_panel__finalised_at__isnull=False,
    ).filter(_scope(user, filters, "review_as_panel__application__enterprise__"))
    if filters.year:
        panel_sheets = panel_sheets.filter(_in_year("review_as_panel__finalised_at", filters.year))
    money = DecimalField(max_digits=9, decimal_places=1)
    deducted = Coalesce(
        Subquery(
            SheetDeduction.objects.filter(entry=OuterRef("pk"))
            .order_by()
            .values("entry")
            .annotate(total=Sum("points"))
            .values("total"),
            output_field=money,
        ),
        Value(Decimal(0)),
        output_field=money,
    )
    rows = (
        SheetItem.objects.filter(sheet__in=panel_sheets, applicable=True)
        .annotate(deducted=deducted)
        .annotate(
            lost=Case(
                When(deducted__gt=F("item__points"), then=F("item__points")),
                default=F("deducted"),
                output_field=money,
            )
        )
        .filter(Q(lost__gt=0) | Q(extra_deduction__gt=0))
        .order_by()
        .values(
            "item__subelement__element_id",
            "item__subelement__element__no",
            "item__subelement__element__name",
            "item__standard__name",
        )
        .annotate(
            points_lost=Sum("lost"),
            extra=Sum("extra_deduction"),
            enterprises=Count("sheet__review_as_panel__application__enterprise", distinct=True),
            reviews=Count("sheet", distinct=True),
        )
    )
    result = [
        ElementLossRow(
            standard=row["item__standard__name"],
            element_no=row["item__subelement__element__no"],
            element=row["item__subelement__element__name"],
            points_lost=Decimal(row["points_lost"] or 0).quantize(domain.ONE_DECIMAL),
            extra_deductions=Decimal(row["extra"] or 0).quantize(domain.ONE_DECIMAL),
            enterprises=row["enterprises"],
            reviews=row["reviews"],
        )
        for row in rows
    ]
    result.sort(key=lambda r: (-(r.points_lost + r.extra_deductions), r.standard, r.element_no))
    return result


# --- Hazards ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HazardRow:
    code: str
    name: str
    found: int
    closed: int
    closed_on_time: int  # closed, and the fix was submitted by the deadline
    open: int
    overdue: int  # open past the deadline now (rectification.domain.is_overdue)
    open_major: int


_HAZARD_FIELDS = ("found", "closed", "closed_on_time", "open", "overdue", "open_major")


def _hazard_counts(today: date) -> dict:
    closed = Q(status=Hazard.Status.CLOSED)
    return {
        "found": Count("pk"),
        "closed": Count("pk", filter=closed),
        "closed_on_time": Count("pk", filter=closed & Q(submitted_at__date__lte=F("deadline"))),
        "open": Count("pk", filter=~closed),
        "overdue": Count("pk", filter=overdue_q(today)),
        "open_major": Count("pk", filter=~closed & Q(level=Hazard.Level.MAJOR)),
    }


def _hazards(user, filters: DashboardFilters):
    return Hazard.objects.filter(_scope(user, filters), _on_year("found_on", filters.year)).order_by()


@statistic
def hazards_by_level(user, filters: DashboardFilters, today: date | None = None) -> list[HazardRow]:
    """Hazards found, closed (on time), open and overdue, per level (一般 / 重大) (one query)."""
    today = today or timezone.localdate()
    counts = {
        row["level"]: row for row in _hazards(user, filters).values("level").annotate(**_hazard_counts(today))
    }
    return [
        HazardRow(code, str(label), *(counts.get(code, {}).get(f, 0) for f in _HAZARD_FIELDS))
        for code, label in Hazard.Level.choices
    ]


@statistic
def hazards_by_division(user, filters: DashboardFilters, today: date | None = None) -> list[HazardRow]:
    """The same counts per county-level division (two queries)."""
    today = today or timezone.localdate()
    rows = _hazards(user, filters).values("enterprise__region_path").annotate(**_hazard_counts(today))
    folded = _fold_by_division(rows, divisions(user, filters), "enterprise__region_path", _HAZARD_FIELDS)
    return [HazardRow(**row) for row in folded]


# --- Working days per step ----------------------------------------------------------------


@dataclass(frozen=True)
class StepRow:
    status: str
    label: str
    kind: str  # "limit" or "minimum"
    parameter: str
    limit: int | None  # the parameter in force today (None when not configured)
    n: int
    mean: Decimal | None
    longest: int | None
    outside: int  # longer than the limit (shorter than the minimum)
    unmeasured: int  # the holiday calendar lacks a year of the stay


@statistic
def step_durations(user, filters: DashboardFilters, today: date | None = None) -> list[StepRow]:
    """Mean working days spent in each timed state, against its limit (one query of transitions,
    one of the calendar, one per parameter).

    A stay runs from the move into the state to the next move out of it (``ApplicationTransition``
    rows, Beijing days, the entry day not counted); stays still running are not counted, and the
    year filter keeps stays that ended in the year.
    """
    today = today or timezone.localdate()
    states = list(STATE_TIMERS)
    tz = timezone.get_default_timezone()
    moves = (
        ApplicationTransition.objects.filter(
            _scope(user, filters, "application__enterprise__"),
            Q(to_state__in=states) | Q(from_state__in=states),
        )
        .order_by("application_id", "created_at", "pk")
        # The Beijing day in SQL: converting 280,000 datetimes in Python took a second.
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values_list("application_id", "from_state", "to_state", "day")
    )
    spans = domain.stays((domain.Move(app, src, dst, day) for app, src, dst, day in moves), states)
    count = WorkingDayCounter(work_calendar())

    rows = []
    for status in states:
        key, kind = STATE_TIMERS[status]
        try:
            limit = param_int(key, today)
        except ParameterMissing:
            limit = None
        kept = [s for s in spans[status] if not filters.year or s[1].year == filters.year]
        stats = domain.stay_stats(kept, limit, count, kind=kind)
        rows.append(
            StepRow(
                status, str(Status(status).label), kind, key, limit,
                stats.n, stats.mean, stats.longest, stats.outside, stats.unmeasured,
            )
        )  # fmt: skip
    return rows


# --- Certificates -------------------------------------------------------------------------

CERTIFICATE_STATES = (
    results_domain.ACTIVE,
    results_domain.EXPIRING,
    results_domain.EXPIRED,
    results_domain.REVOKED,
    results_domain.SUPERSEDED,
)


@dataclass(frozen=True)
class CertificateStateRow:
    state: str  # results.domain: active / expiring / expired / revoked / superseded
    count: int


def certificate_state_case(today: date, window_months: int) -> Case:
    """``results.domain.certificate_state`` as SQL (see ``dashboard.domain.expiring_before``)."""
    boundary = domain.expiring_before(today, window_months)
    return Case(
        When(status=Certificate.Status.REVOKED, then=Value(results_domain.REVOKED)),
        When(status=Certificate.Status.SUPERSEDED, then=Value(results_domain.SUPERSEDED)),
        When(expires_on__lt=today, then=Value(results_domain.EXPIRED)),
        When(expires_on__lt=boundary, then=Value(results_domain.EXPIRING)),
        default=Value(results_domain.ACTIVE),
        output_field=CharField(),
    )


@statistic
def certificates_by_state(
    user, filters: DashboardFilters, today: date | None = None
) -> list[CertificateStateRow]:
    """Certificates by what they say today: 有效 / 即将到期 / 已过期 / 已撤销 / 已换证 (two queries)."""
    today = today or timezone.localdate()
    try:
        window = param_int("renewal_window", today)
    except ParameterMissing:
        window = 3  # domain.md §9: the last 3 months
    counts = dict(
        Certificate.objects.filter(_scope(user, filters), _on_year("issued_on", filters.year))
        .annotate(state=certificate_state_case(today, window))
        .order_by()
        .values("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return [CertificateStateRow(state, counts.get(state, 0)) for state in CERTIFICATE_STATES]


# --- Accidents ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AccidentPeriodRow:
    year: int
    quarter: int | None  # None in the yearly rows
    certified_accidents: int
    certified_deaths: int
    uncertified_accidents: int
    uncertified_deaths: int

    @property
    def accidents(self) -> int:
        return self.certified_accidents + self.uncertified_accidents

    @property
    def deaths(self) -> int:
        return self.certified_deaths + self.uncertified_deaths


def certified_on_day() -> Exists:
    """True when the accident's enterprise held a certificate valid on the accident's Beijing day.

    Valid: issued on or before the day, expiring on or after it, and not revoked before it
    (superseded certificates count for the days they covered). Needs ``day`` annotated.
    """
    return Exists(
        Certificate.objects.filter(
            enterprise_id=OuterRef("enterprise_id"),
            issued_on__lte=OuterRef("day"),
            expires_on__gte=OuterRef("day"),
        ).filter(Q(revoked_on__isnull=True) | Q(revoked_on__gte=OuterRef("day")))
    )


@statistic
def accidents_by_quarter(user, filters: DashboardFilters) -> list[AccidentPeriodRow]:
    """Accidents and deaths per quarter (Beijing time), certified vs uncertified enterprises (one query)."""
    tz = timezone.get_default_timezone()
    rows = (
        Accident.objects.filter(_scope(user, filters), _in_year("occurred_at", filters.year))
        .annotate(day=TruncDate("occurred_at", tzinfo=tz))
        .annotate(
            certified=certified_on_day(),
            y=ExtractYear("occurred_at", tzinfo=tz),
            q=ExtractQuarter("occurred_at", tzinfo=tz),
        )
        .order_by()
        .values("y", "q", "certified")
        .annotate(n=Count("pk"), deaths=Coalesce(Sum("deaths"), 0, output_field=IntegerField()))
    )
    table: dict[tuple[int, int], list[int]] = {}
    for row in rows:
        cell = table.setdefault((row["y"], row["q"]), [0, 0, 0, 0])
        offset = 0 if row["certified"] else 2
        cell[offset] += row["n"]
        cell[offset + 1] += row["deaths"]
    return [AccidentPeriodRow(y, q, *table[(y, q)]) for y, q in sorted(table)]


@statistic
def accidents_by_year(user, filters: DashboardFilters) -> list[AccidentPeriodRow]:
    """The quarterly rows added up per year (one query)."""
    years: dict[int, list[int]] = {}
    for row in accidents_by_quarter(user, filters):
        cell = years.setdefault(row.year, [0, 0, 0, 0])
        cell[0] += row.certified_accidents
        cell[1] += row.certified_deaths
        cell[2] += row.uncertified_accidents
        cell[3] += row.uncertified_deaths
    return [AccidentPeriodRow(y, None, *years[y]) for y in sorted(years)]


@dataclass(frozen=True)
class BeforeAfterEnterpriseRow:
    enterprise: str
    issued_on: date
    before_accidents: int
    before_deaths: int
    after_accidents: int
    after_deaths: int


@dataclass(frozen=True)
class BeforeAfterFigure:
    rows: list[BeforeAfterEnterpriseRow]
    n: int
    excluded: int
    before_accidents: int
    after_accidents: int
    before_deaths: int
    after_deaths: int
    accidents_change: Decimal | None
    deaths_change: Decimal | None


@statistic
def before_after(user, filters: DashboardFilters, today: date | None = None) -> BeforeAfterFigure:
    """Accidents and deaths in the 12 months before and after each enterprise's first certificate (two queries).

    The year filter keeps enterprises whose first certificate was issued in that year. The
    arithmetic (windows, exclusions, change) is ``dashboard.domain.before_after``.
    """
    today = today or timezone.localdate()
    firsts = (
        Certificate.objects.filter(_scope(user, filters))
        .order_by()
        .values("enterprise_id", "enterprise__name")
        .annotate(first=Min("issued_on"))
    )
    if filters.year:
        firsts = firsts.filter(first__year=filters.year)
    firsts = list(firsts)
    if not firsts:
        return BeforeAfterFigure([], 0, 0, 0, 0, 0, 0, None, None)
    names = {row["enterprise_id"]: row["enterprise__name"] for row in firsts}
    earliest = min(row["first"] for row in firsts)
    start = domain.windows(earliest)[0][0]
    tz = timezone.get_default_timezone()
    accidents = Accident.objects.filter(
        _scope(user, filters),
        enterprise_id__in=Certificate.objects.filter(_scope(user, filters)).values("enterprise_id"),
        occurred_at__gte=local_midnight(start),
    ).values_list("enterprise_id", "occurred_at", "deaths")
    result = domain.before_after(
        [domain.CertificateFact(row["enterprise_id"], row["first"]) for row in firsts],
        [
            domain.AccidentFact(key, timezone.localtime(at, tz).date(), deaths)
            for key, at, deaths in accidents
            if key in names
        ],
        today=today,
    )
    rows = [
        BeforeAfterEnterpriseRow(
            names[r.enterprise_id],
            r.issued_on,
            r.before_accidents,
            r.before_deaths,
            r.after_accidents,
            r.after_deaths,
        )
        for r in result.rows
    ]
    return BeforeAfterFigure(
        rows,
        result.n,
        result.excluded,
        result.before_accidents,
        result.after_accidents,
        result.before_deaths,
        result.after_deaths,
        result.accidents_change,
        result.deaths_change,
    )
