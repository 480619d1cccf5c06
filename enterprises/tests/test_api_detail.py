"""GET /api/v1/enterprises/{id}: insiders see it, outsiders must not learn it exists."""

import pytest

from accounts.tests.api_helpers import assert_error, bearer


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("city_officer", 200),
        ("city_chief", 200),
        ("bureau_leader", 200),
        ("county_officer", 200),
        ("county_chief", 200),
        ("enterprise_user", 200),
        ("enterprise_principal", 200),
        ("other_county_officer", 404),  # must not learn it exists
        ("other_enterprise_user", 404),
        ("expert", 404),
    ],
)
def test_detail_access(client, personas, persona, status):
    enterprise = personas.enterprise  # in 站前区
    response = client.get(f"/api/v1/enterprises/{enterprise.pk}", headers=bearer(personas[persona]))
    if status == 200:
        assert response.status_code == 200
        assert response.json()["uscc"] == enterprise.uscc
    else:
        assert_error(response, status, "not_found")


def test_zhanqian_officer_gets_404_for_a_bayuquan_enterprise(login, personas):
    enterprise = personas.other_enterprise  # in 鲅鱼圈区
    response = login(personas.county_officer).get(f"/api/v1/enterprises/{enterprise.pk}")
    body = assert_error(response, 404, "not_found")
    assert enterprise.name not in response.content.decode()
    assert body["details"] == {}


def test_detail_of_a_missing_enterprise_looks_the_same_as_an_invisible_one(login, personas):
    client = login(personas.county_officer)
    invisible = client.get(f"/api/v1/enterprises/{personas.other_enterprise.pk}").json()
    missing = client.get("/api/v1/enterprises/987654").json()
    assert invisible == missing


def test_detail_anonymous_gets_401(client, personas):
    assert_error(client.get(f"/api/v1/enterprises/{personas.enterprise.pk}"), 401, "unauthenticated")


def test_detail_hides_internal_fields(login, personas):
    body = login(personas.city_officer).get(f"/api/v1/enterprises/{personas.enterprise.pk}").json()
    for internal in ("name_pinyin", "name_initials", "region_path", "organisation"):
        assert internal not in body
    assert body["region"]["name"] == "站前区"


def test_non_numeric_id_is_422(login, personas):
    assert_error(login(personas.city_officer).get("/api/v1/enterprises/abc"), 422, "invalid")
