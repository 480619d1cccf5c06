"""Seed the demo data through the domain services, deterministically and idempotently.

Every object is generated from ``random.Random`` seeded with (seed, kind, index), so object
*i* is the same whatever the counts asked for, and a second run finds every object by its
natural key (region code, username, USCC, ID number) and creates nothing. Writes go
through the apps' services, so the demo's audit log looks like production's.
"""

import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import base_user
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric
from stdnum.cn import uscc as stdnum_uscc

from accidents.models import Accident
from accidents.services import accident_record
from accounts.models import Organisation, Region, User
from accounts.roles import OrganisationKind, Role
from accounts.services import organisation_save, region_save, user_create
from audit.services import audit_record
from demo import data
from demo.ledger import (
    CONFIRMED,
    RECTIFYING_FINDINGS,
    RECTIFYING_OVERDUE,
    rectification_cases,
    seed_ledger,
    seed_rectification,
)
from demo.results import ResultsGuide, results_guide, seed_results
from enterprises.models import Enterprise, RiskTag
from enterprises.services import enterprise_create
from experts.models import CORE_SPECIALTIES, Expert, Skill, Specialty
from experts.services import expert_create, expert_rate, expert_update
from grading import services as grading_services
from grading.models import GradingApplication, RequiredDocument, Status
from rectification.models import Hazard
from reviews import draw as draw_engine  # the pure draw, to choose the seed of one demo draw
from reviews.models import Attendance, MemberSheet, Panel, PanelMember, SiteReview
from reviews.services import (
    PlanRowIn,
    attendance_record,
    consolidation_build,
    consolidation_reason_set,
    draw_candidates,
    draw_rules,
    draw_target,
    member_sheet_fill_conforming,
    member_sheet_submit,
    panel_approve,
    panel_draw_run,
    panel_member_respond,
    reasons_needed,
    review_fail,
    review_finalise,
    seated_members,
    site_review_open,
    site_review_schedule,
    supervision_note_add,
)
from standards.formats import BUNDLED_STANDARDS, parse_standard, read_folder
from standards.models import ScoringStandard
from standards.services import DeductionIn, EntryIn, sheet_entries_save, standard_import

CITY_CODE = "210800"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

# The enterprise whose organisation the demo enterprise users belong to (always index 0).
DEMO_ENTERPRISE_NAME = "营口示例安泰仓储物流有限公司"


@dataclass
class SeedReport:
    """What one run created (all zero on a repeat run) and the demo logins."""

    created: dict[str, int] = field(
        default_factory=lambda: {
            "towns": 0,
            "users": 0,
            "organisations": 0,
            "enterprises": 0,
            "experts": 0,
            "standards": 0,
            "accidents": 0,
            "applications": 0,
            "panel_draws": 0,
            "reviews": 0,
            "rectification_plans": 0,
            "hazards": 0,
            "publicity_batches": 0,
            "objections": 0,
            "announcements": 0,
            "certificates": 0,
            "revocation_cases": 0,
            "articles": 0,
        }
    )
    users: list[User] = field(default_factory=list)
    # The panel leaders of the scheduled and held reviews: (login, case, review).
    leaders: list[tuple[User, GradingApplication, SiteReview]] = field(default_factory=list)
    # The 一企一策 plans: (the enterprise principal's login, case, plan).
    plans: list = field(default_factory=list)
    # The publicity, announcements, certificates and articles worth a look (demo.results).
    results: ResultsGuide | None = None

    @property
    def changed(self) -> bool:
        return any(self.created.values())


def _rng(seed: int, kind: str, index: int) -> random.Random:
    # A string seed is hashed with SHA-512, so this is stable across runs and Python processes.
    return random.Random(f"anbiao-demo:{seed}:{kind}:{index}")


def _person_name(rng: random.Random) -> str:
    return rng.choice(data.SURNAMES) + rng.choice(data.GIVEN_NAMES)


def _phone(rng: random.Random, prefix: str = "1380000") -> str:
    # A fixed, obviously fictional prefix: 138-0000-xxxx.
    return f"{prefix}{rng.randrange(10000):04d}"


# --- Regions and organisations ----------------------------------------------


def _divisions() -> dict[str, Region]:
    divisions = {r.name: r for r in Region.objects.filter(code__in=data.DIVISION_CODES.values())}
    missing = set(data.DIVISION_CODES) - set(divisions)
    if missing:
        raise ImproperlyConfigured(f"Run migrate first: divisions missing: {', '.join(sorted(missing))}")
    return divisions


def _seed_towns(*, actor: User, divisions: dict[str, Region], report: SeedReport) -> dict[str, list[Region]]:
    towns: dict[str, list[Region]] = {}
    for division_name, names in data.TOWNS.items():
        division = divisions[division_name]
        towns[division_name] = []
        for order, name in enumerate(names, start=1):
            code = f"{division.code}{order:03d}"
            town = Region.objects.filter(code=code).first()
            if town is None:
                town = region_save(
                    actor=actor,
                    region=None,
                    code=code,
                    name=name,
                    level=Region.Level.TOWN,
                    parent=division,
                    sort_order=order,
                )
                report.created["towns"] += 1
            towns[division_name].append(town)
    return towns


def _organisation(
    *, actor: User | None, kind: str, region: Region, name: str, report: SeedReport
) -> Organisation:
    existing = Organisation.objects.filter(kind=kind, region=region, name=name).first()
    if existing is not None:
        return existing
    report.created["organisations"] += 1
    return organisation_save(actor=actor, organisation=None, name=name, kind=kind, region=region)


# --- Users ------------------------------------------------------------------


def _organisation_for(spec: data.DemoUser, divisions: dict[str, Region], enterprise_org: Organisation | None):
    city = Region.objects.get(code=CITY_CODE)
    if spec.organisation == "admin":
        return Organisation.objects.get(kind=OrganisationKind.ADMINISTRATION, region=city)
    if spec.organisation == "city":
        return Organisation.objects.get(kind=OrganisationKind.CITY_BUREAU, region=city)
    if spec.organisation == "experts":
        return Organisation.objects.get(kind=OrganisationKind.EXPERT_POOL, region=city)
    if spec.organisation == "enterprise":
        return enterprise_org
    division = divisions[spec.organisation.split(":", 1)[1]]
    return Organisation.objects.get(kind=OrganisationKind.COUNTY_BUREAU, region=division)


def _seed_user(*, actor: User | None, spec: data.DemoUser, organisation, report: SeedReport) -> User:
    user = User.objects.filter(username=spec.username).first()
    if user is not None:
        if user.role != spec.role:
            raise ImproperlyConfigured(
                f"User {spec.username!r} exists with role {user.role!r}; the demo needs {spec.role!r}. "
                "Seed an empty database or rename that user."
            )
        return user
    report.created["users"] += 1
    return user_create(
        actor=actor,
        username=spec.username,
        password=data.DEMO_PASSWORD,
        role=spec.role,
        organisation=organisation,
        full_name=spec.full_name,
        phone=_phone(
            _rng(0, "user-phone", [*data.DEMO_USERS, *data.COUNTY_STAFF].index(spec)), prefix="1370000"
        ),
        must_change_password=False,
    )


# --- Enterprises ------------------------------------------------------------


