"""Browser journey: the author attaches, downloads and removes evidence on a phone-sized screen.

Run with: .venv/bin/pytest -m e2e -p no:cacheprovider standards/tests/test_sheet_evidence_e2e.py
"""

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.tests.factories import DEFAULT_PASSWORD
from standards.models import SheetEvidence
from standards.tests.evidence import EXE, JPEG, scored_sheet

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
SCREENSHOTS = os.environ.get("ANBIAO_SCREENSHOTS", "")


def _shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"evidence-{name}.png"), full_page=False)


def test_attach_download_and_remove_evidence(page, live_server, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sheet = scored_sheet(personas)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    page.locator("input[name=username]").fill("enterprise_user")
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator(f"form[action='{reverse('accounts:login')}'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))
    page.goto(f"{live_server.url}{reverse('standards:sheet_detail', args=[sheet.pk])}")
    page.locator("details[data-element='2'] > summary").click()

    # An executable renamed .jpg is refused in the row; nothing is stored.
    form = page.locator("#item-2-1-1 [data-testid=evidence-form]")
    form.locator("input[name=file]").set_input_files(
        {"name": "照片.jpg", "mimeType": "image/jpeg", "buffer": EXE}
    )
    form.locator("[data-testid=evidence-upload]").click()
    page.locator("#item-2-1-1 [data-testid=evidence-errors]").wait_for()
    assert "照片.jpg" in page.locator("#item-2-1-1 [data-testid=evidence-errors]").inner_text()
    assert not SheetEvidence.objects.exists()
    _shot(page, "1-refused")

    # A photo for the second deduction is listed in the row.
    form = page.locator("#item-2-1-1 [data-testid=evidence-form]")
    form.locator("input[name=file]").set_input_files(
        {"name": "货架照片.jpg", "mimeType": "image/jpeg", "buffer": JPEG}
    )
    form.locator("select[name=deduction_index]").select_option("1")
    form.locator("[data-testid=evidence-upload]").click()
    page.locator("#item-2-1-1 [data-testid=evidence]").wait_for()
    assert page.locator("#item-2-1-1 [data-testid=evidence-errors]").count() == 0
    evidence = SheetEvidence.objects.get()
    assert evidence.original_name == "货架照片.jpg" and evidence.deduction.reason == "无任命文件"
    _shot(page, "2-attached")

    with page.expect_download() as download_info:
        page.locator("#item-2-1-1 [data-testid=evidence-download]").click()
    download = download_info.value
    assert download.suggested_filename == "货架照片.jpg"
    assert Path(download.path()).read_bytes() == JPEG

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#item-2-1-1 [data-testid=evidence-remove]").click()
    page.locator("#item-2-1-1 [data-testid=evidence]").wait_for(state="detached")
    assert not SheetEvidence.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]  # the stored file went with it
    _shot(page, "3-removed")
