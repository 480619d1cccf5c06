"""Results objects for tests: applications ready for publicity, batches, objections, certificates.

- ``make_result_ready(personas)``: the persona enterprise's application walked through acceptance
  by the real services (``grading.tests.factories.advance``), then put at result confirmation
  with an on-site review (score, review date) the way the review would leave it. Its
  eligibility holds, so a batch of it can be approved and announced. With ``enterprise=`` (any
  other enterprise, e.g. ``other_enterprise(personas)``) the application is a bare draft put at
  result confirmation: fine to list, count and draft, not eligible for approval.
- ``make_batch(personas, applications, status=…)``: a publicity batch walked through the
  services to draft / submitted / published (approved today).
- ``file_objection(entry, …)``: an objection filed by the public through the service.
- ``make_certificate(enterprise=…, issued_on=…, status=…)``: a certificate written directly (with
  an announced application behind it), for lists, scoping, renewal and the yearly self-assessment.

Computing working days needs a year chinese-calendar knows: run under the ``results_clock``
fixture (2026), see ``results/tests/conftest.py``.
"""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory, admin_org, region
from enterprises.models import Enterprise
from enterprises.tests.factories import EnterpriseFactory
from grading.models import GradingApplication, Status
from grading.tests.factories import advance, commerce_enterprise, make_application
from results import domain, services
from results.models import Certificate, Objection, PublicityBatch, PublicityEntry
from results.services import ObjectionIn
from reviews.models import Conclusion, SiteReview
from standards.models import ScoreSheet
from standards.tests.factories import published_warehousing

B = PublicityBatch.Status
_SEQ = itertools.count(1)


def _admin():
    from accounts.models import User

    return User.objects.filter(role=Role.SYSTEM_ADMIN).first() or UserFactory(
        username=f"results-admin-{next(_SEQ)}", role=Role.SYSTEM_ADMIN, organisation=admin_org()
    )


def commerce(enterprise: Enterprise) -> Enterprise:
    """Make ``enterprise`` a 商贸 one, so the bundled 仓储物流 standard applies to it."""
    if enterprise.industry != "commerce_trade":
        enterprise.gb4754_code = "5951"
        enterprise.industry = "commerce_trade"
        enterprise.safety_manager_name = enterprise.safety_manager_name or "李四"
        enterprise.save()
    return enterprise


def other_enterprise(personas=None, *, division: str = "站前区", name: str = "") -> Enterprise:
    """Another 商贸 enterprise with its organisation (in the persona county by default)."""
    return commerce(
        EnterpriseFactory(
            name=name or f"营口测试{next(_SEQ)}号商贸有限公司",
            region=region(division),
            with_organisation=True,
        )
    )


def _bare_application(enterprise: Enterprise, *, status: str, grade_level: int = 3) -> GradingApplication:
    """An application written directly (no filing behind it): for lists, counts and certificates."""
    admin = _admin()
    standard = published_warehousing(admin)
    sheet = ScoreSheet.objects.create(
        standard=standard,
        kind=ScoreSheet.Kind.SELF_ASSESSMENT,
        title=f"自评 {enterprise.name}",
        created_by=admin,
        updated_by=admin,
    )
    return GradingApplication.objects.create(
        number=f"TEST{next(_SEQ):06d}",
        enterprise=enterprise,
        grade_level=grade_level,
        standard=standard,
        self_sheet=sheet,
        status=status,
        status_changed_at=timezone.now(),
        created_by=admin,
    )


def make_result_ready(
    personas,
    *,
    enterprise: Enterprise | None = None,
    percentage: Decimal | str = "92.5",
    review_date: date | None = None,
) -> GradingApplication:
    """An application at result confirmation with its on-site review's score and date."""
    if enterprise is None:
        application = advance(make_application(personas), personas, Status.ACCEPTED)
    else:
        application = _bare_application(commerce(enterprise), status=Status.ACCEPTED)
    GradingApplication.objects.filter(pk=application.pk).update(
        status=Status.RESULT_CONFIRMATION, status_changed_at=timezone.now()
    )
    SiteReview.objects.create(
        application=application,
        date=review_date or timezone.localdate() - timedelta(days=10),
        place="企业现场",
        scheduled_by=personas.city_officer,
        conclusion=Conclusion.PASS,
        percentage=Decimal(str(percentage)),
        final_level=application.grade_level,
    )
    return GradingApplication.objects.select_related("enterprise", "site_review").get(pk=application.pk)


def make_batch(
    personas, applications: list[GradingApplication], *, status: str = B.DRAFT, title: str = ""
) -> PublicityBatch:
    """A batch of ``applications`` walked through the services to ``status`` (draft, submitted, published)."""
    batch = services.batch_create(
        actor=personas.city_officer,
        title=title or f"2026年第{next(_SEQ)}批安全生产标准化三级企业公示",
        contact="市应急管理局制造业科 电话 0417-2800000",
        intro="以下企业拟确定为安全生产标准化三级企业，现予公示。",
        applications=applications,
    )
    if status in (B.SUBMITTED, B.PUBLISHED):
        services.batch_submit(actor=personas.city_officer, batch=batch)
    if status == B.PUBLISHED:
        services.batch_approve(actor=personas.city_chief, batch=batch)
    batch.refresh_from_db()
    return batch


def file_objection(
    entry: PublicityEntry,
    *,
    name: str = "王五",
    contact: str = "13812345678",
    content: str = "该企业仓库消防通道长期堵塞，与公示的评审得分不符。",
    files=(),
    ip: str | None = None,
) -> Objection:
    return services.objection_file(
        entry=entry, data=ObjectionIn(name=name, contact=contact, content=content), files=files, ip=ip
    )


def make_certificate(
    *,
    enterprise: Enterprise,
    issued_on: date | None = None,
    status: str = Certificate.Status.ACTIVE,
    grade_level: int = 3,
    expires_on: date | None = None,
    number: str = "",
    application: GradingApplication | None = None,
) -> Certificate:
    """A certificate of ``enterprise`` issued on ``issued_on`` (today by default), valid three years."""
    issued_on = issued_on or timezone.localdate()
    commerce(enterprise)
    application = application or _bare_application(
        enterprise, status=Status.ANNOUNCED, grade_level=grade_level
    )
    return Certificate.objects.create(
        number=number or f"AQBⅢSM辽{issued_on.year}{next(_SEQ):04d}",
        enterprise=enterprise,
        application=application,
        enterprise_name=enterprise.name,
        uscc=enterprise.uscc,
        region_path=enterprise.region_path,
        industry=enterprise.industry,
        grade_level=grade_level,
        issued_on=issued_on,
        expires_on=expires_on or domain.certificate_expiry(issued_on, 3),
        status=status,
        revoked_on=issued_on + timedelta(days=30) if status == Certificate.Status.REVOKED else None,
    )


def persona_certificate(personas, **kwargs) -> Certificate:
    """A certificate of the persona enterprise (站前区; its users are the persona enterprise users)."""
    return make_certificate(enterprise=commerce_enterprise(personas), **kwargs)
