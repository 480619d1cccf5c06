"""The Excel export of each figure: who may download it, and that its rows are the table's."""

import io
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from accounts.tests.battery import assert_redirects_to_login
from dashboard.exports import table_rows
from dashboard.figures import BUILDERS
from dashboard.selectors import DashboardFilters
from dashboard.tests.conftest import TODAY

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACCESS = [
    ("anonymous", 302),
    ("enterprise_user", 404),
    ("expert", 404),
    ("admin", 404),
    ("city_officer", 200),
    ("bureau_leader", 200),
    ("county_officer", 200),
]


def url(figure: str) -> str:
    return reverse("dashboard:export", args=[figure])


@pytest.mark.parametrize("figure", list(BUILDERS))
@pytest.mark.parametrize(("persona", "status"), ACCESS)
def test_export_access(login, personas, figure, persona, status):
    response = login(personas[persona]).get(url(figure))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == XLSX
        assert unquote(response["Content-Disposition"].split("filename*=UTF-8''")[1]).endswith(".xlsx")
    if persona == "anonymous":
        assert_redirects_to_login(response)


def test_unknown_figure_is_404(login, personas):
    assert login(personas.city_officer).get(url("nothing")).status_code == 404


def _cell(value):
    """A table value as openpyxl reads it back."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)  # noqa: DTZ001 - Excel dates are naive
    if value == "":
        return None
    return value


def _sheets(response) -> list[list[tuple]]:
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    return [list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets]


@pytest.mark.parametrize("figure", list(BUILDERS))
def test_export_rows_equal_the_table(login, personas, applications, certified, figure):
    user = personas.county_officer
    sheets = _sheets(login(user).get(url(figure), {"industry": "machinery"}))
    with translation.override("zh-hans"):
        expected = BUILDERS[figure](user, DashboardFilters(industry="machinery"), TODAY)
    assert len(sheets) == len(expected.tables)
    for rows, table in zip(sheets, expected.tables, strict=True):
        assert list(rows[0]) == [str(h) for h in table.headers]
        assert [list(r) for r in rows[1:]] == [[_cell(v) for v in row] for row in table_rows(table)]


def test_before_after_export_holds_the_hand_computed_numbers(login, personas, certified):
    totals, sample, per_enterprise = _sheets(login(personas.city_officer).get(url("before_after")))
    assert [row[1:] for row in totals[1:]] == [(4, 3, -25.0), (1, 3, 200.0)]
    assert sample[1] == (4, 1)
    assert [row[0] for row in per_enterprise[1:]] == [
        "证三钢铁有限公司",
        "证一机械有限公司",
        "证二机械有限公司",
        "证四机械有限公司",
    ]


def test_export_is_scoped_to_the_county(login, personas, certified):
    (rows,) = _sheets(login(personas.other_county_officer).get(url("accidents_year")))
    assert [row[:5] for row in rows[1:]] == [
        (2022, 1, 1, 0, 0),
        (2023, 0, 0, 1, 0),
        (2025, 1, 0, 2, 1),
        (rows[-1][0], 2, 1, 3, 1),  # the totals row
    ]
