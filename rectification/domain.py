"""Pure rules of rectification (domain.md §8, issue 6): overdue, escalation steps, the gate.

No ORM here: the services and selectors pass plain values, so the rules are tested directly
(hypothesis) and read like the regulation.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

PENDING, IN_PROGRESS, AWAITING, CLOSED = "pending", "in_progress", "awaiting_verification", "closed"
GENERAL, MAJOR = "general", "major"
OPEN_STATES = frozenset({PENDING, IN_PROGRESS, AWAITING})


def is_overdue(status: str, deadline: date, today: date, submitted_on: date | None = None) -> bool:
    """Overdue (逾期): still open after its deadline day.

    A hazard awaiting verification was fixed in time if it was submitted by the deadline: give
    ``submitted_on`` and the verifier's delay is not held against the enterprise (without it,
    an awaiting hazard counts like any open one).
    """
    if status not in OPEN_STATES:
        return False
    if status == AWAITING and submitted_on is not None:
        return submitted_on > deadline
    return today > deadline


# --- Escalation (issue 6: reminders before and at the deadline; overdue → county → city) ----

BEFORE, DUE, OVERDUE_COUNTY, OVERDUE_CITY = "before", "due", "overdue_county", "overdue_city"


@dataclass(frozen=True)
class Step:
    """One escalation step that is due: who hears of it, and the key that sends it once."""

    code: str
    audience: str  # "enterprise", "county" or "city"


def escalation_steps(
    *,
    status: str,
    deadline: date,
    today: date,
    working_days_left: int | None,
    working_days_overdue: int | None,
    remind_before: int,
    city_after: int,
) -> list[Step]:
    """The steps due today for one hazard (the caller sends each once, keyed by code+deadline).

    - ``before``: the enterprise, once ``remind_before`` working days or fewer remain;
    - ``due``: the enterprise, on the deadline day;
    - ``overdue_county``: the county bureau, the first working day after;
    - ``overdue_city``: the city, ``city_after`` working days after the deadline.
    ``working_days_*`` are None when the calendar does not reach that far (nothing is guessed).
    """
    if status not in OPEN_STATES or status == AWAITING:
        return []
    steps = []
    if today < deadline:
        if working_days_left is not None and working_days_left <= remind_before:
            steps.append(Step(BEFORE, "enterprise"))
    elif today == deadline:
        steps.append(Step(DUE, "enterprise"))
    else:
        steps.append(Step(OVERDUE_COUNTY, "county"))
        if working_days_overdue is not None and working_days_overdue >= city_after:
            steps.append(Step(OVERDUE_CITY, "city"))
    return steps


def needs_escalation_order(*, level: str, status: str, deadline: date, today: date) -> bool:
    """An overdue 重大 hazard opens a 督办 item for the city."""
    return level == MAJOR and is_overdue(status, deadline, today)


# --- The gate to publicity -------------------------------------------------------------------


@dataclass(frozen=True)
class HazardFact:
    key: int
    level: str
    status: str
    overdue: bool


@dataclass(frozen=True)
class Gate:
    """Whether the application may move on, the rule that decided it, and what is still open."""

    open: bool
    rule: str  # "closed" | "general_only" | "blocked"
    still_open: tuple[int, ...]
    blocking: tuple[int, ...]
    allows_general: bool = False  # the parameter's rule: open 一般 hazards (none overdue) may remain


def gate(hazards: Iterable[HazardFact], *, allow_open_general: bool) -> Gate:
    """The plan's gate (issue 6): every hazard closed; or, when the parameter allows, only 一般
    hazards left open and none of them overdue."""
    facts = list(hazards)
    still_open = tuple(h.key for h in facts if h.status != CLOSED)
    if not still_open:
        return Gate(True, "closed", (), (), allow_open_general)
    blocking = tuple(
        h.key
        for h in facts
        if h.status != CLOSED and (h.level == MAJOR or h.overdue or not allow_open_general)
    )
    if allow_open_general and not blocking:
        return Gate(True, "general_only", still_open, (), allow_open_general)
    return Gate(False, "blocked", still_open, blocking, allow_open_general)
