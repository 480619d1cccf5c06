"""The panel draw (domain.md §6, issue 5) as a pure function: plain values in, a DrawResult out.

No ORM, no clock and no global randomness: every random choice comes from
``random.Random(seed)``, so a stored draw can be recomputed from its canonical inputs alone
(``canonical_inputs`` → JSON → ``replay``) and its ``result_hash`` compared, for 纪检.

The draw, step by step:

1. **Hard constraints.** Every candidate is checked in a fixed order; the first rule it breaks
   excludes it, recorded once as ``Exclusion(expert_id, code, reason)``. The codes, in that
   order (``EXCLUSION_CODES``):

   ``status``               status is not 在库 (active);
   ``term_expired``         ``term_until`` is before the review date;
   ``certificate_expired``  any date in ``certificate_expiries`` is before the review date
                            (a certificate is valid through its expiry day; an empty tuple means
                            no certificate on record, which the draw does not second-guess: the
                            caller passes every certificate the qualification rule requires);
   ``employment_current``   ``employer_uscc`` is the enterprise, or an employment relation with it
                            has no end or ends on/after the review date;
   ``employment_recent``    an employment relation ended within ``employment_lookback_years``;
   ``consulting``           a consulting relation with no end or ended within
                            ``consulting_lookback_years``;
   ``relative``             a near relative works for the enterprise (always hard, no look-back);
   ``declared_conflict``    any other declared conflict with the enterprise;
   ``previous_reviewer``    sat on the enterprise's previous review (``exclude_previous_reviewers``);
   ``same_division``        employer in the enterprise's division (``exclude_same_division``);
   ``unavailable``          the review date falls in a declared unavailable range (inclusive);
   ``busy``                 already on another panel that day.

   **Soft conflicts** (domain.md §6) do not exclude but bar the leader role; they are listed in
   ``DrawResult.soft_conflicts``: ``employment_past`` (employment ended before the look-back) and
   ``same_division`` when ``exclude_same_division`` is off.

2. **Fairness order.** Eligible experts sort by ``panels_in_window`` ascending, then by a seeded
   random key. The keys are dealt by ``random.Random(seed)`` to *all* candidates in expert-id
   order, so the order never depends on the input list order, and excluding one candidate does
   not reshuffle the others.

3. **Panel.** The hard requirements are the three core specialties, the enterprise's industry (if
   the target has one) and *a member who meets the leader rule*. The soft requirements are the
   skills for the enterprise's risk tags (``RISK_TAG_SKILLS``). The draw first finds the largest
   set of soft requirements that can be met together with the hard ones (ties: the order of
   ``RISK_TAG_SKILLS``), then walks the fairness order and takes each expert unless taking them
   would make the remaining requirements impossible to meet with the remaining slots and experts
   (an exact minimum-cover check). The panel is therefore the fairness-first panel among all that
   meet the requirements: coverage holds whenever any valid panel exists, and no non-member who
   ranks higher could replace a member without losing a requirement. Unmet soft requirements are
   reported in ``unmet_soft`` (skill codes); a risk tag with no skill (``hazardous_chemicals``) or
   an unknown tag asks for nothing.

4. **Leader.** A member qualifies if ``can_lead``, ``years_of_experience >= leader_min_years``, no
   soft conflict, and either a rating ``>= leader_min_rating`` or no rating at all. Rated
   qualifiers come before unrated ones (an unrated expert leads only when no rated member
   qualifies); then the best rating, fewest panels, fairness order. Because "has a leader" is a hard
   requirement of step 3, the draw fails with ``no_leader`` only if no eligible expert qualifies
   (or ``no_combination`` if no panel can have both a leader and full coverage).

5. **Reserves.** Up to ``rules.reserves`` non-members, chosen one by one: the expert who can stand
   in for the most members whose departure would break a hard requirement (then a soft one) not
   already covered by an earlier reserve; ties in fairness order. Fewer reserves are returned when
   the pool runs out (that is not a failure).

6. **Failures** (``ok`` is False, ``members`` empty): ``too_few_experts``, ``no_specialty`` (one per
   missing core specialty), ``no_industry``, ``no_leader``; and, only when each requirement alone can
   be met, ``no_combination``. ``Failure.reason`` names the constraint in words.

The result hash is SHA-256 over canonical JSON of the inputs digest (inputs + seed + algorithm
version) and the result (ids and codes only, never translated text, so the hash does not depend
on the active language).
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import combinations
from types import MappingProxyType
from typing import NamedTuple

from django.utils.translation import gettext as _

from experts.models import CORE_SPECIALTIES, Expert, Skill, Specialty
from lib.industries import Industry

ALGORITHM_VERSION = "panel-draw/1"
SUPPORTED_ALGORITHMS = (ALGORITHM_VERSION,)

# Enterprise risk tag (enterprises.RiskTag.code) → the expert skill (experts.Skill) that covers it.
# None: the tag exists but no skill is matched against it, and nothing is reported.
# The order is the priority when not every skill can be covered.
RISK_TAG_SKILLS: Mapping[str, str | None] = MappingProxyType(
    {
        "dust_explosion": Skill.DUST_EXPLOSION.value,
        "ammonia_refrigeration": Skill.AMMONIA_REFRIGERATION.value,
        "confined_space": Skill.CONFINED_SPACE.value,
        "metal_smelting": Skill.METALLURGICAL_GAS.value,
        "hazardous_chemicals": None,
    }
)

# Relation kinds.
EMPLOYMENT, CONSULTING, RELATIVE, OTHER = "employment", "consulting", "relative", "other"
RELATION_KINDS = (EMPLOYMENT, CONSULTING, RELATIVE, OTHER)

# Exclusion codes, in the order they are checked.
STATUS = "status"
TERM_EXPIRED = "term_expired"
CERTIFICATE_EXPIRED = "certificate_expired"
EMPLOYMENT_CURRENT = "employment_current"
EMPLOYMENT_RECENT = "employment_recent"
CONSULTING_RECENT = "consulting"
RELATIVE_CONFLICT = "relative"
DECLARED_CONFLICT = "declared_conflict"
PREVIOUS_REVIEWER = "previous_reviewer"
SAME_DIVISION = "same_division"
UNAVAILABLE = "unavailable"
BUSY = "busy"
EXCLUSION_CODES = (
    STATUS,
    TERM_EXPIRED,
    CERTIFICATE_EXPIRED,
    EMPLOYMENT_CURRENT,
    EMPLOYMENT_RECENT,
    CONSULTING_RECENT,
    RELATIVE_CONFLICT,
    DECLARED_CONFLICT,
    PREVIOUS_REVIEWER,
    SAME_DIVISION,
    UNAVAILABLE,
    BUSY,
)
# Soft-conflict codes (membership allowed, leader role not).
EMPLOYMENT_PAST = "employment_past"
SOFT_CONFLICT_CODES = (EMPLOYMENT_PAST, SAME_DIVISION)

# Failure codes.
TOO_FEW = "too_few_experts"
NO_SPECIALTY = "no_specialty"
NO_INDUSTRY = "no_industry"
NO_LEADER = "no_leader"
NO_COMBINATION = "no_combination"
FAILURE_CODES = (TOO_FEW, NO_SPECIALTY, NO_INDUSTRY, NO_LEADER, NO_COMBINATION)

# Requirement codes: "specialty:<Specialty>", "industry:<Industry>", "skill:<Skill>", and LEADER.
LEADER = "leader"


def specialty_requirement(code: str) -> str:
    return "specialty:" + code


def industry_requirement(code: str) -> str:
    return "industry:" + code


def skill_requirement(code: str) -> str:
    return "skill:" + code


def describe_requirement(requirement: str) -> str:
    """The translated label of a requirement code (for failures, replacements and the UI)."""
    if requirement == LEADER:
        return _("a member who meets the leader rule")
    kind, _sep, code = requirement.partition(":")
    enum = {"specialty": Specialty, "industry": Industry, "skill": Skill}.get(kind)
    if enum is None:
        return requirement
    try:
        return str(enum(code).label)
    except ValueError:
        return code


# --------------------------------------------------------------------------- inputs


def _tuple(values: Iterable | None) -> tuple:
    return tuple(values or ())


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or not isinstance(value, int | str | float):
        raise TypeError(f"expected a Decimal, int or str, got {value!r}")
    return Decimal(str(value))


def _uscc(value: str | None) -> str:
    return (value or "").strip().upper()


def _set(obj, name: str, value) -> None:
    object.__setattr__(obj, name, value)


@dataclass(frozen=True)
class DrawRules:
    """The parameters of one draw (regulation parameters, domain.md §12)."""

    panel_size: int = 5
    reserves: int = 2
    employment_lookback_years: int = 3
    consulting_lookback_years: int = 3
    exclude_previous_reviewers: bool = True
    exclude_same_division: bool = False
    leader_min_rating: Decimal = Decimal("80")
    leader_min_years: int = 10
    # The caller counts Candidate.panels_in_window over this window; kept so the record shows it.
    fairness_window_days: int = 365
    algorithm: str = ALGORITHM_VERSION

    def __post_init__(self) -> None:
        _set(self, "leader_min_rating", _decimal(self.leader_min_rating))
        if self.panel_size < 1:
            raise ValueError("panel_size must be at least 1")
        for name in (
            "reserves",
            "employment_lookback_years",
            "consulting_lookback_years",
            "leader_min_years",
            "fairness_window_days",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")


@dataclass(frozen=True)
class Target:
    """The application a panel is drawn for."""

    application_id: int | None
    application_number: str
    enterprise_uscc: str
    enterprise_name: str
    division_code: str
    industry: str  # lib.industries.Industry code; "" asks for no industry
    risk_tags: tuple[str, ...]  # enterprises.RiskTag codes
    review_date: date
    previous_reviewer_ids: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        _set(self, "enterprise_uscc", _uscc(self.enterprise_uscc))
        _set(self, "risk_tags", tuple(sorted(set(self.risk_tags or ()))))
        _set(self, "previous_reviewer_ids", tuple(sorted(set(self.previous_reviewer_ids or ()))))
        if not isinstance(self.review_date, date):
            raise TypeError("review_date must be a date")


@dataclass(frozen=True)
class Relation:
    """A declared tie between an expert and an enterprise: employment, consulting, relative, other."""

    kind: str
    enterprise_uscc: str
    start: date | None = None
    end: date | None = None  # None: still going on

    def __post_init__(self) -> None:
        if self.kind not in RELATION_KINDS:
            raise ValueError(f"unknown relation kind {self.kind!r}")
        _set(self, "enterprise_uscc", _uscc(self.enterprise_uscc))

    def sort_key(self) -> tuple:
        return (self.kind, self.enterprise_uscc, self.start or date.min, self.end or date.max)


@dataclass(frozen=True)
class Candidate:
    """One expert as the draw sees them. Sequences are normalised (sorted, de-duplicated)."""

    expert_id: int
    name: str
    status: str = Expert.Status.ACTIVE.value
    specialties: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    division_code: str = ""  # the division of the expert's employer
    employer_uscc: str = ""
    can_lead: bool = False
    years_of_experience: int = 0
    rating: Decimal | None = None  # average rating out of 100; None: never rated
    relations: tuple[Relation, ...] = ()
    unavailable: tuple[tuple[date, date], ...] = ()  # inclusive (start, end) ranges
    busy_dates: tuple[date, ...] = ()  # days already on another panel
    certificate_expiries: tuple[date, ...] = ()  # every one must be on/after the review date
    panels_in_window: int = 0  # panels sat on in the fairness window
    term_until: date | None = None  # None: no term end on record

    def __post_init__(self) -> None:
        for name in ("specialties", "industries", "skills", "busy_dates", "certificate_expiries"):
            _set(self, name, tuple(sorted(set(_tuple(getattr(self, name))))))
        _set(self, "unavailable", tuple(sorted({(s, e) for s, e in _tuple(self.unavailable)})))
        _set(self, "relations", tuple(sorted(set(_tuple(self.relations)), key=Relation.sort_key)))
        _set(self, "employer_uscc", _uscc(self.employer_uscc))
        _set(self, "rating", _decimal(self.rating))
        if self.years_of_experience < 0 or self.panels_in_window < 0:
            raise ValueError("years_of_experience and panels_in_window must not be negative")


# --------------------------------------------------------------------------- results


class Exclusion(NamedTuple):
    expert_id: int
    code: str
    reason: str


@dataclass(frozen=True)
class Failure:
    """One constraint no panel can meet. ``missing``: the requirement codes concerned, if any."""

    code: str
    reason: str
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    """What a drawn expert (member or reserve) brings; lets ``replace_member`` work from the result."""

    expert_id: int
    rank: int  # position in the fairness order, 0 first
    covers: frozenset[str]  # requirement codes (hard and soft) this expert meets
    rating: Decimal | None
    panels_in_window: int

    @property
    def may_lead(self) -> bool:
        return LEADER in self.covers


@dataclass(frozen=True)
class DrawResult:
    ok: bool
    members: tuple[int, ...]  # in fairness order
    leader_id: int | None
    reserves: tuple[int, ...]  # in the order they are called in
    excluded: tuple[Exclusion, ...]  # every excluded candidate once, by expert id
    soft_conflicts: tuple[Exclusion, ...]  # eligible experts barred from leading, by expert id
    requirements: tuple[str, ...]  # the hard requirements (core specialties, industry, LEADER)
    soft_requirements: tuple[str, ...]  # skill requirements asked for by the risk tags
    unmet_soft: tuple[str, ...]  # skill codes (not requirement codes) the panel does not cover
    failures: tuple[Failure, ...]
    seed: int
    algorithm: str
    inputs_digest: str
    result_hash: str
    profiles: tuple[Profile, ...] = field(default=(), repr=False)  # members and reserves, by id

    @property
    def failure(self) -> Failure | None:
        return self.failures[0] if self.failures else None

    def profile(self, expert_id: int) -> Profile:
        for p in self.profiles:
            if p.expert_id == expert_id:
                return p
        raise KeyError(expert_id)

    def as_dict(self) -> dict:
        """The hashed result: JSON-serialisable, ids and codes only."""
        return _result_payload(
            self.ok,
            self.members,
            self.leader_id,
            self.reserves,
            self.excluded,
            self.soft_conflicts,
            self.unmet_soft,
            self.failures,
        )


@dataclass(frozen=True)
class Replacement:
    """The panel after a member leaves (declines): who came in from the reserves, and what was lost."""

    leaving_id: int
    incoming_id: int | None  # None: no reserve left
    members: tuple[int, ...]  # the incoming expert takes the leaving member's place
    leader_id: int | None
    reserves: tuple[int, ...]  # the reserves still available
    lost: tuple[str, ...]  # hard requirement codes no longer met
    lost_soft: tuple[str, ...]  # soft requirement codes met before and not any more

    @property
    def coverage_kept(self) -> bool:
        return not self.lost


# --------------------------------------------------------------------------- canonical form


def _d(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text is not None else None


def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError("seed must be an int (e.g. secrets.randbits(63))")
    return seed


def canonical_inputs(target: Target, candidates: Iterable[Candidate], rules: DrawRules, seed: int) -> dict:
    """Everything the draw depends on as a JSON-serialisable dict (sorted; store it as is)."""
    _check_seed(seed)
    ordered = sorted(candidates, key=lambda c: c.expert_id)
    ids = [c.expert_id for c in ordered]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate expert ids among the candidates")
    return {
        "seed": seed,
        "rules": {
            "algorithm": rules.algorithm,
            "panel_size": rules.panel_size,
            "reserves": rules.reserves,
            "employment_lookback_years": rules.employment_lookback_years,
            "consulting_lookback_years": rules.consulting_lookback_years,
            "exclude_previous_reviewers": rules.exclude_previous_reviewers,
            "exclude_same_division": rules.exclude_same_division,
            "leader_min_rating": str(rules.leader_min_rating),
            "leader_min_years": rules.leader_min_years,
            "fairness_window_days": rules.fairness_window_days,
        },
        "target": {
            "application_id": target.application_id,
            "application_number": target.application_number,
            "enterprise_uscc": target.enterprise_uscc,
            "enterprise_name": target.enterprise_name,
            "division_code": target.division_code,
            "industry": target.industry,
            "risk_tags": list(target.risk_tags),
            "review_date": _d(target.review_date),
            "previous_reviewer_ids": list(target.previous_reviewer_ids),
        },
        "candidates": [
            {
                "expert_id": c.expert_id,
                "name": c.name,
                "status": c.status,
                "specialties": list(c.specialties),
                "industries": list(c.industries),
                "skills": list(c.skills),
                "division_code": c.division_code,
                "employer_uscc": c.employer_uscc,
                "can_lead": c.can_lead,
                "years_of_experience": c.years_of_experience,
                "rating": str(c.rating) if c.rating is not None else None,
                "relations": [[r.kind, r.enterprise_uscc, _d(r.start), _d(r.end)] for r in c.relations],
                "unavailable": [[_d(s), _d(e)] for s, e in c.unavailable],
                "busy_dates": [_d(d) for d in c.busy_dates],
                "certificate_expiries": [_d(d) for d in c.certificate_expiries],
                "panels_in_window": c.panels_in_window,
                "term_until": _d(c.term_until),
            }
            for c in ordered
        ],
    }


def parse_inputs(inputs: Mapping) -> tuple[Target, tuple[Candidate, ...], DrawRules, int]:
    """The inverse of ``canonical_inputs``: (target, candidates, rules, seed)."""
    try:
        r, t = inputs["rules"], inputs["target"]
        rules = DrawRules(
            panel_size=r["panel_size"],
            reserves=r["reserves"],
            employment_lookback_years=r["employment_lookback_years"],
            consulting_lookback_years=r["consulting_lookback_years"],
            exclude_previous_reviewers=r["exclude_previous_reviewers"],
            exclude_same_division=r["exclude_same_division"],
            leader_min_rating=Decimal(r["leader_min_rating"]),
            leader_min_years=r["leader_min_years"],
            fairness_window_days=r["fairness_window_days"],
            algorithm=r["algorithm"],
        )
        target = Target(
            application_id=t["application_id"],
            application_number=t["application_number"],
            enterprise_uscc=t["enterprise_uscc"],
            enterprise_name=t["enterprise_name"],
            division_code=t["division_code"],
            industry=t["industry"],
            risk_tags=tuple(t["risk_tags"]),
            review_date=_date(t["review_date"]),
            previous_reviewer_ids=tuple(t["previous_reviewer_ids"]),
        )
        candidates = tuple(
            Candidate(
                expert_id=c["expert_id"],
                name=c["name"],
                status=c["status"],
                specialties=tuple(c["specialties"]),
                industries=tuple(c["industries"]),
                skills=tuple(c["skills"]),
                division_code=c["division_code"],
                employer_uscc=c["employer_uscc"],
                can_lead=c["can_lead"],
                years_of_experience=c["years_of_experience"],
                rating=Decimal(c["rating"]) if c["rating"] is not None else None,
                relations=tuple(Relation(k, u, _date(s), _date(e)) for k, u, s, e in c["relations"]),
                unavailable=tuple((_date(s), _date(e)) for s, e in c["unavailable"]),
                busy_dates=tuple(_date(d) for d in c["busy_dates"]),
                certificate_expiries=tuple(_date(d) for d in c["certificate_expiries"]),
                panels_in_window=c["panels_in_window"],
                term_until=_date(c["term_until"]),
            )
            for c in inputs["candidates"]
        )
        seed = _check_seed(inputs["seed"])
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        raise ValueError(f"malformed draw inputs: {exc}") from exc
    return target, candidates, rules, seed


def canonical_json(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def inputs_digest(inputs: Mapping) -> str:
    return hashlib.sha256(canonical_json(inputs)).hexdigest()


# --------------------------------------------------------------------------- hard and soft conflicts


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _hard_conflict(c: Candidate, t: Target, rules: DrawRules) -> tuple[str, str] | None:
    on = t.review_date
    if c.status != Expert.Status.ACTIVE:
        try:
            label = str(Expert.Status(c.status).label)
        except ValueError:
            label = c.status
        return STATUS, _("Status is %(status)s, not active") % {"status": label}
    if c.term_until is not None and c.term_until < on:
        return TERM_EXPIRED, _("Term ended on %(date)s") % {"date": _d(c.term_until)}
    expired = [d for d in c.certificate_expiries if d < on]
    if expired:
        return CERTIFICATE_EXPIRED, _("A certificate expired on %(date)s") % {"date": _d(min(expired))}

    mine = [r for r in c.relations if r.enterprise_uscc == t.enterprise_uscc and t.enterprise_uscc]
    employment = [r for r in mine if r.kind == EMPLOYMENT]
    if (t.enterprise_uscc and c.employer_uscc == t.enterprise_uscc) or any(
        r.end is None or r.end >= on for r in employment
    ):
        return EMPLOYMENT_CURRENT, _("Currently employed by the enterprise")
    employment_cutoff = years_before(on, rules.employment_lookback_years)
    recent = [r.end for r in employment if r.end >= employment_cutoff]
    if recent:
        return EMPLOYMENT_RECENT, _("Employed by the enterprise until %(end)s (within %(years)s years)") % {
            "end": _d(max(recent)),
            "years": rules.employment_lookback_years,
        }
    consulting_cutoff = years_before(on, rules.consulting_lookback_years)
    consulting = [r for r in mine if r.kind == CONSULTING and (r.end is None or r.end >= consulting_cutoff)]
    if consulting:
        if any(r.end is None or r.end >= on for r in consulting):
            return CONSULTING_RECENT, _("Currently consulting for the enterprise")
        return CONSULTING_RECENT, _("Consulted for the enterprise until %(end)s (within %(years)s years)") % {
            "end": _d(max(r.end for r in consulting)),
            "years": rules.consulting_lookback_years,
        }
    if any(r.kind == RELATIVE for r in mine):
        return RELATIVE_CONFLICT, _("A near relative is a principal or manager of the enterprise")
    if any(r.kind == OTHER for r in mine):
        return DECLARED_CONFLICT, _("Declared a conflict of interest with the enterprise")
    if rules.exclude_previous_reviewers and c.expert_id in t.previous_reviewer_ids:
        return PREVIOUS_REVIEWER, _("Sat on the enterprise's previous review")
    if rules.exclude_same_division and c.division_code and c.division_code == t.division_code:
        return SAME_DIVISION, _("Employer is in the enterprise's division")
    for start, end in c.unavailable:
        if start <= on <= end:
            return UNAVAILABLE, _("Unavailable from %(start)s to %(end)s") % {
                "start": _d(start),
                "end": _d(end),
            }
    if on in c.busy_dates:
        return BUSY, _("Already on another panel on %(date)s") % {"date": _d(on)}
    return None


def _soft_conflict(c: Candidate, t: Target, rules: DrawRules) -> tuple[str, str] | None:
    """Called for eligible candidates only (so any employment relation has ended before the look-back)."""
    if t.enterprise_uscc and any(
        r.kind == EMPLOYMENT and r.enterprise_uscc == t.enterprise_uscc for r in c.relations
    ):
        return EMPLOYMENT_PAST, _(
            "Employed by the enterprise more than %(years)s years ago: may not lead the panel"
        ) % {"years": rules.employment_lookback_years}
    if c.division_code and c.division_code == t.division_code:
        return SAME_DIVISION, _("Employer is in the enterprise's division: may not lead the panel")
    return None


# --------------------------------------------------------------------------- coverage search


def _bits(mask: int) -> int:
    return bin(mask).count("1")


def _min_cover(need: int, masks: Iterable[int], limit: int) -> int:
    """The fewest masks whose union contains ``need``, or ``limit + 1`` if more than ``limit`` are needed.

    Breadth-first over unions; the masks are few (at most 2**9 distinct, in practice dozens).
    """
    if need == 0:
        return 0
    useful = {m & need for m in masks} - {0}
    union = 0
    for m in useful:
        union |= m
    if union & need != need or limit <= 0:
        return limit + 1
    # Drop masks contained in another: they never shorten a cover.
    kept = [m for m in useful if not any(m != o and m & o == m for o in useful)]
    if need in kept:
        return 1
    frontier = {0}
    seen = {0}
    for depth in range(1, min(limit, _bits(need)) + 1):
        nxt = set()
        for s in frontier:
            for m in kept:
                u = s | m
                if u == need:
                    return depth
                if u not in seen:
                    seen.add(u)
                    nxt.add(u)
        frontier = nxt
    return limit + 1


def _select(ranked: list[Candidate], masks: dict[int, int], need: int, size: int) -> list[Candidate]:
    """The fairness-first ``size`` candidates whose masks together contain ``need`` (assumed feasible)."""
    remaining = Counter(masks[c.expert_id] & need for c in ranked)
    panel: list[Candidate] = []
    covered = 0
    left = len(ranked)
    for c in ranked:
        m = masks[c.expert_id] & need
        remaining[m] -= 1
        if not remaining[m]:
            del remaining[m]
        left -= 1
        slots = size - len(panel) - 1
        if left >= slots and _min_cover(need & ~(covered | m), remaining, slots) <= slots:
            panel.append(c)
            covered |= m
            if len(panel) == size:
                break
    return panel


# --------------------------------------------------------------------------- the draw


def draw(target: Target, candidates: Iterable[Candidate], rules: DrawRules, seed: int) -> DrawResult:
    """Draw a panel. Pure: the same inputs and seed always give the same result (and hash).

    The dataclasses normalise themselves, so this equals ``replay(canonical_inputs(...))``
    without the round trip through the dict (a property test checks they agree).
    """
    candidates = tuple(candidates)
    inputs = canonical_inputs(target, candidates, rules, seed)
    _check_algorithm(rules)
    return _execute(target, candidates, rules, seed, inputs_digest(inputs))


def replay(inputs: Mapping) -> DrawResult:
    """Recompute a draw from its stored canonical inputs (the dict ``canonical_inputs`` returned)."""
    target, candidates, rules, seed = parse_inputs(inputs)
    _check_algorithm(rules)
    return _execute(target, candidates, rules, seed, inputs_digest(inputs))


def _check_algorithm(rules: DrawRules) -> None:
    if rules.algorithm not in SUPPORTED_ALGORITHMS:
        raise ValueError(f"unsupported draw algorithm {rules.algorithm!r}")


def _leader_key(rating: Decimal | None, panels: int, rank: int) -> tuple:
    return (rating is None, -(rating or Decimal(0)), panels, rank)


def _execute(
    target: Target, candidates: tuple[Candidate, ...], rules: DrawRules, seed: int, digest: str
) -> DrawResult:
    size = rules.panel_size
    ordered = sorted(candidates, key=lambda c: c.expert_id)

    excluded: list[Exclusion] = []
    soft_conflicts: list[Exclusion] = []
    eligible: list[Candidate] = []
    for c in ordered:
        hit = _hard_conflict(c, target, rules)
        if hit:
            excluded.append(Exclusion(c.expert_id, *hit))
            continue
        eligible.append(c)
        soft = _soft_conflict(c, target, rules)
        if soft:
            soft_conflicts.append(Exclusion(c.expert_id, *soft))
    soft_ids = {e.expert_id for e in soft_conflicts}

    rng = random.Random(seed)
    keys = {c.expert_id: rng.getrandbits(64) for c in ordered}
    ranked = sorted(eligible, key=lambda c: (c.panels_in_window, keys[c.expert_id], c.expert_id))
    rank = {c.expert_id: i for i, c in enumerate(ranked)}

    # Requirements as bits.
    hard = [specialty_requirement(s.value) for s in CORE_SPECIALTIES]
    if target.industry:
        hard.append(industry_requirement(target.industry))
    hard.append(LEADER)
    wanted_skills: list[str] = []
    for tag, skill in RISK_TAG_SKILLS.items():
        if tag in target.risk_tags and skill and skill not in wanted_skills:
            wanted_skills.append(skill)
    soft = [skill_requirement(s) for s in wanted_skills]
    bit = {req: 1 << i for i, req in enumerate(hard + soft)}
    hard_mask = sum(bit[r] for r in hard)

    def covers(c: Candidate) -> frozenset[str]:
        got = {specialty_requirement(s) for s in c.specialties if specialty_requirement(s) in bit}
        if target.industry and target.industry in c.industries:
            got.add(industry_requirement(target.industry))
        if (
            c.can_lead
            and c.years_of_experience >= rules.leader_min_years
            and (c.rating is None or c.rating >= rules.leader_min_rating)
            and c.expert_id not in soft_ids
        ):
            got.add(LEADER)
        got.update(skill_requirement(s) for s in c.skills if skill_requirement(s) in bit)
        return frozenset(got)

    cover = {c.expert_id: covers(c) for c in eligible}
    masks = {i: sum(bit[r] for r in reqs) for i, reqs in cover.items()}

    def finish(ok, members=(), leader=None, reserves=(), unmet=(), failures=(), profiles=()) -> DrawResult:
        payload = _result_payload(ok, members, leader, reserves, excluded, soft_conflicts, unmet, failures)
        result_hash = hashlib.sha256(
            canonical_json({"algorithm": rules.algorithm, "inputs_digest": digest, "result": payload})
        ).hexdigest()
        return DrawResult(
            ok=ok,
            members=tuple(members),
            leader_id=leader,
            reserves=tuple(reserves),
            excluded=tuple(excluded),
            soft_conflicts=tuple(soft_conflicts),
            requirements=tuple(hard),
            soft_requirements=tuple(soft),
            unmet_soft=tuple(unmet),
            failures=tuple(failures),
            seed=seed,
            algorithm=rules.algorithm,
            inputs_digest=digest,
            result_hash=result_hash,
            profiles=tuple(profiles),
        )

    failures = _failures(eligible, masks, bit, hard, hard_mask, target, rules)
    if failures:
        return finish(False, failures=failures)

    # The largest achievable set of soft requirements (ties: RISK_TAG_SKILLS order).
    all_masks = set(masks.values())
    need = hard_mask
    for n in range(len(soft), 0, -1):
        found = next(
            (
                combo
                for combo in combinations(soft, n)
                if _min_cover(hard_mask | sum(bit[r] for r in combo), all_masks, size) <= size
            ),
            None,
        )
        if found:
            need = hard_mask | sum(bit[r] for r in found)
            break

    panel = _select(ranked, masks, need, size)
    assert len(panel) == size  # the feasibility checks above guarantee it
    members = [c.expert_id for c in panel]
    covered = 0
    for i in members:
        covered |= masks[i]
    unmet = [s for s, req in zip(wanted_skills, soft, strict=True) if not covered & bit[req]]

    leaders = [c for c in panel if LEADER in cover[c.expert_id]]
    leader = min(leaders, key=lambda c: _leader_key(c.rating, c.panels_in_window, rank[c.expert_id]))

    reserves = _reserves(ranked, members, masks, hard_mask, covered & ~hard_mask, rules.reserves)
    by_id = {c.expert_id: c for c in panel}
    by_id.update((c.expert_id, c) for c in ranked if c.expert_id in reserves)
    profiles = [
        Profile(i, rank[i], cover[i], by_id[i].rating, by_id[i].panels_in_window) for i in sorted(by_id)
    ]
    return finish(True, members, leader.expert_id, reserves, unmet, (), profiles)


def _failures(eligible, masks, bit, hard, hard_mask, target, rules) -> list[Failure]:
    size = rules.panel_size
    failures: list[Failure] = []
    if len(eligible) < size:
        failures.append(
            Failure(
                TOO_FEW,
                _("Only %(count)s eligible experts; a panel needs %(size)s")
                % {"count": len(eligible), "size": size},
            )
        )
    pool = 0
    for m in masks.values():
        pool |= m
    for req in hard:
        if pool & bit[req]:
            continue
        label = describe_requirement(req)
        if req.startswith("specialty:"):
            failures.append(
                Failure(
                    NO_SPECIALTY, _("No eligible expert covers %(specialty)s") % {"specialty": label}, (req,)
                )
            )
        elif req.startswith("industry:"):
            failures.append(
                Failure(
                    NO_INDUSTRY,
                    _("No eligible expert has the industry %(industry)s") % {"industry": label},
                    (req,),
                )
            )
        else:
            failures.append(
                Failure(
                    NO_LEADER,
                    _(
                        "No eligible expert meets the leader rule (may lead, at least %(years)s years of "
                        "experience, a rating of at least %(rating)s or none, no soft conflict)"
                    )
                    % {"years": rules.leader_min_years, "rating": rules.leader_min_rating},
                    (req,),
                )
            )
    if not failures and _min_cover(hard_mask, set(masks.values()), size) > size:
        failures.append(
            Failure(
                NO_COMBINATION,
                _("No panel of %(size)s eligible experts covers %(requirements)s together")
                % {"size": size, "requirements": "、".join(describe_requirement(r) for r in hard)},
                tuple(hard),
            )
        )
    return failures


def _reserves(
    ranked: list[Candidate],
    members: list[int],
    masks: dict[int, int],
    hard_mask: int,
    soft_mask: int,
    count: int,
) -> list[int]:
    """Reserves one by one: who can stand in for most not-yet-covered critical members; ties by rank."""

    def union(ids) -> int:
        u = 0
        for i in ids:
            u |= masks[i]
        return u

    # For each member, what the panel loses (hard, soft) if they leave.
    losses = {}
    for m in members:
        rest = union(x for x in members if x != m)
        losses[m] = (hard_mask & ~rest, soft_mask & ~rest)
    hard_open = {m for m, (h, _s) in losses.items() if h}
    soft_open = {m for m, (_h, s) in losses.items() if s}
    others = [c.expert_id for c in ranked if c.expert_id not in set(members)]
    chosen: list[int] = []
    for _n in range(count):
        best, best_gain = None, (-1, -1)
        for i in others:
            if i in chosen:
                continue
            mask = masks[i]
            gain = (
                sum(1 for m in hard_open if losses[m][0] & ~mask == 0),
                sum(1 for m in soft_open if losses[m][1] & ~mask == 0),
            )
            if gain > best_gain:
                best, best_gain = i, gain
        if best is None:
            break
        chosen.append(best)
        hard_open = {m for m in hard_open if losses[m][0] & ~masks[best]}
        soft_open = {m for m in soft_open if losses[m][1] & ~masks[best]}
    return chosen


def _result_payload(ok, members, leader, reserves, excluded, soft_conflicts, unmet, failures) -> dict:
    return {
        "ok": ok,
        "members": list(members),
        "leader": leader,
        "reserves": list(reserves),
        "excluded": [[e.expert_id, e.code] for e in excluded],
        "soft_conflicts": [[e.expert_id, e.code] for e in soft_conflicts],
        "unmet_soft": list(unmet),
        "failures": [[f.code, list(f.missing)] for f in failures],
    }


# --------------------------------------------------------------------------- replacement


def replace_member(
    result: DrawResult,
    leaving_id: int,
    *,
    members: Iterable[int] | None = None,
    reserves: Iterable[int] | None = None,
    leader_id: int | None = None,
) -> Replacement:
    """A member leaves (declines): bring in the first reserve that keeps the hard requirements.

    ``members``, ``reserves`` and ``leader_id`` give the current panel when earlier replacements
    changed it (default: the draw's own). If no reserve keeps every hard requirement, the one that
    keeps the most (then the most soft ones, then reserve order) comes in, and ``lost`` says what is
    missing. If the leader leaves, the leader is chosen again among the new members by the same rule.
    """
    current = tuple(members) if members is not None else result.members
    pool = tuple(reserves) if reserves is not None else result.reserves
    leader = result.leader_id if leader_id is None else leader_id
    if leaving_id not in current:
        raise ValueError(f"expert {leaving_id} is not a member of this panel")
    profiles = {p.expert_id: p for p in result.profiles}
    unknown = [i for i in (*current, *pool) if i not in profiles]
    if unknown:
        raise ValueError(f"experts {unknown} were not drawn in this result")

    hard = set(result.requirements)
    soft = set(result.soft_requirements)

    def met(ids) -> set[str]:
        got: set[str] = set()
        for i in ids:
            got |= profiles[i].covers
        return got

    soft_before = met(current) & soft
    staying = [i for i in current if i != leaving_id]
    incoming = None
    if pool:

        def score(item):
            index, candidate = item
            got = met([*staying, candidate])
            return (-len(hard & got), -len(soft_before & got), index)

        _index, incoming = min(enumerate(pool), key=score)
    if incoming is None:
        new_members = tuple(staying)
    else:
        new_members = tuple(incoming if i == leaving_id else i for i in current)
    new_reserves = tuple(i for i in pool if i != incoming)
    if leader not in new_members:
        leaders = [profiles[i] for i in new_members if profiles[i].may_lead]
        leader = None
        if leaders:
            leader = min(leaders, key=lambda p: _leader_key(p.rating, p.panels_in_window, p.rank)).expert_id
    got = met(new_members)
    lost = [r for r in result.requirements if r not in got]
    lost_soft = [r for r in result.soft_requirements if r in soft_before and r not in got]
    return Replacement(leaving_id, incoming, new_members, leader, new_reserves, tuple(lost), tuple(lost_soft))
