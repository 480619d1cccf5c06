"""Reads of the expert pool. Lists start from visible_to(user); per-expert reads take an expert
the caller has already checked access to (get_expert_for_user)."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from accounts.models import Region
from audit.domain import FieldInfo, describe_data
from audit.models import AuditEvent
from audit.selectors import history_for
from enterprises.models import Industry
from experts.domain import certificate_expiry
from experts.models import (
    Expert,
    ExpertCertificate,
    ExpertChangeRequest,
    ExpertRating,
    ExpertRelation,
    ExpertUnavailability,
    Skill,
    Specialty,
)
from experts.permissions import visible_to
from experts.services import CERTIFICATES_ADD, CERTIFICATES_REMOVE


@dataclass(frozen=True)
class ExpertFilters:
    """The filters of the expert list, shared by the page, the export and the API."""

    status: str = ""
    specialty: str = ""
    industry: str = ""
    skill: str = ""
    region: int | None = None
    can_lead: bool | None = None
    q: str = ""


def _json_has(field_name: str, code: str) -> Q:
    # JSON lists of codes: match the quoted element in the stored text. Works on SQLite and
    # PostgreSQL alike (JSON "contains" is not available on SQLite); codes never contain quotes.
    return Q(**{f"{field_name}__icontains": f'"{code}"'})


def expert_list(*, user, filters: ExpertFilters | None = None, status: str = "") -> QuerySet[Expert]:
    """Return the user's experts narrowed by the filters, by name, with region and account preloaded.

    ``q`` matches the name (substring), its pinyin (full or initials: "zsj" finds 张三军) or
    the employer (substring).
    """
    f = filters or ExpertFilters(status=status)
    qs = visible_to(user)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.specialty:
        qs = qs.filter(_json_has("specialties", f.specialty))
    if f.industry:
        qs = qs.filter(_json_has("industries", f.industry))
    if f.skill:
        qs = qs.filter(_json_has("skills", f.skill))
    if f.region:
        qs = qs.filter(region_id=f.region)
    if f.can_lead is not None:
        qs = qs.filter(can_lead=f.can_lead)
    q = f.q.strip()
    if q:
        condition = Q(name__icontains=q) | Q(employer__icontains=q)
        if q.isascii():
            key = q.lower().replace(" ", "")
            condition |= Q(name_initials__contains=key) | Q(name_pinyin__contains=key)
        qs = qs.filter(condition)
    return qs.select_related("region", "user").order_by("name", "pk")


def division_choices(user) -> QuerySet[Region]:
    """Return the county-level divisions an expert of the user's pool may be recorded in."""
    from accounts.permissions import county_regions_for

    return county_regions_for(user)


# --- Labels ------------------------------------------------------------------------

_CHOICES = {"specialties": Specialty, "industries": Industry, "skills": Skill}


def code_labels(kind: str, codes: list[str] | None) -> list[str]:
    """Return the labels of a list of specialty, industry or skill codes (unknown codes as is)."""
    choices = _CHOICES[kind]
    labels = dict(choices.choices)
    return [str(labels.get(code, code)) for code in codes or []]


# --- Ratings -------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingSummary:
    """An expert's ratings at a glance: how many, the average of the four scores, the last one."""

    count: int
    average: Decimal | None
    last: ExpertRating | None


