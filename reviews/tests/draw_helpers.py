"""Builders and an independent oracle for the panel-draw tests.

The oracle re-states the rules of reviews/draw.py from the issue text, without sharing its code,
so the property tests compare two readings of the same rules.
"""

from datetime import date
from decimal import Decimal

from reviews.draw import Candidate, DrawRules, Relation, Target

REVIEW_DAY = date(2025, 6, 10)
USCC = "91210800MA0TEST001"
OTHER_USCC = "91210800MA0OTHER02"
DIVISION = "210802"
OTHER_DIVISION = "210804"
CORE = ("safety_management", "process_technology", "equipment_facilities")
SKILL_FOR_TAG = {
    "dust_explosion": "dust_explosion",
    "ammonia_refrigeration": "ammonia_refrigeration",
    "confined_space": "confined_space",
    "metal_smelting": "metallurgical_gas",
}


def target(**overrides) -> Target:
    values = {
        "application_id": 7,
        "application_number": "YK-2025-0007",
        "enterprise_uscc": USCC,
        "enterprise_name": "营口测试钢铁有限公司",
        "division_code": DIVISION,
        "industry": "metallurgy",
        "risk_tags": (),
        "review_date": REVIEW_DAY,
        "previous_reviewer_ids": (),
    }
    values.update(overrides)
    return Target(**values)


def expert(expert_id: int, **overrides) -> Candidate:
    """An eligible all-rounder who may lead, unless overridden."""
    values = {
        "expert_id": expert_id,
        "name": f"专家{expert_id}",
        "specialties": CORE,
        "industries": ("metallurgy",),
        "division_code": OTHER_DIVISION,
        "can_lead": True,
        "years_of_experience": 15,
        "rating": Decimal("90"),
    }
    values.update(overrides)
    return Candidate(**values)


def plain(expert_id: int, **overrides) -> Candidate:
    """An eligible expert who covers nothing and may not lead, unless overridden."""
    values = {"specialties": (), "industries": (), "can_lead": False, "rating": None}
    values.update(overrides)
    return expert(expert_id, **values)


def years_ago(years: int, day: date = REVIEW_DAY) -> date:
    return day.replace(year=day.year - years)


# ----------------------------------------------------------------------------- oracle


def hard_ok(c: Candidate, t: Target, rules: DrawRules) -> bool:
    on = t.review_date
    if c.status != "active":
        return False
    if c.term_until and c.term_until < on:
        return False
    if any(d < on for d in c.certificate_expiries):
        return False
    if c.employer_uscc == t.enterprise_uscc:
        return False
    for r in c.relations:
        if r.enterprise_uscc != t.enterprise_uscc:
            continue
        if r.kind in ("relative", "other"):
            return False
        if r.kind == "employment" and (
            r.end is None or r.end >= years_ago(rules.employment_lookback_years, on)
        ):
            return False
        if r.kind == "consulting" and (
            r.end is None or r.end >= years_ago(rules.consulting_lookback_years, on)
        ):
            return False
    if rules.exclude_previous_reviewers and c.expert_id in t.previous_reviewer_ids:
        return False
    if rules.exclude_same_division and c.division_code and c.division_code == t.division_code:
        return False
    if any(start <= on <= end for start, end in c.unavailable):
        return False
    return on not in c.busy_dates


def may_lead(c: Candidate, t: Target, rules: DrawRules) -> bool:
    soft = (
        bool(c.division_code)
        and c.division_code == t.division_code
        or any(r.kind == "employment" and r.enterprise_uscc == t.enterprise_uscc for r in c.relations)
    )
    rating_ok = c.rating is None or c.rating >= rules.leader_min_rating
    return c.can_lead and c.years_of_experience >= rules.leader_min_years and rating_ok and not soft


def hard_met(panel: list[Candidate], t: Target, rules: DrawRules) -> bool:
    specialties = {s for c in panel for s in c.specialties}
    industry_ok = not t.industry or any(t.industry in c.industries for c in panel)
    return set(CORE) <= specialties and industry_ok and any(may_lead(c, t, rules) for c in panel)


def wanted_skills(t: Target) -> set[str]:
    return {SKILL_FOR_TAG[tag] for tag in t.risk_tags if tag in SKILL_FOR_TAG}


def soft_met(panel: list[Candidate], t: Target) -> set[str]:
    return wanted_skills(t) & {s for c in panel for s in c.skills}


def relation(kind: str, end: date | None = None, uscc: str = USCC, start: date | None = None) -> Relation:
    return Relation(kind, uscc, start, end)
