"""Writes of the portal: articles and their attachments. City section only; every write is audited.

``article_clean`` is the one validation of an article, shared by the form and any other caller;
it raises ValidationError keyed by field, with Chinese messages. Publishing and withdrawing go
through ``portal.workflow.ARTICLE_FLOW`` (compare-and-set), so a second click changes nothing.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record, diff_fields
from lib import uploads
from lib.workflow import apply_transition
from portal.models import Article, ArticleAttachment, attachment_path
from portal.permissions import can_manage_articles
from portal.workflow import ARTICLE_FLOW

ATTACHMENT_KINDS = (uploads.PDF, uploads.DOCX, uploads.XLSX, uploads.JPEG, uploads.PNG)
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENTS = 20
LIMITS = {"title": 200, "summary": 500, "body": 50000}


@dataclass(frozen=True)
class ArticleIn:
    category: str
    title: str
    summary: str = ""
    body: str = ""


def _require_manager(actor) -> None:
    if not can_manage_articles(actor):
        raise PermissionDenied


def article_clean(data: ArticleIn) -> dict:
    """Return the article's fields trimmed and checked, or raise ValidationError keyed by field."""
    errors: dict[str, list[str]] = {}
    cleaned = {
        "category": (data.category or "").strip(),
        "title": (data.title or "").strip(),
        "summary": (data.summary or "").strip(),
        # Keep the author's line breaks; only trailing blank space goes.
        "body": (data.body or "").rstrip(),
    }
    if cleaned["category"] not in Article.Category.values:
        errors["category"] = [_("Choose the category.")]
    if not cleaned["title"]:
        errors["title"] = [_("Enter the title.")]
    for name, limit in LIMITS.items():
        if len(cleaned[name]) > limit:
            errors.setdefault(name, []).append(_("At most %(n)d characters.") % {"n": limit})
    if errors:
        raise ValidationError(errors)
    return cleaned


def _lock(article: Article) -> Article:
    return Article.objects.select_for_update().get(pk=article.pk)


@transaction.atomic
def article_create(*, actor, data: ArticleIn) -> Article:
    """Write a new article as a draft (not public until it is published)."""
    _require_manager(actor)
    cleaned = article_clean(data)
    article = Article.objects.create(author=actor, **cleaned)
    audit_record(
        actor=actor,
        action="article.create",
        target=article,
        data={"category": article.category, "title": article.title},
    )
    return article


@transaction.atomic
def article_update(*, actor, article: Article, data: ArticleIn) -> Article:
    """Change an article's text; a published article changes on the public pages at once."""
    _require_manager(actor)
    article = _lock(article)
    cleaned = article_clean(data)
    before = {name: getattr(article, name) for name in cleaned}
    for name, value in cleaned.items():
        setattr(article, name, value)
    changes = diff_fields(before, cleaned)
    if changes:
        article.save(update_fields=[*cleaned, "updated_at"])
        # The body can be long: record that it changed, not both versions.
        if "body" in changes:
            changes["body"] = "(changed)"
        audit_record(actor=actor, action="article.update", target=article, data={"changes": changes})
    return article


@transaction.atomic
def article_publish(*, actor, article: Article) -> Article:
    """Publish a draft or a withdrawn article. Raises TransitionError when it is already published."""
    _require_manager(actor)
    article = _lock(article)
    extra = {} if article.published_at else {"published_at": timezone.now()}
    apply_transition(article, ARTICLE_FLOW, "publish", actor=actor, extra_updates=extra)
    audit_record(actor=actor, action="article.publish", target=article, data={"title": article.title})
    return article


@transaction.atomic
def article_withdraw(*, actor, article: Article) -> Article:
    """Take a published article off the public pages. Raises TransitionError when it is not public."""
    _require_manager(actor)
    article = _lock(article)
    apply_transition(article, ARTICLE_FLOW, "withdraw", actor=actor)
    audit_record(actor=actor, action="article.withdraw", target=article, data={"title": article.title})
    return article


@transaction.atomic
def attachment_add(*, actor, article: Article, file) -> ArticleAttachment:
    """Attach a PDF, Word, Excel, JPEG or PNG file, checked by its content (not its name)."""
    _require_manager(actor)
    article = _lock(article)
    if file is None:
        raise ValidationError({"file": [_("Choose a file.")]})
    if article.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(
            {"file": [_("An article has at most %(n)d attachments.") % {"n": MAX_ATTACHMENTS}]}
        )
    try:
        checked = uploads.check_upload(file, kinds=ATTACHMENT_KINDS, max_bytes=ATTACHMENT_MAX_BYTES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    attachment = ArticleAttachment(
        article=article,
        original_name=checked.name[:200],
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    name = attachment_path(attachment, f"{checked.sha256}{checked.kind.extensions[0]}")
    if attachment.file.storage.exists(name):
        attachment.file.name = name  # the same content is stored once
    else:
        attachment.file.save(name.rsplit("/", 1)[-1], file, save=False)
    attachment.save()
    audit_record(
        actor=actor,
        action="article.attachment_add",
        target=article,
        data={"name": attachment.original_name, "size": checked.size, "sha256": checked.sha256},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, actor, attachment: ArticleAttachment) -> None:
    """Remove an attachment from its article (the stored file stays: others may share its hash)."""
    _require_manager(actor)
    article = _lock(attachment.article)
    deleted, _rows = ArticleAttachment.objects.filter(pk=attachment.pk, article=article).delete()
    if deleted:
        audit_record(
            actor=actor,
            action="article.attachment_remove",
            target=article,
            data={"name": attachment.original_name, "sha256": attachment.sha256},
        )


def article_data(article: Article) -> ArticleIn:
    """The article's editable fields (to prefill a form or build a partial update)."""
    return ArticleIn(
        category=article.category, title=article.title, summary=article.summary, body=article.body
    )