def _uscc(rng: random.Random, division_code: str) -> str:
    if rng.random() < 0.6:  # most post-2015 registrations start "MA"
        body = "MA" + "".join(rng.choice(USCC_ALPHABET) for _ in range(7))
    else:
        body = "".join(rng.choice("0123456789") for _ in range(8)) + rng.choice(USCC_ALPHABET)
    code = f"91{division_code}{body}"
    return code + stdnum_uscc.calc_check_digit(code)


def _pick_division(rng: random.Random, business: data.Business) -> str:
    if business.divisions and rng.random() < 0.75:
        return rng.choice(business.divisions)
    names = list(data.DIVISION_WEIGHTS)
    return rng.choices(names, weights=[data.DIVISION_WEIGHTS[n] for n in names])[0]


def enterprise_spec(seed: int, index: int, taken_names: set[str], taken_usccs: set[str]) -> dict:
    """Return the data of demo enterprise ``index`` (pure: no database).

    Index 0 is the fixed 站前区 warehousing firm the demo enterprise users belong to (the
    bundled 仓储物流 standard applies to it, so its users can walk an application).
    """
    rng = _rng(seed, "enterprise", index)
    if index == 0:
        business = next(b for b in data.BUSINESSES if b.word == "物流")
        division, name, short_name = "站前区", DEMO_ENTERPRISE_NAME, "安泰物流"
        status = Enterprise.Status.NORMAL
    else:
        business = rng.choices(data.BUSINESSES, weights=[b.weight for b in data.BUSINESSES])[0]
        division = _pick_division(rng, business)
        while True:
            brand = rng.choice(data.BRANDS)
            marker = "示例" if rng.random() < 0.85 else "演示"
            place = rng.choice(data.NAME_PLACES[division])
            name = f"{place}{marker}{brand}{business.word}{rng.choice(data.SUFFIXES)}"
            if name not in taken_names:
                break
        short_name = f"{brand}{business.word}"
        roll = rng.random()
        status = (
            Enterprise.Status.SUSPENDED
            if roll < 0.06
            else Enterprise.Status.DEREGISTERED
            if roll < 0.09
            else Enterprise.Status.NORMAL
        )
    usccs = (_uscc(rng, data.DIVISION_CODES[division]) for _ in range(100))
    uscc = next(u for u in usccs if u not in taken_usccs)
    employees = rng.randint(*business.employees)
    above = employees >= 300 or (
        employees >= 100 and rng.random() < 0.5
    )  # 规模以上 is by revenue, not headcount
    tags = [t for t in business.risks if index == 0 or rng.random() < 0.85]
    tags += [t for t in business.maybe_risks if rng.random() < 0.35 and t not in tags]
    principal = _person_name(rng)
    return {
        "name": name,
        "short_name": short_name,
        "division": division,
        "town_index": rng.randrange(len(data.TOWNS[division])) if rng.random() < 0.85 else None,
        "uscc": uscc,
        "address": f"辽宁省营口市{division}{rng.choice(data.ROADS)}{rng.randint(1, 299)}号",
        "legal_representative": principal if rng.random() < 0.7 else _person_name(rng),
        "principal_name": principal,
        "principal_phone": _phone(rng),
        "safety_manager_name": _person_name(rng),
        "safety_manager_phone": _phone(rng, prefix="1390000"),
        "employee_count": employees,
        "scale": Enterprise.Scale.ABOVE if above else Enterprise.Scale.BELOW,
        "gb4754_code": rng.choice(business.codes),
        "status": status,
        "risk_tags": tags,
    }


def _seed_enterprises(
    *,
    actor: User,
    seed: int,
    count: int,
    divisions: dict[str, Region],
    towns: dict[str, list[Region]],
    report: SeedReport,
) -> Enterprise | None:
    tags = {t.code: t for t in RiskTag.objects.all()}
    taken_names: set[str] = set()
    taken_usccs: set[str] = set()
    first = None
    for index in range(count):
        spec = enterprise_spec(seed, index, taken_names, taken_usccs)
        taken_names.add(spec["name"])
        taken_usccs.add(spec["uscc"])
        enterprise = Enterprise.objects.filter(uscc=spec["uscc"]).first()
        if enterprise is None:
            division = divisions[spec["division"]]
            town_index = spec.pop("town_index")
            enterprise = enterprise_create(
                actor=actor,
                data={
                    **{k: v for k, v in spec.items() if k not in {"division", "risk_tags"}},
                    "region": division,
                    "town": towns[spec["division"]][town_index] if town_index is not None else None,
                    "risk_tags": [tags[c] for c in spec["risk_tags"] if c in tags],
                },
            )
            report.created["enterprises"] += 1
        if index == 0:
            first = enterprise
    return first


def _link_organisation(*, actor: User, enterprise: Enterprise, report: SeedReport) -> Organisation:
    """Give the demo enterprise an organisation for its users (there is no service for this yet)."""
    organisation = _organisation(
        actor=actor,
        kind=OrganisationKind.ENTERPRISE,
        region=enterprise.region,
        name=enterprise.name,
        report=report,
    )
    if enterprise.organisation_id != organisation.pk:
        enterprise.organisation = organisation
        enterprise.save(update_fields=["organisation"])
        audit_record(
            actor=actor,
            action="demo.link_organisation",
            target=enterprise,
            data={"organisation": organisation.pk},
        )
    return organisation


# --- Experts ----------------------------------------------------------------


def _id_number(rng: random.Random, male: bool) -> str:
    """Return a valid (fictional) resident ID number for someone born 1963–1990."""
    birth = f"{rng.randint(1963, 1990)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    sequence = rng.randrange(500) * 2 + (1 if male else 0)  # the 17th digit is odd for men
    # python-stdnum refuses a division code that did not exist in the birth year (站前区
    # dates from 1983); 210800 (营口市) always exists, so it is the last resort.
    for division in [*rng.sample(data.ID_DIVISION_CODES, 3), "210800"]:
        body = f"{division}{birth}{sequence:03d}"
        number = body + ric.calc_check_digit(body + "0")
        if ric.is_valid(number):
            return number
    raise AssertionError(f"no valid division code for {birth}")  # unreachable: 210800 always exists


