"""To-dos from applications: the enterprise's next step, and what waits for each regulator.

Every count starts from ``grading.permissions.visible_to(user)``, so a county officer counts
only his division's cases. A to-do links to the application itself when there is exactly
one, else to the list filtered the same way. Urgency follows the running limit timer: 2 if a
case is past its due day, 1 if one has used the alert fraction (80 %) of its working days.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.roles import ENTERPRISE_ROLES, Role
from grading.models import CorrectionItem, CorrectionRequest, OpinionStatus, Status
from grading.permissions import visible_to
from lib.dates import CalendarMissing, working_days_between
from lib.workbench import Todo, register
from regulation.selectors import param_decimal, work_calendar

OPEN_ITEM_STATES = (CorrectionItem.State.OPEN, CorrectionItem.State.REOPENED)
TIMER_FIELDS = ("pk", "timer_kind", "timer_started_on", "timer_working_days", "timer_due_on")


def _list_url(query: str) -> str:
    """The filtered application list, or "" while no list page is installed."""
    try:
        return f"{reverse('grading:list')}?{query}"
    except NoReverseMatch:
        return ""


def _detail_url(pk: int) -> str:
    return reverse("grading:detail", args=[pk])


@dataclass(frozen=True)
class _Summary:
    count: int
    only: int | None  # the pk when there is exactly one
    due: date | None
    overdue: int
    urgency: int


def _summarise(rows, today: date) -> _Summary:
    """Count the cases of a queryset and judge their deadlines (one query; the calendar if needed)."""
    timers = list(rows.values_list(*TIMER_FIELDS))
    limits = [t for t in timers if t[1] == "limit" and t[2] is not None]
    due_days = [t[4] for t in limits if t[4] is not None]
    overdue = sum(1 for d in due_days if d < today)
    urgency = 2 if overdue else 1 if limits and _any_alert(limits, today) else 0
    return _Summary(
        count=len(timers),
        only=timers[0][0] if len(timers) == 1 else None,
        due=min(due_days, default=None),
        overdue=overdue,
        urgency=urgency,
    )


def _any_alert(limits: list[tuple], today: date) -> bool:
    """Has any limit timer used the alert fraction of its working days (as grading.selectors.deadline_for)?"""
    fraction = param_decimal("deadline_alert_fraction", today)
    calendar = work_calendar()
    for _pk, _kind, started, days, _due in limits:
        try:
            elapsed = working_days_between(started, today, calendar)
        except CalendarMissing:
            continue
        if days and elapsed >= fraction * days:
            return True
    return False


def _review_todo(rows, *, title: str, status: str, today: date) -> list[Todo]:
    summary = _summarise(rows, today)
    if not summary.count:
        return []
    detail = (
        ngettext("%(n)d is overdue.", "%(n)d are overdue.", summary.overdue) % {"n": summary.overdue}
        if summary.overdue
        else ""
    )
    return [
        Todo(
            title=title,
            detail=detail,
            url=_detail_url(summary.only) if summary.only else _list_url(f"status={status}"),
            count=summary.count,
            due=summary.due,
            urgency=summary.urgency,
            category=_("Grading applications"),
        )
    ]


@register(roles={Role.COUNTY_OFFICER}, order=30)
def applications_awaiting_preliminary_review(user) -> list[Todo]:
    """Applications of the officer's division in county preliminary review."""
    rows = visible_to(user).filter(status=Status.COUNTY_REVIEW)
    return _review_todo(
        rows,
        title=_("Applications awaiting preliminary review"),
        status=Status.COUNTY_REVIEW,
        today=timezone.localdate(),
    )


@register(roles={Role.COUNTY_CHIEF}, order=30)
def county_opinions_awaiting_approval(user) -> list[Todo]:
    """Preliminary review opinions the officers sent to the county chief."""
    rows = visible_to(user).filter(
        status=Status.COUNTY_REVIEW,
        pk__in=visible_to(user).filter(county_opinions__status=OpinionStatus.SUBMITTED).values("pk"),
    )
    return _review_todo(
        rows,
        title=_("Preliminary review opinions awaiting your approval"),
        status=Status.COUNTY_REVIEW,
        today=timezone.localdate(),
    )


@register(roles={Role.CITY_OFFICER}, order=30)
def applications_awaiting_re_review(user) -> list[Todo]:
    """Applications the counties forwarded, in city re-review."""
    rows = visible_to(user).filter(status=Status.CITY_REVIEW)
    return _review_todo(
        rows,
        title=_("Applications awaiting re-review"),
        status=Status.CITY_REVIEW,
        today=timezone.localdate(),
    )


@register(roles={Role.CITY_CHIEF}, order=30)
def city_decisions_awaiting_approval(user) -> list[Todo]:
    """Re-review proposals the section's officers sent to the chief."""
    rows = visible_to(user).filter(
        status=Status.CITY_REVIEW,
        pk__in=visible_to(user).filter(city_decisions__status=OpinionStatus.SUBMITTED).values("pk"),
    )
    return _review_todo(
        rows,
        title=_("Re-review proposals awaiting your approval"),
        status=Status.CITY_REVIEW,
        today=timezone.localdate(),
    )


ENTERPRISE_STEP_STATES = (
    Status.DRAFT,
    Status.INTERNAL_PUBLICITY,
    Status.COUNTY_RETURNED,
    Status.CITY_RETURNED,
)


@register(roles=ENTERPRISE_ROLES, order=20)
def next_step_of_your_application(user) -> list[Todo]:
    """The next step of the enterprise's open application, when the enterprise holds the file."""
    rows = (
        visible_to(user)
        .filter(status__in=ENTERPRISE_STEP_STATES)
        .annotate(
            unanswered=Count(
                "correction_requests__items",
                filter=Q(
                    correction_requests__addressee=CorrectionRequest.Addressee.ENTERPRISE,
                    correction_requests__closed_at__isnull=True,
                    correction_requests__items__state__in=OPEN_ITEM_STATES,
                ),
            )
        )
        .only("pk", "number", "status", "timer_due_on")
        .order_by("pk")
    )
    today = timezone.localdate()
    return [_enterprise_todo(application, today) for application in rows]


def _enterprise_todo(application, today: date) -> Todo:
    base = {
        "url": _detail_url(application.pk),
        "category": _("Your application"),
        "detail": _("Application %(number)s") % {"number": application.number},
    }
    if application.status == Status.DRAFT:
        return Todo(title=_("Complete the self-assessment and start the internal publicity"), **base)
    if application.status == Status.INTERNAL_PUBLICITY:
        earliest = application.timer_due_on
        if earliest is not None and today >= earliest:
            return Todo(title=_("The internal publicity has run its minimum: submit the application"), **base)
        if earliest is not None:
            return Todo(
                title=_("Internal publicity until %(date)s") % {"date": earliest.isoformat()},
                due=earliest,
                **{**base, "detail": _("Then submit the application to the county.")},
            )
        return Todo(title=_("Internal publicity under way"), **base)
    # Returned for correction: answer every item, then resubmit.
    left = application.unanswered
    detail = (
        ngettext(
            "%(n)d item of the correction notice is unanswered.",
            "%(n)d items of the correction notice are unanswered.",
            left,
        )
        % {"n": left}
        if left
        else _("Every item is answered; resubmit the application.")
    )
    return Todo(
        title=_("Correct the application as the notice asks and resubmit it"),
        count=left or 1,
        urgency=1,
        **{**base, "detail": detail},
    )
