"""Hazard reminders and escalation (issue 6), run hourly by ``send_hazard_reminders``.

For each open hazard, ``rectification.domain.escalation_steps`` says which steps are due
today: the enterprise hears ``hazard_remind_before`` working days before the deadline and on
the day; once overdue, the county bureau hears the next day and the city after
``hazard_escalate_city_after`` working days. An overdue 重大 hazard opens a 督办 item
(``escalation_open``, system actor). Each notification carries a dedupe key of the hazard,
the step and the deadline, so the hourly command (even two at once) sends each step once,
and an extended deadline starts the sequence again.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.dates import CalendarMissing, working_days_between
from notifications.services import notify
from rectification import domain
from rectification.models import EscalationOrder, Hazard
from rectification.services import (
    city_people_of,
    county_people_of,
    enterprise_people_of,
    escalation_open,
    hazard_url,
)
from regulation.selectors import param_int, work_calendar

AUDIENCES = {"enterprise": enterprise_people_of, "county": county_people_of, "city": city_people_of}


@dataclass
class RunReport:
    sent: int = 0
    escalated: int = 0
    calendar_missing: list[int] = field(default_factory=list)


def _message(hazard: Hazard, step: str) -> str:
    texts = {
        domain.BEFORE: _("Hazard due on %(date)s: %(text)s"),
        domain.DUE: _("Hazard due today: %(text)s"),
        domain.OVERDUE_COUNTY: _("Hazard overdue since %(date)s at %(enterprise)s: %(text)s"),
        domain.OVERDUE_CITY: _("Hazard still overdue since %(date)s at %(enterprise)s: %(text)s"),
    }
    return texts[step] % {
        "date": hazard.deadline.isoformat(),
        "enterprise": hazard.enterprise.name,
        "text": hazard.description[:40],
    }


def run(today: date | None = None) -> RunReport:
    today = today or timezone.localdate()
    report = RunReport()
    calendar = work_calendar()
    remind_before = param_int("hazard_remind_before", today)
    city_after = param_int("hazard_escalate_city_after", today)
    hazards = Hazard.objects.filter(status__in=[domain.PENDING, domain.IN_PROGRESS]).select_related(
        "enterprise"
    )
    for hazard in hazards.iterator(chunk_size=500):
        try:
            left = working_days_between(today, hazard.deadline, calendar) if today < hazard.deadline else 0
            late = working_days_between(hazard.deadline, today, calendar) if today > hazard.deadline else 0
        except CalendarMissing:
            report.calendar_missing.append(hazard.pk)
            left = late = None
        for step in domain.escalation_steps(
            status=hazard.status,
            deadline=hazard.deadline,
            today=today,
            working_days_left=left,
            working_days_overdue=late,
            remind_before=remind_before,
            city_after=city_after,
        ):
            created = notify(
                recipients=AUDIENCES[step.audience](hazard),
                title=_message(hazard, step.code),
                url=hazard_url(hazard),
                category="hazard",
                dedupe_key=f"hazard:{hazard.pk}:{step.code}:{hazard.deadline.isoformat()}",
            )
            report.sent += len(created)
        if (
            domain.needs_escalation_order(
                level=hazard.level, status=hazard.status, deadline=hazard.deadline, today=today
            )
            and not EscalationOrder.objects.filter(hazard=hazard, status="open").exists()
        ):
            try:
                with transaction.atomic():
                    escalation_open(
                        actor=None,
                        hazard=hazard,
                        reason=_("Major hazard overdue since %(date)s")
                        % {"date": hazard.deadline.isoformat()},
                    )
            except ValidationError:  # verified meanwhile: nothing to supervise
                continue
            report.escalated += 1
    return report
