"""The pool list (filters, search, pages with a fixed query count) and its Excel export."""

import pytest
from django.urls import reverse

from accounts.tests.factories import region
from experts.exports import COLUMNS
from experts.tests.conftest import TARGET_ID, open_xlsx
from experts.tests.factories import ExpertFactory

URL = reverse("experts:list")
EXPORT = reverse("experts:export")


def _names(response) -> list[str]:
    return [e.name for e in response.context["page_obj"]]


@pytest.fixture
def pool(db):
    return [
        ExpertFactory(
            name="张三军",
            employer="营口示例冶金设计院",
            specialties=["process_technology"],
            industries=["metallurgy"],
            skills=["metallurgical_gas"],
            region=region("站前区"),
            can_lead=True,
        ),
        ExpertFactory(
            name="李四",
            specialties=["safety_management", "fire"],
            industries=["machinery", "light_industry"],
            skills=["dust_explosion"],
            region=region("鲅鱼圈区"),
            status="suspended",
        ),
        ExpertFactory(
            name="王五", specialties=["equipment_facilities"], industries=["commerce_trade"], status="exited"
        ),
    ]


def test_filters_and_search(login, personas, pool):
    client = login(personas.city_officer)
    assert _names(client.get(URL)) == ["张三军", "李四", "王五"]  # ordered by name (code point)
    assert _names(client.get(URL, {"status": "suspended"})) == ["李四"]
    assert _names(client.get(URL, {"specialty": "fire"})) == ["李四"]
    assert _names(client.get(URL, {"specialty": "safety_management"})) == ["李四"]
    assert _names(client.get(URL, {"industry": "metallurgy"})) == ["张三军"]
    assert _names(client.get(URL, {"skill": "dust_explosion"})) == ["李四"]
    assert _names(client.get(URL, {"region": region("鲅鱼圈区").pk})) == ["李四"]
    assert _names(client.get(URL, {"can_lead": "yes"})) == ["张三军"]
    assert _names(client.get(URL, {"can_lead": "no"})) == ["李四", "王五"]
    assert _names(client.get(URL, {"q": "zsj"})) == ["张三军"]  # pinyin initials
    assert _names(client.get(URL, {"q": "lisi"})) == ["李四"]  # full pinyin
    assert _names(client.get(URL, {"q": "冶金设计"})) == ["张三军"]  # employer
    assert _names(client.get(URL, {"specialty": "astrology"})) == ["张三军", "李四", "王五"]  # ignored


def test_htmx_gets_the_table_fragment(login, personas, pool):
    response = login(personas.city_officer).get(URL, headers={"HX-Request": "true"})
    assert response.templates[0].name == "experts/_list_table.html"


@pytest.mark.parametrize("rows", [2, 20])
def test_list_query_count_does_not_grow_with_rows(
    login, personas, settings, django_assert_max_num_queries, rows
):
    settings.LIST_PAGE_SIZE = 25
    ExpertFactory.create_batch(rows, region=region("站前区"))
    client = login(personas.city_officer)
    client.get(URL)  # warm the session
    with django_assert_max_num_queries(10):
        response = client.get(URL)
    assert len(response.context["page_obj"]) == rows


@pytest.mark.parametrize("rows", [2, 20])
def test_export_query_count_does_not_grow_with_rows(login, personas, django_assert_max_num_queries, rows):
    ExpertFactory.create_batch(rows, region=region("站前区"))
    client = login(personas.city_officer)
    client.get(URL)
    with django_assert_max_num_queries(6):
        response = client.get(EXPORT)
    assert open_xlsx(response.content).active.max_row == rows + 1


def test_export_columns_values_and_masked_id(login, personas, target):
    response = login(personas.city_officer).get(EXPORT)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = open_xlsx(response.content).active
    headers = [c.value for c in sheet[1]]
    assert headers == [str(c.label) for c in COLUMNS]
    row = dict(zip([c.key for c in COLUMNS], [c.value for c in sheet[2]], strict=True))
    assert row["name"] == "王目标"
    assert row["id_number"] == target.masked_id_number
    assert row["phone"] == "13811112222"
    assert row["region"] == "站前区"
    assert row["years_of_experience"] == 12
    assert row["specialties"].count("、") == 1
    content = response.content.decode("latin-1")
    assert TARGET_ID not in content


def test_export_follows_the_filters_and_the_scope(login, personas, pool):
    sheet = open_xlsx(login(personas.city_officer).get(EXPORT, {"status": "active"}).content).active
    assert [r[0].value for r in sheet.iter_rows(min_row=2)] == ["张三军"]
    assert login(personas.county_officer).get(EXPORT).status_code == 404
