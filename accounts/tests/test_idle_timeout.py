"""A session ends after SESSION_IDLE_TIMEOUT_MINUTES without a request."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

HOME = "/"


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def test_the_limit_is_thirty_minutes_by_default():
    assert settings.SESSION_IDLE_TIMEOUT_MINUTES == 30


def test_activity_within_the_limit_keeps_the_session(client, personas, login, clock):
    login(personas.city_officer)
    assert client.get(HOME).status_code == 200
    for _ in range(3):  # 3 × 29 minutes: each request restarts the idle clock
        clock.shift(timedelta(minutes=settings.SESSION_IDLE_TIMEOUT_MINUTES - 1))
        assert client.get(HOME).status_code == 200


def test_idling_past_the_limit_logs_out(client, personas, login, clock):
    login(personas.city_officer)
    assert client.get(HOME).status_code == 200
    clock.shift(timedelta(minutes=settings.SESSION_IDLE_TIMEOUT_MINUTES, seconds=1))
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    # The login page explains why.
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert str(settings.SESSION_IDLE_TIMEOUT_MINUTES) in "".join(str(m) for m in page.context["messages"])


def test_htmx_requests_get_an_hx_redirect(client, personas, login, clock):
    login(personas.city_officer)
    client.get(HOME)
    clock.shift(timedelta(minutes=settings.SESSION_IDLE_TIMEOUT_MINUTES + 5))
    response = client.get(HOME, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/accounts/login/")


def test_the_idle_logout_is_audited(client, personas, login, clock):
    from audit.models import AuditEvent

    user = personas.city_officer
    login(user)
    client.get(HOME)
    clock.shift(timedelta(minutes=settings.SESSION_IDLE_TIMEOUT_MINUTES + 1))
    client.get(HOME)
    event = AuditEvent.objects.filter(action="user.logout").get()
    assert event.actor_id == user.pk
    assert event.ip == "127.0.0.1"
