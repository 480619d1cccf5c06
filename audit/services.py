"""Writing to the audit log. Call audit_record inside the service's transaction."""

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from audit.context import current_ip
from audit.domain import event_hash
from audit.models import AuditChainHead, AuditEvent


def _target_fields(target: Any) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if isinstance(target, models.Model):
        return target._meta.label_lower, str(target.pk), str(target)[:255]
    return type(target).__name__.lower(), "", str(target)[:255]


def audit_record(
    *,
    actor: Any,
    action: str,
    target: Any = None,
    data: dict | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Append one event to the hash chain and return it.

    Must run inside the caller's transaction so the event commits or rolls back with the
    change it describes; it locks the chain head so concurrent appends stay in order.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside a transaction")
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    organisation = getattr(actor_obj, "organisation", None) if actor_obj else None
    target_type, target_id, target_repr = _target_fields(target)
    fields = {
        "prev_hash": head.hash,
        "seq": head.seq + 1,
        "created_at": timezone.now().replace(microsecond=0),
        "actor_id": actor_obj.pk if actor_obj else None,
        "organisation_id": organisation.pk if organisation else None,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "target_repr": target_repr,
        "data": _jsonable(data or {}),
        "ip": ip if ip is not None else current_ip.get(),
    }
    digest = event_hash(**fields)
    event = AuditEvent.objects.create(
        **fields,
        hash=digest,
        actor_repr=(actor_obj.get_full_name() or actor_obj.get_username()) if actor_obj else "",
        organisation_repr=str(organisation) if organisation else "",
    )
    head.seq = fields["seq"]
    head.hash = digest
    head.save(update_fields=["seq", "hash"])
    return event


def _jsonable(value: Any) -> Any:
    """Return value with dates, decimals and models turned into text, so the hash is stable."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def diff_fields(before: dict, after: dict) -> dict:
    """Return {field: [old, new]} for the fields whose value changed."""
    return {
        k: [_jsonable(before.get(k)), _jsonable(after.get(k))] for k in after if before.get(k) != after.get(k)
    }


@transaction.atomic
def audit_export_record(*, actor: Any, filters: dict, count: int) -> AuditEvent:
    """Record that ``actor`` exported ``count`` audit events with these filters.

    Who took a copy of the audit log is itself worth knowing.
    """
    return audit_record(actor=actor, action="audit.export", data={"filters": filters, "count": count})
