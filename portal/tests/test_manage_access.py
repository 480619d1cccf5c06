"""The management pages exist for the city section only: others get 404, anonymous users log in."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from portal.models import Article
from portal.tests.factories import make_article, pdf_upload

pytestmark = pytest.mark.django_db

PERSONAS = [
    ("city_officer", 200),
    ("city_chief", 200),
    ("bureau_leader", 404),
    ("county_officer", 404),
    ("county_chief", 404),
    ("enterprise_user", 404),
    ("expert", 404),
    ("admin", 404),
    ("anonymous", 302),
]


@pytest.fixture
def draft(personas):
    article = make_article(personas.city_officer, title="草稿：政策解读")
    from portal import services

    services.attachment_add(actor=personas.city_officer, article=article, file=pdf_upload())
    return article


def _get_urls(article):
    attachment = article.attachments.get()
    return [
        reverse("portal_manage:article_list"),
        reverse("portal_manage:article_export"),
        reverse("portal_manage:article_create"),
        reverse("portal_manage:article_edit", args=[article.pk]),
        reverse("portal_manage:attachment_download", args=[article.pk, attachment.pk]),
    ]


@pytest.mark.parametrize(("persona", "status"), PERSONAS)
def test_manage_pages_access(client, personas, login, draft, persona, status):
    login(personas[persona])
    for url in _get_urls(draft):
        response = client.get(url)
        assert response.status_code == status, url
        if status == 302:
            assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(("persona", "status"), PERSONAS)
def test_manage_verbs_access(client, personas, login, draft, persona, status):
    login(personas[persona])
    attachment = draft.attachments.get()
    expected = 302 if status == 200 else status
    for url in (
        reverse("portal_manage:article_publish", args=[draft.pk]),
        reverse("portal_manage:article_withdraw", args=[draft.pk]),
        reverse("portal_manage:attachment_remove", args=[draft.pk, attachment.pk]),
    ):
        assert client.post(url).status_code == expected, url
    draft.refresh_from_db()
    if status != 200:
        assert draft.status == Article.Status.DRAFT
        assert draft.attachments.count() == 1


def test_verbs_refuse_get(client, personas, login, draft):
    login(personas.city_officer)
    assert client.get(reverse("portal_manage:article_publish", args=[draft.pk])).status_code == 405


def test_list_filters_and_export(client, personas, login, draft):
    published = make_article(personas.city_officer, publish=True, category="notice", title="公开通知")
    login(personas.city_officer)
    html = client.get(reverse("portal_manage:article_list") + "?status=published").content.decode()
    assert published.title in html and draft.title not in html
    html = client.get(reverse("portal_manage:article_list") + "?q=政策解读").content.decode()
    assert draft.title in html and published.title not in html
    response = client.get(reverse("portal_manage:article_export") + "?category=notice")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(response.content)).active
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == [published.title]


def test_create_and_edit_through_the_pages(client, personas, login):
    login(personas.city_officer)
    response = client.post(
        reverse("portal_manage:article_create"),
        {"category": "policy_interpretation", "title": "一图读懂定级办法", "summary": "", "body": "正文"},
    )
    article = Article.objects.get(title="一图读懂定级办法")
    assert response.status_code == 302
    assert response["Location"] == reverse("portal_manage:article_edit", args=[article.pk])
    assert article.status == Article.Status.DRAFT and article.author == personas.city_officer
    response = client.post(
        reverse("portal_manage:article_edit", args=[article.pk]),
        {"category": "policy_interpretation", "title": "一图读懂定级办法（修订）", "body": "新正文"},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "一图读懂定级办法（修订）" and article.body == "新正文"
    assert AuditEvent.objects.filter(action="article.update", target_id=str(article.pk)).exists()


def test_invalid_article_keeps_the_input(client, personas, login):
    login(personas.city_officer)
    response = client.post(
        reverse("portal_manage:article_create"), {"category": "", "title": "", "body": "已写好的正文"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "已写好的正文" in html
    assert "invalid-feedback" in html
    assert not Article.objects.exists()


def test_nav_link_for_city_staff_only(client, personas, login):
    url = reverse("portal_manage:article_list")
    login(personas.city_officer)
    assert url in client.get(reverse("workbench:home")).content.decode()
    login(personas.county_officer)
    assert url not in client.get(reverse("workbench:home")).content.decode()
