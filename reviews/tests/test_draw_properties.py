"""Hypothesis properties of the panel draw, checked against the independent oracle in draw_helpers."""

import json
from datetime import timedelta
from decimal import Decimal
from itertools import combinations

from hypothesis import event, given, settings
from hypothesis import strategies as st

from reviews import draw as d
from reviews.draw import Candidate, DrawRules, Relation
from reviews.tests.draw_helpers import (
    CORE,
    DIVISION,
    OTHER_DIVISION,
    OTHER_USCC,
    REVIEW_DAY,
    USCC,
    hard_met,
    hard_ok,
    may_lead,
    soft_met,
    target,
    wanted_skills,
)

SPECIALTIES = (*CORE, "electrical")
INDUSTRIES = ("metallurgy", "machinery")
SKILLS = ("dust_explosion", "metallurgical_gas", "confined_space")
TAGS = ("dust_explosion", "metal_smelting", "confined_space", "hazardous_chemicals")
# Days around the review date and the 3-year look-back edges.
OFFSETS = (-2000, -1462, -1097, -1096, -1095, -1094, -800, -30, -1, 0, 1, 30)
days = st.sampled_from(OFFSETS).map(lambda n: REVIEW_DAY + timedelta(days=n))

relations = st.builds(
    Relation,
    kind=st.sampled_from(("employment", "consulting", "relative", "other")),
    enterprise_uscc=st.sampled_from((USCC, OTHER_USCC)),
    start=st.none(),
    end=st.none() | days,
)


# Few draws per candidate keep generation fast: each attribute comes from a short list of shapes.
SPECIALTY_SETS = [(s,) for s in SPECIALTIES] + [p for p in combinations(SPECIALTIES, 2)] + [CORE]
INDUSTRY_SETS = [("metallurgy",), ("machinery",), INDUSTRIES, ()]
SKILL_SETS = [
    (),
    (),
    ("dust_explosion",),
    ("metallurgical_gas",),
    ("confined_space",),
    ("dust_explosion", "confined_space"),
]
# (can_lead, years_of_experience, rating)
LEADER_SHAPES = [
    (False, 8, None),
    (False, 15, Decimal(95)),
    (True, 12, Decimal(90)),
    (True, 12, Decimal(80)),
    (True, 12, None),
    (True, 6, Decimal(85)),
    (True, 15, Decimal(72)),
]


@st.composite
def candidates(draw, expert_id: int) -> Candidate:
    can_lead, years, rating = draw(st.sampled_from(LEADER_SHAPES))
    values = {
        "expert_id": expert_id,
        "name": "E",
        "specialties": draw(st.sampled_from(SPECIALTY_SETS)),
        "industries": draw(st.sampled_from(INDUSTRY_SETS)),
        "skills": draw(st.sampled_from(SKILL_SETS)),
        "division_code": draw(
            st.sampled_from((DIVISION, OTHER_DIVISION, OTHER_DIVISION, OTHER_DIVISION, ""))
        ),
        "can_lead": can_lead,
        "years_of_experience": years,
        "rating": rating,
        "panels_in_window": draw(st.integers(0, 3)),
    }
    trouble = draw(st.integers(0, 11))  # 0-3: may break a hard constraint; 4: a soft conflict
    if trouble == 0:
        values["status"] = draw(st.sampled_from(("active", "suspended", "exited")))
        values["employer_uscc"] = draw(st.sampled_from(("", OTHER_USCC, USCC)))
        values["term_until"] = draw(st.none() | days)
    elif trouble == 1:
        values["relations"] = tuple(draw(st.lists(relations, max_size=2)))
    elif trouble == 2:
        values["unavailable"] = ((draw(days), draw(days)),)
        values["busy_dates"] = (draw(days),)
    elif trouble == 3:
        values["certificate_expiries"] = tuple(draw(st.lists(days, max_size=2)))
    elif trouble == 4:
        values["relations"] = (Relation("employment", USCC, None, REVIEW_DAY - timedelta(days=2000)),)
    return Candidate(**values)


@st.composite
def scenarios(draw, max_pool: int, sizes: tuple[int, int]):
    ids = draw(st.lists(st.integers(1, 500), unique=True, min_size=sizes[0], max_size=max_pool))
    pool = [draw(candidates(i)) for i in ids]
    rules = DrawRules(
        panel_size=draw(st.integers(*sizes)),
        reserves=draw(st.integers(0, 3)),
        employment_lookback_years=draw(st.sampled_from((1, 3, 4))),
        consulting_lookback_years=draw(st.sampled_from((1, 3, 4))),
        exclude_previous_reviewers=draw(st.booleans()),
        exclude_same_division=draw(st.booleans()),
        leader_min_rating=Decimal(draw(st.sampled_from((70, 80, 90)))),
        leader_min_years=draw(st.sampled_from((5, 10))),
    )
    goal = target(
        industry=draw(st.sampled_from((*INDUSTRIES, ""))),
        risk_tags=tuple(draw(st.sets(st.sampled_from(TAGS), max_size=3))),
        previous_reviewer_ids=tuple(draw(st.sets(st.sampled_from(ids), max_size=2))) if ids else (),
    )
    seed = draw(st.integers(0, 2**63 - 1))
    return goal, pool, rules, seed


def by_id(pool):
    return {c.expert_id: c for c in pool}


