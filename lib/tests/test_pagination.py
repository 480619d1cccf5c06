"""Bounded counts: exact up to LIST_COUNT_LIMIT, "more than" past it, on the pages and in the API,
with one query whose cost stops at the limit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.api_helpers import bearer
from enterprises.models import Enterprise
from enterprises.tests.factories import EnterpriseFactory
from lib.pagination import BoundedPaginator, bounded_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def five():
    return [EnterpriseFactory(name=f"营口分页{n}号机械有限公司") for n in range(5)]


@pytest.mark.parametrize(
    ("limit", "expected"), [(10, (5, True)), (5, (5, True)), (4, (4, False)), (1, (1, False))]
)
def test_bounded_count(five, limit, expected):
    assert bounded_count(Enterprise.objects.all(), limit) == expected


def test_the_count_reads_at_most_limit_plus_one_rows(five):
    with CaptureQueriesContext(connection) as ctx:
        bounded_count(Enterprise.objects.select_related("region").order_by("name"), 3)
    (query,) = ctx.captured_queries
    assert "LIMIT 4" in query["sql"]
    assert "ORDER BY" not in query["sql"]


def test_paginator_pages_follow_the_bounded_count(five):
    paginator = BoundedPaginator(Enterprise.objects.order_by("pk"), 2, limit=3)
    assert (paginator.count, paginator.count_exact, paginator.num_pages) == (3, False, 2)
    exact = BoundedPaginator(Enterprise.objects.order_by("pk"), 2, limit=100)
    assert (exact.count, exact.count_exact, exact.num_pages) == (5, True, 3)


def test_the_list_page_says_more_than_the_limit(login, personas, five, settings):
    client = login(personas.city_officer)
    settings.LIST_COUNT_LIMIT = 100
    html = client.get(reverse("enterprises:list")).content.decode()
    assert "超过" not in html
    settings.LIST_COUNT_LIMIT = 3
    html = client.get(reverse("enterprises:list")).content.decode()
    assert "符合条件的超过 3 条" in html


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/enterprises/",
        "/api/v1/applications/",
        "/api/v1/rectification/hazards",
        "/api/v1/results/certificates",
    ],
)
def test_api_lists_say_whether_the_count_is_exact(client, personas, five, settings, path):
    settings.LIST_COUNT_LIMIT = 3
    body = client.get(path, headers=bearer(personas.city_officer)).json()
    assert set(body) == {"count", "count_exact", "items"}
    if path == "/api/v1/enterprises/":
        assert (body["count"], body["count_exact"]) == (3, False)
        assert len(body["items"]) == Enterprise.objects.count()  # the page itself is not cut
    else:  # whatever the personas' data holds: exact while it is within the limit
        assert body["count_exact"] is (len(body["items"]) <= 3)
        assert body["count"] == min(len(body["items"]), 3)


def test_a_first_page_that_is_not_full_is_its_own_count(five):
    paginator = BoundedPaginator(Enterprise.objects.order_by("pk"), 10, limit=100)
    with CaptureQueriesContext(connection) as ctx:
        page = paginator.get_page(None)
        assert (paginator.count, paginator.count_exact, len(page)) == (5, True, 5)
    assert len(ctx.captured_queries) == 1  # the page only: no COUNT
    full = BoundedPaginator(Enterprise.objects.order_by("pk"), 2, limit=100)
    page = full.get_page("1")
    assert (len(page), full.count, full.num_pages, page.has_next()) == (2, 5, 3, True)
    assert [e.pk for e in full.get_page("3")] == [e.pk for e in Enterprise.objects.order_by("pk")][4:]
