"""PATCH /api/v1/accidents/{id}: partial updates through accident_update, audited."""

import pytest

from accounts.tests.api_helpers import assert_error, bearer
from audit.models import AuditEvent


def _patch(client, user, accident, data):
    return client.patch(
        f"/api/v1/accidents/{accident.pk}", data, content_type="application/json", headers=bearer(user)
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("county_officer", 200),
        ("county_chief", 200),
        ("city_officer", 200),
        ("city_chief", 200),
        ("other_county_officer", 404),  # must not learn it exists
        ("enterprise_user", 404),
        ("expert", 404),
        ("bureau_leader", 403),  # sees it, read-only
        ("admin", 403),
    ],
)
def test_update_access(client, personas, zhanqian_accident, persona, status):
    response = _patch(client, personas[persona], zhanqian_accident, {"deaths": 3})
    zhanqian_accident.refresh_from_db()
    if status == 200:
        assert response.status_code == 200, response.content
        assert response.json()["grade"] == "relatively_major"
        assert zhanqian_accident.deaths == 3
    else:
        assert_error(response, status, {403: "forbidden", 404: "not_found"}[status])
        assert zhanqian_accident.deaths == 0
        assert not AuditEvent.objects.filter(action="accident.update").exists()


def test_enterprise_user_may_not_change_his_own(client, personas, own_accident):
    assert_error(_patch(client, personas.enterprise_user, own_accident, {"deaths": 1}), 403, "forbidden")


def test_anonymous_gets_401(client, zhanqian_accident):
    response = client.patch(f"/api/v1/accidents/{zhanqian_accident.pk}", {}, content_type="application/json")
    assert_error(response, 401, "unauthenticated")


def test_update_audits_the_diff_and_keeps_other_fields(client, personas, zhanqian_accident):
    response = _patch(client, personas.county_officer, zhanqian_accident, {"direct_loss_yuan": "12000000"})
    body = response.json()
    assert body["direct_loss_yuan"] == "12000000.00"
    assert body["grade"] == "relatively_major"
    assert body["place"] == "炼钢车间"
    event = AuditEvent.objects.get(action="accident.update")
    assert event.data["changes"] == {
        "direct_loss_yuan": ["20000.00", "12000000.00"],
        "grade": ["ordinary", "relatively_major"],
    }


def test_override_and_clear_the_grade(client, personas, zhanqian_accident):
    officer = personas.county_officer
    body = _patch(
        client, officer, zhanqian_accident, {"grade_override": "major", "grade_override_reason": "调查认定"}
    ).json()
    assert (body["grade"], body["computed_grade"], body["grade_override"]) == ("major", "ordinary", "major")
    body = _patch(client, officer, zhanqian_accident, {"grade_override": None}).json()
    assert (body["grade"], body["grade_override"], body["grade_override_reason"]) == ("ordinary", None, "")


def test_null_is_refused_for_required_fields(client, personas, zhanqian_accident):
    body = assert_error(
        _patch(client, personas.county_officer, zhanqian_accident, {"place": None}), 422, "invalid"
    )
    assert set(body["details"]) == {"place"}


def test_moving_to_an_enterprise_outside_the_scope_is_refused(
    client, personas, zhanqian_accident, bayuquan_enterprise
):
    body = assert_error(
        _patch(client, personas.county_officer, zhanqian_accident, {"enterprise": bayuquan_enterprise.pk}),
        422,
        "invalid",
    )
    assert set(body["details"]) == {"enterprise"}
    zhanqian_accident.refresh_from_db()
    assert zhanqian_accident.enterprise_id != bayuquan_enterprise.pk
