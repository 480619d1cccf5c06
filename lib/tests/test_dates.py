"""Working days across 国庆 2025 and 春节 2026, with 调休 Saturdays, from chinese-calendar's data."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.dates import (
    CalendarMissing,
    WorkingDayCounter,
    add_working_days,
    build_calendar,
    chinese_calendar_data,
    working_days_between,
)

HOLIDAYS, WORKDAYS, YEARS = chinese_calendar_data()
CAL = build_calendar(holidays=HOLIDAYS, makeup_workdays=WORKDAYS, years=YEARS)


def test_national_day_2025_is_skipped_and_the_makeup_saturday_counts():
    # 2025-09-28 (Sunday) and 2025-10-11 (Saturday) are 调休 working days; Oct 1–8 are holidays.
    assert CAL.is_working_day(date(2025, 9, 28))
    assert CAL.is_working_day(date(2025, 10, 11))
    assert not CAL.is_working_day(date(2025, 10, 8))
    # From Friday 2025-09-26: Sun 28, Mon 29, Tue 30, then Thu 9, Fri 10, Sat 11 (调休).
    assert add_working_days(date(2025, 9, 26), 3, CAL) == date(2025, 9, 30)
    assert add_working_days(date(2025, 9, 26), 4, CAL) == date(2025, 10, 9)
    assert add_working_days(date(2025, 9, 26), 6, CAL) == date(2025, 10, 11)


def test_spring_festival_2026():
    # 2026-02-14 (Saturday) is a 调休 working day; the holiday runs 2026-02-15 … 2026-02-23.
    assert CAL.is_working_day(date(2026, 2, 14))
    assert not CAL.is_working_day(date(2026, 2, 16))
    assert add_working_days(date(2026, 2, 13), 1, CAL) == date(2026, 2, 14)
    assert add_working_days(date(2026, 2, 14), 1, CAL) == date(2026, 2, 24)


def test_the_start_day_is_not_counted():
    assert add_working_days(date(2025, 3, 3), 0, CAL) == date(2025, 3, 3)
    assert add_working_days(date(2025, 3, 3), 1, CAL) == date(2025, 3, 4)  # Monday → Tuesday


def test_an_unknown_year_is_refused_not_guessed():
    with pytest.raises(CalendarMissing) as exc:
        add_working_days(date(2026, 12, 20), 10, CAL)
    assert exc.value.year == 2027


def test_admin_days_extend_a_year_the_package_does_not_know():
    admin = {date(2027, 1, 1): False}
    cal = build_calendar(holidays=HOLIDAYS, makeup_workdays=WORKDAYS, years=[*YEARS, 2027], overrides=admin)
    assert add_working_days(date(2026, 12, 31), 1, cal) == date(2027, 1, 4)


@given(st.dates(min_value=date(2010, 1, 1), max_value=date(2026, 6, 30)), st.integers(0, 60))
def test_counting_back_gives_the_same_number(start, n):
    end = add_working_days(start, n, CAL)
    assert working_days_between(start, end, CAL) == n
    assert end - start >= timedelta(days=n)


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(min_value=date(2023, 12, 25), max_value=date(2026, 12, 31)),
    days=st.integers(min_value=-10, max_value=800),
)
def test_working_day_counter_agrees_with_working_days_between(start, days):
    calendar = _counter_calendar()
    end = start + timedelta(days=days)
    counter = WorkingDayCounter(calendar)
    try:
        expected = working_days_between(start, end, calendar)
    except CalendarMissing:
        with pytest.raises(CalendarMissing):
            counter(start, end)
        return
    assert counter(start, end) == expected
    assert counter(start, end) == expected  # the second time from the cached year


def _counter_calendar():
    # 2024-2026 known (weekends plus a holiday and a make-up day each year); 2027 unknown.
    return build_calendar(
        holidays=[date(2024, 10, 1), date(2025, 10, 1), date(2026, 10, 1)],
        makeup_workdays=[date(2024, 9, 29), date(2025, 9, 28), date(2026, 9, 27)],
        years=[2024, 2025, 2026],
    )
