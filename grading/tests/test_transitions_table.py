"""The transitions tables, exhaustively: every state × every move × every role, against the spec.

The expected tables below restate domain.md §3 by hand (they are deliberately not derived
from the flow objects, or these tests could never fail). Guards are not part of the tables:
publicity elapsed, eligibility, answered corrections and approved opinions are service
checks, tested with the services. Where the code refines the domain's "By" column, the
comment on the row says how.
"""

import pytest
from django.contrib.auth import get_user_model
from django.utils.translation import gettext

from accounts.roles import Role
from grading.models import (
    ENTERPRISE_EDITABLE_STATES,
    TERMINAL_STATES,
    CityDecision,
    CountyOpinion,
    GradingApplication,
    OpinionStatus,
    Status,
)
from grading.workflow import (
    APPLICATION_FLOW,
    CITY_DECISION_FLOW,
    COUNTY_OPINION_FLOW,
    ENTERPRISE_TRANSITIONS,
)
from lib.workflow import refusal

S = Status
R = Role
PRINCIPAL = frozenset({R.ENTERPRISE_PRINCIPAL})
CITY_CHIEF = frozenset({R.CITY_CHIEF})
# domain.md §3: "before on_site_review: -> withdrawn": every open state up to and
# including `review_scheduled` (the panel states come from the reviews app).
BEFORE_ON_SITE_REVIEW = frozenset(
    {
        S.DRAFT,
        S.INTERNAL_PUBLICITY,
        S.COUNTY_REVIEW,
        S.COUNTY_RETURNED,
        S.CITY_REVIEW,
        S.CITY_RETURNED,
        S.ACCEPTED,
        S.PANEL_FORMING,
        S.REVIEW_SCHEDULED,
    }
)
# "any non-terminal: -> terminated_false_commitment" (once the file left the draft).
OPEN_AFTER_DRAFT = (BEFORE_ON_SITE_REVIEW - {S.DRAFT}) | {
    S.ON_SITE_REVIEW,
    S.RECTIFYING,
    S.RECTIFICATION_CHECK,
    S.RESULT_CONFIRMATION,
    S.PUBLICITY,
    S.OBJECTION_CHECK,
}

