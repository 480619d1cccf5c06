"""The scoring page: the tree with each item's state, the summary, and a query count independent of size."""

from decimal import Decimal

import pytest
from django.urls import reverse

from standards.services import DeductionIn, EntryIn, sheet_entries_save, sheet_submit
from standards.tests.pages import preview_sheet, score_items, sheet_battery


def _url(sheet) -> str:
    return reverse("standards:sheet_detail", args=[sheet.pk])


@pytest.mark.parametrize(("persona", "status"), sheet_battery(200, editors_only=False))
def test_sheet_detail_access(login, personas, persona, status):
    sheet = preview_sheet(personas)
    assert login(personas[persona]).get(_url(sheet)).status_code == status


def test_page_shows_every_item_with_its_state(login, personas):
    sheet = preview_sheet(personas)
    sheet_entries_save(
        actor=personas.enterprise_user,
        sheet=sheet,
        entries=[
            EntryIn("2.1.1", deductions=(DeductionIn("4", "未任命安全管理人员", is_hazard=True),)),
            EntryIn("9.3.1", applicable=False, na_reason="无重大危险源"),
            EntryIn("1.1.1"),
        ],
    )
    response = login(personas.enterprise_user).get(_url(sheet))
    page = response.context["page"]
    rows = {row.item.code: row for e in page.elements for s in e.subelements for row in s.items}
    assert len(rows) == 164
    assert (rows["2.1.1"].state, rows["9.3.1"].state, rows["1.1.1"].state, rows["1.1.2"].state) == (
        "deducted",
        "na",
        "full",
        "unscored",
    )
    assert page.counts == {
        "all": 164,
        "veto": 0,
        "unscored": 161,
        "full": 1,
        "deducted": 1,
        "na": 1,
        "scored": 3,
    }
    content = response.content.decode()
    assert content.count('data-testid="sheet-item"') == 164
    assert "未任命安全管理人员" in content and "无重大危险源" in content
    assert (
        'id="item-2-1-1"' in content and 'id="element-total-2"' in content and 'id="sub-total-2-1"' in content
    )
    result = response.context["result"]
    assert result.earned == Decimal("986") and result.denominator == Decimal("990")
    assert result.percentage == Decimal("99.6")
    for line in result.explanation:
        assert line.strip() in content


def test_the_author_gets_editors_and_the_city_reads_only(login, personas):
    sheet = preview_sheet(personas)
    save = reverse("standards:sheet_item", args=[sheet.pk, "1.1.1"]) + "?edit=1"
    assert save in login(personas.enterprise_user).get(_url(sheet)).content.decode()
    city = login(personas.city_officer).get(_url(sheet))
    assert city.context["can_edit"] is False
    assert save not in city.content.decode()
    assert reverse("standards:sheet_submit", args=[sheet.pk]) not in city.content.decode()


def test_a_submitted_sheet_is_read_only(login, personas):
    sheet = preview_sheet(personas)
    sheet_submit(actor=personas.enterprise_user, sheet=sheet)
    response = login(personas.enterprise_user).get(_url(sheet))
    assert response.context["can_edit"] is False
    assert 'data-testid="item-edit"' not in response.content.decode()


def test_query_count_is_the_same_for_2_and_60_scored_items(login, personas, django_assert_max_num_queries):
    small, large = preview_sheet(personas), preview_sheet(personas)
    score_items(personas.enterprise_user, small, 2)
    score_items(personas.enterprise_user, large, 60)
    client = login(personas.enterprise_user)
    client.get(_url(small))  # the engine's view of a published version is built once per process
    with django_assert_max_num_queries(12) as small_queries:
        client.get(_url(small))
    with django_assert_max_num_queries(12) as large_queries:
        response = client.get(_url(large))
    assert len(small_queries) == len(large_queries)
    assert response.context["page"].counts["deducted"] == 60
