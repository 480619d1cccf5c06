"""Rows for the portal's tests. Results rows are made with the ORM (their services are the lead's
concern); the persona enterprise's application comes from ``grading.tests.factories``, further
enterprises get a bare application each (a certificate and an entry need one)."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from enterprises.tests.factories import EnterpriseFactory
from grading.models import GradingApplication
from grading.tests.factories import make_application
from portal import services
from results.models import Announcement, Certificate, PublicityBatch, PublicityEntry
from standards.models import ScoreSheet
from standards.tests.factories import published_warehousing

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_numbers = itertools.count(1)


def pdf_upload(name: str = "政策原文.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def make_article(actor, *, publish: bool = False, **fields):
    data = {"category": "policy_document", "title": "关于开展安全生产标准化定级工作的通知", **fields}
    article = services.article_create(actor=actor, data=services.ArticleIn(**data))
    if publish:
        services.article_publish(actor=actor, article=article)
        article.refresh_from_db()
    return article


def application_for(personas, enterprise=None) -> GradingApplication:
    """The persona enterprise's application (through grading's factory), or a bare one."""
    if enterprise is None:
        return make_application(personas)
    standard = published_warehousing(personas.admin)
    sheet = ScoreSheet.objects.create(
        standard=standard, kind=ScoreSheet.Kind.SELF_ASSESSMENT, created_by=personas.admin
    )
    return GradingApplication.objects.create(
        number=f"DJT{next(_numbers):06d}",
        enterprise=enterprise,
        standard=standard,
        self_sheet=sheet,
        created_by=personas.admin,
    )


def make_certificate(personas, *, enterprise=None, own_enterprise: bool = False, **fields) -> Certificate:
    """A certificate of a new enterprise (or of the persona enterprise with ``own_enterprise``)."""
    if own_enterprise:
        application = application_for(personas)
        enterprise = application.enterprise
    else:
        enterprise = enterprise or EnterpriseFactory(industry="commerce_trade", gb4754_code="5951")
        application = application_for(personas, enterprise)
    issued = fields.pop("issued_on", timezone.localdate() - timedelta(days=30))
    values = {
        "number": f"AQBⅢSM辽{issued.year}{next(_numbers):04d}",
        "enterprise": enterprise,
        "application": application,
        "enterprise_name": enterprise.name,
        "uscc": enterprise.uscc,
        "region_path": enterprise.region_path,
        "industry": enterprise.industry,
        "grade_level": 3,
        "issued_on": issued,
        "expires_on": date(issued.year + 3, issued.month, issued.day) - timedelta(days=1),
        **fields,
    }
    return Certificate.objects.create(**values)


def make_batch(
    personas, *, entries: int = 1, status=PublicityBatch.Status.PUBLISHED, **fields
) -> PublicityBatch:
    today = timezone.localdate()
    values = {
        "number": f"营应急公示〔{today.year}〕{next(_numbers)}号",
        "title": "2026年第一批工贸企业安全生产标准化三级定级结果公示",
        "intro": "经企业自评、属地初审、市局再审和现场评审，以下企业拟定为安全生产标准化三级企业。",
        "contact": "营口市应急管理局制造业科，电话 0417-2800000",
        "status": status,
        "created_by": personas.city_officer,
        "starts_on": today - timedelta(days=2),
        "ends_on": today + timedelta(days=9),
        "working_days": 7,
        **fields,
    }
    batch = PublicityBatch.objects.create(**values)
    for _ in range(entries):
        add_entry(personas, batch)
    return batch


def add_entry(personas, batch: PublicityBatch, **fields) -> PublicityEntry:
    enterprise = EnterpriseFactory(industry="commerce_trade", gb4754_code="5951")
    values = {
        "batch": batch,
        "application": application_for(personas, enterprise),
        "enterprise_name": enterprise.name,
        "region_name": enterprise.region.name,
        "industry": enterprise.industry,
        "grade_level": 3,
        "percentage": Decimal("86.5"),
        "review_date": timezone.localdate() - timedelta(days=20),
        **fields,
    }
    return PublicityEntry.objects.create(**values)


def make_announcement(personas, *, certificates=(), **fields) -> Announcement:
    values = {
        "kind": Announcement.Kind.GRADING,
        "document_number": f"营应急公告〔2026〕{next(_numbers)}号",
        "title": "关于公布2026年第一批安全生产标准化三级企业名单的公告",
        "body": "根据《企业安全生产标准化建设定级办法》，现将名单公告如下。",
        "issued_on": timezone.localdate() - timedelta(days=30),
        "issued_by": personas.city_chief,
        "cc_recipients": ["市工业和信息化局", "市市场监督管理局"],
        **fields,
    }
    announcement = Announcement.objects.create(**values)
    for certificate in certificates:
        certificate.announcement = announcement
        certificate.save(update_fields=["announcement"])
    return announcement
