"""Admin: panels and reviews are read-only here; they change through the audited services."""

from django.contrib import admin

from reviews.models import PanelDraw, SiteReview


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PanelDraw)
class PanelDrawAdmin(_ReadOnly):
    list_display = ["pk", "application", "review_date", "ok", "drawn_at"]


@admin.register(SiteReview)
class SiteReviewAdmin(_ReadOnly):
    list_display = ["pk", "application", "date", "conclusion", "earned", "finalised_at"]
