"""Reminders and escalation of open hazards (issue 6), day by day with time-machine.

``rectification.reminders.run`` is what the hourly ``send_hazard_reminders`` runs. With the
defaults (hazard_remind_before 3 WD, hazard_escalate_city_after 5 WD) and a deadline on
Wednesday 2026-06-10: the enterprise hears on Friday 06-05 (three working days left) and on
the day; the county bureau on 06-11; the city on 06-17 (the fifth working day late). Each
step once, however often the command runs; an overdue 重大 hazard opens a 督办 item.
"""

from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from notifications.models import Notification
from rectification import reminders, services
from rectification.models import EscalationOrder, Hazard
from rectification.selectors import enterprise_flagged
from rectification.tests.conftest import BEIJING
from rectification.tests.factories import make_hazard, walk

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rectification_clock")]

DEADLINE = date(2026, 6, 10)
H = Hazard.Status


@pytest.fixture
def people(personas):
    """Everyone who may hear of a hazard of the persona enterprise, and one who must not."""
    return {
        "enterprise": {personas.enterprise_user, personas.enterprise_principal},
        "county": {personas.county_officer, personas.county_chief},
        "city": {personas.city_officer, personas.city_chief},
        "elsewhere": {personas.other_county_officer, personas.other_enterprise_user, personas.bureau_leader},
    }


def on(clock, day: date) -> date:
    """Travel to 09:00 Beijing time on ``day`` and return it."""
    clock.move_to(datetime(day.year, day.month, day.day, 9, tzinfo=BEIJING))
    assert timezone.localdate() == day
    return day


def heard(hazard, step: str) -> set:
    """The users who got ``step`` of ``hazard`` (for its current deadline), checking each got it once."""
    key = f"hazard:{hazard.pk}:{step}:{hazard.deadline.isoformat()}"
    rows = list(Notification.objects.filter(dedupe_key=key).select_related("recipient"))
    assert len(rows) == len({n.recipient_id for n in rows})
    return {n.recipient for n in rows}


def test_the_escalation_steps_day_by_day(people, personas, rectification_clock):
    hazard = make_hazard(personas.enterprise, deadline=DEADLINE, status=H.IN_PROGRESS)
    clock = rectification_clock
    schedule = [
        # day, what is new that day
        (date(2026, 6, 4), {}),  # four working days left
        (date(2026, 6, 5), {"before": people["enterprise"]}),  # three left (Mon, Tue, Wed)
        (date(2026, 6, 8), {}),  # sent already
        (date(2026, 6, 10), {"due": people["enterprise"]}),
        (date(2026, 6, 11), {"overdue_county": people["county"]}),
        (date(2026, 6, 16), {}),  # four working days late
        (date(2026, 6, 17), {"overdue_city": people["city"]}),  # five
        (date(2026, 6, 18), {}),
    ]
    sent_before = 0
    for day, new in schedule:
        today = on(clock, day)
        report = reminders.run(today=today)
        assert report.sent == sum(len(users) for users in new.values()), day
        assert reminders.run(today=today).sent == 0, day  # the hourly run again: nothing twice
        for step, users in new.items():
            assert heard(hazard, step) == users, (day, step)
        sent_before += report.sent
    assert (
        Notification.objects.filter(dedupe_key__startswith=f"hazard:{hazard.pk}:").count() == sent_before == 8
    )
    nobody = people["elsewhere"]
    assert not Notification.objects.filter(recipient__in=nobody).exists()
    # A 一般 hazard opens no 督办.
    assert not EscalationOrder.objects.exists()
    assert not enterprise_flagged(personas.enterprise.pk)


def test_an_overdue_major_hazard_opens_a_supervision_order_once(people, personas, rectification_clock):
    major = make_hazard(personas.enterprise, level=Hazard.Level.MAJOR, deadline=DEADLINE)
    general = make_hazard(personas.enterprise, deadline=DEADLINE)
    on(rectification_clock, DEADLINE)
    assert reminders.run().escalated == 0  # due today: not overdue yet
    on(rectification_clock, date(2026, 6, 11))
    assert reminders.run().escalated == 1
    assert reminders.run().escalated == 0
    order = EscalationOrder.objects.get()
    assert (order.hazard, order.status, order.opened_by) == (major, EscalationOrder.Status.OPEN, None)
    assert str(DEADLINE) in order.reason
    assert enterprise_flagged(personas.enterprise.pk)
    assert not EscalationOrder.objects.filter(hazard=general).exists()
    # The city, the county and the enterprise hear of the 督办.
    for who in ("city", "county", "enterprise"):
        for user in people[who]:
            assert Notification.objects.filter(recipient=user, url=services.hazard_url(major)).exists(), user
    on(rectification_clock, date(2026, 6, 22))
    assert reminders.run().escalated == 0
    assert EscalationOrder.objects.count() == 1


def test_an_extension_starts_the_sequence_again(people, personas, rectification_clock):
    hazard = make_hazard(personas.enterprise, deadline=DEADLINE, status=H.IN_PROGRESS)
    on(rectification_clock, date(2026, 6, 11))
    reminders.run()
    assert heard(hazard, "overdue_county") == people["county"]
    request = services.extension_request(
        actor=personas.enterprise_user, hazard=hazard, requested_deadline=date(2026, 6, 24), reason="配件未到"
    )
    services.extension_decide(actor=personas.city_officer, extension=request, approve=True)
    hazard.refresh_from_db()
    on(rectification_clock, date(2026, 6, 12))
    assert reminders.run().sent == 0  # seven working days left now
    on(rectification_clock, date(2026, 6, 19))  # 端午 (a holiday): Mon, Tue, Wed left
    assert reminders.run().sent == len(people["enterprise"])
    assert heard(hazard, "before") == people["enterprise"]
    assert (hazard.deadline, hazard.original_deadline) == (date(2026, 6, 24), DEADLINE)


def test_fixed_and_closed_hazards_are_not_chased(people, personas, rectification_clock):
    awaiting = make_hazard(personas.enterprise, deadline=DEADLINE, status=H.AWAITING_VERIFICATION)
    closed = make_hazard(
        personas.enterprise, deadline=DEADLINE, level=Hazard.Level.MAJOR, status=H.IN_PROGRESS
    )
    walk(closed, H.CLOSED, verifier=personas.county_officer)
    for day in (date(2026, 6, 5), DEADLINE, date(2026, 6, 11), date(2026, 6, 30)):
        report = reminders.run(today=on(rectification_clock, day))
        assert (report.sent, report.escalated) == (0, 0)
    assert not Notification.objects.filter(dedupe_key__startswith="hazard:").exists()
    awaiting.refresh_from_db()
    closed.refresh_from_db()
    assert (awaiting.status, closed.status) == (H.AWAITING_VERIFICATION, H.CLOSED)


def test_a_deadline_beyond_the_calendar_is_reported_not_guessed(people, personas, rectification_clock):
    far = make_hazard(personas.enterprise, deadline=date(2099, 6, 10))
    report = reminders.run(today=on(rectification_clock, date(2026, 6, 5)))
    assert report.calendar_missing == [far.pk]
    assert report.sent == 0


def test_the_command_runs_the_reminders(people, personas, rectification_clock):
    make_hazard(personas.enterprise, level=Hazard.Level.MAJOR, deadline=DEADLINE)
    on(rectification_clock, date(2026, 6, 11))
    out = StringIO()
    call_command("send_hazard_reminders", stdout=out)
    assert "opened 1 supervision orders" in out.getvalue()
    assert EscalationOrder.objects.count() == 1
    call_command("send_hazard_reminders", stdout=out)
    assert EscalationOrder.objects.count() == 1
