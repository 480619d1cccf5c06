"""Template helpers of the standards pages: industry names and grade levels."""

from django import template
from django.utils.translation import gettext as _

from standards.selectors import standard_industry_choices

register = template.Library()


@register.filter
def industry_names(codes) -> str:
    """Return the industries' names ("机械、轻工"), or "—" for none."""
    labels = dict(standard_industry_choices())
    return "、".join(labels.get(code, code) for code in codes or []) or "—"


@register.filter
def level_name(level) -> str:
    """Return the name of a grade level (1 is best), or that none was reached."""
    names = {1: _("Level 1"), 2: _("Level 2"), 3: _("Level 3")}
    return names.get(level, _("No level reached"))
