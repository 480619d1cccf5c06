"""REST operations on scoring standards (/api/v1/standards) and score sheets (/api/v1/sheets).

Reads start from the same selectors and access functions as the HTML pages; writes go
through the sheet services, so the API refuses exactly what the pages refuse, with the same
Chinese messages keyed by item code. Decimals travel as strings with one decimal place.
"""

import json
from datetime import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from pydantic import WithJsonSchema

from lib.api import ERRORS, DomainError, ErrorOut
from lib.uploads import stored_file_response
from lib.xlsx import content_disposition, xlsx_response
from standards.domain import (
    Deduction,
    GroupResult,
    ItemEntry,
    ScoreResult,
    ScoringInputError,
    SheetInput,
    parse_points,
    score_sheet,
)
from standards.models import ScoreSheet, ScoringStandard, Specialty
from standards.permissions import (
    can_edit_sheet,
    get_evidence_for_user,
    get_sheet_for_user,
    get_standard_for_user,
    require_sheet_creator,
)
from standards.selectors import (
    EvidenceRow,
    item_evidence,
    sheet_entries,
    sheet_list_with_progress,
    sheet_result,
    standard_list,
    standard_list_with_totals,
    standard_spec_cached,
    standard_tree,
)
from standards.services import (
    DeductionIn,
    EntryIn,
    sheet_create,
    sheet_entries_replace,
    sheet_entries_save,
    sheet_entry_clear,
    sheet_evidence_add,
    sheet_evidence_remove,
    sheet_submit,
)
from standards.sheet_io import (
    ALL,
    ITEM_SHEET,
    MAX_DEDUCTIONS,
    MAX_ITEMS,
    decimal_text,
    entries_from_json,
    entries_from_xlsx,
    sheet_to_json,
    sheet_to_xlsx,
)

standards_router = Router(tags=["standards"])
sheets_router = Router(tags=["sheets"])

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WITH_CONFLICT = {**ERRORS, 409: ErrorOut}

# Choices as inline literals (see enterprises/api.py): no shared "Status" component.
StandardStatusCode = Literal[tuple(ScoringStandard.Status.values)]
SheetKindCode = Literal[tuple(ScoreSheet.Kind.values)]
SheetStatusCode = Literal[tuple(ScoreSheet.Status.values)]
SpecialtyCode = Literal[("", *Specialty.values)]
Level = Literal[1, 2, 3]

_DECIMAL = gettext_lazy("A decimal number as a string, with one decimal place.")
_POINTS_IN = gettext_lazy(
    'Points as a string such as "1.5" (at most one decimal place); numbers are accepted.'
)
# Any JSON value reaches the engine's parse_points, so a bad number is refused with a message
# keyed by the item code (not by a position in the body); the schema says what is expected.
PointsIn = Annotated[Any, WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "number"}]})]


# --- Schemas: standards -------------------------------------------------------------


class ThresholdOut(Schema):
    level: int = Field(description=gettext_lazy("Grade level: 1 is the best (一级)."))
    minimum: str = Field(description=gettext_lazy("The lowest percentage that reaches the level."))


class StandardOut(Schema):
    id: int
    code: str
    name: str
    version: int
    status: StandardStatusCode
    status_label: str
    industries: list[str] = Field(description=gettext_lazy("Industry codes it applies to."))
    total_points: str = Field(description=gettext_lazy("Σ points of the items, as a string."))
    item_count: int
    thresholds: list[ThresholdOut]
    effective_from: str | None = Field(description=gettext_lazy("ISO date, or null."))


class StandardItemOut(Schema):
    code: str = Field(description=gettext_lazy('Stable item code "<sub-element>.<item>", e.g. "6.1.5".'))
    requirement: str
    points: str = Field(description=_DECIMAL)
    method: str = Field(description=gettext_lazy("How the item is scored (考评方法)."))
    is_veto: bool
    specialty: SpecialtyCode


class SubElementOut(Schema):
    no: str
    name: str
    points: str = Field(description=_DECIMAL)
    items: list[StandardItemOut]


class ElementOut(Schema):
    no: int
    name: str
    points: str = Field(description=_DECIMAL)
    subelements: list[SubElementOut]


class StandardDetailOut(StandardOut):
    elements: list[ElementOut]


# --- Schemas: scoring input and result ----------------------------------------------


