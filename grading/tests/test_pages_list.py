"""The application list and its Excel export: scoped, filtered, paginated, a fixed query count."""

import io
from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import load_workbook

from accounts.roles import Role
from accounts.tests.factories import UserFactory, region
from enterprises.tests.factories import EnterpriseFactory
from grading import services
from grading.models import GradingApplication, Status
from grading.tests.factories import make_application
from grading.views.cases import EXPORT_COLUMNS
from standards.tests.factories import published_warehousing

pytestmark = pytest.mark.django_db

LIST = reverse("grading:list")
EXPORT = reverse("grading:export")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KEYS = [c.key for c in EXPORT_COLUMNS]

LIST_BATTERY = [
    ("admin", 200),
    ("city_officer", 200),
    ("city_chief", 200),
    ("bureau_leader", 200),
    ("county_officer", 200),
    ("county_chief", 200),
    ("other_county_officer", 200),  # an empty list: nothing in his division
    ("enterprise_user", 200),
    ("enterprise_principal", 200),
    ("other_enterprise_user", 200),
    ("expert", 200),  # an empty list
    ("anonymous", 302),
]


def other_application(personas, *, name="鲅鱼圈测试物流有限公司", county="鲅鱼圈区"):
    """An application of an enterprise in another division, started by its own user."""
    enterprise = (
        personas.other_enterprise
        if county == "鲅鱼圈区" and name == "鲅鱼圈测试物流有限公司"
        else EnterpriseFactory(name=name, region=region(county), with_organisation=True)
    )
    enterprise.gb4754_code, enterprise.industry = "5951", "commerce_trade"
    enterprise.save()
    user = (
        personas.other_enterprise_user
        if enterprise == personas.other_enterprise
        else UserFactory(role=Role.ENTERPRISE_USER, organisation=enterprise.organisation)
    )
    return services.application_create(
        actor=user, enterprise=enterprise, standard=published_warehousing(personas.admin)
    )


@pytest.fixture
def own(personas):
    return make_application(personas)


@pytest.fixture
def other(personas):
    return other_application(personas)


def _numbers(response) -> list[str]:
    return [a.number for a in response.context["page_obj"]]


@pytest.mark.parametrize(("persona", "status"), LIST_BATTERY)
@pytest.mark.parametrize("url", [LIST, EXPORT])
def test_access(login, personas, own, persona, status, url):
    response = login(personas[persona]).get(url)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("accounts:login"))


def test_post_is_not_allowed(login, personas):
    assert login(personas.city_officer).post(LIST).status_code == 405
    assert login(personas.city_officer).post(EXPORT).status_code == 405


def test_scoping(login, personas, own, other):
    assert _numbers(login(personas.city_officer).get(LIST)) == [other.number, own.number]
    assert _numbers(login(personas.county_officer).get(LIST)) == [own.number]
    assert _numbers(login(personas.other_county_officer).get(LIST)) == [other.number]
    assert _numbers(login(personas.enterprise_user).get(LIST)) == [own.number]
    assert _numbers(login(personas.other_enterprise_user).get(LIST)) == [other.number]
    assert _numbers(login(personas.expert).get(LIST)) == []
    html = login(personas.county_officer).get(LIST).content.decode()
    assert "鲅鱼圈测试物流有限公司" not in html


def test_filters(login, personas, own, other):
    client = login(personas.city_officer)
    bayuquan = region("鲅鱼圈区")
    assert _numbers(client.get(LIST, {"region": bayuquan.pk})) == [other.number]
    assert _numbers(client.get(LIST, {"q": own.number})) == [own.number]
    assert _numbers(client.get(LIST, {"q": "鲅鱼圈"})) == [other.number]
    assert _numbers(client.get(LIST, {"q": personas.enterprise.uscc.lower()})) == [own.number]
    assert _numbers(client.get(LIST, {"q": personas.other_enterprise.name_initials[:4]})) == [other.number]
    services.application_withdraw(actor=personas.enterprise_principal, application=own, reason="暂不申请")
    assert _numbers(client.get(LIST, {"status": Status.WITHDRAWN})) == [own.number]
    assert _numbers(client.get(LIST, {"open_only": "on"})) == [other.number]
    # Invalid values are ignored, never an error.
    assert len(_numbers(client.get(LIST, {"status": "nonsense", "region": "x"}))) == 2


