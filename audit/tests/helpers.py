"""Helpers for the audit tests."""

from django.db import transaction

from audit.services import audit_record

AUDITORS = {"admin", "city_officer", "city_chief", "bureau_leader"}


def audit_access(persona: str, ok: int = 200) -> int:
    """Return the status an audit page gives ``persona``: ok for auditors, 403 for others, 302 anonymous."""
    if persona == "anonymous":
        return 302
    return ok if persona in AUDITORS else 403


def record(actor=None, action: str = "test.event", target=None, data: dict | None = None):
    """Append one event in its own transaction, as a service would."""
    with transaction.atomic():
        return audit_record(actor=actor, action=action, target=target, data=data or {})
