"""The page, the API and the exports cost a fixed number of queries, however many enterprises there are."""

import pytest
from django.urls import reverse

from accounts.tests.factories import region
from dashboard.figures import BUILDERS
from dashboard.tests import builders as b
from enterprises.tests.factories import EnterpriseFactory

# Session, user, organisation and region; one to four per figure (the working-day figure reads
# the calendar and a parameter per timed state); the form's divisions; the notification bell.
PAGE_QUERIES = 31
API_QUERIES = 29
EXPORT_QUERIES = 11


def populate(n: int) -> None:
    """``n`` enterprises across two divisions, each with a full set of rows every figure counts."""
    divisions = [region("站前区"), region("鲅鱼圈区")]
    for i in range(n):
        enterprise = EnterpriseFactory(region=divisions[i % 2])
        app = b.application(
            enterprise,
            "not_passed",
            "2024-03-01",
            b.path(
                ("internal_publicity", "2024-03-04"),
                ("county_review", "2024-03-18"),
                ("city_review", "2024-03-25"),
                ("accepted", "2024-04-01"),
                ("not_passed", "2024-05-06"),
            ),
        )
        b.review(
            app, percentage="58.5", finalised="2024-05-06", entries=[{"code": "1.1.1", "deductions": [1]}]
        )
        b.hazard(enterprise, found="2025-01-10", deadline="2025-03-01")
        b.certificate(enterprise, issued="2024-06-01", expires="2027-05-31")
        b.accident(enterprise, b.beijing(b.d("2024-01-15")), deaths=i % 2)
        b.accident(enterprise, b.beijing(b.d("2024-09-15")))


@pytest.mark.parametrize("n", [2, 10])
def test_page_queries_do_not_grow_with_rows(login, personas, today, django_assert_max_num_queries, n):
    populate(n)
    client = login(personas.city_officer)
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    figures = {f.key: f for f in response.context["figures"]}
    assert figures["pass_rate"].tables[0].rows[0][1] == n  # every enterprise's application was counted


@pytest.mark.parametrize("n", [2, 10])
def test_api_queries_do_not_grow_with_rows(login, personas, today, django_assert_max_num_queries, n):
    populate(n)
    client = login(personas.county_officer)
    with django_assert_max_num_queries(API_QUERIES):
        response = client.get("/api/v1/dashboard/statistics/")
    assert response.status_code == 200
    assert response.json()["before_after"]["n"] == n // 2  # his division's half


@pytest.mark.parametrize("n", [2, 10])
def test_export_queries_do_not_grow_with_rows(login, personas, today, django_assert_max_num_queries, n):
    populate(n)
    client = login(personas.city_officer)
    for figure in BUILDERS:
        with django_assert_max_num_queries(EXPORT_QUERIES):
            assert client.get(reverse("dashboard:export", args=[figure])).status_code == 200
