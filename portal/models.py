"""The public portal's own content (宣传): policy documents, their interpretations and notices.

An ``Article`` is written by the city section (制造业科) as plain text and shown on the public
pages once published; withdrawing it takes it off them again. ``ArticleAttachment`` is a file
attached to it (the document itself, a scan, a table), checked by content when uploaded and
stored under its SHA-256. Publicity, announcements and certificates are ``results``' rows; the
portal only shows them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Article(models.Model):
    """One article of the portal: a policy document, a policy interpretation or a notice."""

    class Category(models.TextChoices):
        POLICY_DOCUMENT = "policy_document", _("Policy documents")
        POLICY_INTERPRETATION = "policy_interpretation", _("Policy interpretations")
        NOTICE = "notice", _("Notices")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(
        _("summary"), max_length=500, blank=True, help_text=_("One or two sentences shown in the lists.")
    )
    body = models.TextField(
        _("text"), blank=True, help_text=_("Plain text; a blank line starts a new paragraph.")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-created_at", "-pk"]
        indexes = [
            # The public lists: published articles of a category, newest first.
            models.Index(fields=["status", "category", "-published_at"], name="portal_article_public"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="portal_article_published_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED


def attachment_path(instance: "ArticleAttachment", filename: str) -> str:
    # Stored under the content hash (the name a user gave is kept in original_name).
    return f"portal/articles/{instance.sha256[:2]}/{filename}"


class ArticleAttachment(models.Model):
    """A file attached to an article, downloadable wherever the article may be read."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("article attachment")
        verbose_name_plural = _("article attachments")
        ordering = ["article", "pk"]

    def __str__(self) -> str:
        return self.original_name
