"""The hazard ledger (隐患整改台账): the list with its filters, and its Excel export.

Both read ``rectification.selectors.ledger`` (scoped by ``permissions.visible_to``), with the
same query string, so the export holds exactly the filtered list. Overdue rows are flagged and
an open 督办 gets its badge; an enterprise with an open 督办 on a 重大 hazard is flagged.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.roles import ENTERPRISE_ROLES
from enterprises.permissions import visible_to as enterprises_visible_to
from lib.pagination import paginate
from lib.xlsx import xlsx_response
from rectification.exports import ledger_filename, render_ledger_xlsx
from rectification.forms import LedgerFilterForm
from rectification.selectors import flagged_enterprises, ledger


def _own_enterprise(user):
    """The enterprise of an enterprise user (the ledger links to its register and its form)."""
    if user.role not in ENTERPRISE_ROLES:
        return None
    return enterprises_visible_to(user).first()


@require_GET
def ledger_view(request: HttpRequest) -> HttpResponse:
    """The ledger the user may see: filters and pages on the server (htmx swaps the table)."""
    today = timezone.localdate()
    form = LedgerFilterForm(request.GET, user=request.user)
    hazards = ledger(user=request.user, filters=form.filters(), today=today)
    page_obj = paginate(request, hazards)
    rows = list(page_obj)
    context = {
        "form": form,
        "page_obj": page_obj,
        "rows": rows,
        "flagged": flagged_enterprises(h.enterprise_id for h in rows),
        "own_enterprise": _own_enterprise(request.user),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "rectification/_ledger_table.html", context)
    return render(request, "rectification/ledger.html", context)


@require_GET
def ledger_export(request: HttpRequest) -> HttpResponse:
    """Excel of the filtered ledger, in the user's scope (same query string as the list)."""
    today = timezone.localdate()
    form = LedgerFilterForm(request.GET, user=request.user)
    hazards = ledger(user=request.user, filters=form.filters(), today=today)
    workbook = render_ledger_xlsx(hazards.iterator(chunk_size=1000), today)
    return xlsx_response(workbook, ledger_filename(today))
