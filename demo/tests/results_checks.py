"""Checks of the results demo (demo.results) on a database the full demo seeded.

Called from ``test_seed_demo.test_applications_at_every_stage``, which seeds the default demo once
(the seed takes about a minute) and then checks each part of it.
"""

import re
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.utils import timezone

from accidents.models import Accident
from accounts.models import User
from accounts.roles import Role
from dashboard.selectors import DashboardFilters, before_after
from demo import data
from demo.ledger import CONFIRMED
from demo.services import demo_cases
from grading.models import GradingApplication, Status
from lib.uploads import check_upload
from portal.models import Article, ArticleAttachment
from results import domain
from results.models import (
    Announcement,
    Certificate,
    Objection,
    PublicityBatch,
    PublicityEntry,
    RevocationCase,
)
from results.selectors import certificate_search, with_state
from results.services import revocation_scan

# Counted before and after a second run: it must make none of them.
RESULTS_MODELS = (
    PublicityBatch,
    PublicityEntry,
    Objection,
    Announcement,
    Certificate,
    RevocationCase,
    Accident,
    Article,
    ArticleAttachment,
)

LEGACY_NUMBER = re.compile(r"^AQBⅢ(YJ|YS|JC|JX|QG|FZ|YC)辽(20\d\d)(\d{4})$")


def _is_pdf(field) -> bool:
    with field.open("rb") as stored:
        content = stored.read()
    return content.startswith(b"%PDF") and check_upload(ContentFile(content, name="a.pdf")).kind.code == "pdf"


def _moves(batch: PublicityBatch) -> list[tuple[str, str]]:
    return list(batch.transitions.values_list("transition", "actor__username"))


