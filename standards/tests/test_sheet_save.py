from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from standards.models import ScoreSheet, SheetItem
from standards.selectors import sheet_result
from standards.services import (
    DeductionIn,
    EntryIn,
    sheet_create,
    sheet_entries_save,
    sheet_entry_clear,
    sheet_submit,
)
from standards.tests.factories import published_warehousing


@pytest.fixture
def sheet(personas):
    standard = published_warehousing(personas.city_officer)
    return sheet_create(
        actor=personas.enterprise_user, standard=standard, kind=ScoreSheet.Kind.SELF_ASSESSMENT
    )


def test_saved_entries_feed_the_engine(personas, sheet):
    sheet_entries_save(
        actor=personas.enterprise_user,
        sheet=sheet,
        entries=[
            EntryIn(
                "2.1.1",
                deductions=(DeductionIn("4", "未任命安全管理人员"),),
                extra_deduction="10",
                extra_reason="扣满4分",
            ),
            EntryIn("9.3.1", applicable=False, na_reason="无重大危险源"),
        ],
    )
    result = sheet_result(sheet)
    assert result.earned == Decimal("976")  # 1000 − 10 (N/A) − 4 − 10 extra
    assert result.denominator == Decimal("990")
    assert result.percentage == Decimal("98.6")
    assert AuditEvent.objects.filter(action="sheet.score", target_id=str(sheet.pk)).exists()


def test_bad_input_is_refused_by_code_and_nothing_is_saved(personas, sheet):
    with pytest.raises(ValidationError) as exc:
        sheet_entries_save(
            actor=personas.enterprise_user,
            sheet=sheet,
            entries=[
                EntryIn("1.1.1", deductions=(DeductionIn("1", "缺少制度"),)),
                EntryIn("1.1.2", deductions=(DeductionIn("1.25", "过精"),)),
                EntryIn("1.2.1", applicable=False, deductions=(DeductionIn("1", "x"),), na_reason="不涉及"),
                EntryIn("1.2.2", deductions=(DeductionIn("-1", "负数"),)),
                EntryIn("1.2.3", deductions=(DeductionIn("abc", "非数字"),)),
                EntryIn("1.2.3.9"),
            ],
        )
    assert set(exc.value.message_dict) == {"1.1.2", "1.2.1", "1.2.2", "1.2.3", "1.2.3.9"}
    assert not SheetItem.objects.filter(sheet=sheet).exists()


def test_na_needs_a_reason_and_deductions_need_reasons(personas, sheet):
    with pytest.raises(ValidationError) as exc:
        sheet_entries_save(
            actor=personas.enterprise_user,
            sheet=sheet,
            entries=[
                EntryIn("1.1.1", applicable=False),
                EntryIn("1.1.2", deductions=(DeductionIn("1", " "),)),
            ],
        )
    assert set(exc.value.message_dict) == {"1.1.1", "1.1.2"}


def test_clearing_an_item_restores_full_marks(personas, sheet):
    sheet_entries_save(
        actor=personas.enterprise_user,
        sheet=sheet,
        entries=[EntryIn("1.1.1", deductions=(DeductionIn("2", "无"),))],
    )
    sheet_entry_clear(actor=personas.enterprise_user, sheet=sheet, code="1.1.1")
    assert sheet_result(sheet).percentage == Decimal("100.0")


def test_only_the_author_edits_and_a_submitted_sheet_is_frozen(personas, sheet):
    with pytest.raises(PermissionDenied):
        sheet_entries_save(actor=personas.county_officer, sheet=sheet, entries=[EntryIn("1.1.1")])
    sheet_submit(actor=personas.enterprise_user, sheet=sheet)
    sheet_submit(actor=personas.enterprise_user, sheet=sheet)  # a second click changes nothing
    assert AuditEvent.objects.filter(action="sheet.submit").count() == 1
    with pytest.raises(ValidationError):
        sheet_entries_save(actor=personas.enterprise_user, sheet=sheet, entries=[EntryIn("1.1.1")])


def test_a_draft_standard_takes_no_sheets(personas):
    from standards.services import standard_import
    from standards.tests.helpers import warehousing_parsed

    draft = standard_import(actor=personas.city_officer, parsed=warehousing_parsed(), code="D", name="草稿")
    with pytest.raises(ValidationError):
        sheet_create(actor=personas.city_officer, standard=draft, kind=ScoreSheet.Kind.PREVIEW)