def test_region_filter_only_for_city_roles(login, personas, own):
    assert "region" in login(personas.city_officer).get(LIST).context["form"].fields
    assert "region" not in login(personas.county_officer).get(LIST).context["form"].fields
    assert "region" not in login(personas.enterprise_user).get(LIST).context["form"].fields


def test_overdue_filter_and_badges(login, personas, own, other):
    today = timezone.localdate()
    GradingApplication.objects.filter(pk=own.pk).update(
        timer_param="county_review_limit",
        timer_kind="limit",
        timer_started_on=today - timedelta(days=40),
        timer_working_days=10,
        timer_due_on=today - timedelta(days=20),
    )
    GradingApplication.objects.filter(pk=other.pk).update(
        timer_param="county_review_limit",
        timer_kind="limit",
        timer_started_on=today,
        timer_working_days=10,
        timer_due_on=None,
    )
    client = login(personas.city_officer)
    assert _numbers(client.get(LIST, {"overdue": "on"})) == [own.number]
    html = client.get(LIST).content.decode()
    assert html.count('data-testid="deadline-overdue"') == 1
    assert html.count('data-testid="deadline-calendar-missing"') == 1
    assert gettext("Overdue") in html and gettext("Calendar missing") in html


def test_htmx_request_returns_only_the_table(login, personas, own):
    response = login(personas.city_officer).get(LIST, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="application-results"')
    assert "<html" not in html


def test_create_button_only_for_enterprise_users(login, personas):
    assert 'data-testid="application-create"' in login(personas.enterprise_user).get(LIST).content.decode()
    assert (
        'data-testid="application-create"' in login(personas.enterprise_principal).get(LIST).content.decode()
    )
    assert 'data-testid="application-create"' not in login(personas.county_officer).get(LIST).content.decode()


def test_navigation_has_the_entry(login, personas):
    labels = lambda p: [i["label"] for i in login(personas[p]).get(LIST).context["nav_items"]]  # noqa: E731
    assert gettext("Grading applications") in labels("county_officer")
    assert gettext("Grading applications") in labels("enterprise_user")
    assert gettext("Grading applications") not in labels("expert")
    assert gettext("Grading applications") not in labels("admin")


def _many(personas, n: int) -> None:
    for i in range(n):
        other_application(personas, name=f"营口测试商贸{i:02d}有限公司", county="站前区")


@pytest.mark.parametrize("rows", [2, 30])
def test_list_query_count_is_fixed(login, personas, django_assert_max_num_queries, rows):
    _many(personas, rows)
    client = login(personas.city_officer)
    client.get(LIST)  # warm the session and caches
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    assert len(response.context["page_obj"]) == min(rows, 25)


@pytest.mark.parametrize("rows", [2, 30])
def test_export_query_count_is_fixed(login, personas, django_assert_max_num_queries, rows):
    _many(personas, rows)
    client = login(personas.city_officer)
    client.get(LIST)
    with django_assert_max_num_queries(6):
        response = client.get(EXPORT)
    assert len(_rows(response)) == rows + 1


def _rows(response) -> list[tuple]:
    assert response.status_code == 200, response.content
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_export_columns_rows_and_scope(login, personas, own, other):
    response = login(personas.county_officer).get(EXPORT)
    assert response["Content-Type"] == XLSX
    assert unquote(response["Content-Disposition"].split("filename*=UTF-8''")[1]).endswith(".xlsx")
    rows = _rows(response)
    assert list(rows[0]) == [str(c.label) for c in EXPORT_COLUMNS]
    assert len(rows) == 2
    row = dict(zip(KEYS, rows[1], strict=True))
    assert row["number"] == own.number
    assert row["enterprise"] == personas.enterprise.name
    assert row["uscc"] == personas.enterprise.uscc
    assert row["region"] == "站前区"
    assert row["status"] == str(Status.DRAFT.label)
    # The export follows the list's filters.
    city = login(personas.city_officer)
    assert [r[0] for r in _rows(city.get(EXPORT))[1:]] == [other.number, own.number]
    assert [r[0] for r in _rows(city.get(EXPORT, {"q": "鲅鱼圈"}))[1:]] == [other.number]
    assert [r[0] for r in _rows(login(personas.expert).get(EXPORT))[1:]] == []
