"""Browser journey: the enterprise submits, the county reviews and forwards, the city accepts.

Run with: .venv/bin/pytest -m e2e -p no:cacheprovider grading/tests/test_e2e_application_journey.py
The case is prepared through the services up to the end of internal publicity (the
self-assessment has 164 items; scoring them in a browser is the scoring page's own journey).
Every step after that is clicked in a real browser by the person whose job it is. Controls
are found by name or data-testid; assertions are on data and states.
"""

import re

import pytest
from django.urls import reverse

from accounts.tests.factories import DEFAULT_PASSWORD
from grading.models import GeneratedDocument, GradingApplication, Status
from grading.tests.factories import advance, file_everything, make_application

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

UNKNOWN_CODES = ("E2", "E3", "E4", "E6", "E11")


def _log_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator(f"form[action='{reverse('accounts:login')}'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))


def _click(page, selector: str) -> None:
    """Click a control that posts a form and wait for the page it leads to (confirms accepted)."""
    with page.expect_navigation():
        page.locator(selector).click()


def _status(application: GradingApplication) -> str:
    application.refresh_from_db()
    return application.status


def _tick_conditions(page) -> None:
    for code in UNKNOWN_CODES:
        tick = page.locator(f"input[name=ok_{code}]")
        if tick.count():
            tick.check()
            page.locator(f"[name=note_{code}]").fill("已核实")


def test_enterprise_county_city(page, live_server, personas):
    application = advance(make_application(personas), personas, Status.INTERNAL_PUBLICITY)
    file_everything(application, personas)
    for name in ("county_officer", "county_chief", "city_officer", "city_chief", "other_county_officer"):
        personas[name]  # noqa: B018 - create the users before the browser logs in
    detail = f"{live_server.url}{reverse('grading:detail', args=[application.pk])}"

    # The principal sees every condition met and submits to the county.
    _log_in(page, live_server, "enterprise_principal")
    page.goto(detail)
    assert page.locator("[data-testid=check][data-result=fail]").count() == 0
    page.on("dialog", lambda dialog: dialog.accept())
    _click(page, "[data-testid=move-submit]")
    assert _status(application) == Status.COUNTY_REVIEW

    # Another division's officer cannot even find it.
    _log_in(page, live_server, "other_county_officer")
    response = page.goto(detail)
    assert response.status == 404

    # The 站前区 officer writes the preliminary review opinion and sends it to his chief.
    _log_in(page, live_server, "county_officer")
    page.goto(f"{live_server.url}{reverse('grading:list')}")
    assert application.number in page.content()
    page.goto(detail)
    _click(page, "[data-testid=county-opinion-edit]")
    form = page.locator("[data-testid=county-opinion-form]")
    form.locator("[name=basic_info_check]").fill("企业基本情况与营业执照一致")
    form.locator("[name=licence_check]").fill("证照齐全有效")
    form.locator("[name=score_check]").fill("抽查扣分项与现场相符")
    form.locator("[name=site_check]").fill("现场未见重大事故隐患")
    _tick_conditions(page)
    form.locator("input[name=conclusion][value=forward]").check()
    form.locator("[name=reasons]").fill("符合申请条件，同意上报")
    _click(page, "[data-testid=opinion-save-submit]")
    assert application.county_opinions.get().status == "submitted"

    # The county chief approves: the case goes to the city.
    _log_in(page, live_server, "county_chief")
    page.goto(detail)
    _click(page, "[data-testid=county-opinion-approve]")
    assert _status(application) == Status.CITY_REVIEW

    # The city officer proposes acceptance; the 科长 approves it.
    _log_in(page, live_server, "city_officer")
    page.goto(detail)
    _click(page, "[data-testid=city-decision-edit]")
    form = page.locator("[data-testid=city-decision-form]")
    form.locator("[name=package_check]").fill("自评报告、初审意见及附件齐全")
    _tick_conditions(page)
    form.locator("input[name=proposal][value=accept]").check()
    form.locator("[name=reasons]").fill("符合受理条件")
    _click(page, "[data-testid=decision-save-submit]")
    assert application.city_decisions.get().status == "submitted"

    _log_in(page, live_server, "city_chief")
    page.goto(detail)
    _click(page, "[data-testid=city-decision-approve]")
    assert _status(application) == Status.ACCEPTED

    # The enterprise reads the outcome and the documents it produced on the timeline.
    _log_in(page, live_server, "enterprise_principal")
    page.goto(detail)
    assert application.number in page.locator("[data-testid=application-number]").inner_text()
    kinds = set(application.documents.values_list("kind", flat=True))
    assert {
        GeneratedDocument.Kind.SELF_ASSESSMENT_REPORT,
        GeneratedDocument.Kind.COUNTY_OPINION,
        GeneratedDocument.Kind.DECISION_NOTICE,
    } <= kinds
    moves = list(application.transitions.values_list("transition", flat=True))
    assert moves[-4:] == ["start_internal_publicity", "submit", "county_forward", "accept"]
