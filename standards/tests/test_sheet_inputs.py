"""The engine input read as plain rows equals the one built from the model rows, for one
sheet or many at once, in two queries whatever the number of sheets."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from standards.selectors import sheet_entries, sheet_input, sheet_inputs
from standards.services import DeductionIn, EntryIn, sheet_entries_save
from standards.tests.pages import preview_sheet, score_items

pytestmark = pytest.mark.django_db


def _from_models(sheet):
    return sheet_input(sheet, entries=list(sheet_entries(sheet)))


def test_plain_rows_give_the_same_input_as_the_models(personas):
    sheet = preview_sheet(personas)
    codes = score_items(personas.enterprise_user, sheet, 5)
    sheet_entries_save(
        actor=personas.enterprise_user,
        sheet=sheet,
        entries=[
            EntryIn(
                codes[0],
                deductions=(DeductionIn("2", "第二条", is_hazard=True), DeductionIn("1", "第一条")),
                extra_deduction=Decimal("0.5"),
                extra_reason="另扣",
                description="说明",
            ),
            EntryIn(codes[1], applicable=False, na_reason="无此设备"),
        ],
    )
    plain = sheet_input(sheet)
    assert plain == _from_models(sheet)
    first = next(e for e in plain.entries if e.code == codes[0])
    assert [d.reason for d in first.deductions] == ["第二条", "第一条"]  # the sheet's order kept


def test_many_sheets_in_two_queries(personas):
    sheets = [preview_sheet(personas) for _ in range(4)]
    for n, sheet in enumerate(sheets):
        score_items(personas.enterprise_user, sheet, n * 3)
    with CaptureQueriesContext(connection) as ctx:
        inputs = sheet_inputs(sheets)
    assert len(ctx.captured_queries) == 2
    assert [len(inputs[s.pk].entries) for s in sheets] == [0, 3, 6, 9]
    for sheet in sheets:
        assert inputs[sheet.pk] == _from_models(sheet)
