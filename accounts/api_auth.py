"""API authentication by personal token (the session alternative lives in lib.api)."""

from django.http import HttpRequest
from ninja.security import HttpBearer

from accounts.services import api_token_authenticate


class TokenAuth(HttpBearer):
    """Authorization: Bearer <token>, checked against the hashed per-user tokens."""

    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user