class StandardRefIn(Schema):
    code: str = Field(max_length=32)
    version: int = Field(ge=1)


class DeductionEntryIn(Schema):
    points: PointsIn = Field(description=_POINTS_IN)
    reason: str = Field("", max_length=500)
    is_hazard: bool = Field(False, description=gettext_lazy("Whether it constitutes a hazard (构成隐患)."))


class ItemEntryIn(Schema):
    code: str = Field(max_length=24)
    applicable: bool = Field(True, description=gettext_lazy("False marks the item not applicable (缺项)."))
    deductions: list[DeductionEntryIn] = Field(default_factory=list, max_length=MAX_DEDUCTIONS)
    extra_deduction: PointsIn = Field("0", description=_POINTS_IN)
    extra_reason: str = Field("", max_length=255)
    na_reason: str = Field("", max_length=255)
    description: str = Field("", max_length=5000)


class ScorePreviewIn(Schema):
    standard: int | StandardRefIn = Field(
        description=gettext_lazy("The standard version: its id, or its code and version.")
    )
    items: list[ItemEntryIn] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description=gettext_lazy("The scored items; items left out score full marks."),
    )
    applied_level: Level = Field(3, description=gettext_lazy("The grade level applied for."))


class ItemResultOut(Schema):
    code: str
    element_no: int
    subelement_no: str
    points: str = Field(description=_DECIMAL)
    applicable: bool
    deducted: str = Field(description=gettext_lazy("Σ deductions as recorded; may exceed the points."))
    score: str = Field(description=gettext_lazy("max(0, points − deducted); 0 when not applicable."))
    extra_deduction: str = Field(description=_DECIMAL)
    is_veto: bool
    veto_failed: bool


class GroupResultOut(Schema):
    no: str
    name: str
    points: str = Field(description=gettext_lazy("Standard points (标准分值): Σ points of the items."))
    na_points: str = Field(
        description=gettext_lazy("Not applicable points (缺项分): points of the items not applicable.")
    )
    applicable_points: str = Field(
        description=gettext_lazy("Applicable points (应得分): points − not applicable points.")
    )
    extra_deduction: str = Field(
        description=gettext_lazy("Extra deductions (追加扣除) taken within the element.")
    )
    earned: str = Field(description=gettext_lazy("Earned points (实得分)."))
    rate: str | None = Field(
        description=gettext_lazy("Score rate (得分率) in %, one decimal; null when nothing applies.")
    )


class ScoreResultOut(Schema):
    standard_key: str
    engine_version: str
    items: list[ItemResultOut]
    subelements: list[GroupResultOut]
    elements: list[GroupResultOut]
    total_points: str = Field(description=_DECIMAL)
    na_points: str = Field(description=_DECIMAL)
    denominator: str = Field(description=gettext_lazy("Total points − not applicable points."))
    earned: str = Field(description=_DECIMAL)
    percentage: str | None = Field(
        description=gettext_lazy(
            "Earned ÷ denominator × 100, rounded half up to one decimal; null if all N/A."
        )
    )
    failed_vetoes: list[str]
    score_level: int | None
    final_level: int | None
    applied_level: int
    passed: bool
    explanation: list[str] = Field(description=gettext_lazy("Why this score, line by line."))
    message: str


# --- Schemas: sheets ----------------------------------------------------------------


class StandardBriefOut(Schema):
    id: int
    code: str
    name: str
    version: int


class UserBriefOut(Schema):
    id: int
    name: str


class SheetOut(Schema):
    id: int
    standard: StandardBriefOut
    kind: SheetKindCode
    kind_label: str
    status: SheetStatusCode
    status_label: str
    title: str
    created_by: UserBriefOut
    created_at: datetime
    updated_at: datetime
    can_edit: bool = Field(description=gettext_lazy("Whether you may change the sheet now."))


class SheetListItemOut(SheetOut):
    scored_count: int = Field(description=gettext_lazy("Number of items scored so far."))


class SheetListOut(Schema):
    count: int
    items: list[SheetListItemOut]


class SheetDeductionOut(Schema):
    points: str = Field(description=_DECIMAL)
    reason: str
    is_hazard: bool


class SheetEntryOut(Schema):
    code: str
    applicable: bool
    na_reason: str
    deductions: list[SheetDeductionOut]
    extra_deduction: str = Field(description=_DECIMAL)
    extra_reason: str
    description: str
    scored_at: datetime | None


