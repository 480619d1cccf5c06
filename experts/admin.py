from django.contrib import admin
from django.db import transaction

from audit.services import audit_record
from experts.forms import ExpertForm
from experts.models import Expert


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    """The pool in the admin until its own pages arrive with the panel issue; every save is audited."""

    form = ExpertForm
    list_display = ["name", "masked_id_number", "title", "employer", "region", "status", "can_lead"]
    list_filter = ["status", "can_lead", "registered_safety_engineer", "region"]
    search_fields = ["name", "employer", "phone"]
    list_select_related = ["region"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description=Expert._meta.get_field("id_number").verbose_name)
    def masked_id_number(self, obj: Expert) -> str:
        return obj.masked_id_number

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                action="expert.admin_update" if change else "expert.admin_create",
                target=obj,
                # Field names only: the values (an ID number among them) stay out of the log.
                data={"fields": sorted(form.changed_data)},
            )

    def has_delete_permission(self, request, obj=None) -> bool:
        # Exit is a status change; nothing is deleted (domain.md §6).
        return False
