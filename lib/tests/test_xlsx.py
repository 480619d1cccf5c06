"""lib.xlsx: safe cells, layout, the download response and the reader."""

import io
from urllib.parse import unquote

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from lib.xlsx import (
    XLSX_CONTENT_TYPE,
    XlsxReadError,
    build_workbook,
    read_rows,
    workbook_bytes,
    xlsx_response,
)


@pytest.fixture(autouse=True)
def _english():
    """Assert on the English msgids, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def _roundtrip(workbook: Workbook) -> Workbook:
    return load_workbook(io.BytesIO(workbook_bytes(workbook)))


@pytest.mark.parametrize("text", ["=1+1", "+86 138", "-2+3", "@SUM(A1:A2)", '=HYPERLINK("http://x","y")'])
def test_formula_like_text_stays_text(text):
    sheet = _roundtrip(build_workbook(["A"], [[text]])).active
    cell = sheet["A2"]
    assert cell.value == text
    assert cell.data_type == "s"
    assert cell.quotePrefix


def test_numbers_dates_and_plain_text_keep_their_types():
    sheet = _roundtrip(build_workbook(["n", "neg", "t"], [[12, -5, "营口"]])).active
    assert sheet["A2"].value == 12
    assert sheet["B2"].value == -5 and sheet["B2"].data_type == "n"
    assert sheet["C2"].value == "营口" and not sheet["C2"].quotePrefix


def test_control_characters_are_dropped():
    sheet = _roundtrip(build_workbook(["A"], [["营口\x00\x07钢铁"]])).active
    assert sheet["A2"].value == "营口钢铁"


def test_header_is_bold_frozen_and_columns_are_sized():
    sheet = _roundtrip(build_workbook(["统一社会信用代码", "n"], [["91210802MA0XAMPLE1", 1]])).active
    assert sheet["A1"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= 18  # eight CJK characters count double
    assert sheet.column_dimensions["B"].width >= 8


def test_xlsx_response_has_content_type_and_rfc5987_filename():
    response = xlsx_response(build_workbook(["A"], [["x"]]), "企业名录-20260101.xlsx")
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    ascii_part = disposition.split('filename="')[1].split('"')[0]
    assert ascii_part.isascii() and ascii_part.endswith(".xlsx")
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "企业名录-20260101.xlsx"
    assert load_workbook(io.BytesIO(response.content)).active["A2"].value == "x"


def _file(headers, rows) -> io.BytesIO:
    return io.BytesIO(workbook_bytes(build_workbook(headers, rows)))


def test_read_rows_maps_headings_to_keys_skips_empty_rows_and_numbers_rows():
    buffer = _file(["名称", "代码", "其他"], [["甲", 3130, "x"], [None, None, None], ["乙", "0510", ""]])
    rows = read_rows(buffer, {"name": "名称", "code": ["代码", "Code"]})
    assert rows == [(2, {"name": "甲", "code": "3130"}), (4, {"name": "乙", "code": "0510"})]


def test_read_rows_accepts_any_column_order_and_alias_headings():
    rows = read_rows(_file(["Code", "名称 *"], [["31", "甲"]]), {"name": "名称", "code": ["代码", "Code"]})
    assert rows == [(2, {"name": "甲", "code": "31"})]


def test_read_rows_with_a_list_of_headings():
    assert read_rows(_file(["a", "b"], [["1", "2"]]), ["a", "b"]) == [(2, {"a": "1", "b": "2"})]


def test_not_an_xlsx_is_a_clear_error():
    with pytest.raises(XlsxReadError, match=r"\.xlsx"):
        read_rows(io.BytesIO("名称,代码\n甲,31\n".encode()), ["名称"])


def test_empty_workbook_is_a_clear_error():
    with pytest.raises(XlsxReadError, match="empty"):
        read_rows(io.BytesIO(workbook_bytes(Workbook())), ["名称"])


def test_headings_without_rows_is_a_clear_error():
    with pytest.raises(XlsxReadError, match="no data rows"):
        read_rows(_file(["名称"], []), ["名称"])


def test_missing_headings_are_named():
    with pytest.raises(XlsxReadError) as exc:
        read_rows(_file(["名称"], [["甲"]]), {"name": "名称", "code": "代码", "tel": "电话"})
    assert "代码、电话" in str(exc.value)


def test_too_many_rows_is_refused():
    with pytest.raises(XlsxReadError, match="more than 2 rows"):
        read_rows(_file(["名称"], [["甲"], ["乙"], ["丙"]]), ["名称"], max_rows=2)
