"""Writes by persona: the file, the team, correction answers and checks, the county opinion, the city decision."""

import pytest

from accounts.tests.api_helpers import assert_error
from grading import services
from grading.models import (
    CityDecision,
    CorrectionItem,
    CountyOpinion,
    GradingApplication,
    OpinionStatus,
    Status,
    TeamMember,
)
from grading.tests.api_helpers import assert_battery, call, url, zh
from grading.tests.factories import advance, confirm_all, make_application

pytestmark = pytest.mark.django_db

ENTERPRISE = ("enterprise_user", "enterprise_principal")
OPINION = {
    "basic_info_check": "企业基本情况属实",
    "licence_check": "证照齐全有效",
    "score_check": "自评得分复核无误",
    "site_check": "现场核查未见重大隐患",
    "conclusion": "forward",
    "condition_checks": confirm_all(),
}
DECISION = {"package_check": "材料齐全", "proposal": "accept", "condition_checks": confirm_all()}


# --- The enterprise's file ------------------------------------------------------------


def test_patch_the_file(client, personas):
    application = make_application(personas)
    body = {
        "summary": "自评工作按标准开展",
        "self_found_problems": [{"problem": "消防通道堆物", "fix": "已清理"}, {"problem": "", "fix": ""}],
        "assessment_started_on": "2026-09-01",
        "assessment_finished_on": "2026-09-20",
        "grade_level": 2,
    }
    response = assert_battery(client, personas, "patch", url(application), body, ENTERPRISE)
    out = response.json()
    assert out["summary"] == "自评工作按标准开展"
    assert out["self_found_problems"] == [{"problem": "消防通道堆物", "fix": "已清理"}]
    assert (out["assessment_started_on"], out["assessment_finished_on"]) == ("2026-09-01", "2026-09-20")
    assert out["grade_level"] == 2


def test_patch_validation(client, personas):
    application = make_application(personas)
    user = personas.enterprise_user
    body = assert_error(call(client, user, "patch", url(application), {"summary": None}), 422, "invalid")
    assert body["details"] == {"summary": [zh("This field cannot be empty.")]}
    body = assert_error(
        call(
            client,
            user,
            "patch",
            url(application),
            {"assessment_started_on": "2026-09-20", "assessment_finished_on": "2026-09-01"},
        ),
        422,
        "invalid",
    )
    assert body["details"] == {
        "assessment_finished_on": [zh("The self-assessment cannot finish before it starts.")]
    }
    # A date may be cleared.
    call(client, user, "patch", url(application), {"assessment_started_on": "2026-09-01"})
    response = call(client, user, "patch", url(application), {"assessment_started_on": None})
    assert response.status_code == 200 and response.json()["assessment_started_on"] is None


def test_patch_refused_once_with_the_county(client, personas):
    application = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    response = call(client, personas.enterprise_user, "patch", url(application), {"summary": "改"})
    assert_error(response, 403, "forbidden")
    application.refresh_from_db()
    assert application.summary == ""


def test_team(client, personas):
    application = make_application(personas)
    members = [
        {"name": "张三", "position": "总经理", "role": "leader", "phone": "13800000000"},
        {"name": "李四", "position": "安全员", "role": "member"},
        {"name": "王五", "role": "employee_rep"},
    ]
    response = assert_battery(
        client, personas, "put", url(application, "/team"), {"members": members}, ENTERPRISE
    )
    assert [(m["name"], m["role"]) for m in response.json()] == [
        ("张三", "leader"),
        ("李四", "member"),
        ("王五", "employee_rep"),
    ]
    assert TeamMember.objects.filter(application=application).count() == 3
    two_leaders = [{"name": "张三", "role": "leader"}, {"name": "李四", "role": "leader"}]
    body = assert_error(
        call(client, personas.enterprise_user, "put", url(application, "/team"), {"members": two_leaders}),
        422,
        "invalid",
    )
    assert body["details"] == {"members": [zh("The group has exactly one leader: the principal.")]}
    assert TeamMember.objects.filter(application=application).count() == 3


# --- Correction notices -----------------------------------------------------------------


def _item(application) -> CorrectionItem:
    return CorrectionItem.objects.get(request__application=application)


def test_answer_and_check_a_correction_item(client, personas):
    application = advance(make_application(personas), personas, Status.COUNTY_RETURNED)
    item = _item(application)
    answer = url(application, f"/corrections/items/{item.pk}/answer")
    response = assert_battery(client, personas, "post", answer, {"answer": "已重新上传"}, ENTERPRISE)
    assert (response.json()["state"], response.json()["answer"]) == ("answered", "已重新上传")
    assert_error(call(client, personas.enterprise_user, "post", answer, {"answer": " "}), 422, "invalid")

    response = call(
        client, personas.enterprise_principal, "post", url(application, "/transitions/county_resubmit"), {}
    )
    assert response.status_code == 200, response.content
    check = url(application, f"/corrections/items/{item.pk}/check")
    response = assert_battery(
        client, personas, "post", check, {"accepted": True}, ("county_officer",), skip=("county_chief",)
    )
    assert response.json()["state"] == "accepted"


def test_correction_item_of_another_application_is_404(client, personas):
    application = advance(make_application(personas), personas, Status.COUNTY_RETURNED)
    item = _item(application)
    services.application_withdraw(actor=personas.enterprise_principal, application=application, reason="重来")
    other = make_application(personas)
    response = call(
        client,
        personas.enterprise_user,
        "post",
        url(other, f"/corrections/items/{item.pk}/answer"),
        {"answer": "x"},
    )
    assert_error(response, 404, "not_found")


