"""standards.sheet_io: a sheet out to JSON or Excel and back gives the same engine result."""

import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from lib.xlsx import workbook_bytes
from standards.models import SheetEvidence, SheetItem
from standards.selectors import sheet_result
from standards.services import (
    DeductionIn,
    EntryIn,
    sheet_entries_replace,
    sheet_entries_save,
    sheet_evidence_add,
)
from standards.sheet_io import (
    DEDUCTION_COLUMNS,
    ITEM_COLUMNS,
    entries_from_json,
    entries_from_xlsx,
    sheet_to_json,
    sheet_to_xlsx,
)
from standards.tests.sheet_examples import example_b_sheet, new_sheet


def _json_copy(sheet) -> dict:
    """Return the exported document as a client would read it back (through JSON text)."""
    return json.loads(json.dumps(sheet_to_json(sheet)))


def _xlsx_bytes(sheet) -> bytes:
    return workbook_bytes(sheet_to_xlsx(sheet))


def _edited(content: bytes, edit) -> io.BytesIO:
    workbook = load_workbook(io.BytesIO(content))
    edit(workbook)
    return io.BytesIO(workbook_bytes(workbook))


def _errors(exc_info) -> dict[str, list[str]]:
    return exc_info.value.message_dict


# --- JSON ---------------------------------------------------------------------------------


def test_json_round_trip_gives_the_same_engine_result(personas):
    original = example_b_sheet(personas)
    entries = entries_from_json(_json_copy(original), original.standard)
    copy = new_sheet(personas)
    sheet_entries_save(actor=personas.enterprise_user, sheet=copy, entries=entries)
    result = sheet_result(copy)
    assert result == sheet_result(original)
    assert result.percentage == Decimal("83.1")
    assert _json_copy(copy)["items"] == _json_copy(original)["items"]


def test_json_names_the_version_and_lists_scored_items_with_string_numbers(personas):
    doc = _json_copy(example_b_sheet(personas))
    assert doc["format"] == "anbiao.score-sheet"
    assert doc["standard"] == {"code": "CCWL", "version": 1, "name": "仓储物流"}
    assert doc["sheet"] == {"kind": "preview", "status": "draft", "title": "示例B"}
    by_code = {item["code"]: item for item in doc["items"]}
    assert len(by_code) == SheetItem.objects.filter(sheet__title="示例B").count()
    item = by_code["2.1.1"]
    assert [d["points"] for d in item["deductions"]] == ["1.0"] * 6
    assert item["extra_deduction"] == "10.0"
    assert item["extra_reason"] == "扣满4分，追加扣除10分"
    assert by_code["6.1.5"]["deductions"][0]["is_hazard"] is True
    assert by_code["9.2.1"]["applicable"] is False and by_code["9.2.1"]["na_reason"] == "不涉及"


def test_json_of_another_version_is_refused(personas):
    sheet = example_b_sheet(personas)
    doc = _json_copy(sheet)
    doc["standard"]["version"] = 2
    with pytest.raises(ValidationError) as exc:
        entries_from_json(doc, sheet.standard)
    errors = _errors(exc)
    assert set(errors) == {"__all__"}
    assert "CCWL v2" in errors["__all__"][0] and "CCWL v1" in errors["__all__"][0]


@pytest.mark.parametrize(
    "doc",
    [
        [],
        {"format": "something-else", "standard": {"code": "CCWL", "version": 1}, "items": []},
        {"items": []},  # no standard
        {"standard": {"code": "CCWL", "version": 1}, "items": {"1.1.1": {}}},  # items not a list
    ],
)
def test_a_document_that_is_not_a_sheet_is_refused(personas, doc):
    sheet = new_sheet(personas)
    with pytest.raises(ValidationError) as exc:
        entries_from_json(doc, sheet.standard)
    assert set(_errors(exc)) == {"__all__"}


def test_json_shape_errors_are_keyed_by_item_code(personas):
    sheet = new_sheet(personas)
    doc = {
        "standard": {"code": "CCWL", "version": 1},
        "items": [
            {"code": "1.1.1", "applicable": "yes"},
            {"code": "1.1.2", "deductions": {"points": "1"}},
            {"code": "1.2.1", "deductions": [{"points": "abc", "reason": "x"}]},
            {"code": "1.2.2", "deductions": [{"points": "1.25", "reason": "x"}]},
            {"code": "1.2.3", "extra_deduction": True},
            {"code": "2.1.1", "description": 5},
            {"applicable": True},  # no code
            {"code": "2.1.2", "deductions": [{"points": 1, "reason": "整数也可以"}]},  # fine
        ],
    }
    with pytest.raises(ValidationError) as exc:
        entries_from_json(doc, sheet.standard)
    assert set(_errors(exc)) == {"1.1.1", "1.1.2", "1.2.1", "1.2.2", "1.2.3", "2.1.1", "__all__"}


