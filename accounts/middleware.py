"""Session policy: log out a user who has been idle for too long."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
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
                messages.info(request, _("You were logged out after %(minutes)d minutes without activity.")
                              % {"minutes": settings.SESSION_IDLE_TIMEOUT_MINUTES})
                response = redirect(settings.LOGIN_URL)
                if getattr(request, "htmx", False):
                    response = HttpResponse(status=204, headers={"HX-Redirect": response["Location"]})
                return response
            # Touch the session at most once a minute: a write per request costs a query.
            if last is None or now - int(last) >= 60:
                request.session[SESSION_KEY] = now
        return self.get_response(request)
