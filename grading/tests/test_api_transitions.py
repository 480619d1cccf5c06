"""POST /api/v1/applications/{id}/transitions/{name}: dispatch, refusals (409), rights, CSRF."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.tests.api_helpers import assert_error, bearer
from grading import services
from grading.models import ApplicationTransition, Status, Submission
from grading.tests.api_helpers import PERSONAS, call, expected, url, zh
from grading.tests.factories import advance, file_everything, fill_sheet, make_application
from lib.workflow import StaleState

pytestmark = pytest.mark.django_db


def move(client, user, application, name: str, body=None):
    return call(client, user, "post", url(application, f"/transitions/{name}"), {} if body is None else body)


def _count(application, name: str) -> int:
    return ApplicationTransition.objects.filter(application=application, transition=name).count()


def test_start_publicity_then_back_to_draft(client, personas):
    application = make_application(personas)
    fill_sheet(application, personas.enterprise_user)
    start = timezone.localdate() - timedelta(days=3)
    response = move(
        client,
        personas.enterprise_principal,
        application,
        "start_internal_publicity",
        {"start": start.isoformat(), "place": "食堂门口公告栏", "comment": "开始公示"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "internal_publicity"
    assert body["internal_publicity"]["start"] == start.isoformat()
    assert body["internal_publicity"]["place"] == "食堂门口公告栏"
    assert body["deadline"]["kind"] == "minimum"
    assert (
        ApplicationTransition.objects.get(
            application=application, transition="start_internal_publicity"
        ).comment
        == "开始公示"
    )

    response = client.post(  # no body at all
        url(application, "/transitions/back_to_draft"),
        "",
        content_type="application/json",
        headers=bearer(personas.enterprise_principal),
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "draft"
    assert response.json()["internal_publicity"]["start"] is None


def test_refused_move_gets_409_with_the_chinese_message(client, personas):
    application = make_application(personas)
    response = move(client, personas.enterprise_principal, application, "submit")
    body = assert_error(response, 409, "transition_refused")
    assert body["message"] == zh("This cannot be done in the current state.")
    assert body["message"] == "当前状态下无法执行此操作。"

    # A guard on the case's data: the self-assessment is not scored yet.
    response = move(client, personas.enterprise_principal, application, "start_internal_publicity")
    body = assert_error(response, 409, "transition_refused")
    unscored = application.standard.items.count()
    assert (
        zh("Score every item of the self-assessment first (%(n)s left).") % {"n": unscored} in body["message"]
    )
    application.refresh_from_db()
    assert application.status == Status.DRAFT
    assert _count(application, "start_internal_publicity") == 0


def test_double_submit_second_gets_409_and_one_transition_row(client, personas):
    application = advance(make_application(personas), personas, Status.INTERNAL_PUBLICITY)
    file_everything(application, personas)
    first = move(client, personas.enterprise_principal, application, "submit", {"comment": "请审核"})
    assert first.status_code == 200, first.content
    assert first.json()["status"] == "county_review"
    second = move(client, personas.enterprise_principal, application, "submit", {"comment": "请审核"})
    assert assert_error(second, 409, "transition_refused")["message"] == zh(
        "This cannot be done in the current state."
    )
    assert _count(application, "submit") == 1
    assert Submission.objects.filter(application=application).count() == 1


def test_submit_refused_by_eligibility_lists_the_failed_conditions(client, personas):
    application = advance(make_application(personas), personas, Status.INTERNAL_PUBLICITY)
    body = assert_error(
        move(client, personas.enterprise_principal, application, "submit"), 409, "transition_refused"
    )
    assert body["message"].startswith(
        zh("The application cannot be submitted yet: %(reasons)s").split("%")[0]
    )
    assert zh("Commitment signed") in body["message"]
    assert _count(application, "submit") == 0


def test_stale_state_gets_409_stale_state(client, personas, monkeypatch):
    application = advance(make_application(personas), personas, Status.INTERNAL_PUBLICITY)

    def overtaken(**kwargs):
        raise StaleState(zh("Someone else changed this case a moment ago; reload the page and try again."))

    monkeypatch.setattr(services, "application_submit", overtaken)
    body = assert_error(
        move(client, personas.enterprise_principal, application, "submit"), 409, "stale_state"
    )
    assert body["message"] == zh(
        "Someone else changed this case a moment ago; reload the page and try again."
    )


def test_unknown_or_indirect_move_is_404(client, personas):
    application = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    assert_error(move(client, personas.county_chief, application, "fly"), 404, "not_found")
    # Forwarding happens by approving the county opinion, not as a bare move.
    assert_error(move(client, personas.county_chief, application, "county_forward"), 404, "not_found")
    application.refresh_from_db()
    assert application.status == Status.COUNTY_REVIEW


@pytest.mark.parametrize("persona", PERSONAS)
def test_submit_rights(client, personas, persona):
    application = advance(make_application(personas), personas, Status.INTERNAL_PUBLICITY)
    file_everything(application, personas)
    response = move(client, personas[persona], application, "submit")
    status = expected(persona, {"enterprise_principal"})
    if status == 200:
        assert response.status_code == 200, response.content
    else:
        assert_error(response, status, {401: "unauthenticated", 403: "forbidden", 404: "not_found"}[status])
        application.refresh_from_db()
        assert application.status == Status.INTERNAL_PUBLICITY
        assert _count(application, "submit") == 0


def test_county_return_needs_its_items_and_the_county(client, personas):
    application = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    body = assert_error(
        move(client, personas.county_officer, application, "county_return", {"items": []}), 422, "invalid"
    )
    assert body["details"] == {"items": [zh("List every item to correct, all at once.")]}
    body = assert_error(
        move(
            client,
            personas.county_officer,
            application,
            "county_return",
            {"items": [{"subject": "营业执照"}]},
        ),
        422,
        "invalid",
    )
    assert body["details"] == {
        "items": [zh("Item %(n)s: give the item, the problem and what to fix.") % {"n": 1}]
    }
    items = [{"subject": "营业执照", "problem": "扫描件不清晰", "fix": "重新上传"}]
    assert_error(
        move(client, personas.other_county_officer, application, "county_return", {"items": items}),
        404,
        "not_found",
    )
    assert_error(
        move(client, personas.enterprise_principal, application, "county_return", {"items": items}),
        403,
        "forbidden",
    )
    response = move(
        client, personas.county_officer, application, "county_return", {"items": items, "comment": "请补正"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "county_returned"
    assert body["correction_requests"][0]["items"][0]["problem"] == "扫描件不清晰"


def test_withdraw_needs_a_reason(client, personas):
    application = make_application(personas)
    body = assert_error(
        move(client, personas.enterprise_principal, application, "withdraw", {"comment": "x"}), 422, "invalid"
    )
    assert body["details"] == {"reason": [zh("This field is required.")]}
    response = move(client, personas.enterprise_principal, application, "withdraw", {"reason": "暂不申请"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "withdrawn"
    assert response.json()["closing_reason"] == "暂不申请"


def test_terminate_false_commitment_by_the_city_chief(client, personas):
    application = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    body = {"reason": "承诺内容与事实不符"}
    assert_error(
        move(client, personas.city_officer, application, "terminate_false_commitment", body), 403, "forbidden"
    )
    response = move(client, personas.city_chief, application, "terminate_false_commitment", body)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "terminated_false_commitment"
    assert response.json()["ban_until"] is not None


def test_bad_body_gets_422(client, personas):
    application = make_application(personas)
    response = move(
        client, personas.enterprise_principal, application, "start_internal_publicity", {"start": "soon"}
    )
    assert "start" in assert_error(response, 422, "invalid")["details"]
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = move(
        client, personas.enterprise_principal, application, "start_internal_publicity", {"start": future}
    )
    assert assert_error(response, 422, "invalid")["details"] == {
        "start": [zh("The publicity cannot start in the future.")]
    }


def _csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_session_writes_need_the_csrf_token(personas):
    application = make_application(personas)
    client = _csrf_client(personas.enterprise_principal)
    path = url(application, "/transitions/withdraw")
    body = {"reason": "暂不申请"}
    assert_error(client.post(path, body, content_type="application/json"), 403, "csrf_failed")
    application.refresh_from_db()
    assert application.status == Status.DRAFT

    secret = "k" * 32
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    response = client.post(path, body, content_type="application/json", headers={"X-CSRFToken": secret})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "withdrawn"


def test_token_writes_need_no_csrf_token(personas):
    application = make_application(personas)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        url(application, "/transitions/withdraw"),
        {"reason": "暂不申请"},
        content_type="application/json",
        headers=bearer(personas.enterprise_principal),
    )
    assert response.status_code == 200, response.content
