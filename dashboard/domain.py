"""Pure arithmetic of the statistics dashboard: rates, changes, windows and the stays in a state.

No ORM and no clock: the selectors pass plain values (dates, counts) and get dataclasses back,
so the parts where honesty matters — the before/after comparison of certified enterprises, the
pass rate, the renewal window — are tested directly (hypothesis) and read like their definition
in ``docs/architecture.md``.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta

from lib.dates import CalendarMissing

HUNDRED = Decimal(100)
ONE_DECIMAL = Decimal("0.1")
# The comparison windows: 12 calendar months before the issue day and 12 after (domain.md §1).
WINDOW_MONTHS = 12


def percent(part: int, whole: int) -> Decimal | None:
    """Return ``part`` as a percentage of ``whole``, one decimal, rounded half up; None when whole is 0."""
    if whole == 0:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def pass_rate(passed: int, failed: int) -> Decimal | None:
    """The pass rate among decided applications: announced ÷ (announced + not passed)."""
    return percent(passed, passed + failed)


def percent_change(before: int, after: int) -> Decimal | None:
    """(after − before) ÷ before × 100, one decimal; None when ``before`` is 0 (no honest base)."""
    if before == 0:
        return None
    return (Decimal(after - before) * HUNDRED / Decimal(before)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


# --- Score bins ----------------------------------------------------------------------------

# (code, lower inclusive, upper exclusive); the last bin includes 100.
SCORE_BINS: tuple[tuple[str, Decimal | None, Decimal | None], ...] = (
    ("<60", None, Decimal(60)),
    *((f"{lo}-{lo + 5}", Decimal(lo), Decimal(lo + 5)) for lo in range(60, 100, 5)),
)


def score_bin(percentage: Decimal) -> str:
    """The bin of a finalised score rate: "<60", "60-65", …, "95-100" (95 ≤ x ≤ 100)."""
    for code, lower, upper in SCORE_BINS:
        if (lower is None or percentage >= lower) and (percentage < upper or code == SCORE_BINS[-1][0]):
            return code
    raise ValueError(percentage)  # pragma: no cover - every number falls in a bin


# --- Certificates --------------------------------------------------------------------------


def expiring_before(today: date, window_months: int) -> date:
    """Return the first expiry day that is *not* yet inside the renewal window on ``today``.

    ``results.domain.certificate_state`` says a certificate is expiring when
    ``today > expires_on − window_months``. That condition only grows with ``expires_on``, so
    it holds exactly for ``expires_on`` before one boundary day, found here; the dashboard then
    counts states in SQL with ``expires_on < boundary`` and agrees with the domain function to
    the day, month ends included.
    """

    def expiring(expires_on: date) -> bool:
        return today > expires_on - relativedelta(months=window_months)

    boundary = today + relativedelta(months=window_months)
    while expiring(boundary):
        boundary += timedelta(days=1)
    while not expiring(boundary - timedelta(days=1)):
        boundary -= timedelta(days=1)
    return boundary


# --- Before and after certification -------------------------------------------------------


@dataclass(frozen=True)
class CertificateFact:
    """A certificate as the comparison needs it (the caller may pass several per enterprise)."""

    enterprise_id: int
    issued_on: date


@dataclass(frozen=True)
class AccidentFact:
    enterprise_id: int
    day: date  # the Beijing calendar day it occurred
    deaths: int


@dataclass(frozen=True)
class BeforeAfterRow:
    """One certified enterprise: its first certificate and the accidents in the two windows."""

    enterprise_id: int
    issued_on: date
    before_accidents: int
    before_deaths: int
    after_accidents: int
    after_deaths: int


@dataclass(frozen=True)
class BeforeAfter:
    rows: tuple[BeforeAfterRow, ...]
    n: int  # certificates compared (one per enterprise, after-window complete)
    excluded: int  # first certificates left out because their after-window has not ended
    before_accidents: int
    after_accidents: int
    before_deaths: int
    after_deaths: int
    accidents_change: Decimal | None  # None when there were no accidents before ("—")
    deaths_change: Decimal | None


def windows(issued_on: date, months: int = WINDOW_MONTHS) -> tuple[tuple[date, date], tuple[date, date]]:
    """Return the before and after windows as half-open ``[start, end)`` day ranges.

    Before: the ``months`` months up to the day before issue; after: from the issue day (the
    certificate is in force that day) for ``months`` months.
    """
    return (
        (issued_on - relativedelta(months=months), issued_on),
        (issued_on, issued_on + relativedelta(months=months)),
    )


def before_after(
    certificates: Iterable[CertificateFact],
    accidents: Iterable[AccidentFact],
    *,
    today: date,
    months: int = WINDOW_MONTHS,
) -> BeforeAfter:
    """Compare accidents and deaths in the ``months`` before and after each enterprise's first certificate.

    Only the first certificate of an enterprise counts (a renewal would compare a certified
    period with a certified period). A certificate whose after-window has not ended by
    ``today`` (``issued_on + months > today``) is excluded and counted in ``excluded``, so the
    after side never looks better just because it is shorter. Accidents of other enterprises
    or outside both windows are ignored; each accident falls in at most one window.
    """
    first: dict[int, date] = {}
    for cert in certificates:
        if cert.enterprise_id not in first or cert.issued_on < first[cert.enterprise_id]:
            first[cert.enterprise_id] = cert.issued_on
    included: dict[int, tuple[tuple[date, date], tuple[date, date]]] = {}
    excluded = 0
    for enterprise_id, issued_on in first.items():
        before, after = windows(issued_on, months)
        if after[1] > today:
            excluded += 1
        else:
            included[enterprise_id] = (before, after)
    counts = {key: [0, 0, 0, 0] for key in included}
    for accident in accidents:
        spans = included.get(accident.enterprise_id)
        if spans is None:
            continue
        (b_start, b_end), (a_start, a_end) = spans
        if b_start <= accident.day < b_end:
            counts[accident.enterprise_id][0] += 1
            counts[accident.enterprise_id][1] += accident.deaths
        elif a_start <= accident.day < a_end:
            counts[accident.enterprise_id][2] += 1
            counts[accident.enterprise_id][3] += accident.deaths
    rows = tuple(
        BeforeAfterRow(key, first[key], *counts[key]) for key in sorted(included, key=lambda k: (first[k], k))
    )
    before_acc = sum(r.before_accidents for r in rows)
    after_acc = sum(r.after_accidents for r in rows)
    before_deaths = sum(r.before_deaths for r in rows)
    after_deaths = sum(r.after_deaths for r in rows)
    return BeforeAfter(
        rows=rows,
        n=len(rows),
        excluded=excluded,
        before_accidents=before_acc,
        after_accidents=after_acc,
        before_deaths=before_deaths,
        after_deaths=after_deaths,
        accidents_change=percent_change(before_acc, after_acc),
        deaths_change=percent_change(before_deaths, after_deaths),
    )


# --- Time spent in a state -----------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """One row of an application's timeline, as far as the stays need it."""

    application_id: int
    from_state: str
    to_state: str
    day: date  # Beijing calendar day of the move


