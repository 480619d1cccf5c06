"""The application's timer in working days (domain.md §3, §11), across 国庆 2025 and 春节 2026.

A state's timer starts the day the case enters it (that day not counted), with the parameter
value of that day; holidays are skipped and 调休 weekend days count. A deadline that runs
into a year nobody has published holidays for is not guessed: the due date stays empty
until an administrator records that year.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from grading import eligibility, services
from grading.models import CityDecision, CorrectionItem, Status
from grading.selectors import deadline_for
from grading.tests.factories import advance, confirm_all, make_application
from regulation.services import calendar_day_save, parameter_set

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING), tick=False)


def timer(application):
    application.refresh_from_db()
    return (
        application.timer_param,
        application.timer_kind,
        application.timer_started_on,
        application.timer_working_days,
        application.timer_due_on,
    )


def test_county_review_entered_before_national_day(personas):
    # Friday 2025-09-26; 10 WD: Sun 28 (调休), Mon 29, Tue 30, [Oct 1–8 off], Thu 9, Fri 10,
    # Sat 11 (调休), Mon 13, Tue 14, Wed 15, Thu 16. Without the holiday it would be Oct 10.
    with at(date(2025, 9, 26)):
        application = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    assert timer(application) == ("county_review_limit", "limit", date(2025, 9, 26), 10, date(2025, 10, 16))


def test_the_deadline_alerts_at_80_percent_and_is_overdue_after_the_due_day(personas):
    with at(date(2025, 9, 26)):
        application = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    on_oct_13 = deadline_for(application, today=date(2025, 10, 13))  # 7 WD elapsed
    assert (on_oct_13.elapsed, on_oct_13.alert, on_oct_13.overdue) == (7, False, False)
    on_oct_14 = deadline_for(application, today=date(2025, 10, 14))  # 8 WD = 80 %
    assert (on_oct_14.elapsed, on_oct_14.alert, on_oct_14.overdue) == (8, True, False)
    on_due = deadline_for(application, today=date(2025, 10, 16))
    assert (on_due.elapsed, on_due.overdue) == (10, False)
    assert deadline_for(application, today=date(2025, 10, 17)).overdue


def test_internal_publicity_minimum_over_national_day(personas):
    application = make_application(personas)
    with at(date(2025, 9, 26)):
        advance(application, personas, Status.INTERNAL_PUBLICITY, publicity_start=date(2025, 9, 26))
    assert timer(application) == (
        "internal_publicity_min",
        "minimum",
        date(2025, 9, 26),
        10,
        date(2025, 10, 16),
    )
    assert eligibility.publicity_earliest_end(application) == date(2025, 10, 16)


def test_a_running_timer_keeps_its_starting_value(personas):
    application = make_application(personas)
    with at(date(2025, 9, 26)):
        advance(application, personas, Status.INTERNAL_PUBLICITY, publicity_start=date(2025, 9, 26))
    parameter_set(
        actor=personas.admin,
        key="internal_publicity_min",
        value="5",
        effective_from=date(2025, 9, 29),
        source_note="测试",
    )
    application.refresh_from_db()
    assert eligibility.publicity_earliest_end(application) == date(2025, 10, 16)
    e14 = next(c for c in eligibility.evaluate(application, on=date(2025, 10, 15)) if c.code == "E14")
    assert e14.result == "fail"
    # A publicity started after the change runs on the new value: 5 WD from Mon 2025-10-13.
    with at(date(2025, 10, 13)):
        services.application_back_to_draft(actor=personas.enterprise_principal, application=application)
        services.application_start_publicity(actor=personas.enterprise_principal, application=application)
    assert timer(application) == (
        "internal_publicity_min",
        "minimum",
        date(2025, 10, 13),
        5,
        date(2025, 10, 20),
    )


def test_a_return_stops_the_clock_and_the_resubmit_restarts_it_over_spring_festival(personas):
    with at(date(2025, 9, 26)):
        application = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    with at(date(2025, 9, 30)):
        services.application_county_return(
            actor=personas.county_officer,
            application=application,
            items=[services.CorrectionIn("营业执照", "扫描件不清晰", "重新上传清晰的营业执照")],
        )
    assert timer(application) == ("", "", None, None, None)
    assert deadline_for(application, today=date(2025, 10, 20)) is None
    item = CorrectionItem.objects.get(request__application=application)
    with at(date(2026, 2, 13)):
        services.correction_answer(actor=personas.enterprise_user, item=item, answer="已重新上传")
        services.application_county_resubmit(actor=personas.enterprise_principal, application=application)
    # Friday 2026-02-13: Sat 14 (调休), [Feb 15–23 off], Tue 24 … Fri 27, Sat 28 (调休), Mon 2 … Thu 5.
    assert timer(application) == ("county_review_limit", "limit", date(2026, 2, 13), 10, date(2026, 3, 5))


def test_a_deadline_into_an_unknown_year_is_left_open(personas):
    # Monday 2026-12-21 + 10 WD runs into 2027, whose holidays are not published yet.
    with at(date(2026, 12, 21)):
        application = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    assert timer(application) == ("county_review_limit", "limit", date(2026, 12, 21), 10, None)
    deadline = deadline_for(application, today=date(2026, 12, 31))
    assert deadline.due_on is None
    assert deadline.overdue is False


def test_a_deadline_into_2027_works_once_the_admin_records_its_holidays(personas):
    calendar_day_save(actor=personas.admin, day=date(2027, 1, 1), kind="holiday", name="元旦")
    with at(date(2026, 12, 21)):
        application = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    # Dec 22–25, 28–31 (8), [Jan 1 off], Mon Jan 4 (9), Tue Jan 5 (10).
    assert timer(application)[4] == date(2027, 1, 5)


def test_the_timer_uses_the_parameter_of_the_day_it_starts(personas):
    parameter_set(
        actor=personas.admin,
        key="county_review_limit",
        value="5",
        effective_from=date(2025, 9, 27),
        source_note="测试",
    )
    with at(date(2025, 9, 26)):
        application = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    assert timer(application)[3:] == (10, date(2025, 10, 16))


def test_city_review_and_acceptance_start_their_own_timers(personas):
    with at(date(2025, 9, 26)):
        application = advance(make_application(personas), personas, Status.CITY_REVIEW)
    assert timer(application) == ("city_review_limit", "limit", date(2025, 9, 26), 10, date(2025, 10, 16))
    with at(date(2025, 9, 30)):
        services.city_decision_save(
            actor=personas.city_officer,
            application=application,
            data={
                "package_check": "材料齐全",
                "proposal": CityDecision.Proposal.ACCEPT,
                "condition_checks": confirm_all(),
            },
        )
        decision = services.current_city_decision(application)
        services.city_decision_submit(actor=personas.city_officer, decision=decision)
        services.city_decision_approve(actor=personas.city_chief, decision=decision)
    # 20 WD from Tue 2025-09-30: Oct 9, 10, 11 (调休) = 3; Oct 13–17, 20–24, 27–31 = 18; Nov 3, 4.
    assert timer(application) == ("site_review_limit", "limit", date(2025, 9, 30), 20, date(2025, 11, 4))
