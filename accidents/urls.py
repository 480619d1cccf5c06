from django.urls import path

from accidents import views

app_name = "accidents"
urlpatterns = [
    path("", views.accident_list_view, name="list"),
    path("new/", views.accident_create_view, name="create"),
    path("export.xlsx", views.accident_export, name="export"),
    path("enterprises/", views.enterprise_options, name="enterprise_options"),
    path("<int:pk>/", views.accident_detail, name="detail"),
    path("<int:pk>/edit/", views.accident_edit, name="edit"),
]
