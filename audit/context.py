"""Request context (client IP) that audit_record reads without threading the request through services."""

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("audit_current_ip", default=None)
