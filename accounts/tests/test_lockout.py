"""django-axes locks an account (per username and IP) after AXES_FAILURE_LIMIT failed logins."""

import pytest
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from accounts.tests.factories import DEFAULT_PASSWORD
from audit.models import AuditEvent

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _axes_clean(db):
    axes_reset()
    yield
    axes_reset()


def _fail(client, username: str, times: int):
    response = None
    for _ in range(times):
        response = client.post(LOGIN, {"username": username, "password": "Wrong-Password-1"})
    return response


def test_the_limit_is_five_by_default():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_ENABLED


def test_failures_below_the_limit_do_not_lock(client, personas):
    user = personas.city_officer
    response = _fail(client, user.username, settings.AXES_FAILURE_LIMIT - 1)
    assert response.status_code == 200
    response = client.post(LOGIN, {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    # A success resets the counter.
    assert not AccessAttempt.objects.filter(username=user.username).exists()


def test_reaching_the_limit_locks_even_the_right_password_out(client, personas):
    user = personas.city_officer
    response = _fail(client, user.username, settings.AXES_FAILURE_LIMIT)
    assert response.status_code == 429
    response = client.post(LOGIN, {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert "_auth_user_id" not in client.session
    content = response.content.decode()
    assert "30" in content  # AXES_COOLOFF_MINUTES: how long to wait
    assert response.context["cooloff_timedelta"].total_seconds() == 30 * 60


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_limit_follows_the_setting(client, personas):
    user = personas.county_officer
    assert _fail(client, user.username, 2).status_code == 200
    assert _fail(client, user.username, 1).status_code == 429
    response = client.post(LOGIN, {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 429


def test_the_lock_is_per_account(client, personas):
    _fail(client, personas.city_officer.username, settings.AXES_FAILURE_LIMIT)
    other = personas.county_officer
    response = client.post(LOGIN, {"username": other.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302


def test_the_lockout_is_audited(client, personas):
    user = personas.city_officer
    _fail(client, user.username, settings.AXES_FAILURE_LIMIT)
    assert AuditEvent.objects.filter(action="user.login_failed").count() == settings.AXES_FAILURE_LIMIT
    locked = AuditEvent.objects.get(action="user.locked_out")
    assert locked.data == {"username": user.username}


def test_an_admin_password_reset_lifts_the_lock(client, personas, login):
    user = personas.city_officer
    _fail(client, user.username, settings.AXES_FAILURE_LIMIT)
    login(personas.admin).post(
        reverse("accounts:user_password_reset", args=[user.pk]),
        {"new_password1": "Fresh-Start-2026", "new_password2": "Fresh-Start-2026"},
    )
    client.logout()
    response = client.post(LOGIN, {"username": user.username, "password": "Fresh-Start-2026"})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    assert AuditEvent.objects.filter(action="user.unlock", target_id=str(user.pk)).exists()
