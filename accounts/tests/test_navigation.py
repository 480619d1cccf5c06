"""The left navigation: every entry resolves, and each role sees its own entries."""

import pytest
from django.urls import NoReverseMatch, reverse

from accounts.context_processors import NAVIGATION
from accounts.tests.battery import LOGGED_IN


@pytest.mark.parametrize("item", NAVIGATION, ids=lambda item: item.url_name)
def test_every_navigation_entry_resolves(item):
    try:
        reverse(item.url_name)
    except NoReverseMatch:  # pragma: no cover - the failure message is the point
        pytest.fail(f"NAVIGATION entry {item.url_name!r} does not resolve")


@pytest.mark.parametrize("persona", LOGGED_IN)
def test_each_role_sees_only_its_entries(client, personas, login, persona):
    user = personas[persona]
    response = login(user).get(reverse("accounts:token_list"))
    urls = {item["url"] for item in response.context["nav_items"]}
    expected = {reverse(i.url_name) for i in NAVIGATION if i.roles is None or user.role in i.roles}
    assert urls == expected
    assert (reverse("accounts:user_list") in urls) == (persona == "admin")
    assert (reverse("audit:list") in urls) == (persona in {"admin", "city_officer", "bureau_leader"})


@pytest.mark.parametrize(
    ("url", "active"),
    [
        ("/", "workbench:home"),
        ("/accounts/users/new/", "accounts:user_list"),
        ("/accounts/regions/", "accounts:region_list"),
        ("/accounts/organisations/", "accounts:region_list"),
        ("/accounts/tokens/new/", "accounts:token_list"),
        ("/audit/", "audit:list"),
    ],
)
def test_exactly_one_entry_is_highlighted(client, personas, login, url, active):
    response = login(personas.admin).get(url)
    highlighted = [item["url"] for item in response.context["nav_items"] if item["active"]]
    assert highlighted == [reverse(active)]
