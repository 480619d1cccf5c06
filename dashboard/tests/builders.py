"""Rows for the dashboard's hand-computed datasets.

The dashboard only reads, so its fixtures write the rows the figures count directly through the
ORM (applications with their timelines, reviews with panel sheets, hazards, accidents and
certificates) with the dates each case needs, instead of walking every case through the
services: the same shapes the services write, at exact past dates no clock trick could reach.
"""

from datetime import date, datetime
from decimal import Decimal
from itertools import count

from django.utils import timezone

from accidents.domain import AccidentType, grade_for
from accidents.models import Accident
from accounts.roles import Role
from accounts.tests.factories import UserFactory, admin_org, city_bureau
from grading.models import ApplicationTransition, GradingApplication
from rectification.models import Hazard
from rectification.tests.factories import major_clause
from results.models import Certificate
from reviews.models import SiteReview
from standards.models import ScoreSheet, SheetDeduction, SheetItem
from standards.tests.factories import published_warehousing

_seq = count(1)
TZ = timezone.get_default_timezone()


def beijing(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def d(text: str) -> date:
    return date.fromisoformat(text)


def staff():
    """A city officer who 'did' everything in the fixtures (actor, recorder, creator)."""
    user = UserFactory._meta.model.objects.filter(username="dashboard-staff").first()
    return user or UserFactory(username="dashboard-staff", role=Role.CITY_OFFICER, organisation=city_bureau())


def standard():
    admin = UserFactory._meta.model.objects.filter(username="dashboard-admin").first() or UserFactory(
        username="dashboard-admin", role=Role.SYSTEM_ADMIN, organisation=admin_org()
    )
    return published_warehousing(admin)


def application(enterprise, status: str, created: str, moves: list[tuple[str, str, str]] = (), **fields):
    """An application of ``enterprise`` now in ``status``, with timeline rows (from, to, 'YYYY-MM-DD')."""
    std = standard()
    user = staff()
    sheet = ScoreSheet.objects.create(standard=std, kind=ScoreSheet.Kind.SELF_ASSESSMENT, created_by=user)
    changed = beijing(d(moves[-1][2])) if moves else beijing(d(created))
    app = GradingApplication.objects.create(
        number=f"DB-{next(_seq):05d}",
        enterprise=enterprise,
        standard=std,
        self_sheet=sheet,
        status=status,
        status_changed_at=changed,
        created_by=user,
        **fields,
    )
    # created_at is auto_now_add: set the past date afterwards.
    GradingApplication.objects.filter(pk=app.pk).update(created_at=beijing(d(created), 9))
    for source, target, day in moves:
        ApplicationTransition.objects.create(
            application=app,
            transition=f"{source}->{target}",
            from_state=source,
            to_state=target,
            actor=user,
            created_at=beijing(d(day)),
        )
    app.refresh_from_db()
    return app


def path(*steps: tuple[str, str]) -> list[tuple[str, str, str]]:
    """Timeline rows from (state entered, day) pairs, starting from draft."""
    moves, previous = [], "draft"
    for state, day in steps:
        moves.append((previous, state, day))
        previous = state
    return moves


def review(app, *, percentage: str | None, finalised: str | None, entries: list[dict] = ()):
    """The on-site review of ``app``, with a panel sheet holding ``entries``.

    Each entry: {"code": item code, "deductions": [points…], "applicable": bool, "extra": points}.
    """
    user = staff()
    sheet = ScoreSheet.objects.create(
        standard=app.standard, kind=ScoreSheet.Kind.CONSOLIDATED, created_by=user, status="locked"
    )
    items = {i.code: i for i in app.standard.items.all()}
    for entry in entries:
        row = SheetItem.objects.create(
            sheet=sheet,
            item=items[entry["code"]],
            applicable=entry.get("applicable", True),
            extra_deduction=Decimal(str(entry.get("extra", 0))),
        )
        for n, points in enumerate(entry.get("deductions", [])):
            SheetDeduction.objects.create(
                entry=row, points=Decimal(str(points)), reason="不符合", sort_order=n
            )
    return SiteReview.objects.create(
        application=app,
        date=d(finalised) if finalised else d("2026-01-01"),
        place="企业会议室",
        scheduled_by=user,
        panel_sheet=sheet,
        finalised_at=beijing(d(finalised), 16) if finalised else None,
        finalised_by=user if finalised else None,
        percentage=Decimal(percentage) if percentage is not None else None,
        conclusion=("pass" if Decimal(percentage) >= 60 else "fail") if percentage is not None else "",
    )


def hazard(
    enterprise, *, level="general", status="pending", found: str, deadline: str, submitted: str | None = None
):
    fields = {}
    if level == "major":
        fields["basis_clause"] = major_clause()
    return Hazard.objects.create(
        enterprise=enterprise,
        source=Hazard.Source.SELF_CHECK,
        description="消防通道堆放杂物",
        level=level,
        status=status,
        found_on=d(found),
        deadline=d(deadline),
        original_deadline=d(deadline),
        submitted_at=beijing(d(submitted)) if submitted else None,
        **fields,
    )


def accident(enterprise, when: datetime, deaths: int = 0):
    return Accident.objects.create(
        enterprise=enterprise,
        occurred_at=when,
        place="一号车间",
        accident_type=AccidentType.MACHINERY,
        deaths=deaths,
        grade=grade_for(deaths, 0, Decimal(0)),
        recorded_by=staff(),
    )


def certificate(enterprise, *, issued: str, expires: str, status="active", revoked: str | None = None):
    app = application(enterprise, "announced", issued)
    return Certificate.objects.create(
        number=f"辽AQBⅢ-DB-{app.pk:05d}",
        enterprise=enterprise,
        application=app,
        enterprise_name=enterprise.name,
        uscc=enterprise.uscc,
        region_path=enterprise.region_path,
        industry=enterprise.industry,
        grade_level=3,
        issued_on=d(issued),
        expires_on=d(expires),
        status=status,
        revoked_on=d(revoked) if revoked else None,
    )
