"""The hazard ledger's writes (rectification.services) and who may make them.

The plan of a finalised review, hazards recorded by the enterprise, the county and the leader,
the loop start → progress → evidence → submit → verify/reject, extensions, 督办, the scope
of every read, and two verify clicks racing. Hazards outside a plan come from
``rectification.tests.factories.make_hazard``; a plan from the ``plan`` fixture (conftest).
"""

import threading
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from accounts.roles import Role
from accounts.tests.factories import UserFactory, expert_pool
from audit.models import AuditEvent
from grading.tests.factories import commerce_enterprise
from lib.dates import add_working_days
from lib.workflow import TransitionError
from notifications.models import Notification
from rectification import services
from rectification.models import (
    EscalationOrder,
    ExtensionRequest,
    Hazard,
    HazardEvidence,
    HazardProgress,
    HazardTransition,
    MajorHazardClause,
    RectificationPlan,
)
from rectification.permissions import (
    get_hazard_for_user,
    get_plan_for_user,
    may_verify,
    plans_visible_to,
    visible_to,
)
from rectification.selectors import LedgerFilters, enterprise_flagged, hazard_history, ledger, plan_progress
from rectification.services import HazardIn
from rectification.tests.conftest import PLAN_DEDUCTIONS, PLAN_HAZARD_CODES
from rectification.tests.factories import (
    FIVE_ASSURANCES,
    exe_named_jpg,
    jpeg_file,
    major_clause,
    make_hazard,
    pdf_evidence,
    walk,
)
from regulation.selectors import param_int, work_calendar

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rectification_clock")]

H = Hazard.Status
NOTE = "现场复查，整改到位"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def enterprise(personas):
    return personas.enterprise


def transitions(hazard, name=None):
    rows = HazardTransition.objects.filter(hazard=hazard)
    return rows.filter(transition=name) if name else rows


def fresh(hazard) -> Hazard:
    return Hazard.objects.get(pk=hazard.pk)


# --- The plan from a finalised review ------------------------------------------------------------


def test_the_plan_has_one_general_hazard_per_deduction_marked_as_hazard(plan, personas):
    application, the_plan, leader, _principal = plan
    review = application.site_review
    hazards = list(the_plan.hazards.select_related("item", "deduction__entry").order_by("item__code"))
    assert [h.item.code for h in hazards] == list(PLAN_HAZARD_CODES)
    assert len(PLAN_DEDUCTIONS) == 3  # the third deduction is a nonconformity only: no hazard
    today = timezone.localdate()
    deadline = add_working_days(today, param_int("rectification_limit", today), work_calendar())
    assert deadline == date(2026, 6, 30)  # 20 working days after Monday 2026-06-01 (端午: 06-19)
    for hazard in hazards:
        assert hazard.enterprise_id == application.enterprise_id
        assert (hazard.level, hazard.status, hazard.source) == (
            Hazard.Level.GENERAL,
            H.PENDING,
            Hazard.Source.REVIEW,
        )
        # Linked to the item and to the panel sheet's deduction it came from.
        assert hazard.deduction.is_hazard
        assert hazard.deduction.entry.sheet_id == review.panel_sheet_id
        assert hazard.deduction.entry.item_id == hazard.item_id
        assert hazard.description == hazard.deduction.reason
        assert hazard.item.code in hazard.requirement
        assert (hazard.deadline, hazard.original_deadline, hazard.found_on) == (deadline, deadline, today)
        assert hazard.found_by == leader
    assert (the_plan.status, the_plan.enterprise_id, the_plan.issued_by) == (
        RectificationPlan.Status.OPEN,
        application.enterprise_id,
        leader,
    )
    assert AuditEvent.objects.filter(action="rectification.plan").count() == 1
    # Idempotent: the hook running again makes nothing new.
    assert services.plan_from_review(actor=leader, application=application) == the_plan
    assert Hazard.objects.filter(plan=the_plan).count() == 2
    progress = plan_progress(the_plan)
    assert (progress.total, progress.closed, progress.percent) == (2, 0, 0)


# --- Recording hazards ---------------------------------------------------------------------------


