from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: for a system admin checking whether someone was told (and emailed)."""

    list_display = ["created_at", "recipient", "title", "category", "read_at", "emailed"]
    list_filter = ["category", "emailed"]
    search_fields = ["title", "recipient__username"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
