"""Pages of a user's own notifications: the list, opening one, marking all read."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from notifications.permissions import get_notification_for_user
from notifications.selectors import notification_list, unread_count
from notifications.services import notification_mark_read


@require_GET
def notification_list_view(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first; ``?unread=1`` shows only the unread ones."""
    unread_only = request.GET.get("unread") == "1"
    rows = notification_list(user=request.user, unread_only=unread_only)
    context = {
        "page_obj": Paginator(rows, settings.LIST_PAGE_SIZE).get_page(request.GET.get("page")),
        "unread_only": unread_only,
        "unread_total": unread_count(request.user),
    }
    return render(request, "notifications/notification_list.html", context)


@require_http_methods(["GET", "POST"])
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go to what it is about (only its recipient; others 404)."""
    notification = get_notification_for_user(request.user, pk)
    notification_mark_read(user=request.user, ids=[notification.pk])
    target = notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:list")


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    marked = notification_mark_read(user=request.user)
    if marked:
        messages.success(
            request,
            ngettext("Marked %(n)d notification as read.", "Marked %(n)d notifications as read.", marked)
            % {"n": marked},
        )
    else:
        messages.info(request, _("There were no unread notifications."))
    return redirect("notifications:list")