def test_the_enterprise_records_a_hazard_it_found_itself(personas, enterprise):
    user = personas.enterprise_user
    hazard = services.hazard_create(
        actor=user,
        enterprise=enterprise,
        data=HazardIn(description=" 叉车未年检 ", location="一号库", funds="1200.5"),
    )
    today = timezone.localdate()
    assert (hazard.source, hazard.plan, hazard.found_by, hazard.status) == (
        Hazard.Source.SELF_CHECK,
        None,
        user,
        H.PENDING,
    )
    assert hazard.description == "叉车未年检"
    assert hazard.funds == Decimal("1200.50")
    # The default deadline: rectification_limit working days from the day it was found.
    assert hazard.deadline == hazard.original_deadline == add_working_days(today, 20, work_calendar())
    assert AuditEvent.objects.filter(action="hazard.create", target_id=str(hazard.pk)).exists()
    # Not for another enterprise.
    with pytest.raises(PermissionDenied):
        services.hazard_create(
            actor=personas.other_enterprise_user, enterprise=enterprise, data=HazardIn(description="x")
        )


def test_the_county_records_a_hazard_found_on_inspection(personas, enterprise):
    hazard = services.hazard_create(
        actor=personas.county_officer,
        enterprise=enterprise,
        data=HazardIn(description="配电箱未上锁", deadline=date(2026, 6, 15)),
    )
    assert hazard.source == Hazard.Source.ENFORCEMENT
    assert hazard.deadline == hazard.original_deadline == date(2026, 6, 15)
    with pytest.raises(PermissionDenied):  # another division's officer
        services.hazard_create(
            actor=personas.other_county_officer, enterprise=enterprise, data=HazardIn(description="x")
        )
    # The enterprise sets how it fixes what the county found, never the finding itself.
    services.hazard_update(
        actor=personas.enterprise_user,
        hazard=hazard,
        data=HazardIn(description="改", deadline=date(2026, 7, 1), measures="加锁"),
    )
    hazard.refresh_from_db()
    assert (hazard.description, hazard.deadline, hazard.measures) == (
        "配电箱未上锁",
        date(2026, 6, 15),
        "加锁",
    )
    services.hazard_update(
        actor=personas.county_chief, hazard=hazard, data=HazardIn(description="配电箱门损坏")
    )
    assert fresh(hazard).description == "配电箱门损坏"
    with pytest.raises(PermissionDenied):
        services.hazard_update(
            actor=personas.other_county_officer, hazard=hazard, data=HazardIn(description="x")
        )


@pytest.mark.parametrize("persona", ["enterprise_user", "county_officer"])
def test_a_major_hazard_without_its_basis_clause_is_refused(personas, enterprise, persona):
    county = personas.county_officer
    data = HazardIn(description="有限空间作业未审批", level="major")
    with pytest.raises(ValidationError) as refused:
        services.hazard_create(actor=personas[persona], enterprise=enterprise, data=data)
    assert "basis_clause" in refused.value.message_dict
    assert not Hazard.objects.exists()
    clause = major_clause()
    hazard = services.hazard_create(
        actor=personas[persona],
        enterprise=enterprise,
        data=HazardIn(description="有限空间作业未审批", level="major", basis_clause_id=clause.pk),
    )
    assert (hazard.level, hazard.basis_clause) == (Hazard.Level.MAJOR, clause)
    # The county bureau hears of a major hazard at once.
    assert Notification.objects.filter(recipient=county, category="hazard").count() == 1


def test_a_clause_of_another_industry_is_refused(personas):
    enterprise = commerce_enterprise(personas)
    metallurgy = MajorHazardClause.objects.get(article=3, item=3)
    with pytest.raises(ValidationError) as refused:
        services.hazard_create(
            actor=personas.county_officer,
            enterprise=enterprise,
            data=HazardIn(description="x", level="major", basis_clause_id=metallurgy.pk),
        )
    assert "basis_clause" in refused.value.message_dict


def test_bad_input_is_refused_with_the_field(personas, enterprise):
    user = personas.enterprise_user
    today = timezone.localdate()
    cases = [
        (HazardIn(description="  "), "description"),
        (HazardIn(description="x", level="critical"), "level"),
        (HazardIn(description="x", funds="一千"), "funds"),
        (HazardIn(description="x", deadline=today - timedelta(days=1)), "deadline"),
        (HazardIn(description="x", found_on=today + timedelta(days=1)), "found_on"),
        (HazardIn(description="x", basis_clause_id=999_999, level="major"), "basis_clause"),
    ]
    for data, field in cases:
        with pytest.raises(ValidationError) as refused:
            services.hazard_create(actor=user, enterprise=enterprise, data=data)
        assert field in refused.value.message_dict, field
    assert not Hazard.objects.exists()


