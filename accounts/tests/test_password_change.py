import pytest
from django.urls import reverse

from accounts.tests.battery import everyone
from accounts.tests.factories import DEFAULT_PASSWORD
from audit.models import AuditEvent

URL = "/accounts/password/"
NEW = "Brand-New-Pass-7"


def test_url():
    assert reverse("accounts:password_change") == URL


@pytest.mark.parametrize(("persona", "status"), everyone())
def test_password_change_access(client, personas, login, persona, status):
    assert login(personas[persona]).get(URL).status_code == status


def test_changing_the_password_keeps_the_session_and_is_audited(client, personas, login):
    user = personas.county_officer
    response = login(user).post(
        URL, {"old_password": DEFAULT_PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workbench:home")
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert not user.must_change_password
    # Still logged in (the session hash was updated).
    assert client.get(reverse("workbench:home")).status_code == 200
    event = AuditEvent.objects.get(action="user.password")
    assert event.actor_id == user.pk
    assert event.data == {"by_self": True}


def test_the_old_password_must_be_right(client, personas, login):
    user = personas.county_officer
    response = login(user).post(URL, {"old_password": "not-it", "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)
    assert not AuditEvent.objects.filter(action="user.password").exists()


def test_the_new_password_must_differ(client, personas, login):
    user = personas.county_officer
    response = login(user).post(
        URL,
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": DEFAULT_PASSWORD,
            "new_password2": DEFAULT_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["new_password1"]] == [
        "password_unchanged"
    ]


def test_the_two_new_passwords_must_match(client, personas, login):
    response = login(personas.county_officer).post(
        URL, {"old_password": DEFAULT_PASSWORD, "new_password1": NEW, "new_password2": NEW + "x"}
    )
    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors
