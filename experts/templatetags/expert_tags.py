"""Template helpers of the expert pool: code lists as labels, history action names."""

from django import template
from django.utils.translation import gettext_lazy as _

from experts.selectors import code_labels

register = template.Library()

ACTION_LABELS = {
    "expert.create": _("Added to the pool"),
    "expert.admin_create": _("Added to the pool"),
    "expert.update": _("Profile changed"),
    "expert.admin_update": _("Profile changed"),
    "expert.self_update": _("Contact details changed by the expert"),
    "expert.status": _("Status changed"),
    "expert.change_request": _("Qualification change requested"),
    "expert.change_request_withdraw": _("Qualification change request withdrawn"),
    "expert.change_request_approve": _("Qualification change approved"),
    "expert.change_request_reject": _("Qualification change rejected"),
    "expert.unavailability_add": _("Unavailable dates added"),
    "expert.unavailability_remove": _("Unavailable dates removed"),
    "expert.relation_add": _("Relation declared"),
    "expert.relation_update": _("Declared relation changed"),
    "expert.relation_remove": _("Declared relation removed"),
    "expert.certificate_add": _("Certificate added"),
    "expert.certificate_remove": _("Certificate removed"),
    "expert.rate": _("Rated"),
}


@register.filter
def labels(codes, kind: str) -> str:
    """``{{ expert.specialties|labels:"specialties" }}`` → "安全管理、消防"."""
    return "、".join(code_labels(kind, codes)) or "—"


@register.filter
def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