def test_the_leader_adds_hazards_to_his_plan_and_only_he(plan, personas):
    application, the_plan, leader, principal = plan
    enterprise = application.enterprise
    with pytest.raises(ValidationError) as refused:
        services.hazard_create(
            actor=leader, enterprise=enterprise, plan=the_plan, data=HazardIn(description="x", level="major")
        )
    assert "basis_clause" in refused.value.message_dict
    hazard = services.hazard_create(
        actor=leader,
        enterprise=enterprise,
        plan=the_plan,
        data=HazardIn(
            description="特种作业人员无证上岗",
            level="major",
            basis_clause_id=major_clause().pk,
            item_code="5.1.1",
            requirement="立即停止无证人员作业",
        ),
    )
    assert (hazard.plan, hazard.source, hazard.item.code) == (the_plan, Hazard.Source.REVIEW, "5.1.1")
    assert hazard.item.standard_id == application.standard_id
    # Not the enterprise, not a panel member who does not lead, not for another enterprise.
    other_expert = UserFactory(username="outsider-expert", role=Role.EXPERT, organisation=expert_pool())
    for actor in (principal, personas.county_officer, other_expert):
        with pytest.raises(PermissionDenied):
            services.hazard_create(
                actor=actor, enterprise=enterprise, plan=the_plan, data=HazardIn(description="x")
            )
    with pytest.raises(PermissionDenied):
        services.hazard_create(
            actor=leader, enterprise=personas.other_enterprise, plan=the_plan, data=HazardIn(description="x")
        )
    # The leader sets the finding, not the fix; the enterprise the fix, not the finding.
    services.hazard_update(
        actor=leader, hazard=hazard, data=HazardIn(measures="换人", requirement="持证上岗")
    )
    hazard.refresh_from_db()
    assert (hazard.requirement, hazard.measures) == ("持证上岗", "")
    with pytest.raises(PermissionDenied):
        services.hazard_update(actor=other_expert, hazard=hazard, data=HazardIn(requirement="x"))


# --- The loop: start, progress, evidence, submit ------------------------------------------------


def test_start_and_progress(personas, enterprise):
    hazard = make_hazard(enterprise)
    user = personas.enterprise_user
    with pytest.raises(PermissionDenied):
        services.hazard_start(actor=personas.county_officer, hazard=hazard)
    with pytest.raises(PermissionDenied):
        services.hazard_start(actor=personas.other_enterprise_user, hazard=hazard)
    log = services.hazard_start(actor=user, hazard=hazard)
    assert (log.from_state, log.to_state, log.actor) == (H.PENDING, H.IN_PROGRESS, user)
    assert fresh(hazard).status == H.IN_PROGRESS
    with pytest.raises(TransitionError):  # started already
        services.hazard_start(actor=user, hazard=hazard)
    for note, percent, field in (("  ", None, "note"), ("一半", 101, "percent")):
        with pytest.raises(ValidationError) as refused:
            services.hazard_progress_add(actor=user, hazard=hazard, note=note, percent=percent)
        assert field in refused.value.message_dict
    row = services.hazard_progress_add(actor=user, hazard=hazard, note="已清理一半", percent=50)
    assert (row.percent, row.author) == (50, user)
    # Reporting progress on a pending hazard starts it.
    other = make_hazard(enterprise)
    services.hazard_progress_add(actor=user, hazard=other, note="已开始")
    assert fresh(other).status == H.IN_PROGRESS
    assert [kind for kind, _at, _row in hazard_history(fresh(hazard))] == ["transition", "progress"]


def test_an_exe_named_jpg_is_refused_and_nothing_is_stored(personas, enterprise, media):
    hazard = make_hazard(enterprise, status=H.IN_PROGRESS)
    with pytest.raises(ValidationError):
        services.hazard_evidence_add(
            actor=personas.enterprise_user, hazard=hazard, file=exe_named_jpg(), kind="after"
        )
    assert not HazardEvidence.objects.exists()
    assert not [p for p in Path(media).rglob("*") if p.is_file()]
    with pytest.raises(ValidationError) as refused:
        services.hazard_evidence_add(
            actor=personas.enterprise_user, hazard=hazard, file=jpeg_file(), kind="x"
        )
    assert "kind" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.hazard_evidence_add(
            actor=personas.county_officer, hazard=hazard, file=jpeg_file(), kind="after"
        )
    row = services.hazard_evidence_add(
        actor=personas.enterprise_user, hazard=hazard, file=jpeg_file("整改后.jpg"), kind="after"
    )
    assert (row.extension, row.original_name, len(row.sha256)) == (".jpg", "整改后.jpg", 64)
    assert Path(row.file.path).is_file()
    assert Path(row.file.path).read_bytes().startswith(b"\xff\xd8\xff")


