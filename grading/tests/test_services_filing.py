"""Filing services: the team, the file, the commitment, corrections, resubmission, withdrawal.

Each write is checked for its refusal (PermissionDenied / ValidationError / TransitionError
changes nothing) and for its audit event.
"""

import hashlib
from contextlib import contextmanager

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from audit.models import AuditEvent
from grading import services
from grading.models import (
    CorrectionItem,
    CorrectionRequest,
    RequiredDocument,
    Status,
    Submission,
    TeamMember,
)
from grading.selectors import application_timeline
from grading.tests.factories import advance, make_application, pdf_file
from lib.workflow import TransitionError

pytestmark = pytest.mark.django_db

MemberIn = services.MemberIn


def events(application, **filters):
    return AuditEvent.objects.filter(
        target_type="grading.gradingapplication", target_id=str(application.pk), **filters
    )


@contextmanager
def audited(application, action: str, n: int = 1):
    """Assert that the block records ``n`` audit events ``action`` on the application."""
    before = events(application, action=action).count()
    yield
    assert events(application, action=action).count() == before + n, action


@contextmanager
def not_audited(application):
    before = events(application).count()
    yield
    assert events(application).count() == before


@pytest.fixture
def draft(personas):
    return make_application(personas)


# --- Team ------------------------------------------------------------------------------------


def test_a_team_with_two_leaders_is_refused(personas, draft):
    before = list(draft.team.values_list("name", "role"))
    members = [
        MemberIn(name="张三", role=TeamMember.Role.LEADER, position="总经理"),
        MemberIn(name="王五", role=TeamMember.Role.LEADER, position="副总经理"),
    ]
    with not_audited(draft), pytest.raises(ValidationError) as exc:
        services.team_save(actor=personas.enterprise_user, application=draft, members=members)
    assert exc.value.message_dict == {
        "members": [gettext("The group has exactly one leader: the principal.")]
    }
    assert list(draft.team.values_list("name", "role")) == before


def test_a_team_without_a_leader_or_anyone_is_refused(personas, draft):
    with pytest.raises(ValidationError) as exc:
        services.team_save(actor=personas.enterprise_user, application=draft, members=[MemberIn(name="王五")])
    assert exc.value.message_dict == {
        "members": [gettext("The group has exactly one leader: the principal.")]
    }
    with pytest.raises(ValidationError) as exc:
        services.team_save(actor=personas.enterprise_user, application=draft, members=[MemberIn(name="  ")])
    assert exc.value.message_dict == {"members": [gettext("Name at least the group's leader.")]}


def test_the_team_is_replaced_and_audited(personas, draft):
    members = [
        MemberIn(name="张三", role=TeamMember.Role.LEADER, position="总经理"),
        MemberIn(name="王五", role=TeamMember.Role.EMPLOYEE_REPRESENTATIVE, position="班组长"),
        MemberIn(name=""),  # blank rows of the form are dropped
    ]
    with audited(draft, "application.team"):
        services.team_save(actor=personas.enterprise_user, application=draft, members=members)
    assert list(draft.team.values_list("name", "role", "sort_order")) == [
        ("张三", "leader", 0),
        ("王五", "employee_rep", 1),
    ]


# --- The file --------------------------------------------------------------------------------


def test_update_in_draft_is_audited_with_the_changes(personas, draft):
    with audited(draft, "application.update"):
        services.application_update(
            actor=personas.enterprise_user, application=draft, data={"summary": "自评总结"}
        )
    draft.refresh_from_db()
    assert draft.summary == "自评总结"
    event = events(draft, action="application.update").get()
    assert "summary" in event.data
    # No change, no event.
    with audited(draft, "application.update", n=0):
        services.application_update(
            actor=personas.enterprise_user, application=draft, data={"summary": "自评总结"}
        )


@pytest.mark.parametrize("state", [Status.INTERNAL_PUBLICITY, Status.COUNTY_REVIEW, Status.CITY_REVIEW])
def test_update_outside_an_editable_state_is_forbidden(personas, draft, state):
    application = advance(draft, personas, state)
    with not_audited(application), pytest.raises(PermissionDenied):
        services.application_update(
            actor=personas.enterprise_user, application=application, data={"summary": "改"}
        )
    with pytest.raises(PermissionDenied):
        services.team_save(
            actor=personas.enterprise_user,
            application=application,
            members=[MemberIn(name="甲", role="leader")],
        )
    application.refresh_from_db()
    assert application.summary == ""


