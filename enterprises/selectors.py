"""Reads of the registry. Every function starts from visible_to(user)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.permissions import county_regions_for
from audit.selectors import history_for
from enterprises.domain import normalise_uscc
from enterprises.models import Enterprise, Industry, IndustryMapping, RiskTag
from enterprises.permissions import visible_to
from lib.search import gram_prefilter


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
        prefilter = gram_prefilter("name_grams", q)
        if prefilter is not None:  # PostgreSQL: the GIN index of name grams gives the candidates
            qs = qs.filter(prefilter)
        condition = Q(name__icontains=q) | Q(short_name__icontains=q)
        if q.isascii():
            key = q.lower().replace(" ", "")
            condition |= Q(uscc__startswith=normalise_uscc(q)) | Q(name_initials__contains=key)
            condition |= Q(name_pinyin__contains=key)
        qs = qs.filter(condition)
    return (
        qs.select_related("region", "town")
        .prefetch_related(Prefetch("risk_tags", queryset=RiskTag.objects.order_by("sort_order")))
        # Divisions in code order (the official order, and the regions' sort order), then name:
        # the index ent_list_order serves it; a join to the regions for the order could not.
        .order_by("region_path", "name", "pk")
    )


def industry_mappings() -> list[tuple[str, str]]:
    """Return (code_prefix, industry) pairs for derive_industry."""
    return list(IndustryMapping.objects.values_list("code_prefix", "industry"))


def risk_tags() -> QuerySet[RiskTag]:
    return RiskTag.objects.order_by("sort_order", "code")


@dataclass(frozen=True)
class HistoryEntry:
    """One line of an enterprise's history, ready to show: when, who, what, which fields changed."""

    time: datetime
    actor: str
    action: str
    changes: list[tuple[str, str, str]]  # (field label, old value, new value)


_CHOICE_FIELDS = {"industry": Industry, "scale": Enterprise.Scale, "status": Enterprise.Status}


def _history_value(name: str, value: Any, tag_names: dict[str, str]) -> str:
    if value in (None, "", []):
        return "—"
    if name == "risk_tags":
        return "、".join(tag_names.get(code, code) for code in value)
    choices = _CHOICE_FIELDS.get(name)
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    return str(value)


def _field_label(name: str) -> str:
    try:
        return str(Enterprise._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def enterprise_history(*, enterprise: Enterprise) -> list[HistoryEntry]:
    """Return the enterprise's audit events as history lines, newest first.

    The caller has checked that the user may see the enterprise (get_enterprise_for_user);
    its history is part of what they see, even if they may not read the whole audit log.
    """
    tag_names = dict(RiskTag.objects.values_list("code", "name"))
    entries = []
    for event in history_for(enterprise):
        data = event.data or {}
        if event.action == "enterprise.create":
            action = (
                _("Registered by importing %(file)s") % {"file": data["import"]}
                if data.get("import")
                else _("Registered")
            )
            changes = []
        elif event.action == "enterprise.update":
            action = _("Changed")
            changes = [
                (
                    _field_label(name),
                    _history_value(name, old, tag_names),
                    _history_value(name, new, tag_names),
                )
                for name, (old, new) in (data.get("changes") or {}).items()
            ]
        else:
            action, changes = event.action, []
        entries.append(HistoryEntry(event.created_at, event.actor_repr, action, changes))
    return entries


def import_template_values(*, user) -> dict[str, Any]:
    """Return what the import template lists as valid values for the user."""
    return {
        "divisions": [r.name for r in county_regions_for(user)],
        "risk_tag_names": [t.name for t in risk_tags()],
        "mappings": list(
            IndustryMapping.objects.order_by("code_prefix").values_list(
                "code_prefix", "industry", "description"
            )
        ),
    }