def test_submitting_needs_evidence_of_the_fix(personas, enterprise):
    hazard = make_hazard(enterprise, status=H.IN_PROGRESS)
    user = personas.enterprise_user
    with pytest.raises(ValidationError):
        services.hazard_submit(actor=user, hazard=hazard)
    services.hazard_evidence_add(actor=user, hazard=hazard, file=jpeg_file("before.jpg"), kind="before")
    with pytest.raises(ValidationError):  # a photo from before the fix proves nothing
        services.hazard_submit(actor=user, hazard=hazard)
    assert fresh(hazard).status == H.IN_PROGRESS
    services.hazard_evidence_add(actor=user, hazard=hazard, file=pdf_evidence(), kind="document")
    services.hazard_submit(actor=user, hazard=hazard, comment="已整改")
    hazard.refresh_from_db()
    assert (hazard.status, hazard.submitted_by) == (H.AWAITING_VERIFICATION, user)
    assert hazard.submitted_at is not None


def test_a_major_hazard_needs_its_five_assurances(personas, enterprise):
    hazard = make_hazard(
        enterprise,
        level=Hazard.Level.MAJOR,
        status=H.IN_PROGRESS,
        responsibility="",
        responsible_name="",
        measures="",
        funds=None,
        contingency_plan="",
    )
    assert services.five_assurances_missing(hazard) == [
        gettext("responsibility"),
        gettext("measures"),
        gettext("funds"),
        gettext("contingency plan"),
    ]
    user = personas.enterprise_user
    services.hazard_evidence_add(actor=user, hazard=hazard, file=jpeg_file(), kind="after")
    with pytest.raises(ValidationError) as refused:
        services.hazard_submit(actor=user, hazard=hazard)
    assert gettext("contingency plan") in str(refused.value)
    assert fresh(hazard).status == H.IN_PROGRESS
    services.hazard_update(
        actor=user,
        hazard=hazard,
        data=HazardIn(**{k: v for k, v in FIVE_ASSURANCES.items() if k != "governance_plan"}),
    )
    assert services.five_assurances_missing(fresh(hazard)) == []
    services.hazard_submit(actor=user, hazard=hazard)
    assert fresh(hazard).status == H.AWAITING_VERIFICATION
    # A general hazard owes none.
    assert services.five_assurances_missing(make_hazard(enterprise)) == []


# --- Verification ---------------------------------------------------------------------------------


def test_the_person_who_submitted_can_never_verify(personas, enterprise):
    principal = personas.enterprise_principal
    hazard = make_hazard(enterprise, status=H.AWAITING_VERIFICATION, rectifier=principal)
    assert may_verify(principal, hazard)  # the principal verifies his enterprise's own 一般 hazards…
    with pytest.raises(ValidationError):  # …but not one he fixed himself
        services.hazard_verify(actor=principal, hazard=hazard, passed=True, note=NOTE)
    assert fresh(hazard).status == H.AWAITING_VERIFICATION
    services.hazard_verify(actor=personas.county_officer, hazard=hazard, passed=True, note=NOTE)
    hazard.refresh_from_db()
    assert (hazard.status, hazard.verified_by, hazard.verification_note) == (
        H.CLOSED,
        personas.county_officer,
        NOTE,
    )


def test_who_uploaded_the_evidence_cannot_verify_either(personas, enterprise):
    principal, user = personas.enterprise_principal, personas.enterprise_user
    hazard = make_hazard(enterprise, status=H.IN_PROGRESS)
    services.hazard_evidence_add(actor=principal, hazard=hazard, file=jpeg_file(), kind="after")
    services.hazard_submit(actor=user, hazard=hazard)
    with pytest.raises(ValidationError):
        services.hazard_verify(actor=principal, hazard=hazard, passed=True, note=NOTE)
    # A principal who took no part verifies it.
    clean = make_hazard(enterprise, status=H.AWAITING_VERIFICATION, rectifier=user)
    services.hazard_verify(actor=principal, hazard=clean, passed=True, note=NOTE)
    assert fresh(clean).status == H.CLOSED


