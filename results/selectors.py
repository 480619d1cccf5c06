"""Reads of results: the staff lists (scoped through ``results.permissions``) and the public
ones (what the portal and the public API show, with personal details left out)."""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from grading.models import GradingApplication, Status
from grading.permissions import visible_to as applications_visible_to
from lib.search import gram_prefilter
from regulation.selectors import param_int
from results import domain
from results.models import (
    Announcement,
    Certificate,
    Objection,
    PublicityBatch,
    PublicityEntry,
    RevocationCase,
)
from results.permissions import (
    batches_visible_to,
    certificates_visible_to,
    objections_visible_to,
    revocations_visible_to,
)

B = PublicityBatch.Status
PUBLIC_BATCH_STATES = (B.PUBLISHED, B.ANNOUNCED)


# --- Certificate state in SQL (有效 / 即将到期 / 已过期 / 已撤销 / 已换证) ----------------------------


def with_state(rows: QuerySet[Certificate], today: date | None = None) -> QuerySet[Certificate]:
    """Annotate ``state`` as ``results.domain.certificate_state`` computes it, so lists filter
    and count by it in the database."""
    today = today or timezone.localdate()
    window = param_int("renewal_window", today)
    return rows.annotate(
        state=Case(
            When(status=Certificate.Status.REVOKED, then=Value(domain.REVOKED)),
            When(status=Certificate.Status.SUPERSEDED, then=Value(domain.SUPERSEDED)),
            When(expires_on__lt=today, then=Value(domain.EXPIRED)),
            When(expires_on__lt=today + relativedelta(months=window), then=Value(domain.EXPIRING)),
            default=Value(domain.ACTIVE),
            output_field=CharField(),
        )
    )


def state_label(state: str):
    from django.utils.translation import gettext as _

    return {
        domain.ACTIVE: _("Valid"),
        domain.EXPIRING: _("Expiring soon"),
        domain.EXPIRED: _("Expired"),
        domain.REVOKED: _("Revoked"),
        domain.SUPERSEDED: _("Superseded by renewal"),
    }.get(state, state)


def certificate_state(certificate: Certificate, today: date | None = None) -> str:
    today = today or timezone.localdate()
    return domain.certificate_state(
        certificate.status, certificate.expires_on, today, param_int("renewal_window", today)
    )


# --- Staff lists -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateFilters:
    q: str = ""
    state: str = ""
    industry: str = ""
    region: str = ""  # a region path prefix
    year: int | None = None


def certificate_list(*, user, filters: CertificateFilters | None = None) -> QuerySet[Certificate]:
    filters = filters or CertificateFilters()
    rows = with_state(certificates_visible_to(user))
    if filters.q:
        q = filters.q.strip()
        rows = rows.filter(Q(number__icontains=q) | Q(enterprise_name__icontains=q) | Q(uscc=q.upper()))
    if filters.state:
        rows = rows.filter(state=filters.state)
    if filters.industry:
        rows = rows.filter(industry=filters.industry)
    if filters.region:
        rows = rows.filter(region_path__startswith=filters.region)
    if filters.year:
        rows = rows.filter(issued_on__year=filters.year)
    return rows.select_related("announcement", "enterprise__region").order_by("-issued_on", "-pk")


def certificate_state_counts(*, user) -> dict[str, int]:
    rows = with_state(certificates_visible_to(user)).values("state").annotate(n=Count("pk"))
    return {r["state"]: r["n"] for r in rows}


def batch_list(*, user) -> QuerySet[PublicityBatch]:
    return batches_visible_to(user).annotate(
        entry_count=Count("entries", distinct=True),
        open_objections=Count(
            "entries__objections", filter=Q(entries__objections__status="open"), distinct=True
        ),
    )


def batch_entries(batch: PublicityBatch) -> QuerySet[PublicityEntry]:
    return batch.entries.select_related("application__enterprise").annotate(
        objection_count=Count("objections"),
        open_objection_count=Count("objections", filter=Q(objections__status=Objection.Status.OPEN)),
    )


