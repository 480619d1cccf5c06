"""Template filters of the accounts pages."""

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value: timedelta | None) -> int:
    """Return a duration in whole minutes, rounded up (a lockout of 29.5 minutes reads 30)."""
    if not value:
        return 0
    seconds = int(value.total_seconds())
    return -(-seconds // 60)