def test_update_by_another_enterprise_or_a_regulator_is_forbidden(personas, draft):
    for actor in (personas.other_enterprise_user, personas.county_officer, personas.city_officer):
        with pytest.raises(PermissionDenied):
            services.application_update(actor=actor, application=draft, data={"summary": "改"})


def test_update_refuses_bad_values(personas, draft):
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.application_update(
            actor=personas.enterprise_user,
            application=draft,
            data={"assessment_started_on": tomorrow, "grade_level": 7},
        )
    assert set(exc.value.message_dict) == {"assessment_started_on", "grade_level"}


# --- Commitment ------------------------------------------------------------------------------


def test_only_the_principal_signs_the_commitment(personas, draft):
    with not_audited(draft), pytest.raises(PermissionDenied):
        services.commitment_sign(actor=personas.enterprise_user, application=draft)
    draft.refresh_from_db()
    assert draft.commitment_signed_at is None


def test_the_commitment_hash_is_stored(personas, draft):
    text = services.commitment_text_for(draft)
    with audited(draft, "application.commitment_sign"):
        services.commitment_sign(actor=personas.enterprise_principal, application=draft)
    draft.refresh_from_db()
    digest = hashlib.sha256(text.encode()).hexdigest()
    assert (draft.commitment_sha256, draft.commitment_signed_by) == (digest, personas.enterprise_principal)
    assert draft.commitment_signed_at is not None
    event = events(draft, action="application.commitment_sign").get()
    assert event.data == {"sha256": digest}
    assert draft.enterprise.name in text and draft.enterprise.uscc in text
    # Signing twice changes nothing.
    signed_at = draft.commitment_signed_at
    with audited(draft, "application.commitment_sign", n=0):
        services.commitment_sign(actor=personas.enterprise_principal, application=draft)
    draft.refresh_from_db()
    assert draft.commitment_signed_at == signed_at


def test_the_commitment_cannot_be_signed_once_submitted(personas, draft):
    application = advance(draft, personas, Status.COUNTY_REVIEW)
    with pytest.raises(PermissionDenied):
        services.commitment_sign(actor=personas.enterprise_principal, application=application)


# --- Corrections and resubmission ------------------------------------------------------------


def test_the_correction_flow_at_the_county(personas, draft):
    application = advance(draft, personas, Status.COUNTY_RETURNED)
    request = CorrectionRequest.objects.get(application=application)
    assert (request.stage, request.addressee, request.round) == ("county", "enterprise", 1)
    item = request.items.get()
    assert (item.subject, item.state) == ("营业执照", CorrectionItem.State.OPEN)

    # Not before every line is answered.
    with pytest.raises(TransitionError) as exc:
        services.application_county_resubmit(actor=personas.enterprise_principal, application=application)
    assert exc.value.message == gettext("Answer every item of the correction notice first (%(n)s left).") % {
        "n": 1
    }

    with pytest.raises(PermissionDenied):
        services.correction_answer(actor=personas.county_officer, item=item, answer="代答")
    with pytest.raises(ValidationError):
        services.correction_answer(actor=personas.enterprise_user, item=item, answer="  ")
    with audited(application, "application.correction_answer"):
        services.correction_answer(actor=personas.enterprise_user, item=item, answer="已重新上传清晰扫描件")
    item.refresh_from_db()
    assert (item.state, item.answer) == (CorrectionItem.State.ANSWERED, "已重新上传清晰扫描件")

    # The county checks the answers once the file is back with it.
    with pytest.raises(PermissionDenied):
        services.correction_check(actor=personas.county_officer, item=item, accepted=True)
    with audited(application, "application.county_resubmit"):
        services.application_county_resubmit(actor=personas.enterprise_principal, application=application)
    request.refresh_from_db()
    assert request.answered_at is not None and request.closed_at is None
    with pytest.raises(PermissionDenied):  # the enterprise no longer holds the file
        services.correction_answer(actor=personas.enterprise_user, item=item, answer="再改")
    with pytest.raises(PermissionDenied):  # another county does not check it
        services.correction_check(actor=personas.other_county_officer, item=item, accepted=True)

    with audited(application, "application.correction_check"):
        services.correction_check(actor=personas.county_officer, item=item, accepted=False)
    item.refresh_from_db()
    assert (item.state, item.checked_by) == (CorrectionItem.State.REOPENED, personas.county_officer)
    with pytest.raises(ValidationError) as exc:
        services.correction_check(actor=personas.county_officer, item=item, accepted=True)
    assert exc.value.messages == [gettext("Only an answered item can be accepted.")]


