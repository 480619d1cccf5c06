"""The accident page: who sees it, what it shows, its history."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from accidents.services import accident_update


def _url(accident) -> str:
    return reverse("accidents:detail", args=[accident.pk])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("city_officer", 200),
        ("city_chief", 200),
        ("bureau_leader", 200),
        ("county_officer", 200),
        ("county_chief", 200),
        ("other_county_officer", 404),  # must not learn it exists
        ("enterprise_user", 404),  # another enterprise's accident
        ("expert", 404),
        ("anonymous", 302),  # to login
    ],
)
def test_detail_access(login, personas, zhanqian_accident, persona, status):
    assert login(personas[persona]).get(_url(zhanqian_accident)).status_code == status


def test_zhanqian_officer_gets_404_for_a_bayuquan_accident(login, personas, bayuquan_accident):
    assert login(personas.county_officer).get(_url(bayuquan_accident)).status_code == 404


def test_unknown_accident_is_404(login, personas):
    assert login(personas.city_officer).get(reverse("accidents:detail", args=[999999])).status_code == 404


def test_post_is_not_allowed(login, personas, zhanqian_accident):
    assert login(personas.city_officer).post(_url(zhanqian_accident)).status_code == 405


def test_enterprise_user_reads_his_own_accident_without_an_edit_link(login, personas, own_accident):
    response = login(personas.enterprise_user).get(_url(own_accident))
    assert response.status_code == 200
    assert 'data-testid="accident-edit"' not in response.content.decode()


def test_detail_shows_the_fields_and_the_edit_link_for_recorders(login, personas, zhanqian_accident):
    html = login(personas.county_officer).get(_url(zhanqian_accident)).content.decode()
    assert "营口钢铁有限公司" in html
    assert "炼钢车间" in html
    assert "2026-03-02 09:30" in html  # Beijing time
    assert reverse("accidents:edit", args=[zhanqian_accident.pk]) in html


@pytest.mark.parametrize("persona", ["bureau_leader", "admin"])
def test_read_only_roles_see_no_edit_link(login, personas, zhanqian_accident, persona):
    html = login(personas[persona]).get(_url(zhanqian_accident)).content.decode()
    assert reverse("accidents:edit", args=[zhanqian_accident.pk]) not in html


def test_history_lists_record_and_changes(login, personas, zhanqian_accident):
    accident_update(actor=personas.city_officer, accident=zhanqian_accident, data={"place": "轧钢车间"})
    response = login(personas.county_officer).get(_url(zhanqian_accident))
    history = response.context["history"]
    assert [event.action for event, _lines in history] == ["accident.update", "accident.record"]
    assert (gettext("place"), "炼钢车间 → 轧钢车间") in history[0][1]
    assert "炼钢车间 → 轧钢车间" in response.content.decode()


def test_detail_query_count_is_small(login, personas, zhanqian_accident, django_assert_max_num_queries):
    client = login(personas.county_officer)
    with django_assert_max_num_queries(10):
        assert client.get(_url(zhanqian_accident)).status_code == 200
