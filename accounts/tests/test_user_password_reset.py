import pytest

from accounts.tests.battery import BATTERY
from audit.models import AuditEvent

NEW = "Reset-By-Admin-9"


def _url(user) -> str:
    return f"/accounts/users/{user.pk}/password/"


@pytest.mark.parametrize("persona", BATTERY)
def test_user_password_reset_access(client, personas, login, persona):
    target = personas.expert
    response = login(personas[persona]).get(_url(target))
    expected = 200 if persona == "admin" else 302 if persona == "anonymous" else 403
    assert response.status_code == expected


def test_non_admins_cannot_reset(client, personas, login):
    target = personas.expert
    response = login(personas.city_officer).post(_url(target), {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 403
    target.refresh_from_db()
    assert not target.check_password(NEW)


def test_reset_sets_the_password_and_forces_a_change(client, personas, login):
    target = personas.expert
    response = login(personas.admin).post(_url(target), {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password(NEW)
    assert target.must_change_password
    event = AuditEvent.objects.get(action="user.password")
    assert event.actor_id == personas.admin.pk
    assert event.data == {"by_self": False}
    # At next login the user is sent to change it.
    client.logout()
    response = client.post("/accounts/login/", {"username": target.username, "password": NEW}, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/password/"


def test_the_rules_apply(client, personas, login):
    target = personas.expert
    response = login(personas.admin).post(_url(target), {"new_password1": "abc", "new_password2": "abc"})
    assert response.status_code == 200
    assert response.context["form"].errors
    target.refresh_from_db()
    assert not target.must_change_password
