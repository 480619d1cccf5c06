"""Saving one item from the scoring page: the row and, out of band, the totals come back."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from standards.models import SheetDeduction, SheetItem
from standards.selectors import sheet_result
from standards.services import sheet_submit
from standards.tests.pages import preview_sheet, sheet_battery

HTMX = {"HX-Request": "true"}


def _url(sheet, code: str = "2.1.1") -> str:
    return reverse("standards:sheet_item_save", args=[sheet.pk, code])


def _zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return gettext(msgid)


@pytest.mark.parametrize(("persona", "status"), sheet_battery(200, editors_only=True))
def test_save_access(login, personas, persona, status):
    sheet = preview_sheet(personas)
    response = login(personas[persona]).post(
        _url(sheet), {"d-0-points": "1", "d-0-reason": "缺记录"}, headers=HTMX
    )
    assert response.status_code == status
    assert SheetItem.objects.filter(sheet=sheet).exists() == (status == 200)


def test_get_is_not_allowed(login, personas):
    sheet = preview_sheet(personas)
    assert login(personas.enterprise_user).get(_url(sheet)).status_code == 405


def test_deducting_4_on_2_1_1_updates_the_totals(login, personas):
    sheet = preview_sheet(personas)
    response = login(personas.enterprise_user).post(
        _url(sheet),
        {
            "d-0-points": "3",
            "d-0-reason": "未任命",
            "d-0-hazard": "1",
            "d-1-points": "1",
            "d-1-reason": "无文件",
            "description": "查阅文件",
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert (result.earned, result.denominator, result.percentage) == (
        Decimal("996"),
        Decimal("1000"),
        Decimal("99.6"),
    )
    assert response.context["row"].state == "deducted"
    content = response.content.decode()
    # The row, and out of band the element and sub-element subtotals and the summary.
    assert content.startswith('<article id="item-2-1-1"')
    for oob in (
        'id="element-total-2"',
        'id="sub-total-2-1"',
        'id="sheet-summary"',
        'id="sheet-scorebar"',
        'id="sheet-filters"',
    ):
        assert oob in content
    assert content.count('hx-swap-oob="true"') == 5
    assert 'data-testid="percentage">99.6<' in content and 'data-testid="earned">996<' in content
    element = response.context["element"].group
    assert (element.applicable_points, element.earned, element.rate) == (
        Decimal("20"),
        Decimal("16"),
        Decimal("80.0"),
    )
    entry = SheetItem.objects.get(sheet=sheet, item__code="2.1.1")
    assert entry.description == "查阅文件"
    assert list(entry.deductions.values_list("points", "reason", "is_hazard")) == [
        (Decimal("3"), "未任命", True),
        (Decimal("1"), "无文件", False),
    ]


def test_saving_again_replaces_the_item(login, personas):
    sheet = preview_sheet(personas)
    client = login(personas.enterprise_user)
    client.post(_url(sheet), {"d-0-points": "4", "d-0-reason": "a"}, headers=HTMX)
    response = client.post(_url(sheet), {"not_applicable": "on", "na_reason": "无此岗位"}, headers=HTMX)
    result = response.context["result"]
    assert (result.earned, result.denominator, result.percentage) == (
        Decimal("996"),
        Decimal("996"),
        Decimal("100.0"),
    )
    assert not SheetDeduction.objects.exists()
    assert response.context["row"].state == "na"


def test_extra_deduction_is_taken_within_the_element(login, personas):
    sheet = preview_sheet(personas)
    response = login(personas.enterprise_user).post(
        _url(sheet),
        {"d-0-points": "4", "d-0-reason": "未任命", "extra_deduction": "10", "extra_reason": "扣满4分"},
        headers=HTMX,
    )
    assert response.context["element"].group.earned == Decimal("6")
    assert response.context["result"].earned == Decimal("986")


@pytest.mark.parametrize(
    ("data", "msgid"),
    [
        ({"d-0-points": "1.25", "d-0-reason": "过精"}, "%(what)s may have at most one decimal place."),
        ({"d-0-points": "-1", "d-0-reason": "负数"}, "%(what)s cannot be negative."),
        ({"d-0-points": "abc", "d-0-reason": "非数字"}, "%(what)s must be a number."),
        (
            {"not_applicable": "on", "na_reason": "不涉及", "d-0-points": "1", "d-0-reason": "x"},
            "An item marked not applicable cannot have deductions.",
        ),
        ({"not_applicable": "on"}, "Give the reason why the item does not apply."),
        ({"d-0-points": "1"}, "Give the reason for each deduction."),
        ({"extra_deduction": "10"}, "Give the reason for the extra deduction."),
    ],
)
def test_invalid_input_shows_the_error_keeps_the_input_and_saves_nothing(login, personas, data, msgid):
    sheet = preview_sheet(personas)
    response = login(personas.enterprise_user).post(_url(sheet), data, headers=HTMX)
    assert response.status_code == 200
    content = response.content.decode()
    expected = _zh(msgid).split("%(what)s")[-1]  # the part after the number's name
    assert 'data-testid="item-errors"' in content and expected in content
    assert 'data-testid="item-form"' in content
    for value in data.values():
        if value != "on":
            assert f'value="{value}"' in content
    assert "hx-swap-oob" not in content  # nothing changed, so no totals
    assert not SheetItem.objects.filter(sheet=sheet).exists()
    assert sheet_result(sheet).percentage == Decimal("100.0")


def test_a_submitted_sheet_refuses_saves(login, personas):
    sheet = preview_sheet(personas)
    sheet_submit(actor=personas.enterprise_user, sheet=sheet)
    response = login(personas.enterprise_user).post(
        _url(sheet), {"d-0-points": "1", "d-0-reason": "x"}, headers=HTMX
    )
    assert _zh("This sheet has been submitted and can no longer be changed.") in response.content.decode()
    assert not SheetItem.objects.exists()


def test_an_unknown_item_is_404(login, personas):
    sheet = preview_sheet(personas)
    response = login(personas.enterprise_user).post(_url(sheet, "99.9.9"), {}, headers=HTMX)
    assert response.status_code == 404


def test_without_htmx_a_save_redirects_to_the_item(login, personas):
    sheet = preview_sheet(personas)
    response = login(personas.enterprise_user).post(_url(sheet), {"d-0-points": "1", "d-0-reason": "x"})
    assert response.status_code == 302
    assert response["Location"] == reverse("standards:sheet_detail", args=[sheet.pk]) + "#item-2-1-1"


def test_without_htmx_an_error_shows_the_page_with_the_editor_open(login, personas):
    sheet = preview_sheet(personas)
    response = login(personas.enterprise_user).post(_url(sheet), {"d-0-points": "-1", "d-0-reason": "x"})
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('data-testid="item-form"') == 1 and 'data-testid="item-errors"' in content
    assert '<details class="card mb-2 sheet-element" data-element="2" open>' in content
