"""The accident list: scoped, filtered, paginated, with a totals row."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accidents.tests.factories import beijing, record_accident
from accounts.tests.factories import region
from enterprises.tests.factories import EnterpriseFactory

URL = reverse("accidents:list")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("city_officer", 200),
        ("city_chief", 200),
        ("bureau_leader", 200),
        ("county_officer", 200),
        ("county_chief", 200),
        ("other_county_officer", 200),
        ("enterprise_user", 200),  # his own enterprise's accidents
        ("expert", 200),  # an empty list
        ("anonymous", 302),  # to login
    ],
)
def test_list_access(login, personas, persona, status):
    response = login(personas[persona]).get(URL)
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("accounts:login"))


def test_post_is_not_allowed(login, personas):
    assert login(personas.county_officer).post(URL).status_code == 405


def _places(response) -> list[str]:
    return [a.place for a in response.context["page_obj"]]


def test_county_officer_sees_only_his_division(login, personas, zhanqian_accident, bayuquan_accident):
    response = login(personas.county_officer).get(URL)
    assert _places(response) == ["炼钢车间"]
    assert "鲅鱼圈港口机械有限公司" not in response.content.decode()
    assert _places(login(personas.other_county_officer).get(URL)) == ["三号码头"]


def test_city_officer_sees_every_division_newest_first(login, personas, zhanqian_accident, bayuquan_accident):
    assert _places(login(personas.city_officer).get(URL)) == ["三号码头", "炼钢车间"]


def test_enterprise_user_sees_only_his_enterprise_and_experts_nothing(
    login, personas, zhanqian_accident, own_accident
):
    assert _places(login(personas.enterprise_user).get(URL)) == ["装配车间"]
    html = login(personas.expert).get(URL).content.decode()
    assert "炼钢车间" not in html and "装配车间" not in html


def test_filters(login, personas, zhanqian_enterprise, bayuquan_enterprise):
    officer, city = personas.county_officer, personas.city_officer
    record_accident(officer, zhanqian_enterprise, beijing(2024, 5, 1), place="A", accident_type="fire")
    record_accident(
        officer,
        zhanqian_enterprise,
        beijing(2025, 12, 31, 23, 30),
        place="B",
        deaths=3,
        reporting_violation="late",
    )
    record_accident(
        officer,
        zhanqian_enterprise,
        beijing(2026, 1, 1, 0, 30),
        place="C",
        grade_override="major",
        grade_override_reason="调查报告认定",
    )
    record_accident(city, bayuquan_enterprise, beijing(2026, 2, 1), place="D")
    client = login(city)
    assert _places(client.get(URL, {"accident_type": "fire"})) == ["A"]
    assert _places(client.get(URL, {"grade": "relatively_major"})) == ["B"]
    assert _places(client.get(URL, {"grade": "major"})) == ["C"]  # the override counts
    assert _places(client.get(URL, {"grade": "ordinary"})) == ["D", "A"]
    assert _places(client.get(URL, {"reporting_violation": "late"})) == ["B"]
    assert _places(client.get(URL, {"year": 2025})) == ["B"]  # Beijing year, not UTC
    assert _places(client.get(URL, {"year": 2026})) == ["D", "C"]
    assert _places(client.get(URL, {"date_from": "2025-12-31", "date_to": "2026-01-01"})) == ["C", "B"]
    assert _places(client.get(URL, {"region": region("鲅鱼圈区").pk})) == ["D"]
    assert _places(client.get(URL, {"enterprise": bayuquan_enterprise.pk})) == ["D"]
    assert _places(client.get(URL, {"q": "ykgt"})) == ["C", "B", "A"]  # pinyin initials
    assert _places(client.get(URL, {"q": "D"})) == ["D"]  # the place


def test_enterprise_filter_outside_the_scope_is_ignored(
    login, personas, zhanqian_accident, bayuquan_accident
):
    response = login(personas.county_officer).get(URL, {"enterprise": bayuquan_accident.enterprise_id})
    assert _places(response) == ["炼钢车间"]
    assert response.context["form"].chosen_enterprise is None


def test_enterprise_filter_shows_a_chip_and_keeps_it_in_the_record_link(login, personas, zhanqian_accident):
    enterprise = zhanqian_accident.enterprise
    html = login(personas.county_officer).get(URL, {"enterprise": enterprise.pk}).content.decode()
    assert 'data-testid="accident-enterprise-filter"' in html
    assert f"{reverse('accidents:create')}?enterprise={enterprise.pk}" in html


def test_totals_row_sums_every_filtered_accident_not_just_the_page(
    login, personas, settings, zhanqian_enterprise
):
    settings.LIST_PAGE_SIZE = 2
    for i in range(3):
        record_accident(
            personas.county_officer,
            zhanqian_enterprise,
            beijing(2026, 1, 10 + i),
            deaths=i,
            serious_injuries=1,
            minor_injuries=2,
            direct_loss_yuan=Decimal("1000.25"),
        )
    response = login(personas.county_officer).get(URL)
    assert len(response.context["page_obj"]) == 2
    totals = response.context["totals"]
    assert (totals.accidents, totals.deaths, totals.serious_injuries, totals.minor_injuries) == (3, 3, 3, 6)
    assert totals.direct_loss_yuan == Decimal("3000.75")
    html = response.content.decode()
    assert 'data-testid="accident-totals"' in html
    assert "3000.75" in html


def test_htmx_request_gets_only_the_table_fragment(login, personas, zhanqian_accident):
    response = login(personas.county_officer).get(URL, {"q": "炼钢"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert [t.name for t in response.templates][0] == "accidents/_list_table.html"
    assert 'id="accident-results"' in html
    assert "<html" not in html
    assert "炼钢车间" in html


def test_export_link_carries_the_filters_but_not_the_page(login, personas):
    html = login(personas.county_officer).get(URL, {"grade": "major", "page": "1"}).content.decode()
    assert f'href="{reverse("accidents:export")}?grade=major"' in html


def test_record_button_only_for_recorders(login, personas):
    assert 'data-testid="accident-create"' in login(personas.county_officer).get(URL).content.decode()
    for persona in ("bureau_leader", "admin", "enterprise_user"):
        html = login(personas[persona]).get(URL).content.decode()
        assert 'data-testid="accident-create"' not in html
        assert 'data-testid="accident-export"' in html


@pytest.mark.parametrize("persona", ["city_officer", "county_officer", "bureau_leader"])
def test_navigation_has_the_ledger_for_staff(login, personas, persona):
    items = login(personas[persona]).get(URL).context["nav_items"]
    assert any(item["url"] == URL and item["active"] for item in items)


def test_navigation_has_no_ledger_for_enterprise_users_and_experts(login, personas):
    for persona in ("enterprise_user", "expert"):
        items = login(personas[persona]).get(reverse("workbench:home")).context["nav_items"]
        assert URL not in {item["url"] for item in items}


@pytest.mark.parametrize("count", [2, 20])
def test_list_query_count_does_not_grow_with_rows(
    login, personas, settings, django_assert_max_num_queries, count
):
    settings.LIST_PAGE_SIZE = 50
    for i in range(count):
        enterprise = EnterpriseFactory()
        record_accident(
            personas.city_officer, enterprise, beijing(2025, 1, 1 + i % 28), serious_injuries=i % 3
        )
    client = login(personas.county_officer)
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"grade": "ordinary", "year": 2025})
    assert len(response.context["page_obj"]) == count
