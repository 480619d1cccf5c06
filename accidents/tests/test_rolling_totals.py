"""Rolling totals over the half-open window [on − months, on) (domain.md §4, E5; §9 revocation).

The rule: the day ``months`` calendar months before ``on`` is inside, ``on`` itself is not.
Days are Beijing calendar days, whatever the UTC date of the stored time.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from accidents.domain import AccidentTotals, rolling_totals, window_start
from accidents.selectors import enterprise_accident_totals
from accidents.tests.factories import beijing, record_accident
from enterprises.tests.factories import EnterpriseFactory
from regulation.selectors import param_int

ON = date(2026, 11, 29)


def one(day: date, deaths: int = 0, serious: int = 0, loss: str = "0") -> tuple:
    return (day, deaths, serious, Decimal(loss))


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (date(2025, 11, 28), False),  # the day before the window opens
        (date(2025, 11, 29), True),  # exactly 12 months before: the first day inside
        (date(2025, 11, 30), True),
        (date(2026, 11, 28), True),  # yesterday: the last day inside
        (date(2026, 11, 29), False),  # "on" itself is outside
    ],
)
def test_window_edges(day, inside):
    totals = rolling_totals([one(day, deaths=1, serious=2, loss="5.50")], on=ON, months=12)
    expected = AccidentTotals(1, 1, 2, Decimal("5.50")) if inside else AccidentTotals()
    assert totals == expected


def test_months_are_calendar_months():
    assert window_start(date(2024, 2, 29), 12) == date(2023, 2, 28)
    assert window_start(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert window_start(date(2026, 11, 29), 12) == date(2025, 11, 29)
    assert window_start(ON, 0) == ON  # an empty window
    assert rolling_totals([one(ON - timedelta(days=1), deaths=1)], on=ON, months=0) == AccidentTotals()


def test_totals_add_up():
    accidents = [
        one(date(2026, 1, 5), deaths=1, loss="100.10"),
        one(date(2026, 6, 1), serious=2, loss="0.90"),
        one(date(2020, 6, 1), deaths=5, loss="999"),  # long ago
    ]
    assert rolling_totals(accidents, on=ON, months=12) == AccidentTotals(2, 1, 2, Decimal("101.00"))


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2028, 12, 31))
accident_lists = st.lists(
    st.tuples(
        days,
        st.integers(0, 5),
        st.integers(0, 20),
        st.integers(0, 10**9).map(lambda cents: Decimal(cents) / 100),
    ),
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(accident_lists, accident_lists, days, st.integers(0, 36))
def test_totals_are_additive_over_any_split(first, second, on, months):
    a = rolling_totals(first, on=on, months=months)
    b = rolling_totals(second, on=on, months=months)
    both = rolling_totals(first + second, on=on, months=months)
    assert both == AccidentTotals(
        a.accidents + b.accidents,
        a.deaths + b.deaths,
        a.serious_injuries + b.serious_injuries,
        a.direct_loss_yuan + b.direct_loss_yuan,
    )


@settings(max_examples=200, deadline=None)
@given(accident_lists, days, st.integers(0, 36), st.integers(0, 24))
def test_a_longer_window_never_counts_less(accidents, on, months, more):
    short = rolling_totals(accidents, on=on, months=months)
    long = rolling_totals(accidents, on=on, months=months + more)
    assert long.accidents >= short.accidents
    assert long.deaths >= short.deaths
    assert long.serious_injuries >= short.serious_injuries
    assert long.direct_loss_yuan >= short.direct_loss_yuan


# --- The database selector, against the clock --------------------------------


@pytest.fixture
def clock():
    # 2026-11-29 10:00 in Beijing.
    with time_machine.travel(beijing(2026, 11, 29, 10, 0), tick=False) as traveller:
        yield traveller


@pytest.fixture
def edge_accidents(clock, personas):
    enterprise = EnterpriseFactory()
    officer = personas.county_officer
    cases = {
        # Beijing time; the UTC date of the first two is the 28th (Beijing is UTC+8).
        "window opens 00:30": (beijing(2025, 11, 29, 0, 30), 1, 0, "1000.00"),
        "the evening before": (beijing(2025, 11, 28, 23, 30), 10, 0, "1.00"),
        "yesterday 23:59": (beijing(2026, 11, 28, 23, 59), 0, 2, "0.50"),
        "today 00:10": (beijing(2026, 11, 29, 0, 10), 0, 3, "7.00"),
    }
    for place, (when, deaths, serious, loss) in cases.items():
        record_accident(
            officer,
            enterprise,
            when,
            place=place,
            deaths=deaths,
            serious_injuries=serious,
            direct_loss_yuan=loss,
        )
    return enterprise


def test_an_accident_exactly_12_months_ago_counts_and_one_today_does_not(clock, edge_accidents):
    totals = enterprise_accident_totals(edge_accidents, date(2026, 11, 29), 12)
    assert totals == AccidentTotals(2, 1, 2, Decimal("1000.50"))


def test_a_day_later_the_first_day_drops_out_and_today_comes_in(clock, edge_accidents):
    clock.shift(timedelta(days=1))
    totals = enterprise_accident_totals(edge_accidents, date(2026, 11, 30), 12)
    assert totals == AccidentTotals(2, 0, 5, Decimal("7.50"))


def test_the_day_before_the_window_opens_is_outside(clock, edge_accidents):
    # Moving "on" back a day brings in 2025-11-28 and drops yesterday.
    totals = enterprise_accident_totals(edge_accidents, date(2026, 11, 28), 12)
    assert totals == AccidentTotals(2, 11, 0, Decimal("1001.00"))


def test_database_totals_match_the_pure_function(clock, edge_accidents):
    from django.utils import timezone

    rows = [
        (timezone.localtime(a.occurred_at).date(), a.deaths, a.serious_injuries, a.direct_loss_yuan)
        for a in edge_accidents.accidents.all()
    ]
    for offset in range(-3, 4):
        on = date(2026, 11, 29) + timedelta(days=offset)
        assert enterprise_accident_totals(edge_accidents, on, 12) == rolling_totals(rows, on=on, months=12)


def test_totals_are_one_query_and_only_of_that_enterprise(
    clock, edge_accidents, personas, django_assert_num_queries
):
    other = EnterpriseFactory()
    record_accident(personas.county_officer, other, beijing(2026, 6, 1), deaths=4)
    months = param_int("eligibility_window")
    assert months == 12
    with django_assert_num_queries(1):
        totals = enterprise_accident_totals(edge_accidents.pk, date(2026, 11, 29), months)
    assert totals.deaths == 1


def test_no_accidents_gives_zero_totals(db):
    assert enterprise_accident_totals(EnterpriseFactory(), ON, 12) == AccidentTotals(0, 0, 0, Decimal("0.00"))
