"""Province-scale data for load and query tests (``manage.py seed_scale``).

Unlike ``demo.services`` (which walks every case through the services and audits each step),
this module builds row values directly and writes them with ``bulk_create`` in batches, one
transaction per batch, so 100,000 enterprises with their history take minutes. Every row is
still valid for the app: ``bulk_create`` skips ``save()``, so the denormalised fields
(``region_path``, the pinyin keys, the certificate's frozen copies) are set here, and the audit
events are chained in Python exactly as ``audit.services.audit_record`` does.

Everything is drawn from ``random.Random(seed)``. A run never collides with existing data: its
USCCs carry a tag derived from the seed ("91<division>M<tag>…"; ``seed_demo`` never makes an
"M" other than "MA"), its numbers and usernames carry the seed, and a second run with the same
seed is refused.
"""

import json
import random
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from django.contrib.auth.hashers import make_password
from django.db import connections, models, router, transaction
from django.utils import timezone
from stdnum.cn import uscc as stdnum_uscc

from accidents.domain import AccidentType, grade_for
from accidents.models import Accident, ReportingViolation
from accounts.models import Organisation, Region, User
from accounts.roles import OrganisationKind, Role
from audit.domain import event_hash
from audit.models import AuditChainHead, AuditEvent
from demo import data
from demo.services import USCC_ALPHABET, SeedReport, _seed_standard
from enterprises.domain import derive_industry, name_grams, pinyin_keys
from enterprises.models import Enterprise, IndustryMapping, RiskTag
from grading.models import ApplicationTransition, GradingApplication, Kind, Status
from lib.search import joined_grams
from rectification.models import Hazard, MajorHazardClause, RectificationPlan
from results.domain import INDUSTRY_CODES, LEVEL_NUMERALS
from results.models import Certificate
from standards.models import Item, ScoreSheet, ScoringStandard, SheetItem

DEFAULT_SIZES = {
    "enterprises": 100_000,
    "applications": 30_000,
    "hazards": 1_000_000,
    "accidents": 20_000,
    "audit_events": 5_000_000,
    "users": 2_000,
}
CITY_CODE = "210800"
HISTORY_YEARS = 5
MARKER = "样例"  # in every generated name: clearly fictional, and never seed_demo's 示例/演示

# The path of moves to each state: (transition, state reached). Every path starts in draft.
_MAIN = [
    ("start_internal_publicity", Status.INTERNAL_PUBLICITY),
    ("submit", Status.COUNTY_REVIEW),
    ("county_forward", Status.CITY_REVIEW),
    ("accept", Status.ACCEPTED),
    ("form_panel", Status.PANEL_FORMING),
    ("approve_panel", Status.REVIEW_SCHEDULED),
    ("open_review", Status.ON_SITE_REVIEW),
    ("finalise_with_rectification", Status.RECTIFYING),
    ("submit_rectification", Status.RECTIFICATION_CHECK),
    ("confirm_rectification", Status.RESULT_CONFIRMATION),
    ("start_publicity", Status.PUBLICITY),
    ("announce", Status.ANNOUNCED),
]


def _main_to(state: str) -> list[tuple[str, str]]:
    index = next(i for i, (_t, s) in enumerate(_MAIN) if s == state)
    return _MAIN[: index + 1]


PATHS: dict[str, list[tuple[str, str]]] = {
    Status.DRAFT: [],
    **{state: _main_to(state) for _t, state in _MAIN},
    Status.COUNTY_RETURNED: [*_main_to(Status.COUNTY_REVIEW), ("county_return", Status.COUNTY_RETURNED)],
    Status.CITY_RETURNED: [*_main_to(Status.CITY_REVIEW), ("city_return", Status.CITY_RETURNED)],
    Status.OBJECTION_CHECK: [*_main_to(Status.PUBLICITY), ("open_objection_check", Status.OBJECTION_CHECK)],
    Status.NOT_ACCEPTED: [*_main_to(Status.CITY_REVIEW), ("not_accept", Status.NOT_ACCEPTED)],
    Status.NOT_PASSED: [*_main_to(Status.ON_SITE_REVIEW), ("fail_review", Status.NOT_PASSED)],
    Status.WITHDRAWN: [*_main_to(Status.COUNTY_REVIEW), ("withdraw", Status.WITHDRAWN)],
    Status.TERMINATED_FALSE_COMMITMENT: [
        *_main_to(Status.ACCEPTED),
        ("terminate_false_commitment", Status.TERMINATED_FALSE_COMMITMENT),
    ],
}
# Who makes each move: the enterprise principal, the county chief, the city chief (or the panel).
ENTERPRISE_MOVES = frozenset(
    {
        "start_internal_publicity",
        "submit",
        "county_resubmit",
        "city_resubmit",
        "withdraw",
        "submit_rectification",
    }
)
COUNTY_MOVES = frozenset({"county_forward", "county_return"})

# How often each state occurs: most cases are finished; every state appears at least once.
STATUS_WEIGHTS = {
    Status.DRAFT: 4,
    Status.INTERNAL_PUBLICITY: 2,
    Status.COUNTY_REVIEW: 3,
    Status.COUNTY_RETURNED: 1,
    Status.CITY_REVIEW: 2,
    Status.CITY_RETURNED: 1,
    Status.ACCEPTED: 1,
    Status.PANEL_FORMING: 1,
    Status.REVIEW_SCHEDULED: 1,
    Status.ON_SITE_REVIEW: 1,
    Status.RECTIFYING: 3,
    Status.RECTIFICATION_CHECK: 1,
    Status.RESULT_CONFIRMATION: 1,
    Status.PUBLICITY: 1,
    Status.OBJECTION_CHECK: 1,
    Status.ANNOUNCED: 60,
    Status.NOT_PASSED: 6,
    Status.NOT_ACCEPTED: 3,
    Status.WITHDRAWN: 4,
    Status.TERMINATED_FALSE_COMMITMENT: 1,
}
# States after an on-site review (the enterprise was reviewed: it has hazards from the review).
REVIEWED_STATES = frozenset(
    {
        Status.RECTIFYING,
        Status.RECTIFICATION_CHECK,
        Status.RESULT_CONFIRMATION,
        Status.PUBLICITY,
        Status.OBJECTION_CHECK,
        Status.ANNOUNCED,
        Status.NOT_PASSED,
    }
)
WITH_PLAN_STATES = REVIEWED_STATES - {Status.NOT_PASSED}
OPEN_PLAN_STATES = frozenset({Status.RECTIFYING, Status.RECTIFICATION_CHECK})

