"""The pure rules of the on-site scoring (reviews.domain): who scores which item, and which
items of the panel sheet need the leader's reason (domain.md §5.4, §7). No database."""

from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviews.domain import ReasonNeeded, Scorer, assign_items, entry_value, reasons_needed
from standards.domain import Deduction, ItemEntry

CORE = ("safety_management", "process_technology", "equipment_facilities")

# --- assign_items: examples ----------------------------------------------------------------------


def test_each_item_goes_to_a_scorer_of_its_specialty():
    scorers = [
        Scorer(1, frozenset({"equipment_facilities"}), order=0),
        Scorer(2, frozenset({"process_technology"}), order=1),
        Scorer(3, frozenset({"safety_management"}), order=2),
    ]
    items = [
        ("1.1.1", "safety_management"),
        ("6.1.1", "equipment_facilities"),
        ("7.1.1", "process_technology"),
    ]
    assert assign_items(items, scorers) == {"1.1.1": 3, "6.1.1": 1, "7.1.1": 2}


def test_items_of_a_specialty_nobody_has_are_spread_over_everyone():
    scorers = [Scorer(1, frozenset({"safety_management"})), Scorer(2, frozenset({"safety_management"}))]
    items = [(f"6.1.{n}", "equipment_facilities") for n in range(5)]
    load = Counter(assign_items(items, scorers).values())
    assert sorted(load.values()) == [2, 3]


def test_specialists_share_their_items_evenly_and_in_panel_order():
    scorers = [
        Scorer(10, frozenset({"process_technology"}), order=2),
        Scorer(20, frozenset({"process_technology"}), order=1),
        Scorer(30, frozenset({"safety_management"}), order=0),
    ]
    items = [(f"7.1.{n}", "process_technology") for n in range(3)]
    # The first item goes to the earlier seat (order 1), then they alternate.
    assert assign_items(items, scorers) == {"7.1.0": 20, "7.1.1": 10, "7.1.2": 20}


def test_no_scorer_no_assignment_and_no_item_nothing():
    assert assign_items([("1.1.1", "safety_management")], []) == {}
    assert assign_items([], [Scorer(1, frozenset())]) == {}


def test_an_item_without_a_tag_goes_to_the_least_loaded():
    scorers = [Scorer(1, frozenset({"safety_management"})), Scorer(2, frozenset({"process_technology"}))]
    result = assign_items([("1.1.1", "safety_management"), ("x", "")], scorers)
    assert result == {"1.1.1": 1, "x": 2}


# --- assign_items: properties --------------------------------------------------------------------

specialty_sets = st.frozensets(st.sampled_from(CORE), max_size=3)
items_strategy = st.lists(st.sampled_from((*CORE, "")), max_size=60).map(
    lambda tags: [(f"i{n}", tag) for n, tag in enumerate(tags)]
)
scorers_strategy = st.lists(
    st.tuples(specialty_sets, st.integers(min_value=0, max_value=6)), min_size=1, max_size=7
).map(lambda rows: [Scorer(key=100 + n, specialties=s, order=o) for n, (s, o) in enumerate(rows)])


@settings(max_examples=200, deadline=None)
@given(items=items_strategy, scorers=scorers_strategy)
def test_every_item_gets_exactly_one_scorer_of_its_specialty_when_one_exists(items, scorers):
    result = assign_items(items, scorers)
    assert set(result) == {code for code, _tag in items}
    keys = {s.key for s in scorers}
    by_key = {s.key: s for s in scorers}
    for code, tag in items:
        assert result[code] in keys
        if any(tag and tag in s.specialties for s in scorers):
            assert tag in by_key[result[code]].specialties, (code, tag)


@settings(max_examples=200, deadline=None)
@given(items=items_strategy, scorers=scorers_strategy)
def test_the_assignment_is_deterministic(items, scorers):
    first = assign_items(items, scorers)
    assert assign_items(list(items), list(scorers)) == first
    # The order in which the scorers are handed in does not matter (the panel order does).
    assert assign_items(items, list(reversed(scorers))) == first


