from decimal import Decimal

import pytest
from django.urls import reverse

from standards.tests.factories import published_warehousing
from standards.tests.pages import PERSONAS, assert_to_login, draft_standard

URL = reverse("standards:list")


@pytest.mark.parametrize("persona", PERSONAS)
def test_list_access(login, personas, persona):
    response = login(personas[persona]).get(URL)
    if persona == "anonymous":
        assert_to_login(response)
    else:
        assert response.status_code == 200


def test_list_shows_counts_and_totals_from_the_items(login, personas):
    published_warehousing(personas.city_officer)
    response = login(personas.enterprise_user).get(URL)
    [standard] = response.context["page_obj"]
    assert (standard.code, standard.version, standard.item_count) == ("CCWL", 1, 164)
    assert standard.points_total == Decimal("1000")
    content = response.content.decode()
    assert "仓储物流" in content and "164" in content and "1000" in content


def test_drafts_are_listed_for_managers_only(login, personas):
    published_warehousing(personas.city_officer)
    draft_standard(personas.city_officer)
    manager = login(personas.city_chief).get(URL)
    assert sorted(s.code for s in manager.context["page_obj"]) == ["CCWL", "DRAFT"]
    other = login(personas.county_officer).get(URL)
    assert [s.code for s in other.context["page_obj"]] == ["CCWL"]
    assert "草稿标准" not in other.content.decode()


def test_upload_button_only_for_managers(login, personas):
    import_url = reverse("standards:import")
    assert import_url in login(personas.city_officer).get(URL).content.decode()
    assert import_url not in login(personas.expert).get(URL).content.decode()


def test_query_count_does_not_grow_with_standards(login, personas, django_assert_max_num_queries):
    client = login(personas.admin)
    published_warehousing(personas.city_officer)
    draft_standard(personas.city_officer, "D1")
    with django_assert_max_num_queries(9):  # +1: the unread-notification count in the top bar
        client.get(URL)
    for n in range(2, 8):
        draft_standard(personas.city_officer, f"D{n}")
    with django_assert_max_num_queries(9):  # +1: the unread-notification count in the top bar
        response = client.get(URL)
    assert len(response.context["page_obj"]) == 8


@pytest.mark.parametrize(
    ("persona", "standards_entry"),
    [
        ("admin", True),
        ("city_officer", True),
        ("city_chief", True),
        ("bureau_leader", True),
        ("county_officer", True),
        ("enterprise_user", True),
        ("expert", False),  # experts reach standards through their sheets
    ],
)
def test_navigation_entries(login, personas, persona, standards_entry):
    response = login(personas[persona]).get(reverse("standards:sheet_list"))
    entries = {item["url"]: item["active"] for item in response.context["nav_items"]}
    assert (URL in entries) == standards_entry
    assert entries[reverse("standards:sheet_list")] is True  # highlighted on the sheet pages
    if standards_entry:
        assert entries[URL] is False
        assert {i["url"] for i in login(personas[persona]).get(URL).context["nav_items"] if i["active"]} == {
            URL
        }