def expert_spec(seed: int, index: int, taken_ids: set[str]) -> dict:
    """Return the data of demo expert ``index`` (pure: no database).

    Experts cycle through the three core specialties, so any three consecutive ones
    already cover a panel's requirement.
    """
    rng = _rng(seed, "expert", index)
    male = index == 0 or rng.random() < 0.75
    id_number = _id_number(rng, male)
    while id_number in taken_ids:
        id_number = _id_number(rng, male)
    age = 2026 - int(id_number[6:10])
    title = rng.choice(data.EXPERT_TITLES)
    years = rng.randint(max(5, age - 40), age - 22)
    specialties = [CORE_SPECIALTIES[index % 3].value]
    specialties += [s for s in rng.sample(Specialty.values, 2) if s not in specialties][: rng.randint(0, 2)]
    registered = rng.random() < 0.6
    if index % 13 == 12:
        status = Expert.Status.SUSPENDED
    elif index % 20 == 17:
        status = Expert.Status.EXITED
    else:
        status = Expert.Status.ACTIVE
    industries = list(data.EXPERT_INDUSTRY_WEIGHTS)
    weights = list(data.EXPERT_INDUSTRY_WEIGHTS.values())
    given = data.MALE_GIVEN_NAMES if male else data.FEMALE_GIVEN_NAMES
    return {
        "name": rng.choice(data.SURNAMES) + rng.choice(given),
        "gender": Expert.Gender.MALE if male else Expert.Gender.FEMALE,
        "id_number": id_number,
        "phone": _phone(rng, prefix="1350000"),
        "employer": rng.choice(data.EXPERT_EMPLOYERS),
        "title": title,
        "registered_safety_engineer": registered,
        "registered_safety_engineer_number": f"ZAQ{rng.randint(2008, 2024)}21{rng.randrange(100000):05d}"
        if registered
        else "",
        "years_of_experience": years,
        "specialties": specialties,
        "industries": list(dict.fromkeys(rng.choices(industries, weights=weights, k=rng.randint(1, 3)))),
        "skills": rng.sample(Skill.values, rng.choice((0, 1, 1, 2))),
        "division": rng.choice(list(data.TOWNS)) if rng.random() < 0.9 else None,
        "status": status,
        "can_lead": index == 0 or (title in data.SENIOR_TITLES and years >= 10 and rng.random() < 0.5),
        # What the panel draw checks besides the profile, from a generator of its own so the
        # fields above stay as they were. Dates are offsets from the day of seeding.
        **_expert_details(seed, index, registered=registered),
    }


def _expert_details(seed: int, index: int, *, registered: bool) -> dict:
    """Return demo expert ``index``'s certificates, declared relations and blackout dates (pure).

    ``relations[*]["pick"]`` indexes the commerce enterprises in registration order (the
    demo's applications are theirs; 0 is the demo enterprise), so the draw has real
    conflicts to avoid: experts 1 and 2 are tied to the demo enterprise.
    """
    rng = _rng(seed, "expert-details", index)
    issued = rng.randint(100, 1500)  # days ago
    training = {
        "name": "安全生产标准化评审专家培训合格证",
        "number": f"LNAQBZH{rng.randint(2019, 2025)}{rng.randrange(10000):04d}",
        "issued_days_ago": issued,
        "valid_days": 4 * 365,  # some have expired, some expire soon
    }
    certificates = [training]
    if registered:
        certificates.append(
            {
                "name": "注册安全工程师执业证",
                "number": f"ZAQ{rng.randrange(10**8):08d}",
                "issued_days_ago": rng.randint(30, 1700),
                "valid_days": 5 * 365,
            }
        )
    relations = []
    if index in (1, 2):
        relations.append(
            {"kind": "consulting" if index == 1 else "employment", "pick": 0, "years_ago": (2, None)}
        )
    elif index == 0:
        relations.append({"kind": "consulting", "name": "营口示例港务物流有限公司", "years_ago": (4, 2)})
    elif rng.random() < 0.4:
        kind = rng.choice(("employment", "consulting", "consulting", "relative"))
        began = rng.randint(1, 8)
        ended = rng.choice((None, *range(began)))  # None: ongoing; else whole years ago, after it began
        relations.append({"kind": kind, "pick": rng.randrange(1, 12), "years_ago": (began, ended)})
    if relations and relations[-1]["kind"] == "relative":
        relations[-1]["relationship"] = rng.choice(("spouse", "sibling", "child", "parent"))
        relations[-1]["years_ago"] = (None, None)
    unavailable = []
    if index % 4 == 3:
        start = rng.randint(5, 40)
        unavailable.append(
            (start, start + rng.randint(2, 10), rng.choice(("出差", "外出学习", "年休假", "参加其他评审")))
        )
    return {
        "training_certificate_number": training["number"],
        "term_days": -30 if index % 17 == 16 else rng.randint(200, 1100),  # one appointment has run out
        "certificates": certificates,
        "relations": relations,
        "unavailable": unavailable,
    }


def expert_username(index: int) -> str:
    """The login of demo expert ``index``: ``expert`` (a listed demo user) for 0, then expert01…"""
    return "expert" if index == 0 else f"expert{index:02d}"


def _expert_account(*, admin: User, expert: Expert, index: int, report: SeedReport) -> None:
    """Give a demo expert without a login his own (``expert01``…), so he can answer his panels."""
    if expert.user_id is not None or index == 0:
        return
    username = expert_username(index)
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(
            actor=admin,
            username=username,
            password=data.DEMO_PASSWORD,
            role=Role.EXPERT,
            organisation=Organisation.objects.get(kind=OrganisationKind.EXPERT_POOL, region__code=CITY_CODE),
            full_name=expert.name,
            phone=expert.phone,
            must_change_password=False,
        )
        report.created["users"] += 1
    elif user.role != Role.EXPERT or Expert.objects.filter(user=user).exists():
        return  # the name is someone else's: this expert stays without a login
    expert_update(actor=admin, expert=expert, data={"user": user})


def _seed_experts(
    *,
    actor: User,
    admin: User,
    seed: int,
    count: int,
    divisions: dict[str, Region],
    expert_user: User,
    report: SeedReport,
) -> None:
    from experts.models import ExpertCertificate
    from experts.services import expert_certificate_add, expert_relation_add, expert_unavailability_add

    today = timezone.localdate()
    # The commerce enterprises in registration order: the demo's applications are theirs.
    picks = list(
        Enterprise.objects.filter(industry="commerce_trade", status=Enterprise.Status.NORMAL).order_by(
            "created_at", "pk"
        )[:12]
    )
    taken_ids: set[str] = set()
    for index in range(count):
        spec = expert_spec(seed, index, taken_ids)
        taken_ids.add(spec["id_number"])
        details = {k: spec.pop(k) for k in ("term_days", "certificates", "relations", "unavailable")}
        expert = Expert.objects.filter(id_number=spec["id_number"]).first()
        if expert is not None:
            # A pool seeded before logins or certificates existed gets them once; then nothing.
            _expert_account(admin=admin, expert=expert, index=index, report=report)
            if ExpertCertificate.objects.filter(expert=expert).exists():
                continue
        else:
            division = spec.pop("division")
            linked = index == 0 and not Expert.objects.filter(user=expert_user).exists()
            if linked:
                spec["name"] = expert_user.full_name  # the demo expert's profile is his own
            expert = expert_create(
                actor=actor,
                **spec,
                term_until=today + timedelta(days=details["term_days"]),
                region=divisions[division] if division else None,
                user=expert_user if linked else None,
            )
            _expert_account(admin=admin, expert=expert, index=index, report=report)
        for c in details["certificates"]:
            issued = today - timedelta(days=c["issued_days_ago"])
            expert_certificate_add(
                actor=actor,
                expert=expert,
                name=c["name"],
                number=c["number"],
                issued_on=issued,
                expires_on=issued + timedelta(days=c["valid_days"]),
            )
        for r in details["relations"]:
            enterprise = picks[r["pick"] % len(picks)] if "pick" in r and picks else None
            start_years, end_years = r["years_ago"]
            expert_relation_add(
                actor=actor,
                expert=expert,
                kind=r["kind"],
                enterprise_name=enterprise.name if enterprise else r.get("name", "营口示例咨询客户有限公司"),
                enterprise_uscc=enterprise.uscc if enterprise else "",
                relative_relationship=r.get("relationship", ""),
                start=today - timedelta(days=365 * start_years) if start_years is not None else None,
                end=today - timedelta(days=365 * end_years + 30) if end_years is not None else None,
                note="演示数据：近亲属任该企业安全管理人员" if r["kind"] == "relative" else "",
            )
        for start, end, reason in details["unavailable"]:
            expert_unavailability_add(
                actor=actor,
                expert=expert,
                start=today + timedelta(days=start),
                end=today + timedelta(days=end),
                reason=reason,
            )
        report.created["experts"] += 1


