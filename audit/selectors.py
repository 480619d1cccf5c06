"""Reading the audit log."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db.models import QuerySet

from audit.domain import ChainBreak, FieldInfo, describe_data, verify_chain
from audit.models import AuditChainHead, AuditEvent
from audit.permissions import visible_to

_HASHED_FIELDS = (
    "prev_hash",
    "seq",
    "created_at",
    "actor_id",
    "organisation_id",
    "action",
    "target_type",
    "target_id",
    "target_repr",
    "data",
    "ip",
    "hash",
)


def audit_event_list(*, user, filters: dict | None = None) -> QuerySet[AuditEvent]:
    """Return the events the user may see, newest first, narrowed by the audit page's filters."""
    filters = filters or {}
    qs = visible_to(user).select_related("actor")
    if filters.get("action"):
        qs = qs.filter(action__startswith=filters["action"])
    if filters.get("actor"):
        qs = qs.filter(actor_repr__icontains=filters["actor"])
    if filters.get("target_type"):
        qs = qs.filter(target_type=filters["target_type"])
    if filters.get("target_id"):
        qs = qs.filter(target_id=str(filters["target_id"]))
    if filters.get("date_from"):
        qs = qs.filter(created_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(created_at__date__lte=filters["date_to"])
    return qs.order_by("-seq")


def _iter_events(chunk_size: int = 2000) -> Iterator[dict]:
    yield from AuditEvent.objects.order_by("seq").values(*_HASHED_FIELDS).iterator(chunk_size=chunk_size)


def audit_chain_verify() -> ChainBreak | None:
    """Walk the whole chain in order and return the first broken link, or None."""
    head = AuditChainHead.objects.filter(id=1).first()
    return verify_chain(_iter_events(), head_seq=head.seq if head else 0)


def history_for(target) -> QuerySet[AuditEvent]:
    """Return the events about one object (by type and pk), newest first.

    Unlike audit_event_list this does not check who may read the audit log: the caller
    has already checked that the user may see ``target`` (its history is part of it).
    """
    return AuditEvent.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk)).order_by(
        "-seq"
    )


def _field_info(target_type: str) -> dict[str, FieldInfo]:
    """Return labels (and choice labels) for the fields of the model named ``target_type``."""
    try:
        model = apps.get_model(target_type) if target_type else None
    except (LookupError, ValueError):
        model = None
    if model is None:
        return {}
    info = {}
    for field in model._meta.get_fields():
        if not hasattr(field, "verbose_name"):
            continue
        choices = {str(k): v for k, v in field.flatchoices} if getattr(field, "choices", None) else None
        info[field.name] = FieldInfo(str(field.verbose_name), choices)
    return info


def audit_event_details(events: Iterable[AuditEvent]) -> list[tuple[AuditEvent, list[tuple[str, str]]]]:
    """Pair each event with its details as readable (label, text) lines, for the page and the export."""
    cache: dict[str, dict[str, FieldInfo]] = {}
    rows = []
    for event in events:
        if event.target_type not in cache:
            cache[event.target_type] = _field_info(event.target_type)
        data = event.data if isinstance(event.data, dict) else {"data": event.data}
        rows.append((event, describe_data(data, cache[event.target_type])))
    return rows


@dataclass(frozen=True)
class ChainStatus:
    """The outcome of walking the chain: how many events, and the first break if any."""

    count: int
    broken: ChainBreak | None
    event: AuditEvent | None  # the row at the break, when it still exists

    @property
    def intact(self) -> bool:
        return self.broken is None


def audit_chain_status() -> ChainStatus:
    """Verify the whole chain and return the result with the offending row (if it exists)."""
    broken = audit_chain_verify()
    event = AuditEvent.objects.filter(seq=broken.seq).first() if broken else None
    return ChainStatus(count=AuditEvent.objects.count(), broken=broken, event=event)
