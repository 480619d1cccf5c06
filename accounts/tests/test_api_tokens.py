"""Personal API tokens over the API: list, create (secret shown once), revoke."""

import hashlib

import pytest

from accounts.models import ApiToken
from accounts.services import api_token_create
from accounts.tests.api_helpers import assert_error
from audit.models import AuditEvent

TOKENS = "/api/v1/tokens"


def _create(client, **payload):
    return client.post(TOKENS, {"name": "ci", **payload}, content_type="application/json")


def test_create_returns_the_secret_once_and_stores_only_its_hash(login, personas):
    client = login(personas.county_officer)
    response = _create(client, days=30)
    assert response.status_code == 201, response.content
    body = response.json()
    secret = body["secret"]
    token = ApiToken.objects.get(pk=body["id"])
    assert token.user == personas.county_officer
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert body["prefix"] == token.prefix and secret.startswith(token.prefix)
    assert body["is_valid"] is True
    assert round((token.expires_at - token.created_at).total_seconds() / 86400) == 30
    # The secret works, and is never shown again.
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    listed = client.get(TOKENS).json()
    assert [t["id"] for t in listed] == [token.pk]
    assert "secret" not in listed[0]
    assert secret not in client.get(TOKENS).content.decode()
    assert AuditEvent.objects.filter(action="api_token.create", target_id=str(token.pk)).exists()


@pytest.mark.parametrize("days", [0, 3651, -5])
def test_create_with_days_out_of_range_is_422(login, personas, days):
    body = assert_error(_create(login(personas.county_officer), days=days), 422, "invalid")
    assert list(body["details"]) == ["days"]
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("name", ["", "   ", "x" * 65])
def test_create_with_bad_name_is_422(login, personas, name):
    body = assert_error(_create(login(personas.county_officer), name=name), 422, "invalid")
    assert list(body["details"]) == ["name"]


def test_create_for_oneself_by_user_id_is_allowed(login, personas):
    user = personas.expert
    assert _create(login(user), user_id=user.pk).status_code == 201


@pytest.mark.parametrize(
    "persona", ["city_chief", "bureau_leader", "county_officer", "enterprise_user", "expert"]
)
def test_only_admins_create_tokens_for_others(login, personas, persona):
    other = personas.city_officer
    assert_error(_create(login(personas[persona]), user_id=other.pk), 403, "forbidden")
    assert not ApiToken.objects.filter(user=other).exists()


def test_admin_creates_a_token_for_another_user(login, personas):
    admin, other = personas.admin, personas.city_officer
    response = _create(login(admin), user_id=other.pk)
    assert response.status_code == 201
    token = ApiToken.objects.get(pk=response.json()["id"])
    assert token.user == other and token.created_by == admin
    assert response.json()["username"] == "city_officer"


def test_admin_creating_for_an_unknown_user_gets_404(login, personas):
    assert_error(_create(login(personas.admin), user_id=987654), 404, "not_found")


def test_list_shows_own_tokens_and_admins_see_all(login, personas):
    mine = api_token_create(actor=personas.county_officer, user=personas.county_officer, name="mine")[0]
    theirs = api_token_create(actor=personas.city_officer, user=personas.city_officer, name="theirs")[0]
    assert [t["id"] for t in login(personas.county_officer).get(TOKENS).json()] == [mine.pk]
    assert {t["id"] for t in login(personas.admin).get(TOKENS).json()} == {mine.pk, theirs.pk}


def test_revoke_own_token(login, personas):
    user = personas.county_officer
    token, secret = api_token_create(actor=user, user=user, name="old")
    client = login(user)
    response = client.delete(f"{TOKENS}/{token.pk}")
    assert response.status_code == 200
    assert response.json()["revoked_at"] is not None
    assert response.json()["is_valid"] is False
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoke", target_id=str(token.pk)).count() == 1
    # A second revoke changes nothing; the token no longer authenticates.
    assert client.delete(f"{TOKENS}/{token.pk}").status_code == 200
    assert AuditEvent.objects.filter(action="api_token.revoke", target_id=str(token.pk)).count() == 1
    client.logout()
    assert_error(
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}), 401, "unauthenticated"
    )


def test_revoking_someone_elses_token_is_404(login, personas):
    token = api_token_create(actor=personas.city_officer, user=personas.city_officer, name="theirs")[0]
    assert_error(login(personas.county_officer).delete(f"{TOKENS}/{token.pk}"), 404, "not_found")
    token.refresh_from_db()
    assert token.revoked_at is None


def test_admin_revokes_someone_elses_token(login, personas):
    token = api_token_create(actor=personas.city_officer, user=personas.city_officer, name="theirs")[0]
    assert login(personas.admin).delete(f"{TOKENS}/{token.pk}").status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_revoke_unknown_token_is_404(login, personas):
    assert_error(login(personas.admin).delete(f"{TOKENS}/424242"), 404, "not_found")
