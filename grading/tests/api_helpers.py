"""Helpers for the tests of /api/v1/applications: URLs, calls as a persona, the persona sets."""

from django.utils import translation
from django.utils.translation import gettext

from accounts.tests.api_helpers import bearer

BASE = "/api/v1/applications/"

# Every persona, for the permission batteries.
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
    "anonymous",
)
# Who sees an application of the persona enterprise (站前区); the others get 404.
INSIDERS = frozenset(
    {
        "admin",
        "city_officer",
        "city_chief",
        "bureau_leader",
        "county_officer",
        "county_chief",
        "enterprise_user",
        "enterprise_principal",
    }
)
OUTSIDERS = frozenset({"other_county_officer", "other_enterprise_user", "expert"})


def url(application, suffix: str = "") -> str:
    return f"{BASE}{application.pk}{suffix}"


def call(client, user, method: str, path: str, body=None, **extra):
    """Call the API as ``user`` with a bearer token (no header for None: anonymous)."""
    headers = bearer(user) if user is not None else {}
    fn = getattr(client, method.lower())
    if body is None:
        return fn(path, headers=headers, **extra)
    return fn(path, body, content_type="application/json", headers=headers, **extra)


def expected(persona: str, allowed) -> int:
    """The status a write answers: 200 for ``allowed``, 404 outsiders, 401 anonymous, else 403."""
    if persona in allowed:
        return 200
    if persona == "anonymous":
        return 401
    if persona in OUTSIDERS:
        return 404
    return 403


ERROR_CODES = {401: "unauthenticated", 403: "forbidden", 404: "not_found", 409: "transition_refused"}


def zh(msgid: str) -> str:
    """The Chinese text of an English msgid (the API answers in the default language, zh-hans)."""
    with translation.override("zh-hans"):
        return gettext(msgid)


def assert_battery(client, personas, method: str, path: str, body, allowed, *, ok: int = 200, skip=()):
    """Try the operation as every persona: refusals first (each in the error shape), then ``allowed``.

    ``skip`` names personas that may also do it but are not tried (a move succeeds only once).
    Returns the last allowed persona's response.
    """
    from accounts.tests.api_helpers import assert_error

    for persona in PERSONAS:
        if persona in allowed or persona in skip:
            continue
        status = expected(persona, allowed)
        assert_error(call(client, personas[persona], method, path, body), status, ERROR_CODES[status])
    response = None
    for persona in allowed:
        response = call(client, personas[persona], method, path, body)
        assert response.status_code == ok, (persona, response.content[:500])
    return response
