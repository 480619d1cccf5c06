"""The public API (/api/v1/public): what the public pages show, as JSON, without authentication.

Schemas list only public fields: no objector data, no principal names, no internal ids of
applications or enterprises. Reads go through the same public selectors as the pages.
"""

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema

from lib.api import ErrorOut
from portal import selectors
from portal.models import Article
from results import selectors as results_selectors
from results.models import Announcement, Certificate

router = Router(tags=["public"], auth=None)

PUBLIC_ERRORS = {404: ErrorOut, 422: ErrorOut}
MAX_LIMIT = 100

CertificateStateCode = Literal["active", "expiring", "expired", "revoked", "superseded"]
CategoryCode = Literal[tuple(Article.Category.values)]
AnnouncementKindCode = Literal[tuple(Announcement.Kind.values)]


# --- Schemas ------------------------------------------------------------------------------------


class PublicCertificateOut(Schema):
    number: str
    public_id: str = Field(description=gettext_lazy("The code of the verification page (the QR code)."))
    enterprise_name: str
    uscc: str = Field(description=gettext_lazy("Unified social credit code."))
    industry: str
    industry_label: str
    grade_level: int
    grade_label: str
    issued_on: date
    expires_on: date
    state: CertificateStateCode = Field(
        description=gettext_lazy(
            "Valid, expiring (in the renewal window), expired, revoked or superseded today."
        )
    )
    state_label: str
    revoked_on: date | None
    verify_url: str

    @staticmethod
    def resolve_industry_label(obj: Certificate) -> str:
        return str(obj.get_industry_display())

    @staticmethod
    def resolve_grade_label(obj: Certificate) -> str:
        return str(obj.get_grade_level_display())

    @staticmethod
    def resolve_state_label(obj: Certificate) -> str:
        return str(results_selectors.state_label(obj.state))

    @staticmethod
    def resolve_verify_url(obj: Certificate) -> str:
        return reverse("portal:certificate_verify", kwargs={"public_id": obj.public_id})


class PublicCertificateListOut(Schema):
    items: list[PublicCertificateOut]


class PublicEntryOut(Schema):
    id: int
    enterprise_name: str
    division: str
    industry: str
    industry_label: str
    grade_level: int
    grade_label: str
    percentage: str | None = Field(description=gettext_lazy('The review score in percent, e.g. "86.5".'))
    review_date: date | None

    @staticmethod
    def resolve_division(obj) -> str:
        return obj.region_name

    @staticmethod
    def resolve_industry_label(obj) -> str:
        return str(obj.get_industry_display())

    @staticmethod
    def resolve_grade_label(obj) -> str:
        return str(obj.get_grade_level_display())

    @staticmethod
    def resolve_percentage(obj) -> str | None:
        return None if obj.percentage is None else str(obj.percentage)


class PublicBatchOut(Schema):
    id: int
    number: str
    title: str
    intro: str
    contact: str = Field(description=gettext_lazy("Where and how the public may object."))
    starts_on: date | None
    ends_on: date | None
    working_days: int | None
    entries: list[PublicEntryOut]
    url: str

    @staticmethod
    def resolve_entries(obj) -> list:
        return obj.public_entry_list

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("portal:publicity_detail", args=[obj.pk])


class PublicAnnouncementOut(Schema):
    id: int
    kind: AnnouncementKindCode
    kind_label: str
    document_number: str
    title: str
    issued_on: date
    url: str
    pdf_url: str | None

    @staticmethod
    def resolve_kind_label(obj: Announcement) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_url(obj: Announcement) -> str:
        return reverse("portal:announcement_detail", args=[obj.pk])

    @staticmethod
    def resolve_pdf_url(obj: Announcement) -> str | None:
        return reverse("portal:announcement_pdf", args=[obj.pk]) if obj.pdf else None


class PublicAnnouncementListOut(Schema):
    count: int
    items: list[PublicAnnouncementOut]


class PublicAnnouncementDetailOut(PublicAnnouncementOut):
    body: str
    cc_recipients: list[str] = Field(description=gettext_lazy("The departments it is copied to (抄送)."))
    certificates: list[PublicCertificateOut]

    @staticmethod
    def resolve_certificates(obj: Announcement) -> list:
        return obj.public_certificates