# transition -> (sources, target, roles)
EXPECTED_APPLICATION_FLOW = {
    # #1 draft -> internal_publicity, by the principal.
    "start_internal_publicity": ({S.DRAFT}, S.INTERNAL_PUBLICITY, PRINCIPAL),
    # Stopping the publicity to edit again (the minimum starts over): the principal.
    "back_to_draft": ({S.INTERNAL_PUBLICITY}, S.DRAFT, PRINCIPAL),
    # #2 -> county_review, by the principal (publicity elapsed etc. are guards).
    "submit": ({S.INTERNAL_PUBLICITY}, S.COUNTY_REVIEW, PRINCIPAL),
    # #3 county_review <-> county_returned: the county officer returns (the chief, who
    # outranks the officer, may too); the principal answers and resubmits.
    "county_return": ({S.COUNTY_REVIEW}, S.COUNTY_RETURNED, {R.COUNTY_OFFICER, R.COUNTY_CHIEF}),
    "county_resubmit": ({S.COUNTY_RETURNED}, S.COUNTY_REVIEW, PRINCIPAL),
    # #4 -> city_review, by the county chief (approving the officer's opinion).
    "county_forward": ({S.COUNTY_REVIEW}, S.CITY_REVIEW, {R.COUNTY_CHIEF}),
    # #5 city_review <-> city_returned: the city officer drafts the return as a proposal
    # (CITY_DECISION_FLOW); the move itself is made when the chief approves it.
    "city_return": ({S.CITY_REVIEW}, S.CITY_RETURNED, CITY_CHIEF),
    "city_resubmit": ({S.CITY_RETURNED}, S.CITY_REVIEW, PRINCIPAL),
    # The city sends the file back to the county (a new opinion round), same approval.
    "city_return_county": ({S.CITY_REVIEW}, S.COUNTY_REVIEW, CITY_CHIEF),
    # #6 -> accepted / -> not_accepted, by the city chief.
    "accept": ({S.CITY_REVIEW}, S.ACCEPTED, CITY_CHIEF),
    "not_accept": ({S.CITY_REVIEW}, S.NOT_ACCEPTED, CITY_CHIEF),
    # #16 -> withdrawn by the principal, before the on-site review.
    "withdraw": (BEFORE_ON_SITE_REVIEW, S.WITHDRAWN, PRINCIPAL),
    # #16 -> terminated_false_commitment by the city chief from any open state once the
    # file (and with it the commitment) has left the enterprise's draft.
    "terminate_false_commitment": (OPEN_AFTER_DRAFT, S.TERMINATED_FALSE_COMMITMENT, CITY_CHIEF),
    # #7 accepted -> panel_forming (the city officer draws) -> review_scheduled (the chief
    # approves the panel).
    "form_panel": ({S.ACCEPTED}, S.PANEL_FORMING, {R.CITY_OFFICER, R.CITY_CHIEF}),
    "approve_panel": ({S.PANEL_FORMING}, S.REVIEW_SCHEDULED, CITY_CHIEF),
    # #8 -> on_site_review by the panel leader (an expert; that he leads this panel is a guard).
    "open_review": ({S.REVIEW_SCHEDULED}, S.ON_SITE_REVIEW, {R.EXPERT}),
    # #9 -> rectifying, or -> result_confirmation when nothing was found, by the leader.
    "finalise_with_rectification": ({S.ON_SITE_REVIEW}, S.RECTIFYING, {R.EXPERT}),
    "finalise_without_findings": ({S.ON_SITE_REVIEW}, S.RESULT_CONFIRMATION, {R.EXPERT}),
    # #12 -> not_passed, decided by the city chief (veto or score below the threshold).
    "fail_review": ({S.ON_SITE_REVIEW}, S.NOT_PASSED, CITY_CHIEF),
    # #10 rectifying -> rectification_check: the principal reports the rectification done
    # (hazards all submitted is a guard in the service).
    "submit_rectification": ({S.RECTIFYING}, S.RECTIFICATION_CHECK, PRINCIPAL),
    # #11 -> result_confirmation by the leader (an expert; that he leads the panel and the plan's
    # gate are guards), or back to rectifying when the report does not hold.
    "confirm_rectification": ({S.RECTIFICATION_CHECK}, S.RESULT_CONFIRMATION, {R.EXPERT}),
    "return_rectification": ({S.RECTIFICATION_CHECK}, S.RECTIFYING, {R.EXPERT}),
    # #12 -> not_passed by the city chief: the deadline missed (rectifying) or the
    # rectification failed (rectification_check).
    "fail_rectification": ({S.RECTIFYING, S.RECTIFICATION_CHECK}, S.NOT_PASSED, CITY_CHIEF),
    # #13 result_confirmation -> publicity, by the city chief (approving the publicity batch).
    "start_publicity": ({S.RESULT_CONFIRMATION}, S.PUBLICITY, CITY_CHIEF),
    # #14 publicity -> objection_check, by the system when the window ends with an objection open.
    "open_objection_check": ({S.PUBLICITY}, S.OBJECTION_CHECK, {"system"}),
    # An upheld objection (recorded by the city officer or chief) takes the application off the
    # list, back to result_confirmation with the findings; domain.md §9 "founded -> not passed"
    # is then the chief's decision (fail_result).
    "objection_return": (
        {S.PUBLICITY, S.OBJECTION_CHECK},
        S.RESULT_CONFIRMATION,
        {R.CITY_OFFICER, R.CITY_CHIEF},
    ),
    # #12 -> not_passed from result confirmation, by the city chief.
    "fail_result": ({S.RESULT_CONFIRMATION}, S.NOT_PASSED, CITY_CHIEF),
    # #15 -> announced, by the city chief (window over, objections closed are guards).
    "announce": ({S.PUBLICITY, S.OBJECTION_CHECK}, S.ANNOUNCED, CITY_CHIEF),
}
# Moves made on other pages than the case's enterprise panel (grading.views.cases.enterprise_moves):
# the principal reports the rectification from the 一企一策 page.
PRINCIPAL_MOVES_ELSEWHERE = frozenset({"submit_rectification"})

