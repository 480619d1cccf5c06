"""Uploading a standard: every format problem by file, row and column; a good upload is a draft."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from audit.models import AuditEvent
from standards.formats import BUNDLED_STANDARDS
from standards.models import ScoringStandard
from standards.tests.pages import MANAGERS, battery

URL = reverse("standards:import")
DATA = BUNDLED_STANDARDS / "warehousing-logistics"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv(name: str, text: str | None = None, encoding: str = "utf-8") -> SimpleUploadedFile:
    text = text if text is not None else (DATA / name).read_text(encoding="utf-8")
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def _post(client, **files):
    data = {
        "code": "CCWL",
        "name": "仓储物流企业安全生产标准化评定标准",
        "industries": ["commerce_trade", "light_industry"],
        "effective_from": "2026-01-01",
        "source_note": "商务部2011年",
        **files,
    }
    return client.post(URL, data)


@pytest.mark.parametrize(("persona", "status"), battery(200, allowed=MANAGERS))
def test_import_page_access(login, personas, persona, status):
    assert login(personas[persona]).get(URL).status_code == status


@pytest.mark.parametrize("persona", ["bureau_leader", "county_officer", "enterprise_user", "expert"])
def test_non_managers_cannot_upload(login, personas, persona):
    response = _post(login(personas[persona]), elements_csv=_csv("elements.csv"), items_csv=_csv("items.csv"))
    assert response.status_code == 403
    assert not ScoringStandard.objects.exists()


def test_good_files_make_a_draft_v1_then_v2(login, personas):
    client = login(personas.city_officer)
    response = _post(client, elements_csv=_csv("elements.csv"), items_csv=_csv("items.csv"))
    v1 = ScoringStandard.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("standards:detail", args=[v1.pk])
    assert (v1.code, v1.version, v1.status) == ("CCWL", 1, ScoringStandard.Status.DRAFT)
    assert v1.items.count() == 164
    assert v1.industries == ["commerce_trade", "light_industry"]
    assert str(v1.effective_from) == "2026-01-01" and v1.source_note == "商务部2011年"
    assert AuditEvent.objects.filter(action="standard.import", target_id=str(v1.pk)).exists()
    _post(client, elements_csv=_csv("elements.csv"), items_csv=_csv("items.csv"))
    assert list(ScoringStandard.objects.order_by("version").values_list("version", "status")) == [
        (1, "draft"),
        (2, "draft"),
    ]


def test_csv_saved_by_excel_as_gb18030_is_read(login, personas):
    client = login(personas.city_officer)
    _post(
        client,
        elements_csv=_csv("elements.csv", encoding="gb18030"),
        items_csv=_csv("items.csv", encoding="gb18030"),
    )
    assert ScoringStandard.objects.get().elements.get(no=1).name == "安全生产目标"


def test_bad_files_show_every_error_with_row_and_column_and_create_nothing(login, personas):
    elements = (
        (DATA / "elements.csv").read_text(encoding="utf-8").replace("1,安全生产目标,10", "1,安全生产目标,abc")
    )
    items = (DATA / "items.csv").read_text(encoding="utf-8").splitlines()
    items[2] = items[2].replace(
        "1,安全生产目标,1.1,目标,2,", "99,安全生产目标,1.1,目标,2,"
    )  # unknown element
    items[3] = items[3].replace(",1.2,监测与考核,1,", ",1.2,监测与考核,x,")  # bad item number
    response = _post(
        login(personas.city_officer),
        elements_csv=_csv("elements.csv", elements),
        items_csv=_csv("items.csv", "\n".join(items)),
    )
    assert response.status_code == 200
    errors = {(e["file"], e["row"], e["column"]) for e in response.context["format_errors"]}
    assert errors == {
        ("elements.csv", 2, "points"),
        ("items.csv", 3, "element_no"),
        ("items.csv", 4, "item_no"),
    }
    with translation.override("zh-hans"):
        expected = gettext("The points must be a positive number with at most one decimal.")
    content = response.content.decode()
    assert expected in content
    assert content.count('data-testid="format-error"') == 3
    assert not ScoringStandard.objects.exists()
    # The form keeps what was typed (files cannot be kept by a browser).
    assert "仓储物流企业安全生产标准化评定标准" in content and "商务部2011年" in content
    assert 'value="light_industry" class="form-check-input" id="id_industries_4" checked' in content


def test_missing_columns_are_listed_per_file(login, personas):
    response = _post(
        login(personas.city_officer),
        elements_csv=_csv("elements.csv", "no,name\n1,目标\n"),
        items_csv=_csv("items.csv", "element_no\n1\n"),
    )
    errors = [(e["file"], e["row"], e["column"]) for e in response.context["format_errors"]]
    assert ("elements.csv", 1, "element_no") in errors and ("elements.csv", 1, "points") in errors
    assert ("items.csv", 1, "requirement") in errors
    assert not ScoringStandard.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused(login, personas):
    upload = SimpleUploadedFile("standard.xlsx", b"not a workbook", content_type=XLSX)
    response = _post(login(personas.city_officer), workbook=upload)
    [error] = response.context["format_errors"]
    assert error["file"] == "standard.xlsx"
    assert not ScoringStandard.objects.exists()


@pytest.mark.parametrize(
    "files",
    [
        {},
        {"elements_csv": "elements.csv"},
        {"workbook": "x.xlsx", "elements_csv": "elements.csv", "items_csv": "items.csv"},
    ],
)
def test_either_the_workbook_or_both_csv_files(login, personas, files):
    uploads = {
        field: (SimpleUploadedFile(name, b"x") if field == "workbook" else _csv(name))
        for field, name in files.items()
    }
    response = _post(login(personas.city_officer), **uploads)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not ScoringStandard.objects.exists()