HAZARD_TEXTS = (
    ("叉车作业区域未设置安全警示标志", "库区"),
    ("配电箱未上锁，接地线松动", "配电室"),
    ("消防通道堆放杂物", "厂区"),
    ("有限空间作业未执行审批制度", "污水处理站"),
    ("粉尘清扫记录不全，积尘较多", "打磨车间"),
    ("特种作业人员证书过期", "设备部"),
    ("应急预案未按期演练", "安全管理部"),
    ("起重机限位器失效", "装配车间"),
    ("涉氨制冷机房氨气报警装置未联锁", "制冷机房"),
    ("危险化学品储存未分类隔离", "原料库"),
)
AUDIT_ACTIONS = (
    ("enterprise.update", "enterprises.enterprise"),
    ("application.transition", "grading.gradingapplication"),
    ("sheet.score", "grading.gradingapplication"),
    ("hazard.progress", "rectification.hazard"),
    ("hazard.transition", "rectification.hazard"),
    ("accident.create", "accidents.accident"),
)


@dataclass
class ScaleReport:
    """What one run created (rows per table) and how long each phase took (seconds)."""

    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    phase_rows: dict[str, int] = field(default_factory=dict)


class SeedTaken(ValueError):
    """The seed was used already on this database (its USCC tag, numbers and usernames exist)."""


@dataclass
class _Division:
    region: Region
    code: str
    name: str
    weight: int
    towns: list[int]
    county_org: Organisation
    officer: User | None = None
    chief: User | None = None


@dataclass
class _Ent:
    """What later phases need of a generated enterprise (kept small: there may be 100,000)."""

    id: int
    division: int
    name: str
    uscc: str
    region_path: str
    industry: str
    user_id: int | None = None
    org_id: int | None = None


@dataclass
class _Ctx:
    seed: int
    rng: random.Random
    batch_size: int
    now: datetime
    divisions: list[_Division]
    mappings: list[tuple[str, str]]
    tags: set[str]
    usccs: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    ents: list[_Ent] = field(default_factory=list)
    city_officer: User | None = None
    city_chief: User | None = None
    admin: User | None = None
    password: str = ""
    user_ids: list[tuple] = field(default_factory=list)  # (id, organisation id, name, organisation)
    apps: list = field(default_factory=list)


# --- Helpers ------------------------------------------------------------------


def batched(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


_PASS_THROUGH = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)


def _converter(field, connection):
    """How one column's Python value becomes a query parameter (what the ORM's compiler does,
    minus its per-value overhead for the common types)."""
    target = field.target_field if field.is_relation else field
    if connection.vendor == "postgresql":  # COPY in text format: psycopg dumps the Python values
        if isinstance(target, models.JSONField):
            encoder = target.encoder
            return lambda value: json.dumps(value, cls=encoder)
        return None
    if isinstance(target, models.GenericIPAddressField | models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    if isinstance(target, _PASS_THROUGH):
        return None
    if connection.vendor == "sqlite" and isinstance(target, models.DateTimeField):
        # What SQLite's adapt_datetimefield_value stores: naive UTC text.
        return lambda value: str(value.astimezone(UTC).replace(tzinfo=None))
    return lambda value: field.get_db_prep_save(value, connection)


def insert_rows(model, rows: Iterable[dict], batch_size: int) -> int:
    """Insert plain dicts (keyed by attname) with ``executemany``, one transaction per batch.

    The fast path for the big tables whose new ids nobody needs (hazards, audit events…): it
    skips model instances and the ORM's per-value compiler, which cost more than the database.
    Every non-null column without a database default must be in the rows (checked on the first).
    """
    connection = connections[router.db_for_write(model)]
    columns = None
    total = 0
    for batch in batched(rows, batch_size):
        if columns is None:
            names = list(batch[0])
            fields = [model._meta.get_field(n) for n in names]
            missing = [
                f.attname
                for f in model._meta.concrete_fields
                if not f.null and not f.primary_key and f.attname not in names
            ]
            if missing:
                raise ValueError(f"{model.__name__}: no value for {', '.join(missing)}")
            converters = [_converter(f, connection) for f in fields]
            copy_sql = "COPY {} ({}) FROM STDIN".format(  # noqa: S608 - identifiers from the model only
                connection.ops.quote_name(model._meta.db_table),
                ", ".join(connection.ops.quote_name(f.column) for f in fields),
            )
            quote = connection.ops.quote_name
            # Only identifiers from the model's metadata, quoted; the values are parameters.
            sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
                quote(model._meta.db_table),
                ", ".join(quote(f.column) for f in fields),
                ", ".join(["%s"] * len(fields)),
            )
        params = [
            tuple(
                row[n] if conv is None or row[n] is None else conv(row[n])
                for n, conv in zip(names, converters, strict=True)
            )
            for row in batch
        ]
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY: several times faster than executemany on PostgreSQL.
                with cursor.cursor.copy(copy_sql) as copy:
                    for values in params:
                        copy.write_row(values)
            else:
                cursor.executemany(sql, params)
        total += len(params)
    return total


