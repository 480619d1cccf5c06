"""The one REST API, mounted at /api/v1/. Each app adds its Router here."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI

from accounts.api_auth import TokenAuth
from lib.api import SessionAuth, install_error_handlers


class AnbiaoAPI(NinjaAPI):
    """NinjaAPI whose views are exempt from LoginRequiredMiddleware.

    The middleware would answer an API call without a session with a 302 to the login page;
    API operations authenticate themselves (token or session) and answer 401 in the error
    shape, and the OpenAPI document and docs page are public.
    """

    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            callback = getattr(pattern, "callback", None)
            if callback is not None:
                login_not_required(callback)
        return patterns, app_name, namespace


api = AnbiaoAPI(
    title="anbiao API",
    version="1.0.0",
    description=_("REST API of anbiao. Authenticate with a personal token: Authorization: Bearer <token>."),
    # Token first: a bearer call never needs CSRF. Session auth checks CSRF on unsafe methods.
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)
install_error_handlers(api)

from accidents.api import router as accidents_router  # noqa: E402
from accounts.api import router as accounts_router  # noqa: E402
from dashboard.api import router as dashboard_router  # noqa: E402
from enterprises.api import router as enterprises_router  # noqa: E402
from experts.api import router as experts_router  # noqa: E402
from grading.api import router as grading_router  # noqa: E402
from notifications.api import router as notifications_router  # noqa: E402
from portal.api import router as portal_router  # noqa: E402
from rectification.api import router as rectification_router  # noqa: E402
from results.api import router as results_router  # noqa: E402
from reviews.api import router as panels_router  # noqa: E402
from standards.api import sheets_router, standards_router  # noqa: E402

api.add_router("/", accounts_router)
api.add_router("/enterprises", enterprises_router)
api.add_router("/standards", standards_router)
api.add_router("/sheets", sheets_router)
api.add_router("/accidents", accidents_router)
api.add_router("/applications", grading_router)
api.add_router("/experts", experts_router)
api.add_router("/notifications", notifications_router)
api.add_router("/panels", panels_router)
api.add_router("/rectification", rectification_router)
api.add_router("/results", results_router)
api.add_router("/public", portal_router)  # no authentication: the public portal
api.add_router("/dashboard", dashboard_router)


@login_not_required
def api_not_found(request):
    """Answer an unknown /api/ path with the API's JSON error shape instead of an HTML page."""
    return JsonResponse({"code": "not_found", "message": gettext("Not found."), "details": {}}, status=404)
