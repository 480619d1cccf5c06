"""Uploading an exported sheet into a draft sheet: all or nothing, errors by item code."""

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from standards.models import SheetItem
from standards.selectors import sheet_result
from standards.services import DeductionIn, EntryIn, sheet_entries_save, sheet_submit
from standards.tests.pages import preview_sheet, score_items, sheet_battery

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _url(sheet) -> str:
    return reverse("standards:sheet_import", args=[sheet.pk])


def _json_file(document: dict) -> SimpleUploadedFile:
    return SimpleUploadedFile("sheet.json", json.dumps(document).encode(), content_type="application/json")


@pytest.mark.parametrize(("persona", "status"), sheet_battery(200, editors_only=True))
def test_import_page_access(login, personas, persona, status):
    sheet = preview_sheet(personas)
    assert login(personas[persona]).get(_url(sheet)).status_code == status


def test_the_city_cannot_upload(login, personas):
    sheet = preview_sheet(personas)
    source = preview_sheet(personas)
    score_items(personas.enterprise_user, source, 2)
    document = (
        login(personas.city_officer).get(reverse("standards:sheet_export_json", args=[source.pk])).json()
    )
    assert login(personas.city_officer).post(_url(sheet), {"file": _json_file(document)}).status_code == 403
    assert not SheetItem.objects.filter(sheet=sheet).exists()


@pytest.mark.parametrize(
    ("name", "extension"), [("standards:sheet_export_json", "json"), ("standards:sheet_export_xlsx", "xlsx")]
)
def test_export_then_import_gives_the_same_result(login, personas, name, extension):
    source, target = preview_sheet(personas), preview_sheet(personas)
    score_items(personas.enterprise_user, source, 5)
    sheet_entries_save(
        actor=personas.enterprise_user,
        sheet=source,
        entries=[EntryIn("9.3.1", applicable=False, na_reason="无重大危险源")],
    )
    sheet_entries_save(  # the import replaces what the target had
        actor=personas.enterprise_user,
        sheet=target,
        entries=[EntryIn("13.1.1", deductions=(DeductionIn("2", "旧记录"),))],
    )
    client = login(personas.enterprise_user)
    content = client.get(reverse(name, args=[source.pk])).content
    upload = SimpleUploadedFile(f"sheet.{extension}", content)
    response = client.post(_url(target), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("standards:sheet_detail", args=[target.pk])
    assert sheet_result(target).items == sheet_result(source).items
    assert sheet_result(target).percentage == sheet_result(source).percentage


def _document(*items) -> dict:
    return {"format": "anbiao.score-sheet", "standard": {"code": "CCWL", "version": 1}, "items": list(items)}


@pytest.mark.parametrize(
    ("items", "codes"),
    [
        # Numbers are checked while reading the file…
        (
            [
                {"code": "2.1.1", "deductions": [{"points": "1.25", "reason": "过精"}]},
                {"code": "2.1.2", "deductions": [{"points": "-1", "reason": "负数"}]},
                {"code": "2.1.3", "deductions": [{"points": "1", "reason": "正常"}]},
            ],
            {"2.1.1", "2.1.2"},
        ),
        # …the rest by the service, as on the page.
        (
            [
                {
                    "code": "2.1.2",
                    "applicable": False,
                    "na_reason": "不涉及",
                    "deductions": [{"points": "1", "reason": "x"}],
                },
                {"code": "99.1.1"},
                {"code": "2.1.3", "deductions": [{"points": "1", "reason": "正常"}]},
            ],
            {"2.1.2", "99.1.1"},
        ),
    ],
)
def test_bad_entries_are_listed_by_code_and_nothing_changes(login, personas, items, codes):
    sheet = preview_sheet(personas)
    sheet_entries_save(
        actor=personas.enterprise_user,
        sheet=sheet,
        entries=[EntryIn("1.1.1", deductions=(DeductionIn("1", "原有"),))],
    )
    response = login(personas.enterprise_user).post(_url(sheet), {"file": _json_file(_document(*items))})
    assert response.status_code == 200
    assert {code for code, _message in response.context["import_errors"]} == codes
    assert response.content.decode().count('data-testid="import-error"') == len(
        response.context["import_errors"]
    )
    assert list(SheetItem.objects.filter(sheet=sheet).values_list("item__code", flat=True)) == ["1.1.1"]
    assert sheet_result(sheet).earned == Decimal("999")


def test_a_file_of_another_version_is_refused(login, personas):
    sheet = preview_sheet(personas)
    document = {"format": "anbiao.score-sheet", "standard": {"code": "CCWL", "version": 2}, "items": []}
    response = login(personas.enterprise_user).post(_url(sheet), {"file": _json_file(document)})
    [(code, message)] = response.context["import_errors"]
    assert code == "" and "CCWL v2" in message


def test_a_submitted_sheet_takes_no_upload(login, personas):
    sheet = preview_sheet(personas)
    sheet_submit(actor=personas.enterprise_user, sheet=sheet)
    document = {"format": "anbiao.score-sheet", "standard": {"code": "CCWL", "version": 1}, "items": []}
    response = login(personas.enterprise_user).post(_url(sheet), {"file": _json_file(document)})
    assert response.status_code == 200 and response.context["import_errors"]


def test_only_json_and_xlsx_are_accepted(login, personas):
    sheet = preview_sheet(personas)
    upload = SimpleUploadedFile("sheet.csv", b"code\n1.1.1\n")
    response = login(personas.enterprise_user).post(_url(sheet), {"file": upload})
    assert response.context["form"].errors["file"]
    bad_json = SimpleUploadedFile("sheet.json", b"{not json")
    response = login(personas.enterprise_user).post(_url(sheet), {"file": bad_json})
    assert response.context["import_errors"]
