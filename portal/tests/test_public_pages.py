"""Every public page answers an anonymous visitor, is cacheable for a minute, and shows its data."""

import pytest
from django.urls import reverse

from portal.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _urls(published_article, batch, announcement, certificate):
    entry = batch.entries.first()
    return [
        reverse("portal:home"),
        reverse("portal:article_list"),
        reverse("portal:article_list") + "?category=policy_document",
        reverse("portal:article_detail", args=[published_article.pk]),
        reverse("portal:publicity_list"),
        reverse("portal:publicity_detail", args=[batch.pk]),
        reverse("portal:objection", args=[entry.pk]),
        reverse("portal:announcement_list"),
        reverse("portal:announcement_list") + "?kind=grading",
        reverse("portal:announcement_detail", args=[announcement.pk]),
        reverse("portal:certificate_search") + "?q=" + certificate.number,
        reverse("portal:certificate_verify", kwargs={"public_id": certificate.public_id}),
    ]


def test_every_public_page_answers_anonymous_visitors(
    client, published_article, batch, announcement, certificate
):
    for url in _urls(published_article, batch, announcement, certificate):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "营口市应急管理局" in response.content.decode() or "Yingkou" in response.content.decode(), url


def test_read_only_pages_are_cacheable_and_forms_are_not(
    client, published_article, batch, announcement, certificate
):
    for url in _urls(published_article, batch, announcement, certificate):
        response = client.get(url)
        cache = response["Cache-Control"]
        if "/objection/" in url:
            assert "no-store" in cache and "public" not in cache, url
        else:
            assert "public" in cache and "max-age=60" in cache, url


def test_home_shows_articles_publicity_announcements_and_lookup(
    client, published_article, batch, announcement
):
    draft = make_article(published_article.author, title="尚未发布的草稿")
    html = client.get(reverse("portal:home")).content.decode()
    assert published_article.title in html
    assert draft.title not in html
    assert batch.title in html
    assert announcement.title in html
    assert 'data-testid="certificate-search-form"' in html


def test_article_filter_by_category(client, personas, published_article):
    notice = make_article(
        personas.city_officer, publish=True, category="notice", title="关于做好复评工作的通知"
    )
    html = client.get(reverse("portal:article_list") + "?category=notice").content.decode()
    assert notice.title in html
    assert published_article.title not in html


def test_article_detail_escapes_the_body_and_keeps_paragraphs(client, personas):
    article = make_article(
        personas.city_officer, publish=True, body='第一段<script>alert("x")</script>\n\n第二段'
    )
    html = client.get(reverse("portal:article_detail", args=[article.pk])).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert html.count("<p>") >= 2


def test_drafts_and_withdrawn_articles_are_not_public(client, personas, published_article):
    from portal import services

    draft = make_article(personas.city_officer)
    assert client.get(reverse("portal:article_detail", args=[draft.pk])).status_code == 404
    services.article_withdraw(actor=personas.city_officer, article=published_article)
    assert client.get(reverse("portal:article_detail", args=[published_article.pk])).status_code == 404
    assert published_article.title not in client.get(reverse("portal:article_list")).content.decode()


def test_publicity_detail_shows_the_table_window_contact_and_objection_links(client, batch):
    html = client.get(reverse("portal:publicity_detail", args=[batch.pk])).content.decode()
    for entry in batch.entries.all():
        assert entry.enterprise_name in html
        assert entry.region_name in html
        assert reverse("portal:objection", args=[entry.pk]) in html
    assert "86.5" in html
    assert batch.contact in html
    assert batch.starts_on.strftime("%Y-%m-%d") in html and batch.ends_on.strftime("%Y-%m-%d") in html
    assert html.count('data-testid="entry-row"') == 2


def test_announced_batch_has_no_objection_links_and_drafts_are_hidden(client, personas):
    from portal.tests.factories import make_batch
    from results.models import PublicityBatch

    announced = make_batch(personas, status=PublicityBatch.Status.ANNOUNCED)
    html = client.get(reverse("portal:publicity_detail", args=[announced.pk])).content.decode()
    assert 'data-testid="objection-link"' not in html
    draft = make_batch(personas, status=PublicityBatch.Status.DRAFT, title="草稿公示")
    assert client.get(reverse("portal:publicity_detail", args=[draft.pk])).status_code == 404
    assert "草稿公示" not in client.get(reverse("portal:publicity_list")).content.decode()


def test_withdrawn_entries_are_not_listed(client, personas, batch):
    from results.models import PublicityEntry

    entry = batch.entries.first()
    PublicityEntry.objects.filter(pk=entry.pk).update(outcome=PublicityEntry.Outcome.WITHDRAWN)
    html = client.get(reverse("portal:publicity_detail", args=[batch.pk])).content.decode()
    assert entry.enterprise_name not in html
    assert client.get(reverse("portal:objection", args=[entry.pk])).status_code == 404


def test_announcement_detail_shows_number_certificates_cc_and_pdf(client, announcement, certificate):
    from django.core.files.base import ContentFile

    html = client.get(reverse("portal:announcement_detail", args=[announcement.pk])).content.decode()
    assert announcement.document_number in html
    assert certificate.number in html and certificate.enterprise_name in html
    assert "市工业和信息化局" in html and "市市场监督管理局" in html
    assert 'data-testid="announcement-pdf"' not in html
    assert client.get(reverse("portal:announcement_pdf", args=[announcement.pk])).status_code == 404

    announcement.pdf.save("a.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    html = client.get(reverse("portal:announcement_detail", args=[announcement.pk])).content.decode()
    assert 'data-testid="announcement-pdf"' in html
    response = client.get(reverse("portal:announcement_pdf", args=[announcement.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_announcement_kind_filter(client, personas, announcement):
    from portal.tests.factories import make_announcement

    revocation = make_announcement(personas, kind="revocation", title="关于撤销某企业三级证书的公告")
    html = client.get(reverse("portal:announcement_list") + "?kind=revocation").content.decode()
    assert revocation.title in html and announcement.title not in html
    html = client.get(reverse("portal:announcement_list") + "?kind=grading").content.decode()
    assert announcement.title in html and revocation.title not in html


def test_unknown_objects_answer_404(client):
    for url in (
        reverse("portal:article_detail", args=[999999]),
        reverse("portal:publicity_detail", args=[999999]),
        reverse("portal:objection", args=[999999]),
        reverse("portal:announcement_detail", args=[999999]),
        reverse("portal:certificate_verify", kwargs={"public_id": "no-such-code"}),
    ):
        assert client.get(url).status_code == 404, url


def test_public_pages_link_no_cdn(client, published_article):
    html = client.get(reverse("portal:home")).content.decode()
    assert "/static/vendor/bootstrap-5.3.9/css/bootstrap.min.css" in html
    assert "/static/portal/portal.css" in html
    assert "https://" not in html and "http://" not in html


def test_public_pages_refuse_post_and_answer_head(client, published_article):
    url = reverse("portal:article_detail", args=[published_article.pk])
    assert client.post(url).status_code == 405
    assert client.head(url).status_code == 200