def test_accepting_an_answer(personas, draft):
    application = advance(draft, personas, Status.COUNTY_RETURNED)
    item = CorrectionItem.objects.get(request__application=application)
    services.correction_answer(actor=personas.enterprise_user, item=item, answer="已补充")
    services.application_county_resubmit(actor=personas.enterprise_principal, application=application)
    services.correction_check(actor=personas.county_officer, item=item, accepted=True)
    item.refresh_from_db()
    assert item.state == CorrectionItem.State.ACCEPTED


def test_a_county_return_needs_items(personas, draft):
    application = advance(draft, personas, Status.COUNTY_REVIEW)
    with pytest.raises(ValidationError) as exc:
        services.application_county_return(actor=personas.county_officer, application=application, items=[])
    assert exc.value.message_dict == {"items": [gettext("List every item to correct, all at once.")]}
    with pytest.raises(ValidationError):
        services.application_county_return(
            actor=personas.county_officer,
            application=application,
            items=[services.CorrectionIn("营业执照", "", "重新上传")],
        )
    application.refresh_from_db()
    assert application.status == Status.COUNTY_REVIEW
    assert not CorrectionRequest.objects.filter(application=application).exists()


def test_the_resubmission_is_version_two_and_version_one_is_kept(personas, draft):
    application = advance(draft, personas, Status.COUNTY_RETURNED)
    licence = RequiredDocument.objects.get(code="business_licence")
    services.attachment_add(
        actor=personas.enterprise_user,
        application=application,
        document=licence,
        file=pdf_file("营业执照-清晰.pdf"),
    )
    item = CorrectionItem.objects.get(request__application=application)
    services.correction_answer(actor=personas.enterprise_user, item=item, answer="已重新上传")
    services.application_county_resubmit(actor=personas.enterprise_principal, application=application)

    v1, v2 = Submission.objects.filter(application=application).order_by("seq")
    assert (v1.seq, v2.seq) == (1, 2)

    def licence_versions(sub):
        return [
            (a["version"], a["original_name"])
            for a in sub.snapshot["attachments"]
            if a["document__code"] == "business_licence"
        ]

    assert licence_versions(v1) == [(1, "scan.pdf")]
    assert licence_versions(v2) == [(2, "营业执照-清晰.pdf")]
    assert all(c["result"] != "fail" for c in v2.eligibility)
    log = application.transitions.get(transition="county_resubmit")
    assert log.data["submission"] == 2
    titles = [
        e.title
        for e in application_timeline(application, user=personas.county_officer)
        if e.kind == "submission"
    ]
    assert titles == [gettext("Filing version %(seq)s submitted") % {"seq": n} for n in (1, 2)]


def test_the_city_resubmission_answers_the_city(personas, draft):
    application = advance(draft, personas, Status.CITY_RETURNED)
    request = CorrectionRequest.objects.get(application=application, stage="city")
    assert request.addressee == "enterprise"
    item = request.items.get()
    services.correction_answer(actor=personas.enterprise_user, item=item, answer="已签字")
    with audited(application, "application.city_resubmit"):
        services.application_city_resubmit(actor=personas.enterprise_principal, application=application)
    application.refresh_from_db()
    assert application.status == Status.CITY_REVIEW
    assert list(Submission.objects.filter(application=application).values_list("seq", flat=True)) == [1, 2]
    # The city (not the county) checks the answers.
    with pytest.raises(PermissionDenied):
        services.correction_check(actor=personas.county_officer, item=item, accepted=True)
    services.correction_check(actor=personas.city_officer, item=item, accepted=True)


# --- Withdrawal --------------------------------------------------------------------------------


def test_withdraw_needs_a_reason(personas, draft):
    application = advance(draft, personas, Status.COUNTY_REVIEW)
    with not_audited(application), pytest.raises(ValidationError) as exc:
        services.application_withdraw(
            actor=personas.enterprise_principal, application=application, reason="  "
        )
    assert exc.value.message_dict == {"reason": [gettext("This field is required.")]}
    application.refresh_from_db()
    assert application.status == Status.COUNTY_REVIEW


def test_withdraw_is_the_principals(personas, draft):
    with pytest.raises(PermissionDenied):
        services.application_withdraw(actor=personas.enterprise_user, application=draft, reason="不申请了")
    with pytest.raises(PermissionDenied):
        services.application_withdraw(actor=personas.county_officer, application=draft, reason="不申请了")


