from django.contrib import admin
from django.urls import include, path

from config.api import api

urlpatterns = [
    path("", include("workbench.urls")),
    path("accounts/", include("accounts.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("audit/", include("audit.urls")),
    path("jobs/", include("jobs.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
