"""Views that belong to the project rather than to an app."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness check for load balancers and monitoring: answers without touching the database.

    It passes through the full middleware stack, so `make bench` also uses it as the bare
    view: the ceiling of this stack on this machine, against which pages are measured.
    """
    return JsonResponse({"status": "ok"})
