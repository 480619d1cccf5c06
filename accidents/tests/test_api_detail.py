"""GET /api/v1/accidents/{id}: 404 for outsiders, like the page."""

import pytest

from accounts.tests.api_helpers import assert_error, bearer


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("city_officer", 200),
        ("bureau_leader", 200),
        ("county_officer", 200),
        ("county_chief", 200),
        ("other_county_officer", 404),  # must not learn it exists
        ("enterprise_user", 404),
        ("expert", 404),
    ],
)
def test_detail_access(client, personas, zhanqian_accident, persona, status):
    response = client.get(f"/api/v1/accidents/{zhanqian_accident.pk}", headers=bearer(personas[persona]))
    if status == 200:
        assert response.status_code == 200, response.content
        assert response.json()["place"] == "炼钢车间"
    else:
        assert_error(response, status, "not_found")


def test_enterprise_user_reads_his_own(client, personas, own_accident):
    response = client.get(f"/api/v1/accidents/{own_accident.pk}", headers=bearer(personas.enterprise_user))
    assert response.json()["id"] == own_accident.pk


def test_anonymous_gets_401_and_unknown_404(client, personas, zhanqian_accident):
    assert_error(client.get(f"/api/v1/accidents/{zhanqian_accident.pk}"), 401, "unauthenticated")
    assert_error(
        client.get("/api/v1/accidents/999999", headers=bearer(personas.city_officer)), 404, "not_found"
    )
