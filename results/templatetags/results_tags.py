"""Template filters of the results pages."""

from django import template

from results.selectors import state_label as _state_label

register = template.Library()


@register.filter
def state_label(state: str) -> str:
    """The Chinese label of a certificate state (有效 / 即将到期 / 已过期 / 已撤销 / 已换证)."""
    return str(_state_label(state))
