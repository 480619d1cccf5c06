"""The statistics dashboard page and the Excel export of each figure."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.permissions import region_scope_path
from dashboard.exports import render_figure_xlsx
from dashboard.figures import BUILDERS, page_figures
from dashboard.forms import DashboardFilterForm
from dashboard.permissions import require_dashboard_access
from lib.xlsx import xlsx_response


@require_GET
def dashboard_view(request: HttpRequest) -> HttpResponse:
    """Every figure for the user's scope and the GET filters: a chart and its table per card."""
    require_dashboard_access(request.user)
    form = DashboardFilterForm(request.GET, user=request.user)
    today = timezone.localdate()
    filters = form.filters()
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "form": form,
            # Computed only when the template's cached fragment (same scope, filters, day
            # and language) has expired.
            "figures": SimpleLazyObject(lambda: page_figures(request.user, filters, today)),
            "cache_seconds": settings.DASHBOARD_CACHE_SECONDS,
            "scope": region_scope_path(request.user),
            "today": today.isoformat(),
            "query": request.GET.urlencode(),
            "cache_minutes": (settings.DASHBOARD_CACHE_SECONDS + 59) // 60,
        },
    )


@require_GET
def figure_export(request: HttpRequest, figure: str) -> HttpResponse:
    """One figure as .xlsx, same filters as the page (``/dashboard/export/<figure>/?year=…``)."""
    require_dashboard_access(request.user)
    build = BUILDERS.get(figure)
    if build is None:
        raise Http404
    form = DashboardFilterForm(request.GET, user=request.user)
    today = timezone.localdate()
    result = build(request.user, form.filters(), today)
    filename = _("%(figure)s %(date)s.xlsx") % {"figure": result.title, "date": today.strftime("%Y%m%d")}
    return xlsx_response(render_figure_xlsx(result), filename)