@settings(max_examples=200, deadline=None)
@given(
    items=items_strategy,
    shared=specialty_sets,
    orders=st.lists(st.integers(min_value=0, max_value=6), min_size=1, max_size=7),
)
def test_the_load_is_balanced_among_scorers_sharing_specialties(items, shared, orders):
    scorers = [Scorer(key=n + 1, specialties=shared, order=o) for n, o in enumerate(orders)]
    load = Counter(assign_items(items, scorers).values())
    counts = [load.get(s.key, 0) for s in scorers]
    assert max(counts) - min(counts) <= 1


@settings(max_examples=150, deadline=None)
@given(
    items=items_strategy,
    groups=st.lists(st.integers(min_value=1, max_value=3), min_size=3, max_size=3),
)
def test_specialists_of_one_tag_are_balanced_among_themselves(items, groups):
    """Each specialty held by its own group of scorers: within a group the load differs by ≤ 1."""
    scorers, key = [], 0
    for tag, size in zip(CORE, groups, strict=True):
        for _ in range(size):
            key += 1
            scorers.append(Scorer(key=key, specialties=frozenset({tag}), order=key))
    tagged = [(code, tag) for code, tag in items if tag]  # every tag has its specialists
    load = Counter(assign_items(tagged, scorers).values())
    for tag in CORE:
        counts = [load.get(s.key, 0) for s in scorers if tag in s.specialties]
        assert max(counts) - min(counts) <= 1


# --- entry_value -----------------------------------------------------------------------------------


def entry(code="1.1.1", *points, applicable=True, extra="0"):
    return ItemEntry(
        code=code,
        applicable=applicable,
        deductions=tuple(Deduction(Decimal(str(p)), "扣分") for p in points),
        extra_deduction=Decimal(extra),
        na_reason="" if applicable else "不涉及",
    )


def test_entry_value():
    assert entry_value(None) == (True, Decimal(0))
    assert entry_value(entry("a")) == (True, Decimal(0))
    assert entry_value(entry("a", 1, "0.5", extra="10")) == (True, Decimal("11.5"))
    assert entry_value(entry("a", applicable=False)) == (False, Decimal(0))


# --- reasons_needed ----------------------------------------------------------------------------------

A, B, C = 1, 2, 3
CODES = ["1.1.1", "1.1.2", "1.1.3"]


def needed(members, panel, assignment, margin="0", codes=CODES):
    return reasons_needed(codes, members, panel, assignment, margin=Decimal(margin))


def test_equal_values_need_no_reason():
    members = {A: {"1.1.1": entry("1.1.1", 1)}, B: {"1.1.1": entry("1.1.1", "1.0")}}
    panel = {"1.1.1": entry("1.1.1", "0.5", "0.5")}  # the same total, made up differently
    assert needed(members, panel, {"1.1.1": A}) == []
    # Nobody scored anything and the panel agrees: full marks everywhere, no reason.
    assert needed({A: {}, B: {}}, {}, {c: A for c in CODES}) == []


def test_members_who_differ_are_divergent():
    members = {A: {"1.1.1": entry("1.1.1", 1)}, B: {"1.1.1": entry("1.1.1", 2)}}
    panel = {"1.1.1": entry("1.1.1", 1)}
    # The panel follows the assigned member: the reason is owed for the divergence alone.
    assert needed(members, panel, {"1.1.1": A}) == [ReasonNeeded("1.1.1", True, ())]
    # Following the other member, it differs from the one the item was assigned to as well.
    assert needed(members, panel, {"1.1.1": B}) == [ReasonNeeded("1.1.1", True, (B,))]


