"""grade_for: the 493号令 bands, "以上" inclusive, "以下" exclusive, the highest measure decides."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accidents.domain import AccidentGrade, AccidentType, grade_for, grade_rank

G = AccidentGrade
ZERO = Decimal("0")


@pytest.mark.parametrize(
    ("deaths", "grade"),
    [(0, G.ORDINARY), (2, G.ORDINARY), (3, G.RELATIVELY_MAJOR), (9, G.RELATIVELY_MAJOR), (10, G.MAJOR),
     (29, G.MAJOR), (30, G.EXTRAORDINARY), (500, G.EXTRAORDINARY)],
)  # fmt: skip
def test_death_bands(deaths, grade):
    assert grade_for(deaths, 0, ZERO) == grade


@pytest.mark.parametrize(
    ("serious", "grade"),
    [(0, G.ORDINARY), (9, G.ORDINARY), (10, G.RELATIVELY_MAJOR), (49, G.RELATIVELY_MAJOR), (50, G.MAJOR),
     (99, G.MAJOR), (100, G.EXTRAORDINARY)],
)  # fmt: skip
def test_serious_injury_bands(serious, grade):
    assert grade_for(0, serious, ZERO) == grade


@pytest.mark.parametrize(
    ("loss", "grade"),
    [
        ("0", G.ORDINARY),
        ("9999999.99", G.ORDINARY),
        ("9999999", G.ORDINARY),
        ("10000000", G.RELATIVELY_MAJOR),
        ("49999999.99", G.RELATIVELY_MAJOR),
        ("50000000", G.MAJOR),
        ("99999999.99", G.MAJOR),
        ("100000000", G.EXTRAORDINARY),
    ],
)
def test_loss_bands(loss, grade):
    assert grade_for(0, 0, Decimal(loss)) == grade


@pytest.mark.parametrize(
    ("deaths", "serious", "loss", "grade"),
    [
        (1, 9, "9999999", G.ORDINARY),  # every measure just below 较大
        (0, 0, "10000000", G.RELATIVELY_MAJOR),  # the loss alone
        (2, 50, "0", G.MAJOR),  # serious injuries outrank the deaths
        (3, 0, "100000000", G.EXTRAORDINARY),  # the loss outranks the deaths
        (30, 0, "0", G.EXTRAORDINARY),
    ],
)
def test_the_highest_band_reached_by_any_measure_decides(deaths, serious, loss, grade):
    assert grade_for(deaths, serious, Decimal(loss)) == grade


def test_negative_measures_are_refused():
    for args in ((-1, 0, ZERO), (0, -1, ZERO), (0, 0, Decimal("-0.01"))):
        with pytest.raises(ValueError):
            grade_for(*args)


def test_there_are_twenty_gb6441_types_and_four_grades():
    assert len(AccidentType.values) == 20
    assert len(set(AccidentType.values)) == 20
    assert [grade_rank(g) for g in G.values] == [0, 1, 2, 3]


counts = st.integers(min_value=0, max_value=300)
losses = st.integers(min_value=0, max_value=2_000_000_000_00).map(lambda cents: Decimal(cents) / 100)


@settings(max_examples=300, deadline=None)
@given(
    counts,
    counts,
    losses,
    st.integers(min_value=0, max_value=50),
    st.sampled_from(["deaths", "serious", "loss"]),
)
def test_grade_never_falls_when_a_measure_rises(deaths, serious, loss, step, measure):
    before = grade_for(deaths, serious, loss)
    if measure == "deaths":
        after = grade_for(deaths + step, serious, loss)
    elif measure == "serious":
        after = grade_for(deaths, serious + step, loss)
    else:
        after = grade_for(deaths, serious, loss + Decimal(step) * 1_000_000)
    assert grade_rank(after) >= grade_rank(before)


@settings(max_examples=300, deadline=None)
@given(counts, counts, losses)
def test_grade_is_the_highest_of_the_single_measure_grades(deaths, serious, loss):
    single = [grade_for(deaths, 0, ZERO), grade_for(0, serious, ZERO), grade_for(0, 0, loss)]
    assert grade_rank(grade_for(deaths, serious, loss)) == max(grade_rank(g) for g in single)
