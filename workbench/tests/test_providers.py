"""The foundation to-do providers, each scoped by the user's role and region."""

from axes.models import AccessAttempt
from django.conf import settings

from accounts.tests.factories import UserFactory, region
from enterprises.tests.factories import EnterpriseFactory
from lib.workbench import todos_for


def test_county_officers_count_only_their_divisions_gaps(client, personas, login):
    EnterpriseFactory.create_batch(2, principal_phone="")  # 站前区
    EnterpriseFactory(employee_count=None)  # 站前区
    EnterpriseFactory()  # 站前区, complete
    EnterpriseFactory.create_batch(4, region=region("鲅鱼圈区"), principal_phone="")
    officer, other = personas.county_officer, personas.other_county_officer
    [mine] = [t for t in todos_for(officer)]
    [theirs] = [t for t in todos_for(other)]
    assert (mine.count, theirs.count) == (3, 4)
    assert mine.url == "/enterprises/"
    response = login(officer).get("/")
    assert response.context["total"] == 3
    assert "data-todo-count>3<" in response.content.decode()


def test_county_officers_with_a_complete_registry_have_nothing_to_do(personas):
    EnterpriseFactory()
    EnterpriseFactory(region=region("鲅鱼圈区"), principal_phone="")
    assert todos_for(personas.county_officer) == []


def test_city_officers_see_enterprises_without_a_principal_citywide(personas):
    EnterpriseFactory(principal_name="")
    EnterpriseFactory(principal_name="", region=region("盖州市"))
    EnterpriseFactory()
    [todo] = todos_for(personas.city_officer)
    assert todo.count == 2
    # The bureau leader is read-only: no registry chores.
    assert todos_for(personas.bureau_leader) == []


def test_enterprise_users_are_asked_to_complete_their_profile(personas):
    enterprise = personas.enterprise
    enterprise.address = ""
    enterprise.safety_manager_name = ""
    enterprise.save()
    personas.other_enterprise  # noqa: B018 - an incomplete profile elsewhere must not show up
    [todo] = todos_for(personas.enterprise_user)
    assert todo.url == f"/enterprises/{enterprise.pk}/"
    assert todo.count == 3  # address, safety manager, safety manager's phone
    assert [t.url for t in todos_for(personas.other_enterprise_user)] == [
        f"/enterprises/{personas.other_enterprise.pk}/"
    ]


def test_admins_see_locked_out_accounts_and_pending_password_changes(personas):
    admin = personas.admin
    assert todos_for(admin) == []
    UserFactory(must_change_password=True)
    UserFactory(must_change_password=True, is_active=False)  # inactive: not waiting for anything
    locked = personas.county_officer
    for username, failures in (
        (locked.username, settings.AXES_FAILURE_LIMIT),
        ("no-such-user", 50),
        (personas.expert.username, settings.AXES_FAILURE_LIMIT - 1),
    ):
        AccessAttempt.objects.create(
            username=username,
            ip_address="10.0.0.1",
            user_agent="x",
            http_accept="*/*",
            path_info="/",
            get_data="",
            post_data="",
            failures_since_start=failures,
        )
    todos = {t.url: t for t in todos_for(admin)}
    assert todos["/accounts/users/?locked_out=on"].count == 1
    assert todos["/accounts/users/?locked_out=on"].urgency == 1
    assert todos["/accounts/users/?must_change_password=on"].count == 1


def test_expired_lockouts_are_not_counted(personas):
    import time_machine
    from axes.helpers import get_cool_off
    from django.utils import timezone

    AccessAttempt.objects.create(
        username=personas.county_officer.username,
        ip_address="10.0.0.1",
        user_agent="x",
        http_accept="*/*",
        path_info="/",
        get_data="",
        post_data="",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
    )
    with time_machine.travel(timezone.now() + get_cool_off() + get_cool_off() / 10):
        assert todos_for(personas.admin) == []


def test_scope_follows_the_role(personas):
    EnterpriseFactory(region=region("鲅鱼圈区"), principal_phone="", principal_name="")
    assert todos_for(personas.expert) == []
    assert todos_for(personas.county_chief) == []  # 站前区's chief: the gap is in 鲅鱼圈区
    assert [t.count for t in todos_for(personas.city_chief)] == [1]  # city-wide: no principal
