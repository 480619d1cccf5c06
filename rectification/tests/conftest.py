"""Fixtures of the rectification tests: an application rectifying under its 一企一策 plan.

``plan`` finalises the on-site review of the ``on_site`` fixture (reviews/tests/conftest.py)
through the real services, with three deductions of which two are marked as hazards, so the
finalise hook makes the plan with two 一般 hazards. It returns
``(application, plan, leader_user, principal_user)``.

``rectification_clock`` puts the test on Monday 2026-06-01, 09:00 in Beijing (the clock runs
on): deadlines counted in working days then stay inside the calendar the chinese-calendar
package knows, whatever the real date. ``plan`` starts it first.

Pages and API tests import these fixtures from here::

    from rectification.tests.conftest import drawn, on_site, plan, rectification_clock, scheduled  # noqa: F401
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from grading.models import Status
from rectification.models import RectificationPlan
from reviews.tests.conftest import drawn, on_site, scheduled  # noqa: F401 - fixtures ``plan`` uses
from reviews.tests.scoring_helpers import finalise_review, leader_of

BEIJING = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 6, 1, 9, 0, tzinfo=BEIJING)

# Item code -> points deducted; the first two are marked as hazards (the third is only a
# nonconformity: it makes no hazard).
PLAN_DEDUCTIONS = {"1.1.1": 1, "1.1.2": 2, "1.2.1": 1}
PLAN_HAZARD_CODES = ("1.1.1", "1.1.2")


@pytest.fixture
def rectification_clock():
    """Run the test from 2026-06-01 09:00 Beijing time; yields the traveller (``.shift``, ``.move_to``)."""
    with time_machine.travel(START, tick=True) as traveller:
        yield traveller


@pytest.fixture
def plan(rectification_clock, personas, on_site):  # noqa: F811 - the imported fixture
    """(application, plan, leader_user, principal_user): rectifying, its plan open with two hazards."""
    application, panel, review = on_site
    finalise_review(
        personas, application, panel, review, deductions=PLAN_DEDUCTIONS, hazards=PLAN_HAZARD_CODES
    )
    application.refresh_from_db()
    assert application.status == Status.RECTIFYING
    return (
        application,
        RectificationPlan.objects.get(application=application),
        leader_of(panel),
        personas.enterprise_principal,
    )
