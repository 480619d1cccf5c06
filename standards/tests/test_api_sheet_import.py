"""POST /api/v1/sheets/{id}/import: a JSON document or an .xlsx upload, all or nothing."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from accounts.tests.api_helpers import assert_error
from audit.models import AuditEvent
from lib.xlsx import XLSX_CONTENT_TYPE, workbook_bytes
from standards.models import ScoreSheet, SheetItem
from standards.services import DeductionIn, EntryIn, sheet_entries_save
from standards.tests.sheet_examples import example_b_sheet, new_sheet


@pytest.fixture
def client_(login, personas):
    return login(personas.enterprise_user)


def _result(client, sheet) -> dict:
    return client.get(f"/api/v1/sheets/{sheet.pk}").json()["result"]


def _import_json(client, sheet, doc):
    return client.post(f"/api/v1/sheets/{sheet.pk}/import", json.dumps(doc), content_type="application/json")


def _upload(client, sheet, content: bytes, name: str = "评分表.xlsx", field: str = "file"):
    upload = SimpleUploadedFile(name, content, content_type=XLSX_CONTENT_TYPE)
    return client.post(f"/api/v1/sheets/{sheet.pk}/import", {field: upload})


def test_json_round_trip_through_the_api(client_, personas):
    original = example_b_sheet(personas)
    copy = new_sheet(personas, title="副本")
    doc = client_.get(f"/api/v1/sheets/{original.pk}/export.json").json()
    response = _import_json(client_, copy, doc)
    assert response.status_code == 200, response.content[:300]
    assert response.json()["result"] == _result(client_, original)
    assert response.json()["result"]["percentage"] == "83.1"
    assert AuditEvent.objects.filter(action="sheet.import", target_id=str(copy.pk)).exists()


def test_xlsx_round_trip_through_the_api(client_, personas):
    original = example_b_sheet(personas)
    copy = new_sheet(personas, title="副本")
    content = client_.get(f"/api/v1/sheets/{original.pk}/export.xlsx").content
    response = _upload(client_, copy, content)
    assert response.status_code == 200, response.content[:300]
    assert response.json()["result"] == _result(client_, original)
    strip = [{k: v for k, v in e.items() if k != "scored_at"} for e in response.json()["entries"]]
    original_entries = client_.get(f"/api/v1/sheets/{original.pk}").json()["entries"]
    assert strip == [{k: v for k, v in e.items() if k != "scored_at"} for e in original_entries]


def test_a_json_file_can_be_uploaded_too(client_, personas):
    original = example_b_sheet(personas)
    copy = new_sheet(personas)
    content = client_.get(f"/api/v1/sheets/{original.pk}/export.json").content
    response = _upload(client_, copy, content, name="评分表.json")
    assert response.status_code == 200, response.content[:300]
    assert response.json()["result"]["percentage"] == "83.1"


def test_import_replaces_what_the_sheet_recorded(client_, personas):
    sheet = new_sheet(personas)
    sheet_entries_save(
        actor=personas.enterprise_user,
        sheet=sheet,
        entries=[EntryIn("1.1.1", deductions=(DeductionIn("2", "没有目标"),))],
    )
    doc = {"standard": {"code": "CCWL", "version": 1}, "items": [{"code": "3.1.1", "description": "已核查"}]}
    body = _import_json(client_, sheet, doc).json()
    assert [e["code"] for e in body["entries"]] == ["3.1.1"]
    assert body["result"]["earned"] == "1000.0"


def test_a_file_of_another_version_is_refused_and_nothing_changes(client_, personas):
    sheet = example_b_sheet(personas)
    before = list(SheetItem.objects.filter(sheet=sheet).values_list("pk", flat=True))
    doc = client_.get(f"/api/v1/sheets/{sheet.pk}/export.json").json()
    doc["standard"]["version"] = 2
    body = assert_error(_import_json(client_, sheet, doc), 422, "invalid")
    assert list(body["details"]) == ["__all__"]

    workbook = load_workbook(io.BytesIO(client_.get(f"/api/v1/sheets/{sheet.pk}/export.xlsx").content))
    workbook.worksheets[2]["B2"] = 2
    body = assert_error(_upload(client_, sheet, workbook_bytes(workbook)), 422, "invalid")
    assert list(body["details"]) == ["__all__"]
    assert list(SheetItem.objects.filter(sheet=sheet).values_list("pk", flat=True)) == before


def test_import_errors_are_keyed_by_code_and_nothing_is_saved(client_, personas):
    sheet = example_b_sheet(personas)
    doc = client_.get(f"/api/v1/sheets/{sheet.pk}/export.json").json()
    doc["items"][0]["deductions"][0]["points"] = "abc"
    doc["items"].append({"code": "99.9.9"})
    first = doc["items"][0]["code"]
    body = assert_error(_import_json(client_, sheet, doc), 422, "invalid")
    assert set(body["details"]) == {first}  # the shape check stops before the save
    doc["items"][0]["deductions"][0]["points"] = "1"
    body = assert_error(_import_json(client_, sheet, doc), 422, "invalid")
    assert set(body["details"]) == {"99.9.9"}
    assert not AuditEvent.objects.filter(action="sheet.import").exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"data": "{not json", "content_type": "application/json"}, "__all__"),
        ({"data": "plain text", "content_type": "text/plain"}, "__all__"),
        ({"data": {"other": "x"}}, "file"),  # multipart without the file
    ],
)
def test_unreadable_requests_are_422(client_, personas, kwargs, field):
    sheet = new_sheet(personas)
    response = client_.post(f"/api/v1/sheets/{sheet.pk}/import", **kwargs)
    assert list(assert_error(response, 422, "invalid")["details"]) == [field]


def test_a_file_that_is_not_xlsx_is_422(client_, personas):
    sheet = new_sheet(personas)
    body = assert_error(_upload(client_, sheet, b"MZ\x90\x00 not a workbook"), 422, "invalid")
    assert list(body["details"]) == ["__all__"]


def test_import_into_a_submitted_sheet_is_409(client_, personas):
    sheet = example_b_sheet(personas)
    doc = client_.get(f"/api/v1/sheets/{sheet.pk}/export.json").json()
    client_.post(f"/api/v1/sheets/{sheet.pk}/submit")
    assert_error(_import_json(client_, sheet, doc), 409, "sheet_not_draft")
    assert ScoreSheet.objects.get(pk=sheet.pk).status == ScoreSheet.Status.SUBMITTED
