import pytest
from axes.utils import reset as axes_reset
from django.urls import reverse

from accounts.tests.battery import BATTERY
from accounts.tests.factories import DEFAULT_PASSWORD
from audit.models import AuditEvent

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _axes_clean(db):
    axes_reset()
    yield
    axes_reset()


def test_login_url():
    assert reverse("accounts:login") == LOGIN


@pytest.mark.parametrize("persona", BATTERY)
def test_login_page_access(client, personas, login, persona):
    response = login(personas[persona]).get(LOGIN)
    if persona == "anonymous":
        assert response.status_code == 200
    else:  # already logged in: straight to the workbench
        assert response.status_code == 302
        assert response["Location"] == reverse("workbench:home")


def test_login_page_shows_the_form_in_chinese(client, db):
    response = client.get(LOGIN)
    content = response.content.decode()
    assert 'name="username"' in content
    assert 'name="password"' in content
    assert "登录" in content  # the button, msgid "Log in"
    assert "accounts/login.html" in [t.name for t in response.templates]


def test_good_credentials_log_in_and_are_audited(client, personas):
    user = personas.city_officer
    response = client.post(LOGIN, {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("workbench:home")
    assert int(client.session["_auth_user_id"]) == user.pk
    event = AuditEvent.objects.filter(action="user.login").get()
    assert event.actor_id == user.pk
    assert event.target_id == str(user.pk)
    assert event.ip == "127.0.0.1"


def test_wrong_password_is_refused_and_audited(client, personas):
    user = personas.city_officer
    response = client.post(LOGIN, {"username": user.username, "password": "wrong-password"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "请输入一个正确的" in response.content.decode()
    event = AuditEvent.objects.filter(action="user.login_failed").get()
    assert event.actor_id is None
    assert event.data == {"username": user.username, "locked_out": False}
    assert not AuditEvent.objects.filter(action="user.login").exists()


def test_inactive_user_cannot_log_in(client, personas):
    user = personas.county_officer
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.post(LOGIN, {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_next_parameter_is_followed_but_not_off_site(client, personas):
    user = personas.city_officer
    response = client.post(
        LOGIN + "?next=/audit/", {"username": user.username, "password": DEFAULT_PASSWORD, "next": "/audit/"}
    )
    assert response["Location"] == "/audit/"
    client.logout()
    response = client.post(
        LOGIN, {"username": user.username, "password": DEFAULT_PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("workbench:home")
