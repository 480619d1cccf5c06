"""Helpers for the REST API tests of every app."""

from accounts.services import api_token_create


def assert_error(response, status: int, code: str) -> dict:
    """Assert the response is the one error shape with this status and code; return its body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["details"], dict)
    return body


def bearer(user, *, days: int | None = None) -> dict[str, str]:
    """Create a token for ``user`` and return the headers that send it."""
    _token, secret = api_token_create(actor=user, user=user, name="test", days=days)
    return {"Authorization": f"Bearer {secret}"}
