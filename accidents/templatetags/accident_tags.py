"""{% enterprise_accidents enterprise %}: the accident panel on an enterprise's page.

A tag rather than context from the enterprise view, because enterprises sits below
accidents in the app layers and must not import it.
"""

from django import template
from django.utils import timezone

from accidents.permissions import can_record_accidents
from accidents.selectors import enterprise_accidents as enterprise_accidents_selector
from regulation.selectors import ParameterMissing, param_int

register = template.Library()

DEFAULT_WINDOW = 12  # months, when the eligibility_window parameter is missing


@register.inclusion_tag("accidents/_enterprise_accidents.html", takes_context=True)
def enterprise_accidents(context, enterprise) -> dict:
    """Render the enterprise's latest accidents, its rolling totals and the record link."""
    user = context["request"].user
    today = timezone.localdate()
    try:
        months = param_int("eligibility_window", today)
    except ParameterMissing:
        months = DEFAULT_WINDOW
    panel = enterprise_accidents_selector(user=user, enterprise=enterprise, on=today, months=months)
    return {"enterprise": enterprise, "panel": panel, "can_record": can_record_accidents(user)}
