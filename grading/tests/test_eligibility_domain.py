"""The pure checklist (grading.domain.evaluate) over generated facts, with hypothesis.

Each condition is restated here from domain.md §4 as a predicate on the facts; the checklist
must fail a line exactly when its predicate is violated, never give two verdicts for one
code, and block (some ``fail``) exactly when some condition is violated.
"""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from grading import domain
from grading.domain import Ban, Check, EligibilityFacts

BAN_CODES = {"not_passed": "E8", "not_accepted": "E8", "revocation": "E9", "false_commitment": "E10"}

days = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))
money = st.decimals(min_value=0, max_value=3_000_000, places=2, allow_nan=False, allow_infinity=False)
percent = st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False)
names = st.text(alphabet="营业执照许可证承诺书清单", min_size=1, max_size=6)


@st.composite
def facts(draw) -> EligibilityFacts:
    on = draw(days)
    offset = st.integers(-800, 800).map(lambda n: on + timedelta(days=n))
    bans = tuple(
        Ban(kind=kind, until=until, source=f"DJ{n:04d}")
        for n, (kind, until) in enumerate(
            draw(st.lists(st.tuples(st.sampled_from(list(BAN_CODES)), offset), max_size=4))
        )
    )
    publicity_start = draw(st.none() | offset)
    earliest = draw(st.none() | offset) if publicity_start else None
    complete = draw(st.booleans())
    return EligibilityFacts(
        on=on,
        industry_in_scope=draw(st.booleans()),
        industry_label="商贸",
        in_city=draw(st.booleans()),
        missing_required_documents=tuple(draw(st.lists(names, max_size=3, unique=True))),
        safety_manager_recorded=draw(st.booleans()),
        window_months=draw(st.integers(1, 24)),
        deaths=draw(st.integers(0, 3)),
        serious_injuries=draw(st.integers(0, 6)),
        direct_loss_yuan=draw(money),
        accident_count=draw(st.integers(0, 5)),
        max_deaths=draw(st.integers(0, 2)),
        serious_injury_block=draw(st.integers(1, 5)),
        loss_block=draw(st.sampled_from([Decimal("1000000"), Decimal("500000"), Decimal("2000000")])),
        on_blacklist=draw(st.booleans()),
        blacklist_note=draw(st.sampled_from(["", "2026年列入"])),
        bans=bans,
        other_open_applications=tuple(
            draw(st.lists(st.sampled_from(["DJ20260001", "DJ20260002"]), unique=True))
        ),
        sheet_complete=complete,
        sheet_unscored=0 if complete else draw(st.integers(1, 200)),
        sheet_percentage=draw(st.none() | percent),
        sheet_threshold=draw(st.none() | st.sampled_from([Decimal("60"), Decimal("75"), Decimal("90")])),
        publicity_start=publicity_start,
        publicity_earliest_end=earliest,
        publicity_min_days=draw(st.integers(1, 15)),
        commitment_signed=draw(st.booleans()),
    )


def violations(f: EligibilityFacts) -> set[str]:
    """The codes whose condition the facts violate, restated from domain.md §4."""
    bad = set()
    if not (f.industry_in_scope and f.in_city):
        bad.add("E1")
    if f.missing_required_documents:
        bad.add("E2")
    if not f.safety_manager_recorded:
        bad.add("E3")
    if (
        f.deaths > f.max_deaths
        or f.serious_injuries >= f.serious_injury_block
        or f.direct_loss_yuan >= f.loss_block
    ):
        bad.add("E5")
    if f.on_blacklist:
        bad.add("E7")
    bad |= {BAN_CODES[b.kind] for b in f.bans if b.until > f.on}
    if f.other_open_applications:
        bad.add("E12")
    if not f.sheet_complete or (
        f.sheet_threshold is not None
        and f.sheet_percentage is not None
        and f.sheet_percentage < f.sheet_threshold
    ):
        bad.add("E13")
    if f.publicity_start is None or f.publicity_earliest_end is None or f.on < f.publicity_earliest_end:
        bad.add("E14")
    if not f.commitment_signed:
        bad.add("E15")
    return bad


@settings(max_examples=300, deadline=None)
@given(facts())
def test_a_line_fails_exactly_when_its_condition_is_violated(f):
    checks = domain.evaluate(f)
    failed = {c.code for c in checks if c.result == domain.FAIL}
    assert failed == violations(f)
    assert bool(domain.blocking(checks)) == bool(violations(f))
    assert all(c.failed == (c.result == domain.FAIL) for c in checks)


@settings(max_examples=300, deadline=None)
@given(facts())
def test_one_verdict_per_code_and_every_condition_answered(f):
    checks = domain.evaluate(f)
    codes = [c.code for c in checks]
    assert len(codes) == len(set(codes))  # never both pass and fail (nor two fails) for a code
    assert all(c.result in (domain.PASS, domain.FAIL, domain.UNKNOWN) for c in checks)
    assert all(c.label and c.reason for c in checks)
    always = {"E1", "E2", "E3", "E4", "E5", "E6", "E7", "E12", "E13", "E14", "E15"}
    assert always <= set(codes)
    # The ban lines: one per kind of ban in force, or a single "no ban" pass line.
    live = {BAN_CODES[b.kind] for b in f.bans if b.until > f.on}
    ban_lines = {c.code: c.result for c in checks if c.code in ("E8", "E9", "E10")}
    assert ban_lines == ({code: domain.FAIL for code in live} if live else {"E8": domain.PASS})


@settings(max_examples=100, deadline=None)
@given(facts())
def test_e4_and_e6_are_always_confirmed_by_hand(f):
    results = {c.code: c.result for c in domain.evaluate(f)}
    assert results["E4"] == results["E6"] == domain.UNKNOWN
    # E2 and E3 are never a plain pass either: the county confirms what the system cannot see.
    assert results["E2"] in (domain.FAIL, domain.UNKNOWN)
    assert results["E3"] in (domain.FAIL, domain.UNKNOWN)


@given(facts(), st.integers(1, 3))
def test_more_deaths_than_allowed_always_fail_e5(f, extra):
    f = replace(f, deaths=f.max_deaths + extra)
    e5 = next(c for c in domain.evaluate(f) if c.code == "E5")
    assert e5.result == domain.FAIL
    assert str(f.deaths) in e5.reason


@given(facts())
def test_a_clean_record_passes_e5(f):
    f = replace(
        f,
        deaths=0,
        serious_injuries=f.serious_injury_block - 1,
        direct_loss_yuan=f.loss_block - Decimal("0.01"),
    )
    assert next(c for c in domain.evaluate(f) if c.code == "E5").result == domain.PASS


@given(facts())
def test_a_ban_ends_on_its_until_date(f):
    ban = Ban(kind="false_commitment", until=f.on, source="DJ20230001")
    f = replace(f, bans=(ban,))
    assert "E10" not in {c.code for c in domain.evaluate(f)}
    f = replace(f, on=f.on - timedelta(days=1))
    assert next(c for c in domain.evaluate(f) if c.code == "E10").result == domain.FAIL


@given(facts(), st.sampled_from([domain.PASS, domain.FAIL, domain.UNKNOWN]))
def test_checks_from_other_apps_are_appended_and_can_block(f, result):
    extra = Check("E11", "重大隐患", result, "台账")
    checks = domain.evaluate(replace(f, extra=(extra,)))
    assert checks[-1] == extra
    assert (extra in domain.blocking(checks)) == (result == domain.FAIL)
