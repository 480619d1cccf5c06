"""GET /api/v1/sheets/{id}/export.json and export.xlsx."""

import io
from urllib.parse import unquote

from openpyxl import load_workbook

from lib.xlsx import XLSX_CONTENT_TYPE
from standards.sheet_io import ITEM_COLUMNS
from standards.tests.sheet_examples import example_b_sheet


def test_json_export_is_the_document_as_a_download(login, personas):
    sheet = example_b_sheet(personas)
    response = login(personas.city_officer).get(f"/api/v1/sheets/{sheet.pk}/export.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert unquote(response["Content-Disposition"]).endswith(f"-{sheet.pk}.json")
    assert response["Cache-Control"] == "private, no-store"
    doc = response.json()
    assert doc["format"] == "anbiao.score-sheet"
    assert doc["standard"] == {"code": "CCWL", "version": 1, "name": "仓储物流"}
    assert doc["sheet"]["title"] == "示例B"
    item = next(i for i in doc["items"] if i["code"] == "2.1.1")
    assert item["extra_deduction"] == "10.0" and len(item["deductions"]) == 6


def test_xlsx_export_has_every_item(login, personas):
    sheet = example_b_sheet(personas)
    response = login(personas.enterprise_user).get(f"/api/v1/sheets/{sheet.pk}/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert unquote(response["Content-Disposition"]).endswith(f"-{sheet.pk}.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    items = workbook.worksheets[0]
    assert [c.value for c in items[1]] == [str(c.label) for c in ITEM_COLUMNS]
    assert items.max_row == 165
    assert len(workbook.worksheets) == 3
