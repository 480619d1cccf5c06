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


class WorkingDayCounter:
    """``working_days_between`` for many spans: a year's running totals are built once (365
    lookups), then each span costs two lookups. The statistics measure every stay of every
    case (a province: 280,000 moves) with it.

    Raises CalendarMissing as ``working_days_between`` does: when a day after ``start`` up to
    ``end`` falls in a year the calendar does not know.
    """

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self._years: dict[int, list[int]] = {}

    def _running(self, year: int) -> list[int]:
        """running[i]: working days from 1 January to the (i+1)-th day of ``year``, inclusive."""
        if year not in self._years:
            day, total, running = date(year, 1, 1), 0, []
            while day.year == year:
                total += self.calendar.is_working_day(day)
                running.append(total)
                day += timedelta(days=1)
            self._years[year] = running
        return self._years[year]

    def _through(self, day: date) -> int:
        return self._running(day.year)[day.timetuple().tm_yday - 1]

    def __call__(self, start: date, end: date) -> int:
        if end <= start:
            return 0
        if start.year == end.year:
            return self._through(end) - self._through(start)
        count = 0
        if start != date(start.year, 12, 31):  # the rest of start's year
            count += self._running(start.year)[-1] - self._through(start)
        for year in range(start.year + 1, end.year):
            count += self._running(year)[-1]
        return count + self._through(end)


def working_days_between(start: date, end: date, calendar: WorkCalendar) -> int:
    """Count the working days after ``start`` up to and including ``end`` (0 when end ≤ start)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    return count
