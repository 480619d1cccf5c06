"""Working days over 国庆 2025 and 春节 2026 as the application sees them (``work_calendar()``).

``test_dates.py`` covers the pure arithmetic on chinese-calendar's data; this module pins the
published schedule itself (so a package upgrade that changes it is noticed), counts back with
``working_days_between``, and runs the same deadlines through the database-backed calendar
that services use, including a deadline that lands on a 调休 Saturday and one that runs into
an unpublished year.
"""

from datetime import date, timedelta

import chinese_calendar
import pytest

from lib.dates import CalendarMissing, add_working_days, working_days_between
from regulation.selectors import work_calendar
from regulation.services import calendar_day_save

NATIONAL_DAY_2025 = [date(2025, 10, 1) + timedelta(days=n) for n in range(8)]  # Oct 1–8
SPRING_FESTIVAL_2026 = [date(2026, 2, 15) + timedelta(days=n) for n in range(9)]  # Feb 15–23


def test_the_package_holds_the_published_schedule():
    assert all(day in chinese_calendar.holidays for day in NATIONAL_DAY_2025)
    assert date(2025, 10, 9) not in chinese_calendar.holidays
    # 调休: Sunday 2025-09-28 and Saturday 2025-10-11 are worked.
    assert {date(2025, 9, 28), date(2025, 10, 11)} <= set(chinese_calendar.workdays)
    assert (date(2025, 9, 28).weekday(), date(2025, 10, 11).weekday()) == (6, 5)
    assert all(day in chinese_calendar.holidays for day in SPRING_FESTIVAL_2026)
    assert date(2026, 2, 24) not in chinese_calendar.holidays
    # 春节 2026: Saturdays 2026-02-14 and 2026-02-28 are worked.
    spring = sorted(d for d in chinese_calendar.workdays if date(2026, 2, 1) <= d <= date(2026, 3, 1))
    assert spring == [date(2026, 2, 14), date(2026, 2, 28)]
    assert all(d.weekday() == 5 for d in spring)


@pytest.mark.django_db
class TestWorkCalendar:
    def test_national_day_2025(self):
        cal = work_calendar()
        assert not any(cal.is_working_day(d) for d in NATIONAL_DAY_2025)
        assert cal.is_working_day(date(2025, 9, 28)) and cal.is_working_day(date(2025, 10, 11))
        assert not cal.is_working_day(date(2025, 10, 12))  # the Sunday after stays a rest day
        # Tue 2025-09-30 → Thu Oct 9 is one working day; a deadline of 3 lands on the 调休 Saturday.
        assert add_working_days(date(2025, 9, 30), 1, cal) == date(2025, 10, 9)
        assert add_working_days(date(2025, 9, 30), 3, cal) == date(2025, 10, 11)
        assert working_days_between(date(2025, 9, 30), date(2025, 10, 8), cal) == 0
        assert working_days_between(date(2025, 9, 30), date(2025, 10, 11), cal) == 3
        # Started on a holiday: Oct 3 → Oct 9 (1), 10 (2), 11 (3), 13 (4), 14 (5).
        assert add_working_days(date(2025, 10, 3), 5, cal) == date(2025, 10, 14)

    def test_spring_festival_2026(self):
        cal = work_calendar()
        assert not any(cal.is_working_day(d) for d in SPRING_FESTIVAL_2026)
        # Fri 2026-02-13: Sat 14 (1), Tue 24 … Fri 27 (5), Sat 28 (6): the deadline lands on the 调休 Saturday.
        assert add_working_days(date(2026, 2, 13), 6, cal) == date(2026, 2, 28)
        assert add_working_days(date(2026, 2, 13), 7, cal) == date(2026, 3, 2)
        assert working_days_between(date(2026, 2, 13), date(2026, 3, 2), cal) == 7
        # A 10-WD minimum posted on Mon 2026-02-09: 10, 11, 12, 13, 14 (调休), 24, 25, 26, 27, 28 (调休).
        assert add_working_days(date(2026, 2, 9), 10, cal) == date(2026, 2, 28)

    def test_a_deadline_into_2027_is_refused_until_the_admin_records_it(self, personas):
        with pytest.raises(CalendarMissing) as exc:
            add_working_days(date(2026, 12, 21), 10, work_calendar())
        assert exc.value.year == 2027
        # Up to the last day of the known year it still works.
        assert add_working_days(date(2026, 12, 21), 8, work_calendar()) == date(2026, 12, 31)
        with pytest.raises(CalendarMissing):
            working_days_between(date(2026, 12, 21), date(2027, 1, 5), work_calendar())

        calendar_day_save(actor=personas.admin, day=date(2027, 1, 1), kind="holiday", name="元旦")
        cal = work_calendar()
        assert add_working_days(date(2026, 12, 21), 10, cal) == date(2027, 1, 5)
        assert working_days_between(date(2026, 12, 21), date(2027, 1, 5), cal) == 10
        # A 2027 make-up Saturday recorded by the admin counts as well.
        calendar_day_save(actor=personas.admin, day=date(2027, 1, 2), kind="makeup_workday", name="元旦")
        assert add_working_days(date(2026, 12, 21), 10, work_calendar()) == date(2027, 1, 4)
