"""The accident panel on an enterprise's page: its accidents, its 12-month totals, the record link."""

import pytest
import time_machine
from django.urls import reverse

from accidents.tests.factories import beijing, record_accident


def _url(enterprise) -> str:
    return reverse("enterprises:detail", args=[enterprise.pk])


def test_panel_lists_accidents_and_the_12_month_totals(login, personas, zhanqian_enterprise):
    with time_machine.travel(beijing(2026, 11, 29, 10, 0), tick=False):
        officer = personas.county_officer
        record_accident(
            officer, zhanqian_enterprise, beijing(2026, 6, 1), deaths=1, direct_loss_yuan="800000"
        )
        record_accident(officer, zhanqian_enterprise, beijing(2024, 6, 1), serious_injuries=4)  # long ago
        response = login(officer).get(_url(zhanqian_enterprise))
    html = response.content.decode()
    assert 'data-testid="enterprise-accidents"' in html
    assert html.count('data-testid="enterprise-accident-row"') == 2
    totals = response.context["panel"].totals
    assert (totals.accidents, totals.deaths, totals.serious_injuries) == (1, 1, 0)
    assert f"{reverse('accidents:list')}?enterprise={zhanqian_enterprise.pk}" in html


def test_record_link_for_recorders_only(login, personas, zhanqian_enterprise):
    link = f"{reverse('accidents:create')}?enterprise={zhanqian_enterprise.pk}"
    assert link in login(personas.county_officer).get(_url(zhanqian_enterprise)).content.decode()
    assert link in login(personas.city_officer).get(_url(zhanqian_enterprise)).content.decode()
    assert link not in login(personas.bureau_leader).get(_url(zhanqian_enterprise)).content.decode()


def test_enterprise_user_sees_his_accidents_read_only(login, personas, own_accident):
    html = login(personas.enterprise_user).get(_url(personas.enterprise)).content.decode()
    assert 'data-testid="enterprise-accident-row"' in html
    assert 'data-testid="enterprise-accident-create"' not in html


def test_an_enterprise_without_accidents_says_so(login, personas, zhanqian_enterprise):
    response = login(personas.county_officer).get(_url(zhanqian_enterprise))
    assert response.context["panel"].count == 0
    assert 'data-testid="enterprise-accident-row"' not in response.content.decode()


@pytest.mark.parametrize("count", [2, 20])
def test_panel_query_count_does_not_grow(
    login, personas, zhanqian_enterprise, django_assert_max_num_queries, count
):
    for i in range(count):
        record_accident(personas.county_officer, zhanqian_enterprise, beijing(2025, 3, 1 + i % 28))
    client = login(personas.county_officer)
    with django_assert_max_num_queries(17):  # +1: the rectification flag (enterprise_flag)
        response = client.get(_url(zhanqian_enterprise))
    assert response.context["panel"].count == count