class SheetDetailOut(SheetOut):
    entries: list[SheetEntryOut] = Field(
        description=gettext_lazy("The scored items; the others score full marks.")
    )
    result: ScoreResultOut


class SheetListParams(Schema):
    standard: int | None = Field(None, description=gettext_lazy("Id of a standard version."))
    kind: SheetKindCode | None = None
    status: SheetStatusCode | None = None
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0)


class SheetCreateIn(Schema):
    standard: int = Field(description=gettext_lazy("Id of a published standard version."))
    kind: SheetKindCode = ScoreSheet.Kind.PREVIEW.value
    title: str = Field("", max_length=200)


class SheetItemsIn(Schema):
    items: list[ItemEntryIn] = Field(max_length=MAX_ITEMS)


class DocumentStandardOut(Schema):
    code: str
    version: int
    name: str


class DocumentSheetOut(Schema):
    kind: SheetKindCode
    status: SheetStatusCode
    title: str


class DocumentItemOut(Schema):
    code: str
    applicable: bool
    na_reason: str
    deductions: list[SheetDeductionOut]
    extra_deduction: str = Field(description=_DECIMAL)
    extra_reason: str
    description: str


class SheetDocumentOut(Schema):
    format: Literal["anbiao.score-sheet"]
    format_version: int
    standard: DocumentStandardOut
    sheet: DocumentSheetOut
    items: list[DocumentItemOut]


class EvidenceOut(Schema):
    id: int
    code: str = Field(description=gettext_lazy("Code of the item the file is attached to."))
    name: str = Field(description=gettext_lazy("The file's name as uploaded."))
    size: int = Field(description=gettext_lazy("Size in bytes."))
    sha256: str = Field(description=gettext_lazy("SHA-256 of the content, in hex."))
    deduction_index: int | None = Field(
        description=gettext_lazy(
            "Position (from 0) of the item's deduction the file backs; null for the whole item, "
            "or once that deduction has been changed."
        )
    )
    uploaded_at: datetime


# --- Helpers ------------------------------------------------------------------------


def _standard_out(standard: ScoringStandard, *, total, count: int) -> dict[str, Any]:
    return {
        "id": standard.pk,
        "code": standard.code,
        "name": standard.name,
        "version": standard.version,
        "status": standard.status,
        "status_label": standard.get_status_display(),
        "industries": [str(i) for i in standard.industries or []],
        "total_points": decimal_text(total or 0),
        "item_count": count,
        "thresholds": [
            {"level": level, "minimum": decimal_text(minimum)}
            for level, minimum in standard.thresholds.items()
        ],
        "effective_from": standard.effective_from.isoformat() if standard.effective_from else None,
    }


def _group_out(group: GroupResult) -> dict[str, Any]:
    return {
        "no": group.no,
        "name": group.name,
        "points": decimal_text(group.points),
        "na_points": decimal_text(group.na_points),
        "applicable_points": decimal_text(group.applicable_points),
        "extra_deduction": decimal_text(group.extra_deduction),
        "earned": decimal_text(group.earned),
        "rate": decimal_text(group.rate) if group.rate is not None else None,
    }


def _result_out(result: ScoreResult) -> dict[str, Any]:
    return {
        "standard_key": result.standard_key,
        "engine_version": result.engine_version,
        "items": [
            {
                "code": r.code,
                "element_no": r.element_no,
                "subelement_no": r.subelement_no,
                "points": decimal_text(r.points),
                "applicable": r.applicable,
                "deducted": decimal_text(r.deducted),
                "score": decimal_text(r.score),
                "extra_deduction": decimal_text(r.extra_deduction),
                "is_veto": r.is_veto,
                "veto_failed": r.veto_failed,
            }
            for r in result.items
        ],
        "subelements": [_group_out(g) for g in result.subelements],
        "elements": [_group_out(g) for g in result.elements],
        "total_points": decimal_text(result.total_points),
        "na_points": decimal_text(result.na_points),
        "denominator": decimal_text(result.denominator),
        "earned": decimal_text(result.earned),
        "percentage": decimal_text(result.percentage) if result.percentage is not None else None,
        "failed_vetoes": list(result.failed_vetoes),
        "score_level": result.score_level,
        "final_level": result.final_level,
        "applied_level": result.applied_level,
        "passed": result.passed,
        "explanation": list(result.explanation),
        "message": result.message,
    }


