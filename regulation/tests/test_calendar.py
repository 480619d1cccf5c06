from datetime import date

import pytest
from django.core.exceptions import ValidationError

from lib.checks import check_holiday_data
from lib.dates import CalendarMissing, add_working_days
from regulation.selectors import work_calendar
from regulation.services import calendar_day_save


def test_admin_days_extend_the_calendar_into_2027(personas):
    with pytest.raises(CalendarMissing):
        add_working_days(date(2026, 12, 31), 1, work_calendar())
    calendar_day_save(actor=personas.admin, day=date(2027, 1, 1), kind="holiday", name="元旦")
    assert add_working_days(date(2026, 12, 31), 1, work_calendar()) == date(2027, 1, 4)


def test_the_holiday_warning_goes_once_the_admin_records_next_year(personas):
    assert check_holiday_data(today=date(2026, 11, 29))
    calendar_day_save(actor=personas.admin, day=date(2027, 1, 1), kind="holiday", name="元旦")
    assert check_holiday_data(today=date(2026, 11, 29)) == []


def test_an_admin_day_overrides_the_package(personas):
    # Pretend the State Council moved a make-up day: 2026-10-10 (Saturday) no longer worked.
    calendar_day_save(actor=personas.admin, day=date(2026, 10, 10), kind="holiday", name="国庆节")
    assert not work_calendar().is_working_day(date(2026, 10, 10))


def test_a_makeup_day_must_be_a_weekend(personas):
    with pytest.raises(ValidationError):
        calendar_day_save(actor=personas.admin, day=date(2027, 1, 4), kind="makeup_workday", name="x")
