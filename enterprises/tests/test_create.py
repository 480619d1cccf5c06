import re

import pytest
from django.urls import reverse

from accounts.tests.factories import region
from audit.models import AuditEvent
from enterprises.models import Enterprise, RiskTag
from enterprises.tests.conftest import zh
from enterprises.tests.factories import make_uscc

URL = reverse("enterprises:create")


def form_data(**overrides) -> dict:
    data = {
        "uscc": make_uscc(4242).lower(),
        "name": "营口新建机械有限公司",
        "short_name": "新建机械",
        "region": region("站前区").pk,
        "town": "",
        "address": "营口市站前区新建路2号",
        "legal_representative": "赵六",
        "principal_name": "赵六",
        "principal_phone": "13600000000",
        "safety_manager_name": "",
        "safety_manager_phone": "",
        "employee_count": "80",
        "scale": "above",
        "gb4754_code": "3130",
        "status": "normal",
        "risk_tags": [RiskTag.objects.get(code="metal_smelting").pk],
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 403),  # configures the system, registers no enterprises
        ("city_officer", 200),
        ("city_chief", 200),
        ("bureau_leader", 403),  # read-only
        ("county_officer", 200),
        ("county_chief", 200),
        ("other_county_officer", 200),
        ("enterprise_user", 403),
        ("expert", 403),
        ("anonymous", 302),  # to login
    ],
)
def test_create_access(login, personas, persona, status):
    assert login(personas[persona]).get(URL).status_code == status


@pytest.mark.parametrize("persona", ["bureau_leader", "enterprise_user", "expert"])
def test_post_by_non_editor_is_refused_and_creates_nothing(login, personas, persona):
    response = login(personas[persona]).post(URL, form_data())
    assert response.status_code == 403
    assert not Enterprise.objects.filter(name="营口新建机械有限公司").exists()


def test_county_officer_registers_an_enterprise(login, personas):
    response = login(personas.county_officer).post(URL, form_data())
    enterprise = Enterprise.objects.get(name="营口新建机械有限公司")
    assert response.status_code == 302
    assert response.url == reverse("enterprises:detail", args=[enterprise.pk])
    assert enterprise.uscc == make_uscc(4242)  # normalised to upper case
    assert enterprise.industry == "metallurgy"  # derived from 3130
    assert [t.code for t in enterprise.risk_tags.all()] == ["metal_smelting"]
    event = AuditEvent.objects.get(action="enterprise.create", target_id=str(enterprise.pk))
    assert event.actor == personas.county_officer


def test_county_officer_cannot_pick_another_division(login, personas):
    response = login(personas.county_officer).post(URL, form_data(region=region("鲅鱼圈区").pk))
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    assert not Enterprise.objects.filter(name="营口新建机械有限公司").exists()


def test_errors_are_shown_per_field_and_input_is_kept(login, personas):
    data = form_data(uscc="91210802MA0XAMPLE2", principal_phone="abc", gb4754_code="0610")
    response = login(personas.county_officer).post(URL, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["uscc"] == [
        zh("The check digit (the last character) of this unified social credit code is wrong.")
    ]
    assert "principal_phone" in errors
    assert "gb4754_code" in errors
    html = response.content.decode()
    # Nothing the user typed is lost.
    for value in ("91210802MA0XAMPLE2", "营口新建机械有限公司", "营口市站前区新建路2号", "abc", "0610"):
        assert value in html
    tag_pk = RiskTag.objects.get(code="metal_smelting").pk
    assert re.search(rf'<input type="checkbox" name="risk_tags" value="{tag_pk}"[^>]* checked', html)
    assert not Enterprise.objects.filter(name="营口新建机械有限公司").exists()


def test_duplicate_uscc_is_refused(login, personas, zhanqian_enterprise):
    response = login(personas.county_officer).post(URL, form_data(uscc=zhanqian_enterprise.uscc))
    assert response.context["form"].errors["uscc"] == [
        zh("An enterprise with this unified social credit code is already registered.")
    ]


def test_required_fields(login, personas):
    response = login(personas.county_officer).post(URL, {})
    errors = response.context["form"].errors
    assert {"uscc", "name", "region", "scale", "gb4754_code", "status"} <= set(errors)
