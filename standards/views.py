"""Pages of the scoring standards and the score sheets scored against them.

Each view: access function, form, one service call, then redirect or render. The scoring page
saves one item per request (htmx): the response swaps that item's row and, out of band, its
element's and sub-element's subtotals and the sheet's summary.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lib.uploads import stored_file_response
from lib.xlsx import content_disposition, xlsx_response
from standards.exports import standard_csv_zip, standard_xlsx
from standards.formats import StandardFormatError, parse_standard
from standards.forms import (
    EvidenceUploadForm,
    ItemScoreForm,
    SheetCreateForm,
    SheetImportForm,
    StandardImportForm,
)
from standards.models import ScoreSheet, ScoringStandard
from standards.permissions import (
    can_create_sheet,
    can_edit_sheet,
    can_manage_standards,
    get_evidence_for_user,
    get_sheet_for_user,
    get_standard_for_user,
    require_sheet_creator,
    require_standard_manager,
    sheet_is_managed,
    sheet_links,
)
from standards.selectors import (
    sheet_list_with_progress,
    sheet_page,
    standard_list_with_totals,
    standard_parsed,
    standard_tree,
)
from standards.services import (
    sheet_create,
    sheet_entries_replace,
    sheet_entries_save,
    sheet_entry_clear,
    sheet_evidence_add,
    sheet_evidence_remove,
    sheet_submit,
    standard_import,
    standard_publish,
    standard_retire,
)
from standards.sheet_io import ITEM_SHEET, sheet_to_json, sheet_to_xlsx

GET_POST = require_http_methods(["GET", "POST"])


def _redirect_after_post(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect a plain POST; tell htmx to navigate instead (HX-Redirect, not a 302)."""
    if request.htmx:
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


# --- Standards ------------------------------------------------------------------------


@require_GET
def standard_list_view(request: HttpRequest) -> HttpResponse:
    standards = standard_list_with_totals(user=request.user)
    page_obj = Paginator(standards, settings.LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page_obj, "can_manage": can_manage_standards(request.user)}
    return render(request, "standards/standard_list.html", context)


@require_GET
def standard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    standard = get_standard_for_user(request.user, pk)
    tree = standard_tree(standard)
    context = {
        "standard": standard,
        "tree": tree,
        "item_count": sum(len(s.items) for e in tree for s in e.subelements),
        "total_points": sum((e.element.points for e in tree), 0),
        "can_manage": can_manage_standards(request.user),
        "can_create_sheet": can_create_sheet(request.user)
        and standard.status == ScoringStandard.Status.PUBLISHED,
    }
    return render(request, "standards/standard_detail.html", context)


@require_POST
def standard_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    standard = get_standard_for_user(request.user, pk, "publish")
    try:
        standard_publish(actor=request.user, standard=standard)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Published %(standard)s.") % {"standard": standard})
    return _redirect_after_post(request, reverse("standards:detail", args=[pk]))


@require_POST
def standard_retire_view(request: HttpRequest, pk: int) -> HttpResponse:
    standard = get_standard_for_user(request.user, pk, "retire")
    try:
        standard_retire(actor=request.user, standard=standard)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Retired %(standard)s.") % {"standard": standard})
    return _redirect_after_post(request, reverse("standards:detail", args=[pk]))


def _export_name(standard: ScoringStandard, extension: str) -> str:
    return f"{standard.code}-v{standard.version}.{extension}"


@require_GET
def standard_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The version as an .xlsx in the exchange format (sheets elements and items)."""
    standard = get_standard_for_user(request.user, pk)
    return xlsx_response(standard_xlsx(standard_parsed(standard)), _export_name(standard, "xlsx"))


@require_GET
def standard_export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The version as a .zip of elements.csv and items.csv."""
    standard = get_standard_for_user(request.user, pk)
    response = HttpResponse(standard_csv_zip(standard_parsed(standard)), content_type="application/zip")
    response["Content-Disposition"] = content_disposition(_export_name(standard, "zip"))
    return response


