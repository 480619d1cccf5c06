from django.contrib import admin
from django.db import transaction

from audit.services import audit_record
from experts.forms import ExpertForm
from experts.models import Expert, ExpertCertificate, ExpertRelation, ExpertUnavailability


class _ReadOnlyInline(admin.TabularInline):
    """Shown for reference; these are changed on the pool's pages, through the audited services."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class RelationInline(_ReadOnlyInline):
    model = ExpertRelation
    fields = ["kind", "enterprise_name", "enterprise_uscc", "relative_relationship", "start", "end"]
    readonly_fields = fields


class CertificateInline(_ReadOnlyInline):
    model = ExpertCertificate
    fields = ["name", "number", "issued_on", "expires_on", "state"]
    readonly_fields = fields


class UnavailabilityInline(_ReadOnlyInline):
    model = ExpertUnavailability
    fields = ["start", "end", "reason"]
    readonly_fields = fields


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    """The pool in the admin (the pool's own pages are under /experts/); every save is audited."""

    form = ExpertForm
    inlines = [RelationInline, CertificateInline, UnavailabilityInline]
    list_display = ["name", "masked_id_number", "title", "employer", "region", "status", "can_lead"]
    list_filter = ["status", "can_lead", "registered_safety_engineer", "region"]
    search_fields = ["name", "employer", "phone"]
    list_select_related = ["region"]
    raw_id_fields = ["user"]
    readonly_fields = ["status_reason", "status_changed_at", "created_at", "updated_at"]

    def get_inline_instances(self, request, obj=None):
        # A new expert has nothing to show yet (and the add form stays a plain form).
        return super().get_inline_instances(request, obj) if obj is not None else []

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