OS = OpinionStatus
EXPECTED_COUNTY_OPINION_FLOW = {
    # The county officer drafts the 初审意见 (the chief may draft too); the chief approves.
    "submit_for_approval": ({OS.DRAFT, OS.SENT_BACK}, OS.SUBMITTED, {R.COUNTY_OFFICER, R.COUNTY_CHIEF}),
    "send_back": ({OS.SUBMITTED}, OS.SENT_BACK, {R.COUNTY_CHIEF}),
    "approve": ({OS.SUBMITTED}, OS.APPROVED, {R.COUNTY_CHIEF}),
}
EXPECTED_CITY_DECISION_FLOW = {
    # The 制造业科 officer proposes (再审意见); the 科长 decides (domain.md §2, §3 #6).
    "submit_for_approval": ({OS.DRAFT, OS.SENT_BACK}, OS.SUBMITTED, {R.CITY_OFFICER, R.CITY_CHIEF}),
    "send_back": ({OS.SUBMITTED}, OS.SENT_BACK, CITY_CHIEF),
    "approve": ({OS.SUBMITTED}, OS.APPROVED, CITY_CHIEF),
}

WRONG_ROLE = "Your role may not do this."
WRONG_STATE = "This cannot be done in the current state."

User = get_user_model()


def _cases(expected, states):
    return [
        pytest.param(name, state, role, id=f"{name}-{state}-{role}")
        for name in expected
        for state in states
        for role in Role.values
    ]


def _check(flow, expected, obj, name, role):
    """The table's verdict for (obj's state, move, role) must be the spec's, with the right reason."""
    sources, _target, roles = expected[name]
    actor = User(username=f"u-{role}", role=role)  # unsaved: refusal reads the role only
    message = refusal(obj, flow[name], actor)
    state = obj.status
    if role not in roles:
        assert message == gettext(WRONG_ROLE)
    elif state not in sources:
        assert message == gettext(WRONG_STATE)
    else:
        assert message is None


@pytest.mark.parametrize(("name", "state", "role"), _cases(EXPECTED_APPLICATION_FLOW, Status.values))
def test_application_flow_cell(name, state, role):
    _check(APPLICATION_FLOW, EXPECTED_APPLICATION_FLOW, GradingApplication(status=state), name, role)


@pytest.mark.parametrize(
    ("name", "state", "role"), _cases(EXPECTED_COUNTY_OPINION_FLOW, OpinionStatus.values)
)
def test_county_opinion_flow_cell(name, state, role):
    _check(COUNTY_OPINION_FLOW, EXPECTED_COUNTY_OPINION_FLOW, CountyOpinion(status=state), name, role)


@pytest.mark.parametrize(("name", "state", "role"), _cases(EXPECTED_CITY_DECISION_FLOW, OpinionStatus.values))
def test_city_decision_flow_cell(name, state, role):
    _check(CITY_DECISION_FLOW, EXPECTED_CITY_DECISION_FLOW, CityDecision(status=state), name, role)


@pytest.mark.parametrize(
    ("flow", "expected"),
    [
        (APPLICATION_FLOW, EXPECTED_APPLICATION_FLOW),
        (COUNTY_OPINION_FLOW, EXPECTED_COUNTY_OPINION_FLOW),
        (CITY_DECISION_FLOW, EXPECTED_CITY_DECISION_FLOW),
    ],
    ids=["application", "county_opinion", "city_decision"],
)
def test_the_tables_are_exactly_the_spec(flow, expected):
    # No move missing, none extra: a new move must be added to the spec above first.
    assert set(flow.transitions) == set(expected)
    for name, (sources, target, roles) in expected.items():
        t = flow[name]
        assert (set(t.sources), t.target, set(t.roles)) == (set(sources), target, set(roles)), name


def _reachable(flow, start):
    seen, todo = {start}, [start]
    while todo:
        state = todo.pop()
        for t in flow.transitions.values():
            if state in t.sources and t.target not in seen:
                seen.add(t.target)
                todo.append(t.target)
    return seen


def test_every_application_state_is_reachable_from_draft():
    assert _reachable(APPLICATION_FLOW, S.DRAFT) == set(Status.values)
    assert APPLICATION_FLOW.states() == set(Status.values)


@pytest.mark.parametrize("flow", [COUNTY_OPINION_FLOW, CITY_DECISION_FLOW], ids=["county", "city"])
def test_every_opinion_state_is_reachable_from_draft(flow):
    assert _reachable(flow, OS.DRAFT) == set(OpinionStatus.values)