def test_who_may_verify_which_hazard(personas, enterprise):
    county_found = make_hazard(enterprise, source=Hazard.Source.ENFORCEMENT, status=H.AWAITING_VERIFICATION)
    major = make_hazard(enterprise, level=Hazard.Level.MAJOR, status=H.AWAITING_VERIFICATION)
    for hazard in (county_found, major):
        assert not may_verify(personas.enterprise_principal, hazard)
        with pytest.raises(PermissionDenied):
            services.hazard_verify(actor=personas.enterprise_principal, hazard=hazard, passed=True, note=NOTE)
        for outsider in ("other_county_officer", "city_officer", "expert", "enterprise_user"):
            assert not may_verify(personas[outsider], hazard), outsider
        assert may_verify(personas.county_officer, hazard)
        assert may_verify(personas.county_chief, hazard)


def test_a_rejection_needs_its_reason_and_sends_the_hazard_back(personas, enterprise):
    user, county = personas.enterprise_user, personas.county_officer
    hazard = make_hazard(enterprise, status=H.AWAITING_VERIFICATION)
    with pytest.raises(ValidationError) as refused:
        services.hazard_verify(actor=county, hazard=hazard, passed=False, note="  ")
    assert "note" in refused.value.message_dict
    log = services.hazard_verify(actor=county, hazard=hazard, passed=False, note="通道仍有杂物")
    assert (log.transition, log.to_state, log.comment) == ("reject", H.IN_PROGRESS, "通道仍有杂物")
    hazard.refresh_from_db()
    assert (hazard.status, hazard.verification_note, hazard.verified_by) == (
        H.IN_PROGRESS,
        "通道仍有杂物",
        None,
    )
    assert Notification.objects.filter(recipient=user, title__contains=hazard.description[:10]).exists()
    # The evidence found wanting does not carry the next submission: new evidence is needed.
    with pytest.raises(ValidationError):
        services.hazard_submit(actor=user, hazard=hazard)
    services.hazard_evidence_add(actor=user, hazard=hazard, file=jpeg_file("again.jpg"), kind="after")
    services.hazard_submit(actor=user, hazard=hazard)
    services.hazard_verify(actor=county, hazard=hazard, passed=True, note=NOTE)
    assert [t.transition for t in transitions(hazard)] == ["start", "submit", "reject", "submit", "verify"]
    with pytest.raises(ValidationError):  # closed: no more changes
        services.hazard_update(actor=county, hazard=hazard, data=HazardIn(description="x"))


def test_the_leader_verifies_the_plan_and_the_last_closes_it(plan, personas):
    application, the_plan, leader, principal = plan
    first, second = the_plan.hazards.order_by("pk")
    user = personas.enterprise_user
    for hazard in (first, second):
        walk(hazard, H.AWAITING_VERIFICATION, rectifier=user)
    # Neither the enterprise nor the county verifies a review's hazard: the panel leader does.
    for actor in (principal, personas.county_officer):
        with pytest.raises(PermissionDenied):
            services.hazard_verify(actor=actor, hazard=first, passed=True, note=NOTE)
    services.hazard_verify(actor=leader, hazard=first, passed=True, note=NOTE)
    the_plan.refresh_from_db()
    assert the_plan.status == RectificationPlan.Status.OPEN
    services.hazard_verify(actor=leader, hazard=second, passed=True, note=NOTE)
    the_plan.refresh_from_db()
    assert the_plan.status == RectificationPlan.Status.CLOSED
    assert the_plan.closed_at is not None
    assert AuditEvent.objects.filter(action="rectification.plan_closed").count() == 1
    assert plan_progress(the_plan).percent == 100
    with pytest.raises(ValidationError):  # a closed plan takes no more hazards
        services.hazard_create(
            actor=leader, enterprise=application.enterprise, plan=the_plan, data=HazardIn(description="x")
        )


# --- Extensions ---------------------------------------------------------------------------------------


