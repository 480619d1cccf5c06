"""Deadline reminders: tell the responsible people that a case's timer is running out, or has run.

domain.md §3 and §11. A ``limit`` timer is the authority's deadline: its people hear once when
the elapsed working days reach the alert fraction (parameter ``deadline_alert_fraction``, 80 %)
of the limit ("alert"), once on the due day ("due") and once after it ("overdue"). The
``minimum`` timer of internal publicity tells the enterprise once it has run ("ready": it may
now submit). A run sends only the highest level reached: after a weekend the county hears
"overdue", not a stale "alert" as well.

Each reminder sent is a ``DeadlineReminder`` row, unique per application, timer, start day and
level, so the periodic command can run every hour (and twice at once) and nobody hears the
same thing twice; a timer that restarts (a new start day after a return) reminds again.
When the working-day calendar does not reach a deadline (next year's holidays unknown)
nothing is sent for it and the run reports the case, so an admin adds the holidays.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grading.models import TERMINAL_STATES, DeadlineReminder, GradingApplication, Status
from grading.services import city_people, county_people, enterprise_people
from grading.workflow import STATE_TIMERS
from lib.dates import CalendarMissing, WorkCalendar, add_working_days, working_days_between
from notifications.services import notify
from regulation.selectors import param_decimal, work_calendar

ALERT, DUE, OVERDUE, READY = "alert", "due", "overdue", "ready"

# Who answers for the running timer of each state.
RESPONSIBLE: dict[str, Callable] = {
    Status.INTERNAL_PUBLICITY: enterprise_people,
    Status.COUNTY_REVIEW: county_people,
    Status.CITY_REVIEW: city_people,
    Status.ACCEPTED: city_people,
}

TIMER_LABELS = {
    "county_review_limit": gettext_lazy("The county preliminary review"),
    "city_review_limit": gettext_lazy("The city re-review"),
    "site_review_limit": gettext_lazy("Organising the on-site review"),
}


def reminder_level(
    *,
    kind: str,
    today: date,
    due_on: date,
    working_days: int,
    elapsed: int,
    fraction: Decimal,
) -> str | None:
    """Return the level a timer has reached on ``today`` (None: nothing to say yet). Pure."""
    if kind == "minimum":
        return READY if today >= due_on else None
    if today > due_on:
        return OVERDUE
    if today == due_on:
        return DUE
    if working_days and elapsed >= fraction * working_days:
        return ALERT
    return None


@dataclass(frozen=True)
class Reminder:
    """One reminder to send: which case, which level, and the numbers the message quotes."""

    application: GradingApplication
    level: str
    due_on: date
    elapsed: int

    @property
    def dedupe_key(self) -> str:
        a = self.application
        return f"deadline:{a.pk}:{a.timer_param}:{a.timer_started_on.isoformat()}:{self.level}"


@dataclass
class ReminderRun:
    """What a run did: reminders sent (or, in a dry run, to send) and cases it could not judge."""

    reminders: list[Reminder] = field(default_factory=list)
    # Numbers of the applications whose deadline the working-day calendar does not reach.
    calendar_missing: list[str] = field(default_factory=list)
    # Numbers of the applications with a reminder due but nobody to tell (no active user).
    nobody_to_tell: list[str] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return len(self.reminders)


def _running_timers(today: date):
    return (
        GradingApplication.objects.exclude(status__in=TERMINAL_STATES)
        .exclude(timer_param="")
        .filter(timer_started_on__isnull=False, timer_started_on__lte=today)
        .select_related("enterprise")
        .order_by("pk")
    )


def _due_on(application: GradingApplication, calendar: WorkCalendar) -> date:
    """The stored due day, or (if the calendar has been extended since the timer started) today's answer."""
    if application.timer_due_on is not None:
        return application.timer_due_on
    return add_working_days(application.timer_started_on, application.timer_working_days or 0, calendar)


def pending_reminders(today: date) -> ReminderRun:
    """Return the reminders due on ``today`` that have not been sent yet (reads only)."""
    run = ReminderRun()
    applications = [
        a for a in _running_timers(today) if STATE_TIMERS.get(a.status) == (a.timer_param, a.timer_kind)
    ]
    if not applications:
        return run
    calendar = work_calendar()
    fraction = param_decimal("deadline_alert_fraction", today)
    sent = set(
        DeadlineReminder.objects.filter(application__in=[a.pk for a in applications]).values_list(
            "application_id", "timer_param", "timer_started_on", "level"
        )
    )
    for application in applications:
        try:
            due_on = _due_on(application, calendar)
            elapsed = working_days_between(application.timer_started_on, today, calendar)
        except CalendarMissing:
            run.calendar_missing.append(application.number)
            continue
        level = reminder_level(
            kind=application.timer_kind,
            today=today,
            due_on=due_on,
            working_days=application.timer_working_days or 0,
            elapsed=elapsed,
            fraction=fraction,
        )
        key = (application.pk, application.timer_param, application.timer_started_on, level)
        if level is not None and key not in sent:
            run.reminders.append(Reminder(application, level, due_on, elapsed))
    return run


def _message(reminder: Reminder) -> tuple[str, str]:
    application = reminder.application
    if reminder.level == READY:
        title = _(
            "The internal publicity has run its minimum of %(days)d working days; you may submit the application"
        ) % {"days": application.timer_working_days or 0}
        body = _("The minimum period ended on %(date)s.") % {"date": reminder.due_on.isoformat()}
    else:
        numbers = {
            "timer": TIMER_LABELS.get(application.timer_param, application.get_status_display()),
            "date": reminder.due_on.isoformat(),
        }
        title = {
            ALERT: _("%(timer)s is due on %(date)s"),
            DUE: _("%(timer)s is due today (%(date)s)"),
            OVERDUE: _("%(timer)s was due on %(date)s and is overdue"),
        }[reminder.level] % numbers
        body = _("%(elapsed)d of %(days)d working days have passed since %(start)s.") % {
            "elapsed": reminder.elapsed,
            "days": application.timer_working_days or 0,
            "start": application.timer_started_on.isoformat(),
        }
    return f"{application.number} {application.enterprise.name}：{title}", body


def _send(reminder: Reminder, run: ReminderRun) -> None:
    application = reminder.application
    people = list(RESPONSIBLE[application.status](application))
    if not people:
        # Not recorded: once someone is given the role, the next run tells them.
        run.nobody_to_tell.append(application.number)
        return
    with transaction.atomic():
        # The row is the claim: of two runs at once, one creates it and sends; the other skips.
        _row, created = DeadlineReminder.objects.get_or_create(
            application=application,
            timer_param=application.timer_param,
            timer_started_on=application.timer_started_on,
            level=reminder.level,
        )
        if not created:
            return
        title, body = _message(reminder)
        notify(
            recipients=people,
            title=title,
            body=body,
            url=reverse("grading:detail", args=[application.pk]),
            category="deadline",
            dedupe_key=reminder.dedupe_key,
        )
    run.reminders.append(reminder)


def deadline_reminders_send(today: date | None = None, *, dry_run: bool = False) -> ReminderRun:
    """Send the reminders due on ``today`` (Beijing) once each; a dry run only lists them."""
    today = today or timezone.localdate()
    pending = pending_reminders(today)
    if dry_run:
        return pending
    run = ReminderRun(calendar_missing=pending.calendar_missing)
    for reminder in pending.reminders:
        _send(reminder, run)
    return run


def send_deadline_reminders(today: date | None = None) -> int:
    """Send the reminders due on ``today`` and return how many were sent."""
    return deadline_reminders_send(today).sent