# --- Scoring standard ---------------------------------------------------------

WAREHOUSING_CODE = "CCWL"


def _seed_standard(*, actor: User, report: SeedReport) -> None:
    """Load and publish the bundled 仓储物流 standard (164 items, 1000 points) once."""
    if ScoringStandard.objects.filter(code=WAREHOUSING_CODE).exists():
        return
    folder = BUNDLED_STANDARDS / "warehousing-logistics"
    parsed = parse_standard(*read_folder(folder))
    standard_import(
        actor=actor,
        parsed=parsed,
        code=WAREHOUSING_CODE,
        name="仓储物流企业安全生产标准化评定标准",
        industries=["commerce_trade"],
        source_note=(folder / "README.md").read_text(encoding="utf-8"),
        publish=True,
    )
    report.created["standards"] += 1


# --- Accidents ----------------------------------------------------------------

ACCIDENTS = 25
# Accidents happen at enterprises 1…19, never at index 0 (the demo users' own enterprise,
# which stays eligible to apply). With fewer enterprises, the fewer there are.
ACCIDENT_ENTERPRISE_POOL = 20
FATAL_ENTERPRISE_INDEX = 1  # accident 0: one death within the last 12 months


def accident_spec(seed: int, index: int, *, today: date, pool: int, taken: set[tuple]) -> dict:
    """Return the data of demo accident ``index`` (pure: no database).

    Dates count back from ``today`` (so "the last 12 months" always has the fatal one);
    (enterprise index, place, type) identifies an accident, so a later run finds it again.
    Accident 0 is a death at enterprise 1 within the last year; accident 1 a 较大 one by
    its loss, more than a year ago; accident 2 was reported late.
    """
    rng = _rng(seed, "accident", index)
    types = list(data.ACCIDENT_TYPE_WEIGHTS)
    while True:
        enterprise_index = FATAL_ENTERPRISE_INDEX if index == 0 else 1 + rng.randrange(pool - 1)
        accident_type = rng.choices(types, weights=list(data.ACCIDENT_TYPE_WEIGHTS.values()))[0]
        place = rng.choice(data.ACCIDENT_PLACES)
        if (enterprise_index, place, accident_type) not in taken:
            break
    if index == 0:
        days_back = rng.randint(40, 300)
    elif index == 1:
        days_back = rng.randint(400, 1000)
    else:
        days_back = rng.randint(20, 1420)  # back to early 2023 from late 2026
    day = today - timedelta(days=days_back)
    occurred = datetime.combine(day, time(rng.randint(7, 21), rng.randrange(0, 60, 5)))
    serious = rng.choice((1, 2)) if rng.random() < 0.25 else 0
    loss = Decimal(rng.randrange(5_000, 800_000, 50))
    if index == 0:
        serious, loss = 0, Decimal(rng.randrange(900_000, 1_500_000, 1000))
    elif index == 1:
        loss = Decimal(rng.randrange(10_500_000, 14_000_000, 10_000))
    report_minutes = rng.randint(240, 600) if index == 2 else rng.randint(15, 55)
    deaths = 1 if index == 0 else 0
    outcome = "1人死亡" if deaths else (f"{serious}人重伤" if serious else "人员轻伤")
    return {
        "enterprise_index": enterprise_index,
        "occurred_at": occurred,
        "place": place,
        "accident_type": accident_type,
        "deaths": deaths,
        "serious_injuries": serious,
        "minor_injuries": rng.randint(0 if serious or deaths else 1, 3),
        "direct_loss_yuan": loss,
        "description": f"{data.ACCIDENT_STORIES[accident_type]}，造成{outcome}。（演示数据）",
        "reporting_violation": "late" if index == 2 else "none",
        "reported_at": occurred + timedelta(minutes=report_minutes),
        "grade_override": None,
        "grade_override_reason": "",
    }


def _seed_accidents(*, actor: User, seed: int, enterprises: int, today: date, report: SeedReport) -> None:
    pool = min(enterprises, ACCIDENT_ENTERPRISE_POOL)
    if pool < 2:
        return
    usccs: list[str] = []
    taken_names: set[str] = set()
    for index in range(pool):  # the same specs as _seed_enterprises, to find them by USCC
        spec = enterprise_spec(seed, index, taken_names, set(usccs))
        taken_names.add(spec["name"])
        usccs.append(spec["uscc"])
    found = Enterprise.objects.in_bulk(usccs, field_name="uscc")
    by_index = {index: found[uscc] for index, uscc in enumerate(usccs)}
    taken: set[tuple] = set()
    for index in range(ACCIDENTS):
        spec = accident_spec(seed, index, today=today, pool=pool, taken=taken)
        key = (spec.pop("enterprise_index"), spec["place"], spec["accident_type"])
        taken.add(key)
        enterprise = by_index[key[0]]
        if Accident.objects.filter(enterprise=enterprise, place=key[1], accident_type=key[2]).exists():
            continue
        tz = timezone.get_default_timezone()
        spec["occurred_at"] = timezone.make_aware(spec["occurred_at"], tz)
        spec["reported_at"] = timezone.make_aware(spec["reported_at"], tz)
        accident_record(actor=actor, data={**spec, "enterprise": enterprise})
        report.created["accidents"] += 1


# --- Applications -------------------------------------------------------------

# Two demo cases stand at the on-site review: one being scored, one the panel finalised as
# failed, waiting for the 科长's decision.
SCORING = "on_site_review:scoring"
FAILED = "on_site_review:failed"
# The stages past acceptance, walked by _review_walk after _walk has reached "accepted".
REVIEW_STAGES = (
    Status.PANEL_FORMING,
    Status.REVIEW_SCHEDULED,
    SCORING,
    FAILED,
    Status.RECTIFYING,
    Status.RESULT_CONFIRMATION,
    Status.NOT_PASSED,
    RECTIFYING_OVERDUE,
    Status.RECTIFICATION_CHECK,
    CONFIRMED,
)

