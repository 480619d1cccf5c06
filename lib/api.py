"""Shared pieces of the REST API: authentication and the one error shape.

Every error is ``{"code": ..., "message": <Chinese>, "details": {...}}``:
DomainError → 409, PermissionDenied → 403, Http404 → 404, validation → 422, auth → 401.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.utils import check_csrf

from lib.workflow import StaleState, TransitionError


class DomainError(Exception):
    """A business rule refused the request (a wrong state, a conflicting change…)."""

    def __init__(self, message: str, code: str = "conflict", details: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.details = details or {}


@contextmanager
def transition_refusals() -> Iterator[None]:
    """Turn a refused or overtaken move into the 409 error shape, with the service's message."""
    try:
        yield
    except StaleState as exc:
        raise DomainError(exc.message, code="stale_state") from exc
    except TransitionError as exc:
        raise DomainError(exc.message, code="transition_refused") from exc


class CsrfFailed(PermissionDenied):
    """A session-authenticated unsafe request came without a valid CSRF token."""


# The one error shape, declared on operations so the OpenAPI document shows it. (No docstring:
# pydantic would publish it, untranslated, as the schema's description.)
class ErrorOut(Schema):
    code: str = Field(description=gettext_lazy("Machine-readable error code, e.g. not_found or invalid."))
    message: str = Field(description=gettext_lazy("Human-readable message in the user's language."))
    details: dict[str, Any] = Field(
        description=gettext_lazy("Messages per field for validation errors; empty otherwise.")
    )


# Merge into an operation's ``response`` so the documented errors match what the handlers send.
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class SessionAuth(NinjaSessionAuth):
    """Django's session login; unsafe methods must carry the CSRF token.

    Unlike ninja's ``django_auth``, a request without a logged-in session skips the CSRF
    check, so a POST with a wrong or expired bearer token gets 401 (log in or send a valid
    token), not a misleading CSRF 403.
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise CsrfFailed
        return request.COOKIES.get(self.param_name)


def _error(api: NinjaAPI, request, status: int, code: str, message: str, details: dict | None = None):
    return api.create_response(
        request, {"code": code, "message": message, "details": details or {}}, status=status
    )


def _field_errors(errors: list[dict]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for err in errors:
        loc = [str(p) for p in err.get("loc", [])]
        if loc[:1] in (["form"], ["file"]):  # multipart parameters come as (source, field name)
            loc = loc[1:]
        loc = [p for p in loc if p not in ("body", "query", "path", "payload", "data")]
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

    @api.exception_handler(CsrfFailed)
    def csrf_failed(request, exc):
        return _error(
            api,
            request,
            403,
            "csrf_failed",
            _("The CSRF token is missing or wrong. Send the X-CSRFToken header, or use an API token."),
        )

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
        return _error(
            api, request, 422, "invalid", _("Some fields are not valid."), _field_errors(exc.errors)
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        response = _error(api, request, 401, "unauthenticated", _("Log in or send a valid API token."))
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return _error(api, request, exc.status_code, "error", str(exc))
