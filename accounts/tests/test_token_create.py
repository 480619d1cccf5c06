import hashlib

import pytest

from accounts.models import ApiToken
from accounts.services import api_token_authenticate
from accounts.tests.battery import everyone
from audit.models import AuditEvent

URL = "/accounts/tokens/new/"


@pytest.mark.parametrize(("persona", "status"), everyone())
def test_token_create_access(client, personas, login, persona, status):
    assert login(personas[persona]).get(URL).status_code == status


def test_creating_a_token_shows_the_secret_once(client, personas, login):
    user = personas.county_officer
    response = login(user).post(URL, {"name": "统计脚本", "days": 30})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert "data-copy-target" in response.content.decode()
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.created_by) == (user, "统计脚本", user)
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert (token.expires_at - token.created_at).days in (29, 30)
    assert api_token_authenticate(secret) == user
    assert AuditEvent.objects.filter(action="api_token.create", target_id=str(token.pk)).exists()
    # Afterwards it is gone for good.
    assert secret not in client.get("/accounts/tokens/").content.decode()


@pytest.mark.parametrize("days", [0, 3651, "abc"])
def test_validity_is_bounded(client, personas, login, days):
    response = login(personas.county_officer).post(URL, {"name": "x", "days": days})
    assert response.status_code == 200
    assert "days" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_the_form_proposes_the_default_validity(client, personas, login, settings):
    response = login(personas.expert).get(URL)
    assert response.context["form"]["days"].value() == settings.API_TOKEN_DEFAULT_DAYS
