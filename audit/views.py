"""The audit page: search the log, export it to Excel, and verify the hash chain."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.forms import AuditFilterForm
from audit.permissions import require_audit_reader
from audit.selectors import audit_chain_status, audit_event_details, audit_event_list
from audit.services import audit_export_record
from lib.pagination import paginate
from lib.xlsx import build_workbook, xlsx_response

EXPORT_MAX_ROWS = 50_000


def audit_list(request: HttpRequest) -> HttpResponse:
    require_audit_reader(request.user)
    form = AuditFilterForm(request.GET or None)
    events = audit_event_list(user=request.user, filters=form.filters)
    page = paginate(request, events)
    context = {"form": form, "page_obj": page, "rows": audit_event_details(page)}
    template = "audit/_event_table.html" if request.htmx else "audit/list.html"
    return render(request, template, context)


def audit_export(request: HttpRequest) -> HttpResponse:
    require_audit_reader(request.user)
    form = AuditFilterForm(request.GET or None)
    events = audit_event_list(user=request.user, filters=form.filters)[:EXPORT_MAX_ROWS]
    headers = [
        _("Time"),
        _("Actor"),
        _("Organisation"),
        _("Action"),
        _("Object type"),
        _("Object id"),
        _("Object"),
        _("Details"),
        _("IP address"),
        _("Sequence"),
        _("Hash"),
    ]
    rows = [
        [
            timezone.localtime(e.created_at),
            e.actor_repr,
            e.organisation_repr,
            e.action,
            e.target_type,
            e.target_id,
            e.target_repr,
            "\n".join(f"{label}: {text}" for label, text in details),
            e.ip or "",
            e.seq,
            e.hash,
        ]
        for e, details in audit_event_details(events)
    ]
    audit_export_record(
        actor=request.user, filters={k: str(v) for k, v in form.filters.items()}, count=len(rows)
    )
    workbook = build_workbook(headers, rows, title=_("Audit log"), text_columns=(5, 8))
    filename = _("audit-log-%(date)s.xlsx") % {"date": timezone.localdate().strftime("%Y%m%d")}
    return xlsx_response(workbook, filename)


def audit_verify(request: HttpRequest) -> HttpResponse:
    require_audit_reader(request.user)
    context = {"status": audit_chain_status()}
    template = "audit/_chain_status.html" if request.htmx else "audit/verify.html"
    return render(request, template, context)
