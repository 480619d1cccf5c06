"""The pure rules of rectification (rectification.domain) and the hazard's transitions table.

The gate and the escalation steps are restated here from issue 6 / domain.md §8 as predicates
and checked over generated hazards and dates with hypothesis; the hazard's table is checked
cell by cell (state × move × role) against a table written out by hand.
"""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from lib.dates import build_calendar, chinese_calendar_data, working_days_between
from lib.workflow import refusal
from rectification import domain
from rectification.domain import HazardFact, gate
from rectification.models import Hazard
from rectification.workflow import HAZARD_FLOW

STATES = [domain.PENDING, domain.IN_PROGRESS, domain.AWAITING, domain.CLOSED]
LEVELS = [domain.GENERAL, domain.MAJOR]

facts = st.lists(
    st.builds(
        HazardFact,
        key=st.integers(1, 10_000),
        level=st.sampled_from(LEVELS),
        status=st.sampled_from(STATES),
        overdue=st.booleans(),
    ),
    max_size=12,
    unique_by=lambda h: h.key,
).map(
    lambda hs: [h if h.status != domain.CLOSED else HazardFact(h.key, h.level, h.status, False) for h in hs]
)


# --- is_overdue --------------------------------------------------------------------------------


def test_overdue_is_open_after_the_deadline_day():
    deadline = date(2026, 6, 10)
    assert not domain.is_overdue(domain.PENDING, deadline, deadline)  # the deadline day itself is in time
    assert domain.is_overdue(domain.PENDING, deadline, deadline + timedelta(days=1))
    assert domain.is_overdue(domain.IN_PROGRESS, deadline, deadline + timedelta(days=30))
    assert not domain.is_overdue(domain.CLOSED, deadline, deadline + timedelta(days=30))
    # Awaiting verification: submitted in time is not overdue, however long the verifier takes.
    later = deadline + timedelta(days=30)
    assert not domain.is_overdue(domain.AWAITING, deadline, later, submitted_on=deadline)
    assert domain.is_overdue(domain.AWAITING, deadline, later, submitted_on=deadline + timedelta(days=1))
    assert domain.is_overdue(domain.AWAITING, deadline, later)  # submission date unknown: like any open one


# --- The gate ------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hazards=facts, allow=st.booleans())
def test_the_gate_opens_exactly_when_the_rule_holds(hazards, allow):
    result = gate(hazards, allow_open_general=allow)
    open_ = [h for h in hazards if h.status != domain.CLOSED]
    all_closed = not open_
    only_general_in_time = all(h.level == domain.GENERAL and not h.overdue for h in open_)
    assert result.open == (all_closed or (allow and only_general_in_time))
    assert result.allows_general == allow
    assert set(result.still_open) == {h.key for h in open_}
    assert set(result.blocking) <= set(result.still_open)
    # Open means nothing blocks; closed means something does, and the rule says which.
    assert result.open == (not result.blocking)
    if all_closed:
        assert result.rule == "closed"
    elif result.open:
        assert result.rule == "general_only"
        assert allow
    else:
        assert result.rule == "blocked"
        # Every major or overdue open hazard blocks; open general ones block unless allowed.
        expected = {h.key for h in open_ if h.level == domain.MAJOR or h.overdue or not allow}
        assert set(result.blocking) == expected


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hazards=facts)
def test_allowing_open_general_hazards_never_closes_the_gate(hazards):
    strict = gate(hazards, allow_open_general=False)
    lenient = gate(hazards, allow_open_general=True)
    assert not strict.open or lenient.open
    assert set(lenient.blocking) <= set(strict.blocking)
    # The strict rule opens only when the plan is closed.
    assert strict.open == (not strict.still_open)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hazards=facts, allow=st.booleans(), data=st.data())
