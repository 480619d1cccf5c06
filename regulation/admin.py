"""Admin views: parameters are read-only here (a change must go through parameter_set, which keeps
the history); calendar days are saved through the audited service."""

from django.contrib import admin

from regulation.models import CalendarDay, RegulationParameter
from regulation.services import calendar_day_delete, calendar_day_save


@admin.register(RegulationParameter)
class RegulationParameterAdmin(admin.ModelAdmin):
    list_display = ("key", "label", "value", "unit", "effective_from", "effective_to", "confidence")
    list_filter = ("confidence", "unit")
    search_fields = ("key", "label", "source_note")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name", "source")
    list_filter = ("kind",)
    date_hierarchy = "date"
    fields = ("date", "kind", "name", "source")

    def save_model(self, request, obj, form, change):
        saved = calendar_day_save(
            actor=request.user, day=obj.date, kind=obj.kind, name=obj.name, source=obj.source
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        calendar_day_delete(actor=request.user, row=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            calendar_day_delete(actor=request.user, row=obj)
