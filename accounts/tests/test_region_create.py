import pytest

from accounts.models import Region
from accounts.tests.battery import admins_only
from accounts.tests.factories import region
from audit.models import AuditEvent

URL = "/accounts/regions/new/"


@pytest.mark.parametrize(("persona", "status"), admins_only())
def test_region_create_access(client, personas, login, persona, status):
    assert login(personas[persona]).get(URL).status_code == status


def test_non_admins_cannot_post(client, personas, login):
    data = {
        "code": "210802001",
        "name": "建设街道",
        "level": "town",
        "parent": region("站前区").pk,
        "sort_order": 0,
    }
    assert login(personas.city_officer).post(URL, data).status_code == 403
    assert not Region.objects.filter(code="210802001").exists()


def test_adding_a_town_under_a_division(client, personas, login):
    division = region("站前区")
    response = login(personas.admin).post(
        URL,
        {
            "code": "210802001",
            "name": "建设街道",
            "level": "town",
            "parent": division.pk,
            "sort_order": 1,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    town = Region.objects.get(code="210802001")
    assert town.parent == division
    assert town.path == "210000/210800/210802/210802001/"
    assert AuditEvent.objects.filter(action="region.create", target_id=str(town.pk)).exists()


def test_adding_another_city(client, personas, login):
    response = login(personas.admin).post(
        URL,
        {
            "code": "210200",
            "name": "大连市",
            "level": "city",
            "parent": region("辽宁省").pk,
            "sort_order": 2,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Region.objects.get(code="210200").path == "210000/210200/"


def test_the_parent_preselected_from_the_tree(client, personas, login):
    division = region("站前区")
    response = login(personas.admin).get(URL, {"parent": division.pk})
    assert response.context["form"]["parent"].value() == str(division.pk)


@pytest.mark.parametrize(
    ("level", "parent_name", "field"),
    [
        ("town", "营口市", "parent"),  # a town sits under a county-level division
        ("city", None, "parent"),  # a city needs its province
        ("province", "辽宁省", "parent"),  # a province has none
    ],
)
def test_the_parent_must_be_one_level_up(client, personas, login, level, parent_name, field):
    parent = region(parent_name).pk if parent_name else ""
    response = login(personas.admin).post(
        URL, {"code": "210899", "name": "测试", "level": level, "parent": parent, "sort_order": 0}
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Region.objects.filter(code="210899").exists()


def test_codes_are_unique_and_well_formed(client, personas, login):
    client = login(personas.admin)
    response = client.post(
        URL,
        {"code": "210802", "name": "重复", "level": "county", "parent": region("营口市").pk, "sort_order": 0},
    )
    assert "code" in response.context["form"].errors
    response = client.post(
        URL,
        {"code": "21A8", "name": "坏码", "level": "county", "parent": region("营口市").pk, "sort_order": 0},
    )
    assert "code" in response.context["form"].errors
