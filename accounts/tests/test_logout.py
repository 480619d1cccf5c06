import pytest
from django.urls import reverse

from accounts.tests.battery import BATTERY
from audit.models import AuditEvent


@pytest.mark.parametrize("persona", BATTERY)
def test_logout_access(client, personas, login, persona):
    response = login(personas[persona]).post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))  # anonymous: ?next=…
    assert "_auth_user_id" not in client.session


def test_logout_is_post_only(client, personas, login):
    response = login(personas.city_officer).get(reverse("accounts:logout"))
    assert response.status_code == 405
    assert "_auth_user_id" in client.session


def test_logout_is_audited(client, personas, login):
    user = personas.county_officer
    login(user).post(reverse("accounts:logout"))
    event = AuditEvent.objects.filter(action="user.logout").get()
    assert event.actor_id == user.pk
    # After logging out, pages send you to the login page again.
    response = client.get(reverse("workbench:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
