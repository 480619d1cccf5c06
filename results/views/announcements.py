"""Announcements (公告): the list and one announcement with its certificates and its PDF.

The city section and the bureau leader read them here (the public reads them on the portal).
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lib.uploads import stored_file_response
from results.models import Announcement
from results.permissions import announcements_visible_to, get_announcement_for_user
from results.selectors import announcement_certificates
from results.views.common import require_city_reader


@require_GET
def announcement_list_view(request: HttpRequest) -> HttpResponse:
    require_city_reader(request.user)
    kind = request.GET.get("kind", "")
    rows = announcements_visible_to(request.user).select_related("batch", "issued_by")
    if kind in Announcement.Kind.values:
        rows = rows.filter(kind=kind)
    else:
        kind = ""
    page_obj = Paginator(rows.order_by("-issued_on", "-pk"), settings.LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page_obj": page_obj, "rows": list(page_obj), "kind": kind, "kinds": Announcement.Kind.choices}
    return render(request, "results/announcement_list.html", context)


@require_GET
def announcement_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = get_announcement_for_user(request.user, pk)
    context = {
        "announcement": announcement,
        "certificates": list(announcement_certificates(announcement).select_related("enterprise__region")),
    }
    return render(request, "results/announcement_detail.html", context)


@require_GET
def announcement_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = get_announcement_for_user(request.user, pk)
    if not announcement.pdf:
        raise Http404
    return stored_file_response(announcement.pdf, f"{announcement.document_number}.pdf")
