"""Session policy: log out a user who has been idle for too long, and make a user whose
password was set by someone else (or has expired) change it before doing anything else."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

SESSION_KEY = "last_activity"


class IdleTimeoutMiddleware:
    """End a session after SESSION_IDLE_TIMEOUT_MINUTES without a request.

    API calls with a bearer token carry no session and are not affected.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(SESSION_KEY)
            limit = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
            if last is not None and now - int(last) > limit:
                logout(request)
                if request.path.startswith("/api/"):
                    # The API answers for itself: the now-anonymous call gets its JSON 401.
                    return self.get_response(request)
                messages.info(
                    request,
                    _("You were logged out after %(minutes)d minutes without activity.")
                    % {"minutes": settings.SESSION_IDLE_TIMEOUT_MINUTES},
                )
                response = redirect(settings.LOGIN_URL)
                if getattr(request, "htmx", False):
                    response = HttpResponse(status=204, headers={"HX-Redirect": response["Location"]})
                return response
            # Touch the session at most once a minute: a write per request costs a query.
            if last is None or now - int(last) >= 60:
                request.session[SESSION_KEY] = now
        return self.get_response(request)


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if getattr(request, "htmx", False):
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


class PasswordChangeRequiredMiddleware:
    """Send a user with ``must_change_password`` to the password change page on every request.

    Exempt: the password change page itself, logging in and out, static files and the
    token API (a script cannot change a password; its token was issued deliberately).
    """

    EXEMPT_URL_NAMES = ("accounts:password_change", "accounts:login", "accounts:logout")
    EXEMPT_PREFIXES = ("/api/",)

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not self._exempt(request)
        ):
            return _redirect(request, reverse("accounts:password_change"))
        return self.get_response(request)

    def _exempt(self, request: HttpRequest) -> bool:
        path = request.path
        prefixes = (*self.EXEMPT_PREFIXES, settings.STATIC_URL, settings.MEDIA_URL)
        if path.startswith(tuple(p for p in prefixes if p)):
            return True
        return path in {reverse(name) for name in self.EXEMPT_URL_NAMES}