# --- The county opinion -----------------------------------------------------------------


def _opinion(application) -> CountyOpinion:
    return CountyOpinion.objects.get(application=application)


def test_county_opinion_flow(client, personas):
    application = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    path = url(application, "/county-opinion")
    panel = call(client, personas.county_officer, "get", path).json()
    assert panel == {"opinion": None, "can_edit": True, "available_transitions": []}

    response = assert_battery(client, personas, "put", path, OPINION, ("county_officer", "county_chief"))
    panel = response.json()
    assert panel["opinion"]["status"] == "draft" and panel["opinion"]["conclusion"] == "forward"
    assert panel["opinion"]["condition_checks"]["E11"] == {"ok": True, "note": "核实无误"}
    assert [t["name"] for t in panel["available_transitions"]] == ["submit_for_approval"]

    response = assert_battery(
        client, personas, "post", f"{path}/submit", {}, ("county_officer",), skip=("county_chief",)
    )
    assert response.json()["opinion"]["status"] == "submitted"
    assert response.json()["can_edit"] is False
    # A submitted opinion cannot be changed until sent back.
    assert_error(call(client, personas.county_officer, "put", path, {"problems": "x"}), 422, "invalid")

    # Sending back needs a comment, and only the chief may.
    assert_error(call(client, personas.county_chief, "post", f"{path}/send-back", {}), 422, "invalid")
    response = assert_battery(
        client, personas, "post", f"{path}/send-back", {"comment": "补充现场核查"}, ("county_chief",)
    )
    assert response.json()["opinion"]["status"] == "sent_back"
    assert response.json()["opinion"]["chief_comment"] == "补充现场核查"

    call(client, personas.county_officer, "post", f"{path}/submit", {})
    response = assert_battery(
        client, personas, "post", f"{path}/approve", {"comment": "同意"}, ("county_chief",)
    )
    assert response.json()["opinion"]["status"] == "approved"
    application.refresh_from_db()
    assert application.status == Status.CITY_REVIEW
    assert _opinion(application).approved_by == personas.county_chief


def test_county_opinion_steps_without_a_draft_or_in_the_wrong_state(client, personas):
    application = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    path = url(application, "/county-opinion")
    body = assert_error(
        call(client, personas.county_officer, "post", f"{path}/submit", {}), 409, "transition_refused"
    )
    assert body["message"] == zh("Nothing is in progress here: save a draft first.")
    call(client, personas.county_officer, "put", path, OPINION)
    # Approving a draft that was never submitted: refused by the opinion's own flow.
    body = assert_error(
        call(client, personas.county_chief, "post", f"{path}/approve", {}), 409, "transition_refused"
    )
    assert body["message"] == zh("This cannot be done in the current state.")
    # An opinion that returns the file does not go to the chief.
    call(client, personas.county_officer, "put", path, {"conclusion": "return"})
    body = assert_error(call(client, personas.county_officer, "post", f"{path}/submit", {}), 422, "invalid")
    assert list(body["details"]) == ["conclusion"]
    assert _opinion(application).status == OpinionStatus.DRAFT


# --- The city decision ------------------------------------------------------------------


def test_city_decision_flow_to_accepted(client, personas):
    application = advance(make_application(personas), personas, Status.CITY_REVIEW)
    path = url(application, "/city-decision")
    response = assert_battery(client, personas, "put", path, DECISION, ("city_officer", "city_chief"))
    assert response.json()["decision"]["proposal"] == "accept"
    response = assert_battery(
        client, personas, "post", f"{path}/submit", {}, ("city_officer",), skip=("city_chief",)
    )
    assert response.json()["decision"]["status"] == "submitted"
    response = assert_battery(
        client, personas, "post", f"{path}/approve", {"comment": "同意受理"}, ("city_chief",)
    )
    assert response.json()["decision"]["status"] == "approved"
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED


def test_city_decision_return_to_the_enterprise(client, personas):
    application = advance(make_application(personas), personas, Status.CITY_REVIEW)
    path = url(application, "/city-decision")
    officer, chief = personas.city_officer, personas.city_chief
    call(client, officer, "put", path, {"proposal": "return_enterprise", "reasons": "材料不全"})
    body = assert_error(call(client, officer, "post", f"{path}/submit", {}), 422, "invalid")
    assert zh("List every item to correct, all at once.") in body["details"]["__all__"][0]
    items = [{"subject": "自评报告", "problem": "未签字", "fix": "签字后重新上传"}]
    call(client, officer, "put", path, {"correction_items": items})
    assert call(client, officer, "post", f"{path}/submit", {}).status_code == 200
    assert_error(call(client, chief, "post", f"{path}/send-back", {"comment": ""}), 422, "invalid")
    response = call(client, chief, "post", f"{path}/approve", {})
    assert response.status_code == 200, response.content
    application.refresh_from_db()
    assert application.status == Status.CITY_RETURNED
    detail = call(client, personas.enterprise_user, "get", url(application)).json()
    assert detail["correction_requests"][-1]["stage"] == "city"
    assert detail["correction_requests"][-1]["items"][0]["subject"] == "自评报告"
    assert CityDecision.objects.get(application=application).status == OpinionStatus.APPROVED


def test_city_decision_put_outside_the_re_review_is_403(client, personas):
    application = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    assert_error(
        call(client, personas.city_officer, "put", url(application, "/city-decision"), DECISION),
        403,
        "forbidden",
    )
    assert not CityDecision.objects.filter(application=application).exists()
    assert GradingApplication.objects.get(pk=application.pk).status == Status.COUNTY_REVIEW