def test_an_extension_keeps_the_original_deadline(personas, enterprise):
    hazard = make_hazard(enterprise, status=H.IN_PROGRESS, deadline=date(2026, 6, 10))
    user, city = personas.enterprise_user, personas.city_officer
    for reason, day, field in (
        ("", date(2026, 6, 20), "reason"),
        ("设备未到货", date(2026, 6, 10), "requested_deadline"),
    ):
        with pytest.raises(ValidationError) as refused:
            services.extension_request(actor=user, hazard=hazard, requested_deadline=day, reason=reason)
        assert field in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.extension_request(
            actor=personas.county_officer, hazard=hazard, requested_deadline=date(2026, 6, 20), reason="x"
        )
    request = services.extension_request(
        actor=user, hazard=hazard, requested_deadline=date(2026, 6, 20), reason="设备未到货"
    )
    assert (request.status, request.previous_deadline) == (ExtensionRequest.Status.PENDING, date(2026, 6, 10))
    assert Notification.objects.filter(recipient=city, category="hazard").count() == 1
    with pytest.raises(ValidationError):  # one pending request at a time
        services.extension_request(
            actor=user, hazard=hazard, requested_deadline=date(2026, 6, 30), reason="再延"
        )
    for actor in (user, personas.county_officer, personas.other_county_officer):
        with pytest.raises(PermissionDenied):
            services.extension_decide(actor=actor, extension=request, approve=True)
    assert services.extension_decide(actor=personas.city_officer, extension=request, approve=True) is True
    hazard.refresh_from_db()
    assert (hazard.deadline, hazard.original_deadline) == (date(2026, 6, 20), date(2026, 6, 10))
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (ExtensionRequest.Status.APPROVED, personas.city_officer)
    # A second decision (another click, or the chief) changes nothing.
    assert services.extension_decide(actor=personas.city_chief, extension=request, approve=False) is False
    assert services.extension_decide(actor=personas.city_officer, extension=request, approve=True) is False
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (ExtensionRequest.Status.APPROVED, personas.city_officer)
    # A second request starts from the new deadline; refusing it needs the reason.
    again = services.extension_request(
        actor=user, hazard=hazard, requested_deadline=date(2026, 7, 1), reason="施工队延误"
    )
    assert again.previous_deadline == date(2026, 6, 20)
    with pytest.raises(ValidationError):
        services.extension_decide(actor=personas.city_officer, extension=again, approve=False, note="")
    assert services.extension_decide(
        actor=personas.city_officer, extension=again, approve=False, note="理由不足"
    )
    hazard.refresh_from_db()
    assert (hazard.deadline, hazard.original_deadline) == (date(2026, 6, 20), date(2026, 6, 10))


def test_a_major_hazards_extension_is_for_the_chief(personas, enterprise):
    hazard = make_hazard(enterprise, level=Hazard.Level.MAJOR, deadline=date(2026, 6, 10))
    request = services.extension_request(
        actor=personas.enterprise_principal,
        hazard=hazard,
        requested_deadline=date(2026, 6, 30),
        reason="停产改造",
    )
    with pytest.raises(PermissionDenied):
        services.extension_decide(actor=personas.city_officer, extension=request, approve=True)
    assert services.extension_decide(actor=personas.city_chief, extension=request, approve=True)
    hazard.refresh_from_db()
    assert (hazard.deadline, hazard.original_deadline) == (date(2026, 6, 30), date(2026, 6, 10))


def test_a_closed_hazard_needs_no_extension(personas, enterprise):
    hazard = make_hazard(enterprise, status=H.CLOSED, verifier=personas.county_officer)
    with pytest.raises(ValidationError):
        services.extension_request(
            actor=personas.enterprise_user, hazard=hazard, requested_deadline=date(2026, 12, 1), reason="x"
        )


# --- 督办 ----------------------------------------------------------------------------------------------