def test_the_panel_differing_from_a_member_is_listed_with_whom():
    members = {A: {"1.1.2": entry("1.1.2", 1)}, B: {}}
    panel = {"1.1.2": entry("1.1.2", 2)}
    assert needed(members, panel, {"1.1.2": A}) == [ReasonNeeded("1.1.2", False, (A,))]
    # The panel dropping a member's deduction needs a reason too.
    assert needed(members, {}, {"1.1.2": A}) == [ReasonNeeded("1.1.2", False, (A,))]


def test_the_margin_is_respected():
    members = {A: {"1.1.1": entry("1.1.1", 1)}, B: {"1.1.1": entry("1.1.1", 3)}}
    panel = {"1.1.1": entry("1.1.1", 3)}
    # Within the margin the members do not diverge, and the panel follows the assigned member
    # (B): no reason, although the panel differs from A.
    assert needed(members, panel, {"1.1.1": B}, margin="2") == []
    # Beyond it they do: the reason is owed for the divergence.
    assert needed(members, panel, {"1.1.1": B}, margin="1.9") == [ReasonNeeded("1.1.1", True, ())]


def test_within_the_margin_the_panel_must_still_follow_the_assigned_member():
    members = {A: {"1.1.1": entry("1.1.1", 1)}, B: {"1.1.1": entry("1.1.1", 3)}}
    # The panel takes A's value although B was assigned: a reason, naming B.
    panel = {"1.1.1": entry("1.1.1", 1)}
    assert needed(members, panel, {"1.1.1": B}, margin="2") == [ReasonNeeded("1.1.1", False, (B,))]
    # A value nobody gave differs from the assigned member too (only he is named).
    panel = {"1.1.1": entry("1.1.1", 2)}
    assert needed(members, panel, {"1.1.1": B}, margin="2") == [ReasonNeeded("1.1.1", False, (B,))]


def test_an_item_assigned_to_nobody_is_compared_with_every_member_who_scored_it():
    members = {A: {"1.1.1": entry("1.1.1", 1)}, B: {"1.1.1": entry("1.1.1", 3)}, C: {}}
    # Within the margin, but the panel differs from A: a reason, naming A (C did not score it).
    panel = {"1.1.1": entry("1.1.1", 3)}
    assert needed(members, panel, {}, margin="2") == [ReasonNeeded("1.1.1", False, (A,))]
    # A value of neither: both are named.
    assert needed(members, {"1.1.1": entry("1.1.1", 2)}, {}, margin="2") == [
        ReasonNeeded("1.1.1", False, (A, B))
    ]
    # Every scorer agreeing with the panel: none.
    same = {A: {"1.1.1": entry("1.1.1", 2)}, B: {"1.1.1": entry("1.1.1", 2)}}
    assert needed(same, {"1.1.1": entry("1.1.1", 2)}, {}) == []
    # Nobody scored it and nobody was assigned: the panel's value needs no reason here.
    assert needed({A: {}, B: {}}, {"1.1.1": entry("1.1.1", 1)}, {}) == []


def test_not_applicable_against_applicable_is_divergent_whatever_the_margin():
    members = {
        A: {"1.1.3": entry("1.1.3", applicable=False)},
        B: {"1.1.3": entry("1.1.3")},  # full marks, applicable
    }
    panel = {"1.1.3": entry("1.1.3", applicable=False)}
    assert needed(members, panel, {"1.1.3": A}, margin="100") == [ReasonNeeded("1.1.3", True, ())]
    assert needed(members, panel, {"1.1.3": B}, margin="100") == [ReasonNeeded("1.1.3", True, (B,))]
    # The panel marking N/A an item the only scorer found applicable needs a reason.
    members = {A: {"1.1.3": entry("1.1.3")}}
    assert needed(members, panel, {"1.1.3": A}, margin="100") == [ReasonNeeded("1.1.3", False, (A,))]