def rating_summary(expert: Expert) -> RatingSummary:
    """Return the count, the average of the four scores over all ratings, and the latest rating."""
    row = ExpertRating.objects.filter(expert=expert).aggregate(
        count=Count("pk"),
        professional=Sum("professional"),
        discipline=Sum("discipline"),
        ethics=Sum("ethics"),
        integrity=Sum("integrity"),
    )
    count = row["count"] or 0
    if not count:
        return RatingSummary(0, None, None)
    total = sum(row[name] or 0 for name in ("professional", "discipline", "ethics", "integrity"))
    # Every rating weighs the same: the mean of all four scores of all ratings.
    average = (Decimal(total) / Decimal(4 * count)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    last = (
        ExpertRating.objects.filter(expert=expert)
        .select_related("rated_by")
        .order_by("-rated_at", "-pk")
        .first()
    )
    return RatingSummary(count, average, last)


def expert_ratings(expert: Expert) -> QuerySet[ExpertRating]:
    return ExpertRating.objects.filter(expert=expert).select_related("rated_by").order_by("-rated_at", "-pk")


# --- Certificates, relations, dates ----------------------------------------------------


@dataclass(frozen=True)
class CertificateRow:
    """A certificate as a page shows it: its expiry badge and whether its removal is requested."""

    certificate: ExpertCertificate
    expiry: str  # "expired", "expiring" or ""
    removal_requested: bool


def expert_certificates(expert: Expert, *, today: date, include_closed: bool = False) -> list[CertificateRow]:
    """Return the expert's current certificates (recorded and awaiting approval), soonest expiry first."""
    qs = ExpertCertificate.objects.filter(expert=expert)
    if not include_closed:
        qs = qs.filter(state__in=[ExpertCertificate.State.RECORDED, ExpertCertificate.State.PENDING])
    pending = pending_change_request(expert)
    removing = set(pending.changes.get(CERTIFICATES_REMOVE, [])) if pending else set()
    return [
        CertificateRow(c, certificate_expiry(c.expires_on, today), c.pk in removing)
        for c in qs.order_by("expires_on", "pk")
    ]


def expert_relations(expert: Expert) -> QuerySet[ExpertRelation]:
    return (
        ExpertRelation.objects.filter(expert=expert)
        .select_related("enterprise")
        .order_by("kind", "-start", "pk")
    )


def expert_unavailabilities(expert: Expert, *, today: date | None = None) -> QuerySet[ExpertUnavailability]:
    """Return the expert's unavailable periods, earliest first; with ``today``, only those not over."""
    qs = ExpertUnavailability.objects.filter(expert=expert)
    if today is not None:
        qs = qs.filter(end__gte=today)
    return qs.order_by("start", "pk")


# --- Change requests ----------------------------------------------------------------------


def pending_change_request(expert: Expert) -> ExpertChangeRequest | None:
    return ExpertChangeRequest.objects.filter(
        expert=expert, status=ExpertChangeRequest.Status.PENDING
    ).first()


def expert_change_requests(expert: Expert) -> QuerySet[ExpertChangeRequest]:
    return (
        ExpertChangeRequest.objects.filter(expert=expert)
        .select_related("expert", "requested_by", "decided_by")
        .order_by("-requested_at", "-pk")
    )


def change_request_queue(
    *, user, status: str = ExpertChangeRequest.Status.PENDING
) -> QuerySet[ExpertChangeRequest]:
    """Return the change requests of the user's pool (pending by default), oldest first."""
    qs = ExpertChangeRequest.objects.filter(expert__in=visible_to(user))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("expert", "requested_by", "decided_by").order_by("requested_at", "pk")


@dataclass(frozen=True)
class ChangeLine:
    """One requested change as shown to the decider: field label, value now, value asked for."""

    label: str
    current: str
    requested: str


def _display(name: str, value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if name in _CHOICES:
        return "、".join(code_labels(name, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


def change_request_lines(request: ExpertChangeRequest) -> list[ChangeLine]:
    """Return what the request asks for, field by field, next to the expert's current values."""
    expert = request.expert
    lines = []
    for name, value in (request.changes or {}).items():
        if name in (CERTIFICATES_ADD, CERTIFICATES_REMOVE):
            continue
        label = str(Expert._meta.get_field(name).verbose_name)
        lines.append(ChangeLine(label, _display(name, getattr(expert, name, None)), _display(name, value)))
    ids = [*request.changes.get(CERTIFICATES_ADD, []), *request.changes.get(CERTIFICATES_REMOVE, [])]
    if ids:
        certificates = ExpertCertificate.objects.in_bulk(ids)
        for key, label in (
            (CERTIFICATES_ADD, _("Add certificate")),
            (CERTIFICATES_REMOVE, _("Remove certificate")),
        ):
            for pk in request.changes.get(key, []):
                certificate = certificates.get(pk)
                if certificate is not None:
                    text = certificate.name + (f" {certificate.number}" if certificate.number else "")
                    if certificate.expires_on:
                        text += " " + _("valid until %(date)s") % {"date": certificate.expires_on.isoformat()}
                    lines.append(ChangeLine(str(label), "—", text))
    return lines


# --- History ----------------------------------------------------------------------------

RATING_ACTIONS = frozenset({"expert.rate"})
# Bookkeeping in the events' data that says nothing to a reader.
_HIDDEN_KEYS = frozenset({"id", "enterprise", "sha256", "request", "ids"})


def _history_fields() -> dict[str, FieldInfo]:
    """Labels and value labels for the keys of the expert's events (profile, relations, certificates…)."""
    info: dict[str, FieldInfo] = {}
    for model in (
        ExpertRating,
        ExpertUnavailability,
        ExpertCertificate,
        ExpertRelation,
        Expert,
    ):  # Expert wins
        for f in model._meta.get_fields():
            if hasattr(f, "verbose_name") and not f.is_relation:
                choices = {str(k): v for k, v in f.flatchoices} if getattr(f, "choices", None) else None
                info[f.name] = FieldInfo(str(f.verbose_name), choices)
    for name, choices in _CHOICES.items():
        info[name] = FieldInfo(str(Expert._meta.get_field(name).verbose_name), dict(choices.choices))
    statuses = dict(Expert.Status.choices)
    info["region"] = FieldInfo(
        str(Expert._meta.get_field("region").verbose_name), dict(Region.objects.values_list("code", "name"))
    )
    info["user"] = FieldInfo(str(Expert._meta.get_field("user").verbose_name))
    info["from"] = FieldInfo(_("From"), statuses)
    info["to"] = FieldInfo(_("To"), statuses)
    info["reason"] = FieldInfo(_("Reason"))
    info["approved"] = FieldInfo(_("Approved"))
    info["average"] = FieldInfo(_("Average"))
    info["import"] = FieldInfo(_("Imported from"))
    info["certificates"] = FieldInfo(_("Certificates"))
    return info


def expert_history(
    *, expert: Expert, include_ratings: bool = True
) -> list[tuple[AuditEvent, list[tuple[str, str]]]]:
    """Return the expert's audit events with readable detail lines, newest first.

    The caller has checked that the user may see the expert; rating events are left out
    for viewers who may not see the ratings (the expert himself).
    """
    events = history_for(expert).select_related("actor")
    if not include_ratings:
        events = events.exclude(action__in=RATING_ACTIONS)
    fields = _history_fields()
    rows = []
    for event in events:
        data = event.data if isinstance(event.data, dict) else {"data": event.data}
        for nested in ("after", "before"):
            if isinstance(data.get(nested), dict):
                data = {**data, nested: {k: v for k, v in data[nested].items() if k not in _HIDDEN_KEYS}}
        shown = {k: v for k, v in data.items() if k not in _HIDDEN_KEYS}
        rows.append((event, describe_data(shown, fields)))
    return rows


# --- Import template --------------------------------------------------------------------


def import_template_values(*, user) -> dict[str, Any]:
    """Return what the import template lists as valid values for the user."""
    return {"divisions": [r.name for r in division_choices(user)]}
