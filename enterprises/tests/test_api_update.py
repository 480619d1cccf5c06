"""PATCH /api/v1/enterprises/{id}: partial updates through enterprise_update, audited."""

import pytest

from accounts.models import Region
from accounts.tests.api_helpers import assert_error, bearer
from accounts.tests.factories import region
from audit.models import AuditEvent
from enterprises.models import Enterprise, RiskTag
from lib.api import DomainError


def _patch(client, user, enterprise, data):
    return client.patch(
        f"/api/v1/enterprises/{enterprise.pk}", data, content_type="application/json", headers=bearer(user)
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("county_officer", 200),
        ("county_chief", 200),
        ("city_officer", 200),
        ("city_chief", 200),
        ("other_county_officer", 404),  # must not learn it exists
        ("other_enterprise_user", 404),
        ("expert", 404),
        ("enterprise_user", 403),  # sees it, may not edit the registry
        ("enterprise_principal", 403),
        ("bureau_leader", 403),  # read-only
        ("admin", 403),  # configuration, no business decisions
    ],
)
def test_update_access(client, personas, persona, status):
    enterprise = personas.enterprise
    response = _patch(client, personas[persona], enterprise, {"short_name": "站前机械"})
    enterprise.refresh_from_db()
    if status == 200:
        assert response.status_code == 200, response.content
        assert response.json()["short_name"] == "站前机械"
        assert enterprise.short_name == "站前机械"
    else:
        assert_error(response, status, {403: "forbidden", 404: "not_found"}[status])
        assert enterprise.short_name == ""
        assert not AuditEvent.objects.filter(action="enterprise.update").exists()


def test_update_anonymous_gets_401(client, personas):
    enterprise = personas.enterprise
    response = client.patch(
        f"/api/v1/enterprises/{enterprise.pk}", {"name": "x"}, content_type="application/json"
    )
    assert_error(response, 401, "unauthenticated")


def test_update_writes_an_audit_row_with_the_changes(client, personas):
    enterprise = personas.enterprise
    user = personas.county_officer
    response = _patch(client, user, enterprise, {"employee_count": 300, "risk_tags": ["confined_space"]})
    assert response.status_code == 200, response.content
    event = AuditEvent.objects.get(action="enterprise.update", target_id=str(enterprise.pk))
    assert event.actor == user
    changes = event.data["changes"]
    assert "employee_count" in changes and "risk_tags" in changes
    assert "name" not in changes  # untouched fields are not recorded as changed
    assert response.json()["risk_tags"] == [{"code": "confined_space", "name": "有限空间作业"}]


def test_fields_left_out_keep_their_value(client, personas):
    enterprise = personas.enterprise
    enterprise.risk_tags.set(RiskTag.objects.filter(code="dust_explosion"))
    before = Enterprise.objects.get(pk=enterprise.pk)
    response = _patch(client, personas.county_officer, enterprise, {"address": "营口市站前区测试路1号"})
    assert response.status_code == 200
    enterprise.refresh_from_db()
    for name in ("uscc", "name", "region_id", "scale", "gb4754_code", "industry", "status", "employee_count"):
        assert getattr(enterprise, name) == getattr(before, name)
    assert [t.code for t in enterprise.risk_tags.all()] == ["dust_explosion"]


def test_gb4754_change_re_derives_the_industry(client, personas):
    enterprise = personas.enterprise
    body = _patch(client, personas.county_officer, enterprise, {"gb4754_code": "3120"}).json()
    assert body["industry"] == "metallurgy"


def test_town_can_be_set_and_cleared(client, personas):
    enterprise = personas.enterprise
    town = Region.objects.create(code="210802001", name="渔市街道", level="town", parent=region("站前区"))
    user = personas.county_officer
    assert _patch(client, user, enterprise, {"town": town.pk}).json()["town"]["code"] == "210802001"
    assert _patch(client, user, enterprise, {"town": None}).json()["town"] is None


def test_town_outside_the_division_is_422(client, personas):
    enterprise = personas.enterprise
    town = Region.objects.create(code="210804001", name="海星街道", level="town", parent=region("鲅鱼圈区"))
    body = assert_error(_patch(client, personas.city_officer, enterprise, {"town": town.pk}), 422, "invalid")
    assert list(body["details"]) == ["town"]


def test_invalid_uscc_is_422_and_changes_nothing(client, personas):
    enterprise = personas.enterprise
    body = assert_error(
        _patch(client, personas.county_officer, enterprise, {"uscc": "123", "name": "改名"}), 422, "invalid"
    )
    assert list(body["details"]) == ["uscc"]
    enterprise.refresh_from_db()
    assert enterprise.name == "营口站前测试机械有限公司"
    assert not AuditEvent.objects.filter(action="enterprise.update").exists()


@pytest.mark.parametrize("field", ["name", "status", "scale", "region", "risk_tags"])
def test_null_for_a_required_field_is_422(client, personas, field):
    enterprise = personas.enterprise
    body = assert_error(_patch(client, personas.county_officer, enterprise, {field: None}), 422, "invalid")
    assert list(body["details"]) == [field]


def test_moving_to_another_division_outside_scope_is_422(client, personas):
    enterprise = personas.enterprise
    response = _patch(client, personas.county_officer, enterprise, {"region": region("鲅鱼圈区").pk})
    assert list(assert_error(response, 422, "invalid")["details"]) == ["region"]


def test_domain_error_is_409_in_the_error_shape(client, personas, monkeypatch):
    def refuse(**kwargs):
        raise DomainError("已被他人修改", code="stale", details={"id": kwargs["enterprise"].pk})

    monkeypatch.setattr("enterprises.api.enterprise_update", refuse)
    enterprise = personas.enterprise
    body = assert_error(_patch(client, personas.county_officer, enterprise, {"name": "x"}), 409, "stale")
    assert body["message"] == "已被他人修改"
    assert body["details"] == {"id": enterprise.pk}
