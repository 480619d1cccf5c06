import pytest
from django.urls import reverse

from standards.tests.pages import PERSONAS, assert_to_login, preview_sheet, score_items

URL = reverse("standards:sheet_list")


@pytest.mark.parametrize("persona", PERSONAS)
def test_list_access(login, personas, persona):
    response = login(personas[persona]).get(URL)
    if persona == "anonymous":
        assert_to_login(response)
    else:
        assert response.status_code == 200


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("enterprise_user", True),  # the author
        ("city_officer", True),
        ("city_chief", True),
        ("admin", True),
        ("bureau_leader", True),
        ("county_officer", False),
        ("other_county_officer", False),
        ("expert", False),
    ],
)
def test_my_sheets_and_the_city_sees_all(login, personas, persona, sees):
    sheet = preview_sheet(personas)
    response = login(personas[persona]).get(URL)
    assert (sheet in response.context["page_obj"]) == sees
    assert (reverse("standards:sheet_detail", args=[sheet.pk]) in response.content.decode()) == sees


def test_the_list_shows_progress(login, personas):
    sheet = preview_sheet(personas)
    score_items(personas.enterprise_user, sheet, 3)
    [row] = login(personas.enterprise_user).get(URL).context["page_obj"]
    assert row.scored_count == 3


def test_query_count_does_not_grow_with_sheets(login, personas, django_assert_max_num_queries):
    client = login(personas.city_officer)
    for _ in range(2):
        preview_sheet(personas)
    with django_assert_max_num_queries(9):  # +1: the unread-notification count in the top bar
        client.get(URL)
    for _ in range(18):
        preview_sheet(personas, author="county_officer")
    with django_assert_max_num_queries(9):  # +1: the unread-notification count in the top bar
        response = client.get(URL)
    assert len(response.context["page_obj"]) == 20
