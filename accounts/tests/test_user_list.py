import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import override_settings

from accounts.roles import Role
from accounts.tests.battery import admins_only
from accounts.tests.factories import UserFactory, county_bureau

URL = "/accounts/users/"


@pytest.mark.parametrize(("persona", "status"), admins_only())
def test_user_list_access(client, personas, login, persona, status):
    assert login(personas[persona]).get(URL).status_code == status


def _usernames(response) -> list[str]:
    return [u.username for u in response.context["page_obj"]]


def test_filters_by_role_organisation_and_search(client, personas, login):
    client = login(personas.admin)
    personas.county_officer, personas.other_county_officer, personas.city_officer  # noqa: B018
    UserFactory(
        username="wangwu",
        full_name="王五",
        phone="13912345678",
        role=Role.COUNTY_CHIEF,
        organisation=county_bureau("鲅鱼圈区"),
    )
    assert set(_usernames(client.get(URL, {"role": "county_officer"}))) == {
        "county_officer",
        "other_county_officer",
    }
    org = county_bureau("鲅鱼圈区")
    assert set(_usernames(client.get(URL, {"organisation": org.pk}))) == {"other_county_officer", "wangwu"}
    assert _usernames(client.get(URL, {"q": "王五"})) == ["wangwu"]
    assert _usernames(client.get(URL, {"q": "1391234"})) == ["wangwu"]


def test_must_change_and_locked_out_filters(client, personas, login):
    client = login(personas.admin)
    fresh = UserFactory(username="fresh", must_change_password=True)
    locked = personas.county_officer
    AccessAttempt.objects.create(
        username=locked.username,
        ip_address="10.0.0.1",
        user_agent="x",
        http_accept="*/*",
        path_info="/",
        get_data="",
        post_data="",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
    )
    assert _usernames(client.get(URL, {"must_change_password": "on"})) == [fresh.username]
    response = client.get(URL, {"locked_out": "on"})
    assert _usernames(response) == [locked.username]
    assert "text-bg-danger" in response.content.decode()


@override_settings(LIST_PAGE_SIZE=2)
def test_pagination(client, personas, login):
    client = login(personas.admin)
    for _ in range(4):
        UserFactory()
    first = client.get(URL)
    assert len(first.context["page_obj"]) == 2
    assert first.context["page_obj"].paginator.count == 5  # the admin too
    third = client.get(URL, {"page": 3})
    assert len(third.context["page_obj"]) == 1


def test_htmx_gets_the_table_fragment(client, personas, login):
    response = login(personas.admin).get(URL, {"q": "admin"}, headers={"HX-Request": "true"})
    assert [t.name for t in response.templates][0] == "accounts/_user_table.html"
    assert b"<html" not in response.content


@pytest.mark.parametrize("rows", [2, 20])
def test_query_count_does_not_grow_with_rows(client, personas, login, django_assert_max_num_queries, rows):
    client = login(personas.admin)
    for _ in range(rows):
        UserFactory()
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200
