"""Pages for system admins: regulation parameters (with their history) and the working-day calendar.

Each view: access check, form, one service call, redirect or render.
"""

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lib.checks import holiday_data_available
from lib.forms import add_service_errors
from regulation import selectors, services
from regulation.forms import CalendarDayForm, ParameterSetForm
from regulation.models import CalendarDay
from regulation.permissions import require_regulation_admin

GET_POST = require_http_methods(["GET", "POST"])
MIN_YEAR, MAX_YEAR = 2000, 2100


def parameter_list(request: HttpRequest) -> HttpResponse:
    require_regulation_admin(request.user)
    # One query: every version, the open (latest) one first within each key.
    groups = [list(rows) for _key, rows in groupby(selectors.parameter_list(), key=lambda row: row.key)]
    entries = [{"current": rows[0], "history": rows[1:]} for rows in groups]
    return render(
        request, "regulation/parameter_list.html", {"entries": entries, "today": timezone.localdate()}
    )


@GET_POST
def parameter_set(request: HttpRequest, key: str) -> HttpResponse:
    require_regulation_admin(request.user)
    current = selectors.parameter_list().filter(key=key).first()
    if current is None:
        raise Http404
    form = ParameterSetForm(request.POST or None, initial={"value": current.value})
    if request.method == "POST" and form.is_valid():
        try:
            services.parameter_set(actor=request.user, key=key, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc, "value")
        else:
            messages.success(request, _("New value of %(label)s recorded.") % {"label": current.label})
            return redirect("regulation:parameter_list")
    return render(request, "regulation/parameter_set.html", {"form": form, "current": current})


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if MIN_YEAR <= year <= MAX_YEAR else timezone.localdate().year


def _calendar_url(year: int) -> str:
    return reverse("regulation:calendar") + "?" + urlencode({"year": year})


@GET_POST
def calendar(request: HttpRequest) -> HttpResponse:
    require_regulation_admin(request.user)
    year = _year(request)
    edit = request.GET.get("edit", "")
    editing = CalendarDay.objects.filter(pk=int(edit)).first() if edit.isdigit() else None
    fields = ("date", "kind", "name", "source")
    form = CalendarDayForm(
        request.POST or None, initial={f: getattr(editing, f) for f in fields} if editing else {}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = services.calendar_day_save(
                actor=request.user,
                day=data["date"],
                kind=data["kind"],
                name=data["name"],
                source=data["source"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, "date")
        else:
            messages.success(request, _("Calendar day %(date)s saved.") % {"date": row.date})
            return redirect(_calendar_url(row.date.year))
    context = {
        "form": form,
        "year": year,
        "days": selectors.calendar_days_of_year(year),
        "covered": holiday_data_available(year),
        "editing": editing,
    }
    return render(request, "regulation/calendar.html", context)


@require_POST
def calendar_day_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_regulation_admin(request.user)
    row = get_object_or_404(CalendarDay, pk=pk)
    services.calendar_day_delete(actor=request.user, row=row)
    messages.success(request, _("Calendar day %(date)s deleted.") % {"date": row.date})
    return redirect(_calendar_url(row.date.year))
