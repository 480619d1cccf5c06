"""Reading the audit log."""

from collections.abc import Iterator

from django.db.models import QuerySet

from audit.domain import ChainBreak, verify_chain
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