def test_closing_a_supervision_order_needs_assessment_and_resume_request(personas, enterprise):
    hazard = make_hazard(enterprise, level=Hazard.Level.MAJOR, deadline=date(2026, 5, 20))
    with pytest.raises(PermissionDenied):  # the city opens one by choice, not the county
        services.escalation_open(actor=personas.county_officer, hazard=hazard, reason="重点督办")
    order = services.escalation_open(actor=personas.city_officer, hazard=hazard, reason="重点督办")
    assert services.escalation_open(actor=personas.city_officer, hazard=hazard, reason="again") == order
    assert enterprise_flagged(enterprise.pk)
    with pytest.raises(ValidationError):  # nothing to assess while the fix is not in
        services.escalation_close(
            actor=personas.city_officer, order=order, assessment="a", resume_request="b"
        )
    walk(hazard, H.CLOSED, verifier=personas.county_officer)
    # Verifying the hazard leaves the 督办 to the city, which hears of it.
    order.refresh_from_db()
    assert order.status == EscalationOrder.Status.OPEN
    heard = gettext("Hazard under supervision verified: %(text)s") % {"text": hazard.description[:40]}
    assert Notification.objects.filter(recipient=personas.city_officer, title=heard).count() == 1
    for assessment, resume, missing in (("", "申请复产", "assessment"), ("整改到位", " ", "resume_request")):
        with pytest.raises(ValidationError) as refused:
            services.escalation_close(
                actor=personas.city_officer, order=order, assessment=assessment, resume_request=resume
            )
        assert missing in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.escalation_close(
            actor=personas.county_officer, order=order, assessment="整改到位", resume_request="申请复产"
        )
    assert services.escalation_close(
        actor=personas.city_officer, order=order, assessment="整改到位", resume_request="申请复产"
    )
    order.refresh_from_db()
    assert (order.status, order.assessment, order.resume_request, order.closed_by) == (
        EscalationOrder.Status.CLOSED,
        "整改到位",
        "申请复产",
        personas.city_officer,
    )
    assert not enterprise_flagged(enterprise.pk)
    assert (
        services.escalation_close(
            actor=personas.city_officer, order=order, assessment="x", resume_request="y"
        )
        is False
    )


# --- Scope ------------------------------------------------------------------------------------------


def test_another_divisions_county_officer_gets_404(personas, enterprise):
    hazard = make_hazard(enterprise)
    for persona in ("county_officer", "county_chief", "city_officer", "city_chief", "enterprise_user"):
        assert get_hazard_for_user(personas[persona], hazard.pk) == hazard, persona
    for persona in ("other_county_officer", "other_enterprise_user", "expert"):
        with pytest.raises(Http404):
            get_hazard_for_user(personas[persona], hazard.pk)
        assert not ledger(user=personas[persona]).exists()
    with pytest.raises(Http404):
        get_hazard_for_user(personas.county_officer, "not-a-number")


def test_an_expert_sees_only_the_plans_he_leads(plan, personas):
    application, the_plan, leader, _principal = plan
    own = make_hazard(application.enterprise)  # the enterprise's own register: not the leader's
    assert set(visible_to(leader)) == set(the_plan.hazards.all())
    assert get_plan_for_user(leader, the_plan.pk) == the_plan
    with pytest.raises(Http404):
        get_hazard_for_user(leader, own.pk)
    members = application.panel.members.exclude(expert__user=leader).select_related("expert__user")
    outsiders = [m.expert.user for m in members if m.expert.user_id] + [personas.expert]
    for expert in outsiders:
        assert not visible_to(expert).exists()
        assert not plans_visible_to(expert).exists()
        with pytest.raises(Http404):
            get_plan_for_user(expert, the_plan.pk)
        with pytest.raises(Http404):
            get_hazard_for_user(expert, the_plan.hazards.first().pk)
    with pytest.raises(Http404):
        get_plan_for_user(personas.other_county_officer, the_plan.pk)


def test_the_ledger_filters_and_flags(personas, enterprise):
    other = personas.other_enterprise
    late = make_hazard(enterprise, deadline=date(2026, 5, 25))
    major = make_hazard(enterprise, level=Hazard.Level.MAJOR)
    in_time = make_hazard(enterprise, deadline=date(2026, 6, 1), status=H.IN_PROGRESS)
    submitted_in_time = make_hazard(enterprise, deadline=date(2026, 6, 1), status=H.AWAITING_VERIFICATION)
    submitted_late = make_hazard(enterprise, deadline=date(2026, 5, 29), status=H.AWAITING_VERIFICATION)
    elsewhere = make_hazard(other, deadline=date(2026, 5, 25))
    city = personas.city_officer
    today = date(2026, 6, 3)  # two days on: in_time is late now; submitted_in_time still is not

    def keys(**filters):
        return {h.pk for h in ledger(user=city, filters=LedgerFilters(**filters), today=today)}

    ours = {late.pk, major.pk, in_time.pk, submitted_in_time.pk, submitted_late.pk}
    assert keys() == ours | {elsewhere.pk}
    assert keys(level="major") == {major.pk}
    assert keys(status="in_progress") == {in_time.pk}
    # Overdue: open past its deadline; a fix submitted in time is not overdue while it waits.
    assert keys(overdue=True) == {late.pk, in_time.pk, submitted_late.pk, elsewhere.pk}
    assert keys(division="210804") == {elsewhere.pk}
    assert keys(division="210802") == keys(division="210000") - {elsewhere.pk} == ours
    assert keys(q="鲅鱼圈") == {elsewhere.pk}
    flags = {h.pk: h.is_overdue for h in ledger(user=city, today=today)}
    assert {pk for pk, overdue in flags.items() if overdue} == keys(overdue=True)
    assert {h.pk for h in ledger(user=personas.county_officer)} == ours
    # The pure rule and the query agree.
    for hazard in Hazard.objects.all():
        assert services.hazard_is_overdue(hazard, today) == flags[hazard.pk], hazard.pk


