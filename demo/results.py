"""Seed the results demo (公示, 异议, 公告, 证书, 撤销) and the public portal's articles, through
``results.services`` and ``portal.services``.

What it makes, on the two demo cases ``demo.services`` walked to result confirmation:

- **an announced batch**: the case whose rectification the leader confirmed (``CONFIRMED``), listed
  by the city officer, approved by the 科长, then announced with its certificate: the whole loop
  from the on-site review through rectification to the certificate on one case. The PDFs of the
  announcement and the certificate are rendered here, so they exist without the task worker;
- **on publicity now**: the case finalised without findings, in a second batch the city officer
  drafted and submitted and the 科长 approved today, with one objection from the public still
  being checked;
- **certificate history**: certificates issued before the system (``certificate_record_legacy``,
  2022–2025) for some forty enterprises across the six divisions and several industries, valid,
  expiring (inside the renewal window), expired; one revoked by the 科长 on the city's proposal
  (with its 撤销公告), one flagged by the system after a fatal accident and left for the 科长;
- **accidents around certification**: in the 12 months before each certificate about twice as many
  accidents as in the 12 months after, not uniformly (some enterprises did worse after), so the
  dashboard's before/after figure has honest data to compare;
- **the portal's articles**: policy documents, interpretations and notices, one with a PDF, one
  still a draft.

No further case is walked for these: with the default pool of 50 experts, the eight panels the demo
seats today take every available expert, so a ninth same-day draw fails.

**The demo's only shortcut:** a publicity runs for ``publicity_min`` working days from the day the
科长 approves it, and nobody can approve one in the past. So the announced batch is approved today
and its window is then moved into the past with one ``PublicityBatch.objects.filter(pk=…).update(…)``
(the window, nothing else), after which it is announced through the service like any other. Every
other date counts back from the day of seeding (as in ``demo.ledger``), so the states hold
whenever the demo is seeded.

Idempotent: cases already listed in a batch, enterprises already holding a legacy certificate,
accidents already recorded (same enterprise, place and type), revocation cases, objections and
articles (by title) already there are left alone.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from accidents.models import Accident
from accidents.services import accident_record
from accounts.models import User
from accounts.roles import Role
from demo import data
from demo.ledger import CONFIRMED
from enterprises.models import Enterprise
from grading.models import GradingApplication, Status
from lib.api import DomainError
from lib.pdf import html_to_pdf
from portal import services as portal_services
from portal.models import Article
from results import services as results_services
from results.documents import render_and_store
from results.domain import format_number
from results.models import (
    Announcement,
    Certificate,
    Objection,
    PublicityBatch,
    PublicityEntry,
    RevocationCase,
)

# The demo case announced today (its rectification confirmed by the leader) and the one put on
# publicity today (finalised without findings), by their stage in demo.services.
ANNOUNCED = CONFIRMED
ON_PUBLICITY = Status.RESULT_CONFIRMATION

ANNOUNCED_PUBLICITY_DAYS_AGO = 21  # calendar days: its 7 working days ended last week

# Legacy certificates: enterprises from this position in registration order on (the earlier ones
# keep the accidents of demo.services and stay uncertified), about this share of them.
LEGACY_FIRST_POSITION = 40
LEGACY_SHARE = 0.30
LEGACY_PATTERN = "AQB{level}{industry}{province}{year}{seq:04d}"  # the old style: AQBⅢJX辽20230417
# The state of the k-th certified enterprise, in turn; and the days before seeding its certificate
# may have been issued (announcements come in batches, so several share a day).
BANDS = ("valid", "expired", "valid", "expiring", "valid", "expired", "valid", "valid")
ISSUED_DAYS_AGO = {
    # (Seeded late in 2026: issued 2022-01 … 2023-09, expired; expiring; 2023-12 … 2025-10, valid.)
    "expired": (1785, 1660, 1540, 1415, 1290, 1170),
    "expiring": (1075, 1040),  # expires within the 3-month renewal window
    "valid": (985, 905, 820, 735, 650, 560, 470, 410),  # the 12 months after each are over
}
REVOKED_VALID_INDEX = 1  # the 2nd valid certificate is revoked on the city's proposal
FLAGGED_VALID_INDEX = 3  # the 4th has a fatal accident; the system flags it
# Accidents per certified enterprise in the 12 months before and after its certificate.
BEFORE_COUNTS = (0, 0, 1, 1, 1, 2)
AFTER_COUNTS = (0, 0, 0, 0, 0, 1, 1)

KEYS = (
    "publicity_batches",
    "objections",
    "announcements",
    "certificates",
    "revocation_cases",
    "accidents",
    "articles",
)


def _rng(seed: int, kind: str, index: int) -> random.Random:
    # As demo.services: a string seed is hashed, so this is stable across runs and processes.
    return random.Random(f"anbiao-demo:{seed}:{kind}:{index}")


def seed_results(
    *, cases: dict[str, Enterprise], users: dict[str, User], today: date | None = None, seed: int = 2026
) -> dict[str, int]:
    """Create what is missing of the results demo and the portal's articles; return the counts made
    (all zero on a repeat run). ``cases``: stage -> the enterprise of that demo case."""
    today = today or timezone.localdate()
    created = dict.fromkeys(KEYS, 0)
    officer, chief = users["city_officer"], users["city_chief"]
    for step in (_seed_announced_batch, _seed_publicity):
        _publicity_step(step, cases=cases, officer=officer, chief=chief, today=today, created=created)
    _seed_certificates(officer=officer, chief=chief, seed=seed, today=today, created=created)
    _seed_articles(officer=officer, chief=chief, created=created)
    return created


# --- Publicity and the announcement ------------------------------------------------------------


def _publicity_step(step, *, created: dict, **kwargs) -> None:
    """Run one publicity step in a savepoint, and skip it when a service refuses it as a whole.

    The likeliest refusal: a demo seeded in late December, when the working-day calendar does not
    yet know the next year and so no 7-working-day window can be counted. The seed goes on without
    that batch; a later run, once the year's holidays are recorded, makes it.
    """
    made = dict.fromkeys(created, 0)
    try:
        with transaction.atomic():
            step(created=made, **kwargs)
    except DomainError:
        return
    for key, count in made.items():
        created[key] += count


def _application(cases: dict[str, Enterprise], stage: str) -> GradingApplication | None:
    enterprise = cases.get(stage)
    if enterprise is None:
        return None
    return GradingApplication.objects.filter(enterprise=enterprise).order_by("-created_at", "-pk").first()


def _ready(application: GradingApplication | None) -> bool:
    """Awaiting result confirmation and never listed (a later run finds it listed, or moved on)."""
    return (
        application is not None
        and application.status == Status.RESULT_CONFIRMATION
        and not PublicityEntry.objects.filter(application=application).exists()
    )


def _publish(*, officer: User, chief: User, batch_name: str, applications, today: date) -> PublicityBatch:
    """The city officer drafts and submits the batch; the 科长 approves it (on publicity from today)."""
    batch = results_services.batch_create(
        actor=officer,
        title=data.PUBLICITY_TITLE.format(year=today.year, batch=batch_name),
        contact=data.PUBLICITY_CONTACT,
        intro=data.PUBLICITY_INTRO,
        applications=applications,
    )
    results_services.batch_submit(actor=officer, batch=batch, comment=data.PUBLICITY_SUBMIT_COMMENT)
    results_services.batch_approve(actor=chief, batch=batch, comment=data.PUBLICITY_APPROVE_COMMENT)
    batch.refresh_from_db()
    return batch


def _seed_announced_batch(*, cases, officer: User, chief: User, today: date, created: dict) -> None:
    application = _application(cases, ANNOUNCED)
    if not _ready(application):
        return
    batch = _publish(
        officer=officer, chief=chief, batch_name="第一批", applications=[application], today=today
    )
    created["publicity_batches"] += 1
    # The demo's only shortcut (see the module docstring): the window the 科长 opened today is moved
    # into the past, so it has run its 7 working days and the batch can be announced today.
    start = today - timedelta(days=ANNOUNCED_PUBLICITY_DAYS_AGO)
    days, ends_on = results_services.publicity_window(start)
    PublicityBatch.objects.filter(pk=batch.pk).update(starts_on=start, ends_on=ends_on, working_days=days)
    batch.refresh_from_db()
    announcement = results_services.batch_announce(
        actor=chief,
        batch=batch,
        title=data.ANNOUNCEMENT_TITLE.format(year=today.year, batch="第一批"),
        body=data.ANNOUNCEMENT_BODY.format(year=today.year, batch="第一批"),
    )
    created["announcements"] += 1
    # Rendered now as well as by the task enqueued on commit: the demo's PDFs exist without the worker.
    render_and_store("announcement", announcement.pk)
    for certificate in announcement.certificates.all():
        render_and_store("certificate", certificate.pk)
        created["certificates"] += 1


def _seed_publicity(*, cases, officer: User, chief: User, today: date, created: dict) -> None:
    application = _application(cases, ON_PUBLICITY)
    if _ready(application):
        _publish(officer=officer, chief=chief, batch_name="第二批", applications=[application], today=today)
        created["publicity_batches"] += 1
    # Someone objects to it; the city has yet to check the objection.
    entry = (
        PublicityEntry.objects.filter(
            application=application,
            batch__status=PublicityBatch.Status.PUBLISHED,
            outcome=PublicityEntry.Outcome.LISTED,
        ).first()
        if application is not None
        else None
    )
    if entry is None or entry.objections.exists():
        return
    results_services.objection_file(
        entry=entry,
        data=results_services.ObjectionIn(
            name=data.OBJECTION_NAME, contact=data.OBJECTION_CONTACT, content=data.OBJECTION_CONTENT
        ),
        ip="127.0.0.1",
    )
    created["objections"] += 1


# --- Certificates issued before the system, and accidents around them ------------------------------


@dataclass
class LegacyPlan:
    """One certified enterprise: its position in registration order, state band and issue day."""

    position: int
    enterprise: Enterprise
    band: str
    issued_on: date
    role: str = ""  # "revoked" or "flagged"
    accidents: list[tuple[str, int]] = field(default_factory=list)  # ("before"/"after", days from issue)


def _weekday(day: date) -> date:
    """Announcements are issued on weekdays: a Saturday or Sunday moves back to the Friday."""
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def legacy_plan(*, seed: int, today: date) -> list[LegacyPlan]:
    """Which enterprises hold a certificate issued before the system, in what state, and when.

    Enterprises from ``LEGACY_FIRST_POSITION`` on in registration order, in operation, of any
    industry but 商贸 (the demo's cases are 商贸 firms) and without a demo application; about
    ``LEGACY_SHARE`` of them, with at least one in each division.
    """
    with_application = set(GradingApplication.objects.values_list("enterprise_id", flat=True))
    candidates = [
        (position, enterprise)
        for position, enterprise in enumerate(
            Enterprise.objects.select_related("region").order_by("created_at", "pk")
        )
        if position >= LEGACY_FIRST_POSITION
        and enterprise.status == Enterprise.Status.NORMAL
        and enterprise.industry != "commerce_trade"
        and enterprise.pk not in with_application
    ]
    picked = {p: e for p, e in candidates if _rng(seed, "legacy-certificate", p).random() < LEGACY_SHARE}
    divisions = {e.region_id for e in picked.values()}
    for position, enterprise in candidates:
        if enterprise.region_id not in divisions:
            picked[position] = enterprise
            divisions.add(enterprise.region_id)
    plans = []
    valid = 0
    for k, position in enumerate(sorted(picked)):
        rng = _rng(seed, "legacy-certificate", position)
        rng.random()  # the pick's roll
        band = BANDS[k % len(BANDS)]
        issued_on = _weekday(today - timedelta(days=rng.choice(ISSUED_DAYS_AGO[band])))
        plan = LegacyPlan(position, picked[position], band, issued_on)
        if band == "valid":
            plan.role = {REVOKED_VALID_INDEX: "revoked", FLAGGED_VALID_INDEX: "flagged"}.get(valid, "")
            valid += 1
        before = rng.choice(BEFORE_COUNTS)
        after = 0 if plan.role == "flagged" else rng.choice(AFTER_COUNTS)
        plan.accidents = [("before", -rng.randint(10, 360)) for _ in range(before)]
        plan.accidents += [("after", rng.randint(10, 355)) for _ in range(after)]
        plans.append(plan)
    return plans


def _legacy_number(plan: LegacyPlan, rng: random.Random, taken: set[str]) -> str:
    """A number in the old style; the provincial serial grows through the year."""
    day = plan.issued_on.timetuple().tm_yday
    seq = 20 + day * 2 + rng.randrange(2)
    while True:
        number = format_number(
            LEGACY_PATTERN,
            year=plan.issued_on.year,
            seq=seq,
            industry=plan.enterprise.industry,
            level=3,
            province="辽",
        )
        if number not in taken:
            taken.add(number)
            return number
        seq += 2


def _county_officers() -> dict[int, User]:
    """The county officer of each division (he records its accidents), by region id."""
    officers: dict[int, User] = {}
    for user in (
        User.objects.filter(role=Role.COUNTY_OFFICER, is_active=True)
        .select_related("organisation")
        .order_by("username")
    ):
        if user.organisation_id and user.organisation.region_id:
            officers.setdefault(user.organisation.region_id, user)
    return officers


def _aware(day: date, rng: random.Random) -> datetime:
    moment = datetime.combine(day, time(rng.randint(7, 20), rng.randrange(0, 60, 5)))
    return timezone.make_aware(moment, timezone.get_default_timezone())


def _accident(plan: LegacyPlan, when: str, offset: int, rng: random.Random, taken: set) -> dict:
    """An accident ``offset`` days from the issue day: before certification some were worse."""
    types = list(data.ACCIDENT_TYPE_WEIGHTS)
    while True:
        accident_type = rng.choices(types, weights=list(data.ACCIDENT_TYPE_WEIGHTS.values()))[0]
        place = rng.choice(data.ACCIDENT_PLACES)
        if (place, accident_type) not in taken:
            break
    taken.add((place, accident_type))
    occurred = _aware(plan.issued_on + timedelta(days=offset), rng)
    # After certification: at most one serious injury and a small loss each, so no total reaches
    # a revocation threshold (the one death of the demo's certified firms is the flagged one).
    serious = rng.choice((1, 2)) if when == "before" and rng.random() < 0.3 else 0
    if when == "after" and rng.random() < 0.15:
        serious = 1
    top = 500_000 if when == "before" else 250_000
    outcome = f"{serious}人重伤" if serious else "人员轻伤"
    return {
        "enterprise": plan.enterprise,
        "occurred_at": occurred,
        "reported_at": occurred + timedelta(minutes=rng.randint(15, 55)),
        "place": place,
        "accident_type": accident_type,
        "deaths": 0,
        "serious_injuries": serious,
        "minor_injuries": rng.randint(0 if serious else 1, 2),
        "direct_loss_yuan": Decimal(rng.randrange(5_000, top, 50)),
        "description": f"{data.ACCIDENT_STORIES[accident_type]}，造成{outcome}。（演示数据）",
        "reporting_violation": "none",
        "grade_override": None,
        "grade_override_reason": "",
    }


def _fatal_accident(plan: LegacyPlan, rng: random.Random, today: date) -> dict:
    occurred = _aware(today - timedelta(days=rng.randint(20, 40)), rng)
    return {
        **data.FATAL_ACCIDENT,
        "enterprise": plan.enterprise,
        "occurred_at": occurred,
        "reported_at": occurred + timedelta(minutes=rng.randint(20, 50)),
        "deaths": 1,
        "serious_injuries": 0,
        "minor_injuries": 0,
        "direct_loss_yuan": Decimal(rng.randrange(860_000, 960_000, 1000)),
        "reporting_violation": "none",
        "grade_override": None,
        "grade_override_reason": "",
    }


def _seed_certificates(*, officer: User, chief: User, seed: int, today: date, created: dict) -> None:
    plans = legacy_plan(seed=seed, today=today)
    if not plans:
        return
    officers = _county_officers()
    taken = set(Certificate.objects.values_list("number", flat=True))
    certificates: dict[int, Certificate] = {}
    # The certificates first, so the accidents recorded after them go through the revocation check.
    for plan in plans:
        certificate = Certificate.objects.filter(enterprise=plan.enterprise, legacy=True).first()
        if certificate is None:
            certificate = results_services.certificate_record_legacy(
                actor=officer,
                enterprise=plan.enterprise,
                number=_legacy_number(plan, _rng(seed, "legacy-number", plan.position), taken),
                grade_level=3,
                issued_on=plan.issued_on,
            )
            created["certificates"] += 1
        certificates[plan.position] = certificate
    for plan in plans:
        rng = _rng(seed, "legacy-accident", plan.position)
        recorder = officers.get(plan.enterprise.region_id, officer)
        taken_keys: set = set()
        specs = [_accident(plan, when, offset, rng, taken_keys) for when, offset in plan.accidents]
        if plan.role == "flagged":
            specs.append(_fatal_accident(plan, rng, today))
        for spec in specs:
            if Accident.objects.filter(
                enterprise=plan.enterprise, place=spec["place"], accident_type=spec["accident_type"]
            ).exists():
                continue
            accident_record(actor=recorder, data=spec)  # the hook flags the fatal one's certificate
            created["accidents"] += 1
    for plan in plans:
        if plan.role == "revoked":
            _revoke(certificates[plan.position], officer=officer, chief=chief, created=created)


def _revoke(certificate: Certificate, *, officer: User, chief: User, created: dict) -> None:
    """The city proposes the revocation; the 科长 revokes and the 撤销公告 is issued."""
    if RevocationCase.objects.filter(certificate=certificate, flagged_by_system=False).exists():
        return
    case = results_services.revocation_flag(
        actor=officer, certificate=certificate, ground=data.REVOCATION_GROUND, detail=data.REVOCATION_DETAIL
    )
    case = results_services.revocation_decide(
        actor=chief, case=case, revoke=True, reason=data.REVOCATION_DECISION
    )
    created["revocation_cases"] += 1
    created["announcements"] += 1
    render_and_store("announcement", case.announcement_id)


# --- The portal's articles -------------------------------------------------------------------------


def attachment_pdf(title: str, lines: tuple[str, ...]) -> bytes:
    """A small one-page PDF in Chinese (WeasyPrint, the Noto CJK fonts of the generated documents)."""
    items = "".join(f"<p>{escape(line)}</p>" for line in lines)
    html = (
        '<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"><style>'
        '@page { size: A4; margin: 25mm; } html { font-family: "Noto Sans CJK SC", sans-serif; '
        "font-size: 12pt; line-height: 1.8; } h1 { font-size: 16pt; text-align: center; }"
        f"</style></head><body><h1>{escape(title)}</h1>{items}</body></html>"
    )
    return html_to_pdf(html)


def _seed_articles(*, officer: User, chief: User, created: dict) -> None:
    """The city officer writes them (and attaches the PDF); the 科长 publishes all but the draft."""
    for spec in data.ARTICLES:
        if Article.objects.filter(title=spec.title).exists():
            continue
        article = portal_services.article_create(
            actor=officer,
            data=portal_services.ArticleIn(
                category=spec.category, title=spec.title, summary=spec.summary, body=spec.body
            ),
        )
        if spec.attachment is not None:
            name, title, lines = spec.attachment
            portal_services.attachment_add(
                actor=officer, article=article, file=ContentFile(attachment_pdf(title, lines), name=name)
            )
        if spec.published:
            portal_services.article_publish(actor=chief, article=article)
        created["articles"] += 1


# --- What seed_demo prints -------------------------------------------------------------------------


@dataclass
class ResultsGuide:
    """The results demo's rows worth a look (None where the demo could not make them)."""

    on_publicity: PublicityBatch | None = None
    open_objection: Objection | None = None
    announcement: Announcement | None = None
    certificate: Certificate | None = None  # the one announced today
    revocation: Announcement | None = None
    flagged: RevocationCase | None = None
    states: dict[str, int] = field(default_factory=dict)
    articles: int = 0


def results_guide() -> ResultsGuide:
    from results.selectors import with_state

    guide = ResultsGuide()
    guide.on_publicity = (
        PublicityBatch.objects.filter(status=PublicityBatch.Status.PUBLISHED).order_by("-pk").first()
    )
    guide.open_objection = (
        Objection.objects.filter(status=Objection.Status.OPEN).select_related("entry").order_by("pk").first()
    )
    guide.announcement = (
        Announcement.objects.filter(kind=Announcement.Kind.GRADING).order_by("-issued_on", "-pk").first()
    )
    if guide.announcement is not None:
        guide.certificate = guide.announcement.certificates.order_by("number").first()
    guide.revocation = (
        Announcement.objects.filter(kind=Announcement.Kind.REVOCATION).order_by("-issued_on", "-pk").first()
    )
    guide.flagged = (
        RevocationCase.objects.filter(status=RevocationCase.Status.FLAGGED, flagged_by_system=True)
        .select_related("certificate")
        .order_by("pk")
        .first()
    )
    for state in with_state(Certificate.objects.all()).values_list("state", flat=True):
        guide.states[state] = guide.states.get(state, 0) + 1
    guide.articles = Article.objects.filter(status=Article.Status.PUBLISHED).count()
    return guide
