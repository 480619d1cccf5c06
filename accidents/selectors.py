"""Reads of the accident ledger. Lists start from visible_to(user).

``enterprise_accident_totals`` is the exception: eligibility (E5) and revocation call it for
an enterprise whose access they have already checked, so it takes no user.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from accidents.domain import AccidentTotals, window_start
from accidents.models import Accident
from accidents.permissions import visible_to
from audit.selectors import audit_event_details, history_for
from enterprises.models import Enterprise
from enterprises.selectors import EnterpriseFilters, enterprise_list


@dataclass(frozen=True)
class AccidentFilters:
    """The filters of the accident list, shared by the page, the export and the API."""

    enterprise: int | None = None
    region: int | None = None
    accident_type: str = ""
    grade: str = ""
    reporting_violation: str = ""
    year: int | None = None
    date_from: date | None = None  # inclusive, Beijing calendar day
    date_to: date | None = None  # inclusive
    q: str = ""


def local_midnight(day: date) -> datetime:
    """Return the start of a Beijing calendar day as an aware datetime (a deadline is a Beijing day)."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def accident_list(*, user, filters: AccidentFilters | None = None) -> QuerySet[Accident]:
    """Return the user's accidents narrowed by the filters, newest first, with what a row shows.

    ``grade`` matches the effective grade (the officer's override, else the computed one).
    ``q`` finds the enterprise as the enterprise list does (name, USCC prefix, pinyin) or
    matches the place.
    """
    f = filters or AccidentFilters()
    qs = visible_to(user)
    if f.enterprise:
        qs = qs.filter(enterprise_id=f.enterprise)
    if f.region:
        qs = qs.filter(enterprise__region_id=f.region)
    if f.accident_type:
        qs = qs.filter(accident_type=f.accident_type)
    if f.grade:
        qs = qs.filter(Q(grade_override=f.grade) | Q(grade_override__isnull=True, grade=f.grade))
    if f.reporting_violation:
        qs = qs.filter(reporting_violation=f.reporting_violation)
    if f.year:
        qs = qs.filter(
            occurred_at__gte=local_midnight(date(f.year, 1, 1)),
            occurred_at__lt=local_midnight(date(f.year + 1, 1, 1)),
        )
    if f.date_from:
        qs = qs.filter(occurred_at__gte=local_midnight(f.date_from))
    if f.date_to:
        qs = qs.filter(occurred_at__lt=local_midnight(f.date_to + timedelta(days=1)))
    q = f.q.strip()
    if q:
        matching = enterprise_list(user=user, filters=EnterpriseFilters(q=q)).values("pk")
        qs = qs.filter(Q(enterprise__in=matching) | Q(place__icontains=q))
    return qs.select_related("enterprise", "enterprise__region", "recorded_by").order_by(
        "-occurred_at", "-pk"
    )


@dataclass(frozen=True)
class ListTotals:
    """The totals row under the accident list: every filtered accident, not just one page."""

    accidents: int
    deaths: int
    serious_injuries: int
    minor_injuries: int
    direct_loss_yuan: Decimal


def accident_list_totals(accidents: QuerySet[Accident]) -> ListTotals:
    """Return the totals of a (filtered) accident queryset, in one aggregate query."""
    row = accidents.order_by().aggregate(
        accidents=Count("pk"),
        deaths=Coalesce(Sum("deaths"), 0),
        serious_injuries=Coalesce(Sum("serious_injuries"), 0),
        minor_injuries=Coalesce(Sum("minor_injuries"), 0),
        direct_loss_yuan=Sum("direct_loss_yuan"),
    )
    row["direct_loss_yuan"] = _money(row["direct_loss_yuan"])
    return ListTotals(**row)


def _money(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def enterprise_accident_totals(enterprise: Enterprise | int, on: date, months: int) -> AccidentTotals:
    """Return the enterprise's accident totals in [on − months, on), in one aggregate query.

    The window is in Beijing calendar days (domain.md §4, E5: [date − 12 months, date)): an
    accident on ``on`` itself is not counted, one on ``on − months`` is. The caller has
    checked access to the enterprise; eligibility passes months=param_int("eligibility_window"),
    revocation param_int("revocation_window").
    """
    row = Accident.objects.filter(
        enterprise=enterprise,
        occurred_at__gte=local_midnight(window_start(on, months)),
        occurred_at__lt=local_midnight(on),
    ).aggregate(
        accidents=Count("pk"),
        deaths=Coalesce(Sum("deaths"), 0),
        serious_injuries=Coalesce(Sum("serious_injuries"), 0),
        direct_loss_yuan=Sum("direct_loss_yuan"),
    )
    row["direct_loss_yuan"] = _money(row["direct_loss_yuan"])
    return AccidentTotals(**row)


@dataclass(frozen=True)
class EnterpriseAccidents:
    """What the enterprise page shows: its latest accidents, how many there are, the window totals."""

    recent: list[Accident]
    count: int
    totals: AccidentTotals
    on: date
    months: int


def enterprise_accidents(
    *, user, enterprise: Enterprise, on: date, months: int, limit: int = 10
) -> EnterpriseAccidents:
    """Return the enterprise's accidents the user may see, newest first, and the window totals.

    The caller has checked that the user may see the enterprise; the window totals are
    only shown with the list, so they follow the same scope.
    """
    qs = accident_list(user=user, filters=AccidentFilters(enterprise=enterprise.pk))
    recent = list(qs[:limit])
    count = len(recent) if len(recent) < limit else qs.count()
    totals = enterprise_accident_totals(enterprise, on, months) if count else AccidentTotals()
    return EnterpriseAccidents(recent, count, totals, on, months)


def accident_history(*, accident: Accident) -> list:
    """Return the accident's audit events with readable detail lines, newest first.

    The caller has checked that the user may see the accident; its history is part of it.
    """
    return audit_event_details(history_for(accident).select_related("actor"))
