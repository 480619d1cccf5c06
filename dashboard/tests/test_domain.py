"""The dashboard's pure arithmetic: rates, the renewal window boundary, the before/after comparison
(against a brute-force oracle) and the stays in a state."""

import random
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import domain
from dashboard.domain import AccidentFact, CertificateFact, Move
from lib.dates import CalendarMissing
from results.domain import EXPIRING, certificate_state

days = st.dates(min_value=date(2018, 1, 1), max_value=date(2030, 12, 31))


# --- Rates --------------------------------------------------------------------------------


def test_rates_round_half_up_to_one_decimal():
    assert domain.pass_rate(2, 1) == Decimal("66.7")
    assert domain.pass_rate(1, 7) == Decimal("12.5")
    assert domain.pass_rate(0, 0) is None
    assert domain.percent_change(4, 3) == Decimal("-25.0")
    assert domain.percent_change(1, 3) == Decimal("200.0")
    assert domain.percent_change(3, 2) == Decimal("-33.3")
    assert domain.percent_change(0, 5) is None  # no base: shown as "—", never "+∞%"
    assert domain.percent_change(0, 0) is None


@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_percent_change_sign_follows_the_counts(before, after):
    change = domain.percent_change(before, after)
    if before == 0:
        assert change is None
    else:
        assert change >= Decimal(-100)
        if change > 0:
            assert after > before
        if change < 0:
            assert after < before
        if after == before:
            assert change == 0


def test_score_bins():
    assert [
        domain.score_bin(Decimal(v)) for v in ("0", "59.9", "60.0", "64.9", "65.0", "94.9", "95.0", "100.0")
    ] == [
        "<60",
        "<60",
        "60-65",
        "60-65",
        "65-70",
        "90-95",
        "95-100",
        "95-100",
    ]
    assert [code for code, *_ in domain.SCORE_BINS] == [
        "<60",
        "60-65",
        "65-70",
        "70-75",
        "75-80",
        "80-85",
        "85-90",
        "90-95",
        "95-100",
    ]


# --- The renewal window, as the SQL counts it ------------------------------------------------


@settings(max_examples=300)
@given(today=days, expires_on=days, window=st.integers(0, 24))
def test_expiring_boundary_agrees_with_certificate_state(today, expires_on, window):
    boundary = domain.expiring_before(today, window)
    sql_says_expiring = today <= expires_on < boundary
    assert sql_says_expiring == (certificate_state("active", expires_on, today, window) == EXPIRING)


def test_expiring_boundary_at_month_ends():
    # 31 May − 3 months is 28 February (29 in a leap year): on 28 Feb 2027 not yet expiring.
    boundary = domain.expiring_before(date(2027, 2, 28), 3)
    assert certificate_state("active", boundary - timedelta(days=1), date(2027, 2, 28), 3) == EXPIRING
    assert certificate_state("active", boundary, date(2027, 2, 28), 3) != EXPIRING


# --- Before and after ------------------------------------------------------------------------


def test_before_after_worked_example():
    certificates = [
        CertificateFact(1, date(2023, 3, 1)),
        CertificateFact(1, date(2026, 2, 20)),  # a renewal: only the first certificate counts
        CertificateFact(2, date(2025, 12, 1)),  # after-window not over on 2026-06-15: excluded
    ]
    accidents = [
        AccidentFact(1, date(2022, 3, 1), 1),  # first day of the before-window
        AccidentFact(1, date(2023, 2, 28), 0),  # last day before
        AccidentFact(1, date(2023, 3, 1), 2),  # the issue day: after
        AccidentFact(1, date(2024, 2, 29), 0),  # last day of the after-window
        AccidentFact(1, date(2024, 3, 1), 5),  # outside both
        AccidentFact(1, date(2022, 2, 28), 5),  # outside both
        AccidentFact(2, date(2025, 6, 1), 1),  # excluded enterprise
        AccidentFact(3, date(2023, 6, 1), 1),  # no certificate
    ]
    result = domain.before_after(certificates, accidents, today=date(2026, 6, 15))
    assert (result.n, result.excluded) == (1, 1)
    assert (result.before_accidents, result.before_deaths, result.after_accidents, result.after_deaths) == (
        2,
        1,
        2,
        2,
    )
    assert result.accidents_change == Decimal("0.0")
    assert result.deaths_change == Decimal("100.0")
    assert result.rows == (domain.BeforeAfterRow(1, date(2023, 3, 1), 2, 1, 2, 2),)


def test_before_after_window_complete_on_the_anniversary():
    cert = [CertificateFact(1, date(2025, 6, 15))]
    assert domain.before_after(cert, [], today=date(2026, 6, 15)).n == 1
    assert domain.before_after(cert, [], today=date(2026, 6, 14)).excluded == 1


