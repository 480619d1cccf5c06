"""GET /api/v1/standards/ and /api/v1/standards/{id}: versions and their items."""

import pytest

from accounts.tests.api_helpers import assert_error, bearer
from standards.models import ScoringStandard
from standards.tests.factories import published_warehousing

LIST = "/api/v1/standards/"
OUT_FIELDS = {
    "id", "code", "name", "version", "status", "status_label", "industries", "total_points", "item_count",
    "thresholds", "effective_from",
}  # fmt: skip


@pytest.fixture
def standard(personas):
    return published_warehousing(personas.city_officer)


@pytest.mark.parametrize(
    "persona", ["admin", "city_officer", "bureau_leader", "county_officer", "enterprise_user", "expert"]
)
def test_list_shows_published_versions_to_every_user(client, personas, standard, persona):
    response = client.get(LIST, headers=bearer(personas[persona]))
    assert response.status_code == 200
    [item] = response.json()
    assert set(item) == OUT_FIELDS
    assert item["code"] == "CCWL" and item["version"] == 1 and item["status"] == "published"
    assert item["total_points"] == "1000.0"
    assert item["item_count"] == 164
    assert item["thresholds"] == [
        {"level": 1, "minimum": "90.0"},
        {"level": 2, "minimum": "75.0"},
        {"level": 3, "minimum": "60.0"},
    ]


def test_drafts_are_listed_for_the_city_bureau_only(client, personas, standard):
    ScoringStandard.objects.filter(pk=standard.pk).update(status=ScoringStandard.Status.DRAFT)
    assert len(client.get(LIST, headers=bearer(personas.city_officer)).json()) == 1
    assert client.get(LIST, headers=bearer(personas.enterprise_user)).json() == []
    response = client.get(f"{LIST}{standard.pk}", headers=bearer(personas.enterprise_user))
    assert_error(response, 404, "not_found")


def test_list_and_detail_need_a_login(client, standard):
    assert_error(client.get(LIST), 401, "unauthenticated")
    assert_error(client.get(f"{LIST}{standard.pk}"), 401, "unauthenticated")


def test_list_queries_do_not_grow_with_versions(login, personas, standard, django_assert_max_num_queries):
    client = login(personas.city_officer)
    with django_assert_max_num_queries(6):
        assert len(client.get(LIST).json()) == 1
    for n in range(2, 5):
        ScoringStandard.objects.create(code=f"X{n}", name="空标准", status=ScoringStandard.Status.PUBLISHED)
    with django_assert_max_num_queries(6):
        assert len(client.get(LIST).json()) == 4


def test_detail_has_elements_subelements_and_items(login, personas, standard):
    body = login(personas.enterprise_user).get(f"{LIST}{standard.pk}").json()
    assert set(body) == OUT_FIELDS | {"elements"}
    assert [e["no"] for e in body["elements"]] == list(range(1, 14))
    items = [i for e in body["elements"] for s in e["subelements"] for i in s["items"]]
    assert len(items) == body["item_count"] == 164
    element_2 = body["elements"][1]
    assert element_2["points"] == "20.0"
    assert element_2["subelements"][0]["no"] == "2.1"
    item = element_2["subelements"][0]["items"][0]
    assert set(item) == {"code", "requirement", "points", "method", "is_veto", "specialty"}
    assert item["code"] == "2.1.1" and item["points"] == "4.0"
    assert "追加扣除10分" in item["method"]
    assert item["specialty"] == "safety_management"


def test_detail_of_a_missing_standard_is_404(login, personas):
    assert_error(login(personas.city_officer).get(f"{LIST}98765"), 404, "not_found")
