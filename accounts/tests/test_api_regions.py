"""Regions over the API: everyone reads, only system administrators write."""

import pytest

from accounts.models import Region
from accounts.tests.api_helpers import assert_error
from audit.models import AuditEvent


def test_list_regions_filters_by_level_and_parent(login, personas):
    client = login(personas.city_officer)
    body = client.get("/api/v1/regions", {"level": "county", "parent": "210800"}).json()
    assert [r["name"] for r in body] == ["站前区", "西市区", "鲅鱼圈区", "老边区", "盖州市", "大石桥市"]
    first = body[0]
    assert set(first) == {"id", "code", "name", "level", "parent_code", "path", "sort_order", "is_active"}
    assert first["parent_code"] == "210800"
    assert first["path"] == "210000/210800/210802/"


def test_county_officer_lists_his_part_of_the_tree(login, personas):
    body = login(personas.county_officer).get("/api/v1/regions").json()
    assert {r["code"] for r in body} == {"210802"}


def test_enterprise_user_sees_the_whole_tree(login, personas):
    codes = {r["code"] for r in login(personas.enterprise_user).get("/api/v1/regions").json()}
    assert {"210000", "210800", "210802", "210804"} <= codes


def test_unknown_level_is_422(login, personas):
    body = assert_error(
        login(personas.city_officer).get("/api/v1/regions", {"level": "galaxy"}), 422, "invalid"
    )
    assert "level" in body["details"]


def test_region_detail(login, personas):
    body = login(personas.city_officer).get("/api/v1/regions/210804").json()
    assert body["name"] == "鲅鱼圈区"
    assert body["level"] == "county"


def test_region_detail_outside_scope_or_unknown_is_404(login, personas):
    client = login(personas.county_officer)
    assert_error(client.get("/api/v1/regions/210804"), 404, "not_found")
    assert_error(client.get("/api/v1/regions/999999"), 404, "not_found")


TOWN = {"code": "210802001", "name": "渔市街道", "level": "town", "parent": "210802"}


def test_admin_creates_a_region(login, personas):
    response = login(personas.admin).post("/api/v1/regions", TOWN, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["path"] == "210000/210800/210802/210802001/"
    assert body["parent_code"] == "210802"
    region = Region.objects.get(code="210802001")
    assert AuditEvent.objects.filter(action="region.create", target_id=str(region.pk)).exists()


@pytest.mark.parametrize(
    "persona", ["city_officer", "city_chief", "bureau_leader", "county_officer", "enterprise_user"]
)
def test_only_admins_create_regions(login, personas, persona):
    response = login(personas[persona]).post("/api/v1/regions", TOWN, content_type="application/json")
    assert_error(response, 403, "forbidden")
    assert not Region.objects.filter(code="210802001").exists()


def test_create_region_with_unknown_parent_is_422(login, personas):
    response = login(personas.admin).post(
        "/api/v1/regions", {**TOWN, "parent": "999999"}, content_type="application/json"
    )
    body = assert_error(response, 422, "invalid")
    assert list(body["details"]) == ["parent"]


def test_create_region_with_taken_code_is_422(login, personas):
    response = login(personas.admin).post(
        "/api/v1/regions", {**TOWN, "code": "210804"}, content_type="application/json"
    )
    assert "code" in assert_error(response, 422, "invalid")["details"]


def test_create_region_with_slash_in_code_is_422(login, personas):
    response = login(personas.admin).post(
        "/api/v1/regions", {**TOWN, "code": "2108/01"}, content_type="application/json"
    )
    assert "code" in assert_error(response, 422, "invalid")["details"]


def test_admin_renames_a_region_and_keeps_the_rest(login, personas):
    client = login(personas.admin)
    response = client.patch(
        "/api/v1/regions/210804", {"name": "鲅鱼圈区（经济技术开发区）"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    region = Region.objects.get(code="210804")
    assert region.name == "鲅鱼圈区（经济技术开发区）"
    assert region.level == "county" and region.parent.code == "210800"
    assert AuditEvent.objects.filter(action="region.update", target_id=str(region.pk)).exists()


def test_patch_refuses_null_for_a_required_field(login, personas):
    response = login(personas.admin).patch(
        "/api/v1/regions/210804", {"name": None}, content_type="application/json"
    )
    assert "name" in assert_error(response, 422, "invalid")["details"]


def test_patch_region_by_non_admin_is_403(login, personas):
    response = login(personas.city_chief).patch(
        "/api/v1/regions/210804", {"name": "x"}, content_type="application/json"
    )
    assert_error(response, 403, "forbidden")
    assert Region.objects.get(code="210804").name == "鲅鱼圈区"


def test_patch_unknown_region_is_404(login, personas):
    response = login(personas.admin).patch(
        "/api/v1/regions/999999", {"name": "x"}, content_type="application/json"
    )
    assert_error(response, 404, "not_found")
