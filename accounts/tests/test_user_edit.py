import pytest

from accounts.tests.battery import BATTERY
from accounts.tests.factories import city_bureau, county_bureau
from audit.models import AuditEvent


def _url(user) -> str:
    return f"/accounts/users/{user.pk}/"


@pytest.mark.parametrize("persona", BATTERY)
def test_user_edit_access(client, personas, login, persona):
    target = personas.county_officer
    response = login(personas[persona]).get(_url(target))
    expected = 200 if persona == "admin" else 302 if persona == "anonymous" else 403
    assert response.status_code == expected


def test_unknown_user_is_404(client, personas, login):
    assert login(personas.admin).get("/accounts/users/999999/").status_code == 404


def _data(user, **over):
    data = {
        "role": user.role,
        "organisation": user.organisation_id,
        "full_name": user.full_name,
        "phone": user.phone,
        "email": user.email,
        "is_active": "on",
    }
    data.update(over)
    return data


def test_moving_a_county_officer_to_another_division(client, personas, login):
    target = personas.county_officer
    org = county_bureau("老边区")
    response = login(personas.admin).post(
        _url(target), _data(target, organisation=org.pk, phone="13800001111")
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.organisation == org
    assert target.phone == "13800001111"
    event = AuditEvent.objects.get(action="user.update")
    assert set(event.data["changes"]) == {"organisation", "phone"}


def test_deactivating_a_user(client, personas, login):
    target = personas.expert
    data = _data(target)
    del data["is_active"]
    login(personas.admin).post(_url(target), data)
    target.refresh_from_db()
    assert not target.is_active


def test_an_admin_cannot_demote_themself(client, personas, login):
    admin = personas.admin
    response = login(admin).post(
        _url(admin), _data(admin, role="city_officer", organisation=city_bureau().pk)
    )
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    admin.refresh_from_db()
    assert admin.role == "system_admin"


def test_an_admin_cannot_deactivate_themself(client, personas, login):
    admin = personas.admin
    data = _data(admin)
    del data["is_active"]
    response = login(admin).post(_url(admin), data)
    assert response.status_code == 200
    admin.refresh_from_db()
    assert admin.is_active
