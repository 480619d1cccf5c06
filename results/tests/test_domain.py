"""The pure rules of results: certificate states, numbers, reminders, revocation grounds."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from results import domain
from results.domain import AccidentFacts, RevocationLimits

LIMITS = RevocationLimits(window_months=12, serious_injuries=3, loss_yuan=Decimal(1_000_000))
dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


def test_the_validity_runs_three_years_less_a_day():
    assert domain.certificate_expiry(date(2026, 10, 15), 3) == date(2029, 10, 14)
    assert domain.certificate_expiry(date(2024, 2, 29), 3) == date(2027, 2, 27)


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (date(2029, 7, 14), domain.ACTIVE),  # three months and a day before the end
        (date(2029, 7, 15), domain.EXPIRING),
        (date(2029, 10, 14), domain.EXPIRING),  # the last valid day
        (date(2029, 10, 15), domain.EXPIRED),
    ],
)
def test_the_state_follows_the_dates(today, state):
    assert domain.certificate_state("active", date(2029, 10, 14), today, 3) == state


@given(expires=dates, today=dates, stored=st.sampled_from(["revoked", "superseded"]))
def test_a_revoked_or_superseded_certificate_stays_so(expires, today, stored):
    assert domain.certificate_state(stored, expires, today, 3) == stored


@given(expires=dates, today=dates)
def test_valid_means_not_expired(expires, today):
    state = domain.certificate_state("active", expires, today, 3)
    assert (state == domain.EXPIRED) == (today > expires)


def test_numbers_fill_the_pattern():
    pattern = "AQB{level}{industry}{province}{year}{seq:04d}"
    assert (
        domain.format_number(pattern, year=2026, seq=7, industry="commerce_trade", level=3, province="辽")
        == "AQBⅢSM辽20260007"
    )


@pytest.mark.parametrize(
    ("pattern", "problem"), [("AQB{year}", "no_seq"), ("{year}{seq}{owner}", "unknown:owner")]
)
def test_bad_patterns_are_refused(pattern, problem):
    assert problem in domain.pattern_problems(pattern)
    with pytest.raises(domain.PatternError):
        domain.format_number(pattern, year=2026, seq=1)


@given(seq=st.integers(min_value=1, max_value=9999), other=st.integers(min_value=1, max_value=9999))
def test_different_sequences_give_different_numbers(seq, other):
    pattern = "{year}-{seq:04d}"
    same = domain.format_number(pattern, year=2026, seq=seq) == domain.format_number(
        pattern, year=2026, seq=other
    )
    assert same == (seq == other)


def test_reminders_come_due_in_turn():
    expires = date(2029, 10, 14)
    assert domain.reminder_due(expires, expires - timedelta(days=121), [120, 90]) == []
    assert domain.reminder_due(expires, expires - timedelta(days=120), [120, 90]) == [120]
    assert domain.reminder_due(expires, expires - timedelta(days=90), [120, 90]) == [120, 90]


@given(issued=dates, today=dates, lead=st.integers(min_value=0, max_value=120))
def test_the_due_anniversary_is_the_latest_whose_lead_time_began(issued, today, lead):
    from dateutil.relativedelta import relativedelta

    due = domain.due_anniversary(issued, today, lead)
    assert due > issued
    following = due + relativedelta(years=1) if due.month != 2 or due.day != 28 else None
    if following is not None:
        assert following - timedelta(days=lead) > today  # the next one's lead time has not begun
    if due > issued + relativedelta(years=1):
        assert due - timedelta(days=lead) <= today  # past the first, its own lead time has begun


def test_a_missed_self_assessment_stays_due_until_the_next_lead_time():
    issued = date(2025, 12, 20)
    assert domain.assessment_due(issued, date(2026, 11, 19), 30) is None
    assert domain.assessment_due(issued, date(2026, 11, 20), 30) == date(2026, 12, 20)
    assert domain.assessment_due(issued, date(2027, 3, 1), 30) == date(2026, 12, 20)  # missed: still due
    assert domain.assessment_due(issued, date(2027, 11, 20), 30) == date(2027, 12, 20)


def _accident(pk, day, deaths=0, serious=0, loss=0, violation=False):
    return AccidentFacts(pk, day, deaths, serious, Decimal(loss), violation)


def test_a_death_after_issue_is_a_ground_and_one_before_is_not():
    flags = domain.revocation_flags(
        issued_on=date(2026, 1, 1),
        today=date(2026, 12, 1),
        accidents=[_accident(1, date(2025, 12, 31), deaths=1), _accident(2, date(2026, 3, 1), deaths=2)],
        limits=LIMITS,
        overdue_major_hazards=[],
        on_blacklist=False,
    )
    assert flags == [("death", "accident:2", {"date": "2026-03-01", "deaths": 2})]


def test_twelve_month_totals_cross_the_threshold():
    accidents = [
        _accident(1, date(2026, 1, 10), serious=1),
        _accident(2, date(2026, 6, 10), serious=1),
        # The 12 months up to 2027-02-10 hold accidents 2 and 3 (the first is 13 months before).
        _accident(3, date(2027, 2, 10), serious=1),
        # The 12 months up to 2027-05-01 hold 2, 3 and 4: three serious injuries, the threshold.
        _accident(4, date(2027, 5, 1), serious=1),
    ]
    flags = domain.revocation_flags(
        issued_on=date(2026, 1, 1),
        today=date(2027, 6, 1),
        accidents=accidents,
        limits=LIMITS,
        overdue_major_hazards=[],
        on_blacklist=False,
    )
    assert [(g, s) for g, s, _facts in flags] == [("accident_totals", "accidents-to:4")]


def test_loss_overdue_hazards_reporting_and_blacklist_are_grounds():
    flags = domain.revocation_flags(
        issued_on=date(2026, 1, 1),
        today=date(2026, 12, 1),
        accidents=[_accident(1, date(2026, 5, 1), loss=1_000_000, violation=True)],
        limits=LIMITS,
        overdue_major_hazards=[(9, date(2026, 11, 1))],
        on_blacklist=True,
    )
    assert {(g, s) for g, s, _f in flags} == {
        ("reporting", "accident:1"),
        ("accident_totals", "accidents-to:1"),
        ("major_hazard", "hazard:9"),
        ("blacklist", "blacklist"),
    }


@given(
    st.lists(
        st.tuples(st.integers(0, 800), st.integers(0, 2), st.integers(0, 600_000)),
        max_size=8,
    )
)
def test_totals_flag_exactly_when_some_window_reaches_a_threshold(rows):
    issued = date(2025, 1, 1)
    accidents = [
        _accident(i, issued + timedelta(days=d), serious=s, loss=money)
        for i, (d, s, money) in enumerate(rows)
    ]
    flags = domain.revocation_flags(
        issued_on=issued,
        today=date(2027, 12, 31),
        accidents=accidents,
        limits=LIMITS,
        overdue_major_hazards=[],
        on_blacklist=False,
    )
    flagged = any(g == "accident_totals" for g, _s, _f in flags)
    from dateutil.relativedelta import relativedelta

    expected = False
    for last in accidents:
        window = [
            a
            for a in accidents
            if last.occurred_on - relativedelta(months=12) < a.occurred_on <= last.occurred_on
        ]
        if (
            sum(a.serious_injuries for a in window) >= 3
            or sum(a.direct_loss_yuan for a in window) >= 1_000_000
        ):
            expected = True
    assert flagged == expected
