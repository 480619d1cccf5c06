"""The worked examples of domain.md §5.3, as golden tests of the engine."""

from decimal import Decimal

import pytest

from standards.domain import ItemEntry, SheetInput, score_sheet
from standards.tests.helpers import KEY, deduct, na, spread, synthetic, warehousing


def test_bundled_standard_has_164_items_and_1000_points():
    standard = warehousing()
    assert len(standard.items) == 164
    assert standard.total_points == Decimal("1000")
    assert len(standard.elements) == 13


# --- A. N/A and rounding (total 1000) ---------------------------------------


def test_a1_half_up_rounding_of_76_25():
    standard = synthetic([("1.1.1", 960), ("9.1.1", 40)])
    result = score_sheet(standard, SheetInput("SYN@1", (deduct("1.1.1", 228), na("9.1.1"))))
    assert result.earned == Decimal("732")
    assert result.denominator == Decimal("960")
    assert result.percentage == Decimal("76.3")  # round(76.25, 1) and HALF_EVEN give 76.2
    assert result.score_level == 2
    assert result.passed  # applied for 三级


def test_a2_rounded_value_is_compared_59_98_passes():
    standard = synthetic([("1.1.1", 997), ("2.1.1", 3)])
    result = score_sheet(standard, SheetInput("SYN@1", (deduct("1.1.1", 399), na("2.1.1"))))
    assert result.earned == Decimal("598")
    assert result.denominator == Decimal("997")
    assert result.percentage == Decimal("60.0")
    assert result.score_level == 3
    assert result.passed


# --- B. 追加扣除 with N/A (仓储物流, 1000) -----------------------------------

ELEMENT_2 = [
    deduct(
        "2.1.1", 1, 1, 1, 1, 1, 1, extra=10, extra_reason="扣满4分，追加扣除10分"
    ),  # 6 places, capped at 4
    deduct("2.1.2", 1),
    deduct("2.1.3", 2),
    deduct("2.2.1", 1),
    deduct("2.2.3", 1),
]
ELEMENT_9 = [na("9.2.1"), na("9.2.2"), na("9.3.1"), na("9.3.2"), na("9.3.3"), deduct("9.1.1", 1)]
OTHERS = {1: 2, 3: 2, 4: 14, 5: 12, 7: 24, 8: 15, 10: 10, 11: 10, 12: 0, 13: 6}


def example_b_entries(standard, element_2=ELEMENT_2):
    entries = [*element_2, *ELEMENT_9]
    entries.append(
        deduct("6.1.5", 10, reason="构成重大隐患", extra=20, extra_reason="构成重大隐患，追加扣除20分")
    )
    entries += spread(standard, 6, 20, skip={"6.1.5"})
    for element_no, amount in OTHERS.items():
        entries += spread(standard, element_no, amount, skip=set())
    return tuple(entries)


def test_b_extra_deductions_within_elements_and_na():
    standard = warehousing()
    result = score_sheet(standard, SheetInput(KEY, example_b_entries(standard)))
    by_no = {e.no: e for e in result.elements}
    assert by_no["2"].earned == Decimal("1")  # items 11 − extra 10
    assert by_no["6"].earned == Decimal("170")  # 190 − 20
    assert by_no["9"].earned == Decimal("14")
    assert by_no["9"].na_points == Decimal("25")
    assert by_no["9"].applicable_points == Decimal("15")
    assert [by_no[str(n)].earned for n in (1, 3, 4, 5, 7, 8, 10, 11, 12, 13)] == [
        Decimal(v) for v in (8, 18, 86, 88, 156, 85, 70, 60, 20, 34)
    ]
    assert result.earned == Decimal("810")
    assert result.denominator == Decimal("975")
    assert result.percentage == Decimal("83.1")
    assert result.score_level == 2
    item_211 = next(i for i in result.items if i.code == "2.1.1")
    assert item_211.deducted == Decimal("6") and item_211.score == Decimal("0")  # raw kept, score floored


def test_b2_element_floor_at_zero():
    standard = warehousing()
    element_2 = [
        *ELEMENT_2,
        deduct("2.2.2", 3, reason="未按规定履行职责", extra=10, extra_reason="追加扣除10分"),
    ]
    result = score_sheet(standard, SheetInput(KEY, example_b_entries(standard, element_2)))
    assert next(e for e in result.elements if e.no == "2").earned == Decimal("0")  # max(0, 8 − 20)
    assert result.earned == Decimal("809")
    assert result.percentage == Decimal("83.0")  # a floor-less engine gives 81.7


