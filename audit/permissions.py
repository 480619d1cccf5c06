"""Who may read the audit log: system admins, the city bureau and bureau leaders."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from audit.models import AuditEvent

AUDIT_READER_ROLES = {"system_admin", "city_officer", "city_chief", "bureau_leader"}


def can_read_audit(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and getattr(user, "role", None) in AUDIT_READER_ROLES
    )


def visible_to(user) -> QuerySet[AuditEvent]:
    """Return the events the user may read (all of them for auditors, none otherwise)."""
    if not can_read_audit(user):
        return AuditEvent.objects.none()
    return AuditEvent.objects.all()


def require_audit_reader(user) -> None:
    """Raise PermissionDenied unless the user may read the audit log."""
    if not can_read_audit(user):
        raise PermissionDenied
