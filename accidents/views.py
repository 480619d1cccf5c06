"""Pages of the accident ledger: list, detail, record, edit, export, and the enterprise picker."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accidents.exports import render_accident_list_xlsx
from accidents.forms import AccidentFilterForm, AccidentForm, enterprise_label
from accidents.permissions import (
    can_edit_accident,
    can_record_accidents,
    get_accident_for_user,
    recordable_enterprises,
    require_accident_recorder,
)
from accidents.selectors import accident_history, accident_list, accident_list_totals
from accidents.services import accident_record, accident_update
from enterprises.selectors import EnterpriseFilters, enterprise_list
from lib.pagination import paginate
from lib.xlsx import xlsx_response

PICKER_RESULTS = 50


@require_GET
def accident_list_view(request: HttpRequest) -> HttpResponse:
    """The ledger: filters and pages on the server, a totals row over every filtered accident."""
    form = AccidentFilterForm(request.GET, user=request.user)
    accidents = accident_list(user=request.user, filters=form.filters())
    context = {
        "form": form,
        "page_obj": paginate(request, accidents),
        "totals": accident_list_totals(accidents),
        "can_record": can_record_accidents(request.user),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "accidents/_list_table.html", context)
    return render(request, "accidents/accident_list.html", context)


@require_GET
def accident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    accident = get_accident_for_user(request.user, pk, "view")
    context = {
        "accident": accident,
        "can_edit": can_edit_accident(request.user, accident),
        "history": accident_history(accident=accident),
    }
    return render(request, "accidents/accident_detail.html", context)


@require_http_methods(["GET", "POST"])
def accident_create_view(request: HttpRequest) -> HttpResponse:
    """Record an accident; ``?enterprise=<id>`` (the link on an enterprise's page) preselects it."""
    require_accident_recorder(request.user)
    chosen = recordable_enterprises(request.user).filter(pk=_int(request.GET.get("enterprise"))).first()
    form = AccidentForm(
        request.POST if request.method == "POST" else None, user=request.user, enterprise=chosen
    )
    if request.method == "POST" and form.is_valid():
        accident = accident_record(actor=request.user, data=form.service_data())
        messages.success(
            request, _("Recorded the accident at %(name)s.") % {"name": accident.enterprise.name}
        )
        return redirect("accidents:detail", pk=accident.pk)
    return render(
        request, "accidents/accident_form.html", {"form": form, "accident": None, "enterprise": chosen}
    )


@require_http_methods(["GET", "POST"])
def accident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    accident = get_accident_for_user(request.user, pk, "edit")
    form = AccidentForm(
        request.POST if request.method == "POST" else None, user=request.user, instance=accident
    )
    if request.method == "POST" and form.is_valid():
        accident_update(actor=request.user, accident=accident, data=form.service_data())
        messages.success(request, _("Saved the changes to the accident."))
        return redirect("accidents:detail", pk=accident.pk)
    return render(request, "accidents/accident_form.html", {"form": form, "accident": accident})


@require_GET
def accident_export(request: HttpRequest) -> HttpResponse:
    """Excel of the filtered list, in the user's scope (same query string as the list)."""
    form = AccidentFilterForm(request.GET, user=request.user)
    accidents = accident_list(user=request.user, filters=form.filters())
    workbook = render_accident_list_xlsx(accidents.iterator(chunk_size=1000))
    filename = _("Accidents %(date)s.xlsx") % {"date": timezone.localdate().strftime("%Y%m%d")}
    return xlsx_response(workbook, filename)


@require_GET
def enterprise_options(request: HttpRequest) -> HttpResponse:
    """The enterprise <option>s matching ``q`` (the record form's search box, htmx)."""
    require_accident_recorder(request.user)
    filters = EnterpriseFilters(q=request.GET.get("q", "")[:100])
    enterprises = enterprise_list(user=request.user, filters=filters)[:PICKER_RESULTS]
    options = [(e.pk, enterprise_label(e)) for e in enterprises]
    return render(request, "accidents/_enterprise_options.html", {"options": options})


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