# --- C. Veto (total 650) -------------------------------------------------------


def veto_standard():
    return synthetic([("1.1.1", 600), ("1.1.2", 20), ("2.1.1", 30)], key="VETO@1", veto={"1.1.2"})


def test_c_percentage_88_4():
    result = score_sheet(veto_standard(), SheetInput("VETO@1", (deduct("1.1.1", 72), na("2.1.1"))))
    assert result.earned == Decimal("548")
    assert result.denominator == Decimal("620")
    assert result.percentage == Decimal("88.4")


def test_c1_failed_veto_fails_whatever_the_score():
    result = score_sheet(
        veto_standard(), SheetInput("VETO@1", (deduct("1.1.1", 71), deduct("1.1.2", 1), na("2.1.1")))
    )
    assert result.percentage == Decimal("88.4")
    assert result.failed_vetoes == ("1.1.2",)
    assert not result.passed
    assert any("1.1.2" in line for line in result.explanation)


def test_c2_final_level_is_the_worse_of_score_and_performance():
    sheet = SheetInput(
        "VETO@1", (deduct("1.1.1", 72), na("2.1.1")), performance_assessed=True, performance_level=3
    )
    result = score_sheet(veto_standard(), sheet)
    assert result.score_level == 2
    assert result.final_level == 3
    assert result.passed


def test_c3_no_performance_level_is_not_passed():
    sheet = SheetInput(
        "VETO@1", (deduct("1.1.1", 72), na("2.1.1")), performance_assessed=True, performance_level=None
    )
    result = score_sheet(veto_standard(), sheet)
    assert result.final_level is None
    assert not result.passed


# --- Edge cases ------------------------------------------------------------------


def test_every_item_na_gives_no_percentage_and_a_message():
    standard = synthetic([("1.1.1", 5), ("1.1.2", 5)])
    result = score_sheet(standard, SheetInput("SYN@1", (na("1.1.1"), na("1.1.2"))))
    assert result.percentage is None
    assert result.message
    assert not result.passed


def test_deduction_larger_than_the_item_floors_at_zero():
    standard = synthetic([("1.1.1", 5), ("1.1.2", 5)])
    result = score_sheet(standard, SheetInput("SYN@1", (deduct("1.1.1", 9),)))
    assert result.items[0].score == Decimal("0")
    assert result.items[0].deducted == Decimal("9")
    assert result.percentage == Decimal("50.0")


@pytest.mark.parametrize("bad", ["-1", "abc", "1.25", "NaN", "Infinity", None, True])
def test_bad_numbers_are_refused_with_a_message(bad):
    from standards.domain import Deduction, ScoringInputError

    standard = synthetic([("1.1.1", 5)])
    entry = ItemEntry("1.1.1", deductions=(Deduction(bad),))
    with pytest.raises(ScoringInputError) as exc:
        score_sheet(standard, SheetInput("SYN@1", (entry,)))
    assert exc.value.code == "1.1.1"
    assert exc.value.message


def test_one_decimal_place_is_accepted():
    standard = synthetic([("1.1.1", 5)])
    result = score_sheet(standard, SheetInput("SYN@1", (deduct("1.1.1", "0.5"),)))
    assert result.percentage == Decimal("90.0")


def test_sheet_of_another_version_is_refused():
    from standards.domain import ScoringInputError

    with pytest.raises(ScoringInputError):
        score_sheet(synthetic([("1.1.1", 5)]), SheetInput("SYN@2", ()))


def test_unknown_and_repeated_codes_are_refused():
    from standards.domain import ScoringInputError

    standard = synthetic([("1.1.1", 5)])
    with pytest.raises(ScoringInputError):
        score_sheet(standard, SheetInput("SYN@1", (deduct("9.9.9", 1),)))
    with pytest.raises(ScoringInputError):
        score_sheet(standard, SheetInput("SYN@1", (deduct("1.1.1", 1), deduct("1.1.1", 1))))


def test_na_item_with_a_deduction_is_refused():
    from standards.domain import ScoringInputError

    standard = synthetic([("1.1.1", 5)])
    entry = ItemEntry("1.1.1", applicable=False, deductions=deduct("1.1.1", 1).deductions)
    with pytest.raises(ScoringInputError):
        score_sheet(standard, SheetInput("SYN@1", (entry,)))
