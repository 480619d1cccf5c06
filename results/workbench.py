"""To-dos from results: what waits for the city section and for a certified enterprise.

- city officer: applications awaiting publicity (to put in a batch) and open objections (with
  the nearest check due date: overdue is urgent);
- city chief: batches awaiting approval, batches whose window has ended (ready to announce),
  certificates flagged for revocation;
- enterprise: its certificate expiring (inside the renewal window) and the yearly
  self-assessment not yet filed (from ``self_assessment_reminder_lead`` days before the
  anniversary, as the reminders count).

Every count starts from the results selectors (scoped by ``results.permissions``). Imported from
``ResultsConfig.ready``.
"""

from datetime import date, timedelta

from django.db.models import Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.roles import ENTERPRISE_ROLES, Role
from lib.workbench import Todo, register
from regulation.selectors import param_int
from results import domain
from results.models import AnnualSelfAssessment, Objection, PublicityBatch, RevocationCase
from results.selectors import (
    CertificateFilters,
    awaiting_publicity,
    batch_list,
    certificate_list,
    objection_list,
    revocation_list,
)

B = PublicityBatch.Status
SOON_DAYS = 7


def _category() -> str:
    return _("Publicity and certificates")


def _url(name: str, query: str = "", args=()) -> str:
    url = reverse(name, args=args)
    return f"{url}?{query}" if query else url


def _urgency(due: date | None, today: date) -> int:
    if due is None:
        return 0
    if due < today:
        return 2
    if due <= today + timedelta(days=1):
        return 1
    return 0


@register(roles={Role.CITY_OFFICER}, order=60)
def applications_awaiting_publicity(user) -> list[Todo]:
    count = awaiting_publicity(user=user).count()
    return [
        Todo(
            title=_("Applications awaiting publicity"),
            detail=_("Put them on a publicity batch and submit it to the chief."),
            url=_url("results:batch_create"),
            count=count,
            category=_category(),
        )
    ]


@register(roles={Role.CITY_OFFICER}, order=61)
def open_objections(user) -> list[Todo]:
    today = timezone.localdate()
    rows = objection_list(user=user, status=Objection.Status.OPEN)
    summary = rows.order_by().aggregate(due=Min("due_on"))
    count = rows.count()
    due = summary["due"]
    return [
        Todo(
            title=_("Objections to check"),
            detail=_("The nearest check is due on %(date)s.") % {"date": due.isoformat()} if due else "",
            url=_url("results:objections", "status=open"),
            count=count,
            due=due,
            urgency=_urgency(due, today),
            category=_category(),
        )
    ]


@register(roles={Role.CITY_CHIEF}, order=60)
def batches_awaiting_approval(user) -> list[Todo]:
    count = batch_list(user=user).filter(status=B.SUBMITTED).count()
    return [
        Todo(
            title=_("Publicity batches awaiting your approval"),
            url=_url("results:batches", "status=submitted"),
            count=count,
            urgency=1,
            category=_category(),
        )
    ]


@register(roles={Role.CITY_CHIEF}, order=61)
def batches_ready_to_announce(user) -> list[Todo]:
    today = timezone.localdate()
    rows = list(
        batch_list(user=user).filter(status=B.PUBLISHED, ends_on__lt=today).values_list("pk", "ends_on")
    )
    return [
        Todo(
            title=_("Publicity ended: issue the announcement"),
            detail=ngettext(
                "The window of %(n)d batch has ended.", "The windows of %(n)d batches have ended.", len(rows)
            )
            % {"n": len(rows)},
            url=_url("results:batch", args=[rows[0][0]])
            if len(rows) == 1
            else _url("results:batches", "status=published"),
            count=len(rows),
            due=min((d for _pk, d in rows), default=None),
            category=_category(),
        )
    ]


@register(roles={Role.CITY_CHIEF}, order=62)
def revocation_flags(user) -> list[Todo]:
    count = revocation_list(user=user, status=RevocationCase.Status.FLAGGED).count()
    return [
        Todo(
            title=_("Certificates flagged for revocation"),
            detail=_("Revoke the certificate or dismiss the flag, with the reasons."),
            url=_url("results:revocations", "status=flagged"),
            count=count,
            urgency=1,
            category=_category(),
        )
    ]


@register(roles=ENTERPRISE_ROLES, order=60)
def certificate_expiring(user) -> list[Todo]:
    rows = list(certificate_list(user=user, filters=CertificateFilters(state=domain.EXPIRING)))
    return [
        Todo(
            title=_("Certificate %(number)s expires on %(date)s: apply for renewal")
            % {"number": c.number, "date": c.expires_on.isoformat()},
            url=_url("results:certificate", args=[c.pk]),
            due=c.expires_on,
            urgency=1,
            category=_category(),
        )
        for c in rows
    ]


def assessment_due(issued_on: date, today: date, lead_days: int) -> date | None:
    """The anniversary whose self-assessment is due now (inside the lead time), or None."""
    return domain.assessment_due(issued_on, today, lead_days)


@register(roles=ENTERPRISE_ROLES, order=61)
def yearly_self_assessment(user) -> list[Todo]:
    today = timezone.localdate()
    lead = param_int("self_assessment_reminder_lead", today)
    certificates = list(
        certificate_list(user=user)
        .filter(state__in=[domain.ACTIVE, domain.EXPIRING])
        .select_related(None)
        .only("pk", "number", "issued_on", "expires_on", "status")
    )
    filed = set(
        AnnualSelfAssessment.objects.filter(
            certificate__in=[c.pk for c in certificates], status=AnnualSelfAssessment.Status.SUBMITTED
        ).values_list("certificate_id", "year")
    )
    todos = []
    for c in certificates:
        anniversary = assessment_due(c.issued_on, today, lead)
        if anniversary is None or (c.pk, anniversary.year) in filed:
            continue
        todos.append(
            Todo(
                title=_("File the %(year)s self-assessment of certificate %(number)s")
                % {"year": anniversary.year, "number": c.number},
                url=_url("results:certificate", args=[c.pk]),
                due=anniversary,
                urgency=1 if (anniversary - today).days <= SOON_DAYS else 0,
                category=_category(),
            )
        )
    return todos
