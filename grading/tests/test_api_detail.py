"""The read operations: 404 for outsiders, what each side sees, the checklist, commitment, history."""

import pytest
from django.utils.translation import gettext

from accounts.tests.api_helpers import assert_error
from grading import services
from grading.models import GeneratedDocument, Status
from grading.tests.api_helpers import INSIDERS, OUTSIDERS, PERSONAS, call, url
from grading.tests.factories import advance, confirm_all, make_application

pytestmark = pytest.mark.django_db

READS = ["", "/attachments", "/eligibility", "/commitment", "/guidance", "/timeline", "/documents"]
ENTERPRISE = ("enterprise_user", "enterprise_principal")


@pytest.mark.parametrize("suffix", [*READS, "/county-opinion", "/city-decision"])
def test_read_access(client, personas, suffix):
    application = make_application(personas)
    for persona in PERSONAS:
        response = call(client, personas[persona], "get", url(application, suffix))
        if persona == "anonymous":
            assert_error(response, 401, "unauthenticated")
        elif persona in OUTSIDERS:
            assert_error(response, 404, "not_found")
        elif suffix == "/city-decision" and persona in ENTERPRISE:
            assert_error(response, 403, "forbidden")  # the city's proposal is internal
        else:
            assert persona in INSIDERS
            assert response.status_code == 200, (persona, response.content[:300])


def test_unknown_application_is_404(client, personas):
    application = make_application(personas)
    assert_error(
        call(client, personas.admin, "get", url(application).replace(str(application.pk), "999999")),
        404,
        "not_found",
    )


def test_detail_of_a_draft(client, personas):
    application = make_application(personas)
    body = call(client, personas.enterprise_principal, "get", url(application)).json()
    assert body["status"] == "draft"
    assert body["status_label"] == str(Status.DRAFT.label)
    assert body["deadline"] is None
    assert body["commitment"] == {"signed": False, "signed_at": None, "signed_by": None, "sha256": ""}
    assert body["county_opinion"] is None and body["city_decision"] is None
    assert body["correction_requests"] == []
    names = {t["name"] for t in body["available_transitions"]}
    assert names == {"start_internal_publicity", "withdraw"}
    # The enterprise contact may not make the principal's moves.
    body = call(client, personas.enterprise_user, "get", url(application)).json()
    assert body["available_transitions"] == []


def test_detail_in_county_review_shows_the_timer_and_the_county_moves(client, personas):
    application = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    body = call(client, personas.county_officer, "get", url(application)).json()
    assert body["deadline"]["param"] == "county_review_limit"
    assert body["deadline"]["kind"] == "limit"
    assert body["deadline"]["due_on"] == application.timer_due_on.isoformat()
    assert body["deadline"]["overdue"] is False and body["deadline"]["calendar_missing"] is False
    assert body["score"] == {"percentage": "100.0", "unscored_items": 0}
    assert body["commitment"]["signed"] is True
    assert body["commitment"]["signed_by"] == personas.enterprise_principal.get_full_name()
    assert body["internal_publicity"]["place"] == "办公楼一层公告栏"
    assert [t["name"] for t in body["available_transitions"]] == ["county_return"]
    assert body["available_transitions"][0]["label"] == gettext("Return for correction")
    assert call(client, personas.city_chief, "get", url(application)).json()["available_transitions"] == [
        {"name": "terminate_false_commitment", "label": gettext("Terminate: false commitment")}
    ]


def test_enterprise_sees_the_county_opinion_only_once_approved(client, personas):
    application = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    services.county_opinion_save(
        actor=personas.county_officer, application=application, data={"basic_info_check": "属实"}
    )
    assert (
        call(client, personas.county_officer, "get", url(application)).json()["county_opinion"][
            "basic_info_check"
        ]
        == "属实"
    )
    assert call(client, personas.enterprise_user, "get", url(application)).json()["county_opinion"] is None
    panel = call(client, personas.enterprise_user, "get", url(application, "/county-opinion")).json()
    assert panel == {"opinion": None, "can_edit": False, "available_transitions": []}

    services.county_opinion_save(
        actor=personas.county_officer,
        application=application,
        data={
            "licence_check": "齐全",
            "score_check": "无误",
            "conclusion": "forward",
            "condition_checks": confirm_all(),
        },
    )
    opinion = services.current_county_opinion(application)
    services.county_opinion_submit(actor=personas.county_officer, opinion=opinion)
    services.county_opinion_approve(actor=personas.county_chief, opinion=opinion)
    seen = call(client, personas.enterprise_user, "get", url(application)).json()
    assert seen["county_opinion"]["status"] == "approved"
    assert seen["county_opinion"]["conclusion"] == "forward"
    assert seen["city_decision"] is None


def test_regulators_see_the_city_decision_and_the_enterprise_does_not(client, personas):
    application = advance(make_application(personas), personas, Status.CITY_REVIEW)
    services.city_decision_save(
        actor=personas.city_officer, application=application, data={"package_check": "材料齐全"}
    )
    for persona in ("city_officer", "county_officer", "bureau_leader"):
        body = call(client, personas[persona], "get", url(application)).json()
        assert body["city_decision"]["package_check"] == "材料齐全", persona
    assert (
        call(client, personas.enterprise_principal, "get", url(application)).json()["city_decision"] is None
    )


def test_correction_requests_with_their_items(client, personas):
    application = advance(make_application(personas), personas, Status.COUNTY_RETURNED)
    body = call(client, personas.enterprise_user, "get", url(application)).json()
    [request] = body["correction_requests"]
    assert (request["stage"], request["addressee"], request["round"]) == ("county", "enterprise", 1)
    [item] = request["items"]
    assert (item["seq"], item["subject"], item["state"]) == (1, "营业执照", "open")
    assert item["fix_required"] == "重新上传清晰的营业执照"