def test_closing_a_hazard_never_closes_the_gate(hazards, allow, data):
    before = gate(hazards, allow_open_general=allow)
    open_ = [h for h in hazards if h.status != domain.CLOSED]
    if not open_:
        return
    closing = data.draw(st.sampled_from(open_))
    after = gate(
        [HazardFact(h.key, h.level, domain.CLOSED, False) if h == closing else h for h in hazards],
        allow_open_general=allow,
    )
    assert not before.open or after.open
    assert closing.key not in after.still_open


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hazards=facts, allow=st.booleans(), data=st.data())
def test_the_gate_does_not_depend_on_the_order(hazards, allow, data):
    shuffled = data.draw(st.permutations(hazards))
    a, b = gate(hazards, allow_open_general=allow), gate(shuffled, allow_open_general=allow)
    assert (a.open, a.rule, set(a.still_open), set(a.blocking)) == (
        b.open,
        b.rule,
        set(b.still_open),
        set(b.blocking),
    )


def test_the_gate_examples():
    g1 = HazardFact(1, domain.GENERAL, domain.IN_PROGRESS, False)
    g2_late = HazardFact(2, domain.GENERAL, domain.PENDING, True)
    m3 = HazardFact(3, domain.MAJOR, domain.AWAITING, False)
    done = HazardFact(4, domain.MAJOR, domain.CLOSED, False)
    assert gate([], allow_open_general=False).open  # a plan without hazards holds nothing up
    assert gate([done], allow_open_general=False).rule == "closed"
    assert gate([done, g1], allow_open_general=False).blocking == (1,)
    assert gate([done, g1], allow_open_general=True).rule == "general_only"
    assert gate([g1, g2_late], allow_open_general=True).blocking == (2,)
    assert gate([g1, m3], allow_open_general=True).blocking == (3,)


# --- Escalation steps ----------------------------------------------------------------------------

HOLIDAYS, WORKDAYS, YEARS = chinese_calendar_data()
CALENDAR = build_calendar(holidays=HOLIDAYS, makeup_workdays=WORKDAYS, years=YEARS, overrides={})
in_calendar = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 9, 30))


def steps_on(status, deadline, today, remind_before, city_after):
    left = working_days_between(today, deadline, CALENDAR) if today < deadline else 0
    late = working_days_between(deadline, today, CALENDAR) if today > deadline else 0
    return domain.escalation_steps(
        status=status,
        deadline=deadline,
        today=today,
        working_days_left=left,
        working_days_overdue=late,
        remind_before=remind_before,
        city_after=city_after,
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    status=st.sampled_from(STATES),
    deadline=in_calendar,
    offset=st.integers(-40, 40),
    remind_before=st.integers(0, 10),
    city_after=st.integers(1, 15),
)
def test_escalation_steps_follow_the_rules(status, deadline, offset, remind_before, city_after):
    today = deadline + timedelta(days=offset)
    steps = steps_on(status, deadline, today, remind_before, city_after)
    codes = [s.code for s in steps]
    audience = {s.code: s.audience for s in steps}
    if status in (domain.AWAITING, domain.CLOSED):
        # Nothing to chase: the fix is in (or verified).
        assert steps == []
        return
    if today < deadline:
        left = working_days_between(today, deadline, CALENDAR)
        assert codes == ([domain.BEFORE] if left <= remind_before else [])
    elif today == deadline:
        assert codes == [domain.DUE]
    else:
        late = working_days_between(deadline, today, CALENDAR)
        assert codes[0] == domain.OVERDUE_COUNTY
        assert (domain.OVERDUE_CITY in codes) == (late >= city_after)
    # The enterprise hears before and on the day; the county, then the city, once overdue.
    expected = {
        domain.BEFORE: "enterprise",
        domain.DUE: "enterprise",
        domain.OVERDUE_COUNTY: "county",
        domain.OVERDUE_CITY: "city",
    }
    assert all(expected[code] == who for code, who in audience.items())
    assert len(set(codes)) == len(codes)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(deadline=in_calendar, remind_before=st.integers(1, 5), city_after=st.integers(1, 10))
def test_walking_the_days_reaches_each_step_in_order(deadline, remind_before, city_after):
    # Day by day from a month before to a month after: the steps first appear in the order
    # before → due → county → city, and each keeps appearing (the dedupe key sends it once).
    first_seen: dict[str, date] = {}
    day = deadline - timedelta(days=31)
    while day <= deadline + timedelta(days=31):
        for step in steps_on(domain.IN_PROGRESS, deadline, day, remind_before, city_after):
            first_seen.setdefault(step.code, day)
        day += timedelta(days=1)
    assert first_seen[domain.DUE] == deadline
    assert first_seen[domain.OVERDUE_COUNTY] == deadline + timedelta(days=1)
    assert first_seen[domain.BEFORE] < deadline
    assert first_seen[domain.OVERDUE_COUNTY] <= first_seen[domain.OVERDUE_CITY]
    assert working_days_between(deadline, first_seen[domain.OVERDUE_CITY], CALENDAR) == city_after


