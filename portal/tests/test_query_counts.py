"""List pages cost the same few queries with 2 rows as with 20 (no per-row queries)."""

import pytest
from django.urls import reverse

from portal.tests.factories import add_entry, make_announcement, make_article, make_batch, make_certificate

pytestmark = pytest.mark.django_db


def _rows(personas, n):
    officer = personas.city_officer
    for i in range(n):
        make_article(officer, publish=True, category=["policy_document", "notice"][i % 2], title=f"文章{i}")
    batch = make_batch(personas, entries=0)
    for _ in range(n):
        add_entry(personas, batch)
    certificates = [make_certificate(personas, enterprise_name=f"营口同名测试企业{i}") for i in range(n)]
    announcement = make_announcement(personas, certificates=certificates)
    for _ in range(n):
        make_batch(personas, entries=1, title="另一批公示")
        make_announcement(personas)
    return batch, announcement


PUBLIC_LIMITS = {
    "home": 8,
    "articles": 4,
    "publicity": 4,
    "publicity_detail": 4,
    "announcements": 4,
    "announcement_detail": 5,
    "certificates": 4,
    "api_publicity": 4,
    "api_announcements": 4,
    "api_announcement": 5,
    "api_articles": 4,
    "api_certificates": 4,
}


def _url(name, batch, announcement):
    return {
        "home": reverse("portal:home"),
        "articles": reverse("portal:article_list"),
        "publicity": reverse("portal:publicity_list"),
        "publicity_detail": reverse("portal:publicity_detail", args=[batch.pk]),
        "announcements": reverse("portal:announcement_list"),
        "announcement_detail": reverse("portal:announcement_detail", args=[announcement.pk]),
        "certificates": reverse("portal:certificate_search") + "?q=营口同名测试企业",
        "api_publicity": "/api/v1/public/publicity",
        "api_announcements": "/api/v1/public/announcements",
        "api_announcement": f"/api/v1/public/announcements/{announcement.pk}",
        "api_articles": "/api/v1/public/articles",
        "api_certificates": "/api/v1/public/certificates?q=营口同名测试企业",
    }[name]


@pytest.mark.parametrize("rows", [2, 20])
@pytest.mark.parametrize("page", sorted(PUBLIC_LIMITS))
def test_public_lists_have_bounded_queries(client, personas, django_assert_max_num_queries, rows, page):
    batch, announcement = _rows(personas, rows)
    url = _url(page, batch, announcement)
    with django_assert_max_num_queries(PUBLIC_LIMITS[page]):
        response = client.get(url)
    assert response.status_code == 200
    if page == "publicity_detail":
        assert response.content.decode().count('data-testid="entry-row"') == rows
    if page == "certificates":
        assert response.content.decode().count('data-testid="certificate-row"') == rows


@pytest.mark.parametrize("rows", [2, 20])
def test_manage_list_has_bounded_queries(client, personas, login, django_assert_max_num_queries, rows):
    for i in range(rows):
        make_article(personas.city_officer, title=f"草稿{i}")
    login(personas.city_officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("portal_manage:article_list"))
    assert response.content.decode().count('data-testid="article-row"') == rows
