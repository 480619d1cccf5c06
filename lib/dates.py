"""Working days (工作日): pure arithmetic over a calendar of holidays and make-up working days.

Statutory holidays are not working days; make-up working days (调休上班, usually a weekend
day) are. The calendar is plain data: chinese-calendar seeds it, and admin-maintained days
(added by the application layer) override and extend it. A date in a year the calendar
does not know raises CalendarMissing — never guess that it is a working day (domain.md §11).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _


class CalendarMissing(LookupError):
    """The holiday data for a year is not known; deadlines into that year cannot be computed."""

    def __init__(self, year: int) -> None:
        super().__init__(_("The holiday calendar for %(year)d is not available yet.") % {"year": year})
        self.year = year


@dataclass(frozen=True)
class WorkCalendar:
    """``days`` maps a date to True (working day on a weekend: 调休) or False (holiday on a weekday)."""

    days: Mapping[date, bool]
    years: frozenset[int]

    def is_working_day(self, day: date) -> bool:
        if day.year not in self.years:
            raise CalendarMissing(day.year)
        special = self.days.get(day)
        if special is not None:
            return special
        return day.weekday() < 5


def build_calendar(
    *,
    holidays: Iterable[date] = (),
    makeup_workdays: Iterable[date] = (),
    years: Iterable[int] = (),
    overrides: Mapping[date, bool] | None = None,
) -> WorkCalendar:
    """Return a calendar from holiday and make-up day lists; ``overrides`` (admin data) win."""
    days: dict[date, bool] = {}
    for day in holidays:
        if day.weekday() < 5:
            days[day] = False
    for day in makeup_workdays:
        days[day] = True
    known = set(years)
    for day, working in (overrides or {}).items():
        days[day] = working
    return WorkCalendar(days=days, years=frozenset(known))


def chinese_calendar_data() -> tuple[list[date], list[date], range]:
    """Return (holidays, make-up working days, years covered) from the chinese-calendar package."""
    from chinese_calendar import constants

    holidays = list(constants.holidays)
    workdays = list(constants.workdays)
    first, last = min(holidays).year, max(holidays).year
    return holidays, workdays, range(first, last + 1)


def add_working_days(start: date, n: int, calendar: WorkCalendar) -> date:
    """Return the n-th working day after ``start`` (the start day itself is not counted)."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    remaining = n
    while remaining:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date, calendar: WorkCalendar) -> int:
    """Count the working days after ``start`` up to and including ``end`` (0 when end ≤ start)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    return count
