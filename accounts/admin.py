"""Django admin for accounts. Writes go through the services, so admin changes are audited too."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, Organisation, Region, User
from accounts.roles import Role
from accounts.services import api_token_revoke, organisation_save, region_save
from audit.services import audit_record


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = (
        "username",
        "full_name",
        "role",
        "organisation",
        "is_active",
        "must_change_password",
        "last_login",
    )
    list_filter = ("role", "is_active", "must_change_password", "organisation__kind")
    search_fields = ("username", "full_name", "phone", "email")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "phone", "email")}),
        (_("Role"), {"fields": ("role", "organisation", "is_active", "must_change_password")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "role", "organisation", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")

    def save_model(self, request, obj, form, change) -> None:
        # Staff and superuser flags follow the role; the admin is open to system admins only.
        obj.is_staff = obj.is_superuser = obj.role == Role.SYSTEM_ADMIN
        super().save_model(request, obj, form, change)
        # changeform_view runs in a transaction, so the audit row commits with the change.
        audit_record(
            actor=request.user,
            action="user.update" if change else "user.create",
            target=obj,
            data={"via": "admin", "fields": sorted(form.changed_data)},
        )

    def delete_model(self, request, obj) -> None:
        audit_record(actor=request.user, action="user.delete", target=obj, data={"via": "admin"})
        super().delete_model(request, obj)


class RegionAdminForm(forms.ModelForm):
    class Meta:
        model = Region
        fields = ("code", "name", "level", "parent", "sort_order", "is_active")

    def clean_parent(self) -> Region | None:
        parent = self.cleaned_data.get("parent")
        if parent is not None and self.instance.pk and parent.path.startswith(self.instance.path):
            raise ValidationError(_("A region cannot be placed under itself or its own subdivisions."))
        return parent


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    form = RegionAdminForm
    list_display = ("name", "code", "level", "parent", "sort_order", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("name", "code")
    ordering = ("path",)

    def save_model(self, request, obj, form, change) -> None:
        # region_save moves the subtree and writes the audit row; give it the stored row, not
        # the form-modified one, so it records what changed.
        stored = Region.objects.get(pk=obj.pk) if change else None
        saved = region_save(actor=request.user, region=stored, **form.cleaned_data)
        obj.pk, obj.path = saved.pk, saved.path

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # regions are referenced by enterprises and history: deactivate instead


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    fields = ("name", "kind", "region", "section", "is_active")
    list_display = ("name", "section", "kind", "region", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)
    list_select_related = ("region",)

    def save_model(self, request, obj, form, change) -> None:
        stored = Organisation.objects.get(pk=obj.pk) if change else None
        data = {f: form.cleaned_data[f] for f in self.fields}
        obj.pk = organisation_save(actor=request.user, organisation=stored, **data).pk

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # users and enterprises point at organisations: deactivate instead


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created by their owners on the token page; here they can only be read or revoked."""

    list_display = ("name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__username", "prefix")
    list_select_related = ("user",)
    readonly_fields = (
        "user",
        "name",
        "prefix",
        "digest",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "created_by",
    )
    actions = ("revoke",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset) -> None:
        for token in queryset:
            api_token_revoke(actor=request.user, token=token)
        self.message_user(request, _("Tokens revoked."), messages.SUCCESS)
