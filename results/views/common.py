"""What the results pages share: who may open them, the post-redirect, and one way to call a
service and report its refusal in Chinese (on the form, with the input kept)."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.roles import ENTERPRISE_ROLES
from lib.api import DomainError
from lib.forms import add_service_errors
from lib.workflow import TransitionError
from results.permissions import CERTIFICATE_READERS, CITY_READERS, CITY_STAFF

CERTIFICATE_PAGE_ROLES = CERTIFICATE_READERS | ENTERPRISE_ROLES


def stale_message() -> str:
    return _("Someone else changed this case a moment ago; reload the page and try again.")


def redirect_after_post(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect a plain POST; tell htmx to navigate instead (HX-Redirect, not a 302)."""
    if request.htmx:
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


def require_reader(user, roles) -> None:
    """A page of the city's work (or of certificates): anyone else gets 404, as for an unseen object."""
    if getattr(user, "role", None) not in roles:
        raise Http404


def require_city_reader(user) -> None:
    require_reader(user, CITY_READERS)


def require(condition: bool) -> None:
    """Seen but not allowed: 403."""
    if not condition:
        raise PermissionDenied


def is_city_staff(user) -> bool:
    return getattr(user, "role", None) in CITY_STAFF


def call_service(
    request: HttpRequest,
    form: forms.Form | None,
    call: Callable[[], Any],
    *,
    default_field: str | None = None,
    seen_state: str | None = None,
    current_state: str | None = None,
) -> Any:
    """Call a service: ``(True, result)`` on success; on a refusal the Chinese message goes on
    ``form`` (by field where the service keyed it) or, without a form, into a message, and the
    answer is ``(False, None)``.

    ``seen_state``/``current_state``: the status the person saw and the one now; when they
    differ the click is stale and nothing is called.
    """
    if seen_state and current_state is not None and seen_state != current_state:
        _refuse(request, form, stale_message())
        return False, None
    try:
        result = call()
    except ValidationError as exc:
        if form is None:
            for message in exc.messages:
                messages.error(request, message)
        else:
            add_service_errors(form, exc, default_field, keep_existing=True)
        return False, None
    except TransitionError as exc:  # a wrong state, a guard, or another click first (StaleState)
        _refuse(request, form, exc.message)
        return False, None
    except DomainError as exc:  # a missing numbering rule, the calendar not reaching the window
        _refuse(request, form, exc.message)
        return False, None
    return True, result


def _refuse(request: HttpRequest, form: forms.Form | None, message: str) -> None:
    if form is None:
        messages.error(request, message)
    else:
        form.add_error(None, message)


def history(rows, workflow) -> list[tuple[Any, str]]:
    """The transition log rows with the label of each move (the page's history)."""
    return [
        (
            row,
            str(workflow[row.transition].label) if row.transition in workflow.transitions else row.transition,
        )
        for row in rows
    ]
