import pytest

from accounts.models import Region
from accounts.permissions import NO_REGION, county_regions_for, region_scope_path
from accounts.services import region_save


@pytest.mark.django_db
def test_yingkou_has_six_county_level_divisions():
    divisions = Region.objects.filter(parent__code="210800", level=Region.Level.COUNTY).order_by("sort_order")
    assert [r.name for r in divisions] == ["站前区", "西市区", "鲅鱼圈区", "老边区", "盖州市", "大石桥市"]
    assert all(r.path.startswith("210000/210800/") for r in divisions)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("city_officer", "210000/210800/"),
        ("bureau_leader", "210000/210800/"),
        ("admin", "210000/210800/"),
        ("county_officer", "210000/210800/210802/"),
        ("other_county_officer", "210000/210800/210804/"),
        ("enterprise_user", NO_REGION),
        ("expert", NO_REGION),
    ],
)
def test_region_scope_follows_the_organisation(personas, persona, expected):
    assert region_scope_path(personas[persona]) == expected


def test_county_officer_picks_only_his_division(personas):
    assert [r.name for r in county_regions_for(personas.county_officer)] == ["站前区"]
    assert len(county_regions_for(personas.city_officer)) == 6


def test_inactive_user_has_no_scope(personas):
    user = personas.county_officer
    user.is_active = False
    assert region_scope_path(user) == NO_REGION


def test_another_city_needs_only_data(personas):
    province = Region.objects.get(code="210000")
    dalian = region_save(
        actor=personas.admin, region=None, code="210200", name="大连市", level="city", parent=province
    )
    county = region_save(
        actor=personas.admin, region=None, code="210202", name="中山区", level="county", parent=dalian
    )
    assert county.path == "210000/210200/210202/"
    assert not county.path.startswith(region_scope_path(personas.city_officer))


def test_moving_a_region_moves_its_towns(personas):
    division = Region.objects.get(name="站前区")
    town = region_save(
        actor=personas.admin, region=None, code="210802001", name="测试街道", level="town", parent=division
    )
    other = Region.objects.get(name="西市区")
    region_save(
        actor=personas.admin, region=division, code="210802", name="站前区", level="county", parent=other
    )
    town.refresh_from_db()
    assert town.path == "210000/210800/210803/210802/210802001/"


def test_a_region_cannot_move_under_its_own_town(personas):
    from django.core.exceptions import ValidationError

    division = Region.objects.get(name="站前区")
    town = region_save(
        actor=personas.admin, region=None, code="210802002", name="测试镇", level="town", parent=division
    )
    with pytest.raises(ValidationError):
        region_save(
            actor=personas.admin, region=division, code="210802", name="站前区", level="county", parent=town
        )
