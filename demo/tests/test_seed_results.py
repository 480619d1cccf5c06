"""The results demo's pure parts and guards (the seeded data itself is checked by
``results_checks.assert_results`` from ``test_seed_demo.test_applications_at_every_stage``)."""

from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from demo import data
from demo.results import KEYS, _publicity_step, attachment_pdf
from lib.api import DomainError
from lib.uploads import check_upload
from portal.models import Article, ArticleAttachment
from portal.services import ATTACHMENT_KINDS, ArticleIn, article_clean
from results.models import Certificate, PublicityBatch


def test_the_articles_fit_the_portal():
    titles = [a.title for a in data.ARTICLES]
    assert len(set(titles)) == len(titles)
    published = [a for a in data.ARTICLES if a.published]
    assert 8 <= len(published) <= 10 and len(data.ARTICLES) - len(published) == 1
    assert {a.category for a in published} == set(Article.Category.values)
    for article in data.ARTICLES:
        cleaned = article_clean(ArticleIn(article.category, article.title, article.summary, article.body))
        assert cleaned["title"] == article.title and not article.body.isascii()
    assert sum(a.attachment is not None for a in data.ARTICLES) == 1
    texts = " ".join(a.body for a in data.ARTICLES)
    assert "应急〔2021〕83号" in texts and "应急管理部令第10号" in texts


def test_the_attachment_is_a_small_valid_pdf():
    (article,) = [a for a in data.ARTICLES if a.attachment is not None]
    name, title, lines = article.attachment
    content = attachment_pdf(title, lines)
    checked = check_upload(ContentFile(content, name=name), kinds=ATTACHMENT_KINDS)
    assert checked.kind.code == "pdf" and content.startswith(b"%PDF") and len(content) < 500_000


@pytest.mark.django_db
def test_a_refused_publicity_step_leaves_nothing_behind(personas):
    def step(*, created, officer):
        Article.objects.create(category="notice", title="t", author=officer)
        created["articles"] += 1
        raise DomainError("The working-day calendar does not reach the end of the publicity.")

    created = dict.fromkeys(KEYS, 0)
    _publicity_step(step, created=created, officer=personas.city_officer)
    assert created == dict.fromkeys(KEYS, 0)
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_small_demo_has_the_articles_but_no_certificates_and_a_second_run_adds_nothing(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def seed():
        out = StringIO()
        call_command("seed_demo", "--enterprises", "20", "--experts", "5", stdout=out)
        return out.getvalue()

    output = seed()
    # 20 enterprises: no certificate history (it starts after the first forty), no case far enough
    # for publicity (5 experts cannot form a panel); the portal's articles are there all the same.
    assert not Certificate.objects.exists() and not PublicityBatch.objects.exists()
    assert Article.objects.filter(status=Article.Status.PUBLISHED).count() == 9
    assert "/public/" in output
    before = (Article.objects.count(), ArticleAttachment.objects.count())
    seed()
    assert (Article.objects.count(), ArticleAttachment.objects.count()) == before