def test_terminal_states_have_no_outgoing_moves():
    assert {
        S.ANNOUNCED,
        S.NOT_ACCEPTED,
        S.NOT_PASSED,
        S.WITHDRAWN,
        S.TERMINATED_FALSE_COMMITMENT,
    } == TERMINAL_STATES
    for t in APPLICATION_FLOW.transitions.values():
        assert not (t.sources & TERMINAL_STATES), t.name
    # ...and every other state has a way on (no dead end but the terminal ones).
    open_states = set(Status.values) - TERMINAL_STATES
    assert {
        s for s in open_states if not any(s in t.sources for t in APPLICATION_FLOW.transitions.values())
    } == set()


@pytest.mark.parametrize("flow", [COUNTY_OPINION_FLOW, CITY_DECISION_FLOW], ids=["county", "city"])
def test_an_approved_opinion_is_final(flow):
    assert not any(OS.APPROVED in t.sources for t in flow.transitions.values())


@pytest.mark.parametrize("state", sorted(TERMINAL_STATES))
def test_withdraw_is_refused_after_a_terminal_state(state):
    actor = User(username="p", role=Role.ENTERPRISE_PRINCIPAL)
    assert refusal(GradingApplication(status=state), APPLICATION_FLOW["withdraw"], actor) == gettext(
        WRONG_STATE
    )


def test_withdraw_reaches_accepted_but_no_later():
    withdraw = APPLICATION_FLOW["withdraw"]
    assert S.ACCEPTED in withdraw.sources
    # Nothing past acceptance exists yet; once it does, on_site_review and later must stay out.
    assert withdraw.sources == BEFORE_ON_SITE_REVIEW
    assert not withdraw.sources & TERMINAL_STATES


def test_no_move_for_read_only_or_outside_roles():
    # The bureau leader is read-only; admins make no business decisions; enterprise staff
    # (not the principal) prepare the file but never move it.
    for role in (R.BUREAU_LEADER, R.SYSTEM_ADMIN, R.ENTERPRISE_USER):
        assert not [t.name for t in APPLICATION_FLOW.transitions.values() if role in t.roles], role
    # The city officer proposes through CITY_DECISION_FLOW; the chief's approval moves the
    # case. His own moves: drawing the panel.
    # His other is recording an upheld objection, which takes the case off the publicity list.
    assert [t.name for t in APPLICATION_FLOW.transitions.values() if R.CITY_OFFICER in t.roles] == [
        "form_panel",
        "objection_return",
    ]
    # An expert moves a case only as the panel leader, through the review.
    expert_moves = {t.name for t in APPLICATION_FLOW.transitions.values() if R.EXPERT in t.roles}
    assert expert_moves == {
        "open_review",
        "finalise_with_rectification",
        "finalise_without_findings",
        "confirm_rectification",
        "return_rectification",
    }
    outsiders = (R.BUREAU_LEADER, R.SYSTEM_ADMIN, R.EXPERT, R.ENTERPRISE_USER, R.ENTERPRISE_PRINCIPAL)
    for flow in (COUNTY_OPINION_FLOW, CITY_DECISION_FLOW):
        for role in outsiders:
            assert not [t.name for t in flow.transitions.values() if role in t.roles], role


def test_enterprise_transitions_are_the_principals_moves():
    principal_moves = {n for n, (_s, _t, roles) in EXPECTED_APPLICATION_FLOW.items() if roles == PRINCIPAL}
    assert principal_moves - PRINCIPAL_MOVES_ELSEWHERE == ENTERPRISE_TRANSITIONS
    assert principal_moves >= PRINCIPAL_MOVES_ELSEWHERE


def test_the_enterprise_edits_only_where_it_holds_the_file():
    assert {S.DRAFT, S.COUNTY_RETURNED, S.CITY_RETURNED} == ENTERPRISE_EDITABLE_STATES


@pytest.mark.parametrize(
    "flow", [APPLICATION_FLOW, COUNTY_OPINION_FLOW, CITY_DECISION_FLOW], ids=["application", "county", "city"]
)
def test_every_move_has_a_label(flow):
    labels = [str(t.label).strip() for t in flow.transitions.values()]
    assert all(labels)
    assert len(set(labels)) == len(labels)  # two buttons never read the same
