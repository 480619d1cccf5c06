import pytest

from accounts.services import api_token_authenticate, api_token_create
from accounts.tests.battery import BATTERY
from audit.models import AuditEvent


def _url(token) -> str:
    return f"/accounts/tokens/{token.pk}/revoke/"


@pytest.mark.parametrize("persona", BATTERY)
def test_token_revoke_access(client, personas, login, persona):
    """Someone else's token is 404 (not even its existence leaks), except for admins."""
    owner = personas.county_officer
    token, _secret = api_token_create(actor=owner, user=owner, name="x")
    response = login(personas[persona]).post(_url(token))
    expected = {"county_officer": 302, "admin": 302, "anonymous": 302}.get(persona, 404)
    assert response.status_code == expected
    token.refresh_from_db()
    assert (token.revoked_at is not None) == (persona in {"county_officer", "admin"})


def test_revoke_is_post_only(client, personas, login):
    owner = personas.county_officer
    token, _secret = api_token_create(actor=owner, user=owner, name="x")
    assert login(owner).get(_url(token)).status_code == 405


def test_revoking_stops_the_token_and_is_audited(client, personas, login):
    owner = personas.expert
    token, secret = api_token_create(actor=owner, user=owner, name="x")
    response = login(owner).post(_url(token))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/tokens/"
    assert api_token_authenticate(secret) is None
    assert AuditEvent.objects.filter(action="api_token.revoke", target_id=str(token.pk)).count() == 1
    # A second revoke changes nothing.
    login(owner).post(_url(token))
    assert AuditEvent.objects.filter(action="api_token.revoke", target_id=str(token.pk)).count() == 1