def test_eligibility_checklist(client, personas):
    application = make_application(personas)
    body = call(client, personas.enterprise_user, "get", url(application, "/eligibility")).json()
    codes = [c["code"] for c in body["checks"]]
    assert codes[:3] == ["E1", "E2", "E3"] and "E15" in codes
    assert body["blocking"] is True  # nothing filed yet
    e15 = next(c for c in body["checks"] if c["code"] == "E15")
    assert e15 == {
        "code": "E15",
        "label": gettext("Commitment signed"),
        "result": "fail",
        "reason": gettext("The principal has not signed the commitment."),
    }


def test_commitment_text_and_signing(client, personas):
    application = make_application(personas)
    body = call(client, personas.enterprise_user, "get", url(application, "/commitment")).json()
    assert body["signed"] is False
    assert body["text"] == services.commitment_text_for(application)
    assert "营口站前测试机械有限公司" in body["text"]

    assert_error(
        call(client, personas.enterprise_user, "post", url(application, "/commitment")), 403, "forbidden"
    )
    assert_error(
        call(client, personas.county_officer, "post", url(application, "/commitment")), 403, "forbidden"
    )
    response = call(client, personas.enterprise_principal, "post", url(application, "/commitment"))
    assert response.status_code == 200, response.content
    signed = response.json()
    assert signed["signed"] is True and len(signed["sha256"]) == 64
    assert signed["signed_by"] == personas.enterprise_principal.get_full_name()
    # Signing again changes nothing.
    again = call(client, personas.enterprise_principal, "post", url(application, "/commitment")).json()
    assert again["signed_at"] == signed["signed_at"]


def test_timeline(client, personas):
    application = advance(make_application(personas), personas, Status.INTERNAL_PUBLICITY)
    services.guidance_add(actor=personas.county_officer, application=application, text="请尽快上传材料")
    entries = call(client, personas.enterprise_user, "get", url(application, "/timeline")).json()
    kinds = [e["kind"] for e in entries]
    assert kinds[:2] == ["transition", "transition"]
    assert entries[0]["title"] == gettext("Application created")
    assert entries[1]["title"] == gettext("Start internal publicity")
    assert entries[1]["to_state"] == str(Status.INTERNAL_PUBLICITY.label)
    guidance = next(e for e in entries if e["kind"] == "guidance")
    assert guidance["comment"] == "请尽快上传材料" and guidance["url"] is None


def test_documents_with_download_urls(client, personas):
    application = make_application(personas)
    first = services.document_store(
        actor=personas.enterprise_user,
        application=application,
        kind=GeneratedDocument.Kind.SELF_ASSESSMENT_REPORT,
        content=b"%PDF-1.4 one",
        reason="internal_publicity",
    )
    second = services.document_store(
        actor=personas.enterprise_user,
        application=application,
        kind=GeneratedDocument.Kind.SELF_ASSESSMENT_REPORT,
        content=b"%PDF-1.4 two",
        reason="submit",
    )
    body = call(client, personas.county_officer, "get", url(application, "/documents")).json()
    assert [(d["id"], d["version"]) for d in body] == [(second.pk, 2), (first.pk, 1)]
    assert body[0]["url"] == f"/applications/{application.pk}/documents/{second.pk}/"
    assert body[0]["kind"] == "self_assessment_report" and body[0]["size"] == len(b"%PDF-1.4 two")
    assert body[0]["kind_label"] == str(GeneratedDocument.Kind.SELF_ASSESSMENT_REPORT.label)


def test_guidance_list_and_write(client, personas):
    application = make_application(personas)
    for persona in PERSONAS:
        response = call(
            client, personas[persona], "post", url(application, "/guidance"), {"text": "注意台账"}
        )
        if persona in ("county_officer", "county_chief", "city_officer", "city_chief"):
            assert response.status_code == 201, (persona, response.content)
        elif persona == "anonymous":
            assert_error(response, 401, "unauthenticated")
        elif persona in OUTSIDERS:
            assert_error(response, 404, "not_found")
        else:
            assert_error(response, 403, "forbidden")
    assert_error(
        call(client, personas.county_officer, "post", url(application, "/guidance"), {"text": " "}),
        422,
        "invalid",
    )
    rows = call(client, personas.enterprise_user, "get", url(application, "/guidance")).json()
    assert [r["text"] for r in rows] == ["注意台账"] * 4


def test_a_return_from_the_city_to_the_county_stays_between_the_regulators(client, personas):
    application = advance(make_application(personas), personas, Status.CITY_REVIEW)
    services.city_decision_save(
        actor=personas.city_officer,
        application=application,
        data={
            "proposal": "return_county",
            "reasons": "初审意见不完整",
            "correction_items": [{"subject": "初审意见", "problem": "缺现场核查", "fix": "补充现场核查"}],
        },
    )
    decision = services.current_city_decision(application)
    services.city_decision_submit(actor=personas.city_officer, decision=decision)
    services.city_decision_approve(actor=personas.city_chief, decision=decision)
    county = call(client, personas.county_officer, "get", url(application)).json()
    assert county["status"] == "county_review"
    assert [(r["stage"], r["addressee"]) for r in county["correction_requests"]] == [("city", "county")]
    enterprise = call(client, personas.enterprise_user, "get", url(application)).json()
    assert enterprise["correction_requests"] == []