@settings(max_examples=250, deadline=None)
@given(scenarios(max_pool=25, sizes=(2, 5)))
def test_no_returned_panel_ever_breaks_a_hard_constraint(scenario):
    goal, pool, rules, seed = scenario
    result = d.draw(goal, pool, rules, seed)
    people = by_id(pool)
    eligible = [c for c in pool if hard_ok(c, goal, rules)]
    event("ok" if result.ok else "failed")

    # Every filtered candidate is listed exactly once, in id order, with a known code.
    excluded_ids = [e.expert_id for e in result.excluded]
    assert excluded_ids == sorted(c.expert_id for c in pool if not hard_ok(c, goal, rules))
    assert all(e.code in d.EXCLUSION_CODES and e.reason for e in result.excluded)

    if not result.ok:
        assert result.members == () and result.leader_id is None and result.failures
        return
    panel = [people[i] for i in result.members]
    assert len(panel) == rules.panel_size == len(set(result.members))
    assert all(hard_ok(c, goal, rules) for c in panel)
    assert hard_met(panel, goal, rules)
    assert result.leader_id in result.members and may_lead(people[result.leader_id], goal, rules)
    # Reserves: eligible, not members, as many as asked while the pool lasts.
    assert not set(result.reserves) & set(result.members) and len(set(result.reserves)) == len(
        result.reserves
    )
    assert all(hard_ok(people[i], goal, rules) for i in result.reserves)
    assert len(result.reserves) == min(rules.reserves, len(eligible) - rules.panel_size)
    # Unmet special risks are reported, not hidden.
    assert set(result.unmet_soft) == wanted_skills(goal) - soft_met(panel, goal)


@settings(max_examples=100, deadline=None)
@given(scenarios(max_pool=25, sizes=(3, 5)), st.randoms(use_true_random=False))
def test_same_seed_same_panel_whatever_the_input_order(scenario, rnd):
    goal, pool, rules, seed = scenario
    shuffled = list(pool)
    rnd.shuffle(shuffled)
    first = d.draw(goal, pool, rules, seed)
    assert d.draw(goal, shuffled, rules, seed) == first
    stored = json.loads(json.dumps(d.canonical_inputs(goal, shuffled, rules, seed)))
    assert d.replay(stored) == first


@settings(max_examples=400, deadline=None)
@given(scenarios(max_pool=8, sizes=(2, 4)))
def test_coverage_holds_whenever_a_brute_force_search_finds_it_feasible(scenario):
    goal, pool, rules, seed = scenario
    result = d.draw(goal, pool, rules, seed)
    eligible = [c for c in pool if hard_ok(c, goal, rules)]
    valid = [list(p) for p in combinations(eligible, rules.panel_size) if hard_met(list(p), goal, rules)]
    event("feasible" if valid else "infeasible: " + ",".join(f.code for f in result.failures))
    assert result.ok == bool(valid)
    if valid:
        panel = [by_id(pool)[i] for i in result.members]
        best = max(len(soft_met(p, goal)) for p in valid)
        assert len(soft_met(panel, goal)) == best  # as many special risks as any valid panel covers
        return
    # The failure names what is missing.
    codes = [f.code for f in result.failures]
    assert (len(eligible) < rules.panel_size) == ("too_few_experts" in codes)
    present = {s for c in eligible for s in c.specialties}
    missing = [f.missing[0] for f in result.failures if f.code == "no_specialty"]
    assert missing == ["specialty:" + s for s in CORE if s not in present]
    industry_missing = bool(goal.industry) and not any(goal.industry in c.industries for c in eligible)
    assert industry_missing == ("no_industry" in codes)
    assert (not any(may_lead(c, goal, rules) for c in eligible)) == ("no_leader" in codes)


@settings(max_examples=250, deadline=None)
@given(scenarios(max_pool=14, sizes=(2, 5)))
def test_no_less_used_expert_could_take_a_members_seat_without_losing_coverage(scenario):
    goal, pool, rules, seed = scenario
    result = d.draw(goal, pool, rules, seed)
    if not result.ok:
        return
    people = by_id(pool)
    panel = [people[i] for i in result.members]
    achieved = soft_met(panel, goal)
    outside = [c for c in pool if hard_ok(c, goal, rules) and c.expert_id not in result.members]
    for member in panel:
        for other in outside:
            if other.panels_in_window >= member.panels_in_window:
                continue
            swapped = [other if c is member else c for c in panel]
            assert not (hard_met(swapped, goal, rules) and achieved <= soft_met(swapped, goal))


@settings(max_examples=100, deadline=None)
@given(scenarios(max_pool=16, sizes=(3, 5)), st.data())
def test_a_replacement_keeps_coverage_whenever_some_reserve_could(scenario, data):
    goal, pool, rules, seed = scenario
    result = d.draw(goal, pool, rules, seed)
    if not result.ok:
        return
    people = by_id(pool)
    leaving = data.draw(st.sampled_from(result.members))
    swap = d.replace_member(result, leaving)
    kept = [people[i] for i in result.members if i != leaving]
    if result.reserves:
        could = any(hard_met([*kept, people[r]], goal, rules) for r in result.reserves)
    else:
        could = hard_met(kept, goal, rules)
    assert swap.coverage_kept == could
    assert leaving not in swap.members and swap.leader_id in (*swap.members, None)
    if swap.leader_id is not None:
        assert may_lead(people[swap.leader_id], goal, rules)
