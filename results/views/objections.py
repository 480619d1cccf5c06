"""Objections (异议): the list, one objection with its check, and its attachments.

The city section and the bureau leader read objections (everyone else gets 404). The objector's
name and contact are confidential: only the city section's officer and chief see them (the
bureau leader sees "confidential"), and only they download the attachments. The city records
the check: upheld (the enterprise leaves the list and its application goes back for the chief's
decision) or not upheld.
"""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lib.uploads import stored_file_response
from results import services
from results.forms import UPHELD, ObjectionDecideForm, ObjectionFilterForm
from results.models import Objection
from results.permissions import get_objection_for_user
from results.selectors import objection_list
from results.views.common import (
    call_service,
    is_city_staff,
    redirect_after_post,
    require,
    require_city_reader,
)


def _url(objection: Objection) -> str:
    return reverse("results:objection", args=[objection.pk])


@require_GET
def objection_list_view(request: HttpRequest) -> HttpResponse:
    require_city_reader(request.user)
    form = ObjectionFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    rows = objection_list(user=request.user, status=data.get("status") or "").select_related(
        "entry__application"
    )
    if data.get("entry"):
        rows = rows.filter(entry_id=data["entry"])
    page_obj = Paginator(rows, settings.LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page_obj,
        "rows": list(page_obj),
        "today": timezone.localdate(),
        "show_objector": is_city_staff(request.user),
    }
    return render(request, "results/objection_list.html", context)


def render_objection(request: HttpRequest, objection: Objection, form=None) -> HttpResponse:
    staff = is_city_staff(request.user)
    can_decide = staff and objection.status == Objection.Status.OPEN
    context = {
        "objection": objection,
        "entry": objection.entry,
        "batch": objection.entry.batch,
        "attachments": list(objection.attachments.all()),
        "show_objector": staff,
        "can_download": staff,
        "can_decide": can_decide or form is not None,
        "form": form or ObjectionDecideForm(initial={"state": objection.status}),
        "today": timezone.localdate(),
    }
    return render(request, "results/objection_detail.html", context)


@require_GET
def objection_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_objection_for_user(request.user, pk)
    return render_objection(request, objection)


@require_GET
def objection_attachment_view(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """An attachment of the objection, for the city section only (the bureau leader gets 403)."""
    objection = get_objection_for_user(request.user, pk)
    require(is_city_staff(request.user))
    attachment = objection.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    return stored_file_response(attachment.file, attachment.original_name)


@require_POST
def objection_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_objection_for_user(request.user, pk)
    require(is_city_staff(request.user))
    form = ObjectionDecideForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        upheld = data["outcome"] == UPHELD
        ok, _result = call_service(
            request,
            form,
            lambda: services.objection_decide(
                actor=request.user, objection=objection, upheld=upheld, note=data["note"]
            ),
            default_field="note",
            seen_state=data.get("state"),
            current_state=objection.status,
        )
        if ok:
            messages.success(
                request,
                _("The objection is upheld; the enterprise is taken off the list.")
                if upheld
                else _("The objection is recorded as not upheld."),
            )
            return redirect_after_post(request, _url(objection))
    return render_objection(request, objection, form)
