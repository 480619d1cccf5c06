import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.tests.factories import region
from experts.permissions import get_expert_for_user, visible_to
from experts.selectors import expert_list
from experts.tests.factories import ExpertFactory


@pytest.fixture
def pool(personas):
    """Three experts: one in 站前区, one with no region, one linked to the expert persona."""
    return {
        "zhanqian": ExpertFactory(name="站前专家", region=region("站前区")),
        "no_region": ExpertFactory(name="无区域专家", region=None),
        "own": ExpertFactory(name="本人", region=region("鲅鱼圈区"), user=personas.expert),
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", {"站前专家", "无区域专家", "本人"}),
        ("city_officer", {"站前专家", "无区域专家", "本人"}),
        ("city_chief", {"站前专家", "无区域专家", "本人"}),
        ("bureau_leader", {"站前专家", "无区域专家", "本人"}),
        ("expert", {"本人"}),
        ("county_officer", set()),
        ("county_chief", set()),
        ("enterprise_user", set()),
        ("enterprise_principal", set()),
    ],
)
def test_visible_to_per_role(personas, pool, persona, expected):
    assert {e.name for e in visible_to(personas[persona])} == expected


def test_anonymous_and_inactive_users_see_none(personas, pool):
    from django.contrib.auth.models import AnonymousUser

    assert not visible_to(AnonymousUser()).exists()
    officer = personas.city_officer
    officer.is_active = False
    assert not visible_to(officer).exists()


def test_an_expert_without_an_account_link_sees_nobody(personas, pool):
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory, expert_pool

    unlinked = UserFactory(role=Role.EXPERT, organisation=expert_pool())
    assert not visible_to(unlinked).exists()


def test_get_expert_for_user_hides_and_refuses(personas, pool):
    own = pool["own"]
    assert get_expert_for_user(personas.expert, own.pk) == own
    with pytest.raises(Http404):
        get_expert_for_user(personas.expert, pool["zhanqian"].pk)
    with pytest.raises(Http404):
        get_expert_for_user(personas.county_officer, own.pk)
    with pytest.raises(PermissionDenied):
        get_expert_for_user(personas.bureau_leader, own.pk, "edit")
    assert get_expert_for_user(personas.city_officer, own.pk, "edit") == own


def test_expert_list_filters_by_status(personas, pool):
    pool["no_region"].status = "suspended"
    pool["no_region"].save(update_fields=["status"])
    assert [e.name for e in expert_list(user=personas.city_officer, status="suspended")] == ["无区域专家"]
    assert expert_list(user=personas.city_officer).count() == 3
