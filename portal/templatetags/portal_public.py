"""Template filters of the public portal: a certificate state's label and colour."""

from django import template

from results import domain
from results import selectors as results_selectors

register = template.Library()

STATE_CLASSES = {
    domain.ACTIVE: "success",
    domain.EXPIRING: "warning",
    domain.EXPIRED: "secondary",
    domain.REVOKED: "danger",
    domain.SUPERSEDED: "secondary",
}


@register.filter
def state_label(state: str) -> str:
    return results_selectors.state_label(state)


@register.filter
def state_class(state: str) -> str:
    return STATE_CLASSES.get(state, "secondary")