def stays(moves: Iterable[Move], states: Iterable[str]) -> dict[str, list[tuple[date, date]]]:
    """Return, per state of ``states``, the (entered, left) days of every completed stay.

    ``moves`` must be in timeline order per application (the caller sorts by application,
    time, pk). A stay opens when a move enters the state and closes at the application's next
    move out of it; a stay still open is not counted (it has no length yet).
    """
    wanted = set(states)
    result: dict[str, list[tuple[date, date]]] = {state: [] for state in wanted}
    open_stay: dict[int, tuple[str, date]] = {}
    for move in moves:
        current = open_stay.pop(move.application_id, None)
        if current is not None and current[0] == move.from_state:
            result[current[0]].append((current[1], move.day))
        if move.to_state in wanted:
            open_stay[move.application_id] = (move.to_state, move.day)
    return result


@dataclass(frozen=True)
class StayStats:
    n: int  # stays measured
    mean: Decimal | None  # mean working days, one decimal
    longest: int | None
    outside: int  # stays that broke the rule: longer than a limit, shorter than a minimum
    unmeasured: int  # stays the calendar could not measure (CalendarMissing)


def stay_stats(
    spans: Iterable[tuple[date, date]],
    limit: int | None,
    count: Callable[[date, date], int],
    *,
    kind: str = "limit",
) -> StayStats:
    """Measure each (entered, left) span with ``count`` (working days; the entry day not counted).

    ``kind`` is the timer's: a "limit" is broken by a longer stay, a "minimum" by a shorter one.
    A span ``count`` cannot measure (the holiday calendar lacks a year) is left out and
    counted in ``unmeasured``, never guessed.
    """
    lengths: list[int] = []
    unmeasured = 0
    for start, end in spans:
        try:
            lengths.append(count(start, end))
        except CalendarMissing:
            unmeasured += 1
    if not lengths:
        return StayStats(0, None, None, 0, unmeasured)
    mean = (Decimal(sum(lengths)) / Decimal(len(lengths))).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
    if limit is None:
        outside = 0
    elif kind == "minimum":
        outside = sum(1 for n in lengths if n < limit)
    else:
        outside = sum(1 for n in lengths if n > limit)
    return StayStats(len(lengths), mean, max(lengths), outside, unmeasured)