def _sheet_out(sheet: ScoreSheet, user) -> dict[str, Any]:
    standard = sheet.standard
    return {
        "id": sheet.pk,
        "standard": {
            "id": standard.pk,
            "code": standard.code,
            "name": standard.name,
            "version": standard.version,
        },
        "kind": sheet.kind,
        "kind_label": sheet.get_kind_display(),
        "status": sheet.status,
        "status_label": sheet.get_status_display(),
        "title": sheet.title,
        "created_by": {"id": sheet.created_by_id, "name": str(sheet.created_by)},
        "created_at": sheet.created_at,
        "updated_at": sheet.updated_at,
        "can_edit": can_edit_sheet(user, sheet),
    }


def _sheet_detail(user, sheet_id: int) -> dict[str, Any]:
    """Return the sheet with its entries and the engine's result, in a fixed number of queries."""
    sheet = get_sheet_for_user(user, sheet_id)
    entries = list(sheet_entries(sheet))
    return {
        **_sheet_out(sheet, user),
        "entries": [
            {
                "code": row.item.code,
                "applicable": row.applicable,
                "na_reason": row.na_reason,
                "deductions": [
                    {"points": decimal_text(d.points), "reason": d.reason, "is_hazard": d.is_hazard}
                    for d in row.deductions.all()
                ],
                "extra_deduction": decimal_text(row.extra_deduction),
                "extra_reason": row.extra_reason,
                "description": row.description,
                "scored_at": row.scored_at,
            }
            for row in entries
        ],
        "result": _result_out(sheet_result(sheet, entries=entries)),
    }


def _editable_sheet(user, sheet_id: int) -> ScoreSheet:
    """Return the sheet for a change: 404 outsiders, 403 non-authors, 409 once submitted."""
    return _require_draft(get_sheet_for_user(user, sheet_id, "edit"))


def _require_draft(sheet: ScoreSheet) -> ScoreSheet:
    if sheet.status != ScoreSheet.Status.DRAFT:
        raise DomainError(
            _("This sheet has been submitted and can no longer be changed."), code="sheet_not_draft"
        )
    return sheet


def _evidence_out(row: EvidenceRow, code: str) -> dict[str, Any]:
    evidence = row.evidence
    return {
        "id": evidence.pk,
        "code": code,
        "name": evidence.original_name,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "deduction_index": row.deduction_index,
        "uploaded_at": evidence.uploaded_at,
    }


def _zero_if_empty(value: Any) -> Any:
    return "0" if value is None or value == "" else value


def _entries_in(items: list[ItemEntryIn]) -> list[EntryIn]:
    return [
        EntryIn(
            code=item.code.strip(),
            applicable=item.applicable,
            deductions=tuple(DeductionIn(d.points, d.reason, d.is_hazard) for d in item.deductions),
            extra_deduction=_zero_if_empty(item.extra_deduction),
            extra_reason=item.extra_reason,
            na_reason=item.na_reason,
            description=item.description,
        )
        for item in items
    ]


def _engine_entries(items: list[ItemEntryIn]) -> tuple[ItemEntry, ...]:
    """Return the items as engine input; raise ValidationError keyed by code for every bad number."""
    errors: dict[str, list[str]] = {}
    entries = []
    for item in items:
        code = item.code.strip()
        try:
            deductions = tuple(
                Deduction(
                    parse_points(
                        d.points,
                        what=lambda c=code: _("The deduction of item %(code)s") % {"code": c},
                        code=code,
                    ),
                    d.reason,
                    d.is_hazard,
                )
                for d in item.deductions
            )
            extra = parse_points(
                _zero_if_empty(item.extra_deduction),
                what=lambda c=code: _("The extra deduction of item %(code)s") % {"code": c},
                code=code,
            )
        except ScoringInputError as exc:
            errors.setdefault(code or ALL, []).append(exc.message)
            continue
        entries.append(
            ItemEntry(
                code=code,
                applicable=item.applicable,
                deductions=deductions,
                extra_deduction=extra,
                extra_reason=item.extra_reason,
                na_reason=item.na_reason,
                note=item.description,
            )
        )
    if errors:
        raise ValidationError(errors)
    return tuple(entries)


