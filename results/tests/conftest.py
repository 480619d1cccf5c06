"""Fixtures of the results pages and API tests.

``results_clock`` puts the test on Monday 2026-06-01, 09:00 in Beijing (the clock runs on), so
publicity windows and objection due dates, counted in working days, stay inside the calendar
chinese-calendar knows. ``ready`` is the persona enterprise's application at result
confirmation (eligible: a batch of it can be approved and announced); ``published`` a batch of
it approved today, returned as ``(batch, application)``. ``media`` keeps uploads and PDFs in a
temporary directory.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from results.models import PublicityBatch
from results.tests.factories import make_batch, make_result_ready

BEIJING = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 6, 1, 9, 0, tzinfo=BEIJING)


def beijing(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=BEIJING)


@pytest.fixture
def results_clock():
    """Run the test from 2026-06-01 09:00 Beijing time; yields the traveller (``.move_to``)."""
    with time_machine.travel(START, tick=True) as traveller:
        yield traveller


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def ready(results_clock, personas):
    return make_result_ready(personas)


@pytest.fixture
def published(ready, personas):
    batch = make_batch(personas, [ready], status=PublicityBatch.Status.PUBLISHED)
    ready.refresh_from_db()
    return batch, ready
