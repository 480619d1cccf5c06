"""Export in the exchange format; export → upload → export gives the same content."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from standards.formats import write_standard
from standards.models import ScoringStandard
from standards.selectors import standard_parsed
from standards.tests.factories import published_warehousing
from standards.tests.pages import MANAGERS, PERSONAS, assert_to_login, battery, draft_standard

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize("name", ["standards:export", "standards:export_csv"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_a_published_standard_is_exported_for_everyone(login, personas, persona, name):
    standard = published_warehousing(personas.city_officer)
    response = login(personas[persona]).get(reverse(name, args=[standard.pk]))
    if persona == "anonymous":
        assert_to_login(response)
    else:
        assert response.status_code == 200
        assert "CCWL-v1" in response["Content-Disposition"]


@pytest.mark.parametrize("name", ["standards:export", "standards:export_csv"])
@pytest.mark.parametrize(("persona", "status"), battery(200, allowed=MANAGERS, outsider=404))
def test_a_draft_is_exported_for_managers_only(login, personas, persona, status, name):
    draft = draft_standard(personas.city_officer)
    assert login(personas[persona]).get(reverse(name, args=[draft.pk])).status_code == status


def _workbook_values(content: bytes) -> dict[str, list[tuple]]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in workbook.worksheets}


def _with_optional_columns(standard: ScoringStandard) -> ScoringStandard:
    """Exercise the optional columns and awkward text: veto, guidance, line breaks, a leading "=" ."""
    standard.items.filter(code="6.1.5").update(is_veto=True, guidance="查看检测报告")
    standard.items.filter(code="1.1.1").update(
        requirement="=建立制度\n第二行", method_text="-未建立的，不得分"
    )
    return standard


def test_xlsx_has_the_two_sheets_in_the_exchange_columns(login, personas):
    standard = published_warehousing(personas.city_officer)
    response = login(personas.city_officer).get(reverse("standards:export", args=[standard.pk]))
    assert response["Content-Type"] == XLSX
    sheets = _workbook_values(response.content)
    assert list(sheets) == ["elements", "items"]
    assert sheets["elements"][0] == ("element_no", "element", "points")
    assert sheets["elements"][1] == (1, "安全生产目标", 10)
    assert sheets["items"][0][:8] == (
        "element_no",
        "element",
        "subelement_no",
        "subelement",
        "item_no",
        "requirement",
        "points",
        "method",
    )
    assert len(sheets["items"]) == 1 + standard.items.count()


def test_xlsx_round_trip(login, personas):
    v1 = _with_optional_columns(published_warehousing(personas.city_officer))
    client = login(personas.city_officer)
    first = client.get(reverse("standards:export", args=[v1.pk])).content
    response = client.post(
        reverse("standards:import"),
        {
            "workbook": SimpleUploadedFile("CCWL.xlsx", first, content_type=XLSX),
            "code": "CCWL",
            "name": "仓储物流",
        },
    )
    v2 = ScoringStandard.objects.get(code="CCWL", version=2)
    assert response.status_code == 302 and response["Location"] == reverse("standards:detail", args=[v2.pk])
    second = client.get(reverse("standards:export", args=[v2.pk])).content
    assert _workbook_values(first) == _workbook_values(second)
    assert write_standard(standard_parsed(v1)) == write_standard(standard_parsed(v2))
    assert (
        v2.items.get(code="6.1.5").is_veto and v2.items.get(code="1.1.1").requirement == "=建立制度\n第二行"
    )


def test_csv_zip_round_trip(login, personas):
    v1 = _with_optional_columns(published_warehousing(personas.city_officer))
    client = login(personas.admin)
    first = client.get(reverse("standards:export_csv", args=[v1.pk]))
    assert first["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(first.content))
    assert sorted(archive.namelist()) == ["elements.csv", "items.csv"]
    files = {name: archive.read(name) for name in archive.namelist()}
    client.post(
        reverse("standards:import"),
        {
            "elements_csv": SimpleUploadedFile("elements.csv", files["elements.csv"]),
            "items_csv": SimpleUploadedFile("items.csv", files["items.csv"]),
            "code": "CCWL",
            "name": "仓储物流",
        },
    )
    v2 = ScoringStandard.objects.get(code="CCWL", version=2)
    second = zipfile.ZipFile(io.BytesIO(client.get(reverse("standards:export_csv", args=[v2.pk])).content))
    assert {name: second.read(name) for name in second.namelist()} == files
    assert files["items.csv"].decode("utf-8").splitlines()[0].endswith("guidance,is_veto")