def test_missing_calendar_days_escalate_only_what_is_certain():
    deadline = date(2026, 6, 10)
    none_left = domain.escalation_steps(
        status=domain.PENDING,
        deadline=deadline,
        today=date(2026, 6, 9),
        working_days_left=None,
        working_days_overdue=None,
        remind_before=3,
        city_after=5,
    )
    assert none_left == []
    late = domain.escalation_steps(
        status=domain.PENDING,
        deadline=deadline,
        today=date(2026, 7, 30),
        working_days_left=None,
        working_days_overdue=None,
        remind_before=3,
        city_after=5,
    )
    assert [s.code for s in late] == [domain.OVERDUE_COUNTY]


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    level=st.sampled_from(LEVELS),
    status=st.sampled_from(STATES),
    deadline=in_calendar,
    offset=st.integers(-10, 10),
)
def test_a_supervision_order_is_for_overdue_major_hazards_only(level, status, deadline, offset):
    today = deadline + timedelta(days=offset)
    assert domain.needs_escalation_order(level=level, status=status, deadline=deadline, today=today) == (
        level == domain.MAJOR and status != domain.CLOSED and today > deadline
    )


# --- The hazard's transitions table ----------------------------------------------------------------

H = Hazard.Status
ENTERPRISE = {Role.ENTERPRISE_USER, Role.ENTERPRISE_PRINCIPAL}
# The leader (an expert), the county bureau and the principal (his own 自查 一般 hazards); which
# of them may verify a given hazard is rectification.permissions.may_verify.
VERIFIERS = {Role.EXPERT, Role.COUNTY_OFFICER, Role.COUNTY_CHIEF, Role.ENTERPRISE_PRINCIPAL}
EXPECTED_HAZARD_FLOW = {
    # 待整改 → 整改中: the enterprise starts.
    "start": ({H.PENDING}, H.IN_PROGRESS, ENTERPRISE),
    # → 待验收: the enterprise submits its fix (from 待整改 too, when fixed at once).
    "submit": ({H.PENDING, H.IN_PROGRESS}, H.AWAITING_VERIFICATION, ENTERPRISE),
    # 待验收 → 已销号, or 退回 to 整改中.
    "verify": ({H.AWAITING_VERIFICATION}, H.CLOSED, VERIFIERS),
    "reject": ({H.AWAITING_VERIFICATION}, H.IN_PROGRESS, VERIFIERS),
}
User = get_user_model()


@pytest.mark.parametrize(
    ("name", "state", "role"),
    [(n, s, r) for n in EXPECTED_HAZARD_FLOW for s in H.values for r in Role.values],
)
def test_hazard_flow_cell(name, state, role):
    sources, _target, roles = EXPECTED_HAZARD_FLOW[name]
    message = refusal(Hazard(status=state), HAZARD_FLOW[name], User(username="u", role=role))
    if role not in roles:
        assert message == gettext("Your role may not do this.")
    elif state not in sources:
        assert message == gettext("This cannot be done in the current state.")
    else:
        assert message is None


def test_the_hazard_table_is_exactly_the_spec():
    assert set(HAZARD_FLOW.transitions) == set(EXPECTED_HAZARD_FLOW)
    for name, (sources, target, roles) in EXPECTED_HAZARD_FLOW.items():
        t = HAZARD_FLOW[name]
        assert (set(t.sources), t.target, set(t.roles)) == (set(sources), target, set(roles)), name
    assert HAZARD_FLOW.states() == set(H.values)
    # 已销号 is final; the city and the bureau leader never move a hazard themselves.
    assert not any(H.CLOSED in t.sources for t in HAZARD_FLOW.transitions.values())
    for role in (Role.CITY_OFFICER, Role.CITY_CHIEF, Role.BUREAU_LEADER, Role.SYSTEM_ADMIN):
        assert not [t.name for t in HAZARD_FLOW.transitions.values() if role in t.roles]
