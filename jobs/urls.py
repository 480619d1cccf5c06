from django.urls import path

from jobs import views

app_name = "jobs"
urlpatterns = [
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/errors.xlsx", views.job_error_report, name="error_report"),
    path("<int:pk>/output/", views.job_output, name="output"),
]
