from django.contrib import admin

from portal.models import Article, ArticleAttachment


class ArticleAttachmentInline(admin.TabularInline):
    model = ArticleAttachment
    fields = ["original_name", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Read-only: articles are written and published on /portal/manage/, through the audited services."""

    list_display = ["title", "category", "status", "published_at", "author"]
    list_filter = ["category", "status"]
    search_fields = ["title", "summary"]
    list_select_related = ["author"]
    inlines = [ArticleAttachmentInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
