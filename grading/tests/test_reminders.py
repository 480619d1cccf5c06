"""Deadline reminders: 80 %, due and overdue for limit timers, "ready" for the publicity minimum.

Dates are pinned in 2026 (chinese-calendar knows its holidays) and computed with the same
working-day arithmetic as the services, never counted by hand.
"""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.utils.translation import gettext

from grading import services
from grading.models import CorrectionItem, DeadlineReminder, Status
from grading.reminders import (
    ALERT,
    DUE,
    OVERDUE,
    READY,
    TIMER_LABELS,
    deadline_reminders_send,
    reminder_level,
    send_deadline_reminders,
)
from grading.tests.factories import advance, make_application
from lib.dates import add_working_days
from notifications.models import Notification
from regulation.selectors import work_calendar

pytestmark = pytest.mark.django_db

START = date(2026, 3, 2)  # a Monday in March: no holiday within the 10 working days


def beijing(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo("Asia/Shanghai"))


def wd(start: date, n: int) -> date:
    return add_working_days(start, n, work_calendar())


def _everyone(personas) -> None:
    """Create every regulator persona up front, so a wrong recipient would show up."""
    for name in ("county_officer", "county_chief", "other_county_officer", "city_officer", "city_chief"):
        personas[name]  # noqa: B018


def reminders(user=None):
    rows = Notification.objects.filter(category="deadline")
    return rows.filter(recipient=user) if user is not None else rows


@pytest.fixture
def county_case(personas):
    _everyone(personas)
    with time_machine.travel(beijing(START), tick=False):
        application = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    assert application.timer_started_on == START
    assert application.timer_working_days == 10
    return application


def _title(application, msgid: str, due: date) -> str:
    text = gettext(msgid) % {
        "timer": gettext(str(TIMER_LABELS["county_review_limit"])),
        "date": due.isoformat(),
    }
    return f"{application.number} {application.enterprise.name}：{text}"


def test_nothing_on_the_first_day_nor_before_80_percent(county_case):
    assert send_deadline_reminders(wd(START, 1)) == 0
    assert send_deadline_reminders(wd(START, 7)) == 0
    assert not reminders().exists()


def test_alert_at_80_percent_to_the_county_people_of_the_division_only(personas, county_case):
    alert_day = wd(START, 8)  # 8 of 10 working days
    due = wd(START, 10)
    assert send_deadline_reminders(alert_day) == 1
    recipients = set(reminders().values_list("recipient__username", flat=True))
    assert recipients == {"county_officer", "county_chief"}
    assert not reminders(personas.other_county_officer).exists()
    [row] = reminders(personas.county_officer)
    assert row.title == _title(county_case, "%(timer)s is due on %(date)s", due)
    assert row.body == gettext("%(elapsed)d of %(days)d working days have passed since %(start)s.") % {
        "elapsed": 8,
        "days": 10,
        "start": START.isoformat(),
    }
    assert row.url == f"/applications/{county_case.pk}/"
    assert DeadlineReminder.objects.get().level == ALERT


def test_a_second_run_the_same_day_sends_nothing(county_case):
    alert_day = wd(START, 8)
    assert send_deadline_reminders(alert_day) == 1
    assert send_deadline_reminders(alert_day) == 0
    assert send_deadline_reminders(wd(START, 9)) == 0  # still the alert level
    assert reminders().count() == 2  # officer and chief, once each
    assert DeadlineReminder.objects.count() == 1


def test_due_on_the_due_day_then_overdue_after_it(personas, county_case):
    due = wd(START, 10)
    assert county_case.timer_due_on == due
    assert send_deadline_reminders(wd(START, 8)) == 1
    assert send_deadline_reminders(due) == 1
    assert send_deadline_reminders(due + timedelta(days=1)) == 1
    assert send_deadline_reminders(due + timedelta(days=5)) == 0
    levels = list(DeadlineReminder.objects.order_by("pk").values_list("level", flat=True))
    assert levels == [ALERT, DUE, OVERDUE]
    titles = list(reminders(personas.county_officer).order_by("pk").values_list("title", flat=True))
    assert titles[1] == _title(county_case, "%(timer)s is due today (%(date)s)", due)
    assert titles[2] == _title(county_case, "%(timer)s was due on %(date)s and is overdue", due)


def test_a_run_after_a_gap_sends_only_the_level_reached(county_case):
    assert send_deadline_reminders(wd(START, 12)) == 1
    assert list(DeadlineReminder.objects.values_list("level", flat=True)) == [OVERDUE]


