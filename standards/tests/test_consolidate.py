from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from standards.domain import ItemEntry, ScoringInputError, SheetInput, consolidate, score_sheet
from standards.tests.helpers import KEY, deduct, na, warehousing

STANDARD = warehousing()


def sheet(*entries):
    return SheetInput(KEY, tuple(entries))


def test_assigned_expert_wins_and_divergence_is_reported():
    a = sheet(deduct("6.2.1", 3))
    b = sheet(deduct("6.2.1", 0.5))
    proposal = consolidate(STANDARD, [("张工", a), ("李工", b)], assignment={"6.2.1": "李工"})
    assert proposal.sources == {"6.2.1": "李工"}
    assert proposal.entries[0].deductions[0].points == Decimal("0.5")
    [divergence] = proposal.divergences
    assert divergence.code == "6.2.1" and divergence.reason == "margin"


def test_without_assignment_the_cautious_entry_is_proposed():
    proposal = consolidate(STANDARD, [("A", sheet(deduct("1.1.1", 1))), ("B", sheet(deduct("1.1.1", 2)))])
    assert proposal.sources["1.1.1"] == "B"
    assert proposal.divergences == ()  # 1 point apart is within the 2-point margin


def test_na_only_when_every_scorer_says_so_and_disagreement_is_flagged():
    proposal = consolidate(STANDARD, [("A", sheet(na("9.3.1"))), ("B", sheet(deduct("9.3.1", 1)))])
    assert proposal.entries[0].applicable
    assert proposal.divergences[0].reason == "applicability"
    both = consolidate(STANDARD, [("A", sheet(na("9.3.1"))), ("B", sheet(na("9.3.1")))])
    assert not both.entries[0].applicable


def test_sheet_of_another_version_is_refused():
    with pytest.raises(ScoringInputError):
        consolidate(STANDARD, [("A", SheetInput("CCWL@9", ()))])


codes = st.sampled_from([i.code for i in STANDARD.items])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(codes, st.integers(0, 5)), max_size=30),
    st.lists(st.tuples(codes, st.integers(0, 5)), max_size=30),
)
def test_consolidated_sheet_never_scores_above_the_harshest_per_item_view(a_rows, b_rows):
    """Without assignments, each item takes the larger deduction, so the total is never above either sheet."""

    def build(rows):
        seen = {}
        for code, pts in rows:
            seen[code] = ItemEntry(code, deductions=deduct(code, pts).deductions if pts else ())
        return SheetInput(KEY, tuple(seen.values()))

    a, b = build(a_rows), build(b_rows)
    proposal = consolidate(STANDARD, [("A", a), ("B", b)])
    merged = score_sheet(STANDARD, SheetInput(KEY, proposal.entries))
    assert merged.percentage <= score_sheet(STANDARD, a).percentage
    assert merged.percentage <= score_sheet(STANDARD, b).percentage
