"""Pure rules of results (domain.md §9): certificate states, numbers, windows, revocation grounds.

No ORM and no clock: dates and parameter values come in as arguments.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from string import Formatter

from dateutil.relativedelta import relativedelta

# Legacy industry codes of the certificate number (domain.md §9, [M]).
INDUSTRY_CODES = {
    "metallurgy": "YJ",
    "nonferrous": "YS",
    "building_materials": "JC",
    "machinery": "JX",
    "light_industry": "QG",
    "textiles": "FZ",
    "tobacco": "YC",
    "commerce_trade": "SM",
}
LEVEL_NUMERALS = {1: "Ⅰ", 2: "Ⅱ", 3: "Ⅲ"}
PLACEHOLDERS = frozenset({"year", "seq", "industry", "level", "province"})

# The public face of a certificate: the stored status plus what the dates say.
ACTIVE, EXPIRING, EXPIRED, REVOKED, SUPERSEDED = "active", "expiring", "expired", "revoked", "superseded"


class PatternError(ValueError):
    """A numbering pattern with an unknown placeholder or without {seq}."""


def pattern_problems(pattern: str) -> list[str]:
    """The placeholders of ``pattern`` that are unknown, and whether {seq} is missing (English codes)."""
    try:
        names = [field for _text, field, _spec, _conv in Formatter().parse(pattern) if field is not None]
    except ValueError:
        return ["syntax"]
    problems = [f"unknown:{name}" for name in names if name not in PLACEHOLDERS]
    if "seq" not in names:
        problems.append("no_seq")
    return problems


def format_number(
    pattern: str, *, year: int, seq: int, industry: str = "", level: int = 3, province: str = ""
) -> str:
    """Fill a numbering pattern: ``"{province}AQB{level}{industry}{year}{seq:04d}"`` → ``辽AQBⅢSM20260001``."""
    if pattern_problems(pattern):
        raise PatternError(pattern)
    return pattern.format(
        year=year,
        seq=seq,
        industry=INDUSTRY_CODES.get(industry, ""),
        level=LEVEL_NUMERALS.get(level, str(level)),
        province=province,
    )


def certificate_expiry(issued_on: date, years: int) -> date:
    """Valid from the announcement date to +``years`` years −1 day (domain.md §9 [D])."""
    return issued_on + relativedelta(years=years) - timedelta(days=1)


def certificate_state(status: str, expires_on: date, today: date, window_months: int) -> str:
    """有效 / 即将到期 (inside the renewal window) / 已过期 / 已撤销 / 已换证."""
    if status in (REVOKED, SUPERSEDED):
        return status
    if today > expires_on:
        return EXPIRED
    if today > expires_on - relativedelta(months=window_months):
        return EXPIRING
    return ACTIVE


def renewal_window_opens(expires_on: date, window_months: int) -> date:
    """The first day a renewal may be filed (the last ``window_months`` months of validity)."""
    return expires_on - relativedelta(months=window_months) + timedelta(days=1)


def reminder_due(expires_on: date, today: date, days_before: list[int]) -> list[int]:
    """Which of the T−n reminders have come due by ``today`` (the caller sends each once)."""
    return [n for n in sorted(days_before, reverse=True) if today >= expires_on - timedelta(days=n)]


def objection_is_late(ends_on: date, filed_on: date) -> bool:
    """An objection filed after the last day of the window is only logged (domain.md §9)."""
    return filed_on > ends_on


@dataclass(frozen=True)
class AccidentFacts:
    """An accident as the revocation check needs it."""

    pk: int
    occurred_on: date
    deaths: int
    serious_injuries: int
    direct_loss_yuan: Decimal
    reporting_violation: bool


@dataclass(frozen=True)
class Flag:
    ground: str
    source: str
    detail: str


@dataclass(frozen=True)
class RevocationLimits:
    window_months: int
    serious_injuries: int
    loss_yuan: Decimal


def revocation_flags(
    *,
    issued_on: date,
    today: date,
    accidents: list[AccidentFacts],
    limits: RevocationLimits,
    overdue_major_hazards: list[tuple[int, date]],
    on_blacklist: bool,
) -> list[tuple[str, str, dict]]:
    """The grounds (domain.md §9 #1, #2, #4, #5, #8) the records show since ``issued_on``.

    Returns ``(ground, source, facts)`` triples; ``source`` identifies what triggered the flag so
    a re-run flags nothing twice. Totals (#2) are over any rolling window of ``window_months``
    ending on an accident day, counted from the issue date.
    """
    flags: list[tuple[str, str, dict]] = []
    relevant = sorted(
        (a for a in accidents if issued_on <= a.occurred_on <= today), key=lambda a: a.occurred_on
    )
    for a in relevant:
        if a.deaths > 0:
            flags.append(
                ("death", f"accident:{a.pk}", {"date": a.occurred_on.isoformat(), "deaths": a.deaths})
            )
        if a.reporting_violation:
            flags.append(("reporting", f"accident:{a.pk}", {"date": a.occurred_on.isoformat()}))
    for last in relevant:
        start = last.occurred_on - relativedelta(months=limits.window_months)
        window = [a for a in relevant if start < a.occurred_on <= last.occurred_on]
        injuries = sum(a.serious_injuries for a in window)
        loss = sum((a.direct_loss_yuan for a in window), Decimal(0))
        if injuries >= limits.serious_injuries or loss >= limits.loss_yuan:
            flags.append(
                (
                    "accident_totals",
                    f"accidents-to:{last.pk}",
                    {
                        "serious_injuries": injuries,
                        "direct_loss_yuan": str(loss),
                        "until": last.occurred_on.isoformat(),
                    },
                )
            )
            break  # one flag for the first crossing is enough; the case lists the facts
    for pk, deadline in overdue_major_hazards:
        flags.append(("major_hazard", f"hazard:{pk}", {"deadline": deadline.isoformat()}))
    if on_blacklist:
        flags.append(("blacklist", "blacklist", {}))
    return flags


def due_anniversary(issued_on: date, today: date, lead_days: int) -> date:
    """The anniversary whose yearly self-assessment is current: the latest one whose lead time
    (``lead_days`` before it) has begun by ``today``, or the first one before that. A missed
    self-assessment stays due until the next one's lead time begins."""
    years = 1
    while issued_on + relativedelta(years=years + 1) - timedelta(days=lead_days) <= today:
        years += 1
    return issued_on + relativedelta(years=years)


def assessment_due(issued_on: date, today: date, lead_days: int) -> date | None:
    """The anniversary whose self-assessment is to be filed now (its lead time has begun), or None."""
    anniversary = due_anniversary(issued_on, today, lead_days)
    return anniversary if today >= anniversary - timedelta(days=lead_days) else None
