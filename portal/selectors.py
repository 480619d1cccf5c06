"""Reads of the portal: the city section's article lists, and what the public pages show.

The public reads of publicity, announcements and certificates are ``results.selectors``'
``public_*`` functions; the helpers here only add what the portal's lists need on top of them
(entry counts, entries prefetched), so a list costs the same few queries whatever its length.
"""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from portal.models import Article, ArticleAttachment
from portal.permissions import visible_to
from results import selectors as results_selectors
from results.models import PublicityBatch, PublicityEntry

PUBLIC = Article.Status.PUBLISHED
WITHDRAWN_ENTRY = PublicityEntry.Outcome.WITHDRAWN
PUBLIC_ARTICLE_FIELDS = ("pk", "category", "title", "summary", "status", "published_at")


@dataclass(frozen=True)
class ArticleFilters:
    """The filters of the management list, shared by the page and its Excel export."""

    q: str = ""
    category: str = ""
    status: str = ""


def article_list(*, user, filters: ArticleFilters | None = None) -> QuerySet[Article]:
    """Return the articles the user manages (none for anyone but the city section), filtered."""
    f = filters or ArticleFilters()
    rows = visible_to(user)
    if f.category:
        rows = rows.filter(category=f.category)
    if f.status:
        rows = rows.filter(status=f.status)
    q = f.q.strip()
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    return (
        rows.select_related("author")
        .annotate(attachment_count=Count("attachments"))
        .order_by("-updated_at", "-pk")
    )


def article_attachments(article: Article) -> QuerySet[ArticleAttachment]:
    return article.attachments.order_by("pk")


# --- The public face ----------------------------------------------------------------------------


def public_articles(category: str = "") -> QuerySet[Article]:
    """Published articles, newest first; ``category`` narrows them (an unknown one: none)."""
    rows = Article.objects.filter(status=PUBLIC)
    if category:
        rows = rows.filter(category=category)
    return rows.only(*PUBLIC_ARTICLE_FIELDS).order_by("-published_at", "-pk")


def latest_public_articles(per_category: int = 5) -> list[tuple[str, str, list[Article]]]:
    """(category, label, newest published articles) for each category: one query per category."""
    return [
        (value, label, list(public_articles(value)[:per_category]))
        for value, label in Article.Category.choices
    ]


def public_article(pk) -> Article:
    """A published article with its attachments; Http404 for a draft, a withdrawn or unknown one."""
    try:
        return (
            Article.objects.filter(status=PUBLIC)
            .prefetch_related(Prefetch("attachments", queryset=ArticleAttachment.objects.order_by("pk")))
            .get(pk=pk)
        )
    except (Article.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def public_attachment(article: Article, pk) -> ArticleAttachment:
    try:
        return ArticleAttachment.objects.get(article=article, article__status=PUBLIC, pk=pk)
    except (ArticleAttachment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def _entries_prefetch() -> Prefetch:
    # The same rows and fields as results.selectors.public_entries, for many batches at once.
    return Prefetch(
        "entries",
        queryset=PublicityEntry.objects.exclude(outcome=WITHDRAWN_ENTRY)
        .only(
            "pk",
            "batch_id",
            "enterprise_name",
            "region_name",
            "industry",
            "grade_level",
            "percentage",
            "review_date",
        )
        .order_by("pk"),
        to_attr="public_entry_list",
    )


def current_batches(*, with_entries: bool = False) -> QuerySet[PublicityBatch]:
    """The batches on publicity now, each with ``entry_count`` (and its entries, when asked)."""
    rows = results_selectors.public_batches().annotate(
        entry_count=Count("entries", filter=~Q(entries__outcome=WITHDRAWN_ENTRY))
    )
    if with_entries:
        rows = rows.prefetch_related(_entries_prefetch())
    return rows


def announcement_certificates_public(announcement) -> list:
    """The certificates of an announcement with their public fields and today's ``state``."""
    # "announcement": the related manager sets it on each row, and would load it one by one.
    rows = results_selectors.announcement_certificates(announcement).only(
        *results_selectors.PUBLIC_CERTIFICATE_FIELDS, "announcement"
    )
    return list(results_selectors.with_state(rows))