def seed_tag(seed: int) -> str:
    """The two characters after "M" in this seed's USCCs (not "A" first: that is seed_demo's "MA")."""
    first = [c for c in USCC_ALPHABET if c != "A"]
    n = seed % (len(first) * len(USCC_ALPHABET))
    return first[n // len(USCC_ALPHABET)] + USCC_ALPHABET[n % len(USCC_ALPHABET)]


def _uscc(division_code: str, tag: str, n: int) -> str:
    digits = []
    for _ in range(6):
        n, rest = divmod(n, len(USCC_ALPHABET))
        digits.append(USCC_ALPHABET[rest])
    code = f"91{division_code}M{tag}{''.join(reversed(digits))}"
    return code + stdnum_uscc.calc_check_digit(code)


@lru_cache(maxsize=4096)
def _part_pinyin(part: str) -> tuple[str, str]:
    return pinyin_keys(part)


def name_keys(parts: tuple[str, ...], short_parts: tuple[str, ...]) -> tuple[str, str]:
    """The pinyin keys of a name made of parts (as ``pinyin_keys`` computes them), from cached parts."""
    full = []
    initials = []
    for group in (parts, short_parts):
        if not group:
            continue
        keys = [_part_pinyin(p) for p in group]
        full.append("".join(k[0] for k in keys))
        initials.append("".join(k[1] for k in keys))
    return " ".join(full)[:600], " ".join(initials)[:200]


def _person(rng: random.Random) -> str:
    return rng.choice(data.SURNAMES) + rng.choice(data.GIVEN_NAMES)


def _phone(rng: random.Random, prefix: str = "1380000") -> str:
    return f"{prefix}{rng.randrange(10000):04d}"


def _timed(report: ScaleReport, name: str, progress: Callable[[str, int, float], None] | None):
    class _Timer:
        def __enter__(self):
            self.start = time.perf_counter()
            return self

        def __exit__(self, *exc):
            if exc[0] is None:
                seconds = time.perf_counter() - self.start
                report.timings[name] = seconds
                if progress:
                    progress(name, report.phase_rows.get(name, 0), seconds)

    return _Timer()


# --- Setup ----------------------------------------------------------------------


def _divisions() -> list[_Division]:
    city = Region.objects.get(code=CITY_CODE)
    result = []
    for region in Region.objects.filter(parent=city, level=Region.Level.COUNTY, is_active=True).order_by(
        "code"
    ):
        org = Organisation.objects.filter(kind=OrganisationKind.COUNTY_BUREAU, region=region).first()
        if org is None:
            org = Organisation.objects.create(
                kind=OrganisationKind.COUNTY_BUREAU, region=region, name=f"{region.name}应急管理局"
            )
        towns = list(
            Region.objects.filter(parent=region, level=Region.Level.TOWN).values_list("pk", flat=True)
        )
        result.append(
            _Division(
                region=region,
                code=region.code,
                name=region.name,
                weight=data.DIVISION_WEIGHTS.get(region.name, 10),
                towns=towns,
                county_org=org,
            )
        )
    if not result:
        raise ValueError("No county-level divisions under 营口市: run the migrations first.")
    return result


def _check_seed_free(seed: int) -> None:
    tag = seed_tag(seed)
    if (
        User.objects.filter(username__startswith=f"sc{seed}_").exists()
        or Enterprise.objects.filter(uscc__regex=rf"^91[0-9]{{6}}M{tag}").exists()
    ):
        raise SeedTaken(
            f"Data of seed {seed} (or of a seed with the same USCC tag {tag}) is present already."
        )


def _staff(ctx: _Ctx) -> int:
    """The regulators of the run (actors of the moves): a county officer and chief per division,
    a city officer and chief, an administrator."""
    city_org = Organisation.objects.filter(kind=OrganisationKind.CITY_BUREAU).first()
    admin_org = Organisation.objects.filter(kind=OrganisationKind.ADMINISTRATION).first()
    if city_org is None or admin_org is None:
        raise ValueError("The city bureau and administration organisations are missing: run the migrations.")
    rng = ctx.rng
    specs = [("admin", Role.SYSTEM_ADMIN, admin_org), ("city1", Role.CITY_OFFICER, city_org)]
    specs.append(("city2", Role.CITY_CHIEF, city_org))
    for division in ctx.divisions:
        specs.append((f"c{division.code}a", Role.COUNTY_OFFICER, division.county_org))
        specs.append((f"c{division.code}b", Role.COUNTY_CHIEF, division.county_org))
    users = [
        User(
            username=f"sc{ctx.seed}_{key}",
            password=ctx.password,
            role=role,
            organisation=org,
            full_name=_person(rng),
            phone=_phone(rng),
            email=f"sc{ctx.seed}_{key}@example.invalid",
        )
        for key, role, org in specs
    ]
    with transaction.atomic():
        User.objects.bulk_create(users)
    created = {
        u.username.split("_", 1)[1]: u for u in User.objects.filter(username__startswith=f"sc{ctx.seed}_")
    }
    ctx.admin = created["admin"]
    ctx.city_officer = created["city1"]
    ctx.city_chief = created["city2"]
    for division in ctx.divisions:
        division.officer = created[f"c{division.code}a"]
        division.chief = created[f"c{division.code}b"]
    for u in created.values():
        ctx.user_ids.append((u.pk, u.organisation_id, u.full_name, str(u.organisation)))
    return len(users)


def _standard(ctx: _Ctx) -> ScoringStandard:
    standard = ScoringStandard.objects.filter(status=ScoringStandard.Status.PUBLISHED).order_by("pk").first()
    if standard is None:
        with transaction.atomic():
            _seed_standard(actor=ctx.admin, report=SeedReport())
        standard = (
            ScoringStandard.objects.filter(status=ScoringStandard.Status.PUBLISHED).order_by("pk").first()
        )
    return standard


# --- Enterprises --------------------------------------------------------------------


def _enterprise_rows(ctx: _Ctx, count: int) -> Iterator[Enterprise]:
    rng = ctx.rng
    tag = seed_tag(ctx.seed)
    weights = [d.weight for d in ctx.divisions]
    businesses = [b for b in data.BUSINESSES if derive_industry(b.codes[0], ctx.mappings)]
    business_weights = [b.weight for b in businesses]
    by_name = {d.name: i for i, d in enumerate(ctx.divisions)}
    for n in range(count):
        business = rng.choices(businesses, weights=business_weights)[0]
        preferred = [by_name[d] for d in business.divisions if d in by_name]
        if preferred and rng.random() < 0.75:
            di = rng.choice(preferred)
        else:
            di = rng.choices(range(len(ctx.divisions)), weights=weights)[0]
        division = ctx.divisions[di]
        places = data.NAME_PLACES.get(division.name) or ["营口"]
        place = rng.choice(places)
        brand = rng.choice(data.BRANDS)
        suffix = rng.choice(data.SUFFIXES)
        parts: tuple[str, ...] = (place, MARKER, brand, business.word, suffix)
        name = "".join(parts)
        attempt = 0
        while name in ctx.names:
            attempt += 1
            if attempt < 4:
                extra = rng.choice(data.BRANDS)
                parts = (place, MARKER, brand, extra, business.word, suffix)
            else:
                parts = (place, MARKER, brand, business.word, f"{n % 97 + 1}号", suffix)
            name = "".join(parts)
            if attempt > 8:
                parts = (*parts[:-1], str(n), parts[-1])
                name = "".join(parts)
        ctx.names.add(name)
        short_parts = (brand, business.word)
        full, initials = name_keys(parts, short_parts)
        code = rng.choice(business.codes)
        employees = rng.randint(*business.employees)
        roll = rng.random()
        status = (
            Enterprise.Status.SUSPENDED
            if roll < 0.05
            else Enterprise.Status.DEREGISTERED
            if roll < 0.08
            else Enterprise.Status.NORMAL
        )
        principal = _person(rng)
        town = rng.choice(division.towns) if division.towns and rng.random() < 0.85 else None
        uscc = _uscc(division.code, tag, n)
        ent = Enterprise(
            uscc=uscc,
            name=name,
            short_name="".join(short_parts),
            region=division.region,
            town_id=town,
            region_path=division.region.path,
            address=f"辽宁省营口市{division.name}{rng.choice(data.ROADS)}{rng.randint(1, 999)}号",
            legal_representative=principal if rng.random() < 0.7 else _person(rng),
            principal_name=principal,
            principal_phone=_phone(rng),
            safety_manager_name=_person(rng),
            safety_manager_phone=_phone(rng, "1390000"),
            employee_count=employees,
            scale=Enterprise.Scale.ABOVE if employees >= 300 else Enterprise.Scale.BELOW,
            gb4754_code=code,
            industry=derive_industry(code, ctx.mappings),
            status=status,
            name_pinyin=full,
            name_initials=initials,
            name_grams=name_grams(name, "".join(short_parts)),
        )
        ent._scale_risks = [t for t in business.risks if t in ctx.tags and rng.random() < 0.85]
        ent._scale_risks += [t for t in business.maybe_risks if t in ctx.tags and rng.random() < 0.3]
        ent._scale_division = di
        yield ent


def seed_enterprises(ctx: _Ctx, count: int) -> tuple[int, int]:
    tag_ids = dict(RiskTag.objects.values_list("code", "pk"))
    through = Enterprise.risk_tags.through
    links = 0
    for batch in batched(_enterprise_rows(ctx, count), ctx.batch_size):
        with transaction.atomic():
            created = Enterprise.objects.bulk_create(batch, batch_size=ctx.batch_size)
            rows = [
                through(enterprise_id=e.pk, risktag_id=tag_ids[t]) for e in created for t in e._scale_risks
            ]
            through.objects.bulk_create(rows, batch_size=ctx.batch_size)
        links += len(rows)
        ctx.ents.extend(
            _Ent(e.pk, e._scale_division, e.name, e.uscc, e.region_path, e.industry) for e in created
        )
    return count, links


# --- Users ----------------------------------------------------------------------------


def seed_users(ctx: _Ctx, count: int, preferred: list[int]) -> tuple[int, int]:
    """Enterprise organisations and users: a principal (and often a contact) per enterprise,
    for the applying enterprises first (``preferred`` indexes into ``ctx.ents``)."""
    rng = ctx.rng
    taken = set(
        Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE).values_list("region_id", "name")
    )
    chosen: list[tuple[int, bool]] = []  # (enterprise index, with a contact besides the principal)
    budget = count
    preferred_set = set(preferred)
    order = preferred + [i for i in range(len(ctx.ents)) if i not in preferred_set]
    for index in order:
        if budget <= 0:
            break
        ent = ctx.ents[index]
        if (ctx.divisions[ent.division].region.pk, ent.name) in taken:
            continue
        two = budget >= 2 and rng.random() < 0.4
        chosen.append((index, two))
        budget -= 2 if two else 1
    orgs = 0
    users = 0
    for batch in batched(chosen, ctx.batch_size):
        with transaction.atomic():
            created = Organisation.objects.bulk_create(
                [
                    Organisation(
                        kind=OrganisationKind.ENTERPRISE,
                        region_id=ctx.divisions[ctx.ents[i].division].region.pk,
                        name=ctx.ents[i].name,
                    )
                    for i, _two in batch
                ]
            )
            orgs += len(created)
            for (i, _two), org in zip(batch, created, strict=True):
                ctx.ents[i].org_id = org.pk
            Enterprise.objects.bulk_update(
                [Enterprise(pk=ctx.ents[i].id, organisation_id=ctx.ents[i].org_id) for i, _two in batch],
                ["organisation"],
                batch_size=ctx.batch_size,
            )
            people = [(i, Role.ENTERPRISE_PRINCIPAL, "p") for i, _two in batch]
            people += [(i, Role.ENTERPRISE_USER, "u") for i, two in batch if two]
            rows = [
                User(
                    username=f"sc{ctx.seed}_{key}{i:06d}",
                    password=ctx.password,
                    role=role,
                    organisation_id=ctx.ents[i].org_id,
                    full_name=_person(rng),
                    phone=_phone(rng),
                    email=f"sc{ctx.seed}_{key}{i:06d}@example.invalid",
                )
                for i, role, key in people
            ]
            created_users = User.objects.bulk_create(rows, batch_size=ctx.batch_size)
            users += len(created_users)
            for (i, role, _key), user in zip(people, created_users, strict=True):
                if role == Role.ENTERPRISE_PRINCIPAL:
                    ctx.ents[i].user_id = user.pk
                ctx.user_ids.append((user.pk, ctx.ents[i].org_id, user.full_name, ctx.ents[i].name))
    return orgs, users


