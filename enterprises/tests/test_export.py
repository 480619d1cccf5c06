from urllib.parse import unquote

import pytest
from django.urls import reverse

from enterprises.exports import COLUMNS
from enterprises.models import RiskTag
from enterprises.tests.conftest import XLSX, open_xlsx
from enterprises.tests.factories import EnterpriseFactory

URL = reverse("enterprises:export")


def _sheet_rows(response) -> list[tuple]:
    sheet = open_xlsx(response.content).active
    return list(sheet.iter_rows(values_only=True))


def _names(response) -> list[str]:
    return [row[1] for row in _sheet_rows(response)[1:]]


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
        ("expert", 200),
        ("anonymous", 302),  # to login
    ],
)
def test_export_access(login, personas, persona, status):
    assert login(personas[persona]).get(URL).status_code == status


def test_export_is_an_xlsx_download_with_a_chinese_filename(login, personas):
    response = login(personas.county_officer).get(URL)
    assert response["Content-Type"] == XLSX
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert "filename*=UTF-8''" in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]).endswith(".xlsx")


def test_export_has_every_column_and_the_rows(login, personas, zhanqian_enterprise):
    zhanqian_enterprise.risk_tags.set(RiskTag.objects.filter(code__in=["dust_explosion", "confined_space"]))
    rows = _sheet_rows(login(personas.county_officer).get(URL))
    assert list(rows[0]) == [str(c.label) for c in COLUMNS]
    assert len(rows) == 2
    row = dict(zip([c.key for c in COLUMNS], rows[1], strict=True))
    assert row["uscc"] == zhanqian_enterprise.uscc
    assert row["name"] == "营口钢铁有限公司"
    assert row["short_name"] == "营钢"
    assert row["region"] == "站前区"
    assert row["principal_phone"] == "13800000000"
    assert row["employee_count"] == 120
    assert row["gb4754_code"] == "3120"
    assert row["industry"] == str(zhanqian_enterprise.get_industry_display())
    assert row["risk_tags"] == "粉尘涉爆、有限空间作业"


def test_county_officer_exports_only_his_division(login, personas, zhanqian_enterprise, bayuquan_enterprise):
    assert _names(login(personas.county_officer).get(URL)) == ["营口钢铁有限公司"]
    assert _names(login(personas.other_county_officer).get(URL)) == ["鲅鱼圈港口机械有限公司"]
    assert _names(login(personas.expert).get(URL)) == []


def test_export_follows_the_list_filters(login, personas, zhanqian_enterprise):
    EnterpriseFactory(name="营口造纸有限公司", gb4754_code="2221", industry="light_industry")
    client = login(personas.county_officer)
    assert _names(client.get(URL, {"industry": "metallurgy"})) == ["营口钢铁有限公司"]
    assert _names(client.get(URL, {"q": "ykgt"})) == ["营口钢铁有限公司"]
    assert sorted(_names(client.get(URL))) == ["营口造纸有限公司", "营口钢铁有限公司"]


def test_formula_like_text_is_exported_as_text(login, personas):
    EnterpriseFactory(
        name='=HYPERLINK("http://evil.example","点我")', address="+1+2", principal_name="@SUM(A1)"
    )
    sheet = open_xlsx(login(personas.county_officer).get(URL).content).active
    name, address, principal = sheet["B2"], sheet["F2"], sheet["H2"]
    assert name.value == '=HYPERLINK("http://evil.example","点我")'
    for cell in (name, address, principal):
        assert cell.data_type == "s"  # not "f": no formula runs when an official opens it
        assert cell.quotePrefix


@pytest.mark.parametrize("count", [2, 30])
def test_export_query_count_does_not_grow_with_rows(login, personas, django_assert_max_num_queries, count):
    tags = list(RiskTag.objects.all()[:2])
    for enterprise in EnterpriseFactory.create_batch(count):
        enterprise.risk_tags.set(tags)
    client = login(personas.county_officer)
    with django_assert_max_num_queries(10):
        response = client.get(URL)
    assert len(_names(response)) == count
