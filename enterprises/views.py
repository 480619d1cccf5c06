"""Pages of the enterprise registry: list, detail, create, edit, export and import."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from enterprises.exports import render_enterprise_list_xlsx, render_import_template_xlsx
from enterprises.forms import EnterpriseFilterForm, EnterpriseForm, ImportForm, town_choices
from enterprises.imports import IMPORT_JOB_KIND
from enterprises.permissions import (
    can_create_enterprise,
    can_edit_enterprise,
    get_enterprise_for_user,
    require_enterprise_creator,
)
from enterprises.selectors import enterprise_history, enterprise_list, import_template_values
from enterprises.services import enterprise_create, enterprise_update
from jobs.services import job_create
from lib.casepanels import render_case_panels
from lib.pagination import paginate
from lib.xlsx import xlsx_response


@require_GET
def enterprise_list_view(request: HttpRequest) -> HttpResponse:
    """The registry list: filters and pages on the server; htmx gets only the table fragment."""
    form = EnterpriseFilterForm(request.GET, user=request.user)
    enterprises = enterprise_list(user=request.user, filters=form.filters())
    page_obj = paginate(request, enterprises)
    context = {"form": form, "page_obj": page_obj, "can_create": can_create_enterprise(request.user)}
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "enterprises/_list_table.html", context)
    return render(request, "enterprises/enterprise_list.html", context)


@require_GET
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_enterprise_for_user(request.user, pk, "view")
    context = {
        "enterprise": enterprise,
        "risk_tags": list(enterprise.risk_tags.all()),
        "can_edit": can_edit_enterprise(request.user, enterprise),
        "history": enterprise_history(enterprise=enterprise),
        # Flags higher apps raise on the enterprise (an open 督办 on a major hazard…).
        "flags": render_case_panels("enterprise_flag", request, enterprise),
    }
    return render(request, "enterprises/enterprise_detail.html", context)


@require_http_methods(["GET", "POST"])
def enterprise_create_view(request: HttpRequest) -> HttpResponse:
    require_enterprise_creator(request.user)
    form = EnterpriseForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        enterprise = enterprise_create(actor=request.user, data=form.service_data())
        messages.success(request, _("Registered %(name)s.") % {"name": enterprise.name})
        return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/enterprise_form.html", {"form": form, "enterprise": None})


@require_http_methods(["GET", "POST"])
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_enterprise_for_user(request.user, pk, "edit")
    form = EnterpriseForm(
        request.POST if request.method == "POST" else None, user=request.user, instance=enterprise
    )
    if request.method == "POST" and form.is_valid():
        enterprise_update(actor=request.user, enterprise=enterprise, data=form.service_data())
        messages.success(request, _("Saved the changes to %(name)s.") % {"name": enterprise.name})
        return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/enterprise_form.html", {"form": form, "enterprise": enterprise})


@require_GET
def town_options(request: HttpRequest) -> HttpResponse:
    """The town <option>s for the chosen division (the form's dependent select)."""
    towns = town_choices(request.user, request.GET.get("region"))
    return render(request, "enterprises/_town_options.html", {"towns": towns})


@require_GET
def enterprise_export(request: HttpRequest) -> HttpResponse:
    """Excel of the filtered list, in the user's scope (same query string as the list)."""
    form = EnterpriseFilterForm(request.GET, user=request.user)
    enterprises = enterprise_list(user=request.user, filters=form.filters())
    workbook = render_enterprise_list_xlsx(enterprises.iterator(chunk_size=1000))
    filename = _("Enterprises %(date)s.xlsx") % {"date": timezone.localdate().strftime("%Y%m%d")}
    return xlsx_response(workbook, filename)


@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    require_enterprise_creator(request.user)
    workbook = render_import_template_xlsx(**import_template_values(user=request.user))
    return xlsx_response(workbook, _("Enterprise import template.xlsx"))


@require_http_methods(["GET", "POST"])
def enterprise_import_view(request: HttpRequest) -> HttpResponse:
    """Upload a filled-in template; the import runs as a background job with its own page."""
    require_enterprise_creator(request.user)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        job = job_create(actor=request.user, kind=IMPORT_JOB_KIND, input_file=form.cleaned_data["file"])
        return redirect("jobs:detail", pk=job.pk)
    return render(request, "enterprises/enterprise_import.html", {"form": form})