# --- Applications -------------------------------------------------------------------------


def _statuses(rng: random.Random, count: int) -> list[str]:
    states = list(STATUS_WEIGHTS)
    weights = [STATUS_WEIGHTS[s] for s in states]
    result = states[:count] + rng.choices(states, weights=weights, k=max(0, count - len(states)))
    rng.shuffle(result)
    return result


@dataclass
class _App:
    id: int
    ent: int  # index into ctx.ents
    status: str
    review_at: datetime | None  # when the on-site review opened
    decided_at: datetime | None
    number: str


def seed_applications(ctx: _Ctx, count: int, standard: ScoringStandard, ent_indexes: list[int]) -> dict:
    rng = ctx.rng
    statuses = _statuses(rng, count)
    # Only one open case per enterprise: repeats (more cases than enterprises) are closed ones.
    closed = [Status.NOT_PASSED, Status.WITHDRAWN]
    seen: set[int] = set()
    items = list(
        Item.objects.filter(standard=standard, points__gte=2)
        .order_by("pk")
        .values_list("pk", flat=True)[:200]
    )
    apps: list[_App] = []
    counts = {"applications": 0, "score_sheets": 0, "sheet_items": 0, "application_transitions": 0}
    plan = []
    for n in range(count):
        ent_index = ent_indexes[n % len(ent_indexes)]
        status = statuses[n]
        if ent_index in seen and status not in closed:
            status = rng.choice(closed)
        seen.add(ent_index)
        plan.append((n, ent_index, status))
    for batch in batched(plan, ctx.batch_size):
        specs = []
        for n, ent_index, status in batch:
            path = PATHS[status]
            terminal = status in {
                Status.ANNOUNCED,
                Status.NOT_PASSED,
                Status.NOT_ACCEPTED,
                Status.WITHDRAWN,
                Status.TERMINATED_FALSE_COMMITMENT,
            }
            gaps = [timedelta(days=rng.randint(2, 25), hours=rng.randint(0, 8)) for _ in path]
            slack = timedelta(
                days=rng.randint(1, 365 * (HISTORY_YEARS - 1)) if terminal else rng.randint(0, 20)
            )
            start = ctx.now - sum(gaps, timedelta()) - slack - timedelta(days=rng.randint(5, 40))
            specs.append((n, ent_index, status, path, gaps, start))
        with transaction.atomic():
            sheets = ScoreSheet.objects.bulk_create(
                [
                    ScoreSheet(
                        standard=standard,
                        kind=ScoreSheet.Kind.SELF_ASSESSMENT,
                        status=ScoreSheet.Status.DRAFT if not path else ScoreSheet.Status.SUBMITTED,
                        title=f"{ctx.ents[ent_index].name} 自评",
                        created_by_id=ctx.ents[ent_index].user_id
                        or ctx.divisions[ctx.ents[ent_index].division].officer.pk,
                    )
                    for _n, ent_index, _status, path, _g, _s in specs
                ]
            )
            rows = []
            for (n, ent_index, status, path, gaps, start), sheet in zip(specs, sheets, strict=True):
                ent = ctx.ents[ent_index]
                division = ctx.divisions[ent.division]
                creator = ent.user_id or division.officer.pk
                moved = {t for t, _s in path}
                times = []
                at = start
                for gap in gaps:
                    at = at + gap
                    times.append(at)
                when = dict(zip([t for t, _s in path], times, strict=True))
                submitted = when.get("submit")
                decided = when.get("accept") or when.get("not_accept") or when.get("announce")
                closing = {
                    Status.NOT_ACCEPTED: "不符合受理条件",
                    Status.NOT_PASSED: "现场评审未通过",
                    Status.WITHDRAWN: "企业申请撤回",
                    Status.TERMINATED_FALSE_COMMITMENT: "承诺内容不实，终止定级",
                }.get(status, "")
                app = GradingApplication(
                    number=f"SC{start.year}-{ctx.seed}-{n:07d}",
                    enterprise_id=ent.id,
                    kind=Kind.INITIAL if rng.random() < 0.8 else Kind.RENEWAL,
                    standard=standard,
                    self_sheet=sheet,
                    status=status,
                    status_changed_at=times[-1] if times else None,
                    summary="企业按评定标准逐项开展自评，自评结果见评分表。" if moved else "",
                    assessment_started_on=(start - timedelta(days=30)).date(),
                    assessment_finished_on=(start - timedelta(days=3)).date() if moved else None,
                    internal_publicity_start=when["start_internal_publicity"].date() if moved else None,
                    internal_publicity_end=(
                        (when["start_internal_publicity"] + timedelta(days=7)).date() if moved else None
                    ),
                    internal_publicity_place="厂区公告栏" if moved else "",
                    # Only a user signs: an enterprise without a login has no signature on record.
                    commitment_signed_at=submitted if ent.user_id else None,
                    commitment_signed_by_id=ent.user_id if submitted else None,
                    submitted_at=submitted,
                    decided_at=decided,
                    closing_reason=closing,
                    created_by_id=creator,
                )
                app._scale = (n, ent_index, status, path, times)
                rows.append(app)
            created = GradingApplication.objects.bulk_create(rows, batch_size=ctx.batch_size)
            transitions = []
            entries = []
            for app, sheet in zip(created, sheets, strict=True):
                n, ent_index, status, path, times = app._scale
                ent = ctx.ents[ent_index]
                division = ctx.divisions[ent.division]
                previous = Status.DRAFT
                for (name, state), at in zip(path, times, strict=True):
                    if name in ENTERPRISE_MOVES:
                        actor = ent.user_id
                    elif name in COUNTY_MOVES:
                        actor = division.chief.pk
                    else:
                        actor = ctx.city_chief.pk
                    transitions.append(
                        dict(
                            application_id=app.pk,
                            comment="",
                            data={},
                            transition=name,
                            from_state=previous,
                            to_state=state,
                            actor_id=actor,
                            created_at=at,
                        )
                    )
                    previous = state
                if path and items:
                    for item in rng.sample(items, min(len(items), rng.randint(0, 3))):
                        entries.append(
                            dict(
                                sheet_id=sheet.pk,
                                applicable=True,
                                na_reason="",
                                description="",
                                item_id=item,
                                extra_deduction=Decimal("1.0"),
                                extra_reason="记录不全",
                                scored_by_id=app.created_by_id,
                                scored_at=times[0],
                            )
                        )
                review = dict(zip([t for t, _s in path], times, strict=True)).get("open_review")
                apps.append(_App(app.pk, ent_index, status, review, app.decided_at, app.number))
            insert_rows(ApplicationTransition, transitions, ctx.batch_size)
            insert_rows(SheetItem, entries, ctx.batch_size)
        counts["applications"] += len(created)
        counts["score_sheets"] += len(sheets)
        counts["sheet_items"] += len(entries)
        counts["application_transitions"] += len(transitions)
    ctx.apps = apps
    return counts