# The stage each demo case is walked to, in the order commerce enterprises are found. The
# demo enterprise's own case comes first: publicity done, fully filed, ready to submit.
# New stages go at the end, so a database seeded earlier keeps its cases where they are.
APPLICATION_STAGES = [
    Status.PANEL_FORMING,
    Status.CITY_REVIEW,
    Status.COUNTY_REVIEW,
    Status.COUNTY_RETURNED,
    Status.CITY_RETURNED,
    Status.NOT_ACCEPTED,
    Status.DRAFT,
    Status.WITHDRAWN,
    Status.INTERNAL_PUBLICITY,
    Status.COUNTY_REVIEW,
    Status.ACCEPTED,
    Status.REVIEW_SCHEDULED,
    SCORING,
    FAILED,
    Status.RECTIFYING,
    Status.RESULT_CONFIRMATION,
    Status.NOT_PASSED,
    # Issue 6: a second rectifying case (its 重大 hazard overdue, under 督办), one whose
    # principal submitted the rectification, one the leader confirmed (demo.ledger walks them).
    RECTIFYING_OVERDUE,
    Status.RECTIFICATION_CHECK,
    CONFIRMED,
]
PUBLICITY_DAYS_AGO = 20  # calendar days: past the 10-working-day minimum
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class _Cast:
    """Who acts on one enterprise's case."""

    principal: User
    staff: User
    county_officer: User
    county_chief: User
    city_officer: User
    city_chief: User


def _enterprise_staff(
    *, actor: User, enterprise: Enterprise, index: int, report: SeedReport
) -> tuple[User, User]:
    organisation = _link_organisation(actor=actor, enterprise=enterprise, report=report)
    people = []
    for suffix, role in (("principal", Role.ENTERPRISE_PRINCIPAL), ("user", Role.ENTERPRISE_USER)):
        username = f"e{index:03d}_{suffix}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                actor=actor,
                username=username,
                password=data.DEMO_PASSWORD,
                role=role,
                organisation=organisation,
                full_name=enterprise.principal_name
                if suffix == "principal"
                else enterprise.safety_manager_name,
                must_change_password=False,
            )
            report.created["users"] += 1
        people.append(user)
    return people[0], people[1]


def _scored_entries(seed: int, index: int, codes: list[tuple[str, Decimal]]) -> list[EntryIn]:
    """A realistic self-assessment: most items met, some with deductions, a few not applicable."""
    rng = _rng(seed, "self-assessment", index)
    entries = []
    for code, points in codes:
        roll = rng.random()
        if roll < 0.04:
            entries.append(EntryIn(code=code, applicable=False, na_reason="本企业不涉及该项内容"))
        elif roll < 0.30:
            deduct = min(points, Decimal(rng.choice([1, 1, 2, 2, 3, 5])))
            reason = rng.choice(data.SELF_ASSESSMENT_FINDINGS)
            entries.append(EntryIn(code=code, deductions=(DeductionIn(points=deduct, reason=reason),)))
        else:
            entries.append(EntryIn(code=code))
    return entries


def _walk(application, *, cast: _Cast, to: str, seed: int, index: int, posted_days_ago: int) -> None:
    """Move a case along the main path with the services, as its users would."""
    g = grading_services
    rng = _rng(seed, "application", index)
    order = [
        Status.DRAFT,
        Status.INTERNAL_PUBLICITY,
        Status.COUNTY_REVIEW,
        Status.CITY_REVIEW,
        Status.ACCEPTED,
    ]
    target = {
        Status.COUNTY_RETURNED: Status.COUNTY_REVIEW,
        Status.CITY_RETURNED: Status.CITY_REVIEW,
        Status.NOT_ACCEPTED: Status.CITY_REVIEW,
        Status.WITHDRAWN: Status.COUNTY_REVIEW,
    }.get(to, to)
    stop = order.index(target)
    today = timezone.localdate()
    codes = list(application.standard.items.values_list("code", "points"))
    sheet_entries_save(
        actor=cast.staff, sheet=application.self_sheet, entries=_scored_entries(seed, index, codes)
    )
    g.team_save(
        actor=cast.staff,
        application=application,
        members=[
            g.MemberIn(
                name=application.enterprise.principal_name or "负责人", role="leader", position="总经理"
            ),
            g.MemberIn(
                name=application.enterprise.safety_manager_name or "安全员", position="安全管理部经理"
            ),
            g.MemberIn(name=_person_name(rng), position="仓储部主管"),
            g.MemberIn(name=_person_name(rng), role="employee_rep", position="叉车司机（职工代表）"),
        ],
    )
    g.application_update(
        actor=cast.staff,
        application=application,
        data={
            "summary": "按照评定标准逐项开展自评，覆盖全部一级要素，现场核查仓库、装卸区和配电室。",
            "self_found_problems": [
                {"problem": rng.choice(data.SELF_ASSESSMENT_FINDINGS), "fix": "已制定整改措施并落实到责任人"}
                for _ in range(3)
            ],
            "assessment_started_on": today - timedelta(days=PUBLICITY_DAYS_AGO + 15),
            "assessment_finished_on": today - timedelta(days=PUBLICITY_DAYS_AGO + 1),
            "internal_publicity_place": "办公楼一楼公告栏及职工微信群",
        },
    )
    if stop < 1:
        return
    g.application_start_publicity(
        actor=cast.principal,
        application=application,
        start=today - timedelta(days=posted_days_ago),
    )
    for document in RequiredDocument.objects.filter(is_active=True):
        g.attachment_add(
            actor=cast.staff,
            application=application,
            document=document,
            file=ContentFile(DEMO_PDF, name=f"{document.name}.pdf"),
        )
    g.commitment_sign(actor=cast.principal, application=application)
    if stop < 2:
        return
    g.application_submit(actor=cast.principal, application=application)
    g.guidance_add(
        actor=cast.county_officer,
        application=application,
        text="请补充特种作业人员持证清单中叉车司机的证件有效期。",
    )
    if to == Status.WITHDRAWN:
        g.application_withdraw(actor=cast.principal, application=application, reason="企业搬迁，暂缓申请")
        return
    if to == Status.COUNTY_RETURNED:
        g.application_county_return(
            actor=cast.county_officer,
            application=application,
            items=[
                g.CorrectionIn(
                    "特种作业人员持证清单", "清单缺少2名叉车司机的证件有效期", "补充完整后重新上传"
                ),
                g.CorrectionIn("自评报告", "自评报告未加盖公章", "加盖公章后重新上传扫描件"),
            ],
            comment="请一次性补正以下问题",
        )
        return
    if stop < 3:
        return
    checks = {code: {"ok": True, "note": "已核实"} for code in ("E2", "E3", "E4", "E6", "E11")}
    g.county_opinion_save(
        actor=cast.county_officer,
        application=application,
        data={
            "basic_info_check": "企业名称、地址、统一社会信用代码与营业执照一致。",
            "licence_check": "营业执照有效；主要负责人和安全管理人员证书在有效期内。",
            "score_check": "抽查自评扣分项，与现场情况基本相符。",
            "site_check": "现场查看仓库、装卸区和配电室，未发现重大事故隐患。",
            "problems": "部分货架未张贴限载标识。",
            "conclusion": "forward",
            "reasons": "符合申请条件，同意上报。",
            "condition_checks": checks,
        },
    )
    opinion = g.current_county_opinion(application)
    g.county_opinion_submit(actor=cast.county_officer, opinion=opinion)
    g.county_opinion_approve(actor=cast.county_chief, opinion=opinion, comment="同意")
    if to == Status.CITY_REVIEW:
        return
    proposal = {
        Status.ACCEPTED: "accept",
        Status.CITY_RETURNED: "return_enterprise",
        Status.NOT_ACCEPTED: "not_accept",
    }[to]
    g.city_decision_save(
        actor=cast.city_officer,
        application=application,
        data={
            "package_check": "自评报告、初审意见及附件齐全。",
            "proposal": proposal,
            "reasons": {
                "accept": "材料齐全，符合受理条件。",
                "return_enterprise": "自评报告部分内容与附件不一致。",
                "not_accept": "申请前12个月内发生生产安全事故，不符合申请条件。",
            }[proposal],
            "condition_checks": checks,
            "correction_items": [
                {
                    "subject": "自评报告",
                    "problem": "要素得分与评分表不一致",
                    "fix": "核对后重新生成并上传签字版",
                }
            ],
        },
    )
    decision = g.current_city_decision(application)
    g.city_decision_submit(actor=cast.city_officer, decision=decision)
    g.city_decision_approve(actor=cast.city_chief, decision=decision, comment="同意")


