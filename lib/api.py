"""Shared pieces of the REST API: authentication and the one error shape.

Every error is ``{"code": ..., "message": <Chinese>, "details": {...}}``:
DomainError → 409, PermissionDenied → 403, Http404 → 404, validation → 422, auth → 401.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer


class DomainError(Exception):
    """A business rule refused the request (a wrong state, a conflicting change…)."""

    def __init__(self, message: str, code: str = "conflict", details: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.details = details or {}


class TokenAuth(HttpBearer):
    """Authorization: Bearer <token>, checked against the hashed per-user tokens."""

    def authenticate(self, request: HttpRequest, token: str):
        from accounts.services import api_token_authenticate

        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


def _error(api: NinjaAPI, request, status: int, code: str, message: str, details: dict | None = None):
    return api.create_response(request, {"code": code, "message": message, "details": details or {}}, status=status)


def _field_errors(errors: list[dict]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for err in errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload", "data")]
        fields.setdefault(".".join(loc) or "__all__", []).append(_translate_pydantic(err))
    return fields


def _translate_pydantic(err: dict) -> str:
    kind = err.get("type", "")
    if kind == "missing":
        return _("This field is required.")
    if kind.startswith("int") or kind.startswith("float") or kind.startswith("decimal"):
        return _("Enter a number.")
    if kind.startswith("string_too_long"):
        return _("This value is too long.")
    if kind.startswith("literal") or kind.startswith("enum"):
        return _("Choose one of the allowed values.")
    return _("This value is not valid.")


def install_error_handlers(api: NinjaAPI) -> None:
    """Make every error leave the API in the one shape."""

    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return _error(api, request, 409, exc.code, exc.message, exc.details)

    @api.exception_handler(PermissionDenied)
    def permission_denied(request, exc):
        return _error(api, request, 403, "forbidden", _("You do not have permission to do this."))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return _error(api, request, 404, "not_found", _("Not found."))

    @api.exception_handler(ValidationError)
    def django_validation(request, exc: ValidationError):
        details = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return _error(api, request, 422, "invalid", _("Some fields are not valid."), details)

    @api.exception_handler(NinjaValidationError)
    def schema_validation(request, exc: NinjaValidationError):
        return _error(api, request, 422, "invalid", _("Some fields are not valid."), _field_errors(exc.errors))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return _error(api, request, 401, "unauthenticated", _("Log in or send a valid API token."))

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return _error(api, request, exc.status_code, "error", str(exc))
