"""The record form's enterprise search (htmx): recorders only, within their scope."""

import pytest
from django.urls import reverse

URL = reverse("accidents:enterprise_options")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("county_officer", 200),
        ("county_chief", 200),
        ("city_officer", 200),
        ("city_chief", 200),
        ("other_county_officer", 200),
        ("bureau_leader", 403),
        ("admin", 403),
        ("enterprise_user", 403),
        ("expert", 403),
        ("anonymous", 302),
    ],
)
def test_options_access(login, personas, persona, status):
    assert login(personas[persona]).get(URL, {"q": "营口"}).status_code == status


def test_options_are_searched_within_the_scope(login, personas, zhanqian_enterprise, bayuquan_enterprise):
    html = login(personas.county_officer).get(URL, {"q": "ykgt"}).content.decode()
    assert f'<option value="{zhanqian_enterprise.pk}">营口钢铁有限公司（站前区）</option>' in html
    assert "鲅鱼圈" not in login(personas.county_officer).get(URL, {"q": "鲅鱼圈"}).content.decode()
    city = login(personas.city_officer).get(URL, {"q": "鲅鱼圈"}).content.decode()
    assert f'value="{bayuquan_enterprise.pk}"' in city


def test_record_form_search_box_targets_the_select(login, personas):
    html = login(personas.county_officer).get(reverse("accidents:create")).content.decode()
    assert f'hx-get="{URL}"' in html
    assert 'hx-target="#id_enterprise"' in html