def _case_plan() -> list[tuple[Enterprise, str]]:
    """The demo cases: (enterprise, stage), the demo enterprise ("ready") first."""
    candidates = list(
        Enterprise.objects.filter(industry="commerce_trade", status=Enterprise.Status.NORMAL).order_by(
            "created_at", "pk"
        )
    )
    demo_first = [e for e in candidates if e.name == DEMO_ENTERPRISE_NAME]
    others = [e for e in candidates if e.name != DEMO_ENTERPRISE_NAME]
    return [(e, "ready") for e in demo_first] + list(zip(others, APPLICATION_STAGES, strict=False))


def demo_cases() -> dict[str, Enterprise]:
    """Stage -> the enterprise of the (first) demo case walked to it that has an application."""
    cases: dict[str, Enterprise] = {}
    with_application = set(GradingApplication.objects.values_list("enterprise_id", flat=True))
    for enterprise, stage in _case_plan():
        if enterprise.pk in with_application:
            cases.setdefault(stage, enterprise)
    return cases


def _seed_applications(
    *, seed: int, users: dict[str, User], divisions: dict[str, Region], report: SeedReport
) -> None:
    """Cases at every stage, for commerce enterprises (the bundled standard is 仓储物流)."""
    standard = ScoringStandard.objects.filter(
        code=WAREHOUSING_CODE, status=ScoringStandard.Status.PUBLISHED
    ).first()
    if standard is None:
        return
    staff = {
        u.organisation.region_id: u
        for u in User.objects.filter(role=Role.COUNTY_OFFICER).select_related("organisation")
    }
    chiefs = {
        u.organisation.region_id: u
        for u in User.objects.filter(role=Role.COUNTY_CHIEF).select_related("organisation")
    }
    for n, (enterprise, stage) in enumerate(_case_plan()):
        if GradingApplication.objects.filter(enterprise=enterprise).exists():
            continue
        if enterprise.region_id not in staff or enterprise.region_id not in chiefs:
            continue
        if enterprise.name == DEMO_ENTERPRISE_NAME:
            principal, clerk = users["ent_principal"], users["ent_user"]
        else:
            principal, clerk = _enterprise_staff(
                actor=users["admin"], enterprise=enterprise, index=n, report=report
            )
        cast = _Cast(
            principal=principal,
            staff=clerk,
            county_officer=staff[enterprise.region_id],
            county_chief=chiefs[enterprise.region_id],
            city_officer=users["city_officer"],
            city_chief=users["city_chief"],
        )
        application = grading_services.application_create(
            actor=clerk, enterprise=enterprise, standard=standard
        )
        to = Status.INTERNAL_PUBLICITY if stage == "ready" else stage
        if stage in REVIEW_STAGES:
            to = Status.ACCEPTED
        # The demo enterprise's publicity has run its course; another case is still posting.
        posted = PUBLICITY_DAYS_AGO if stage != Status.INTERNAL_PUBLICITY else 3
        _walk(application, cast=cast, to=to, seed=seed, index=n, posted_days_ago=posted)
        report.created["applications"] += 1
        if stage in REVIEW_STAGES:
            _review_walk(application, cast=cast, stage=stage, seed=seed, index=n, users=users, report=report)


# --- Panels and on-site reviews ---------------------------------------------------

# Days from today to the review date. The panel being formed and the scheduled review lie
# ahead; the reviews on site or finalised take place today (nobody draws for a past day).
REVIEW_DAYS_AHEAD = {Status.PANEL_FORMING: 10, Status.REVIEW_SCHEDULED: 7}
# How many draw seeds are tried so that the listed ``expert`` login leads the review being scored.
LEADER_SEED_TRIES = 300


def _seed_for_leader(*, actor: User, application, review_date: date, seed: int, leader: User) -> int:
    """The first seed from ``seed`` on whose draw ``leader``'s expert leads the panel, else ``seed``.

    Someone trying the demo then scores as the listed ``expert`` login. The draw stays the real
    one, recorded and replayable: only its seed is chosen, with the pure engine on the same
    inputs ``panel_draw_run`` builds.
    """
    expert = Expert.objects.filter(user=leader).first()
    if expert is None:
        return seed
    target = draw_target(application, review_date)
    candidates, _removed = draw_candidates(actor, review_date)
    rules = draw_rules(review_date)
    for tried in range(seed, seed + LEADER_SEED_TRIES):
        result = draw_engine.draw(target, candidates, rules, tried)
        if result.ok and result.leader_id == expert.pk:
            return tried
    return seed


def _answer_invitations(panel: Panel, *, rng: random.Random, decline: bool) -> bool:
    """The drawn experts confirm (one member declines first if ``decline``; a reserve steps in).

    Returns whether every seat ended up confirmed.
    """
    waiting = panel.members.filter(state=PanelMember.State.INVITED).exclude(role=PanelMember.Role.RESERVE)
    while invited := list(waiting.select_related("expert__user").order_by("order", "pk")):
        for member in invited:
            if member.expert.user is None:
                return False  # an expert without a login cannot answer
            reserves = panel.members.filter(role=PanelMember.Role.RESERVE, state=PanelMember.State.STANDBY)
            if decline and member.role == PanelMember.Role.MEMBER and reserves.exists():
                panel_member_respond(
                    actor=member.expert.user,
                    member=member,
                    accept=False,
                    reason=rng.choice(data.DECLINE_REASONS),
                )
                decline = False
                continue
            panel_member_respond(actor=member.expert.user, member=member, accept=True, no_conflict=True)
    seats = panel.members.exclude(role=PanelMember.Role.RESERVE)
    return seats.filter(state=PanelMember.State.CONFIRMED).count() == len(panel.draw.result["members"])


def _plan(members: list[PanelMember]) -> list[PlanRowIn]:
    """A one-day 现场评审计划: papers by the management experts while the others walk the site."""
    everyone = tuple(m.expert_id for m in members)
    papers = tuple(m.expert_id for m in members if "safety_management" in m.expert.specialties)
    site = tuple(e for e in everyone if e not in papers)
    papers, site = papers or everyone, site or everyone
    return [
        PlanRowIn(time(8, 30), time(9, 0), "首次会议：介绍评审组成员、评审依据和日程安排", "", everyone),
        PlanRowIn(time(9, 0), time(11, 30), "查阅安全生产管理资料", "1–5、8、11–13", papers),
        PlanRowIn(time(9, 0), time(11, 30), "现场检查：库区、货架、装卸平台、叉车和配电室", "6、7", site),
        PlanRowIn(time(13, 30), time(15, 0), "现场检查及人员访谈：作业安全、职业健康", "7、9、10", everyone),
        PlanRowIn(time(15, 0), time(16, 30), "评审组内部会议：汇总评分，形成评审意见", "", everyone),
        PlanRowIn(time(16, 30), time(17, 0), "末次会议：通报评审结果和不符合项", "", everyone),
    ]


