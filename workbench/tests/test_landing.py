"""After logging in, every role lands on the workbench."""

import pytest
from axes.utils import reset as axes_reset

from accounts.tests.battery import LOGGED_IN
from accounts.tests.factories import DEFAULT_PASSWORD


@pytest.mark.parametrize("persona", [*LOGGED_IN, "city_chief", "county_chief", "enterprise_principal"])
def test_each_role_lands_on_the_workbench(client, personas, persona):
    axes_reset()
    user = personas[persona]
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": DEFAULT_PASSWORD}, follow=True
    )
    assert response.redirect_chain == [("/", 302)]
    assert response.status_code == 200
    assert response.templates[0].name == "workbench/home.html"
    assert response.context["user"] == user
