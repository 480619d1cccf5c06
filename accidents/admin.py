from django.contrib import admin

from accidents.models import Accident


@admin.register(Accident)
class AccidentAdmin(admin.ModelAdmin):
    """Read-only: accidents are recorded and changed on their own pages, through the audited services."""

    list_display = ["occurred_at", "enterprise", "accident_type", "deaths", "serious_injuries", "grade"]
    list_filter = ["grade", "accident_type", "reporting_violation"]
    search_fields = ["enterprise__name", "place"]
    list_select_related = ["enterprise"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