def awaiting_publicity(*, user) -> QuerySet[GradingApplication]:
    """Applications awaiting result confirmation and not in an open batch: the candidates."""
    listed = PublicityEntry.objects.filter(
        outcome=PublicityEntry.Outcome.LISTED, batch__status__in=[B.DRAFT, B.SUBMITTED, B.PUBLISHED]
    ).values("application_id")
    return (
        applications_visible_to(user)
        .filter(status=Status.RESULT_CONFIRMATION)
        .exclude(pk__in=listed)
        .select_related("enterprise__region", "site_review")
        .order_by("status_changed_at", "pk")
    )


def objection_list(*, user, status: str = "") -> QuerySet[Objection]:
    rows = objections_visible_to(user).select_related("entry__batch")
    if status:
        rows = rows.filter(status=status)
    return rows


def revocation_list(*, user, status: str = "") -> QuerySet[RevocationCase]:
    rows = revocations_visible_to(user).select_related("certificate")
    if status:
        rows = rows.filter(status=status)
    return rows


# --- The public face ----------------------------------------------------------------------------


def public_batches(*, current_only: bool = True, today: date | None = None) -> QuerySet[PublicityBatch]:
    """Publicity batches shown on the portal: those on publicity now (or every public one)."""
    today = today or timezone.localdate()
    rows = PublicityBatch.objects.filter(status__in=PUBLIC_BATCH_STATES)
    if current_only:
        rows = rows.filter(status=B.PUBLISHED)
    return rows.order_by("-starts_on", "-pk")


def public_batch(pk) -> PublicityBatch:
    try:
        return PublicityBatch.objects.get(pk=pk, status__in=PUBLIC_BATCH_STATES)
    except (PublicityBatch.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def public_entries(batch: PublicityBatch) -> QuerySet[PublicityEntry]:
    """What the public list shows: enterprise, division, industry, grade, score, review date."""
    return batch.entries.exclude(outcome=PublicityEntry.Outcome.WITHDRAWN).only(
        "pk",
        "batch_id",
        "enterprise_name",
        "region_name",
        "industry",
        "grade_level",
        "percentage",
        "review_date",
    )


def public_entry(pk) -> PublicityEntry:
    try:
        return PublicityEntry.objects.select_related("batch").get(
            pk=pk, batch__status=B.PUBLISHED, outcome=PublicityEntry.Outcome.LISTED
        )
    except (PublicityEntry.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def public_announcements(kind: str = "") -> QuerySet[Announcement]:
    rows = Announcement.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("-issued_on", "-pk")


def public_announcement(pk) -> Announcement:
    try:
        return Announcement.objects.get(pk=pk)
    except (Announcement.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def announcement_certificates(announcement: Announcement) -> QuerySet[Certificate]:
    if announcement.kind == Announcement.Kind.REVOCATION:
        return Certificate.objects.filter(revocation_cases__announcement=announcement)
    return announcement.certificates.order_by("number")


PUBLIC_CERTIFICATE_FIELDS = (
    "pk",
    "number",
    "public_id",
    "enterprise_name",
    "uscc",
    "industry",
    "grade_level",
    "issued_on",
    "expires_on",
    "status",
    "revoked_on",
    "announcement",  # the related manager of an announcement reads it back: not deferred
)


def certificate_search(query: str, *, limit: int = 20) -> list[Certificate]:
    """Public lookup by certificate number, USCC (exact) or enterprise name (contains, ≥2 chars)."""
    query = (query or "").strip()
    if not query:
        return []
    rows = with_state(Certificate.objects.only(*PUBLIC_CERTIFICATE_FIELDS))
    exact = Q(number=query) | Q(uscc=query.upper())
    if len(query) >= 2:
        by_name = Q(enterprise_name__icontains=query)
        prefilter = gram_prefilter("name_grams", query)
        if prefilter is not None:  # PostgreSQL: the GIN index of name grams gives the candidates
            by_name &= Q(prefilter)
        exact |= by_name
    return list(rows.filter(exact).order_by("-issued_on", "-pk")[:limit])


def certificate_by_public_id(public_id: str) -> Certificate:
    try:
        return with_state(Certificate.objects.only(*PUBLIC_CERTIFICATE_FIELDS)).get(public_id=public_id)
    except (Certificate.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