# --- Hazards ---------------------------------------------------------------------------------


def _hazard(ctx: _Ctx, ent: _Ent, *, source: str, found: datetime, status: str, plan_id, clauses) -> dict:
    rng = ctx.rng
    text, location = rng.choice(HAZARD_TEXTS)
    major = bool(clauses) and rng.random() < 0.03
    deadline = found.date() + timedelta(days=rng.choice((15, 30, 30, 60, 90)))
    division = ctx.divisions[ent.division]
    after_start = status != Hazard.Status.PENDING
    submitted = status in (Hazard.Status.AWAITING_VERIFICATION, Hazard.Status.CLOSED)
    submitted_at = min(ctx.now, found + timedelta(days=rng.randint(3, 40))) if submitted else None
    verified_at = (
        min(ctx.now, submitted_at + timedelta(days=rng.randint(1, 10)))
        if status == Hazard.Status.CLOSED
        else None
    )
    started_at = min(ctx.now, found + timedelta(days=rng.randint(1, 5))) if after_start else None
    changed = verified_at or submitted_at or started_at
    return dict(
        enterprise_id=ent.id,
        plan_id=plan_id,
        source=source,
        description=text,
        location=location,
        level=Hazard.Level.MAJOR if major else Hazard.Level.GENERAL,
        basis_clause_id=rng.choice(clauses) if major else None,
        requirement="按照标准要求限期整改到位",
        measures="制定整改措施，落实责任人" if after_start else "",
        responsible_name=_person(rng),
        responsible_phone=_phone(rng),
        deadline=deadline,
        original_deadline=deadline,
        responsibility="企业主要负责人" if major else "",
        contingency_plan="整改期间停止相关作业，设置警戒区域" if major else "",
        governance_plan="制定专项治理方案" if major else "",
        status=status,
        status_changed_at=changed,
        found_on=found.date(),
        found_by_id=division.officer.pk if source == Hazard.Source.ENFORCEMENT else None,
        submitted_by_id=ent.user_id if submitted else None,
        submitted_at=submitted_at,
        verified_by_id=division.officer.pk if verified_at else None,
        verified_at=verified_at,
        created_at=ctx.now,
        updated_at=ctx.now,
        verification_note="整改到位，同意销号" if verified_at else "",
    )


