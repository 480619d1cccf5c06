"""Examples of the pure panel draw (reviews/draw.py): exclusions, coverage, leader, reserves, replay."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext

from reviews import draw as d
from reviews.draw import Candidate, DrawRules, canonical_inputs, describe_requirement, replace_member, replay
from reviews.tests.draw_helpers import (
    DIVISION,
    OTHER_USCC,
    REVIEW_DAY,
    USCC,
    expert,
    plain,
    relation,
    target,
    years_ago,
)

RULES = DrawRules()
DAY = timedelta(days=1)


def run(candidates, rules=RULES, seed=1, **target_overrides):
    return d.draw(target(**target_overrides), candidates, rules, seed)


def pool(n: int, start: int = 1, **overrides) -> list[Candidate]:
    return [expert(i, **overrides) for i in range(start, start + n)]


def codes(result) -> dict[int, str]:
    return {e.expert_id: e.code for e in result.excluded}


# ----------------------------------------------------------------------------- the basic draw


def test_a_full_pool_gives_five_members_a_leader_and_two_reserves():
    result = run(pool(10))
    assert result.ok and result.failure is None
    assert len(result.members) == 5 and len(set(result.members)) == 5
    assert result.leader_id in result.members
    assert len(result.reserves) == 2 and not set(result.reserves) & set(result.members)
    assert result.excluded == () and result.unmet_soft == ()
    assert len(result.result_hash) == 64 and len(result.inputs_digest) == 64


def test_panel_size_and_reserve_count_are_parameters():
    result = run(pool(10), DrawRules(panel_size=3, reserves=4))
    assert len(result.members) == 3 and len(result.reserves) == 4


def test_fewer_reserves_when_the_pool_runs_out():
    result = run(pool(6))
    assert result.ok and len(result.reserves) == 1
    assert run(pool(5)).reserves == ()


def test_experts_with_fewer_panels_come_first():
    candidates = [expert(i, panels_in_window=i) for i in range(10)]
    result = run(candidates)
    assert sorted(result.members) == [0, 1, 2, 3, 4]
    assert list(result.members) == [0, 1, 2, 3, 4]  # members are listed in fairness order
    assert result.reserves == (5, 6)


def test_same_seed_same_panel_whatever_the_input_order():
    candidates = pool(30)
    a = run(candidates, seed=99)
    b = run(list(reversed(candidates)), seed=99)
    assert a == b and a.result_hash == b.result_hash


def test_different_seeds_give_different_panels():
    candidates = pool(30)
    panels = {run(candidates, seed=seed).members for seed in range(10)}
    assert len(panels) > 1


def test_seed_must_be_an_int():
    with pytest.raises(TypeError):
        run(pool(5), seed="abc")
    with pytest.raises(TypeError):
        run(pool(5), seed=True)


def test_duplicate_expert_ids_are_refused():
    with pytest.raises(ValueError):
        run([expert(1), expert(1), *pool(5, start=2)])


@pytest.mark.parametrize(
    "overrides",
    [{"panel_size": 0}, {"reserves": -1}, {"employment_lookback_years": -1}, {"leader_min_years": -2}],
)
def test_rules_are_validated(overrides):
    with pytest.raises(ValueError):
        DrawRules(**overrides)


def test_rules_coerce_the_rating_threshold_to_decimal():
    assert DrawRules(leader_min_rating=85).leader_min_rating == Decimal("85")


# ----------------------------------------------------------------------------- exclusions

EXCLUSION_CASES = [
    ("status", {"status": "suspended"}, {}, None),
    ("status", {"status": "exited"}, {}, None),
    ("term_expired", {"term_until": REVIEW_DAY - DAY}, {}, None),
    ("certificate_expired", {"certificate_expiries": (REVIEW_DAY + DAY * 300, REVIEW_DAY - DAY)}, {}, None),
    ("employment_current", {"employer_uscc": USCC.lower()}, {}, None),
    ("employment_current", {"relations": (relation("employment", end=None),)}, {}, None),
    ("employment_current", {"relations": (relation("employment", end=REVIEW_DAY + DAY),)}, {}, None),
    ("employment_recent", {"relations": (relation("employment", end=years_ago(2)),)}, {}, None),
    ("employment_recent", {"relations": (relation("employment", end=years_ago(3)),)}, {}, None),
    (
        "employment_recent",
        {"relations": (relation("employment", end=years_ago(4)),)},
        {},
        DrawRules(employment_lookback_years=5),
    ),
    ("consulting", {"relations": (relation("consulting", end=None),)}, {}, None),
    ("consulting", {"relations": (relation("consulting", end=years_ago(2)),)}, {}, None),
    ("relative", {"relations": (relation("relative", end=years_ago(20)),)}, {}, None),
    ("declared_conflict", {"relations": (relation("other"),)}, {}, None),
    ("previous_reviewer", {}, {"previous_reviewer_ids": (100,)}, None),
    ("same_division", {"division_code": DIVISION}, {}, DrawRules(exclude_same_division=True)),
    ("unavailable", {"unavailable": ((REVIEW_DAY - DAY, REVIEW_DAY + DAY),)}, {}, None),
    ("unavailable", {"unavailable": ((REVIEW_DAY, REVIEW_DAY),)}, {}, None),
    ("busy", {"busy_dates": (REVIEW_DAY,)}, {}, None),
]


@pytest.mark.parametrize(("code", "overrides", "target_overrides", "rules"), EXCLUSION_CASES)
def test_each_hard_constraint_excludes_with_its_code(code, overrides, target_overrides, rules):
    subject = expert(100, panels_in_window=0, **overrides)
    others = pool(6, panels_in_window=5)  # the subject would be drawn first if eligible
    result = run([subject, *others], rules or RULES, **target_overrides)
    assert result.ok
    assert [e for e in result.excluded if e.expert_id == 100] == [result.excluded[0]]
    assert result.excluded[0].code == code and result.excluded[0].reason
    assert len(result.excluded) == 1
    assert 100 not in result.members and 100 not in result.reserves


KEPT_CASES = [
    ({"term_until": REVIEW_DAY}, {}, None),
    ({"certificate_expiries": (REVIEW_DAY,)}, {}, None),
    ({"relations": (relation("employment", end=years_ago(3) - DAY),)}, {}, None),
    ({"relations": (relation("consulting", end=years_ago(3) - DAY),)}, {}, None),
    (
        {
            "relations": (
                relation("relative", uscc=OTHER_USCC),
                relation("other", uscc=OTHER_USCC),
                relation("employment", uscc=OTHER_USCC),
            )
        },
        {},
        None,
    ),
    ({}, {"previous_reviewer_ids": (100,)}, DrawRules(exclude_previous_reviewers=False)),
    ({"division_code": DIVISION}, {}, None),
    (
        {"unavailable": ((REVIEW_DAY + DAY, REVIEW_DAY + DAY * 5), (date(2025, 1, 1), REVIEW_DAY - DAY))},
        {},
        None,
    ),
    ({"busy_dates": (REVIEW_DAY - DAY, REVIEW_DAY + DAY)}, {}, None),
]


@pytest.mark.parametrize(("overrides", "target_overrides", "rules"), KEPT_CASES)
def test_the_edges_of_each_constraint_keep_the_expert(overrides, target_overrides, rules):
    subject = expert(100, panels_in_window=0, **overrides)
    result = run([subject, *pool(6, panels_in_window=5)], rules or RULES, **target_overrides)
    assert result.excluded == ()
    assert 100 in result.members


def test_exclusion_reasons_carry_the_dates_and_the_look_back():
    end = years_ago(2)
    result = run([expert(100, relations=(relation("employment", end=end),)), *pool(5)])
    expected = gettext("Employed by the enterprise until %(end)s (within %(years)s years)") % {
        "end": end.isoformat(),
        "years": 3,
    }
    assert result.excluded[0].reason == expected
    result = run([expert(100, busy_dates=(REVIEW_DAY,)), *pool(5)])
    assert result.excluded[0].reason == gettext("Already on another panel on %(date)s") % {
        "date": REVIEW_DAY.isoformat()
    }


def test_every_filtered_candidate_is_listed_once_in_id_order_with_the_first_rule_it_breaks():
    candidates = [
        expert(9, status="suspended", busy_dates=(REVIEW_DAY,)),  # status is checked before busy
        expert(3, busy_dates=(REVIEW_DAY,), relations=(relation("consulting"),)),  # conflict before busy
        expert(5, relations=(relation("relative"), relation("employment", end=years_ago(1)))),
        *pool(5, start=20),
    ]
    result = run(candidates)
    assert [(e.expert_id, e.code) for e in result.excluded] == [
        (3, "consulting"),
        (5, "employment_recent"),
        (9, "status"),
    ]


def test_past_employment_and_same_division_are_soft_conflicts_that_bar_leading():
    candidates = [
        expert(1, rating=Decimal("99"), relations=(relation("employment", end=years_ago(5)),)),
        expert(2, rating=Decimal("98"), division_code=DIVISION),
        expert(3, rating=Decimal("85")),
        *pool(2, start=4, can_lead=False),
    ]
    result = run(candidates)
    assert result.ok and set(result.members) == {1, 2, 3, 4, 5}
    assert [(e.expert_id, e.code) for e in result.soft_conflicts] == [
        (1, "employment_past"),
        (2, "same_division"),
    ]
    assert result.leader_id == 3


# ----------------------------------------------------------------------------- coverage and failures


def test_coverage_beats_fairness():
    # The five least-used experts lack 设备设施 and the industry; the draw reaches further down.
    weak = [
        expert(i, specialties=("safety_management", "process_technology"), industries=()) for i in range(1, 8)
    ]
    equipment = expert(
        50, specialties=("equipment_facilities",), industries=(), can_lead=False, panels_in_window=9
    )
    industry = plain(60, industries=("metallurgy",), panels_in_window=9)
    result = run([*weak, equipment, industry])
    assert result.ok
    assert {50, 60} <= set(result.members)
    assert len(set(result.members) & {1, 2, 3, 4, 5, 6, 7}) == 3


def test_a_leader_is_drawn_even_when_the_least_used_experts_may_not_lead():
    candidates = [*pool(6, can_lead=False), expert(70, panels_in_window=20)]
    result = run(candidates)
    assert 70 in result.members and result.leader_id == 70


def test_too_few_eligible_experts():
    result = run([*pool(3), expert(9, status="exited")])
    assert not result.ok and result.members == () and result.leader_id is None and result.reserves == ()
    assert result.failure.code == "too_few_experts"
    assert result.failure.reason == gettext("Only %(count)s eligible experts; a panel needs %(size)s") % {
        "count": 3,
        "size": 5,
    }
    assert [(e.expert_id, e.code) for e in result.excluded] == [(9, "status")]


def test_a_missing_specialty_is_named():
    result = run(pool(8, specialties=("safety_management", "process_technology")))
    assert not result.ok
    assert [(f.code, f.missing) for f in result.failures] == [
        ("no_specialty", ("specialty:equipment_facilities",))
    ]
    label = describe_requirement("specialty:equipment_facilities")
    assert result.failure.reason == gettext("No eligible expert covers %(specialty)s") % {"specialty": label}


def test_a_missing_industry_is_named():
    result = run(pool(8, industries=("machinery",)), industry="nonferrous")
    assert [f.code for f in result.failures] == ["no_industry"]
    label = describe_requirement("industry:nonferrous")
    assert result.failure.reason == gettext("No eligible expert has the industry %(industry)s") % {
        "industry": label
    }


def test_every_unmet_constraint_is_listed():
    candidates = [*pool(2, specialties=("safety_management",), can_lead=False)]
    result = run(candidates, industry="textiles")
    assert [f.code for f in result.failures] == [
        "too_few_experts",
        "no_specialty",
        "no_specialty",
        "no_industry",
        "no_leader",
    ]


def test_no_leader_when_nobody_meets_the_leader_rule():
    candidates = [
        *pool(3, can_lead=False),
        expert(10, years_of_experience=9),
        expert(11, rating=Decimal("79.99")),
        expert(12, division_code=DIVISION),
    ]
    result = run(candidates)
    assert [f.code for f in result.failures] == ["no_leader"]
    assert result.failure.missing == ("leader",)


def test_requirements_that_cannot_be_met_together():
    singles = [
        expert(1, specialties=("safety_management",), industries=()),
        expert(2, specialties=("process_technology",), industries=(), can_lead=False),
        expert(3, specialties=("equipment_facilities",), can_lead=False),
        expert(4, specialties=(), can_lead=False),
    ]
    result = run(singles, DrawRules(panel_size=2))
    assert [f.code for f in result.failures] == ["no_combination"]
    assert not result.ok
    assert run(singles, DrawRules(panel_size=3)).ok


def test_the_industry_requirement_is_skipped_when_the_target_has_none():
    result = run(pool(6, industries=()), industry="")
    assert result.ok and "industry:" not in " ".join(result.requirements)


# ----------------------------------------------------------------------------- special risks (soft)


def test_risk_tags_pull_in_matching_skills():
    candidates = [*pool(8), expert(40, skills=("dust_explosion",), panels_in_window=9)]
    result = run(candidates, risk_tags=("dust_explosion",))
    assert 40 in result.members and result.unmet_soft == ()
    assert result.soft_requirements == ("skill:dust_explosion",)


def test_unmet_special_risks_are_reported_not_hidden():
    result = run(pool(8), risk_tags=("dust_explosion", "metal_smelting"))
    assert result.ok and result.unmet_soft == ("dust_explosion", "metallurgical_gas")


def test_hazardous_chemicals_and_unknown_tags_ask_for_nothing():
    result = run(pool(8), risk_tags=("hazardous_chemicals", "made_up"))
    assert result.ok and result.soft_requirements == () and result.unmet_soft == ()


def test_soft_coverage_never_costs_hard_coverage():
    # The only dust expert lacks every hard requirement, and the panel has just 3 seats:
    # the three single-specialty experts must sit.
    candidates = [
        expert(1, specialties=("safety_management",)),
        expert(2, specialties=("process_technology",), can_lead=False),
        expert(3, specialties=("equipment_facilities",), can_lead=False),
        plain(4, skills=("dust_explosion",)),
    ]
    result = run(candidates, DrawRules(panel_size=3), risk_tags=("dust_explosion",))
    assert result.ok and set(result.members) == {1, 2, 3}
    assert result.unmet_soft == ("dust_explosion",)


def test_as_many_special_risks_as_possible_are_covered():
    candidates = [
        *pool(4, panels_in_window=0),
        plain(30, skills=("dust_explosion",), panels_in_window=5),
        plain(31, skills=("confined_space", "ammonia_refrigeration"), panels_in_window=6),
    ]
    # Two seats: one all-rounder (hard coverage) and one specialist; 31 covers two risks, 30 only one.
    tags = ("dust_explosion", "confined_space", "ammonia_refrigeration")
    result = run(candidates, DrawRules(panel_size=2), risk_tags=tags)
    assert 31 in result.members and 30 not in result.members and result.unmet_soft == ("dust_explosion",)


# ----------------------------------------------------------------------------- leader


def leader_of(candidates, rules=RULES):
    result = run(candidates, rules)
    assert result.ok and len(result.members) == len(candidates)
    return result.leader_id


def test_the_best_rated_qualifying_member_leads():
    candidates = [
        expert(1, rating=Decimal("85")),
        expert(2, rating=Decimal("95")),
        *pool(3, start=3, can_lead=False),
    ]
    assert leader_of(candidates) == 2


def test_ties_in_rating_go_to_fewer_panels():
    candidates = [
        expert(1, rating=Decimal("90"), panels_in_window=1),
        expert(2, rating=Decimal("90"), panels_in_window=0),
        *pool(3, start=3, can_lead=False),
    ]
    assert leader_of(candidates) == 2


def test_an_unrated_expert_leads_only_when_no_rated_member_qualifies():
    candidates = [expert(1, rating=None), expert(2, rating=Decimal("81")), *pool(3, start=3, can_lead=False)]
    assert leader_of(candidates) == 2
    candidates = [expert(1, rating=None), expert(2, rating=Decimal("79")), *pool(3, start=3, can_lead=False)]
    assert leader_of(candidates) == 1


def test_experience_rating_and_may_lead_are_required():
    candidates = [
        expert(1, years_of_experience=9, rating=Decimal("99")),
        expert(2, can_lead=False, rating=Decimal("99")),
        expert(3, rating=Decimal("79")),
        expert(4, rating=Decimal("80")),
        expert(5, can_lead=False),
    ]
    assert leader_of(candidates) == 4
    assert leader_of(candidates, DrawRules(leader_min_years=9)) == 1
    assert not run(candidates, DrawRules(leader_min_rating=Decimal("81"))).ok


# ----------------------------------------------------------------------------- reserves and replacement


def test_reserves_keep_coverage_if_substituted():
    # Only member 50 has 设备设施; the best reserve is the other 设备设施 expert, not the next in line.
    candidates = [
        *pool(8, specialties=("safety_management", "process_technology")),
        expert(50, specialties=("equipment_facilities",), panels_in_window=3),
        expert(51, specialties=("equipment_facilities",), panels_in_window=4),
    ]
    result = run(candidates)
    assert 50 in result.members
    assert result.reserves[0] == 51


def test_a_declining_member_is_replaced_by_a_reserve_that_keeps_coverage():
    candidates = [
        *pool(8, specialties=("safety_management", "process_technology")),
        expert(50, specialties=("equipment_facilities",), panels_in_window=3),
        expert(51, specialties=("equipment_facilities",), panels_in_window=4),
    ]
    result = run(candidates)
    swap = replace_member(result, 50)
    assert swap.incoming_id == 51 and swap.coverage_kept and swap.lost == ()
    assert swap.members == tuple(51 if i == 50 else i for i in result.members)
    assert 51 not in swap.reserves and len(swap.reserves) == 1
    if result.leader_id != 50:
        assert swap.leader_id == result.leader_id


def test_when_the_leader_declines_a_new_leader_is_chosen():
    result = run(pool(7))
    swap = replace_member(result, result.leader_id)
    assert swap.leader_id in swap.members and swap.leader_id != result.leader_id


def test_replacement_reports_what_is_lost_when_no_reserve_keeps_it():
    candidates = [
        *pool(8, specialties=("safety_management", "process_technology")),
        expert(50, specialties=("equipment_facilities",), panels_in_window=3),
    ]
    result = run(candidates)
    swap = replace_member(result, 50)
    assert swap.incoming_id == result.reserves[0]
    assert swap.lost == ("specialty:equipment_facilities",) and not swap.coverage_kept


def test_replacements_chain_and_run_out():
    result = run(pool(6))
    first = replace_member(result, result.members[0])
    assert first.incoming_id == result.reserves[0] and first.reserves == ()
    second = replace_member(
        result, first.members[1], members=first.members, reserves=first.reserves, leader_id=first.leader_id
    )
    assert second.incoming_id is None and len(second.members) == 4 and second.lost == ()


def test_replacing_a_non_member_is_refused():
    result = run(pool(7))
    with pytest.raises(ValueError):
        replace_member(result, result.reserves[0])


# ----------------------------------------------------------------------------- replay and hash


def test_canonical_inputs_survive_json_and_replay_to_the_same_result():
    candidates = [
        *pool(12),
        expert(
            90,
            relations=(relation("employment", end=years_ago(6)), relation("consulting", end=years_ago(8))),
            unavailable=((date(2025, 7, 1), date(2025, 7, 3)),),
            busy_dates=(date(2025, 6, 11),),
            certificate_expiries=(date(2027, 1, 1),),
            term_until=date(2028, 12, 31),
            rating=Decimal("88.50"),
            skills=("dust_explosion",),
        ),
        expert(91, status="suspended"),
    ]
    result = run(candidates, risk_tags=("dust_explosion", "hazardous_chemicals"))
    stored = json.loads(
        json.dumps(
            canonical_inputs(
                target(risk_tags=("dust_explosion", "hazardous_chemicals")), candidates, RULES, 1
            )
        )
    )
    again = replay(stored)
    assert again == result and again.result_hash == result.result_hash
    assert d.canonical_inputs(*d.parse_inputs(stored)) == stored


def test_a_tampered_input_changes_the_hash():
    candidates = pool(10)
    stored = canonical_inputs(target(), candidates, RULES, 5)
    original = replay(stored)
    for tamper in (
        lambda s: s.update(seed=6),
        lambda s: s["candidates"][0].update(panels_in_window=3),
        lambda s: s["target"].update(previous_reviewer_ids=[99]),
        lambda s: s["rules"].update(leader_min_rating="81"),
        lambda s: s["candidates"].pop(),
    ):
        copy = json.loads(json.dumps(stored))
        tamper(copy)
        assert replay(copy).result_hash != original.result_hash
        assert replay(copy).inputs_digest != original.inputs_digest


def test_the_hash_does_not_depend_on_the_language():
    candidates = [*pool(7), expert(20, status="suspended")]
    with translation.override("en"):
        english = run(candidates)
    with translation.override("zh-hans"):
        chinese = run(candidates)
    assert english.result_hash == chinese.result_hash


def test_unknown_algorithms_and_malformed_inputs_are_refused():
    stored = canonical_inputs(target(), pool(6), RULES, 5)
    with pytest.raises(ValueError):
        replay({**stored, "rules": {**stored["rules"], "algorithm": "panel-draw/0"}})
    with pytest.raises(ValueError):
        replay({**stored, "target": {}})


def test_the_result_as_dict_is_the_hashed_payload():
    result = run([*pool(6), expert(9, busy_dates=(REVIEW_DAY,))])
    payload = result.as_dict()
    assert json.loads(json.dumps(payload)) == payload
    assert payload["members"] == list(result.members) and payload["excluded"] == [[9, "busy"]]
