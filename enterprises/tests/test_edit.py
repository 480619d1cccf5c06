import pytest
from django.urls import reverse

from accounts.tests.factories import region
from audit.models import AuditEvent
from enterprises.forms import initial_for


def _url(enterprise) -> str:
    return reverse("enterprises:edit", args=[enterprise.pk])


def _post_data(enterprise, **overrides) -> dict:
    initial = initial_for(enterprise)
    data = {k: ("" if v is None else v) for k, v in initial.items() if k != "risk_tags"}
    data["risk_tags"] = [t.pk for t in initial["risk_tags"]]
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 403),
        ("city_officer", 200),
        ("city_chief", 200),
        ("bureau_leader", 403),  # read-only
        ("county_officer", 200),
        ("county_chief", 200),
        ("other_county_officer", 404),  # must not learn it exists
        ("enterprise_user", 404),  # another enterprise
        ("expert", 404),
        ("anonymous", 302),  # to login
    ],
)
def test_edit_access(login, personas, zhanqian_enterprise, persona, status):
    assert login(personas[persona]).get(_url(zhanqian_enterprise)).status_code == status


def test_zhanqian_officer_gets_404_for_a_bayuquan_enterprise(login, personas, bayuquan_enterprise):
    client = login(personas.county_officer)
    assert client.get(_url(bayuquan_enterprise)).status_code == 404
    assert (
        client.post(_url(bayuquan_enterprise), _post_data(bayuquan_enterprise, name="改名")).status_code
        == 404
    )
    bayuquan_enterprise.refresh_from_db()
    assert bayuquan_enterprise.name == "鲅鱼圈港口机械有限公司"


def test_enterprise_user_may_not_edit_his_own_enterprise_here(login, personas):
    enterprise = personas.enterprise
    assert login(personas.enterprise_user).get(_url(enterprise)).status_code == 403


def test_bureau_leader_post_is_refused(login, personas, zhanqian_enterprise):
    response = login(personas.bureau_leader).post(
        _url(zhanqian_enterprise), _post_data(zhanqian_enterprise, name="改名")
    )
    assert response.status_code == 403
    zhanqian_enterprise.refresh_from_db()
    assert zhanqian_enterprise.name == "营口钢铁有限公司"


def test_form_starts_with_current_values(login, personas, zhanqian_enterprise):
    form = login(personas.county_officer).get(_url(zhanqian_enterprise)).context["form"]
    assert form.initial["uscc"] == zhanqian_enterprise.uscc
    assert form.initial["region"] == region("站前区").pk


def test_edit_saves_and_records_the_change(login, personas, zhanqian_enterprise):
    data = _post_data(zhanqian_enterprise, address="营口市站前区改后路3号", employee_count="300")
    response = login(personas.county_officer).post(_url(zhanqian_enterprise), data)
    assert response.status_code == 302
    zhanqian_enterprise.refresh_from_db()
    assert zhanqian_enterprise.address == "营口市站前区改后路3号"
    assert zhanqian_enterprise.employee_count == 300
    event = AuditEvent.objects.get(action="enterprise.update", target_id=str(zhanqian_enterprise.pk))
    assert event.data["changes"]["address"] == ["", "营口市站前区改后路3号"]


def test_edit_keeps_its_own_uscc_and_shows_errors(login, personas, zhanqian_enterprise):
    response = login(personas.county_officer).post(
        _url(zhanqian_enterprise), _post_data(zhanqian_enterprise, employee_count="很多")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["employee_count"]  # its own USCC is not "already registered"
    assert "很多" in response.content.decode()
