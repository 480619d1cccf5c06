"""The dashboard page: who reaches it, what its cards and filters show, and its navigation entry."""

import json

import pytest
from django.urls import reverse

from accounts.tests.battery import assert_redirects_to_login
from dashboard.figures import BUILDERS

URL = reverse("dashboard:home")

ACCESS = [
    ("admin", 404),
    ("city_officer", 200),
    ("city_chief", 200),
    ("bureau_leader", 200),
    ("county_officer", 200),
    ("county_chief", 200),
    ("other_county_officer", 200),
    ("enterprise_user", 404),
    ("enterprise_principal", 404),
    ("expert", 404),
    ("anonymous", 302),
]


@pytest.mark.parametrize(("persona", "status"), ACCESS)
def test_page_access(login, personas, persona, status):
    response = login(personas[persona]).get(URL)
    assert response.status_code == status
    if persona == "anonymous":
        assert_redirects_to_login(response)


def test_page_is_get_only(login, personas):
    assert login(personas.city_officer).post(URL).status_code == 405


def test_page_has_a_card_chart_table_and_export_per_figure(login, personas, applications):
    response = login(personas.city_officer).get(URL)
    html = response.content.decode()
    for key in BUILDERS:
        assert f'data-testid="figure-{key}"' in html
        assert f'data-chart="{key}"' in html
        assert f'id="chart-data-{key}"' in html
        assert reverse("dashboard:export", args=[key]) in html
    assert "vendor/echarts-6.1.0/echarts.min.js" in html
    assert "dashboard/dashboard.js" in html
    figures = {f.key: f for f in response.context["figures"]}
    assert figures["pass_rate"].tables[0].rows == [[2, 1, 3, figures["pass_rate"].tables[0].rows[0][3]]]
    assert str(figures["pass_rate"].tables[0].rows[0][3]) == "66.7"


def test_chart_data_is_json_for_the_script(login, personas, applications):
    response = login(personas.city_officer).get(URL)
    figures = {f.key: f for f in response.context["figures"]}
    chart = figures["divisions"].chart
    assert chart["categories"][0] == "站前区"
    assert json.loads(json.dumps(chart)) == chart  # plain numbers, no Decimals


def test_county_officer_sees_only_his_division(login, personas, applications):
    county = {f.key: f for f in login(personas.county_officer).get(URL).context["figures"]}
    assert [row[0] for row in county["divisions"].tables[0].rows] == ["站前区"]
    assert county["pass_rate"].tables[0].rows[0][:3] == [1, 1, 2]
    other = {f.key: f for f in login(personas.other_county_officer).get(URL).context["figures"]}
    assert [row[0] for row in other["divisions"].tables[0].rows] == ["鲅鱼圈区"]
    assert other["pass_rate"].tables[0].rows[0][:3] == [1, 0, 1]


def test_division_filter_is_offered_to_city_roles_only(login, personas, applications):
    assert "division" in login(personas.city_officer).get(URL).context["form"].fields
    assert "division" in login(personas.bureau_leader).get(URL).context["form"].fields
    assert "division" not in login(personas.county_officer).get(URL).context["form"].fields


def test_filters_come_from_the_query_string(login, personas, applications):
    client = login(personas.city_officer)
    figures = {f.key: f for f in client.get(URL, {"division": "210804"}).context["figures"]}
    assert figures["pass_rate"].tables[0].rows[0][:3] == [1, 0, 1]
    figures = {f.key: f for f in client.get(URL, {"year": "2025"}).context["figures"]}
    assert figures["pass_rate"].tables[0].rows[0][:3] == [1, 1, 2]
    figures = {f.key: f for f in client.get(URL, {"industry": "commerce_trade"}).context["figures"]}
    assert figures["pass_rate"].tables[0].rows[0][:3] == [0, 1, 1]
    # Export links carry the filters.
    html = client.get(URL, {"year": "2025"}).content.decode()
    assert reverse("dashboard:export", args=["pass_rate"]) + "?year=2025" in html


def test_invalid_filters_are_ignored(login, personas, applications):
    figures = {
        f.key: f
        for f in login(personas.city_officer)
        .get(URL, {"year": "abc", "division": "999999", "industry": "x"})
        .context["figures"]
    }
    assert figures["pass_rate"].tables[0].rows[0][:3] == [2, 1, 3]


def test_county_officer_cannot_pick_another_division(login, personas, applications):
    figures = {
        f.key: f for f in login(personas.county_officer).get(URL, {"division": "210804"}).context["figures"]
    }
    assert figures["pass_rate"].tables[0].rows[0][:3] == [1, 1, 2]  # the field is not there: ignored


def test_before_after_card_shows_the_sample_and_a_dash_without_base(login, personas, certified):
    response = login(personas.other_county_officer).get(URL)
    figure = {f.key: f for f in response.context["figures"]}["before_after"]
    totals, sample, per_enterprise = figure.tables
    assert totals.rows[1][1:] == [0, 1, "—"]  # deaths: none before, one after: no percentage
    assert sample.rows == [[2, 0]]
    assert len(per_enterprise.rows) == 2


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("city_officer", True),
        ("city_chief", True),
        ("bureau_leader", True),
        ("county_officer", True),
        ("county_chief", True),
        ("admin", False),
        ("enterprise_user", False),
        ("expert", False),
    ],
)
def test_navigation_entry(login, personas, persona, shown):
    items = login(personas[persona]).get(reverse("workbench:home")).context["nav_items"]
    assert (URL in {item["url"] for item in items}) == shown


def test_navigation_entry_is_highlighted_on_the_page(login, personas):
    items = login(personas.city_officer).get(URL).context["nav_items"]
    assert [item["url"] for item in items if item["active"]] == [URL]
