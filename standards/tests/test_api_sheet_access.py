"""The permission battery of every /api/v1/sheets/{id} operation (conventions §4, §8).

The author reads and changes the sheet; the city bureau and system admins read every sheet
but change none (403); everyone else must not learn it exists (404); anonymous calls get 401.
"""

import json

import pytest

from accounts.tests.api_helpers import assert_error, bearer
from standards.models import ScoreSheet
from standards.sheet_io import sheet_to_json
from standards.tests.sheet_examples import example_b_sheet

READERS = {"enterprise_user", "city_officer", "city_chief", "bureau_leader", "admin"}
OUTSIDERS = ("county_officer", "other_enterprise_user", "expert")
PERSONAS = (
    "enterprise_user",
    "city_officer",
    "city_chief",
    "bureau_leader",
    "admin",
    *OUTSIDERS,
    "anonymous",
)


def _read_ops(sheet):
    return {
        "detail": ("get", f"/api/v1/sheets/{sheet.pk}", None),
        "export_json": ("get", f"/api/v1/sheets/{sheet.pk}/export.json", None),
        "export_xlsx": ("get", f"/api/v1/sheets/{sheet.pk}/export.xlsx", None),
    }


def _write_ops(sheet):
    items = {"items": [{"code": "1.1.1", "deductions": [{"points": "1", "reason": "目标未分解"}]}]}
    return {
        "save_items": ("put", f"/api/v1/sheets/{sheet.pk}/items", items),
        "clear_item": ("delete", f"/api/v1/sheets/{sheet.pk}/items/2.1.1", None),
        "submit": ("post", f"/api/v1/sheets/{sheet.pk}/submit", None),
        "import": ("post", f"/api/v1/sheets/{sheet.pk}/import", sheet_to_json(sheet)),
    }


def _call(client, personas, persona, op):
    method, url, body = op
    headers = bearer(personas[persona]) if persona != "anonymous" else {}
    kwargs = {"data": json.dumps(body), "content_type": "application/json"} if body is not None else {}
    return getattr(client, method)(url, headers=headers, **kwargs)


def _expected_read(persona: str) -> int:
    return 401 if persona == "anonymous" else 200 if persona in READERS else 404


def _expected_write(persona: str) -> int:
    if persona == "anonymous":
        return 401
    if persona == "enterprise_user":
        return 200
    return 403 if persona in READERS else 404


@pytest.mark.parametrize("op_name", ["detail", "export_json", "export_xlsx"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_read_access(client, personas, persona, op_name):
    sheet = example_b_sheet(personas)
    response = _call(client, personas, persona, _read_ops(sheet)[op_name])
    status = _expected_read(persona)
    if status == 200:
        assert response.status_code == 200, response.content[:300]
    else:
        body = assert_error(response, status, "not_found" if status == 404 else "unauthenticated")
        assert "示例B" not in json.dumps(body, ensure_ascii=False)


@pytest.mark.parametrize("op_name", ["save_items", "clear_item", "submit", "import"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_write_access(client, personas, persona, op_name):
    sheet = example_b_sheet(personas)
    before = sheet_to_json(sheet)
    response = _call(client, personas, persona, _write_ops(sheet)[op_name])
    status = _expected_write(persona)
    if status == 200:
        assert response.status_code == 200, response.content[:300]
        return
    code = {401: "unauthenticated", 403: "forbidden", 404: "not_found"}[status]
    assert_error(response, status, code)
    sheet.refresh_from_db()
    assert sheet_to_json(sheet) == before  # nothing changed
    assert sheet.status == ScoreSheet.Status.DRAFT


def test_session_writes_need_the_csrf_token(personas):
    from django.test import Client

    sheet = example_b_sheet(personas)
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.enterprise_user)
    response = client.post(f"/api/v1/sheets/{sheet.pk}/submit")
    assert_error(response, 403, "csrf_failed")
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.DRAFT
