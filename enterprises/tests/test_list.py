import pytest
from django.urls import reverse

from accounts.tests.factories import region
from enterprises.models import Enterprise, RiskTag
from enterprises.tests.factories import EnterpriseFactory

URL = reverse("enterprises:list")


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
        ("enterprise_user", 200),
        ("expert", 200),
        ("anonymous", 302),  # to login
    ],
)
def test_list_access(login, personas, persona, status):
    response = login(personas[persona]).get(URL)
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("accounts:login"))


def _names(response) -> list[str]:
    return [e.name for e in response.context["page_obj"]]


def test_county_officer_sees_only_his_division(login, personas, zhanqian_enterprise, bayuquan_enterprise):
    response = login(personas.county_officer).get(URL)
    assert _names(response) == ["营口钢铁有限公司"]
    assert "鲅鱼圈港口机械有限公司" not in response.content.decode()


def test_city_officer_sees_every_division(login, personas, zhanqian_enterprise, bayuquan_enterprise):
    response = login(personas.city_officer).get(URL)
    assert set(_names(response)) == {"营口钢铁有限公司", "鲅鱼圈港口机械有限公司"}


def test_expert_sees_an_empty_list(login, personas, zhanqian_enterprise, bayuquan_enterprise):
    response = login(personas.expert).get(URL)
    assert _names(response) == []
    assert "营口钢铁有限公司" not in response.content.decode()


def test_enterprise_user_sees_only_his_enterprise(login, personas, zhanqian_enterprise):
    response = login(personas.enterprise_user).get(URL)
    assert _names(response) == [personas.enterprise.name]


@pytest.mark.parametrize("q", ["ykgt", "YKGT", "yingkougangtie", "钢铁", "营钢"])
def test_search_by_pinyin_initials_name_and_short_name(login, personas, zhanqian_enterprise, q):
    EnterpriseFactory(name="营口造纸有限公司", gb4754_code="2221", industry="light_industry")
    response = login(personas.county_officer).get(URL, {"q": q})
    assert _names(response) == ["营口钢铁有限公司"]


def test_search_by_uscc_prefix(login, personas, zhanqian_enterprise):
    EnterpriseFactory(name="营口造纸有限公司")
    response = login(personas.county_officer).get(URL, {"q": zhanqian_enterprise.uscc[:17].lower()})
    assert _names(response) == ["营口钢铁有限公司"]


def test_filters_by_industry_status_and_risk_tag(login, personas, zhanqian_enterprise):
    paper = EnterpriseFactory(name="营口造纸有限公司", gb4754_code="2221", industry="light_industry")
    paper.risk_tags.set([RiskTag.objects.get(code="dust_explosion")])
    EnterpriseFactory(name="营口停产机械有限公司", status=Enterprise.Status.SUSPENDED)
    client = login(personas.county_officer)
    assert _names(client.get(URL, {"industry": "metallurgy"})) == ["营口钢铁有限公司"]
    assert _names(client.get(URL, {"risk_tag": "dust_explosion"})) == ["营口造纸有限公司"]
    assert _names(client.get(URL, {"status": "suspended"})) == ["营口停产机械有限公司"]


def test_division_filter_and_choices_follow_the_scope(
    login, personas, zhanqian_enterprise, bayuquan_enterprise
):
    city = login(personas.city_officer)
    assert _names(city.get(URL, {"region": region("鲅鱼圈区").pk})) == ["鲅鱼圈港口机械有限公司"]
    county = login(personas.county_officer)
    response = county.get(URL, {"region": region("鲅鱼圈区").pk})
    # Another county's division is not a choice: the filter is ignored, the scope still holds.
    assert [r.name for r in response.context["form"].fields["region"].queryset] == ["站前区"]
    assert _names(response) == ["营口钢铁有限公司"]


def test_htmx_request_gets_only_the_table_fragment(login, personas, zhanqian_enterprise):
    response = login(personas.county_officer).get(URL, {"q": "ykgt"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert [t.name for t in response.templates][0] == "enterprises/_list_table.html"
    assert 'id="enterprise-results"' in html
    assert "<html" not in html
    assert "营口钢铁有限公司" in html


def test_full_page_has_filter_form_wired_for_htmx_and_plain_get(login, personas):
    html = login(personas.county_officer).get(URL).content.decode()
    assert 'method="get"' in html
    assert 'hx-get="/enterprises/"' in html
    assert 'hx-push-url="true"' in html
    assert 'hx-target="#enterprise-results"' in html


def test_export_link_carries_the_filters_but_not_the_page(login, personas, zhanqian_enterprise):
    html = login(personas.county_officer).get(URL, {"industry": "metallurgy", "page": "1"}).content.decode()
    assert f'href="{reverse("enterprises:export")}?industry=metallurgy"' in html


def test_create_and_import_buttons_only_for_editors(login, personas):
    assert 'data-testid="enterprise-create"' in login(personas.county_officer).get(URL).content.decode()
    leader_html = login(personas.bureau_leader).get(URL).content.decode()
    assert 'data-testid="enterprise-create"' not in leader_html
    assert 'data-testid="enterprise-import"' not in leader_html
    assert 'data-testid="enterprise-export"' in leader_html


def test_paginates_on_the_server(login, personas, settings):
    settings.LIST_PAGE_SIZE = 2
    EnterpriseFactory.create_batch(5)
    client = login(personas.county_officer)
    first = client.get(URL)
    assert len(first.context["page_obj"]) == 2
    assert first.context["page_obj"].paginator.num_pages == 3
    last = client.get(URL, {"page": 3})
    assert len(last.context["page_obj"]) == 1


@pytest.mark.parametrize("count", [2, 30])
def test_list_query_count_does_not_grow_with_rows(
    login, personas, settings, django_assert_max_num_queries, count
):
    settings.LIST_PAGE_SIZE = 50
    tags = list(RiskTag.objects.all()[:2])
    for enterprise in EnterpriseFactory.create_batch(count):
        enterprise.risk_tags.set(tags)
    client = login(personas.county_officer)
    with django_assert_max_num_queries(13):  # +1: the unread-notification count in the top bar
        response = client.get(URL)
    assert len(response.context["page_obj"]) == count
