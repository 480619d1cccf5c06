"""One item's row, and its editor for the author."""

import pytest
from django.urls import reverse

from standards.services import DeductionIn, EntryIn, sheet_entries_save
from standards.tests.pages import preview_sheet, sheet_battery

HTMX = {"HX-Request": "true"}


def _url(sheet, code: str = "2.1.1", edit: bool = False) -> str:
    return reverse("standards:sheet_item", args=[sheet.pk, code]) + ("?edit=1" if edit else "")


@pytest.mark.parametrize(("persona", "status"), sheet_battery(200, editors_only=False))
def test_row_access(login, personas, persona, status):
    sheet = preview_sheet(personas)
    assert login(personas[persona]).get(_url(sheet), headers=HTMX).status_code == status


@pytest.mark.parametrize(("persona", "status"), sheet_battery(200, editors_only=True))
def test_editor_access(login, personas, persona, status):
    sheet = preview_sheet(personas)
    response = login(personas[persona]).get(_url(sheet, edit=True), headers=HTMX)
    assert response.status_code == status
    if status == 200:
        assert 'data-testid="item-form"' in response.content.decode()


def test_the_editor_holds_the_saved_entry(login, personas):
    sheet = preview_sheet(personas)
    sheet_entries_save(
        actor=personas.enterprise_user,
        sheet=sheet,
        entries=[
            EntryIn(
                "2.1.1",
                deductions=(DeductionIn("1.5", "记录不全", is_hazard=True), DeductionIn("2", "无文件")),
                extra_deduction="10",
                extra_reason="扣满",
                description="现场",
            )
        ],
    )
    content = login(personas.enterprise_user).get(_url(sheet, edit=True), headers=HTMX).content.decode()
    for value in ("1.5", "记录不全", "2", "无文件", "10", "扣满"):
        assert f'value="{value}"' in content
    assert 'name="d-0-hazard" value="1" id="item-2-1-1-d0-hazard" checked' in content
    assert "现场</textarea>" in content
    assert "hx-swap-oob" not in content


def test_the_row_without_edit_has_no_form(login, personas):
    sheet = preview_sheet(personas)
    content = login(personas.enterprise_user).get(_url(sheet), headers=HTMX).content.decode()
    assert content.startswith('<article id="item-2-1-1"') and 'data-testid="item-form"' not in content


def test_without_htmx_the_editor_opens_on_the_page(login, personas):
    sheet = preview_sheet(personas)
    response = login(personas.enterprise_user).get(_url(sheet, edit=True))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="item-form"') == 1