@GET_POST
def standard_import_view(request: HttpRequest) -> HttpResponse:
    """Upload a version; every format problem is listed by file, row and column, and nothing is saved."""
    require_standard_manager(request.user)
    form = StandardImportForm(request.POST or None, request.FILES or None)
    format_errors: list[dict] = []
    if request.method == "POST" and form.is_valid():
        try:
            parsed = parse_standard(*form.tables())
        except StandardFormatError as exc:
            format_errors = form.error_rows(exc.errors)
        else:
            standard = standard_import(actor=request.user, parsed=parsed, **form.service_data())
            messages.success(request, _("Imported %(standard)s as a draft.") % {"standard": standard})
            return redirect("standards:detail", pk=standard.pk)
    context = {"form": form, "format_errors": format_errors}
    return render(request, "standards/standard_import.html", context)


# --- Score sheets -----------------------------------------------------------------------


@require_GET
def sheet_list_view(request: HttpRequest) -> HttpResponse:
    sheets = sheet_list_with_progress(user=request.user)
    page_obj = Paginator(sheets, settings.LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page_obj, "can_create": can_create_sheet(request.user)}
    return render(request, "standards/sheet_list.html", context)


@GET_POST
def sheet_create_view(request: HttpRequest) -> HttpResponse:
    """Start a trial sheet (试评分); later issues create self-assessment and review sheets."""
    require_sheet_creator(request.user)
    initial = {"standard": request.GET.get("standard")}
    form = SheetCreateForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        sheet = sheet_create(actor=request.user, kind=ScoreSheet.Kind.PREVIEW, **form.cleaned_data)
        return redirect("standards:sheet_detail", pk=sheet.pk)
    return render(request, "standards/sheet_form.html", {"form": form})


def _sheet_context(request: HttpRequest, sheet: ScoreSheet) -> dict:
    page = sheet_page(sheet)
    return {
        "sheet": sheet,
        "page": page,
        "result": page.result,
        "can_edit": can_edit_sheet(request.user, sheet),
        "managed": sheet_is_managed(sheet),
        "case": sheet_links(request.user, sheet),
    }


@require_GET
def sheet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The scoring page: the standard as a tree with each item's state, and the summary."""
    sheet = get_sheet_for_user(request.user, pk)
    return render(request, "standards/sheet_detail.html", _sheet_context(request, sheet))


def _item_response(request, sheet, code, *, form=None, errors=(), edit=False) -> HttpResponse:
    """Return the item's row (with its editor when editing) plus, out of band, the totals.

    Without htmx, a saved item redirects back to the page, and an editor (a refused entry)
    is shown on the whole page.
    """
    context = _sheet_context(request, sheet)
    element, sub, row = context["page"].locate(code)
    if edit and form is None and context["can_edit"]:
        form = ItemScoreForm(code=code, entry=row.entry)
    context.update(element=element, sub=sub, row=row, form=form, errors=list(errors))
    context.update(open_code=code, open_element_no=element.element.no)
    if request.htmx:
        return render(request, "standards/_item_response.html", context)
    if form is None:
        return redirect(reverse("standards:sheet_detail", args=[sheet.pk]) + "#" + row.dom_id)
    return render(request, "standards/sheet_detail.html", context)


