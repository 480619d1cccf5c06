"""visible_to: whoever sees an enterprise sees its accidents, and nobody else."""

import pytest

from accidents.models import Accident
from accidents.permissions import visible_to
from accounts.models import User
from accounts.tests.factories import region
from enterprises.permissions import visible_to as enterprises_visible_to
from enterprises.services import enterprise_update

PERSONAS = (
    "admin", "city_officer", "city_chief", "bureau_leader", "county_officer", "county_chief",
    "other_county_officer", "enterprise_user", "enterprise_principal", "other_enterprise_user", "expert",
)  # fmt: skip


@pytest.fixture
def ledger(zhanqian_accident, bayuquan_accident, own_accident, personas):
    return {"zhanqian": zhanqian_accident, "bayuquan": bayuquan_accident, "own": own_accident}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", {"zhanqian", "bayuquan", "own"}),
        ("city_officer", {"zhanqian", "bayuquan", "own"}),
        ("city_chief", {"zhanqian", "bayuquan", "own"}),
        ("bureau_leader", {"zhanqian", "bayuquan", "own"}),
        ("county_officer", {"zhanqian", "own"}),
        ("county_chief", {"zhanqian", "own"}),
        ("other_county_officer", {"bayuquan"}),
        ("enterprise_user", {"own"}),
        ("enterprise_principal", {"own"}),
        ("other_enterprise_user", set()),
        ("expert", set()),
    ],
)
def test_each_role_sees_its_accidents(ledger, personas, persona, expected):
    assert set(visible_to(personas[persona])) == {ledger[name] for name in expected}


@pytest.mark.parametrize("persona", PERSONAS)
def test_scope_equals_the_accidents_of_the_visible_enterprises(ledger, personas, persona):
    user = personas[persona]
    by_enterprise = Accident.objects.filter(enterprise__in=enterprises_visible_to(user))
    assert set(visible_to(user)) == set(by_enterprise)


def test_anonymous_and_inactive_users_see_nothing(ledger, personas):
    from django.contrib.auth.models import AnonymousUser

    assert not visible_to(AnonymousUser()).exists()
    officer = personas.city_officer
    User.objects.filter(pk=officer.pk).update(is_active=False)
    officer.refresh_from_db()
    assert not visible_to(officer).exists()


def test_accidents_follow_an_enterprise_that_moves_division(ledger, personas, zhanqian_enterprise):
    enterprise_update(
        actor=personas.city_officer, enterprise=zhanqian_enterprise, data={"region": region("鲅鱼圈区")}
    )
    assert ledger["zhanqian"] in set(visible_to(personas.other_county_officer))
    assert ledger["zhanqian"] not in set(visible_to(personas.county_officer))
