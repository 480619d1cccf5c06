"""The admin (system administrators only): the list of required documents, applications read-only.

The required documents are the city's configuration of what an application carries; every
change is audited. Applications are only looked at here: they change through the services,
whose transitions table, guards and audit the admin would bypass.
"""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record, diff_fields
from grading.models import GradingApplication, RequiredDocument
from lib.industries import Industry

DOCUMENT_FIELDS = ("code", "name", "description", "required", "industries", "sort_order", "is_active")


class RequiredDocumentForm(forms.ModelForm):
    industries = forms.MultipleChoiceField(
        label=_("industries"),
        choices=Industry.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Empty: all industries."),
    )

    class Meta:
        model = RequiredDocument
        fields = list(DOCUMENT_FIELDS)


@admin.register(RequiredDocument)
class RequiredDocumentAdmin(admin.ModelAdmin):
    """What an application must (or may) carry; a kind no longer asked for is deactivated, not deleted."""

    form = RequiredDocumentForm
    list_display = ["name", "code", "required", "industry_labels", "sort_order", "is_active"]
    list_editable = ["required", "sort_order", "is_active"]
    list_filter = ["required", "is_active"]
    search_fields = ["name", "code", "description"]
    ordering = ["sort_order", "pk"]

    @admin.display(description=_("industries"))
    def industry_labels(self, obj: RequiredDocument) -> str:
        labels = dict(Industry.choices)
        return "、".join(str(labels.get(code, code)) for code in obj.industries) or str(_("All industries"))

    def get_readonly_fields(self, request, obj=None):
        # Filed attachments and frozen submissions refer to the code.
        return ["code"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        before = {}
        if change:
            before = dict(RequiredDocument.objects.filter(pk=obj.pk).values(*DOCUMENT_FIELDS).first() or {})
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            after = {f: getattr(obj, f) for f in DOCUMENT_FIELDS}
            audit_record(
                actor=request.user,
                action="required_document.admin_update" if change else "required_document.admin_create",
                target=obj,
                data={"changes": diff_fields(before, after)} if change else {"after": after},
            )

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(GradingApplication)
class GradingApplicationAdmin(admin.ModelAdmin):
    """Read-only: applications move only through the audited services."""

    list_display = ["number", "enterprise", "status", "kind", "grade_level", "submitted_at", "timer_due_on"]
    list_filter = ["status", "kind", "grade_level"]
    search_fields = ["number", "enterprise__name", "enterprise__uscc"]
    list_select_related = ["enterprise"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
