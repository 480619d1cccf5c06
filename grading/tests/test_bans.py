"""Bans after a closed application (domain.md §3, §4 E8/E10, §12).

``ban_until`` = decision date + relativedelta(months=n), with n the parameter value in force
on the decision day; a ban holds while ``ban_until > on``, so the enterprise may apply again
on the ``ban_until`` day itself. The decision is taken at a pinned date (time-machine) and a
new application's checklist is evaluated at later dates.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils.formats import date_format
from django.utils.translation import gettext

from grading import eligibility, services
from grading.models import GradingApplication, Status
from grading.tests.factories import advance, file_everything, make_application
from lib.workflow import TransitionError
from regulation.services import parameter_set

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
DECIDED = date(2026, 3, 10)  # a Tuesday


def at(day: date, hour: int = 10):
    """Travel to ``day`` at ``hour`` Beijing time, with the clock stopped."""
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING), tick=False)


def set_param(personas, key: str, value: str, effective_from: date):
    return parameter_set(
        actor=personas.admin, key=key, value=value, effective_from=effective_from, source_note="测试"
    )


def lines(checks, code: str):
    return [c for c in checks if c.code == code]


def ban_reason(until: date, number: str) -> str:
    return gettext("No new application before %(date)s (%(source)s).") % {
        "date": date_format(until, "Y年n月j日"),
        "source": number,
    }


def not_accepted_on(personas, day: date) -> GradingApplication:
    with at(day):
        return advance(make_application(personas), personas, Status.NOT_ACCEPTED)


def terminated_on(personas, day: date) -> GradingApplication:
    with at(day):
        application = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
        services.application_terminate_false_commitment(
            actor=personas.city_chief, application=application, reason="承诺事项与事实不符"
        )
    application.refresh_from_db()
    assert application.status == Status.TERMINATED_FALSE_COMMITMENT
    return application


def new_application(personas, day: date) -> GradingApplication:
    with at(day):
        return make_application(personas)


def test_not_accepted_with_a_six_month_ban(personas):
    set_param(personas, "ban_not_accepted", "6", date(2025, 1, 1))
    old = not_accepted_on(personas, DECIDED)
    assert old.ban_until == date(2026, 9, 10)
    log = old.transitions.get(transition="not_accept")
    assert log.data["ban_until"] == "2026-09-10"

    new = new_application(personas, date(2026, 4, 1))
    for day in (date(2026, 4, 1), date(2026, 9, 9)):
        with at(day):
            e8 = lines(eligibility.evaluate(new), "E8")
        assert [(c.result, c.reason) for c in e8] == [("fail", ban_reason(date(2026, 9, 10), old.number))]
        assert e8[0].label == gettext("Not within a ban after a refused application")
    with at(date(2026, 9, 10)):
        e8 = lines(eligibility.evaluate(new), "E8")
    assert [(c.result, c.reason) for c in e8] == [("pass", gettext("No ban in force."))]


def test_the_ban_refuses_the_submit_until_its_end_date(personas):
    set_param(personas, "ban_not_accepted", "6", date(2025, 1, 1))
    old = not_accepted_on(personas, DECIDED)
    with at(date(2026, 9, 9)):
        new = advance(make_application(personas), personas, Status.INTERNAL_PUBLICITY)
        file_everything(new, personas)
        with pytest.raises(TransitionError) as exc:
            services.application_submit(actor=personas.enterprise_principal, application=new)
    label = gettext("Not within a ban after a refused application")
    assert exc.value.message == gettext("The application cannot be submitted yet: %(reasons)s") % {
        "reasons": f"{label}：{ban_reason(date(2026, 9, 10), old.number)}"
    }
    new.refresh_from_db()
    assert new.status == Status.INTERNAL_PUBLICITY
    with at(date(2026, 9, 10)):
        services.application_submit(actor=personas.enterprise_principal, application=new)
    new.refresh_from_db()
    assert new.status == Status.COUNTY_REVIEW


def test_false_commitment_bars_for_36_months(personas):
    old = terminated_on(personas, DECIDED)
    assert old.ban_until == date(2029, 3, 10)
    new = new_application(personas, date(2026, 3, 11))
    for day in (date(2026, 3, 11), date(2029, 3, 9)):
        with at(day):
            checks = eligibility.evaluate(new)
        e10 = lines(checks, "E10")
        assert [(c.result, c.reason) for c in e10] == [("fail", ban_reason(date(2029, 3, 10), old.number))]
        assert e10[0].label == gettext("Not within a ban after a false commitment")
        assert lines(checks, "E8") == []  # no "no ban" line beside a ban in force
    with at(date(2029, 3, 10)):
        checks = eligibility.evaluate(new)
    assert lines(checks, "E10") == []
    assert [c.result for c in lines(checks, "E8")] == ["pass"]


def test_an_ended_ban_is_ignored_and_the_live_one_named(personas):
    set_param(personas, "ban_not_accepted", "1", date(2025, 1, 1))
    first = not_accepted_on(personas, date(2026, 1, 6))
    set_param(personas, "ban_not_accepted", "6", date(2026, 2, 1))
    second = not_accepted_on(personas, DECIDED)  # possible: the first ban ended on 2026-02-06
    assert (first.ban_until, second.ban_until) == (date(2026, 2, 6), date(2026, 9, 10))
    new = new_application(personas, date(2026, 4, 1))
    checks = eligibility.evaluate(new, on=date(2026, 4, 1))
    assert [(c.result, c.reason) for c in lines(checks, "E8")] == [
        ("fail", ban_reason(date(2026, 9, 10), second.number))
    ]


def test_no_ban_after_not_accepted_by_default(personas):
    old = not_accepted_on(personas, DECIDED)  # ban_not_accepted is 0 (no ban) by default
    assert old.ban_until is None
    assert old.transitions.get(transition="not_accept").data["ban_until"] is None
    new = new_application(personas, date(2026, 3, 11))
    with at(date(2026, 3, 11)):
        e8 = lines(eligibility.evaluate(new), "E8")
    assert [c.result for c in e8] == ["pass"]


def test_no_ban_after_a_withdrawal(personas):
    with at(DECIDED):
        old = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
        services.application_withdraw(actor=personas.enterprise_principal, application=old, reason="暂缓申请")
    old.refresh_from_db()
    assert (old.status, old.ban_until) == (Status.WITHDRAWN, None)
    new = new_application(personas, DECIDED)
    assert [c.result for c in lines(eligibility.evaluate(new, on=DECIDED), "E8")] == ["pass"]


def test_the_value_in_force_on_the_decision_day_is_used(personas):
    # 6 months from the day after the decision: the decision day still had 0, so no ban.
    set_param(personas, "ban_not_accepted", "6", date(2026, 3, 11))
    old = not_accepted_on(personas, DECIDED)
    assert old.ban_until is None
    new = new_application(personas, date(2026, 3, 12))
    assert [c.result for c in lines(eligibility.evaluate(new, on=date(2026, 3, 12)), "E8")] == ["pass"]


def test_changing_the_parameter_later_leaves_an_existing_ban_alone(personas):
    set_param(personas, "ban_not_accepted", "6", date(2025, 1, 1))
    old = not_accepted_on(personas, DECIDED)
    set_param(personas, "ban_not_accepted", "0", date(2026, 4, 1))  # lifted for new decisions
    new = new_application(personas, date(2026, 4, 2))
    old.refresh_from_db()
    assert old.ban_until == date(2026, 9, 10)
    with at(date(2026, 9, 9)):
        assert [c.result for c in lines(eligibility.evaluate(new), "E8")] == ["fail"]
    # And lengthening it does not extend the ban either.
    set_param(personas, "ban_not_accepted", "24", date(2026, 5, 1))
    with at(date(2026, 9, 10)):
        assert [c.result for c in lines(eligibility.evaluate(new), "E8")] == ["pass"]


def test_false_commitment_length_comes_from_the_parameter_of_the_day(personas):
    set_param(personas, "ban_false_commitment", "12", date(2026, 1, 1))
    old = terminated_on(personas, DECIDED)
    assert old.ban_until == date(2027, 3, 10)
    assert old.transitions.get(transition="terminate_false_commitment").data["ban_until"] == "2027-03-10"


def test_ban_end_uses_calendar_months(personas):
    set_param(personas, "ban_not_accepted", "6", date(2025, 1, 1))
    # relativedelta clamps to the month's last day: 31 Aug + 6 months = 28 Feb.
    assert eligibility.ban_until(Status.NOT_ACCEPTED, date(2026, 8, 31)) == (
        "not_accepted",
        date(2027, 2, 28),
    )
    assert eligibility.ban_until(Status.TERMINATED_FALSE_COMMITMENT, date(2024, 2, 29)) == (
        "false_commitment",
        date(2027, 2, 28),
    )
    assert eligibility.ban_until(Status.WITHDRAWN, date(2026, 8, 31)) is None
