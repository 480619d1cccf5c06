"""Article services: city staff only, audited, publish/withdraw by compare-and-set."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from lib.workflow import TransitionError
from portal import services
from portal.models import Article
from portal.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_create_is_a_draft_and_audited(personas):
    article = make_article(personas.city_chief, summary="  摘要  ")
    assert article.status == Article.Status.DRAFT and article.published_at is None
    assert article.summary == "摘要"
    event = AuditEvent.objects.get(action="article.create")
    assert event.target_id == str(article.pk)


@pytest.mark.parametrize("persona", ["county_officer", "bureau_leader", "enterprise_user", "expert", "admin"])
def test_only_city_staff_write(personas, persona):
    with pytest.raises(PermissionDenied):
        make_article(personas[persona])
    article = make_article(personas.city_officer)
    for call in (services.article_publish, services.article_withdraw):
        with pytest.raises(PermissionDenied):
            call(actor=personas[persona], article=article)


def test_validation_is_keyed_by_field(personas):
    with pytest.raises(ValidationError) as exc:
        services.article_create(
            actor=personas.city_officer,
            data=services.ArticleIn(category="blog", title=" ", summary="x" * 501),
        )
    assert set(exc.value.message_dict) == {"category", "title", "summary"}


def test_publish_then_second_click_changes_nothing(personas):
    article = make_article(personas.city_officer)
    stale = Article.objects.get(pk=article.pk)
    services.article_publish(actor=personas.city_officer, article=article)
    article.refresh_from_db()
    first_published_at = article.published_at
    assert article.status == Article.Status.PUBLISHED and first_published_at is not None
    with pytest.raises(TransitionError):
        services.article_publish(actor=personas.city_chief, article=stale)
    article.refresh_from_db()
    assert article.published_at == first_published_at
    assert AuditEvent.objects.filter(action="article.publish").count() == 1


def test_withdraw_then_republish_keeps_first_publication_date(personas):
    article = make_article(personas.city_officer, publish=True)
    first = article.published_at
    services.article_withdraw(actor=personas.city_officer, article=article)
    article.refresh_from_db()
    assert article.status == Article.Status.WITHDRAWN
    with pytest.raises(TransitionError):
        services.article_withdraw(actor=personas.city_officer, article=article)
    services.article_publish(actor=personas.city_officer, article=article)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.published_at == first


def test_double_click_on_the_page_changes_nothing(client, personas, login):
    article = make_article(personas.city_officer)
    login(personas.city_officer)
    url = reverse("portal_manage:article_publish", args=[article.pk])
    assert client.post(url).status_code == 302
    response = client.post(url, follow=True)
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert AuditEvent.objects.filter(action="article.publish").count() == 1
    assert 'class="alert alert-warning' in response.content.decode()


def test_update_records_the_changes(personas):
    article = make_article(personas.city_officer)
    article = services.article_update(
        actor=personas.city_chief,
        article=article,
        data=services.ArticleIn(category="notice", title=article.title, body="新的正文"),
    )
    event = AuditEvent.objects.get(action="article.update")
    assert event.data["changes"]["category"] == ["policy_document", "notice"]
    assert event.data["changes"]["body"] == "(changed)"
    # Saving the same text again writes nothing.
    services.article_update(actor=personas.city_chief, article=article, data=services.article_data(article))
    assert AuditEvent.objects.filter(action="article.update").count() == 1
