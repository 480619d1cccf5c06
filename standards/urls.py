from django.urls import path

from standards import views

app_name = "standards"
urlpatterns = [
    path("", views.standard_list_view, name="list"),
    path("import/", views.standard_import_view, name="import"),
    path("<int:pk>/", views.standard_detail, name="detail"),
    path("<int:pk>/publish/", views.standard_publish_view, name="publish"),
    path("<int:pk>/retire/", views.standard_retire_view, name="retire"),
    path("<int:pk>/export.xlsx", views.standard_export, name="export"),
    path("<int:pk>/export.zip", views.standard_export_csv, name="export_csv"),
    path("sheets/", views.sheet_list_view, name="sheet_list"),
    path("sheets/new/", views.sheet_create_view, name="sheet_create"),
    path("sheets/<int:pk>/", views.sheet_detail, name="sheet_detail"),
    path("sheets/<int:pk>/submit/", views.sheet_submit_view, name="sheet_submit"),
    path("sheets/<int:pk>/export.json", views.sheet_export_json, name="sheet_export_json"),
    path("sheets/<int:pk>/export.xlsx", views.sheet_export_xlsx, name="sheet_export_xlsx"),
    path("sheets/<int:pk>/import/", views.sheet_import, name="sheet_import"),
    path("sheets/<int:pk>/items/<str:code>/", views.sheet_item, name="sheet_item"),
    path("sheets/<int:pk>/items/<str:code>/save/", views.sheet_item_save, name="sheet_item_save"),
    path("sheets/<int:pk>/items/<str:code>/clear/", views.sheet_item_clear, name="sheet_item_clear"),
    path(
        "sheets/<int:pk>/items/<str:code>/evidence/",
        views.sheet_evidence_add_view,
        name="sheet_evidence_add",
    ),
    path(
        "sheets/<int:pk>/evidence/<int:evidence_id>/", views.sheet_evidence_file, name="sheet_evidence_file"
    ),
    path(
        "sheets/<int:pk>/evidence/<int:evidence_id>/remove/",
        views.sheet_evidence_remove_view,
        name="sheet_evidence_remove",
    ),
]
