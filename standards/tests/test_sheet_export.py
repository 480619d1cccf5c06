import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from standards.tests.pages import preview_sheet, score_items, sheet_battery


@pytest.mark.parametrize("name", ["standards:sheet_export_json", "standards:sheet_export_xlsx"])
@pytest.mark.parametrize(("persona", "status"), sheet_battery(200, editors_only=False))
def test_export_access(login, personas, persona, status, name):
    sheet = preview_sheet(personas)
    assert login(personas[persona]).get(reverse(name, args=[sheet.pk])).status_code == status


def test_json_lists_the_scored_items_by_code(login, personas):
    sheet = preview_sheet(personas)
    codes = score_items(personas.enterprise_user, sheet, 3)
    response = login(personas.city_officer).get(reverse("standards:sheet_export_json", args=[sheet.pk]))
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    document = json.loads(response.content)
    assert document["standard"]["code"] == "CCWL" and document["standard"]["version"] == 1
    assert [i["code"] for i in document["items"]] == codes
    assert "不符合要求" in response.content.decode("utf-8")  # readable Chinese, not \u escapes


def test_xlsx_has_every_item(login, personas):
    sheet = preview_sheet(personas)
    score_items(personas.enterprise_user, sheet, 2)
    response = login(personas.enterprise_user).get(reverse("standards:sheet_export_xlsx", args=[sheet.pk]))
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    first = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert len(first) == 1 + 164
    assert len(list(workbook.worksheets[1].iter_rows(values_only=True))) == 1 + 2