# --- Excel ----------------------------------------------------------------------------


def test_xlsx_round_trip_gives_the_same_engine_result(personas):
    original = example_b_sheet(personas)
    entries = entries_from_xlsx(io.BytesIO(_xlsx_bytes(original)), original.standard)
    copy = new_sheet(personas)
    sheet_entries_save(actor=personas.enterprise_user, sheet=copy, entries=entries)
    assert sheet_result(copy) == sheet_result(original)
    assert sheet_result(copy).percentage == Decimal("83.1")
    assert _json_copy(copy)["items"] == _json_copy(original)["items"]


def test_xlsx_has_every_item_and_one_row_per_deduction(personas):
    sheet = example_b_sheet(personas)
    workbook = load_workbook(io.BytesIO(_xlsx_bytes(sheet)))
    items, deductions, info = workbook.worksheets
    header = [c.value for c in items[1]]
    assert header == [str(c.label) for c in ITEM_COLUMNS]
    assert [c.value for c in deductions[1]] == [str(c.label) for c in DEDUCTION_COLUMNS]
    assert items.max_row == 1 + 164
    rows = {row[0]: row for row in items.iter_rows(min_row=2, values_only=True)}
    assert rows["2.1.1"][2] == 4  # 标准分值
    assert rows["2.1.1"][5] == 10  # 追加扣除
    deduction_rows = list(deductions.iter_rows(min_row=2, values_only=True))
    assert sum(1 for r in deduction_rows if r[0] == "2.1.1") == 6
    expected = sum(len(e.deductions.all()) for e in SheetItem.objects.filter(sheet=sheet))
    assert len(deduction_rows) == expected
    assert [c.value for c in info[2]][:2] == ["CCWL", 1]


def test_xlsx_keeps_formula_like_text_as_text(personas):
    sheet = new_sheet(personas)
    reason = '=HYPERLINK("http://evil.example","点我")'
    sheet_entries_save(
        actor=personas.enterprise_user,
        sheet=sheet,
        entries=[EntryIn("1.1.1", deductions=(DeductionIn("1", reason),), description="+说明")],
    )
    content = _xlsx_bytes(sheet)
    cell = load_workbook(io.BytesIO(content)).worksheets[1]["C2"]
    assert cell.data_type == "s" and cell.value == reason
    [entry] = entries_from_xlsx(io.BytesIO(content), sheet.standard)
    assert entry.deductions[0].reason == reason
    assert entry.description == "+说明"


def test_xlsx_of_another_version_is_refused(personas):
    sheet = example_b_sheet(personas)

    def other_version(workbook):
        workbook.worksheets[2]["B2"] = 2

    with pytest.raises(ValidationError) as exc:
        entries_from_xlsx(_edited(_xlsx_bytes(sheet), other_version), sheet.standard)
    assert set(_errors(exc)) == {"__all__"}
    assert "CCWL v2" in _errors(exc)["__all__"][0]


def test_xlsx_without_the_version_sheet_is_refused(personas):
    sheet = example_b_sheet(personas)

    def drop_version(workbook):
        workbook.remove(workbook.worksheets[2])

    with pytest.raises(ValidationError) as exc:
        entries_from_xlsx(_edited(_xlsx_bytes(sheet), drop_version), sheet.standard)
    assert set(_errors(exc)) == {"__all__"}


