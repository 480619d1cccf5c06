"""A user whose password an admin set must change it before using anything else."""

import pytest
from django.urls import reverse

from accounts.tests.factories import DEFAULT_PASSWORD

CHANGE = "/accounts/password/"
NEW = "Brand-New-Pass-7"


@pytest.fixture
def forced(personas):
    user = personas.county_officer
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    return user


@pytest.mark.parametrize("path", ["/", "/audit/", "/accounts/tokens/", "/accounts/users/", "/admin/"])
def test_every_page_redirects_to_the_password_change(client, login, forced, path):
    response = login(forced).get(path)
    assert response.status_code == 302
    assert response["Location"] == CHANGE


def test_the_password_change_page_itself_is_reachable(client, login, forced):
    response = login(forced).get(CHANGE)
    assert response.status_code == 200
    assert response.context["forced"] is True


def test_logging_out_is_allowed(client, login, forced):
    response = login(forced).post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")


def test_the_api_is_exempt(client, login, forced):
    response = login(forced).get("/api/v1/openapi.json")
    assert response.status_code == 200


def test_htmx_requests_get_an_hx_redirect(client, login, forced):
    response = login(forced).get("/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == CHANGE


def test_after_logging_in_the_user_lands_on_the_change_page(client, forced):
    from axes.utils import reset

    reset()
    response = client.post(
        "/accounts/login/", {"username": forced.username, "password": DEFAULT_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == CHANGE
    assert response.status_code == 200


def test_once_changed_the_user_is_free(client, login, forced):
    login(forced).post(CHANGE, {"old_password": DEFAULT_PASSWORD, "new_password1": NEW, "new_password2": NEW})
    forced.refresh_from_db()
    assert forced.must_change_password is False
    assert client.get("/").status_code == 200


def test_others_are_not_affected(client, personas, login):
    assert login(personas.city_officer).get("/").status_code == 200