def test_an_assigned_member_who_did_not_score_counts_as_full_marks():
    # B did not score 1.1.1 although it is his; A (not assigned) deducted 2.
    members = {A: {"1.1.1": entry("1.1.1", 2)}, B: {}}
    assert needed(members, {"1.1.1": entry("1.1.1", 2)}, {"1.1.1": B}) == [ReasonNeeded("1.1.1", True, (B,))]
    # With the panel at full marks, it follows B: only the divergence is owed.
    assert needed(members, {}, {"1.1.1": B}) == [ReasonNeeded("1.1.1", True, ())]
    # Within the margin, following the silent assignee needs nothing.
    assert needed(members, {}, {"1.1.1": B}, margin="2") == []
    # Alone and silent, he agrees with a full-marks panel.
    assert needed({B: {}}, {}, {"1.1.1": B}) == []
    assert needed({B: {}}, {"1.1.1": entry("1.1.1", 1)}, {"1.1.1": B}) == [ReasonNeeded("1.1.1", False, (B,))]


def test_a_member_who_is_neither_assigned_nor_scoring_has_no_voice():
    members = {A: {"1.1.1": entry("1.1.1", 1)}, B: {}, C: {}}
    assert needed(members, {"1.1.1": entry("1.1.1", 1)}, {"1.1.1": A}) == []


def test_reasons_come_in_item_order():
    members = {A: {c: entry(c, 1) for c in CODES}}
    result = needed(members, {}, {c: A for c in CODES}, codes=list(reversed(CODES)))
    assert [r.code for r in result] == list(reversed(CODES))


points_st = st.sampled_from(["0", "0.5", "1", "2", "3"])
value_st = st.one_of(st.none(), st.just("na"), points_st)


def _as_entry(code, value):
    if value is None:
        return None
    if value == "na":
        return entry(code, applicable=False)
    return entry(code, *([value] if value != "0" else []))


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(value_st, min_size=1, max_size=4),
    panel=value_st,
    assigned=st.integers(min_value=0, max_value=3),
    margin=st.sampled_from(["0", "1", "2"]),
)
def test_reasons_needed_matches_its_definition(values, panel, assigned, margin):
    code = "1.1.1"
    members = {}
    for key, value in enumerate(values):
        made = _as_entry(code, value)
        members[key] = {code: made} if made is not None else {}
    assignment = {code: assigned} if assigned < len(values) else {}
    panel_entries = {code: _as_entry(code, panel)} if panel is not None else {}
    result = needed(members, panel_entries, assignment, margin=margin, codes=[code])

    voices = {k: rows.get(code) for k, rows in members.items() if code in rows or assignment.get(code) == k}
    if not voices:
        assert result == []
        return
    vals = {k: entry_value(e) for k, e in voices.items()}
    panel_value = entry_value(panel_entries.get(code))
    applicable = [v for a, v in vals.values() if a]
    divergent = len({a for a, _v in vals.values()}) > 1 or (
        bool(applicable) and max(applicable) - min(applicable) > Decimal(margin)
    )
    # The panel answers to the assigned member; to every scorer when nobody was assigned.
    answers_to = [assignment[code]] if code in assignment else list(vals)
    differs = tuple(sorted(k for k in answers_to if vals[k] != panel_value))
    if divergent or differs:
        assert result == [ReasonNeeded(code, divergent, differs)]
    else:
        assert result == []
    # A panel equal to the only voice never needs a reason.
    if len(voices) == 1 and not differs:
        assert result == []
    # Within the margin, a panel that follows the assigned member never needs one.
    if code in assignment and not divergent and vals[assignment[code]] == panel_value:
        assert result == []
    # Who is named is the assigned member or no one, when there is one.
    if code in assignment and result:
        assert result[0].differs_from in ((), (assignment[code],))


@pytest.mark.parametrize("margin", ["0", "5"])
def test_identical_member_sheets_and_panel_never_need_a_reason(margin):
    sheet = {"1.1.1": entry("1.1.1", 1), "1.1.2": entry("1.1.2", applicable=False)}
    members = {A: dict(sheet), B: dict(sheet)}
    assert needed(members, dict(sheet), {"1.1.1": A, "1.1.2": B}, margin=margin) == []
