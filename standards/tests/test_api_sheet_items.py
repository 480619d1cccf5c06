"""PUT /api/v1/sheets/{id}/items and DELETE /api/v1/sheets/{id}/items/{code}."""

import pytest

from accounts.tests.api_helpers import assert_error
from audit.models import AuditEvent
from standards.models import SheetItem
from standards.services import sheet_submit
from standards.tests.sheet_examples import example_b_items, new_sheet


@pytest.fixture
def sheet(personas):
    return new_sheet(personas)


@pytest.fixture
def client_(login, personas):
    return login(personas.enterprise_user)


def _put(client, sheet, items):
    return client.put(f"/api/v1/sheets/{sheet.pk}/items", {"items": items}, content_type="application/json")


def test_put_saves_example_b_and_returns_83_1(client_, sheet):
    response = _put(client_, sheet, example_b_items())
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    assert body["result"]["percentage"] == "83.1"
    assert len(body["entries"]) == SheetItem.objects.filter(sheet=sheet).count() == len(example_b_items())
    assert AuditEvent.objects.filter(action="sheet.score", target_id=str(sheet.pk)).exists()


def test_put_changes_only_the_items_given(client_, sheet):
    _put(client_, sheet, [{"code": "1.1.1", "deductions": [{"points": "1", "reason": "目标未分解"}]}])
    body = _put(client_, sheet, [{"code": "1.1.2", "applicable": False, "na_reason": "不涉及"}]).json()
    assert [e["code"] for e in body["entries"]] == ["1.1.1", "1.1.2"]
    assert body["result"]["earned"] == "997.0" and body["result"]["denominator"] == "998.0"


def test_put_is_all_or_nothing_with_errors_keyed_by_code(client_, sheet):
    items = [
        {"code": "1.1.1", "deductions": [{"points": "1", "reason": "目标未分解"}]},  # fine
        {"code": "1.1.2", "deductions": [{"points": "1.25", "reason": "过精"}]},
        {"code": "1.2.1", "deductions": [{"points": "abc", "reason": "非数字"}]},
        {"code": "1.2.2", "applicable": False},  # no reason
        {"code": "1.2.3", "deductions": [{"points": "1", "reason": " "}]},  # no reason
        {"code": "99.9.9"},
    ]
    body = assert_error(_put(client_, sheet, items), 422, "invalid")
    assert set(body["details"]) == {"1.1.2", "1.2.1", "1.2.2", "1.2.3", "99.9.9"}
    assert not SheetItem.objects.filter(sheet=sheet).exists()


def test_put_on_a_submitted_sheet_is_409(client_, personas, sheet):
    sheet_submit(actor=personas.enterprise_user, sheet=sheet)
    body = assert_error(_put(client_, sheet, [{"code": "1.1.1"}]), 409, "sheet_not_draft")
    assert body["details"] == {}
    assert not SheetItem.objects.filter(sheet=sheet).exists()


def test_put_needs_a_list_of_items(client_, sheet):
    response = client_.put(
        f"/api/v1/sheets/{sheet.pk}/items", {"items": "1.1.1"}, content_type="application/json"
    )
    assert_error(response, 422, "invalid")


def test_delete_returns_an_item_to_full_marks(client_, sheet):
    _put(client_, sheet, example_b_items())
    response = client_.delete(f"/api/v1/sheets/{sheet.pk}/items/2.2.1")
    assert response.status_code == 200
    body = response.json()
    assert "2.2.1" not in {e["code"] for e in body["entries"]}
    assert body["result"]["earned"] == "811.0"
    assert AuditEvent.objects.filter(action="sheet.clear_item", target_id=str(sheet.pk)).exists()
    # Clearing an item that is not scored changes nothing and is not an error.
    assert client_.delete(f"/api/v1/sheets/{sheet.pk}/items/2.2.1").status_code == 200


def test_delete_of_an_item_not_in_the_standard_is_404(client_, sheet):
    assert_error(client_.delete(f"/api/v1/sheets/{sheet.pk}/items/99.9.9"), 404, "not_found")


def test_delete_on_a_submitted_sheet_is_409(client_, personas, sheet):
    _put(client_, sheet, [{"code": "1.1.1", "description": "已核查"}])
    sheet_submit(actor=personas.enterprise_user, sheet=sheet)
    assert_error(client_.delete(f"/api/v1/sheets/{sheet.pk}/items/1.1.1"), 409, "sheet_not_draft")
    assert SheetItem.objects.filter(sheet=sheet).exists()
