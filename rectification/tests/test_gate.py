"""The gate to publicity (issue 6) and the application's rectification moves (domain.md §3 #10–12).

The application moves on from the rectification check only when its plan is closed — or,
where ``rectification_gate_allows_general`` is 1, when only 一般 hazards remain open and none
is overdue. The parameter is changed the way an administrator does it: a new version in force
from today (regulation.services.parameter_set).
"""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from grading.models import ApplicationTransition, Status
from lib.workflow import TransitionError
from notifications.models import Notification
from rectification import services
from rectification.models import Hazard
from rectification.services import HazardIn
from rectification.tests.factories import FIVE_ASSURANCES, major_clause, walk
from regulation.selectors import param_int
from regulation.services import parameter_set

pytestmark = pytest.mark.django_db

H = Hazard.Status
NOTE = "现场复查，整改到位"


def allow_open_general(personas, value: str) -> None:
    """The administrator records a new value of the gate parameter, in force from today."""
    parameter_set(
        actor=personas.admin,
        key="rectification_gate_allows_general",
        value=value,
        effective_from=timezone.localdate(),
        source_note="市局决定：未逾期一般隐患可先行公示",
    )
    assert param_int("rectification_gate_allows_general") == int(value)


def moves(application, name):
    return ApplicationTransition.objects.filter(application=application, transition=name)


def test_the_gate_both_ways(plan, personas, rectification_clock):
    application, the_plan, leader, _principal = plan
    first, second = the_plan.hazards.order_by("pk")
    assert param_int("rectification_gate_allows_general") == 0
    gate = services.plan_gate(application)
    # Parameter 0 (the default): every hazard must be closed.
    assert (gate.open, gate.rule, gate.allows_general) == (False, "blocked", False)
    assert set(gate.blocking) == set(gate.still_open) == {first.pk, second.pk}
    walk(first, H.CLOSED, verifier=leader)
    gate = services.plan_gate(application)
    assert (gate.open, gate.blocking) == (False, (second.pk,))

    # Parameter 1: open 一般 hazards, none overdue, let the case go on.
    allow_open_general(personas, "1")
    gate = services.plan_gate(application)
    assert (gate.open, gate.rule, gate.still_open, gate.blocking) == (True, "general_only", (second.pk,), ())
    # …but not once it is overdue (as of a later day)…
    late = second.deadline + timedelta(days=1)
    assert services.plan_gate(application, today=second.deadline).open
    assert services.plan_gate(application, today=late).blocking == (second.pk,)
    # …nor while a major hazard is open.
    services.hazard_update(
        actor=leader, hazard=second, data=HazardIn(level="major", basis_clause_id=major_clause().pk)
    )
    gate = services.plan_gate(application)
    assert (gate.open, gate.rule, gate.blocking) == (False, "blocked", (second.pk,))
    # Closed plan: open under either rule.
    fix = {k: v for k, v in FIVE_ASSURANCES.items() if k != "governance_plan"}
    services.hazard_update(actor=personas.enterprise_user, hazard=second, data=HazardIn(**fix))
    walk(second, H.AWAITING_VERIFICATION, rectifier=personas.enterprise_user)
    assert not services.plan_gate(application).open  # a major hazard waits for its verification
    services.hazard_verify(actor=leader, hazard=second, passed=True, note=NOTE)
    gate = services.plan_gate(application)
    assert (gate.open, gate.rule, gate.still_open) == (True, "closed", ())
    # The version of the parameter in force on a day decides: yesterday it was 0.
    assert not services.plan_gate(application, today=timezone.localdate() - timedelta(days=1)).allows_general


