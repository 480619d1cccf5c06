"""Admin: the major-hazard clause table is reference data administrators complete from the
gazette (Articles 4–14's items); hazards are read-only here (they change through the audited
services on the pages)."""

from django.contrib import admin

from rectification.models import Hazard, MajorHazardClause


@admin.register(MajorHazardClause)
class MajorHazardClauseAdmin(admin.ModelAdmin):
    list_display = ["version", "article", "item", "text", "active"]
    list_filter = ["version", "active"]
    search_fields = ["text"]
    ordering = ["version", "article", "item"]


@admin.register(Hazard)
class HazardAdmin(admin.ModelAdmin):
    list_display = ["pk", "enterprise", "level", "status", "deadline", "source"]
    list_filter = ["level", "status", "source"]
    search_fields = ["description", "enterprise__name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
