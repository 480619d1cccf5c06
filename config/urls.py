from django.contrib import admin
from django.urls import include, path, re_path

from config.api import api, api_not_found
from config.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),  # health check; also the bare view of `make bench`
    path("", include("workbench.urls")),
    path("accounts/", include("accounts.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("standards/", include("standards.urls")),
    path("accidents/", include("accidents.urls")),
    path("applications/", include("grading.urls")),
    path("reviews/", include("reviews.urls")),
    path("rectification/", include("rectification.urls")),
    path("results/", include("results.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("experts/", include("experts.urls")),
    path("audit/", include("audit.urls")),
    path("jobs/", include("jobs.urls")),
    path("regulation/", include("regulation.urls")),
    path("notifications/", include("notifications.urls")),
    path("portal/", include("portal.urls")),
    path("public/", include("portal.urls_public")),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),  # unknown API paths answer in the API's error shape
    path("admin/", admin.site.urls),
]