def test_report_check_and_confirm_through_the_gate(plan, personas):
    application, the_plan, leader, principal = plan
    user = personas.enterprise_user
    first, second = the_plan.hazards.order_by("pk")
    # Only the principal reports, and only when every hazard's fix is in.
    with pytest.raises(PermissionDenied):
        services.rectification_submit(actor=user, application=application)
    with pytest.raises(PermissionDenied):
        services.rectification_submit(actor=personas.other_enterprise_user, application=application)
    with pytest.raises(ValidationError):
        services.rectification_submit(actor=principal, application=application)
    walk(first, H.AWAITING_VERIFICATION, rectifier=user)
    walk(second, H.IN_PROGRESS, rectifier=user)
    with pytest.raises(ValidationError):  # one still being rectified
        services.rectification_submit(actor=principal, application=application)
    walk(second, H.AWAITING_VERIFICATION, rectifier=user)
    services.rectification_submit(actor=principal, application=application, comment="整改报告已上传")
    application.refresh_from_db()
    assert application.status == Status.RECTIFICATION_CHECK
    assert moves(application, "submit_rectification").count() == 1
    assert Notification.objects.filter(recipient=leader, category="hazard").exists()
    with pytest.raises(TransitionError):  # reported already
        services.rectification_submit(actor=principal, application=application)

    # The leader's check: an opinion is required, and the gate must hold (parameter 0: all closed).
    with pytest.raises(ValidationError):
        services.rectification_confirm(actor=leader, application=application, passed=True, comment=" ")
    with pytest.raises(TransitionError) as refused:
        services.rectification_confirm(actor=leader, application=application, passed=True, comment="复查合格")
    assert "2" in refused.value.message
    application.refresh_from_db()
    assert application.status == Status.RECTIFICATION_CHECK
    for actor in (principal, personas.city_chief, personas.expert):
        with pytest.raises(PermissionDenied):
            services.rectification_confirm(actor=actor, application=application, passed=True, comment="x")
    for hazard in (first, second):
        services.hazard_verify(actor=leader, hazard=hazard, passed=True, note=NOTE)
    log = services.rectification_confirm(
        actor=leader, application=application, passed=True, comment="复查合格"
    )
    assert (log.from_state, log.to_state, log.actor) == (
        Status.RECTIFICATION_CHECK,
        Status.RESULT_CONFIRMATION,
        leader,
    )
    application.refresh_from_db()
    assert application.status == Status.RESULT_CONFIRMATION
    assert AuditEvent.objects.filter(action="rectification.confirm", data__passed=True).count() == 1


def test_the_leader_sends_it_back_and_the_chief_fails_it(plan, personas):
    application, the_plan, leader, principal = plan
    for hazard in the_plan.hazards.all():
        walk(hazard, H.AWAITING_VERIFICATION, rectifier=personas.enterprise_user)
    services.rectification_submit(actor=principal, application=application)
    services.rectification_confirm(
        actor=leader, application=application, passed=False, comment="整改报告缺少照片"
    )
    application.refresh_from_db()
    assert application.status == Status.RECTIFYING
    assert moves(application, "return_rectification").get().comment == "整改报告缺少照片"
    # The chief decides the rectification failed: reasons required; not the officer.
    with pytest.raises(PermissionDenied):
        services.rectification_fail(actor=personas.city_officer, application=application, reason="逾期未整改")
    with pytest.raises(ValidationError):
        services.rectification_fail(actor=personas.city_chief, application=application, reason=" ")
    services.rectification_fail(actor=personas.city_chief, application=application, reason="逾期未整改")
    application.refresh_from_db()
    assert application.status == Status.NOT_PASSED
    assert application.ban_until == timezone.localdate(application.decided_at) + relativedelta(months=12)
    assert moves(application, "fail_rectification").count() == 1
    with pytest.raises(TransitionError):
        services.rectification_fail(actor=personas.city_chief, application=application, reason="again")


def test_with_the_parameter_open_general_hazards_do_not_hold_the_case(plan, personas):
    application, the_plan, leader, principal = plan
    allow_open_general(personas, "1")
    for hazard in the_plan.hazards.all():
        walk(hazard, H.AWAITING_VERIFICATION, rectifier=personas.enterprise_user)
    services.rectification_submit(actor=principal, application=application)
    gate = services.plan_gate(application)
    assert (gate.open, gate.rule) == (True, "general_only")
    services.rectification_confirm(
        actor=leader, application=application, passed=True, comment="一般隐患限期销号"
    )
    application.refresh_from_db()
    assert application.status == Status.RESULT_CONFIRMATION
    assert the_plan.hazards.filter(status=H.AWAITING_VERIFICATION).count() == 2
    assert timezone.localdate() <= the_plan.hazards.first().deadline  # none overdue
