"""GET /api/v1/accidents/: scoped, filtered, paginated, with totals; money as strings."""

import pytest

from accidents.tests.factories import beijing, record_accident
from accounts.tests.api_helpers import assert_error, bearer

LIST = "/api/v1/accidents/"

OUT_FIELDS = {
    "id", "enterprise", "occurred_at", "place", "accident_type", "accident_type_label", "deaths",
    "serious_injuries", "minor_injuries", "direct_loss_yuan", "description", "reporting_violation",
    "reporting_violation_label", "reported_at", "grade", "grade_label", "computed_grade", "grade_override",
    "grade_override_reason", "recorded_by", "created_at", "updated_at",
}  # fmt: skip


def _places(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["place"] for item in response.json()["items"]}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", {"炼钢车间", "三号码头", "装配车间"}),
        ("city_officer", {"炼钢车间", "三号码头", "装配车间"}),
        ("bureau_leader", {"炼钢车间", "三号码头", "装配车间"}),
        ("county_officer", {"炼钢车间", "装配车间"}),
        ("county_chief", {"炼钢车间", "装配车间"}),
        ("other_county_officer", {"三号码头"}),
        ("enterprise_user", {"装配车间"}),
        ("enterprise_principal", {"装配车间"}),
        ("other_enterprise_user", set()),
        ("expert", set()),
    ],
)
def test_list_is_scoped_for_every_role(
    client, personas, zhanqian_accident, bayuquan_accident, own_accident, persona, expected
):
    response = client.get(LIST, headers=bearer(personas[persona]))
    assert _places(response) == expected
    assert response.json()["count"] == len(expected)


def test_list_anonymous_gets_401(client, zhanqian_accident):
    assert_error(client.get(LIST), 401, "unauthenticated")


def test_items_have_the_public_fields_and_money_as_strings(login, personas, zhanqian_accident):
    body = login(personas.county_officer).get(LIST).json()
    item = body["items"][0]
    assert set(item) == OUT_FIELDS
    assert item["enterprise"] == {
        "id": zhanqian_accident.enterprise_id,
        "name": "营口钢铁有限公司",
        "uscc": zhanqian_accident.enterprise.uscc,
        "region": "站前区",
    }
    assert item["direct_loss_yuan"] == "20000.00"
    assert item["occurred_at"] == "2026-03-02T01:30:00Z"  # 09:30 Beijing, as UTC
    assert (item["grade"], item["computed_grade"], item["grade_override"]) == ("ordinary", "ordinary", None)
    assert body["totals"] == {
        "accidents": 1,
        "deaths": 0,
        "serious_injuries": 1,
        "minor_injuries": 1,
        "direct_loss_yuan": "20000.00",
    }


def test_filters_match_the_list_page(login, personas, zhanqian_enterprise, bayuquan_enterprise):
    officer = personas.city_officer
    record_accident(officer, zhanqian_enterprise, beijing(2024, 5, 1), place="A", accident_type="fire")
    record_accident(officer, zhanqian_enterprise, beijing(2025, 12, 31, 23, 0), place="B", deaths=3)
    record_accident(
        officer, bayuquan_enterprise, beijing(2026, 2, 1), place="C", reporting_violation="concealed"
    )
    client = login(officer)
    assert _places(client.get(LIST, {"accident_type": "fire"})) == {"A"}
    assert _places(client.get(LIST, {"grade": "relatively_major"})) == {"B"}
    assert _places(client.get(LIST, {"reporting_violation": "concealed"})) == {"C"}
    assert _places(client.get(LIST, {"year": 2025})) == {"B"}
    assert _places(client.get(LIST, {"date_from": "2026-01-01"})) == {"C"}
    assert _places(client.get(LIST, {"enterprise": zhanqian_enterprise.pk})) == {"A", "B"}
    assert _places(client.get(LIST, {"region": bayuquan_enterprise.region_id})) == {"C"}
    assert _places(client.get(LIST, {"q": "鲅鱼圈"})) == {"C"}


def test_bad_filter_values_get_422(login, personas):
    client = login(personas.city_officer)
    assert_error(client.get(LIST, {"grade": "huge"}), 422, "invalid")
    assert_error(client.get(LIST, {"date_from": "yesterday"}), 422, "invalid")


def test_pagination(login, personas, zhanqian_enterprise):
    for day in range(1, 6):
        record_accident(personas.county_officer, zhanqian_enterprise, beijing(2026, 1, day), place=f"P{day}")
    client = login(personas.county_officer)
    first = client.get(LIST, {"limit": 2}).json()
    assert first["count"] == 5 and first["totals"]["accidents"] == 5
    assert [i["place"] for i in first["items"]] == ["P5", "P4"]
    assert [i["place"] for i in client.get(LIST, {"limit": 2, "offset": 4}).json()["items"]] == ["P1"]
    assert_error(client.get(LIST, {"limit": 201}), 422, "invalid")


@pytest.mark.parametrize("count", [2, 20])
def test_list_query_count_does_not_grow(
    client, personas, zhanqian_enterprise, django_assert_max_num_queries, count
):
    for i in range(count):
        record_accident(personas.county_officer, zhanqian_enterprise, beijing(2025, 1, 1 + i % 28))
    headers = bearer(personas.county_officer)
    with django_assert_max_num_queries(8):
        response = client.get(LIST, headers=headers)
    assert len(response.json()["items"]) == count
