"""Gathering the facts for the eligibility checklist (the pure rules are in grading.domain).

Other apps add conditions without grading importing them: the hazard ledger (open 重大
hazards, E11) and certificates (revocation bans, a valid grade) register a provider with
``register_check``. Until the hazard ledger exists, E11 is an ``unknown`` the county confirms.
"""

from collections.abc import Callable
from datetime import date

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext as _

from accidents.selectors import enterprise_accident_totals
from grading import domain
from grading.models import TERMINAL_STATES, GradingApplication, RequiredDocument, Status
from lib.dates import CalendarMissing, add_working_days
from lib.industries import Industry
from lib.memo import request_memo
from regulation.selectors import param_decimal, param_int, work_calendar
from standards.selectors import sheet_result

CheckProvider = Callable[[GradingApplication, date], domain.Check | None]
_PROVIDERS: dict[str, CheckProvider] = {}
# (application) -> [(ban kind, until, source)]: bans recorded outside grading (a revocation's).
BanSource = Callable[[GradingApplication], list[tuple[str, date, str]]]
_BAN_SOURCES: list[BanSource] = []

# The ban each closing state starts, and the parameter that says for how long.
BAN_PARAMETERS = {
    Status.NOT_ACCEPTED: ("not_accepted", "ban_not_accepted"),
    Status.NOT_PASSED: ("not_passed", "ban_not_passed"),
    Status.TERMINATED_FALSE_COMMITMENT: ("false_commitment", "ban_false_commitment"),
}


def register_check(code: str, provider: CheckProvider) -> None:
    """Add (or replace) the provider of condition ``code``; it returns a Check or None."""
    _PROVIDERS[code] = provider


def register_ban_source(source: BanSource) -> None:
    """Add bans from a higher app (results: revocations, E9) to the checklist (idempotent)."""
    if source not in _BAN_SOURCES:
        _BAN_SOURCES.append(source)


def _major_hazards_unknown(application: GradingApplication, on: date) -> domain.Check:
    return domain.Check(
        "E11",
        _("Hazards screened; no open major hazard"),
        domain.UNKNOWN,
        _("The hazard ledger is not kept in the system yet; the county confirms."),
    )


register_check("E11", _major_hazards_unknown)


def ban_until(status: str, on: date) -> tuple[str, date] | None:
    """Return (ban kind, first day the enterprise may apply again) for closing in ``status``."""
    if status not in BAN_PARAMETERS:
        return None
    kind, key = BAN_PARAMETERS[status]
    months = param_int(key, on)
    if months <= 0:
        return None
    return kind, on + relativedelta(months=months)


def required_documents(application: GradingApplication) -> list[RequiredDocument]:
    industry = application.enterprise.industry
    return [d for d in RequiredDocument.objects.filter(is_active=True) if d.applies_to(industry)]


def missing_documents(application: GradingApplication) -> list[str]:
    present = set(
        application.attachments.filter(superseded_at__isnull=True).values_list("document_id", flat=True)
    )
    return [d.name for d in required_documents(application) if d.required and d.pk not in present]


def publicity_earliest_end(application: GradingApplication) -> date | None:
    """The first day the application may leave internal publicity (None: calendar missing)."""
    start = application.internal_publicity_start
    if start is None:
        return None
    if application.timer_param == "internal_publicity_min" and application.timer_started_on == start:
        days = application.timer_working_days or 0  # the running timer keeps its starting value
    else:
        days = param_int("internal_publicity_min", start)
    try:
        return add_working_days(start, days, work_calendar())
    except CalendarMissing:
        return None


def sheet_progress(application: GradingApplication):
    """Return (unscored item count, percentage or None) of the self-assessment."""
    sheet = application.self_sheet
    total = application.standard.items.count()
    scored = sheet.entries.count()
    result = sheet_result(sheet) if scored else None
    return max(total - scored, 0), (result.percentage if result else None)


@request_memo
def evaluate(application: GradingApplication, on: date | None = None) -> list[domain.Check]:
    """Run the checklist for ``application`` as of ``on`` (today in Beijing by default)."""
    on = on or timezone.localdate()
    enterprise = application.enterprise
    window = param_int("eligibility_window", on)
    totals = enterprise_accident_totals(enterprise, on, window)
    bans = tuple(
        domain.Ban(kind=BAN_PARAMETERS[a.status][0], until=a.ban_until, source=a.number)
        for a in GradingApplication.objects.filter(enterprise=enterprise, ban_until__isnull=False)
        .exclude(pk=application.pk)
        .only("status", "ban_until", "number")
        if a.status in BAN_PARAMETERS
    ) + tuple(
        domain.Ban(kind=kind, until=until, source=source)
        for ban_source in _BAN_SOURCES
        for kind, until, source in ban_source(application)
    )
    others = tuple(
        GradingApplication.objects.filter(enterprise=enterprise)
        .exclude(pk=application.pk)
        .exclude(status__in=TERMINAL_STATES)
        .values_list("number", flat=True)
    )
    unscored, percentage = sheet_progress(application)
    threshold = getattr(application.standard, f"threshold_level{application.grade_level}", None)
    min_days = (
        application.timer_working_days
        if application.timer_param == "internal_publicity_min" and application.timer_working_days is not None
        else param_int("internal_publicity_min", on)
    )
    extra = tuple(
        check for code in sorted(_PROVIDERS) if (check := _PROVIDERS[code](application, on)) is not None
    )
    facts = domain.EligibilityFacts(
        on=on,
        industry_in_scope=enterprise.industry in Industry.values,
        industry_label=enterprise.get_industry_display() if enterprise.industry else "",
        in_city=bool(enterprise.region_path),
        missing_required_documents=tuple(missing_documents(application)),
        safety_manager_recorded=bool(enterprise.safety_manager_name.strip()),
        window_months=window,
        deaths=totals.deaths,
        serious_injuries=totals.serious_injuries,
        direct_loss_yuan=totals.direct_loss_yuan,
        accident_count=totals.accidents,
        max_deaths=param_int("eligibility_max_deaths", on),
        serious_injury_block=param_int("eligibility_serious_injury_block", on),
        loss_block=param_decimal("eligibility_loss_block", on),
        on_blacklist=enterprise.on_credit_blacklist,
        blacklist_note=enterprise.credit_blacklist_note,
        bans=bans,
        other_open_applications=others,
        sheet_complete=unscored == 0,
        sheet_unscored=unscored,
        sheet_percentage=percentage,
        sheet_threshold=threshold,
        publicity_start=application.internal_publicity_start,
        publicity_earliest_end=publicity_earliest_end(application),
        publicity_min_days=min_days,
        commitment_signed=application.commitment_signed_at is not None,
        extra=extra,
    )
    return domain.evaluate(facts)
