from django.contrib.admin import AdminSite
from django.utils.translation import gettext_lazy as _


class AnbiaoAdminSite(AdminSite):
    """The Django admin, open to active system administrators only (not to other staff)."""

    site_header = _("anbiao system administration")
    site_title = _("anbiao administration")
    index_title = _("Configuration")

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.is_authenticated and getattr(user, "role", "") == "system_admin")