def _sign_in(review: SiteReview, meeting: str, *, cast: _Cast, leader: User, members: list[PanelMember]):
    """The meeting's sign-in sheet: the panel and the enterprise by the leader, the regulators themselves."""
    for member in members:
        attendance_record(
            actor=leader,
            review=review,
            meeting=meeting,
            name=member.expert.name,
            organisation=member.expert.employer,
            role=Attendance.Side.PANEL,
            user=member.expert.user,
        )
    for regulator in (cast.city_officer, cast.county_officer):
        attendance_record(actor=regulator, review=review, meeting=meeting, user=regulator)
    for person in (cast.principal, cast.staff):
        attendance_record(
            actor=leader,
            review=review,
            meeting=meeting,
            name=person.full_name,
            organisation=review.application.enterprise.name,
            role=Attendance.Side.ENTERPRISE,
            user=person,
        )


def _finding(finding: data.Finding, *, extra_points: int = 0) -> EntryIn:
    deduction = DeductionIn(
        points=Decimal(finding.points + extra_points), reason=finding.reason, is_hazard=finding.is_hazard
    )
    return EntryIn(code=finding.code, deductions=(deduction,))


def _not_applicable(enterprise: Enterprise, *, major_hazards_identified: bool) -> list[EntryIn]:
    """The items the firm has nothing for; ``major_hazards_identified``: it has done the 辨识."""
    rows = [
        EntryIn(code=code, applicable=False, na_reason=reason)
        for code, reason, unless in data.NOT_APPLICABLE_ITEMS
        if not any(word in enterprise.name for word in unless)
    ]
    if major_hazards_identified:
        rows += [
            EntryIn(code=code, applicable=False, na_reason=data.NO_MAJOR_HAZARD_REASON)
            for code in data.NO_MAJOR_HAZARD_ITEMS
        ]
    return rows


def _score(sheets: dict[int, MemberSheet], assignment: dict[str, int], entries: list[EntryIn]) -> None:
    """Each member saves, on his own sheet and as himself, the entries of the items handed to him."""
    mine: dict[int, list[EntryIn]] = {}
    for entry in entries:
        mine.setdefault(assignment[entry.code], []).append(entry)
    for member_id, rows in mine.items():
        member_sheet = sheets[member_id]
        sheet_entries_save(actor=member_sheet.member.expert.user, sheet=member_sheet.sheet, entries=rows)


def _hand_in(member_sheet: MemberSheet) -> None:
    """The member records his remaining assigned items as conforming, then hands his sheet in."""
    user = member_sheet.member.expert.user
    member_sheet_fill_conforming(actor=user, member_sheet=member_sheet)
    member_sheet_submit(actor=user, member_sheet=member_sheet)


def _stage_entries(stage: str, application: GradingApplication, rng: random.Random) -> list[EntryIn]:
    """What the panel finds at a case finalised at ``stage`` (one entry per item)."""
    enterprise = application.enterprise
    if stage in (FAILED, Status.NOT_PASSED):
        points = dict(application.standard.items.values_list("code", "points"))
        failing = [
            EntryIn(
                code=code, deductions=(DeductionIn(points=points[code], reason=reason, is_hazard=hazard),)
            )
            for code, reason, hazard in data.FAILING_FINDINGS
        ]
        taken = {e.code for e in failing}
        others = [f for f in data.REVIEW_FINDINGS if f.code not in taken]
        rows = failing + [_finding(f) for f in rng.sample(others, 6)]
        return rows + _not_applicable(enterprise, major_hazards_identified=False)
    if stage in RECTIFYING_FINDINGS:
        hazards = [f for f in data.REVIEW_FINDINGS if f.is_hazard]
        others = [f for f in data.REVIEW_FINDINGS if not f.is_hazard]
        n_hazards, n_others = RECTIFYING_FINDINGS[stage]
        picked = sorted(
            rng.sample(hazards, n_hazards) + rng.sample(others, n_others), key=data.REVIEW_FINDINGS.index
        )
        return [_finding(f) for f in picked] + _not_applicable(enterprise, major_hazards_identified=True)
    # Result confirmation: nothing found; the notes say what was checked.
    notes = [EntryIn(code=code, description=note) for code, note in data.FULL_MARK_NOTES]
    return notes + _not_applicable(enterprise, major_hazards_identified=True)


