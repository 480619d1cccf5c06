"""Authentication of the REST API: bearer tokens, sessions, CSRF and the login redirect."""

import hashlib
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import api_token_create, api_token_revoke
from accounts.tests.api_helpers import assert_error, bearer

ME = "/api/v1/me"


def test_valid_token_authenticates(client, personas):
    user = personas.county_officer
    response = client.get(ME, headers=bearer(user))
    assert response.status_code == 200
    assert response.json()["username"] == "county_officer"


def test_valid_token_records_last_use(client, personas):
    user = personas.county_officer
    token, secret = api_token_create(actor=user, user=user, name="ci")
    client.get(ME, headers={"Authorization": f"Bearer {secret}"})
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "header",
    [
        None,  # no credentials at all
        "Bearer ab_wrong-secret",
        "Bearer not-even-our-prefix",
        "Token ab_wrong-secret",  # wrong scheme
    ],
)
def test_missing_or_wrong_credentials_get_401_not_login_redirect(client, db, header):
    headers = {"Authorization": header} if header else {}
    response = client.get(ME, headers=headers)
    body = assert_error(response, 401, "unauthenticated")
    assert body["details"] == {}
    assert response["WWW-Authenticate"] == "Bearer"


def test_revoked_token_gets_401(client, personas):
    user = personas.county_officer
    token, secret = api_token_create(actor=user, user=user, name="old")
    api_token_revoke(actor=user, token=token)
    assert_error(client.get(ME, headers={"Authorization": f"Bearer {secret}"}), 401, "unauthenticated")


def test_expired_token_gets_401(client, personas):
    user = personas.county_officer
    token, secret = api_token_create(actor=user, user=user, name="old", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_error(client.get(ME, headers={"Authorization": f"Bearer {secret}"}), 401, "unauthenticated")


def test_token_of_deactivated_user_gets_401(client, personas):
    user = personas.county_officer
    headers = bearer(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert_error(client.get(ME, headers=headers), 401, "unauthenticated")


def test_token_secret_is_stored_only_as_its_hash(personas):
    user = personas.county_officer
    token, secret = api_token_create(actor=user, user=user, name="ci")
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in {str(v) for v in row.values()}
    assert row["digest"] == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(row["prefix"]) and len(row["prefix"]) < len(secret) // 2


def test_session_authenticates(login, personas):
    response = login(personas.city_officer).get(ME)
    assert response.status_code == 200
    assert response.json()["role"] == "city_officer"


# --- CSRF: required for session-authenticated unsafe calls, never for tokens ---


def _csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def test_session_post_without_csrf_token_is_refused(personas):
    client = _csrf_client()
    client.force_login(personas.county_officer)
    response = client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    assert_error(response, 403, "csrf_failed")
    assert not ApiToken.objects.exists()


def test_session_post_with_csrf_token_is_accepted(personas):
    client = _csrf_client()
    client.force_login(personas.county_officer)
    secret = "k" * 32  # an unmasked CSRF secret, as the cookie would carry it
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    response = client.post(
        "/api/v1/tokens", {"name": "x"}, content_type="application/json", headers={"X-CSRFToken": secret}
    )
    assert response.status_code == 201, response.content


def test_token_post_needs_no_csrf_token(personas):
    client = _csrf_client()
    response = client.post(
        "/api/v1/tokens",
        {"name": "x"},
        content_type="application/json",
        headers=bearer(personas.county_officer),
    )
    assert response.status_code == 201, response.content


def test_anonymous_post_with_wrong_token_gets_401_not_csrf_403(db):
    client = _csrf_client()
    response = client.post(
        "/api/v1/tokens",
        {"name": "x"},
        content_type="application/json",
        headers={"Authorization": "Bearer ab_x"},
    )
    assert_error(response, 401, "unauthenticated")


# --- Public documentation ---


def test_openapi_document_is_public(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/enterprises/" in response.json()["paths"]


def test_docs_page_is_public_and_uses_no_external_assets(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "http://" not in html
    assert "https://" not in html


def test_unknown_api_path_answers_in_the_error_shape(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client.get("/api/v2/").json()["code"] == "not_found"
