import pytest

from accounts.models import User
from accounts.tests.battery import admins_only
from accounts.tests.factories import city_bureau, county_bureau
from audit.models import AuditEvent

URL = "/accounts/users/new/"


@pytest.mark.parametrize(("persona", "status"), admins_only())
def test_user_create_access(client, personas, login, persona, status):
    assert login(personas[persona]).get(URL).status_code == status


@pytest.mark.parametrize("persona", ["city_officer", "county_officer", "enterprise_user"])
def test_non_admins_cannot_post(client, personas, login, persona):
    response = login(personas[persona]).post(URL, _data(county_bureau("站前区")))
    assert response.status_code == 403
    assert not User.objects.filter(username="lisi").exists()


def _data(org, **over):
    data = {
        "role": "county_officer",
        "organisation": org.pk,
        "username": "lisi",
        "full_name": "李四",
        "phone": "0417-1234567",
        "email": "lisi@example.test",
        "password": "Initial-Pass-2026",
    }
    data.update(over)
    return data


def test_the_organisation_picker_is_grouped_by_kind(client, personas, login):
    content = login(personas.admin).get(URL).content.decode()
    assert content.count("<optgroup") >= 4  # administration, city bureau, county bureaus, expert pool


def test_creating_a_user(client, personas, login):
    org = county_bureau("站前区")
    response = login(personas.admin).post(URL, _data(org))
    assert response.status_code == 302
    user = User.objects.get(username="lisi")
    assert (user.role, user.organisation, user.full_name) == ("county_officer", org, "李四")
    assert user.must_change_password
    assert user.check_password("Initial-Pass-2026")
    assert not user.is_staff
    event = AuditEvent.objects.get(action="user.create")
    assert event.actor_id == personas.admin.pk
    assert event.target_id == str(user.pk)


def test_role_and_organisation_must_match(client, personas, login):
    response = login(personas.admin).post(URL, _data(city_bureau()))
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not User.objects.filter(username="lisi").exists()


def test_weak_password_shows_on_the_password_field(client, personas, login):
    response = login(personas.admin).post(URL, _data(county_bureau("站前区"), password="short"))
    assert response.status_code == 200
    codes = {e.code for e in response.context["form"].errors.as_data()["password"]}
    assert "password_too_short" in codes
    assert not User.objects.filter(username="lisi").exists()
    assert not AuditEvent.objects.filter(action="user.create").exists()


def test_username_must_be_unique(client, personas, login):
    personas.county_officer  # noqa: B018
    response = login(personas.admin).post(URL, _data(county_bureau("站前区"), username="County_Officer"))
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
