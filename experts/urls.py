from django.urls import path

from experts import views

app_name = "experts"
urlpatterns = [
    path("", views.expert_list_view, name="list"),
    path("new/", views.expert_create_view, name="create"),
    path("me/", views.expert_me, name="me"),
    path("export.xlsx", views.expert_export, name="export"),
    path("import/", views.expert_import_view, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("change-requests/", views.change_request_list, name="change_requests"),
    path("<int:pk>/", views.expert_detail, name="detail"),
    path("<int:pk>/edit/", views.expert_edit, name="edit"),
    path("<int:pk>/status/", views.expert_status, name="status"),
    path("<int:pk>/rate/", views.expert_rate_view, name="rate"),
    path("<int:pk>/unavailability/new/", views.unavailability_add, name="unavailability_add"),
    path(
        "<int:pk>/unavailability/<int:item_id>/remove/",
        views.unavailability_remove,
        name="unavailability_remove",
    ),
    path("<int:pk>/relations/new/", views.relation_add, name="relation_add"),
    path("<int:pk>/relations/<int:item_id>/edit/", views.relation_edit, name="relation_edit"),
    path("<int:pk>/relations/<int:item_id>/remove/", views.relation_remove, name="relation_remove"),
    path("<int:pk>/certificates/new/", views.certificate_add, name="certificate_add"),
    path("<int:pk>/certificates/<int:item_id>/remove/", views.certificate_remove, name="certificate_remove"),
    path("<int:pk>/certificates/<int:item_id>/file/", views.certificate_file, name="certificate_file"),
    path(
        "<int:pk>/change-requests/<int:request_id>/decide/",
        views.change_request_decide,
        name="change_request_decide",
    ),
]