def _review_walk(
    application: GradingApplication,
    *,
    cast: _Cast,
    stage: str,
    seed: int,
    index: int,
    users: dict[str, User],
    report: SeedReport,
) -> None:
    """Take an accepted case on through the panel and the on-site review to ``stage``, as its people would.

    Stops quietly where the pool cannot go on (a failed draw stays on record, the case accepted).
    """
    rng = _rng(seed, "review", index)
    officer, chief = cast.city_officer, cast.city_chief
    review_date = timezone.localdate() + timedelta(days=REVIEW_DAYS_AHEAD.get(stage, 0))
    draw_seed = seed
    if stage == SCORING:
        draw_seed = _seed_for_leader(
            actor=officer, application=application, review_date=review_date, seed=seed, leader=users["expert"]
        )
    record = panel_draw_run(actor=officer, application=application, review_date=review_date, seed=draw_seed)
    report.created["panel_draws"] += 1
    if not record.ok:
        return
    panel = Panel.objects.get(application=application)
    if stage == Status.PANEL_FORMING:
        # One member has confirmed; the others have yet to answer.
        first = panel.members.filter(role=PanelMember.Role.MEMBER).select_related("expert__user").first()
        if first is not None and first.expert.user is not None:
            panel_member_respond(actor=first.expert.user, member=first, accept=True, no_conflict=True)
        return
    if not _answer_invitations(panel, rng=rng, decline=stage == Status.REVIEW_SCHEDULED):
        return
    panel_approve(actor=chief, panel=panel, comment="同意")
    members = list(seated_members(application))
    leader = next(m for m in members if m.role == PanelMember.Role.LEADER).expert.user
    place = f"{application.enterprise.name}办公楼二楼会议室"
    review = site_review_schedule(actor=officer, application=application, place=place, plan=_plan(members))
    report.created["reviews"] += 1
    if stage == Status.REVIEW_SCHEDULED:
        return
    site_review_open(actor=leader, application=application, comment="首次会议结束，开始现场评审")
    _sign_in(review, Attendance.Meeting.OPENING, cast=cast, leader=leader, members=members)
    supervision_note_add(
        actor=cast.county_officer,
        review=review,
        punctuality=5,
        thoroughness=rng.choice((4, 5)),
        impartiality=5,
        irregularity="",
    )
    sheets = {
        row.member_id: row for row in review.member_sheets.select_related("member__expert__user", "sheet")
    }
    assignment = dict(review.assignments.values_list("item__code", "member_id"))
    if stage == SCORING:
        # Three members are scoring their items; the first of them has handed his sheet in.
        # The leader (the listed ``expert`` login, when the draw allowed it) has yet to start.
        scorers = [m for m in members if m.role == PanelMember.Role.MEMBER][:3]
        for n, member in enumerate(scorers):
            own = [f for f in data.REVIEW_FINDINGS if assignment.get(f.code) == member.pk]
            picked = sorted(
                rng.sample(own, min(len(own), 3 if n == 0 else 2)), key=data.REVIEW_FINDINGS.index
            )
            _score(sheets, assignment, [_finding(f) for f in picked])
        if scorers:
            # He found the rest of his items in order and says so before handing in; the others
            # still have items to score (the scoring page offers them the same button).
            _hand_in(sheets[scorers[0].pk])
        return
    entries = _stage_entries(stage, application, rng)
    _score(sheets, assignment, entries)
    divergent = None
    if stage == Status.RECTIFYING:
        # A second member also scored one finding, and deducted more: the leader gives a reason.
        finding = next((f for f in data.REVIEW_FINDINGS if any(e.code == f.code for e in entries)), None)
        if finding is not None and len(members) > 1:
            owner = assignment[finding.code]
            other = next(m for m in members if m.pk != owner)
            sheet_entries_save(
                actor=other.expert.user,
                sheet=sheets[other.pk].sheet,
                entries=[_finding(finding, extra_points=1)],
            )
            divergent = (finding, sheets[owner].member.expert.name)
    for member in members:
        _hand_in(sheets[member.pk])
    consolidation_build(actor=leader, review=review)
    review.refresh_from_db()  # the panel sheet consolidation_build made
    for need in reasons_needed(review):
        if divergent is not None and need.code == divergent[0].code:
            finding, name = divergent
            reason = f"评审组现场复核后合议，采纳{name}的意见，扣{finding.points}分"
        else:
            reason = "评审组现场复核后合议确定该项评分"
        consolidation_reason_set(actor=leader, review=review, code=need.code, reason=reason)
    _sign_in(review, Attendance.Meeting.CLOSING, cast=cast, leader=leader, members=members)
    review_finalise(actor=leader, application=application, comment="末次会议已通报评审结果")
    for member in members:
        expert_rate(
            actor=officer,
            expert=member.expert,
            professional=rng.randint(82, 98),
            discipline=rng.randint(85, 99),
            ethics=rng.randint(88, 100),
            integrity=rng.randint(88, 100),
            comment=rng.choice(data.RATING_COMMENTS),
            application=application,
        )
    if stage == Status.NOT_PASSED:
        review.refresh_from_db()
        review_fail(
            actor=chief,
            application=application,
            reason=f"现场评审得分率{review.percentage}%，低于三级标准60%的要求，决定评审不通过。",
        )


def review_leaders() -> list[tuple[User, GradingApplication, SiteReview]]:
    """The logins of the panel leaders of the scheduled and held reviews, in case order."""
    rows = (
        PanelMember.objects.filter(
            role=PanelMember.Role.LEADER,
            state=PanelMember.State.CONFIRMED,
            expert__user__isnull=False,
            panel__application__site_review__isnull=False,
        )
        .select_related("expert__user", "panel__application__enterprise", "panel__application__site_review")
        .order_by("panel__application__created_at", "panel__application_id")
    )
    return [(m.expert.user, m.panel.application, m.panel.application.site_review) for m in rows]


# --- Entry point ------------------------------------------------------------


@contextmanager
def _demo_password_hashed_once():
    """Hash the demo password once per run instead of once per account.

    ``user_create`` hashes every password afresh: with Django's PBKDF2 that is most of a
    second, and the demo makes some ninety accounts, all with the one password it prints.
    Inside this block they all get the same full-strength hash (same salt): nothing is
    weakened that was secret. Any other password is hashed as usual.
    """
    real = base_user.make_password
    hashed: dict[str, str] = {}

    def make_password(password, salt=None, hasher="default"):
        if password != data.DEMO_PASSWORD or salt is not None or hasher != "default":
            return real(password, salt, hasher)
        if password not in hashed:
            hashed[password] = real(password)
        return hashed[password]

    base_user.make_password = make_password
    try:
        yield
    finally:
        base_user.make_password = real


@transaction.atomic
def demo_seed(
    *, enterprises: int = 200, experts: int = 50, seed: int = 2026, today: date | None = None
) -> SeedReport:
    """Create whatever demo data is missing and return what was created and the demo users.

    Needs the reference data of the migrations (divisions, bureaus, risk tags, industry
    mapping). Raises ImproperlyConfigured when a demo username is taken by a user with
    another role.
    """
    with _demo_password_hashed_once():
        return _seed_all(enterprises=enterprises, experts=experts, seed=seed, today=today)


def _seed_all(*, enterprises: int, experts: int, seed: int, today: date | None) -> SeedReport:
    report = SeedReport()
    divisions = _divisions()
    by_name = {spec.username: spec for spec in data.DEMO_USERS}
    users: dict[str, User] = {}
    # The administrator creates everything else, so it comes first, created by nobody.
    users["admin"] = _seed_user(
        actor=None,
        spec=by_name["admin"],
        organisation=_organisation_for(by_name["admin"], divisions, None),
        report=report,
    )
    admin = users["admin"]
    for spec in [*data.DEMO_USERS, *data.COUNTY_STAFF]:
        if spec.organisation not in {"enterprise", "admin"}:
            users[spec.username] = _seed_user(
                actor=admin, spec=spec, organisation=_organisation_for(spec, divisions, None), report=report
            )
    towns = _seed_towns(actor=admin, divisions=divisions, report=report)
    officer = users["city_officer"]
    first = _seed_enterprises(
        actor=officer, seed=seed, count=max(enterprises, 1), divisions=divisions, towns=towns, report=report
    )
    enterprise_org = _link_organisation(actor=admin, enterprise=first, report=report)
    for spec in data.DEMO_USERS:
        if spec.organisation == "enterprise":
            users[spec.username] = _seed_user(
                actor=admin, spec=spec, organisation=enterprise_org, report=report
            )
    _seed_experts(
        actor=officer,
        admin=admin,
        seed=seed,
        count=experts,
        divisions=divisions,
        expert_user=users["expert"],
        report=report,
    )
    _seed_standard(actor=officer, report=report)
    _seed_accidents(
        actor=officer,
        seed=seed,
        enterprises=max(enterprises, 1),
        today=today or timezone.localdate(),
        report=report,
    )
    hazards_before = Hazard.objects.count()
    _seed_applications(seed=seed, users=users, divisions=divisions, report=report)
    cases = demo_cases()
    report.created["rectification_plans"] += seed_rectification(cases=cases, users=users)
    seed_ledger(cases=cases)
    report.created["hazards"] = Hazard.objects.count() - hazards_before
    for key, count in seed_results(
        cases=cases, users=users, today=today or timezone.localdate(), seed=seed
    ).items():
        report.created[key] += count
    if report.changed:
        audit_record(actor=admin, action="demo.seed", data={"seed": seed, "created": report.created})
    report.users = [users[spec.username] for spec in data.DEMO_USERS]
    report.leaders = review_leaders()
    report.plans = rectification_cases()
    report.results = results_guide()
    return report
