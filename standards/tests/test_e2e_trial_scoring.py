"""Browser journey: an enterprise contact scores items of a trial sheet on a phone-sized screen.

Run with: .venv/bin/pytest -m e2e -p no:cacheprovider standards/tests/test_e2e_trial_scoring.py
Controls are found by data-testid, name or id (stable whatever the UI language); the
assertions are on data: scores and item codes.
"""

import os
import re

import pytest
from django.urls import reverse

from accounts.tests.factories import DEFAULT_PASSWORD
from standards.models import SheetItem
from standards.tests.pages import preview_sheet

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
SCREENSHOTS = os.environ.get("ANBIAO_SCREENSHOTS", "")  # a folder to look at the pages in


def _shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=False)


def test_scoring_items_updates_the_totals_in_place(page, live_server, personas):
    sheet = preview_sheet(personas)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    page.locator("input[name=username]").fill("enterprise_user")
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator(f"form[action='{reverse('accounts:login')}'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))

    page.goto(f"{live_server.url}{reverse('standards:sheet_detail', args=[sheet.pk])}")
    _shot(page, "1-sheet-phone")
    page.locator("details[data-element='2'] > summary").click()
    row = page.locator("#item-2-1-1")
    row.locator("[data-testid=item-edit]").click()
    form = page.locator("#item-2-1-1 [data-testid=item-form]")
    form.locator("input[name=d-0-points]").fill("3")
    form.locator("input[name=d-0-reason]").fill("未任命安全管理人员")
    form.locator("input[name=d-0-hazard]").check()
    form.locator("[data-add-deduction]").click()
    form.locator("input[name=d-1-points]").fill("1")
    form.locator("input[name=d-1-reason]").fill("无任命文件")
    _shot(page, "2-editor-phone")
    with page.expect_response(re.compile(r"/items/2\.1\.1/save/$")):
        form.locator("[data-testid=item-save]").click()

    # The row, the element subtotal and the summary change without a page load.
    page.locator("#item-2-1-1[data-state=deducted]").wait_for()
    assert page.locator("#sheet-summary [data-testid=percentage]").inner_text() == "99.6"
    assert page.locator("#sheet-summary [data-testid=earned]").inner_text() == "996"
    assert "16" in page.locator("#element-total-2").inner_text()
    assert "99.6" in page.locator("#sheet-scorebar").inner_text()
    _shot(page, "3-saved-phone")

    # A refused entry stays in its editor with the reason, and nothing is saved.
    page.locator("#item-2-1-2 [data-testid=item-edit]").click()
    editor = page.locator("#item-2-1-2 [data-testid=item-form]")
    editor.locator("input[name=d-0-points]").fill("1.25")
    editor.locator("input[name=d-0-reason]").fill("过精")
    editor.locator("[data-testid=item-save]").click()
    page.locator("#item-2-1-2 [data-testid=item-errors]").wait_for()
    assert editor.locator("input[name=d-0-points]").input_value() == "1.25"
    assert not SheetItem.objects.filter(sheet=sheet, item__code="2.1.2").exists()
    _shot(page, "4-error-phone")

    # The "deducted" filter leaves only the deducted item in view.
    page.locator("[data-filter-value=deducted]").click()
    visible = [
        code
        for code in page.locator(".sheet-item:visible").evaluate_all("els => els.map(e => e.dataset.code)")
    ]
    assert visible == ["2.1.1"]

    page.set_viewport_size({"width": 1366, "height": 900})
    page.locator("[data-filter-value=all]").click()
    _shot(page, "5-desktop")
    if SCREENSHOTS:
        page.emulate_media(media="print")
        page.screenshot(path=os.path.join(SCREENSHOTS, "6-print.png"), full_page=False)