def seed_hazards(ctx: _Ctx, count: int) -> dict:
    """Plans for the reviewed cases with about 10 review hazards each, then self-check and
    enforcement hazards over all enterprises up to ``count``; the first four cover every status."""
    rng = ctx.rng
    clauses = list(MajorHazardClause.objects.filter(active=True).values_list("pk", flat=True))
    statuses = list(Hazard.Status.values)
    counts = {"rectification_plans": 0, "hazards": 0}
    planned = [a for a in ctx.apps if a.status in WITH_PLAN_STATES and a.review_at]
    made = 0
    for batch in batched(planned, ctx.batch_size):
        if made >= count:
            break
        with transaction.atomic():
            plans = RectificationPlan.objects.bulk_create(
                [
                    RectificationPlan(
                        application_id=a.id,
                        enterprise_id=ctx.ents[a.ent].id,
                        status=(
                            RectificationPlan.Status.OPEN
                            if a.status in OPEN_PLAN_STATES
                            else RectificationPlan.Status.CLOSED
                        ),
                        issued_by_id=ctx.city_officer.pk,
                        issued_at=a.review_at + timedelta(days=1),
                        closed_at=(
                            None
                            if a.status in OPEN_PLAN_STATES
                            else min(ctx.now, a.review_at + timedelta(days=40))
                        ),
                        summary="按整改通知书要求逐项整改，按期报送整改报告。",
                    )
                    for a in batch
                ]
            )
            counts["rectification_plans"] += len(plans)
            hazards = []
            for a, plan in zip(batch, plans, strict=True):
                for _ in range(rng.randint(7, 13)):
                    if made + len(hazards) >= count:
                        break
                    if a.status == Status.RECTIFYING:
                        status = rng.choice(statuses[:3])
                    elif a.status == Status.RECTIFICATION_CHECK:
                        status = rng.choice((Hazard.Status.AWAITING_VERIFICATION, Hazard.Status.CLOSED))
                    else:
                        status = Hazard.Status.CLOSED
                    hazards.append(
                        _hazard(
                            ctx,
                            ctx.ents[a.ent],
                            source=Hazard.Source.REVIEW,
                            found=a.review_at,
                            status=status,
                            plan_id=plan.pk,
                            clauses=clauses,
                        )
                    )
            insert_rows(Hazard, hazards, ctx.batch_size)
        made += len(hazards)
    span = HISTORY_YEARS * 365 * 24 * 3600

    def rest() -> Iterator[dict]:
        for k in range(count - made):
            ent = ctx.ents[rng.randrange(len(ctx.ents))]
            found = ctx.now - timedelta(seconds=rng.randrange(span))
            age = (ctx.now - found).days
            if k < len(statuses):
                status = statuses[k]
            elif age > 180:
                status = Hazard.Status.CLOSED if rng.random() < 0.95 else rng.choice(statuses[:3])
            else:
                status = rng.choices(statuses, weights=(3, 3, 2, 6))[0]
            source = Hazard.Source.SELF_CHECK if rng.random() < 0.7 else Hazard.Source.ENFORCEMENT
            yield _hazard(ctx, ent, source=source, found=found, status=status, plan_id=None, clauses=clauses)

    made += insert_rows(Hazard, rest(), ctx.batch_size)
    counts["hazards"] = made
    return counts


