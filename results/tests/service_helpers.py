"""Helpers of the results service tests: an application awaiting result confirmation, a clock."""

from datetime import datetime
from zoneinfo import ZoneInfo

from grading.models import GradingApplication, Status
from grading.tests.factories import advance, make_application

BEIJING = ZoneInfo("Asia/Shanghai")


def beijing(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=BEIJING)


def result_ready(personas) -> GradingApplication:
    """An application walked through acceptance and put at result confirmation (the review and
    rectification are other apps' tests): its eligibility holds, so publicity can start."""
    application = advance(make_application(personas), personas, Status.ACCEPTED)
    GradingApplication.objects.filter(pk=application.pk).update(status=Status.RESULT_CONFIRMATION)
    application.refresh_from_db()
    return application
