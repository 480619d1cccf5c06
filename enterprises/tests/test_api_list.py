"""GET /api/v1/enterprises/: scoped, filtered, paginated."""

import pytest

from accounts.tests.api_helpers import assert_error, bearer
from accounts.tests.factories import region
from enterprises.models import Enterprise, RiskTag
from enterprises.tests.factories import EnterpriseFactory

LIST = "/api/v1/enterprises/"

OUT_FIELDS = {
    "id", "uscc", "name", "short_name", "region", "town", "address", "legal_representative", "principal_name",
    "principal_phone", "safety_manager_name", "safety_manager_phone", "employee_count", "scale", "scale_label",
    "gb4754_code", "industry", "industry_label", "status", "status_label", "risk_tags", "on_credit_blacklist", "credit_blacklist_note",
    "created_at", "updated_at",
}  # fmt: skip


def _names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["name"] for item in response.json()["items"]}


ZHANQIAN = "营口站前测试机械有限公司"
BAYUQUAN = "鲅鱼圈测试物流有限公司"


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", {ZHANQIAN, BAYUQUAN}),
        ("city_officer", {ZHANQIAN, BAYUQUAN}),
        ("city_chief", {ZHANQIAN, BAYUQUAN}),
        ("bureau_leader", {ZHANQIAN, BAYUQUAN}),
        ("county_officer", {ZHANQIAN}),
        ("county_chief", {ZHANQIAN}),
        ("other_county_officer", {BAYUQUAN}),
        ("enterprise_user", {ZHANQIAN}),
        ("enterprise_principal", {ZHANQIAN}),
        ("other_enterprise_user", {BAYUQUAN}),
        ("expert", set()),
    ],
)
def test_list_is_scoped_for_every_role(client, personas, persona, expected):
    personas.enterprise, personas.other_enterprise  # noqa: B018 - both exist for every persona
    response = client.get(LIST, headers=bearer(personas[persona]))
    assert _names(response) == expected
    assert response.json()["count"] == len(expected)


def test_list_anonymous_gets_401(client, personas):
    personas.enterprise  # noqa: B018
    assert_error(client.get(LIST), 401, "unauthenticated")


def test_list_items_have_the_public_fields_only(login, personas):
    enterprise = personas.enterprise
    enterprise.risk_tags.set(RiskTag.objects.filter(code__in=["dust_explosion", "confined_space"]))
    item = login(personas.county_officer).get(LIST).json()["items"][0]
    assert set(item) == OUT_FIELDS
    assert item["region"] == {"id": enterprise.region_id, "code": "210802", "name": "站前区"}
    assert item["town"] is None
    assert item["industry"] == "machinery" and item["industry_label"]
    assert item["status"] == "normal" and item["status_label"]
    assert item["scale"] == "below" and item["scale_label"]
    assert (item["on_credit_blacklist"], item["credit_blacklist_note"]) == (False, "")
    assert item["risk_tags"] == [
        {"code": "dust_explosion", "name": "粉尘涉爆"},
        {"code": "confined_space", "name": "有限空间作业"},
    ]
    assert item["created_at"].endswith("Z")  # UTC ISO 8601


def test_filters_match_the_list_page(login, personas):
    a = EnterpriseFactory(name="营口甲钢铁有限公司", gb4754_code="3120", industry="metallurgy")
    a.risk_tags.set(RiskTag.objects.filter(code="metal_smelting"))
    EnterpriseFactory(name="营口乙机械有限公司", status=Enterprise.Status.SUSPENDED)
    EnterpriseFactory(name="鲅鱼圈丙机械有限公司", region=region("鲅鱼圈区"))
    client = login(personas.city_officer)
    assert _names(client.get(LIST, {"industry": "metallurgy"})) == {"营口甲钢铁有限公司"}
    assert _names(client.get(LIST, {"risk_tag": "metal_smelting"})) == {"营口甲钢铁有限公司"}
    assert _names(client.get(LIST, {"status": "suspended"})) == {"营口乙机械有限公司"}
    assert _names(client.get(LIST, {"region": region("鲅鱼圈区").pk})) == {"鲅鱼圈丙机械有限公司"}
    assert _names(client.get(LIST, {"q": "ykjgt"})) == {"营口甲钢铁有限公司"}  # pinyin initials
    assert _names(client.get(LIST, {"q": a.uscc[:10]})) >= {"营口甲钢铁有限公司"}


def test_filters_do_not_widen_scope(login, personas):
    EnterpriseFactory(name="鲅鱼圈丙机械有限公司", region=region("鲅鱼圈区"))
    response = login(personas.county_officer).get(LIST, {"region": region("鲅鱼圈区").pk})
    assert _names(response) == set()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"industry": "banking"}, "industry"),
        ({"status": "closed"}, "status"),
        ({"limit": 201}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
        ({"region": "abc"}, "region"),
    ],
)
def test_bad_filters_are_422(login, personas, params, field):
    body = assert_error(login(personas.city_officer).get(LIST, params), 422, "invalid")
    assert field in body["details"]


def test_pagination_counts_all_and_returns_a_page(login, personas):
    for n in range(7):
        EnterpriseFactory(name=f"营口分页{n}有限公司")
    client = login(personas.city_officer)
    body = client.get(LIST, {"limit": 3, "offset": 0}).json()
    assert body["count"] == 7 and len(body["items"]) == 3
    page3 = client.get(LIST, {"limit": 3, "offset": 6}).json()
    assert page3["count"] == 7 and len(page3["items"]) == 1
    all_ids = [i["id"] for i in client.get(LIST, {"limit": 200}).json()["items"]]
    paged = [
        i["id"] for off in (0, 3, 6) for i in client.get(LIST, {"limit": 3, "offset": off}).json()["items"]
    ]
    assert paged == all_ids and len(set(all_ids)) == 7


@pytest.mark.parametrize("rows", [2, 30])
def test_list_query_count_does_not_grow_with_rows(login, personas, django_assert_max_num_queries, rows):
    tags = list(RiskTag.objects.all()[:2])
    for n in range(rows):
        enterprise = EnterpriseFactory(name=f"营口计数{n}有限公司")
        enterprise.risk_tags.set(tags)
    client = login(personas.city_officer)
    # session, user, organisation, region (scope), count, page, risk-tag prefetch, and the
    # idle-timeout session touch (a savepoint pair and an update): 10 whatever the row count.
    with django_assert_max_num_queries(10):
        response = client.get(LIST, {"limit": 200})
    assert response.json()["count"] == rows
    assert all(len(item["risk_tags"]) == 2 for item in response.json()["items"])