@pytest.mark.parametrize("state", [Status.DRAFT, Status.CITY_RETURNED, Status.ACCEPTED])
def test_withdraw_records_the_reason(personas, draft, state):
    application = advance(draft, personas, state) if state != Status.DRAFT else draft
    with audited(application, "application.withdraw"):
        services.application_withdraw(
            actor=personas.enterprise_principal, application=application, reason="暂缓申请"
        )
    application.refresh_from_db()
    assert (application.status, application.closing_reason, application.ban_until) == (
        Status.WITHDRAWN,
        "暂缓申请",
        None,
    )
    assert application.decided_at is not None
    assert application.transitions.get(transition="withdraw").comment == "暂缓申请"


@pytest.mark.parametrize("state", [Status.WITHDRAWN, Status.NOT_ACCEPTED, Status.TERMINATED_FALSE_COMMITMENT])
def test_withdraw_is_impossible_after_a_terminal_state(personas, draft, state):
    if state == Status.WITHDRAWN:
        services.application_withdraw(actor=personas.enterprise_principal, application=draft, reason="暂缓")
        application = draft
    elif state == Status.NOT_ACCEPTED:
        application = advance(draft, personas, Status.NOT_ACCEPTED)
    else:
        application = advance(draft, personas, Status.COUNTY_REVIEW)
        services.application_terminate_false_commitment(
            actor=personas.city_chief, application=application, reason="虚假承诺"
        )
    with not_audited(application), pytest.raises(TransitionError) as exc:
        services.application_withdraw(
            actor=personas.enterprise_principal, application=application, reason="撤回"
        )
    assert exc.value.message == gettext("This cannot be done in the current state.")
    application.refresh_from_db()
    assert application.status == state
    assert application.transitions.filter(transition="withdraw").count() == (
        1 if state == Status.WITHDRAWN else 0
    )


def test_a_new_application_is_possible_after_withdrawing(personas, draft):
    with pytest.raises(ValidationError):
        make_application(personas)  # one open application per enterprise
    services.application_withdraw(actor=personas.enterprise_principal, application=draft, reason="重新申请")
    assert make_application(personas).pk != draft.pk


# --- Regulators' writes on the file ----------------------------------------------------------


def test_guidance_is_written_by_regulators_in_scope(personas, draft):
    application = advance(draft, personas, Status.COUNTY_REVIEW)
    with audited(application, "application.guidance"):
        row = services.guidance_add(
            actor=personas.county_officer, application=application, text="请补充特种作业人员清单"
        )
    assert (row.author, row.text) == (personas.county_officer, "请补充特种作业人员清单")
    for actor in (personas.enterprise_user, personas.bureau_leader, personas.other_county_officer):
        with pytest.raises(PermissionDenied):
            services.guidance_add(actor=actor, application=application, text="x")
    with pytest.raises(ValidationError):
        services.guidance_add(actor=personas.city_officer, application=application, text=" ")


def test_another_county_cannot_act_on_the_application(personas, draft):
    application = advance(draft, personas, Status.COUNTY_REVIEW)
    officer = personas.other_county_officer
    with pytest.raises(PermissionDenied):
        services.application_county_return(
            actor=officer,
            application=application,
            items=[services.CorrectionIn("营业执照", "不清晰", "重传")],
        )
    with pytest.raises(PermissionDenied):
        services.county_opinion_save(actor=officer, application=application, data={"problems": "x"})
    application.refresh_from_db()
    assert application.status == Status.COUNTY_REVIEW
    assert not application.county_opinions.exists()


def test_every_filing_write_is_audited(personas, draft):
    user, principal = personas.enterprise_user, personas.enterprise_principal
    actions = list(events(draft).order_by("seq").values_list("action", flat=True))
    assert actions == ["application.create"]
    application = advance(draft, personas, Status.COUNTY_REVIEW)
    actions = set(events(application).values_list("action", flat=True))
    assert {
        "application.create",
        "application.team",
        "application.start_internal_publicity",
        "application.attachment_add",
        "application.commitment_sign",
        "application.submit",
    } <= actions
    submit = events(application, action="application.submit").get()
    assert (submit.actor, submit.data["from"], submit.data["to"]) == (
        principal,
        "internal_publicity",
        "county_review",
    )
    assert user != principal
