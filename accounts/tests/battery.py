"""Helpers for permission batteries (conventions §8) shared by the accounts, audit and workbench tests."""

from django.conf import settings
from django.shortcuts import resolve_url

# The personas every view is tried with.
BATTERY = (
    "admin",
    "city_officer",
    "bureau_leader",
    "county_officer",
    "other_county_officer",
    "enterprise_user",
    "expert",
    "anonymous",
)
LOGGED_IN = tuple(p for p in BATTERY if p != "anonymous")


def admins_only(ok: int = 200) -> list[tuple[str, int]]:
    """Return (persona, status) for a page only system admins reach: 403 for others, 302 anonymous."""
    return [(p, ok if p == "admin" else 302 if p == "anonymous" else 403) for p in BATTERY]


def everyone(ok: int = 200) -> list[tuple[str, int]]:
    """Return (persona, status) for a page every logged-in user reaches."""
    return [(p, 302 if p == "anonymous" else ok) for p in BATTERY]


def as_persona(login, personas, persona: str):
    """Return the test client logged in as ``persona`` (or anonymous)."""
    return login(personas[persona])


def assert_redirects_to_login(response) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
