"""GET /api/v1/sheets/{id}: the entries and the engine's result, in a fixed number of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.api_helpers import assert_error
from standards.models import Item
from standards.services import DeductionIn, EntryIn, sheet_entries_save
from standards.tests.sheet_examples import example_b_sheet, new_sheet

SHEET_FIELDS = {
    "id", "standard", "kind", "kind_label", "status", "status_label", "title", "created_by", "created_at",
    "updated_at", "can_edit", "entries", "result",
}  # fmt: skip
ENTRY_FIELDS = {
    "code", "applicable", "na_reason", "deductions", "extra_deduction", "extra_reason", "description", "scored_at",
}  # fmt: skip


def test_detail_has_entries_and_the_result_of_example_b(login, personas):
    sheet = example_b_sheet(personas)
    body = login(personas.enterprise_user).get(f"/api/v1/sheets/{sheet.pk}").json()
    assert set(body) == SHEET_FIELDS
    assert body["result"]["percentage"] == "83.1"
    assert body["result"]["earned"] == "810.0" and body["result"]["denominator"] == "975.0"
    entries = {e["code"]: e for e in body["entries"]}
    assert set(entries["2.1.1"]) == ENTRY_FIELDS
    assert entries["2.1.1"]["extra_deduction"] == "10.0"
    assert entries["6.1.5"]["deductions"] == [{"points": "10.0", "reason": "构成重大隐患", "is_hazard": True}]
    assert entries["9.3.1"]["applicable"] is False
    assert body["created_by"] == {"id": personas.enterprise_user.pk, "name": str(personas.enterprise_user)}
    assert entries["2.1.1"]["scored_at"].endswith("Z")  # UTC ISO 8601


def test_detail_leaks_no_internal_fields(login, personas):
    sheet = example_b_sheet(personas)
    text = login(personas.city_officer).get(f"/api/v1/sheets/{sheet.pk}").content.decode()
    for internal in ("scored_by", "updated_by", "sort_order", "password", "username"):
        assert f'"{internal}"' not in text


def _score(personas, sheet, count: int) -> None:
    codes = list(
        Item.objects.filter(standard=sheet.standard).order_by("sort_order").values_list("code", flat=True)
    )
    sheet_entries_save(
        actor=personas.enterprise_user,
        sheet=sheet,
        entries=[
            EntryIn(code, deductions=(DeductionIn("1", "不符合"), DeductionIn("0.5", "记录不全")))
            for code in codes[:count]
        ],
    )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_detail_query_count_is_the_same_with_2_and_60_items(login, personas):
    small, large = new_sheet(personas, title="两项"), new_sheet(personas, title="六十项")
    _score(personas, small, 2)
    _score(personas, large, 60)
    client = login(personas.enterprise_user)
    client.get(f"/api/v1/sheets/{small.pk}")  # warm the per-process cache of the standard
    assert len(client.get(f"/api/v1/sheets/{large.pk}").json()["entries"]) == 60
    assert _queries(client, f"/api/v1/sheets/{small.pk}") == _queries(client, f"/api/v1/sheets/{large.pk}")


def test_a_missing_sheet_looks_like_an_invisible_one(login, personas):
    sheet = new_sheet(personas, author="other_enterprise_user")
    client = login(personas.enterprise_user)
    invisible = client.get(f"/api/v1/sheets/{sheet.pk}")
    missing = client.get("/api/v1/sheets/987654")
    assert_error(invisible, 404, "not_found")
    assert invisible.json() == missing.json()