@require_GET
def sheet_item(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """One item's row; ``?edit=1`` opens its editor (only the author's, while being filled)."""
    edit = bool(request.GET.get("edit"))
    sheet = get_sheet_for_user(request.user, pk, "edit" if edit else "view")
    return _item_response(request, sheet, code, edit=edit)


@require_POST
def sheet_item_save(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Save one item; a refused entry comes back in its editor with the reasons, nothing saved."""
    sheet = get_sheet_for_user(request.user, pk, "edit")
    form = ItemScoreForm(request.POST, code=code)
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        return _item_response(request, sheet, code, form=form, errors=errors)
    try:
        sheet_entries_save(actor=request.user, sheet=sheet, entries=[form.entry()])
    except ValidationError as exc:
        return _item_response(request, sheet, code, form=form, errors=exc.messages)
    return _item_response(request, sheet, code)


@require_POST
def sheet_item_clear(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Return one item to "not scored yet"."""
    sheet = get_sheet_for_user(request.user, pk, "edit")
    try:
        sheet_entry_clear(actor=request.user, sheet=sheet, code=code)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _item_response(request, sheet, code)


@require_POST
def sheet_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit the sheet; from now on it is read-only. A second click changes nothing."""
    sheet = get_sheet_for_user(request.user, pk, "edit")
    was_draft = sheet.status == ScoreSheet.Status.DRAFT
    sheet = sheet_submit(actor=request.user, sheet=sheet)
    if was_draft:
        messages.success(request, _("The sheet has been submitted."))
    else:
        messages.info(request, _("The sheet had already been submitted."))
    return _redirect_after_post(request, reverse("standards:sheet_detail", args=[pk]))


# --- Evidence files on the scoring page ------------------------------------------------


def _evidence_response(request: HttpRequest, sheet: ScoreSheet, code: str, errors=()) -> HttpResponse:
    """Return the item's row (with any refusal shown in it); totals do not change.

    Without htmx, success redirects back to the item, and a refusal shows the whole page.
    """
    context = _sheet_context(request, sheet)
    element, _sub, row = context["page"].locate(code)
    context.update(row=row, evidence_errors=list(errors), open_code=code, open_element_no=element.element.no)
    if request.htmx:
        return render(request, "standards/_sheet_item.html", context)
    if not errors:
        return redirect(reverse("standards:sheet_detail", args=[sheet.pk]) + "#" + row.dom_id)
    return render(request, "standards/sheet_detail.html", context)


@require_POST
def sheet_evidence_add_view(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Attach a photo or PDF to a scored item; a refused file is named in the row, nothing stored."""
    sheet = get_sheet_for_user(request.user, pk, "edit")
    form = EvidenceUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        return _evidence_response(request, sheet, code, errors)
    try:
        sheet_evidence_add(actor=request.user, sheet=sheet, code=code, **form.service_data())
    except ValidationError as exc:
        return _evidence_response(request, sheet, code, exc.messages)
    return _evidence_response(request, sheet, code)


@require_POST
def sheet_evidence_remove_view(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    """Remove an evidence file (and, once committed, the stored file); the row comes back."""
    sheet, evidence = get_evidence_for_user(request.user, pk, evidence_id, "edit")
    try:
        sheet_evidence_remove(actor=request.user, sheet=sheet, evidence=evidence)
    except ValidationError as exc:
        return _evidence_response(request, sheet, evidence.entry.item.code, exc.messages)
    return _evidence_response(request, sheet, evidence.entry.item.code)


@require_GET
def sheet_evidence_file(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    """Stream an evidence file to whoever may see the sheet (MEDIA_ROOT itself is never served)."""
    _sheet, evidence = get_evidence_for_user(request.user, pk, evidence_id)
    return stored_file_response(evidence.file, evidence.original_name)


# --- Sheet export and import (keyed by item code; see standards.sheet_io) ------------------


@require_GET
def sheet_export_json(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = get_sheet_for_user(request.user, pk)
    response = JsonResponse(sheet_to_json(sheet), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = content_disposition(f"{ITEM_SHEET}-{sheet.pk}.json")
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def sheet_export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = get_sheet_for_user(request.user, pk)
    return xlsx_response(sheet_to_xlsx(sheet), f"{ITEM_SHEET}-{sheet.pk}.xlsx")


def _errors_by_code(exc: ValidationError) -> list[tuple[str, str]]:
    """Return (item code or "", message) pairs of a refused import."""
    if not hasattr(exc, "error_dict"):
        return [("", message) for message in exc.messages]
    return [
        ("" if code == NON_FIELD_ERRORS else code, message)
        for code, messages in exc.message_dict.items()
        for message in messages
    ]


@GET_POST
def sheet_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a filled-in export into a draft sheet: the sheet then records exactly the file, or nothing."""
    sheet = get_sheet_for_user(request.user, pk, "edit")
    form = SheetImportForm(request.POST or None, request.FILES or None)
    errors: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            sheet_entries_replace(actor=request.user, sheet=sheet, entries=form.entries(sheet.standard))
        except ValidationError as exc:
            errors = _errors_by_code(exc)
        else:
            messages.success(request, _("The file has been imported into the sheet."))
            return redirect("standards:sheet_detail", pk=sheet.pk)
    context = {"sheet": sheet, "form": form, "import_errors": errors}
    return render(request, "standards/sheet_import.html", context)