class PublicAttachmentOut(Schema):
    name: str
    size: int
    url: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.original_name

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("portal:article_attachment", args=[obj.article_id, obj.pk])


class PublicArticleOut(Schema):
    id: int
    category: CategoryCode
    category_label: str
    title: str
    summary: str
    published_at: datetime
    url: str

    @staticmethod
    def resolve_category_label(obj: Article) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_url(obj: Article) -> str:
        return reverse("portal:article_detail", args=[obj.pk])


class PublicArticleListOut(Schema):
    count: int
    items: list[PublicArticleOut]


class PublicArticleDetailOut(PublicArticleOut):
    body: str = Field(description=gettext_lazy("Plain text; a blank line separates paragraphs."))
    attachments: list[PublicAttachmentOut]

    @staticmethod
    def resolve_attachments(obj: Article) -> list:
        return list(obj.attachments.all())


class PageParams(Schema):
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


class ArticleParams(PageParams):
    category: CategoryCode | None = None


class AnnouncementParams(PageParams):
    kind: AnnouncementKindCode | None = None


class CertificateParams(Schema):
    q: str = Field(
        "", max_length=100, description=gettext_lazy("Certificate number, USCC or part of the name.")
    )


# --- Operations -----------------------------------------------------------------------------


@router.get(
    "/certificates",
    response={200: PublicCertificateListOut, **PUBLIC_ERRORS},
    summary=gettext_lazy("Look up certificates"),
    description=gettext_lazy(
        "By certificate number or USCC (exact) or part of the enterprise name (at least 2 characters); "
        "at most 20 results."
    ),
)
def certificate_search(request: HttpRequest, params: Query[CertificateParams]):
    return {"items": results_selectors.certificate_search(params.q)}


@router.get(
    "/certificates/{public_id}",
    response={200: PublicCertificateOut, **PUBLIC_ERRORS},
    summary=gettext_lazy("Verify a certificate"),
)
def certificate_verify(request: HttpRequest, public_id: str):
    return results_selectors.certificate_by_public_id(public_id)


@router.get(
    "/publicity",
    response={200: list[PublicBatchOut], **PUBLIC_ERRORS},
    summary=gettext_lazy("Publicity now running"),
    description=gettext_lazy("The batches on publicity today, with the enterprises listed."),
)
def publicity(request: HttpRequest):
    return list(selectors.current_batches(with_entries=True))


@router.get(
    "/announcements",
    response={200: PublicAnnouncementListOut, **PUBLIC_ERRORS},
    summary=gettext_lazy("Announcements"),
)
def announcement_list(request: HttpRequest, params: Query[AnnouncementParams]):
    rows = results_selectors.public_announcements(params.kind or "")
    return {"count": rows.count(), "items": list(rows[params.offset : params.offset + params.limit])}


@router.get(
    "/announcements/{announcement_id}",
    response={200: PublicAnnouncementDetailOut, **PUBLIC_ERRORS},
    summary=gettext_lazy("One announcement with its certificates"),
)
def announcement_detail(request: HttpRequest, announcement_id: int):
    announcement = results_selectors.public_announcement(announcement_id)
    announcement.public_certificates = selectors.announcement_certificates_public(announcement)
    return announcement


@router.get(
    "/articles",
    response={200: PublicArticleListOut, **PUBLIC_ERRORS},
    summary=gettext_lazy("Published articles"),
    description=gettext_lazy("Policy documents, policy interpretations and notices, newest first."),
)
def article_list(request: HttpRequest, params: Query[ArticleParams]):
    rows = selectors.public_articles(params.category or "")
    return {"count": rows.count(), "items": list(rows[params.offset : params.offset + params.limit])}


@router.get(
    "/articles/{article_id}",
    response={200: PublicArticleDetailOut, **PUBLIC_ERRORS},
    summary=gettext_lazy("One published article"),
)
def article_detail(request: HttpRequest, article_id: int):
    return selectors.public_article(article_id)
