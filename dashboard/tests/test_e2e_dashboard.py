"""Browser check of the dashboard: the city officer opens it from the navigation, every chart is
drawn from its data, and a division filter narrows the tables.

Run with: DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/pytest -q -m e2e -p no:xdist \
    dashboard/tests/test_e2e_dashboard.py
"""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.tests.factories import DEFAULT_PASSWORD
from dashboard.figures import BUILDERS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return gettext(msgid)


def test_city_officer_reads_the_dashboard(page, live_server, personas, applications, certified):
    user = personas.city_officer
    login = reverse("accounts:login")
    page.goto(f"{live_server.url}{login}")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator(f"form[action='{login}'] button[type=submit]").click()
    page.get_by_role("link", name=zh("Statistics")).click()
    page.wait_for_url(f"{live_server.url}{reverse('dashboard:home')}")
    for key in BUILDERS:
        # ECharts drew an SVG into every chart element.
        page.locator(f"[data-chart='{key}'] svg").first.wait_for()
    pass_rate = page.get_by_test_id("figure-pass_rate")
    assert pass_rate.locator("tbody tr th").first.inner_text() == "8"  # announced
    page.locator("select[name=division]").select_option("210804")
    page.get_by_test_id("filter-submit").click()
    page.wait_for_url("**division=210804**")
    assert pass_rate.locator("tbody tr th").first.inner_text() == "3"
