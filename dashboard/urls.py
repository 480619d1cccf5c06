from django.urls import path

from dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard_view, name="home"),
    path("export/<slug:figure>/", views.figure_export, name="export"),
]
