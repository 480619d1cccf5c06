"""Reads of the registry. Every function starts from visible_to(user)."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from enterprises.domain import normalise_uscc
from enterprises.models import Enterprise, IndustryMapping, RiskTag
from enterprises.permissions import visible_to


@dataclass(frozen=True)
class EnterpriseFilters:
    """The filters of the enterprise list, shared by the page, the export and the API."""

    region: int | None = None
    industry: str = ""
    risk_tag: str = ""
    status: str = ""
    q: str = ""


def enterprise_list(*, user, filters: EnterpriseFilters | None = None) -> QuerySet[Enterprise]:
    """Return the user's enterprises narrowed by the filters, with what a list row shows preloaded.

    ``q`` matches the name or short name (substring), the USCC (prefix) or the pinyin
    (full or initials: "ykgt" finds 营口钢铁…).
    """
    f = filters or EnterpriseFilters()
    qs = visible_to(user)
    if f.region:
        qs = qs.filter(Q(region_id=f.region) | Q(town__parent_id=f.region))
    if f.industry:
        qs = qs.filter(industry=f.industry)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.risk_tag:
        qs = qs.filter(risk_tags__code=f.risk_tag)
    q = f.q.strip()
    if q:
        condition = Q(name__icontains=q) | Q(short_name__icontains=q)
        if q.isascii():
            key = q.lower().replace(" ", "")
            condition |= Q(uscc__startswith=normalise_uscc(q)) | Q(name_initials__contains=key)
            condition |= Q(name_pinyin__contains=key)
        qs = qs.filter(condition)
    return (
        qs.select_related("region", "town")
        .prefetch_related(Prefetch("risk_tags", queryset=RiskTag.objects.order_by("sort_order")))
        .order_by("region__sort_order", "name", "pk")
    )


def industry_mappings() -> list[tuple[str, str]]:
    """Return (code_prefix, industry) pairs for derive_industry."""
    return list(IndustryMapping.objects.values_list("code_prefix", "industry"))


def risk_tags() -> QuerySet[RiskTag]:
    return RiskTag.objects.order_by("sort_order", "code")
