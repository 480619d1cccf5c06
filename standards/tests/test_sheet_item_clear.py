from decimal import Decimal

import pytest
from django.urls import reverse

from standards.models import SheetItem
from standards.services import DeductionIn, EntryIn, sheet_entries_save
from standards.tests.pages import preview_sheet, sheet_battery

HTMX = {"HX-Request": "true"}


@pytest.fixture
def scored_sheet(personas):
    sheet = preview_sheet(personas)
    sheet_entries_save(
        actor=personas.enterprise_user,
        sheet=sheet,
        entries=[EntryIn("2.1.1", deductions=(DeductionIn("4", "未任命"),))],
    )
    return sheet


def _url(sheet) -> str:
    return reverse("standards:sheet_item_clear", args=[sheet.pk, "2.1.1"])


@pytest.mark.parametrize(("persona", "status"), sheet_battery(200, editors_only=True))
def test_clear_access(login, personas, scored_sheet, persona, status):
    response = login(personas[persona]).post(_url(scored_sheet), headers=HTMX)
    assert response.status_code == status
    assert SheetItem.objects.filter(sheet=scored_sheet).exists() == (status != 200)


def test_get_is_not_allowed(login, personas, scored_sheet):
    assert login(personas.enterprise_user).get(_url(scored_sheet)).status_code == 405
    assert SheetItem.objects.filter(sheet=scored_sheet).exists()


def test_clearing_restores_full_marks_and_the_totals(login, personas, scored_sheet):
    response = login(personas.enterprise_user).post(_url(scored_sheet), headers=HTMX)
    assert response.context["row"].state == "unscored"
    assert response.context["result"].percentage == Decimal("100.0")
    content = response.content.decode()
    assert 'id="sheet-summary" class="card sheet-summary" hx-swap-oob="true"' in content
    assert 'data-testid="percentage">100.0<' in content
