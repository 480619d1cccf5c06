"""The job status page, its polling fragment and its downloads."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jobs.permissions import get_job_for_user
from lib.xlsx import build_workbook, content_disposition, xlsx_response

ERROR_TABLE_LIMIT = 200  # rows shown on the page; the .xlsx report holds them all


@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a job; while it runs, the status fragment polls this view every second."""
    job = get_job_for_user(request.user, pk)
    context = {"job": job, "errors": job.error_report[:ERROR_TABLE_LIMIT], "error_limit": ERROR_TABLE_LIMIT}
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "jobs/_status.html", context)
    return render(request, "jobs/job_detail.html", context)


@require_GET
def job_error_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the job's per-row problems as an Excel sheet (row, column, problem)."""
    job = get_job_for_user(request.user, pk)
    if not job.error_report:
        raise Http404
    rows = [(e.get("row"), e.get("column"), e.get("message")) for e in job.error_report]
    workbook = build_workbook([_("Row"), _("Column"), _("Problem")], rows, title=_("Problems"))
    filename = _("Problems of job %(no)s.xlsx") % {"no": job.pk}
    return xlsx_response(workbook, filename)


@require_GET
def job_output(request: HttpRequest, pk: int) -> FileResponse:
    """Download the file the job produced."""
    job = get_job_for_user(request.user, pk)
    if not job.output_file:
        raise Http404
    filename = job.params.get("output_filename") or job.output_file.name.rsplit("/", 1)[-1]
    response = FileResponse(job.output_file.open("rb"))
    response["Content-Disposition"] = content_disposition(filename)
    return response
