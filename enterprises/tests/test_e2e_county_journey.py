"""Browser journey: a 站前区 officer logs in, filters the enterprise list and exports it.

Run with: .venv/bin/pytest -m e2e -p no:cacheprovider enterprises/tests/test_e2e_county_journey.py
Controls are found by name, id or data-testid (stable whatever the UI language); the
assertions are on data: enterprise names and 站前区.
"""

import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory, county_bureau, region
from enterprises.tests.factories import EnterpriseFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def registry():
    """Two 站前区 enterprises (one steelworks) and a 鲅鱼圈区 steelworks he must never see."""
    EnterpriseFactory(name="营口钢铁有限公司", gb4754_code="3120", industry="metallurgy")
    EnterpriseFactory(name="营口站前机械有限公司", gb4754_code="3484", industry="machinery")
    EnterpriseFactory(
        name="鲅鱼圈钢铁有限公司", region=region("鲅鱼圈区"), gb4754_code="3120", industry="metallurgy"
    )


@pytest.fixture
def officer():
    return UserFactory(
        username="zhanqian_officer", role=Role.COUNTY_OFFICER, organisation=county_bureau("站前区")
    )


def _row_names(page) -> list[str]:
    return [
        name.strip()
        for name in page.locator("[data-testid=enterprise-row] td:first-child a").all_inner_texts()
    ]


def test_county_officer_filters_and_exports_only_his_division(page, live_server, registry, officer, tmp_path):
    # Log in through the real form.
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    page.locator("input[name=username]").fill("zhanqian_officer")
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator(f"form[action='{reverse('accounts:login')}'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))

    # Open the enterprise list from the navigation.
    page.locator(f"nav a[href='{reverse('enterprises:list')}']").first.click()
    page.wait_for_url(f"{live_server.url}{reverse('enterprises:list')}")
    assert sorted(_row_names(page)) == ["营口站前机械有限公司", "营口钢铁有限公司"]
    assert "鲅鱼圈" not in page.locator("#enterprise-results").inner_text()

    # Filter by industry: htmx swaps only the table and pushes the filtered URL.
    with page.expect_response(
        lambda r: "industry=metallurgy" in r.url and r.request.headers.get("hx-request")
    ):
        page.locator("select[name=industry]").select_option("metallurgy")
    page.wait_for_url(re.compile(r"industry=metallurgy"))
    assert _row_names(page) == ["营口钢铁有限公司"]
    assert "站前区" in page.locator("[data-testid=enterprise-row]").first.inner_text()

    # Export the filtered list: the file holds only his steelworks.
    with page.expect_download() as download_info:
        page.locator("[data-testid=enterprise-export]").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / "export.xlsx"
    download.save_as(path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))[1:]
    assert [(row[1], row[3]) for row in rows] == [("营口钢铁有限公司", "站前区")]
