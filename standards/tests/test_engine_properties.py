"""Hypothesis properties of the scoring engine on the real 164-item standard."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from standards.domain import Deduction, ItemEntry, SheetInput, score_sheet
from standards.tests.helpers import KEY, warehousing

STANDARD = warehousing()
CODES = [i.code for i in STANDARD.items]
POINTS = {i.code: i.points for i in STANDARD.items}

points_st = st.integers(min_value=0, max_value=300).map(lambda n: Decimal(n) / 10)  # 0.0 … 30.0


@st.composite
def sheets(draw):
    chosen = draw(st.lists(st.sampled_from(CODES), unique=True, max_size=40))
    entries = []
    for code in chosen:
        if draw(st.booleans()) and draw(st.booleans()):
            entries.append(ItemEntry(code, applicable=False))
            continue
        deductions = tuple(Deduction(p, "扣分") for p in draw(st.lists(points_st, max_size=3)))
        extra = draw(st.sampled_from([Decimal(0), Decimal(0), Decimal(10), Decimal(20)]))
        entries.append(ItemEntry(code, deductions=deductions, extra_deduction=extra))
    return entries


@settings(max_examples=150, deadline=None)
@given(sheets())
def test_percentage_stays_within_0_and_100(entries):
    result = score_sheet(STANDARD, SheetInput(KEY, tuple(entries)))
    assert result.percentage is None or Decimal(0) <= result.percentage <= Decimal(100)
    assert all(e.earned >= 0 for e in result.elements)


@settings(max_examples=150, deadline=None)
@given(sheets(), st.sampled_from(CODES), points_st)
def test_adding_a_deduction_never_raises_the_percentage(entries, code, points):
    before = score_sheet(STANDARD, SheetInput(KEY, tuple(entries)))
    current = {e.code: e for e in entries}
    entry = current.get(code, ItemEntry(code))
    if not entry.applicable:
        return
    current[code] = ItemEntry(
        code, deductions=(*entry.deductions, Deduction(points, "再扣")), extra_deduction=entry.extra_deduction
    )
    after = score_sheet(STANDARD, SheetInput(KEY, tuple(current.values())))
    assert after.percentage <= before.percentage


@settings(max_examples=100, deadline=None)
@given(sheets(), st.randoms(use_true_random=False))
def test_item_order_does_not_matter(entries, rnd):
    shuffled = list(entries)
    rnd.shuffle(shuffled)
    a = score_sheet(STANDARD, SheetInput(KEY, tuple(entries)))
    b = score_sheet(STANDARD, SheetInput(KEY, tuple(shuffled)))
    assert (a.percentage, a.earned, a.elements) == (b.percentage, b.earned, b.elements)


def test_a_clean_sheet_scores_100():
    result = score_sheet(STANDARD, SheetInput(KEY, ()))
    assert result.percentage == Decimal("100.0")
    assert result.earned == Decimal("1000")


@settings(max_examples=150, deadline=None)
@given(sheets(), st.sampled_from(CODES))
def test_marking_na_an_item_that_lost_everything_never_lowers_the_percentage(entries, code):
    current = {e.code: e for e in entries}
    current[code] = ItemEntry(code, deductions=(Deduction(POINTS[code], "全扣"),))
    before = score_sheet(STANDARD, SheetInput(KEY, tuple(current.values())))
    current[code] = ItemEntry(code, applicable=False)
    after = score_sheet(STANDARD, SheetInput(KEY, tuple(current.values())))
    if before.percentage is not None and after.percentage is not None:
        assert after.percentage >= before.percentage