def _preview_standard(user, ref: int | StandardRefIn) -> ScoringStandard:
    """Return the visible standard version named by id or by code and version; else 422."""
    visible = standard_list(user=user)
    if isinstance(ref, int):
        standard = visible.filter(pk=ref).first()
    else:
        standard = visible.filter(code=ref.code, version=ref.version).first()
    if standard is None:
        raise ValidationError({"standard": [_("There is no such standard version.")]})
    return standard


def _entries_from_request(request: HttpRequest, standard: ScoringStandard) -> list[EntryIn]:
    """Read an import: a JSON body, or an uploaded file (.xlsx, or a .json document)."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body)
        except (ValueError, RequestDataTooBig) as exc:
            raise ValidationError({ALL: [_("The body is not a valid JSON document.")]}) from exc
        return entries_from_json(data, standard)
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": [_("Upload the file in the field named file.")]})
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError({"file": [_("The file is larger than 5 MB.")]})
        if upload.name.lower().endswith(".json"):
            try:
                data = json.loads(upload.read())
            except ValueError as exc:
                raise ValidationError({"file": [_("The file is not a valid JSON document.")]}) from exc
            return entries_from_json(data, standard)
        return entries_from_xlsx(upload, standard)
    raise ValidationError(
        {ALL: [_("Send the sheet as a JSON body, or upload an .xlsx file in the field named file.")]}
    )


IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/SheetDocumentOut"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    }
}
EVIDENCE_FILE_RESPONSE = {
    "responses": {
        200: {
            "description": "OK",
            "content": {
                kind: {"schema": {"type": "string", "format": "binary"}}
                for kind in ("image/jpeg", "image/png", "application/pdf")
            },
        }
    }
}
XLSX_RESPONSE = {
    "responses": {
        200: {
            "description": "OK",
            "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


# --- Operations: standards ------------------------------------------------------------


@standards_router.get(
    "/",
    response={200: list[StandardOut], **ERRORS},
    summary=gettext_lazy("List standard versions"),
    description=gettext_lazy("Published and retired versions; the city bureau also sees drafts."),
)
def list_standards(request: HttpRequest):
    return [
        _standard_out(s, total=s.points_total, count=s.item_count)
        for s in standard_list_with_totals(user=request.auth)
    ]


@standards_router.get(
    "/{int:standard_id}",
    response={200: StandardDetailOut, **ERRORS},
    summary=gettext_lazy("One standard version with its items"),
    description=gettext_lazy("Elements → sub-elements → items, in the standard's order."),
)
def get_standard(request: HttpRequest, standard_id: int):
    standard = get_standard_for_user(request.auth, standard_id)
    elements = []
    total, count = 0, 0
    for node in standard_tree(standard):
        subelements = []
        for sub in node.subelements:
            subelements.append(
                {
                    "no": sub.subelement.no,
                    "name": sub.subelement.name,
                    "points": decimal_text(sub.points),
                    "items": [
                        {
                            "code": i.code,
                            "requirement": i.requirement,
                            "points": decimal_text(i.points),
                            "method": i.method_text,
                            "is_veto": i.is_veto,
                            "specialty": i.specialty,
                        }
                        for i in sub.items
                    ],
                }
            )
            total += sub.points
            count += len(sub.items)
        elements.append(
            {
                "no": node.element.no,
                "name": node.element.name,
                "points": decimal_text(node.element.points),
                "subelements": subelements,
            }
        )
    return {**_standard_out(standard, total=total, count=count), "elements": elements}


@standards_router.post(
    "/score-preview",
    response={200: ScoreResultOut, **ERRORS},
    summary=gettext_lazy("Score a sheet without saving it"),
    description=gettext_lazy(
        "Runs the scoring engine on the posted items and returns the full, explained result. "
        "Nothing is stored. Bad numbers and unknown item codes give 422 keyed by item code."
    ),
)
def score_preview(request: HttpRequest, payload: ScorePreviewIn):
    standard = _preview_standard(request.auth, payload.standard)
    spec = standard_spec_cached(standard)
    entries = _engine_entries(payload.items)
    try:
        result = score_sheet(spec, SheetInput(spec.key, entries, applied_level=payload.applied_level))
    except ScoringInputError as exc:
        raise ValidationError({exc.code or ALL: [exc.message]}) from exc
    return _result_out(result)


# --- Operations: sheets ---------------------------------------------------------------


@sheets_router.get(
    "/",
    response={200: SheetListOut, **ERRORS},
    summary=gettext_lazy("List score sheets"),
    description=gettext_lazy("Your own sheets; the city bureau sees every sheet."),
)
def list_sheets(request: HttpRequest, params: Query[SheetListParams]):
    qs = sheet_list_with_progress(user=request.auth)
    if params.standard is not None:
        qs = qs.filter(standard_id=params.standard)
    if params.kind:
        qs = qs.filter(kind=params.kind)
    if params.status:
        qs = qs.filter(status=params.status)
    page = qs[params.offset : params.offset + params.limit]
    return {
        "count": qs.count(),
        "items": [{**_sheet_out(s, request.auth), "scored_count": s.scored_count} for s in page],
    }


@sheets_router.post(
    "/",
    response={201: SheetDetailOut, **ERRORS},
    summary=gettext_lazy("Start a score sheet"),
    description=gettext_lazy(
        "On a published standard version; a trial sheet (preview) unless another kind is given."
    ),
)
def create_sheet(request: HttpRequest, payload: SheetCreateIn):
    require_sheet_creator(request.auth)
    standard = standard_list(user=request.auth).filter(pk=payload.standard).first()
    if standard is None:
        raise ValidationError({"standard": [_("There is no such standard version.")]})
    sheet = sheet_create(
        actor=request.auth, standard=standard, kind=payload.kind, title=payload.title.strip()
    )
    return Status(201, _sheet_detail(request.auth, sheet.pk))


@sheets_router.get(
    "/{int:sheet_id}",
    response={200: SheetDetailOut, **ERRORS},
    summary=gettext_lazy("One score sheet with its result"),
)
def get_sheet(request: HttpRequest, sheet_id: int):
    return _sheet_detail(request.auth, sheet_id)


@sheets_router.put(
    "/{int:sheet_id}/items",
    response={200: SheetDetailOut, **WITH_CONFLICT},
    summary=gettext_lazy("Score items"),
    description=gettext_lazy(
        "Saves the given items, all or nothing; items not given keep what they had. "
        "Errors are keyed by item code. Only the author, while the sheet is being filled."
    ),
)
def save_items(request: HttpRequest, sheet_id: int, payload: SheetItemsIn):
    sheet = _editable_sheet(request.auth, sheet_id)
    sheet_entries_save(actor=request.auth, sheet=sheet, entries=_entries_in(payload.items))
    return _sheet_detail(request.auth, sheet_id)


@sheets_router.delete(
    "/{int:sheet_id}/items/{code}",
    response={200: SheetDetailOut, **WITH_CONFLICT},
    summary=gettext_lazy("Clear an item"),
    description=gettext_lazy("The item goes back to not scored (full marks)."),
)
def clear_item(request: HttpRequest, sheet_id: int, code: str):
    sheet = _editable_sheet(request.auth, sheet_id)
    if not sheet.standard.items.filter(code=code).exists():
        raise Http404
    sheet_entry_clear(actor=request.auth, sheet=sheet, code=code)
    return _sheet_detail(request.auth, sheet_id)


@sheets_router.post(
    "/{int:sheet_id}/submit",
    response={200: SheetDetailOut, **WITH_CONFLICT},
    summary=gettext_lazy("Submit a sheet"),
    description=gettext_lazy("After submitting, the sheet can no longer be changed."),
)
def submit_sheet(request: HttpRequest, sheet_id: int):
    sheet = _editable_sheet(request.auth, sheet_id)
    sheet_submit(actor=request.auth, sheet=sheet)
    return _sheet_detail(request.auth, sheet_id)


@sheets_router.get(
    "/{int:sheet_id}/export.json",
    response={200: SheetDocumentOut, **ERRORS},
    summary=gettext_lazy("Export a sheet as JSON"),
    description=gettext_lazy(
        "The scored items keyed by item code, with the standard version; import reads it back."
    ),
)
def export_json(request: HttpRequest, sheet_id: int, response: HttpResponse):
    sheet = get_sheet_for_user(request.auth, sheet_id)
    response["Content-Disposition"] = content_disposition(f"{ITEM_SHEET}-{sheet.pk}.json")
    response["Cache-Control"] = "private, no-store"
    return sheet_to_json(sheet)


@sheets_router.get(
    "/{int:sheet_id}/export.xlsx",
    response=ERRORS,
    summary=gettext_lazy("Export a sheet as Excel"),
    description=gettext_lazy(
        "Every item of the standard on the first sheet, one deduction per row on the second, "
        "the standard version on the third; import reads it back."
    ),
    openapi_extra=XLSX_RESPONSE,
)
def export_xlsx(request: HttpRequest, sheet_id: int):
    sheet = get_sheet_for_user(request.auth, sheet_id)
    return xlsx_response(sheet_to_xlsx(sheet), f"{ITEM_SHEET}-{sheet.pk}.xlsx")


@sheets_router.post(
    "/{int:sheet_id}/import",
    response={200: SheetDetailOut, **WITH_CONFLICT},
    summary=gettext_lazy("Import a sheet"),
    description=gettext_lazy(
        "Send a document as exported (JSON body), or upload an exported and filled-in workbook "
        "(multipart, field file). The sheet then records exactly what the file says, all or "
        "nothing; a file of another standard version is refused."
    ),
    openapi_extra=IMPORT_BODY,
)
def import_sheet(request: HttpRequest, sheet_id: int):
    sheet = _editable_sheet(request.auth, sheet_id)
    entries = _entries_from_request(request, sheet.standard)
    sheet_entries_replace(actor=request.auth, sheet=sheet, entries=entries)
    return _sheet_detail(request.auth, sheet_id)


# --- Operations: evidence files -------------------------------------------------------


@sheets_router.post(
    "/{int:sheet_id}/items/{code}/evidence",
    response={201: EvidenceOut, **WITH_CONFLICT},
    summary=gettext_lazy("Attach an evidence file to an item"),
    description=gettext_lazy(
        "Multipart: the file (a JPEG or PNG photo, or a PDF; checked by its content, at most "
        "20 MB) in the field file, and optionally deduction_index, the position (from 0) of the "
        "item's deduction it backs. The item must have been scored. Only the author, while the "
        "sheet is being filled; a refused file gives 422 and nothing is stored."
    ),
)
def add_evidence(
    request: HttpRequest,
    sheet_id: int,
    code: str,
    file: File[UploadedFile],
    deduction_index: Form[int | None] = None,
):
    sheet = _editable_sheet(request.auth, sheet_id)
    if not sheet.standard.items.filter(code=code).exists():
        raise Http404
    evidence = sheet_evidence_add(
        actor=request.auth, sheet=sheet, code=code, file=file, deduction_index=deduction_index
    )
    row = EvidenceRow(evidence, deduction_index if evidence.deduction_id else None)
    return Status(201, _evidence_out(row, code))


@sheets_router.get(
    "/{int:sheet_id}/items/{code}/evidence",
    response={200: list[EvidenceOut], **ERRORS},
    summary=gettext_lazy("List an item's evidence files"),
    description=gettext_lazy("In upload order; empty for an item without any."),
)
def list_evidence(request: HttpRequest, sheet_id: int, code: str):
    sheet = get_sheet_for_user(request.auth, sheet_id)
    return [_evidence_out(row, code) for row in item_evidence(sheet, code)]


@sheets_router.get(
    "/{int:sheet_id}/evidence/{int:evidence_id}/file",
    response=ERRORS,
    summary=gettext_lazy("Download an evidence file"),
    description=gettext_lazy("The file as uploaded, as an attachment with its original name."),
    openapi_extra=EVIDENCE_FILE_RESPONSE,
)
def download_evidence(request: HttpRequest, sheet_id: int, evidence_id: int):
    _sheet, evidence = get_evidence_for_user(request.auth, sheet_id, evidence_id)
    return stored_file_response(evidence.file, evidence.original_name)


@sheets_router.delete(
    "/{int:sheet_id}/evidence/{int:evidence_id}",
    response={204: None, **WITH_CONFLICT},
    summary=gettext_lazy("Remove an evidence file"),
    description=gettext_lazy(
        "The record and the stored file are deleted. Only the author, while the sheet is being filled."
    ),
)
def remove_evidence(request: HttpRequest, sheet_id: int, evidence_id: int):
    sheet, evidence = get_evidence_for_user(request.auth, sheet_id, evidence_id, "edit")
    sheet_evidence_remove(actor=request.auth, sheet=_require_draft(sheet), evidence=evidence)
    return Status(204, None)
