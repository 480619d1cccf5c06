"""Browser journey: publicity → objection → announcement → certificate lookup on the public portal.

Run with: DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/pytest -q -m e2e -p no:xdist \
    results/tests/test_e2e_publicity_journey.py
The application is prepared through the services up to result confirmation; from there every
step is clicked in a real browser by the person whose job it is: the city officer drafts the
publicity batch and submits it; the 科长 approves it (the window starts); a member of the
public finds the enterprise on the portal and files an objection, answered with a receipt; the
officer records the check (不成立); after the window the 科长 issues the announcement; the public
looks the certificate up by the enterprise's name and opens its verification page, which is the
address the certificate's QR code encodes.

The clock: time_machine moves the whole process (so the live server too) to 2026-09-29 and
later past the window; the browser keeps the real clock.
"""

import re
from urllib.parse import urlencode, urlsplit

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.tests.factories import DEFAULT_PASSWORD
from grading.models import Status
from results.documents import verification_url
from results.models import Certificate, Objection, PublicityBatch
from results.tests.service_helpers import beijing, result_ready

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

OBJECTION = "该企业仓库消防通道长期堵塞，请核实。"
CHECK_NOTE = "经现场核查，消防通道畅通，异议不成立。"


def zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return gettext(msgid)


def _log_in(page, live_server, username: str | None, then: str) -> None:
    page.context.clear_cookies()
    if username is None:
        page.goto(then)
        return
    target = then.removeprefix(live_server.url)
    page.goto(f"{live_server.url}{reverse('accounts:login')}?{urlencode({'next': target})}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator(f"form[action='{reverse('accounts:login')}'] button[type=submit]").click()
    page.wait_for_url(then)


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def test_publicity_to_announcement_to_certificate_lookup(page, live_server, personas):
    page.on("dialog", lambda dialog: dialog.accept())
    with time_machine.travel(beijing(2026, 9, 29), tick=True) as clock:
        application = result_ready(personas)
        enterprise = application.enterprise
        officer, chief = personas.city_officer, personas.city_chief

        # The city officer drafts the batch from the applications awaiting publicity.
        _log_in(page, live_server, officer.username, f"{live_server.url}{reverse('results:batch_create')}")
        page.locator("input[name=title]").fill("2026年第三批安全生产标准化三级企业公示")
        page.locator("input[name=contact], textarea[name=contact]").first.fill("制造业科 0417-2800000")
        page.locator(f"input[name=applications][value='{application.pk}']").check()
        _submit(page, "[data-testid=batch-save]")
        batch = PublicityBatch.objects.get()
        assert page.url.endswith(reverse("results:batch", args=[batch.pk]))
        _submit(page, "[data-testid=move-submit] button[type=submit]")
        batch.refresh_from_db()
        assert batch.status == PublicityBatch.Status.SUBMITTED

        # The 科长 approves: the window starts, the application is on publicity.
        _log_in(
            page, live_server, chief.username, f"{live_server.url}{reverse('results:batch', args=[batch.pk])}"
        )
        _submit(page, "[data-testid=move-approve] button[type=submit]")
        batch.refresh_from_db()
        application.refresh_from_db()
        assert batch.status == PublicityBatch.Status.PUBLISHED
        assert application.status == Status.PUBLICITY
        assert page.locator("[data-testid=batch-window]").inner_text().count(batch.ends_on.isoformat()) == 1

        # The public finds the enterprise on the portal and objects; the receipt answers.
        _log_in(page, live_server, None, f"{live_server.url}{reverse('portal:publicity_list')}")
        page.get_by_role("link", name=batch.title).click()
        row = page.locator("[data-testid=entry-row]", has_text=enterprise.name)
        with page.expect_navigation():
            row.locator("[data-testid=objection-link]").click()
        page.locator("[name=name]").fill("王五")
        page.locator("[name=contact]").fill("13800000000")
        page.locator("[name=content]").fill(OBJECTION)
        _submit(page, "[data-testid=objection-submit]")
        objection = Objection.objects.get()
        assert objection.receipt_number in page.content()
        assert "13800000000" not in page.content().replace(objection.receipt_number, "")

        # The officer records the check: not upheld.
        _log_in(
            page,
            live_server,
            officer.username,
            f"{live_server.url}{reverse('results:objection', args=[objection.pk])}",
        )
        page.locator("input[name=outcome][value=rejected]").check()
        page.locator("textarea[name=note]").fill(CHECK_NOTE)
        _submit(page, "[data-testid=objection-decide] button[type=submit]")
        objection.refresh_from_db()
        assert objection.outcome == Objection.Outcome.REJECTED

        # Past the window the 科长 announces; the certificate is issued.
        clock.move_to(beijing(2026, 10, 15))
        _log_in(
            page, live_server, chief.username, f"{live_server.url}{reverse('results:batch', args=[batch.pk])}"
        )
        _submit(page, "[data-testid=move-announce] button[type=submit]")
        application.refresh_from_db()
        assert application.status == Status.ANNOUNCED
        certificate = Certificate.objects.get(application=application)

        # The public looks the certificate up by name and opens the page the QR code encodes.
        _log_in(page, live_server, None, f"{live_server.url}{reverse('portal:home')}")
        page.locator("[data-testid=certificate-search-form] input[name=q]").fill(enterprise.name[:6])
        with page.expect_navigation():
            page.locator("[data-testid=certificate-search-form] input[name=q]").press("Enter")
        row = page.locator("[data-testid=certificate-row]", has_text=certificate.number)
        assert row.locator("[data-testid=certificate-state]").inner_text() == zh("Valid")
        with page.expect_navigation():
            row.get_by_role("link", name=certificate.number).click()
        qr_target = urlsplit(verification_url(certificate)).path
        assert urlsplit(page.url).path == qr_target
        verdict = page.locator("[data-testid=certificate-verdict]")
        assert verdict.get_attribute("data-state") == "active"
        assert re.search(
            re.escape(certificate.number), page.locator("[data-testid=certificate-details]").inner_text()
        )