# --- Accidents -----------------------------------------------------------------------------


def seed_accidents(ctx: _Ctx, count: int) -> int:
    rng = ctx.rng
    types = (
        list(data.ACCIDENT_TYPE_WEIGHTS) if hasattr(data, "ACCIDENT_TYPE_WEIGHTS") else AccidentType.values
    )
    type_weights = (
        [data.ACCIDENT_TYPE_WEIGHTS[t] for t in types] if hasattr(data, "ACCIDENT_TYPE_WEIGHTS") else None
    )
    types = [str(t) for t in types]
    span = HISTORY_YEARS * 365 * 24 * 3600

    def rows() -> Iterator[dict]:
        for _ in range(count):
            ent = ctx.ents[rng.randrange(len(ctx.ents))]
            occurred = ctx.now - timedelta(seconds=rng.randrange(3600, span))
            roll = rng.random()
            deaths = 0 if roll < 0.9 else (1 if roll < 0.985 else rng.randint(2, 4))
            serious = rng.choices((0, 1, 2, 3, 12), weights=(60, 25, 8, 6, 1))[0]
            minor = rng.randint(0, 4)
            loss = Decimal(rng.randrange(5_000, 3_000_000)).quantize(Decimal("1.00"))
            accident_type = rng.choices(types, weights=type_weights)[0] if type_weights else rng.choice(types)
            violation = rng.choices(ReportingViolation.values, weights=(94, 1, 1, 3, 1))[0]
            yield dict(
                enterprise_id=ent.id,
                grade_override_reason="",
                created_at=ctx.now,
                updated_at=ctx.now,
                occurred_at=occurred,
                place=rng.choice(data.ACCIDENT_PLACES),
                accident_type=accident_type,
                deaths=deaths,
                serious_injuries=serious,
                minor_injuries=minor,
                direct_loss_yuan=loss,
                description="作业过程中发生事故，详见事故调查报告。",
                reporting_violation=violation,
                reported_at=occurred + timedelta(minutes=rng.randint(10, 600)),
                grade=grade_for(deaths, serious, loss),
                recorded_by_id=ctx.divisions[ent.division].officer.pk,
            )

    return insert_rows(Accident, rows(), ctx.batch_size)


# --- Certificates ---------------------------------------------------------------------------


def seed_certificates(ctx: _Ctx) -> int:
    """A certificate per announced case, and legacy ones for about 5% of the other enterprises."""
    rng = ctx.rng
    today = timezone.localtime(ctx.now).date()
    with_app = {a.ent for a in ctx.apps if a.status == Status.ANNOUNCED}

    def number(ent: _Ent, year: int, n: int) -> str:
        return f"AQB{LEVEL_NUMERALS[3]}{INDUSTRY_CODES.get(ent.industry, 'QT')}辽{year}S{ctx.seed}-{n:07d}"

    def rows() -> Iterator[dict]:
        n = 0
        for a in ctx.apps:
            if a.status != Status.ANNOUNCED:
                continue
            ent = ctx.ents[a.ent]
            issued = timezone.localtime(a.decided_at).date()
            n += 1
            yield _certificate(ent, number(ent, issued.year, n), issued, application_id=a.id, now=ctx.now)
        for index, ent in enumerate(ctx.ents):
            if index in with_app or rng.random() >= 0.05:
                continue
            issued = today - timedelta(days=rng.randint(200, 365 * 6))
            n += 1
            cert = _certificate(ent, number(ent, issued.year, n), issued, application_id=None, now=ctx.now)
            cert["legacy"] = True
            if rng.random() < 0.03:
                cert["status"] = Certificate.Status.REVOKED
                cert["revoked_on"] = min(today, issued + timedelta(days=rng.randint(30, 700)))
            yield cert

    return insert_rows(Certificate, rows(), ctx.batch_size)


def _certificate(ent: _Ent, number: str, issued: date, *, application_id, now: datetime) -> dict:
    try:
        expires = issued.replace(year=issued.year + 3) - timedelta(days=1)
    except ValueError:  # 29 February
        expires = issued.replace(year=issued.year + 3, day=28)
    return dict(
        number=number,
        legacy=False,
        status=Certificate.Status.ACTIVE,
        revoked_on=None,
        pdf="",
        pdf_sha256="",
        created_at=now,
        public_id=secrets.token_urlsafe(12),
        enterprise_id=ent.id,
        application_id=application_id,
        enterprise_name=ent.name,
        name_grams=joined_grams(ent.name),
        uscc=ent.uscc,
        region_path=ent.region_path,
        industry=ent.industry,
        grade_level=3,
        issued_on=issued,
        expires_on=expires,
    )


# --- Audit events -------------------------------------------------------------------------------


