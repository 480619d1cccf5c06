"""Reading parameters as of a date, and the working-day calendar."""

from datetime import date
from decimal import Decimal

from django.db import DatabaseError
from django.db.models import Q, QuerySet
from django.utils import timezone

from lib.dates import WorkCalendar, build_calendar, chinese_calendar_data
from lib.memo import memo_active as _memo_active
from lib.memo import request_memo
from regulation.models import CalendarDay, RegulationParameter


class ParameterMissing(LookupError):
    pass


def parameter(key: str, on: date | None = None) -> RegulationParameter:
    """Return the version of ``key`` in force on ``on`` (today by default).

    Within a request (a memo scope) every parameter in force that day is read in one query.
    """
    day = on or timezone.localdate()
    row = _parameters_in_force(day).get(key) if _memo_active() else _parameter_row(key, day)
    if row is None:
        raise ParameterMissing(key)
    return row


def _in_force(day: date) -> QuerySet[RegulationParameter]:
    return RegulationParameter.objects.filter(effective_from__lte=day).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=day)
    )


def _parameter_row(key: str, day: date) -> RegulationParameter | None:
    return _in_force(day).filter(key=key).order_by("-effective_from").first()


@request_memo
def _parameters_in_force(day: date) -> dict[str, RegulationParameter]:
    rows: dict[str, RegulationParameter] = {}
    for row in _in_force(day).order_by("key", "-effective_from"):
        rows.setdefault(row.key, row)
    return rows


def param_int(key: str, on: date | None = None) -> int:
    return int(Decimal(parameter(key, on).value.split(",")[0].strip()))


def param_decimal(key: str, on: date | None = None) -> Decimal:
    return Decimal(parameter(key, on).value.split(",")[0].strip())


def param_list(key: str, on: date | None = None) -> list[Decimal]:
    return [Decimal(part.strip()) for part in parameter(key, on).value.split(",") if part.strip()]


def parameter_list() -> QuerySet[RegulationParameter]:
    """Every version of every parameter, current ones first within a key."""
    return RegulationParameter.objects.select_related("created_by").order_by("key", "-effective_from")


def calendar_year_known(year: int) -> bool:
    """An admin who records a year's statutory holidays declares that year known.

    Also called by a system check, which may run before the table exists (first migrate).
    """
    try:
        return CalendarDay.objects.filter(date__year=year, kind=CalendarDay.Kind.HOLIDAY).exists()
    except DatabaseError:
        return False


@request_memo
def work_calendar() -> WorkCalendar:
    """Return the calendar: chinese-calendar's data, extended and overridden by admin days."""
    holidays, workdays, years = chinese_calendar_data()
    overrides = {}
    admin_years = set()
    for day in CalendarDay.objects.all():
        overrides[day.date] = day.kind == CalendarDay.Kind.MAKEUP_WORKDAY
        if day.kind == CalendarDay.Kind.HOLIDAY:
            admin_years.add(day.date.year)
    return build_calendar(
        holidays=holidays, makeup_workdays=workdays, years=[*years, *admin_years], overrides=overrides
    )


def calendar_days_of_year(year: int) -> QuerySet[CalendarDay]:
    """The holidays and make-up working days recorded for ``year``, in date order."""
    return CalendarDay.objects.filter(date__year=year).order_by("date")
