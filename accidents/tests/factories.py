"""Accidents for tests, recorded through accident_record (no state production can't reach)."""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accidents.domain import AccidentType
from accidents.models import Accident
from accidents.services import accident_record

_DEFAULTS: dict[str, Any] = {
    "place": "一号车间",
    "accident_type": AccidentType.MACHINERY,
    "deaths": 0,
    "serious_injuries": 0,
    "minor_injuries": 1,
    "direct_loss_yuan": Decimal("20000.00"),
    "description": "",
    "reporting_violation": "none",
    "reported_at": None,
    "grade_override": None,
    "grade_override_reason": "",
}


def beijing(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """Return an aware datetime in Beijing time."""
    return datetime(year, month, day, hour, minute, tzinfo=timezone.get_default_timezone())


def record_accident(actor, enterprise, occurred_at: datetime | None = None, **overrides) -> Accident:
    """Record an accident of ``enterprise`` as ``actor`` (a recorder); defaults: yesterday, one minor injury."""
    when = occurred_at or timezone.now() - timedelta(days=1)
    return accident_record(
        actor=actor, data={**_DEFAULTS, "enterprise": enterprise, "occurred_at": when, **overrides}
    )