def seed_audit_events(ctx: _Ctx, count: int) -> int:
    """Append ``count`` events to the hash chain: chained in Python like ``audit_record``, one
    batch per transaction with the chain head locked and moved on, so the chain is intact after
    every committed batch and later real events chain on."""
    rng = ctx.rng
    span = HISTORY_YEARS * 365 * 24 * 3600
    start = ctx.now.astimezone(UTC).replace(microsecond=0) - timedelta(seconds=span)
    step = span / max(count, 1)
    actors = ctx.user_ids
    apps = ctx.apps
    made = 0
    while made < count:
        size = min(ctx.batch_size, count - made)
        with transaction.atomic():
            head, _created = AuditChainHead.objects.select_for_update().get_or_create(id=1)
            prev, seq = head.hash, head.seq
            rows = []
            for k in range(size):
                seq += 1
                created_at = start + timedelta(seconds=int((made + k) * step))
                actor_id, org_id, actor_name, org_name = actors[rng.randrange(len(actors))]
                action, target_type = AUDIT_ACTIONS[rng.randrange(len(AUDIT_ACTIONS))]
                if target_type == "grading.gradingapplication" and apps:
                    app = apps[rng.randrange(len(apps))]
                    target_id, target_repr = str(app.id), f"{app.number} {ctx.ents[app.ent].name}"[:255]
                    payload = {"transition": "submit"} if action == "application.transition" else {"items": 1}
                else:
                    ent = ctx.ents[rng.randrange(len(ctx.ents))]
                    target_type = "enterprises.enterprise"
                    target_id, target_repr = str(ent.id), ent.name
                    payload = {"changes": {"employee_count": [rng.randint(10, 500), rng.randint(10, 500)]}}
                ip = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
                org = org_id if org_id is not None else None
                digest = event_hash(
                    prev_hash=prev,
                    seq=seq,
                    created_at=created_at,
                    actor_id=actor_id,
                    organisation_id=org,
                    action=action,
                    target_type=target_type,
                    target_id=target_id,
                    target_repr=target_repr,
                    data=payload,
                    ip=ip,
                )
                rows.append(
                    dict(
                        seq=seq,
                        created_at=created_at,
                        actor_id=actor_id,
                        actor_repr=actor_name,
                        organisation_repr=org_name,
                        organisation_id=org,
                        action=action,
                        target_type=target_type,
                        target_id=target_id,
                        target_repr=target_repr,
                        data=payload,
                        ip=ip,
                        prev_hash=prev,
                        hash=digest,
                    )
                )
                prev = digest
            insert_rows(AuditEvent, rows, len(rows))
            head.seq, head.hash = seq, prev
            head.save(update_fields=["seq", "hash"])
        made += size
    return made


# --- The run ---------------------------------------------------------------------------------------


def seed_scale(
    *,
    enterprises: int = DEFAULT_SIZES["enterprises"],
    applications: int = DEFAULT_SIZES["applications"],
    hazards: int = DEFAULT_SIZES["hazards"],
    accidents: int = DEFAULT_SIZES["accidents"],
    audit_events: int = DEFAULT_SIZES["audit_events"],
    users: int = DEFAULT_SIZES["users"],
    seed: int = 2026,
    batch_size: int = 5000,
    now: datetime | None = None,
    progress: Callable[[str, int, float], None] | None = None,
) -> ScaleReport:
    """Fill the database with a province's worth of valid data; return counts and timings.

    Raises ``SeedTaken`` when this seed's data is present already, ``ValueError`` for bad sizes.
    """
    if enterprises < 1 or min(applications, hazards, accidents, audit_events, users) < 0 or batch_size < 1:
        raise ValueError(
            "--enterprises must be at least 1, the other sizes at least 0, the batch size at least 1."
        )
    _check_seed_free(seed)
    report = ScaleReport()
    ctx = _Ctx(
        seed=seed,
        rng=random.Random(seed),
        batch_size=batch_size,
        now=(now or timezone.now()).replace(microsecond=0),
        divisions=_divisions(),
        mappings=list(IndustryMapping.objects.values_list("code_prefix", "industry")),
        tags=set(RiskTag.objects.values_list("code", flat=True)),
        names=set(),
    )
    ctx.password = make_password(data.DEMO_PASSWORD)  # hashed once, shared by every generated user
    c = report.counts

    with _timed(report, "setup", progress):
        staff = _staff(ctx)
        standard = _standard(ctx)
        report.phase_rows["setup"] = staff
    with _timed(report, "enterprises", progress):
        c["enterprises"], c["risk_tag_links"] = seed_enterprises(ctx, enterprises)
        report.phase_rows["enterprises"] = c["enterprises"] + c["risk_tag_links"]
    rng = ctx.rng
    applying = rng.sample(range(len(ctx.ents)), min(applications, len(ctx.ents))) if applications else []
    with _timed(report, "users", progress):
        c["organisations"], enterprise_users = seed_users(ctx, max(0, users - staff), applying)
        c["users"] = staff + enterprise_users
        report.phase_rows["users"] = c["organisations"] + c["users"]
    with _timed(report, "applications", progress):
        if applications:
            c.update(seed_applications(ctx, applications, standard, applying))
        report.phase_rows["applications"] = sum(
            c.get(k, 0) for k in ("applications", "score_sheets", "sheet_items", "application_transitions")
        )
    with _timed(report, "hazards", progress):
        c.update(seed_hazards(ctx, hazards))
        report.phase_rows["hazards"] = c["hazards"] + c["rectification_plans"]
    with _timed(report, "accidents", progress):
        c["accidents"] = seed_accidents(ctx, accidents)
        report.phase_rows["accidents"] = c["accidents"]
    with _timed(report, "certificates", progress):
        c["certificates"] = seed_certificates(ctx)
        report.phase_rows["certificates"] = c["certificates"]
    with _timed(report, "audit_events", progress):
        c["audit_events"] = seed_audit_events(ctx, audit_events)
        report.phase_rows["audit_events"] = c["audit_events"]
    return report
