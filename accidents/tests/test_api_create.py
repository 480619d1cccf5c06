"""POST /api/v1/accidents/: recorders only, in scope, validated by accident_clean, audited."""

import pytest
from django.utils.translation import gettext

from accidents.models import Accident
from accounts.tests.api_helpers import assert_error, bearer
from audit.models import AuditEvent

LIST = "/api/v1/accidents/"


def _body(enterprise, **overrides) -> dict:
    body = {
        "enterprise": enterprise.pk,
        "occurred_at": "2026-03-02T09:30:00+08:00",
        "place": "炼钢车间",
        "accident_type": "burn_scald",
        "deaths": 0,
        "serious_injuries": 10,
        "minor_injuries": 2,
        "direct_loss_yuan": "350000.50",
    }
    body.update(overrides)
    return body


def _post(client, user, body):
    return client.post(LIST, body, content_type="application/json", headers=bearer(user))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("county_officer", 201),
        ("county_chief", 201),
        ("city_officer", 201),
        ("city_chief", 201),
        ("other_county_officer", 422),  # the 站前区 enterprise is not in his scope: unknown id
        ("bureau_leader", 403),
        ("admin", 403),
        ("enterprise_user", 403),
        ("expert", 403),
    ],
)
def test_create_access(client, personas, zhanqian_enterprise, persona, status):
    response = _post(client, personas[persona], _body(zhanqian_enterprise))
    if status == 201:
        assert response.status_code == 201, response.content
    else:
        assert_error(response, status, {403: "forbidden", 422: "invalid"}[status])
    assert Accident.objects.exists() == (status == 201)


def test_anonymous_gets_401(client, zhanqian_enterprise):
    response = client.post(LIST, _body(zhanqian_enterprise), content_type="application/json")
    assert_error(response, 401, "unauthenticated")


def test_create_computes_the_grade_and_audits(client, personas, zhanqian_enterprise):
    response = _post(client, personas.county_officer, _body(zhanqian_enterprise))
    body = response.json()
    assert body["grade"] == body["computed_grade"] == "relatively_major"  # 10 serious injuries
    assert body["direct_loss_yuan"] == "350000.50"
    assert body["occurred_at"] == "2026-03-02T01:30:00Z"
    accident = Accident.objects.get()
    assert AuditEvent.objects.filter(action="accident.record", target_id=str(accident.pk)).count() == 1


def test_numbers_are_accepted_for_money_and_naive_times_are_beijing_time(
    client, personas, zhanqian_enterprise
):
    response = _post(
        client,
        personas.county_officer,
        _body(zhanqian_enterprise, direct_loss_yuan=1200, occurred_at="2026-03-02T09:30:00"),
    )
    assert response.status_code == 201, response.content
    assert response.json()["direct_loss_yuan"] == "1200.00"
    assert response.json()["occurred_at"] == "2026-03-02T01:30:00Z"


def test_invalid_data_gets_422_with_the_messages_by_field(client, personas, zhanqian_enterprise):
    response = _post(
        client,
        personas.county_officer,
        _body(zhanqian_enterprise, deaths=-1, direct_loss_yuan="-3", reported_at="2026-03-02T08:00:00+08:00"),
    )
    body = assert_error(response, 422, "invalid")
    assert body["details"] == {
        "deaths": [gettext("The number of deaths cannot be negative.")],
        "direct_loss_yuan": [gettext("The direct economic loss cannot be negative.")],
        "reported_at": [gettext("The accident cannot have been reported before it occurred.")],
    }
    assert not Accident.objects.exists()


def test_schema_errors_get_422(client, personas, zhanqian_enterprise):
    body = assert_error(
        _post(client, personas.county_officer, _body(zhanqian_enterprise, accident_type="meteor")),
        422,
        "invalid",
    )
    assert "accident_type" in body["details"]
    body = assert_error(_post(client, personas.county_officer, {"place": "x"}), 422, "invalid")
    assert "enterprise" in body["details"]
