"""Excel export of the filtered accident list: scoped like the list, with a totals row."""

import io
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accidents.exports import COLUMNS
from accidents.tests.factories import beijing, record_accident
from enterprises.tests.factories import EnterpriseFactory

URL = reverse("accidents:export")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KEYS = [c.key for c in COLUMNS]


def _rows(response) -> list[tuple]:
    assert response.status_code == 200, response.content
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def _places(response) -> list[str]:
    return [row[KEYS.index("place")] for row in _rows(response)[1:-1]]  # without heading and totals


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
        ("expert", 200),  # an empty sheet
        ("anonymous", 302),
    ],
)
def test_export_access(login, personas, persona, status):
    assert login(personas[persona]).get(URL).status_code == status


def test_export_is_an_xlsx_download_with_a_chinese_filename(login, personas):
    response = login(personas.county_officer).get(URL)
    assert response["Content-Type"] == XLSX
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert unquote(disposition.split("filename*=UTF-8''")[1]).endswith(".xlsx")


def test_export_is_scoped_like_the_list(login, personas, zhanqian_accident, bayuquan_accident, own_accident):
    assert _places(login(personas.county_officer).get(URL)) == ["装配车间", "炼钢车间"]
    assert _places(login(personas.other_county_officer).get(URL)) == ["三号码头"]
    assert _places(login(personas.enterprise_user).get(URL)) == ["装配车间"]
    assert _places(login(personas.expert).get(URL)) == []
    assert len(_places(login(personas.city_officer).get(URL))) == 3


def test_export_follows_the_list_filters(login, personas, zhanqian_accident, bayuquan_accident):
    client = login(personas.city_officer)
    assert _places(client.get(URL, {"enterprise": bayuquan_accident.enterprise_id})) == ["三号码头"]
    assert _places(client.get(URL, {"date_to": "2026-03-31"})) == ["炼钢车间"]


def test_export_has_every_column_the_values_and_a_totals_row(login, personas, zhanqian_enterprise):
    officer = personas.county_officer
    record_accident(
        officer,
        zhanqian_enterprise,
        beijing(2026, 3, 2, 9, 30),
        place="炼钢车间",
        accident_type="burn_scald",
        deaths=1,
        serious_injuries=2,
        minor_injuries=3,
        direct_loss_yuan="1500000.25",
        reporting_violation="late",
        reported_at=beijing(2026, 3, 2, 12, 0),
        grade_override="relatively_major",
        grade_override_reason="批复认定",
    )
    record_accident(
        officer, zhanqian_enterprise, beijing(2026, 1, 5), serious_injuries=1, direct_loss_yuan="0.75"
    )
    rows = _rows(login(officer).get(URL))
    assert list(rows[0]) == [str(c.label) for c in COLUMNS]
    assert len(rows) == 4
    row = dict(zip(KEYS, rows[1], strict=True))
    assert row["occurred_at"] == beijing(2026, 3, 2, 9, 30).replace(
        tzinfo=None
    )  # Beijing time, no tzinfo in Excel
    assert row["enterprise"] == "营口钢铁有限公司"
    assert row["uscc"] == zhanqian_enterprise.uscc
    assert row["region"] == "站前区"
    assert (row["deaths"], row["serious_injuries"], row["minor_injuries"]) == (1, 2, 3)
    assert Decimal(str(row["direct_loss_yuan"])) == Decimal("1500000.25")
    assert row["grade_override_reason"] == "批复认定"
    assert row["reported_at"] == beijing(2026, 3, 2, 12, 0).replace(tzinfo=None)
    totals = dict(zip(KEYS, rows[-1], strict=True))
    assert (totals["deaths"], totals["serious_injuries"], totals["minor_injuries"]) == (1, 3, 4)
    assert Decimal(str(totals["direct_loss_yuan"])) == Decimal("1500001.00")


def test_formula_like_text_is_exported_as_text(login, personas, zhanqian_enterprise):
    record_accident(personas.county_officer, zhanqian_enterprise, place='=HYPERLINK("http://evil.example")')
    sheet = load_workbook(io.BytesIO(login(personas.county_officer).get(URL).content)).active
    cell = sheet.cell(row=2, column=KEYS.index("place") + 1)
    assert cell.value == '=HYPERLINK("http://evil.example")'
    assert cell.data_type == "s"


@pytest.mark.parametrize("count", [2, 20])
def test_export_query_count_does_not_grow_with_rows(login, personas, django_assert_max_num_queries, count):
    for i in range(count):
        record_accident(personas.city_officer, EnterpriseFactory(), beijing(2025, 2, 1 + i % 28))
    client = login(personas.county_officer)
    with django_assert_max_num_queries(8):
        response = client.get(URL, {"year": 2025})
    assert len(_places(response)) == count
