"""Reads of standards, including the engine's plain-value view of a version."""

from django.db.models import Prefetch, QuerySet

from standards.domain import (
    Deduction,
    ElementSpec,
    ItemEntry,
    ItemSpec,
    ScoreResult,
    SheetInput,
    StandardSpec,
    SubElementSpec,
    default_specialty,
    score_sheet,
)
from standards.formats import ParsedItem, ParsedStandard
from standards.models import Item, ScoreSheet, ScoringStandard, SheetDeduction, SheetItem
from standards.permissions import sheets_visible_to, visible_to


def standard_list(*, user) -> QuerySet[ScoringStandard]:
    return visible_to(user).order_by("code", "-version")


def standard_items(standard: ScoringStandard) -> QuerySet[Item]:
    return standard.items.select_related("subelement", "subelement__element").order_by("sort_order")


def standard_spec(standard: ScoringStandard) -> StandardSpec:
    """Return the standard version as plain values for the engine (three queries)."""
    elements = list(standard.elements.order_by("no"))
    items = list(standard_items(standard))
    subelements: dict[str, SubElementSpec] = {}
    for item in items:
        sub = item.subelement
        subelements.setdefault(sub.no, SubElementSpec(sub.no, sub.name, sub.element.no))
    return StandardSpec(
        key=standard.key,
        elements=tuple(ElementSpec(e.no, e.name) for e in elements),
        subelements=tuple(subelements.values()),
        items=tuple(
            ItemSpec(i.code, i.subelement.element.no, i.subelement.no, i.points, i.is_veto, i.requirement)
            for i in items
        ),
        thresholds=standard.thresholds,
    )


def standard_parsed(standard: ScoringStandard) -> ParsedStandard:
    """Return the version in the exchange format's terms, for export."""
    items = list(standard_items(standard))
    elements = [(e.no, e.name, e.points) for e in standard.elements.order_by("no")]
    return ParsedStandard(
        elements=elements,
        items=[
            ParsedItem(
                element_no=i.subelement.element.no,
                subelement_no=i.subelement.no,
                subelement=i.subelement.name,
                item_no=i.item_no,
                requirement=i.requirement,
                points=i.points,
                method=i.method_text,
                extra=_extra_columns(i, len(elements)),
            )
            for i in items
        ],
    )


def _extra_columns(item: Item, element_count: int) -> dict:
    """Optional columns, written only when they carry information (so the bundled files round-trip)."""
    extra = {}
    if item.specialty != default_specialty(item.subelement.element.no, item.subelement.no, element_count):
        extra["specialty"] = item.specialty
    if item.is_veto:
        extra["is_veto"] = "1"
    if item.guidance:
        extra["guidance"] = item.guidance
    return extra


# --- Score sheets ---------------------------------------------------------------

_SPEC_CACHE: dict[int, StandardSpec] = {}


def standard_spec_cached(standard: ScoringStandard) -> StandardSpec:
    """Return the engine view of a published (hence immutable) version, built once per process."""
    if standard.status == ScoringStandard.Status.DRAFT:
        return standard_spec(standard)
    spec = _SPEC_CACHE.get(standard.pk)
    if spec is None:
        spec = _SPEC_CACHE[standard.pk] = standard_spec(standard)
    return spec


def sheet_entries(sheet: ScoreSheet) -> QuerySet[SheetItem]:
    return (
        sheet.entries.select_related("item")
        .prefetch_related(
            Prefetch("deductions", queryset=SheetDeduction.objects.order_by("sort_order", "pk"))
        )
        .order_by("item__sort_order")
    )


def sheet_input(sheet: ScoreSheet, *, entries=None, applied_level: int = 3) -> SheetInput:
    """Return the sheet as the engine's plain input."""
    rows = entries if entries is not None else sheet_entries(sheet)
    return SheetInput(
        standard_key=sheet.standard.key,
        entries=tuple(
            ItemEntry(
                code=row.item.code,
                applicable=row.applicable,
                deductions=tuple(Deduction(d.points, d.reason, d.is_hazard) for d in row.deductions.all()),
                extra_deduction=row.extra_deduction,
                extra_reason=row.extra_reason,
                na_reason=row.na_reason,
                note=row.description,
            )
            for row in rows
        ),
        applied_level=applied_level,
    )


def sheet_result(sheet: ScoreSheet, *, entries=None) -> ScoreResult:
    """Score the sheet with the engine (a stored sheet always passed validation on save)."""
    return score_sheet(standard_spec_cached(sheet.standard), sheet_input(sheet, entries=entries))


def sheet_list(*, user) -> QuerySet[ScoreSheet]:
    return sheets_visible_to(user).select_related("standard", "created_by").order_by("-updated_at")
