"""Helpers of the results page tests: the Chinese text of a msgid, and the permission battery."""

from django.conf import settings
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.translation import gettext

PERSONAS = (
    "admin",
    "city_officer",
    "city_chief",
    "bureau_leader",
    "county_officer",
    "county_chief",
    "other_county_officer",
    "enterprise_user",
    "enterprise_principal",
    "other_enterprise_user",
    "expert",
)
CITY_READERS = ("city_officer", "city_chief", "bureau_leader")
CITY_STAFF = ("city_officer", "city_chief")
SKIP = None  # a persona the battery does not try (its allowed call would change the state)


def zh(msgid: str, **values) -> str:
    """The text the page shows for ``msgid`` (the site's language is zh-hans)."""
    with translation.override("zh-hans"):
        text = gettext(msgid)
    return text % values if values else text


def html(response) -> str:
    return response.content.decode()


def battery(login, personas, method: str, url: str, expected: dict, *, data=None, default=404) -> list:
    """Try ``url`` as anonymous (→ the login page) and as every persona: ``expected`` maps a persona
    to its status (or a tuple of statuses, or ``SKIP``); the others expect ``default``. Returns
    the failures, so a test asserts ``== []`` and sees them all."""
    failures = []
    call = getattr(login(None), method)
    response = call(url, data or {})
    if response.status_code != 302 or not response["Location"].startswith(resolve_url(settings.LOGIN_URL)):
        failures.append((method, url, "anonymous", response.status_code))
    for name in PERSONAS:
        status = expected.get(name, default)
        if status is SKIP:
            continue
        response = getattr(login(personas[name]), method)(url, data or {})
        allowed = status if isinstance(status, tuple) else (status,)
        if response.status_code not in allowed:
            failures.append((method, url, name, response.status_code, status))
    return failures


def readers(names, status=200, **others) -> dict:
    """``{name: status}`` for ``names`` and the ``others`` given by keyword."""
    return {**{name: status for name in names}, **others}
