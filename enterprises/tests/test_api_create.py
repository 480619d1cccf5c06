"""POST /api/v1/enterprises/: the same rules and messages as the registration form."""

import pytest
from django.utils import translation

from accounts.tests.api_helpers import assert_error, bearer
from accounts.tests.factories import region
from audit.models import AuditEvent
from enterprises.models import Enterprise
from enterprises.tests.factories import make_uscc

CREATE = "/api/v1/enterprises/"


def _payload(**overrides):
    data = {
        "uscc": make_uscc(900001),
        "name": "营口接口测试机械有限公司",
        "region": region("站前区").pk,
        "scale": "above",
        "gb4754_code": "3484",
        "principal_name": "李四",
        "principal_phone": "13900000000",
        "employee_count": 80,
        "risk_tags": ["dust_explosion"],
    }
    data.update(overrides)
    return data


def _post(client, user, **overrides):
    return client.post(CREATE, _payload(**overrides), content_type="application/json", headers=bearer(user))


@pytest.mark.parametrize("persona", ["county_officer", "county_chief", "city_officer", "city_chief"])
def test_editors_register_an_enterprise(client, personas, persona):
    response = _post(client, personas[persona])
    assert response.status_code == 201, response.content
    body = response.json()
    enterprise = Enterprise.objects.get(pk=body["id"])
    assert enterprise.name == "营口接口测试机械有限公司"
    assert body["industry"] == "machinery"  # derived from the GB/T 4754 code
    assert body["region"]["code"] == "210802"
    assert body["risk_tags"] == [{"code": "dust_explosion", "name": "粉尘涉爆"}]
    event = AuditEvent.objects.get(action="enterprise.create", target_id=str(enterprise.pk))
    assert event.actor == personas[persona]


@pytest.mark.parametrize(
    "persona", ["bureau_leader", "admin", "enterprise_user", "enterprise_principal", "expert"]
)
def test_other_roles_may_not_register(client, personas, persona):
    # Even an invalid payload gets 403: a read-only role learns nothing from validation.
    response = _post(client, personas[persona], uscc="bad")
    assert_error(response, 403, "forbidden")
    assert not Enterprise.objects.filter(name="营口接口测试机械有限公司").exists()


def test_anonymous_gets_401(client, db):
    response = client.post(CREATE, _payload(), content_type="application/json")
    assert_error(response, 401, "unauthenticated")


def test_invalid_uscc_is_422_with_a_message_for_the_field(client, personas):
    bad = make_uscc(900001)[:-1] + ("0" if make_uscc(900001)[-1] != "0" else "1")
    body = assert_error(_post(client, personas.county_officer, uscc=bad), 422, "invalid")
    assert list(body["details"]) == ["uscc"]
    assert len(body["details"]["uscc"]) == 1 and body["details"]["uscc"][0]
    assert not Enterprise.objects.exists()


def test_uscc_message_is_a_translatable_string(client, personas):
    # English is the msgid: the message went through gettext (zh-hans shows the translation).
    # The override restores the language the middleware activates for this request.
    with translation.override("zh-hans"):
        response = client.post(
            CREATE,
            _payload(uscc="91210802ABC"),
            content_type="application/json",
            headers={**bearer(personas.county_officer), "Accept-Language": "en"},
        )
    body = assert_error(response, 422, "invalid")
    with translation.override("en"):
        expected = translation.gettext("A unified social credit code has 18 characters; this one has %(n)d.")
    assert body["details"]["uscc"] == [expected % {"n": 11}]


def test_duplicate_uscc_is_422(client, personas):
    uscc = personas.enterprise.uscc
    body = assert_error(_post(client, personas.county_officer, uscc=uscc.lower()), 422, "invalid")
    assert list(body["details"]) == ["uscc"]


def test_several_field_errors_come_together(client, personas):
    body = assert_error(
        _post(client, personas.county_officer, name="  ", principal_phone="abc", gb4754_code="99"),
        422,
        "invalid",
    )
    assert {"name", "principal_phone", "gb4754_code"} <= set(body["details"])


def test_unknown_region_id_is_422_on_region(client, personas):
    body = assert_error(_post(client, personas.county_officer, region=987654), 422, "invalid")
    assert list(body["details"]) == ["region"]


def test_region_outside_own_division_is_422_on_region(client, personas):
    response = _post(client, personas.other_county_officer)  # 鲅鱼圈区 officer, 站前区 enterprise
    body = assert_error(response, 422, "invalid")
    assert list(body["details"]) == ["region"]


def test_city_as_region_is_422_on_region(client, personas):
    body = assert_error(_post(client, personas.city_officer, region=region("营口市").pk), 422, "invalid")
    assert list(body["details"]) == ["region"]


def test_unknown_risk_tag_code_is_422_on_risk_tags(client, personas):
    body = assert_error(
        _post(client, personas.county_officer, risk_tags=["dust_explosion", "lava"]), 422, "invalid"
    )
    assert list(body["details"]) == ["risk_tags"]
    assert "lava" in body["details"]["risk_tags"][0]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"scale": "huge"}, "scale"),
        ({"status": "closed"}, "status"),
        ({"employee_count": "many"}, "employee_count"),
        ({"name": "x" * 201}, "name"),
    ],
)
def test_schema_errors_are_422_per_field(client, personas, overrides, field):
    body = assert_error(_post(client, personas.county_officer, **overrides), 422, "invalid")
    assert field in body["details"]


def test_missing_required_fields_are_422_per_field(client, personas):
    response = client.post(
        CREATE,
        {"name": "营口缺项有限公司"},
        content_type="application/json",
        headers=bearer(personas.city_officer),
    )
    body = assert_error(response, 422, "invalid")
    assert {"uscc", "region", "scale", "gb4754_code"} <= set(body["details"])