certificates_st = st.lists(st.builds(CertificateFact, st.integers(1, 6), days), max_size=10)
accidents_st = st.lists(st.builds(AccidentFact, st.integers(1, 8), days, st.integers(0, 4)), max_size=30)


def oracle(certificates, accidents, today):
    """Brute force: first certificate per enterprise, day-by-day window membership."""
    first = {}
    for c in certificates:
        first[c.enterprise_id] = min(first.get(c.enterprise_id, c.issued_on), c.issued_on)
    included = {e: i for e, i in first.items() if i + relativedelta(months=12) <= today}
    totals = [0, 0, 0, 0]
    for a in accidents:
        issued = included.get(a.enterprise_id)
        if issued is None:
            continue
        if issued - relativedelta(months=12) <= a.day < issued:
            totals[0] += 1
            totals[1] += a.deaths
        elif issued <= a.day < issued + relativedelta(months=12):
            totals[2] += 1
            totals[3] += a.deaths
    return len(included), len(first) - len(included), totals


@settings(max_examples=200)
@given(certificates=certificates_st, accidents=accidents_st, today=days)
def test_before_after_matches_the_oracle(certificates, accidents, today):
    result = domain.before_after(certificates, accidents, today=today)
    n, excluded, totals = oracle(certificates, accidents, today)
    assert (result.n, result.excluded) == (n, excluded)
    assert [
        result.before_accidents,
        result.before_deaths,
        result.after_accidents,
        result.after_deaths,
    ] == totals
    assert result.n == len(result.rows)
    assert result.before_accidents == sum(r.before_accidents for r in result.rows)
    assert result.after_deaths == sum(r.after_deaths for r in result.rows)
    assert result.accidents_change == domain.percent_change(totals[0], totals[2])
    assert (result.deaths_change is None) == (totals[1] == 0)


@settings(max_examples=100)
@given(certificates=certificates_st, accidents=accidents_st, today=days, seed=st.integers(0, 1000))
def test_before_after_ignores_input_order(certificates, accidents, today, seed):
    rng = random.Random(seed)
    shuffled_c, shuffled_a = certificates[:], accidents[:]
    rng.shuffle(shuffled_c)
    rng.shuffle(shuffled_a)
    assert domain.before_after(certificates, accidents, today=today) == domain.before_after(
        shuffled_c, shuffled_a, today=today
    )


@settings(max_examples=100)
@given(certificates=certificates_st, accidents=accidents_st, today=days)
def test_each_accident_counts_at_most_once(certificates, accidents, today):
    result = domain.before_after(certificates, accidents, today=today)
    assert result.before_accidents + result.after_accidents <= len(accidents)
    assert result.before_deaths + result.after_deaths <= sum(a.deaths for a in accidents)


# --- Stays in a state ----------------------------------------------------------------------


def test_stays_pair_each_entry_with_the_next_exit():
    d = date.fromisoformat
    moves = [
        Move(1, "draft", "county_review", d("2025-03-17")),
        Move(1, "county_review", "county_returned", d("2025-03-19")),
        Move(1, "county_returned", "county_review", d("2025-03-24")),
        Move(1, "county_review", "city_review", d("2025-03-26")),
        Move(2, "draft", "county_review", d("2025-04-01")),  # still there: not counted
        Move(3, "county_review", "city_review", d("2025-04-02")),  # entered before the data: not counted
    ]
    assert domain.stays(moves, ["county_review", "city_review"]) == {
        "county_review": [(d("2025-03-17"), d("2025-03-19")), (d("2025-03-24"), d("2025-03-26"))],
        "city_review": [],
    }


def test_stay_stats_mean_rule_and_unmeasured():
    d = date.fromisoformat

    def count(start, end):
        if end.year > 2025:
            raise CalendarMissing(end.year)
        return (end - start).days

    spans = [
        (d("2025-01-01"), d("2025-01-03")),
        (d("2025-01-01"), d("2025-01-12")),
        (d("2025-12-30"), d("2026-01-05")),
    ]
    stats = domain.stay_stats(spans, 10, count)
    assert (stats.n, stats.mean, stats.longest, stats.outside, stats.unmeasured) == (
        2,
        Decimal("6.5"),
        11,
        1,
        1,
    )
    minimum = domain.stay_stats(spans, 10, count, kind="minimum")
    assert minimum.outside == 1  # the 2-day stay is shorter than a 10-day minimum
    assert domain.stay_stats([], 10, count) == domain.StayStats(0, None, None, 0, 0)
