"""The dashboard's figures as tables and chart data: one builder per figure, shared by the page
and the Excel exports, so an export holds exactly the rows of the table on the page.

A ``Figure`` has one or more ``Table``s (the accessible truth: headings and rows of plain
values, "—" where there is no number) and a ``chart`` dict that ``static/dashboard/dashboard.js``
turns into an ECharts option (the decoration). No queries here beyond the selector's.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboard import selectors
from dashboard.selectors import DashboardFilters
from results import domain as results_domain

DASH = "—"


# A table on the page shows at most this many rows; the export and the API hold them all
# (the per-enterprise before/after table has a row per certified enterprise: 20k in a province).
PAGE_ROWS = 50


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[Any]]
    title: str = ""
    footer: list[Any] | None = None  # a totals row, shown and exported after the rows
    total_rows: int | None = None  # set when ``rows`` was cut for the page

    @property
    def rows_not_shown(self) -> int:
        return 0 if self.total_rows is None else self.total_rows - len(self.rows)

    def for_page(self) -> "Table":
        if len(self.rows) <= PAGE_ROWS:
            return self
        return replace(self, rows=self.rows[:PAGE_ROWS], total_rows=len(self.rows))


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    definition: str
    tables: list[Table]
    chart: dict[str, Any] = field(default_factory=dict)
    summary: list[tuple[str, Any]] = field(default_factory=list)  # headline numbers above the table
    wide: bool = False  # the card takes the whole width (several or wide tables)


def _num(value: Decimal | int | None) -> Any:
    """A cell: the number, or "—" when there is none (a rate with no base)."""
    return DASH if value is None else value


def _chart_value(value: Decimal | int | None) -> float | int | None:
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal) else value


def _series(name: str, values, **extra) -> dict[str, Any]:
    return {"name": str(name), "data": [_chart_value(v) for v in values], **extra}


# --- Builders -----------------------------------------------------------------------------


def stages(user, filters: DashboardFilters, today: date) -> Figure:
    rows = selectors.applications_by_stage(user, filters)
    kinds = {"main": _("Main path"), "side": _("Returned for correction"), "end": _("Ended without a grade")}
    main = [r for r in rows if r.kind == "main"]
    return Figure(
        "stages",
        _("Applications by stage"),
        _(
            "Grading applications (created in the year, if one is chosen): how many are in each state now, "
            "and how many ever reached it according to their timeline."
        ),
        [
            Table(
                [_("Stage"), _("Kind"), _("In this stage now"), _("Ever reached")],
                [[r.label, kinds[r.kind], r.current, r.reached] for r in rows],
            )
        ],
        {
            "type": "hbar",
            "categories": [r.label for r in main],
            "series": [
                _series(_("Ever reached"), [r.reached for r in main]),
                _series(_("In this stage now"), [r.current for r in main]),
            ],
        },
    )


def _group_table(rows, first: str) -> Table:
    return Table(
        [first, _("Applications"), _("In progress"), _("Announced"), _("Not passed"), _("Other ends")],
        [[r.name, r.total, r.in_progress, r.announced, r.not_passed, r.other_ends] for r in rows],
        footer=[
            _("Total"),
            *(
                sum(getattr(r, f) for r in rows)
                for f in ("total", "in_progress", "announced", "not_passed", "other_ends")
            ),
        ],
    )


def _group_chart(rows) -> dict[str, Any]:
    return {
        "type": "bar",
        "stack": True,
        "categories": [r.name for r in rows],
        "series": [
            _series(_("In progress"), [r.in_progress for r in rows]),
            _series(_("Announced"), [r.announced for r in rows]),
            _series(_("Not passed"), [r.not_passed for r in rows]),
            _series(_("Other ends"), [r.other_ends for r in rows]),
        ],
    }


def divisions(user, filters: DashboardFilters, today: date) -> Figure:
    rows = selectors.applications_by_division(user, filters)
    return Figure(
        "divisions",
        _("Applications by division"),
        _("Applications by the county-level division of the enterprise."),
        [_group_table(rows, _("Division"))],
        _group_chart(rows),
    )


def industries(user, filters: DashboardFilters, today: date) -> Figure:
    rows = selectors.applications_by_industry(user, filters)
    return Figure(
        "industries",
        _("Applications by industry"),
        _("Applications by the industry of the enterprise."),
        [_group_table(rows, _("Industry"))],
        _group_chart(rows),
    )


def pass_rate(user, filters: DashboardFilters, today: date) -> Figure:
    rate = selectors.pass_rate(user, filters)
    return Figure(
        "pass_rate",
        _("Pass rate"),
        _(
            "Among applications decided (in the year, if one is chosen): announced ÷ (announced + not passed). "
            "Applications withdrawn or not accepted are not decided on their merits and are left out."
        ),
        [
            Table(
                [_("Announced"), _("Not passed"), _("Decided"), _("Pass rate (%)")],
                [[rate.announced, rate.not_passed, rate.decided, _num(rate.rate)]],
            )
        ],
        {
            "type": "pie",
            "categories": [_("Announced"), _("Not passed")],
            "series": [_series(_("Applications"), [rate.announced, rate.not_passed])],
        },
        summary=[(_("Pass rate"), DASH if rate.rate is None else f"{rate.rate}%")],
    )


def _bin_label(code: str) -> str:
    return _("below 60") if code == "<60" else code.replace("-", "–")


def scores(user, filters: DashboardFilters, today: date) -> Figure:
    rows = selectors.score_distribution(user, filters)
    return Figure(
        "scores",
        _("Score distribution"),
        _(
            "Finalised on-site reviews by score rate (%), in bins of 5 points: 60 ≤ x < 65 … 95 ≤ x ≤ 100, "
            "and below 60."
        ),
        [
            Table(
                [_("Score rate (%)"), _("Reviews")],
                [[_bin_label(r.code), r.count] for r in rows],
                footer=[_("Total"), sum(r.count for r in rows)],
            )
        ],
        {
            "type": "bar",
            "categories": [_bin_label(r.code) for r in rows],
            "series": [_series(_("Reviews"), [r.count for r in rows])],
        },
    )


def elements(user, filters: DashboardFilters, today: date) -> Figure:
    rows = selectors.element_losses(user, filters)
    top = rows[:15]
    return Figure(
        "elements",
        _("Where enterprises lose points"),
        _(
            "On the panel sheets of finalised reviews: per element, the points lost on its items "
            "(points − item score, N/A items excluded) and the extra deductions, with how many enterprises "
            "lost points there. Largest first: what to teach next."
        ),
        [
            Table(
                [
                    _("Standard"),
                    _("Element"),
                    _("Points lost"),
                    _("Extra deductions"),
                    _("Enterprises"),
                    _("Reviews"),
                ],
                [
                    [
                        r.standard,
                        f"{r.element_no}. {r.element}",
                        r.points_lost,
                        r.extra_deductions,
                        r.enterprises,
                        r.reviews,
                    ]
                    for r in rows
                ],
            )
        ],
        {
            "type": "hbar",
            "categories": [f"{r.element_no}. {r.element}" for r in top],
            "series": [_series(_("Points lost"), [r.points_lost + r.extra_deductions for r in top])],
        },
    )


def _hazard_table(rows, first: str) -> Table:
    fields = ("found", "closed", "closed_on_time", "open", "overdue", "open_major")
    return Table(
        [first, _("Found"), _("Closed"), _("Closed on time"), _("Open"), _("Overdue"), _("Open major")],
        [[r.name, *(getattr(r, f) for f in fields)] for r in rows],
        footer=[_("Total"), *(sum(getattr(r, f) for r in rows) for f in fields)],
    )


def _hazard_chart(rows) -> dict[str, Any]:
    return {
        "type": "bar",
        "categories": [r.name for r in rows],
        "series": [
            _series(_("Found"), [r.found for r in rows]),
            _series(_("Closed"), [r.closed for r in rows]),
            _series(_("Overdue"), [r.overdue for r in rows]),
        ],
    }


HAZARD_DEFINITION = gettext_lazy(
    "Hazards in the ledgers (found in the year, if one is chosen). Closed on time: the fix was submitted "
    "by the deadline. Overdue: open today past the deadline (a fix submitted in time and awaiting "
    "verification is not overdue)."
)


def hazards_level(user, filters: DashboardFilters, today: date) -> Figure:
    rows = selectors.hazards_by_level(user, filters, today)
    return Figure(
        "hazards_level",
        _("Hazards by level"),
        str(HAZARD_DEFINITION),
        [_hazard_table(rows, _("Level"))],
        _hazard_chart(rows),
    )


def hazards_division(user, filters: DashboardFilters, today: date) -> Figure:
    rows = selectors.hazards_by_division(user, filters, today)
    return Figure(
        "hazards_division",
        _("Hazards by division"),
        str(HAZARD_DEFINITION),
        [_hazard_table(rows, _("Division"))],
        _hazard_chart(rows),
    )


def steps(user, filters: DashboardFilters, today: date) -> Figure:
    rows = selectors.step_durations(user, filters, today)
    kinds = {"limit": _("limit"), "minimum": _("minimum")}
    return Figure(
        "steps",
        _("Working days per step"),
        _(
            "Mean working days an application stayed in each timed state (from the move in to the move out, "
            "the entry day not counted; stays that ended in the year, if one is chosen), next to the "
            "parameter in force today. Outside: stays longer than a limit or shorter than a minimum. "
            "Unmeasured: the holiday calendar lacks a year of the stay."
        ),
        [
            Table(
                [
                    _("Step"),
                    _("Rule"),
                    _("Parameter (working days)"),
                    _("Stays"),
                    _("Mean"),
                    _("Longest"),
                    _("Outside the rule"),
                    _("Unmeasured"),
                ],
                [
                    [
                        r.label,
                        kinds.get(r.kind, r.kind),
                        _num(r.limit),
                        r.n,
                        _num(r.mean),
                        _num(r.longest),
                        r.outside,
                        r.unmeasured,
                    ]
                    for r in rows
                ],
            )
        ],
        {
            "type": "bar",
            "categories": [r.label for r in rows],
            "series": [
                _series(_("Mean"), [r.mean for r in rows]),
                _series(_("Parameter (working days)"), [r.limit for r in rows]),
            ],
        },
    )


CERTIFICATE_LABELS = {
    results_domain.ACTIVE: gettext_lazy("Valid"),
    results_domain.EXPIRING: gettext_lazy("Expiring soon"),
    results_domain.EXPIRED: gettext_lazy("Expired"),
    results_domain.REVOKED: gettext_lazy("Revoked"),
    results_domain.SUPERSEDED: gettext_lazy("Renewed"),
}


def certificates(user, filters: DashboardFilters, today: date) -> Figure:
    rows = selectors.certificates_by_state(user, filters, today)
    return Figure(
        "certificates",
        _("Certificates by status"),
        _(
            "Certificates (issued in the year, if one is chosen) by what they say today: expiring soon means "
            "inside the renewal window (the renewal_window parameter, in months) before the expiry date."
        ),
        [
            Table(
                [_("Status"), _("Certificates")],
                [[str(CERTIFICATE_LABELS[r.state]), r.count] for r in rows],
                footer=[_("Total"), sum(r.count for r in rows)],
            )
        ],
        {
            "type": "pie",
            "categories": [str(CERTIFICATE_LABELS[r.state]) for r in rows],
            "series": [_series(_("Certificates"), [r.count for r in rows])],
        },
    )


ACCIDENT_DEFINITION = gettext_lazy(
    "Accidents in the ledger by when they occurred (Beijing time). Certified: on the day of the accident "
    "the enterprise held a certificate that was issued on or before that day, expired on or after it and "
    "had not been revoked before it."
)


def _accident_headers(first: list[str]) -> list[str]:
    return [
        *first,
        _("Accidents, certified"),
        _("Deaths, certified"),
        _("Accidents, uncertified"),
        _("Deaths, uncertified"),
        _("Accidents"),
        _("Deaths"),
    ]


def _accident_cells(r) -> list[int]:
    return [
        r.certified_accidents,
        r.certified_deaths,
        r.uncertified_accidents,
        r.uncertified_deaths,
        r.accidents,
        r.deaths,
    ]


def _accident_footer(rows, pad: int) -> list[Any]:
    sums = [sum(c) for c in zip(*(_accident_cells(r) for r in rows), strict=True)] if rows else [0] * 6
    return [_("Total"), *([""] * pad), *sums]


def _accident_chart(labels: list[str], rows) -> dict[str, Any]:
    return {
        "type": "bar",
        "stack": True,
        "categories": labels,
        "series": [
            _series(_("Accidents, certified"), [r.certified_accidents for r in rows], stack="accidents"),
            _series(_("Accidents, uncertified"), [r.uncertified_accidents for r in rows], stack="accidents"),
            _series(_("Deaths, certified"), [r.certified_deaths for r in rows], stack="deaths"),
            _series(_("Deaths, uncertified"), [r.uncertified_deaths for r in rows], stack="deaths"),
        ],
    }


def accidents_year(user, filters: DashboardFilters, today: date) -> Figure:
    rows = selectors.accidents_by_year(user, filters)
    return Figure(
        "accidents_year",
        _("Accidents and deaths by year"),
        str(ACCIDENT_DEFINITION),
        [
            Table(
                _accident_headers([_("Year")]),
                [[r.year, *_accident_cells(r)] for r in rows],
                footer=_accident_footer(rows, 0),
            )
        ],
        _accident_chart([str(r.year) for r in rows], rows),
    )


def accidents_quarter(user, filters: DashboardFilters, today: date) -> Figure:
    rows = selectors.accidents_by_quarter(user, filters)
    return Figure(
        "accidents_quarter",
        _("Accidents and deaths by quarter"),
        str(ACCIDENT_DEFINITION),
        [
            Table(
                _accident_headers([_("Year"), _("Quarter")]),
                [[r.year, r.quarter, *_accident_cells(r)] for r in rows],
                footer=_accident_footer(rows, 1),
            )
        ],
        _accident_chart(
            [_("%(year)s Q%(quarter)s") % {"year": r.year, "quarter": r.quarter} for r in rows], rows
        ),
    )


def before_after(user, filters: DashboardFilters, today: date) -> Figure:
    ba = selectors.before_after(user, filters, today)
    change = _("Change (%)")
    return Figure(
        "before_after",
        _("Before and after certification"),
        _(
            "For each enterprise's first certificate issued at least 12 months ago: accidents and deaths in the "
            "12 months before the issue day and in the 12 months from it. n is the number of certificates "
            "compared; certificates whose 12 months after have not yet ended are excluded and counted "
            "separately. The change is (after − before) ÷ before; — when there was nothing before."
        ),
        [
            Table(
                [_("Measure"), _("12 months before"), _("12 months after"), change],
                [
                    [_("Accidents"), ba.before_accidents, ba.after_accidents, _num(ba.accidents_change)],
                    [_("Deaths"), ba.before_deaths, ba.after_deaths, _num(ba.deaths_change)],
                ],
                title=_("Totals"),
            ),
            Table(
                [_("Certificates compared (n)"), _("Excluded: 12 months after not yet over")],
                [[ba.n, ba.excluded]],
                title=_("Sample"),
            ),
            Table(
                [
                    _("Enterprise"),
                    _("First certificate issued"),
                    _("Accidents before"),
                    _("Deaths before"),
                    _("Accidents after"),
                    _("Deaths after"),
                ],
                [
                    [
                        r.enterprise,
                        r.issued_on,
                        r.before_accidents,
                        r.before_deaths,
                        r.after_accidents,
                        r.after_deaths,
                    ]
                    for r in ba.rows
                ],
                title=_("Per enterprise"),
            ),
        ],
        {
            "type": "bar",
            "categories": [_("Accidents"), _("Deaths")],
            "series": [
                _series(_("12 months before"), [ba.before_accidents, ba.before_deaths]),
                _series(_("12 months after"), [ba.after_accidents, ba.after_deaths]),
            ],
        },
        summary=[
            (_("Accidents"), DASH if ba.accidents_change is None else f"{ba.accidents_change:+}%"),
            (_("Deaths"), DASH if ba.deaths_change is None else f"{ba.deaths_change:+}%"),
            ("n", ba.n),
        ],
        wide=True,
    )


# The page's order; the keys are the export URLs' ``<figure>``.
BUILDERS: dict[str, Callable[[Any, DashboardFilters, date], Figure]] = {
    "stages": stages,
    "divisions": divisions,
    "industries": industries,
    "pass_rate": pass_rate,
    "scores": scores,
    "elements": elements,
    "hazards_level": hazards_level,
    "hazards_division": hazards_division,
    "steps": steps,
    "certificates": certificates,
    "accidents_year": accidents_year,
    "accidents_quarter": accidents_quarter,
    "before_after": before_after,
}


def build_figures(user, filters: DashboardFilters, today: date) -> list[Figure]:
    return [build(user, filters, today) for build in BUILDERS.values()]


def page_figures(user, filters: DashboardFilters, today: date) -> list[Figure]:
    """The figures as the page shows them: long tables cut to PAGE_ROWS. The page caches its
    rendered grid (a template fragment), so this runs once per period, from the figures' cache."""
    return [
        replace(figure, tables=[table.for_page() for table in figure.tables])
        for figure in build_figures(user, filters, today)
    ]