# --- Two verify clicks ---------------------------------------------------------------------------------


def test_two_verify_clicks_with_stale_copies_make_one_transition(personas, enterprise):
    hazard = make_hazard(enterprise, status=H.AWAITING_VERIFICATION)
    first, second = fresh(hazard), fresh(hazard)  # two open pages
    county = personas.county_officer
    services.hazard_verify(actor=county, hazard=first, passed=True, note=NOTE)
    assert second.status == H.AWAITING_VERIFICATION  # the stale copy
    with pytest.raises(TransitionError):
        services.hazard_verify(actor=personas.county_chief, hazard=second, passed=False, note="退回")
    hazard.refresh_from_db()
    assert (hazard.status, hazard.verified_by) == (H.CLOSED, county)
    assert transitions(hazard, "verify").count() == 1
    assert not transitions(hazard, "reject").exists()
    assert AuditEvent.objects.filter(action="hazard.verify", target_id=str(hazard.pk)).count() == 1
    assert not AuditEvent.objects.filter(action="hazard.reject").exists()
    assert HazardProgress.objects.count() == 0


# --- Real races (PostgreSQL: SQLite serialises writers and ignores row locks) -----------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a real race needs PostgreSQL's row locks"
)
committed_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_together(*jobs):
    """Run the jobs in threads released at the same moment; return each one's result or exception."""
    barrier = threading.Barrier(len(jobs), timeout=30)
    outcomes: list[object] = [None] * len(jobs)

    def run(index: int, job) -> None:
        try:
            barrier.wait()
            outcomes[index] = job()
        except Exception as exc:  # the assertions show it
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, job)) for n, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)
    assert not any(t.is_alive() for t in threads)
    return outcomes


@pytest.fixture
def no_documents(monkeypatch):
    """The tests commit, so documents would render for real; these tests are about the locks."""
    from grading import services as grading_services
    from reviews.services import scoring as scoring_services

    monkeypatch.setattr(grading_services, "_generate_after_commit", lambda *args, **kwargs: None)
    monkeypatch.setattr(scoring_services, "_schedule_report", lambda *args, **kwargs: None)
    monkeypatch.setattr(services, "_schedule_document", lambda *args, **kwargs: None)


@postgres_only
@committed_db
def test_two_verify_clicks_at_the_same_moment_make_one_transition(personas, enterprise):
    hazard = make_hazard(enterprise, status=H.AWAITING_VERIFICATION)

    def click(user, passed):
        return lambda: services.hazard_verify(
            actor=user, hazard=Hazard.objects.get(pk=hazard.pk), passed=passed, note=NOTE
        )

    outcomes = run_together(click(personas.county_officer, True), click(personas.county_chief, False))
    done = [o for o in outcomes if isinstance(o, HazardTransition)]
    refused = [o for o in outcomes if isinstance(o, TransitionError)]
    assert len(done) == 1 and len(refused) == 1, outcomes
    assert transitions(hazard).filter(transition__in=["verify", "reject"]).count() == 1
    assert fresh(hazard).status == done[0].to_state


@postgres_only
@committed_db
def test_the_last_two_hazards_verified_at_once_still_close_the_plan(no_documents, plan, personas):
    _application, the_plan, leader, _principal = plan
    hazards = list(the_plan.hazards.all())
    for hazard in hazards:
        walk(hazard, H.AWAITING_VERIFICATION, rectifier=personas.enterprise_user)

    def click(hazard):
        return lambda: services.hazard_verify(
            actor=leader, hazard=Hazard.objects.get(pk=hazard.pk), passed=True, note=NOTE
        )

    outcomes = run_together(*(click(h) for h in hazards))
    assert all(isinstance(o, HazardTransition) for o in outcomes), outcomes
    the_plan.refresh_from_db()
    assert the_plan.status == RectificationPlan.Status.CLOSED
