"""Who manages the portal's articles: the city section (制造业科), officers and the chief.

Everyone else — county bureaus, enterprises, experts, the bureau leader, admins — gets 404 on
the management pages (they must not learn what is being drafted). The public reads published
articles through ``portal.selectors.public_articles``, never through ``visible_to``.
"""

from django.db.models import QuerySet
from django.http import Http404

from accounts.roles import Role
from portal.models import Article, ArticleAttachment

MANAGER_ROLES = frozenset({Role.CITY_OFFICER, Role.CITY_CHIEF})


def can_manage_articles(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role in MANAGER_ROLES)


def require_article_manager(user) -> None:
    """Raise Http404 unless the user manages the portal (the pages do not exist for others)."""
    if not can_manage_articles(user):
        raise Http404


def visible_to(user) -> QuerySet[Article]:
    """Return every article (drafts included) for the city section, none for anyone else."""
    if not can_manage_articles(user):
        return Article.objects.none()
    return Article.objects.all()


def get_article_for_user(user, pk) -> Article:
    """Return article ``pk`` for a manager; Http404 for anyone else or an unknown pk."""
    try:
        return visible_to(user).select_related("author").get(pk=pk)
    except (Article.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_attachment_for_user(user, article: Article, pk) -> ArticleAttachment:
    try:
        return ArticleAttachment.objects.get(article__in=visible_to(user), article=article, pk=pk)
    except (ArticleAttachment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