def test_xlsx_cell_errors_name_the_sheet_row_and_column(personas):
    sheet = new_sheet(personas)

    def spoil(workbook):
        items, deductions = workbook.worksheets[0], workbook.worksheets[1]
        items["D2"] = "也许"  # 1.1.1 applies? neither yes nor no
        items["F3"] = "abc"  # 1.1.2 extra deduction
        deductions.append(["1.2.1", "1.25", "过精", "否"])  # row 2
        deductions.append(["9.9.9", "1", "没有这一项", "否"])  # row 3
        deductions.append(["1.2.2", "1", "隐患？", "可能"])  # row 4

    with pytest.raises(ValidationError) as exc:
        entries_from_xlsx(_edited(_xlsx_bytes(sheet), spoil), sheet.standard)
    errors = _errors(exc)
    assert set(errors) == {"1.1.1", "1.1.2", "1.2.1", "9.9.9", "1.2.2"}
    labels = {c.key: str(c.label) for c in ITEM_COLUMNS}
    dlabels = {c.key: str(c.label) for c in DEDUCTION_COLUMNS}
    assert "2" in errors["1.1.1"][0] and labels["applicable"] in errors["1.1.1"][0]
    assert "3" in errors["1.1.2"][0] and labels["extra_deduction"] in errors["1.1.2"][0]
    assert "2" in errors["1.2.1"][0] and dlabels["points"] in errors["1.2.1"][0]
    assert "3" in errors["9.9.9"][0] and dlabels["code"] in errors["9.9.9"][0]
    assert "4" in errors["1.2.2"][0] and dlabels["is_hazard"] in errors["1.2.2"][0]


def test_xlsx_with_the_chinese_headings_of_the_template_reads(personas):
    sheet = new_sheet(personas)

    def chinese(workbook):
        for ws, columns in (
            (workbook.worksheets[0], ITEM_COLUMNS),
            (workbook.worksheets[1], DEDUCTION_COLUMNS),
        ):
            for n, column in enumerate(columns, start=1):
                ws.cell(row=1, column=n, value=column.chinese)
        workbook.worksheets[1].append(["3.1.1", 2, "培训记录不全", "是"])

    [entry] = entries_from_xlsx(_edited(_xlsx_bytes(sheet), chinese), sheet.standard)
    assert entry.code == "3.1.1"
    assert entry.deductions == (DeductionIn("2", "培训记录不全", True),)


def test_a_file_that_is_not_xlsx_is_refused(personas):
    sheet = new_sheet(personas)
    with pytest.raises(ValidationError) as exc:
        entries_from_xlsx(io.BytesIO(b"code,points\n1.1.1,2\n"), sheet.standard)
    assert set(_errors(exc)) == {"__all__"}


# --- Import replaces what the sheet records --------------------------------------------------


def test_replace_clears_items_the_file_leaves_out(personas):
    sheet = example_b_sheet(personas)

    def unscore_221(workbook):
        deductions = workbook.worksheets[1]
        for row in range(deductions.max_row, 1, -1):
            if deductions.cell(row=row, column=1).value == "2.2.1":
                deductions.delete_rows(row)

    entries = entries_from_xlsx(_edited(_xlsx_bytes(sheet), unscore_221), sheet.standard)
    assert "2.2.1" not in {e.code for e in entries}
    sheet_entries_replace(actor=personas.enterprise_user, sheet=sheet, entries=entries)
    assert not SheetItem.objects.filter(sheet=sheet, item__code="2.2.1").exists()
    assert sheet_result(sheet).earned == Decimal("811")  # 810 + the 1 point of 2.2.1


def test_replace_keeps_an_entry_with_evidence_but_resets_it(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sheet = new_sheet(personas)
    user = personas.enterprise_user
    sheet_entries_save(
        actor=user, sheet=sheet, entries=[EntryIn("6.2.1", deductions=(DeductionIn("1", "货架无限重标识"),))]
    )
    photo = SimpleUploadedFile("现场照片.jpg", b"\xff\xd8\xff\xe0" + b"jpegdata")
    sheet_evidence_add(actor=user, sheet=sheet, code="6.2.1", file=photo, deduction_index=0)
    sheet_entries_replace(actor=user, sheet=sheet, entries=[EntryIn("1.1.1", description="已核查")])
    entry = SheetItem.objects.get(sheet=sheet, item__code="6.2.1")
    assert entry.applicable and not entry.deductions.exists()
    assert SheetEvidence.objects.filter(entry=entry).count() == 1
    assert sheet_result(sheet).earned == Decimal("1000")


def test_replace_is_all_or_nothing(personas):
    sheet = example_b_sheet(personas)
    before = _json_copy(sheet)["items"]
    with pytest.raises(ValidationError):
        sheet_entries_replace(
            actor=personas.enterprise_user,
            sheet=sheet,
            entries=[EntryIn("1.1.1", deductions=(DeductionIn("abc", "x"),))],
        )
    assert _json_copy(sheet)["items"] == before