def assert_results(output: str) -> None:
    today = timezone.localdate()
    cases = demo_cases()
    officer = User.objects.get(username="city_officer")

    # On publicity now: the case finalised without findings, listed by the officer, approved by the
    # 科长 today, with one objection from the public still being checked.
    current = PublicityBatch.objects.get(status=PublicityBatch.Status.PUBLISHED)
    (entry,) = current.entries.select_related("application")
    assert entry.application.enterprise == cases[Status.RESULT_CONFIRMATION]
    assert entry.application.status == Status.PUBLICITY and entry.outcome == PublicityEntry.Outcome.LISTED
    assert current.starts_on == today < current.ends_on and current.working_days == 7
    assert _moves(current) == [("submit", "city_officer"), ("approve", "city_chief")]
    assert current.number and current.title.startswith(f"{today.year}年") and current.contact
    (objection,) = Objection.objects.filter(entry__batch=current)
    assert objection.status == Objection.Status.OPEN and objection.ip == "127.0.0.1"
    assert objection.content == data.OBJECTION_CONTENT and objection.due_on > today

    # Announced: the rectified case, its window moved into the past (the demo's only shortcut),
    # announced today by the 科长 with its certificate; both PDFs rendered.
    announced = PublicityBatch.objects.get(status=PublicityBatch.Status.ANNOUNCED)
    assert announced.starts_on < announced.ends_on < today and announced.working_days == 7
    assert _moves(announced) == [
        ("submit", "city_officer"),
        ("approve", "city_chief"),
        ("announce", "city_chief"),
    ]
    announcement = Announcement.objects.get(batch=announced)
    assert announcement.kind == Announcement.Kind.GRADING and announcement.issued_on == today
    assert announcement.issued_by.username == "city_chief" and announcement.cc_recipients
    assert announcement.pdf_sha256 and _is_pdf(announcement.pdf)
    (certificate,) = announcement.certificates.select_related("application")
    application = certificate.application
    assert application.enterprise == cases[CONFIRMED] and application.status == Status.ANNOUNCED
    assert not certificate.legacy and certificate.issued_on == today
    assert certificate.number == f"AQBⅢSM辽{today.year}0001"
    assert certificate.expires_on == today + relativedelta(years=3) - timedelta(days=1)
    assert certificate.pdf_sha256 and _is_pdf(certificate.pdf)
    assert [c.number for c in certificate_search(certificate.number)] == [certificate.number]

    # Certificates issued before the system: forty-odd, in every state, across the divisions.
    legacy = list(with_state(Certificate.objects.filter(legacy=True)).select_related("enterprise__region"))
    assert 35 <= len(legacy) <= 50
    numbers = [c.number for c in legacy]
    assert len(set(numbers)) == len(numbers) and all(LEGACY_NUMBER.match(n) for n in numbers)
    assert all(LEGACY_NUMBER.match(c.number)[2] == str(c.issued_on.year) for c in legacy)
    assert all(
        domain.INDUSTRY_CODES[c.industry] == LEGACY_NUMBER.match(c.number)[1] and c.grade_level == 3
        for c in legacy
    )
    assert all(today - timedelta(days=1790) <= c.issued_on <= today - timedelta(days=400) for c in legacy)
    assert all(c.issued_on.weekday() < 5 for c in legacy)
    assert len({c.enterprise.region_id for c in legacy}) == 6
    assert len({c.industry for c in legacy}) >= 4
    assert len({c.enterprise_id for c in legacy}) == len(legacy)
    states = {c.state for c in legacy}
    assert {domain.ACTIVE, domain.EXPIRING, domain.EXPIRED, domain.REVOKED} == states
    assert not GradingApplication.objects.filter(enterprise__in=[c.enterprise for c in legacy]).exists()

    # Revoked on the city's proposal by the 科长, with its 撤销公告 (PDF rendered) and the ban.
    (revoked,) = RevocationCase.objects.filter(status=RevocationCase.Status.REVOKED).select_related(
        "certificate", "announcement"
    )
    assert not revoked.flagged_by_system and revoked.flagged_by == officer
    assert revoked.decided_by.username == "city_chief" and revoked.ban_until > today
    assert (
        revoked.certificate.status == Certificate.Status.REVOKED and revoked.certificate.revoked_on == today
    )
    assert revoked.announcement.kind == Announcement.Kind.REVOCATION and _is_pdf(revoked.announcement.pdf)

    # Flagged by the system: a death after the certificate was issued; the 科长 has yet to decide.
    (flag,) = RevocationCase.objects.filter(flagged_by_system=True).select_related("certificate")
    assert flag.status == RevocationCase.Status.FLAGGED and flag.ground == RevocationCase.Ground.DEATH
    fatal = Accident.objects.get(pk=int(flag.source.split(":")[1]))
    assert fatal.deaths == 1 and fatal.enterprise_id == flag.certificate.enterprise_id
    assert timezone.localdate(fatal.occurred_at) > flag.certificate.issued_on
    assert flag.certificate.status == Certificate.Status.ACTIVE and flag.certificate.expires_on > today
    # The other accidents of certified firms stay under every revocation threshold: the hourly
    # check finds nothing more to flag.
    assert revocation_scan() == []
    assert Accident.objects.filter(deaths__gt=0).count() == 2  # demo.services' one and this one

    # Before and after certification: about twice the accidents before, but not everywhere.
    figure = before_after(officer, DashboardFilters(), today)
    assert figure.n == len(legacy)
    assert figure.excluded == 1  # the certificate of today: its 12 months after are ahead
    assert 1.5 <= figure.before_accidents / figure.after_accidents <= 3
    assert any(row.after_accidents > row.before_accidents for row in figure.rows)
    assert figure.before_deaths == figure.after_deaths == 0  # the death is past the 12 months after
    # Each accident was recorded by the county officer of the enterprise's division.
    certified = Accident.objects.filter(enterprise__certificates__legacy=True).select_related(
        "recorded_by__organisation", "enterprise"
    )
    assert certified.count() == figure.before_accidents + figure.after_accidents + 1
    assert all(
        a.recorded_by.role == Role.COUNTY_OFFICER
        and a.recorded_by.organisation.region_id == a.enterprise.region_id
        for a in certified
    )

    # The portal: published articles in every category, one with a PDF, one draft.
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    assert 8 <= published.count() <= 10
    assert set(published.values_list("category", flat=True)) == set(Article.Category.values)
    assert all(a.published_at and a.body and a.summary for a in published)
    assert set(Article.objects.values_list("author__username", flat=True)) == {"city_officer"}
    (draft,) = Article.objects.filter(status=Article.Status.DRAFT)
    assert draft.published_at is None
    (attachment,) = ArticleAttachment.objects.select_related("article")
    assert attachment.article.status == Article.Status.PUBLISHED and _is_pdf(attachment.file)
    assert attachment.original_name.endswith(".pdf")

    # The printed guide points at the portal, the lookup, the batch, the flag and the dashboard.
    for text in (
        "/public/",
        "/public/certificates/?q=",
        f"/results/batches/{current.pk}/",
        current.number,
        objection.receipt_number,
        announcement.document_number,
        f"/results/revocations/{flag.pk}/",
        flag.certificate.number,
        revoked.announcement.document_number,
        "/dashboard/",
    ):
        assert text in output, text
