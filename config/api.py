"""The one REST API, mounted at /api/v1/. Each app adds its Router here."""

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.security import django_auth

from lib.api import TokenAuth, install_error_handlers

api = NinjaAPI(
    title="anbiao API",
    version="1.0.0",
    description=str(_("REST API of anbiao. Authenticate with a personal token: Authorization: Bearer <token>.")),
    auth=[TokenAuth(), django_auth],  # session auth checks CSRF on unsafe methods
    urls_namespace="api",
)
install_error_handlers(api)

from accounts.api import router as accounts_router  # noqa: E402
from enterprises.api import router as enterprises_router  # noqa: E402

api.add_router("/", accounts_router)
api.add_router("/enterprises", enterprises_router)
