"""The city section's pages of the portal, mounted at /portal/ (namespace ``portal_manage``).

The public pages are in ``portal.urls_public`` (namespace ``portal``), mounted at /public/.
"""

from django.urls import path

from portal.views import manage

app_name = "portal_manage"
urlpatterns = [
    path("manage/", manage.article_list_view, name="article_list"),
    path("manage/export.xlsx", manage.article_export, name="article_export"),
    path("manage/new/", manage.article_create, name="article_create"),
    path("manage/<int:pk>/", manage.article_edit, name="article_edit"),
    path("manage/<int:pk>/publish/", manage.article_move, {"move": "publish"}, name="article_publish"),
    path("manage/<int:pk>/withdraw/", manage.article_move, {"move": "withdraw"}, name="article_withdraw"),
    path("manage/<int:pk>/attachments/", manage.attachment_add, name="attachment_add"),
    path(
        "manage/<int:pk>/attachments/<int:attachment_id>/",
        manage.attachment_download,
        name="attachment_download",
    ),
    path(
        "manage/<int:pk>/attachments/<int:attachment_id>/remove/",
        manage.attachment_remove,
        name="attachment_remove",
    ),
]
