import pytest
from django.urls import reverse

from standards.tests.factories import published_warehousing
from standards.tests.pages import MANAGERS, PERSONAS, assert_to_login, battery, draft_standard


def _url(standard) -> str:
    return reverse("standards:detail", args=[standard.pk])


@pytest.mark.parametrize("persona", PERSONAS)
def test_published_standard_is_readable_by_everyone(login, personas, persona):
    response = login(personas[persona]).get(_url(published_warehousing(personas.city_officer)))
    if persona == "anonymous":
        assert_to_login(response)
    else:
        assert response.status_code == 200


@pytest.mark.parametrize(("persona", "status"), battery(200, allowed=MANAGERS, outsider=404))
def test_a_draft_is_hidden_from_non_managers(login, personas, persona, status):
    response = login(personas[persona]).get(_url(draft_standard(personas.city_officer)))
    assert response.status_code == status


def test_the_tree_shows_items_by_element_with_subtotals(login, personas):
    standard = published_warehousing(personas.city_officer)
    response = login(personas.enterprise_user).get(_url(standard))
    tree = response.context["tree"]
    assert [node.element.no for node in tree] == list(range(1, 14))
    assert sum(len(s.items) for n in tree for s in n.subelements) == response.context["item_count"] == 164
    element6 = tree[5]
    assert element6.element.points == 220
    assert sum(i.points for s in element6.subelements for i in s.items) == 220
    content = response.content.decode()
    item = standard.items.get(code="2.1.1")
    assert item.requirement.splitlines()[0] in content
    assert "220" in content and "90" in content and "75" in content  # subtotal and thresholds


def test_line_breaks_in_requirements_are_kept(login, personas):
    standard = published_warehousing(personas.city_officer)
    standard.items.filter(code="1.1.1").update(requirement="第一行\n第二行")
    content = login(personas.expert).get(_url(standard)).content.decode()
    assert "第一行<br>第二行" in content


def test_managers_get_publish_on_drafts_and_retire_on_published(login, personas):
    draft = draft_standard(personas.city_officer)
    published = published_warehousing(personas.city_officer)
    client = login(personas.city_officer)
    draft_page = client.get(_url(draft)).content.decode()
    assert reverse("standards:publish", args=[draft.pk]) in draft_page
    published_page = client.get(_url(published)).content.decode()
    assert reverse("standards:retire", args=[published.pk]) in published_page
    assert reverse("standards:publish", args=[published.pk]) not in published_page
    others = login(personas.county_officer).get(_url(published)).content.decode()
    assert reverse("standards:retire", args=[published.pk]) not in others
