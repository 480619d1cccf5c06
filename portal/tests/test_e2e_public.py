"""Browser journey on a phone-sized screen: a citizen checks a certificate and files an objection.

Run with: .venv/bin/pytest -m e2e -p no:cacheprovider portal/tests/test_e2e_public.py
"""

import pytest
from django.urls import reverse

from results.models import Objection

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}}


def test_citizen_checks_a_certificate_and_objects(page, live_server, certificate, batch):
    page.goto(f"{live_server.url}{reverse('portal:home')}")
    page.locator("input[name=q]").fill(certificate.uscc)
    with page.expect_navigation():
        page.locator("[data-testid=certificate-search-form] button[type=submit]").click()
    page.get_by_role("link", name=certificate.number).click()
    verdict = page.locator("[data-testid=certificate-verdict]")
    assert verdict.get_attribute("data-state") == "active"
    assert certificate.enterprise_name in page.locator("[data-testid=certificate-details]").inner_text()

    entry = batch.entries.order_by("pk").first()
    page.goto(f"{live_server.url}{reverse('portal:publicity_detail', args=[batch.pk])}")
    # Mobile-first: the wide table scrolls inside its box, the page itself does not.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator(f"a[href='{reverse('portal:objection', args=[entry.pk])}']").click()
    page.locator("textarea[name=content]").fill("该企业去年发生过一起事故未上报，请核查。")
    page.locator("input[name=contact]").fill("13912345678")
    # The name is missing: the form comes back with what was typed.
    with page.expect_navigation():
        page.locator("[data-testid=objection-submit]").click()
    assert page.locator("textarea[name=content]").input_value() == "该企业去年发生过一起事故未上报，请核查。"
    page.locator("input[name=name]").fill("王五")
    with page.expect_navigation():
        page.locator("[data-testid=objection-submit]").click()
    objection = Objection.objects.get()
    assert page.locator("[data-testid=receipt-number]").inner_text() == objection.receipt_number
    assert "王五" not in page.url