def test_a_restarted_timer_reminds_again(personas, county_case):
    assert send_deadline_reminders(wd(START, 8)) == 1
    returned_on = wd(START, 9)
    with time_machine.travel(beijing(returned_on), tick=False):
        services.application_county_return(
            actor=personas.county_officer,
            application=county_case,
            items=[services.CorrectionIn("营业执照", "扫描件不清晰", "重新上传清晰的营业执照")],
        )
    county_case.refresh_from_db()
    assert county_case.status == Status.COUNTY_RETURNED
    assert send_deadline_reminders(wd(START, 10)) == 0  # the enterprise holds the file: no clock
    restart = wd(START, 11)
    with time_machine.travel(beijing(restart), tick=False):
        for item in CorrectionItem.objects.filter(request__application=county_case):
            services.correction_answer(actor=personas.enterprise_user, item=item, answer="已重新上传")
        services.application_county_resubmit(actor=personas.enterprise_principal, application=county_case)
    county_case.refresh_from_db()
    assert county_case.timer_started_on == restart
    assert send_deadline_reminders(wd(restart, 8)) == 1
    assert list(DeadlineReminder.objects.order_by("pk").values_list("timer_started_on", "level")) == [
        (START, ALERT),
        (restart, ALERT),
    ]


@pytest.mark.parametrize("state", [Status.CITY_REVIEW, Status.ACCEPTED])
def test_city_review_and_acceptance_remind_the_city(personas, state):
    _everyone(personas)
    with time_machine.travel(beijing(START), tick=False):
        application = advance(make_application(personas), personas, state)
    assert send_deadline_reminders(application.timer_due_on) == 1
    recipients = set(reminders().values_list("recipient__username", flat=True))
    assert recipients == {"city_officer", "city_chief"}


def test_the_enterprise_hears_when_its_publicity_minimum_has_run(personas):
    _everyone(personas)
    with time_machine.travel(beijing(START), tick=False):
        application = advance(
            make_application(personas), personas, Status.INTERNAL_PUBLICITY, publicity_start=START
        )
    earliest = wd(START, 10)
    assert application.timer_kind == "minimum"
    assert send_deadline_reminders(earliest - timedelta(days=1)) == 0
    assert send_deadline_reminders(earliest) == 1
    assert send_deadline_reminders(earliest + timedelta(days=3)) == 0  # once
    recipients = set(reminders().values_list("recipient__username", flat=True))
    assert recipients == {"enterprise_user", "enterprise_principal"}
    assert DeadlineReminder.objects.get().level == READY
    row = reminders(personas.enterprise_principal).get()
    expected = gettext(
        "The internal publicity has run its minimum of %(days)d working days; you may submit the application"
    ) % {"days": 10}
    assert row.title.endswith(expected)


def test_terminal_applications_get_nothing(personas, county_case):
    with time_machine.travel(beijing(wd(START, 1)), tick=False):
        services.application_withdraw(
            actor=personas.enterprise_principal, application=county_case, reason="暂不申请"
        )
    assert send_deadline_reminders(wd(START, 12)) == 0


def test_a_dry_run_sends_nothing(county_case):
    run = deadline_reminders_send(wd(START, 8), dry_run=True)
    assert [(r.application.pk, r.level) for r in run.reminders] == [(county_case.pk, ALERT)]
    assert not DeadlineReminder.objects.exists() and not reminders().exists()


def test_the_command_reports_how_many_were_sent(county_case):
    out = io.StringIO()
    call_command("send_deadline_reminders", "--date", wd(START, 8).isoformat(), stdout=out)
    assert gettext("Sent %(n)d deadline reminders.") % {"n": 1} in out.getvalue()
    out = io.StringIO()
    call_command("send_deadline_reminders", "--date", wd(START, 8).isoformat(), stdout=out)
    assert gettext("Sent %(n)d deadline reminders.") % {"n": 0} in out.getvalue()


def test_without_the_calendar_nothing_is_sent_and_the_command_says_so(personas):
    _everyone(personas)
    late = date(2026, 12, 28)  # 10 working days later is in 2027: holidays unknown
    with time_machine.travel(beijing(late), tick=False):
        application = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    assert application.timer_due_on is None
    out = io.StringIO()
    call_command("send_deadline_reminders", "--date", "2026-12-31", stdout=out)
    assert gettext("Sent %(n)d deadline reminders.") % {"n": 0} in out.getvalue()
    assert application.number in out.getvalue()
    assert not reminders().exists()


def test_the_scheduler_runs_the_command():
    assert "send_deadline_reminders" in [name for name, _interval, _args in settings.PERIODIC_COMMANDS]


@pytest.mark.parametrize(
    ("kind", "today", "elapsed", "expected"),
    [
        ("limit", date(2026, 3, 3), 1, None),
        ("limit", date(2026, 3, 12), 8, ALERT),
        ("limit", date(2026, 3, 16), 10, DUE),
        ("limit", date(2026, 3, 17), 11, OVERDUE),
        ("minimum", date(2026, 3, 13), 9, None),
        ("minimum", date(2026, 3, 16), 10, READY),
        ("minimum", date(2026, 3, 20), 14, READY),
    ],
)
def test_reminder_level(kind, today, elapsed, expected):
    from decimal import Decimal

    level = reminder_level(
        kind=kind,
        today=today,
        due_on=date(2026, 3, 16),
        working_days=10,
        elapsed=elapsed,
        fraction=Decimal("0.8"),
    )
    assert level == expected
