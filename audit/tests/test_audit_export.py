import io

import pytest
from openpyxl import load_workbook

from accounts.tests.battery import BATTERY
from audit.models import AuditEvent
from audit.tests.helpers import audit_access, record

URL = "/audit/export/"


@pytest.mark.parametrize("persona", BATTERY)
def test_audit_export_access(client, personas, login, persona):
    assert login(personas[persona]).get(URL).status_code == audit_access(persona)


def _sheet(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content)).active


def test_exports_the_filtered_list(client, personas, login):
    officer = personas.county_officer
    record(officer, "enterprise.update", personas.enterprise, {"changes": {"address": ["", "站前路1号"]}})
    record(officer, "user.password", officer)
    response = login(personas.city_officer).get(URL, {"action": "enterprise."})
    sheet = _sheet(response)
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2  # header + one event
    _header, row = rows
    # Time, actor, organisation, action, object type, object id, object, details, IP, sequence, hash
    assert row[1] == officer.full_name
    assert row[2] == "站前区应急管理局"
    assert row[3] == "enterprise.update"
    assert (row[4], row[5]) == ("enterprises.enterprise", str(personas.enterprise.pk))
    assert "站前路1号" in row[7]
    assert len(row[10]) == 64


def test_formula_like_text_stays_text(client, personas, login):
    record(None, "test.formula", data={"note": '=HYPERLINK("http://x")'})
    sheet = _sheet(login(personas.admin).get(URL, {"action": "test.formula"}))
    cell = sheet.cell(row=2, column=8)
    assert cell.data_type == "s"
    assert "=HYPERLINK" in cell.value


def test_the_export_is_itself_audited(client, personas, login):
    login(personas.bureau_leader).get(URL, {"action": "user."})
    event = AuditEvent.objects.get(action="audit.export")
    assert event.actor_id == personas.bureau_leader.pk
    assert event.data["filters"] == {"action": "user."}


@pytest.mark.parametrize("rows", [2, 20])
def test_query_count_does_not_grow_with_rows(client, personas, login, django_assert_max_num_queries, rows):
    for n in range(rows):
        record(personas.county_officer, "enterprise.update", personas.enterprise, {"n": n})
    client = login(personas.admin)
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200
