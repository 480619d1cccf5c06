"""Reads of standards, including the engine's plain-value view of a version."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.http import Http404

from lib.industries import Industry
from lib.memo import request_memo
from standards.domain import (
    Deduction,
    ElementSpec,
    GroupResult,
    ItemEntry,
    ItemResult,
    ItemSpec,
    ScoreResult,
    SheetInput,
    StandardSpec,
    SubElementSpec,
    default_specialty,
    score_sheet,
)
from standards.formats import ParsedItem, ParsedStandard
from standards.models import (
    Element,
    Item,
    ScoreSheet,
    ScoringStandard,
    SheetDeduction,
    SheetEvidence,
    SheetItem,
    SubElement,
)
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

_SPEC_CACHE: dict[tuple, StandardSpec] = {}


def standard_spec_cached(standard: ScoringStandard) -> StandardSpec:
    """Return the engine view of a published (hence immutable) version, built once per process."""
    if standard.status == ScoringStandard.Status.DRAFT:
        return standard_spec(standard)
    # Keyed by publication time as well: a rolled-back test may leave a reused primary key.
    cache_key = (standard.pk, standard.key, standard.published_at)
    spec = _SPEC_CACHE.get(cache_key)
    if spec is None:
        spec = _SPEC_CACHE[cache_key] = standard_spec(standard)
    return spec


def sheet_entries(sheet: ScoreSheet) -> QuerySet[SheetItem]:
    return (
        sheet.entries.select_related("item")
        .prefetch_related(
            Prefetch("deductions", queryset=SheetDeduction.objects.order_by("sort_order", "pk"))
        )
        .order_by("item__sort_order")
    )


def sheet_entries_with_evidence(sheet: ScoreSheet) -> QuerySet[SheetItem]:
    """Return the sheet's entries with their deductions and evidence (three queries in all)."""
    return sheet_entries(sheet).prefetch_related(
        Prefetch("evidence", queryset=SheetEvidence.objects.order_by("uploaded_at", "pk"))
    )


@dataclass(frozen=True)
class EvidenceRow:
    """An evidence file with the position (from 0) of the deduction it backs, if any."""

    evidence: SheetEvidence
    deduction_index: int | None

    @property
    def deduction_no(self) -> int | None:
        """The deduction's number as the page shows it (from 1)."""
        return None if self.deduction_index is None else self.deduction_index + 1


def entry_evidence(entry: SheetItem | None) -> list[EvidenceRow]:
    """Return an entry's evidence, from its prefetched evidence and deductions (no query)."""
    if entry is None:
        return []
    positions = {d.pk: n for n, d in enumerate(entry.deductions.all())}
    return [EvidenceRow(e, positions.get(e.deduction_id)) for e in entry.evidence.all()]


def item_evidence(sheet: ScoreSheet, code: str) -> list[EvidenceRow]:
    """Return the evidence of item ``code`` of the sheet; raise Http404 if the standard lacks it."""
    if not sheet.standard.items.filter(code=code).exists():
        raise Http404
    return entry_evidence(sheet_entries_with_evidence(sheet).filter(item__code=code).first())


@request_memo
def sheet_input(sheet: ScoreSheet, *, entries=None, applied_level: int = 3) -> SheetInput:
    """Return the sheet as the engine's plain input.

    Without ``entries`` the rows are read as plain values (two queries, no model
    instances): the case page scores up to seven sheets of 164 items.
    """
    if entries is None:
        return sheet_inputs([sheet], applied_level=applied_level)[sheet.pk]
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
            for row in entries
        ),
        applied_level=applied_level,
    )


def sheet_inputs(sheets: Iterable[ScoreSheet], *, applied_level: int = 3) -> dict[int, SheetInput]:
    """Return the engine input of each sheet by sheet id, in two queries for all of them."""
    sheets = list(sheets)
    ids = [sheet.pk for sheet in sheets]
    deductions: dict[int, list[Deduction]] = {}
    for entry_id, points, reason, is_hazard in (
        SheetDeduction.objects.filter(entry__sheet_id__in=ids)
        .order_by("sort_order", "pk")
        .values_list("entry_id", "points", "reason", "is_hazard")
    ):
        deductions.setdefault(entry_id, []).append(Deduction(points, reason, is_hazard))
    entries: dict[int, list[ItemEntry]] = {pk: [] for pk in ids}
    rows = (
        SheetItem.objects.filter(sheet_id__in=ids)
        .order_by("item__sort_order")
        .values_list(
            "sheet_id", "pk", "item__code", "applicable", "extra_deduction", "extra_reason", "na_reason",
            "description",
        )
    )  # fmt: skip
    for sheet_id, pk, code, applicable, extra, extra_reason, na_reason, description in rows:
        entries[sheet_id].append(
            ItemEntry(
                code=code,
                applicable=applicable,
                deductions=tuple(deductions.get(pk, ())),
                extra_deduction=extra,
                extra_reason=extra_reason,
                na_reason=na_reason,
                note=description,
            )
        )
    return {
        sheet.pk: SheetInput(
            standard_key=sheet.standard.key, entries=tuple(entries[sheet.pk]), applied_level=applied_level
        )
        for sheet in sheets
    }


@request_memo
def sheet_result(sheet: ScoreSheet, *, entries=None) -> ScoreResult:
    """Score the sheet with the engine (a stored sheet always passed validation on save)."""
    return score_sheet(standard_spec_cached(sheet.standard), sheet_input(sheet, entries=entries))


def sheet_list(*, user) -> QuerySet[ScoreSheet]:
    return sheets_visible_to(user).select_related("standard", "created_by").order_by("-updated_at")


# --- Pages ------------------------------------------------------------------------
# The standard and sheet pages show the version as a tree: element → sub-element → items.


def standard_list_with_totals(*, user) -> QuerySet[ScoringStandard]:
    """Return the visible versions with their item count and total points (one query, no N+1)."""
    return standard_list(user=user).annotate(item_count=Count("items"), points_total=Sum("items__points"))


def sheet_list_with_progress(*, user) -> QuerySet[ScoreSheet]:
    """Return the visible sheets with the number of items scored so far (one query)."""
    return sheet_list(user=user).annotate(scored_count=Count("entries"))


def standard_industry_choices() -> list[tuple[str, str]]:
    """Return the industries a standard may apply to (the eight 工贸 industries)."""
    return [(str(code), str(label)) for code, label in Industry.choices]


@dataclass
class SubElementNode:
    subelement: SubElement
    items: list = field(default_factory=list)

    @property
    def points(self) -> Decimal:
        return sum((i.points for i in self.items), Decimal(0))


@dataclass
class ElementNode:
    element: Element
    subelements: list[SubElementNode] = field(default_factory=list)


def standard_tree(standard: ScoringStandard) -> list[ElementNode]:
    """Return the version as element → sub-element → items (two queries)."""
    nodes = {e.no: ElementNode(e) for e in standard.elements.order_by("no")}
    subs: dict[int, SubElementNode] = {}
    for item in standard_items(standard):
        sub = subs.get(item.subelement_id)
        if sub is None:
            sub = subs[item.subelement_id] = SubElementNode(item.subelement)
            nodes[item.subelement.element.no].subelements.append(sub)
        sub.items.append(item)
    return list(nodes.values())


def dom_id(code: str) -> str:
    """Return an HTML id fragment for an item or group number ("2.1.1" → "2-1-1")."""
    return code.replace(".", "-")


@dataclass
class ItemRow:
    """One item of a sheet as the scoring page shows it."""

    item: Item
    entry: SheetItem | None
    result: ItemResult

    @property
    def dom_id(self) -> str:
        return "item-" + dom_id(self.item.code)

    @property
    def state(self) -> str:
        """One of unscored, full, deducted, na (the page's filters)."""
        if self.entry is None:
            return "unscored"
        if not self.entry.applicable:
            return "na"
        if self.result.deducted > 0 or self.result.extra_deduction > 0:
            return "deducted"
        return "full"

    @property
    def deductions(self) -> list[SheetDeduction]:
        return list(self.entry.deductions.all()) if self.entry else []

    @property
    def evidence(self) -> list[EvidenceRow]:
        return entry_evidence(self.entry)


@dataclass
class SheetSubElement:
    subelement: SubElement
    group: GroupResult
    items: list[ItemRow] = field(default_factory=list)

    @property
    def dom_id(self) -> str:
        return "sub-total-" + dom_id(self.subelement.no)


@dataclass
class SheetElement:
    element: Element
    group: GroupResult
    subelements: list[SheetSubElement] = field(default_factory=list)

    @property
    def dom_id(self) -> str:
        return "element-total-" + str(self.element.no)


@dataclass
class SheetPage:
    """A sheet with its standard's tree, each item's entry and result, and the engine's totals."""

    sheet: ScoreSheet
    result: ScoreResult
    elements: list[SheetElement]
    counts: dict[str, int]

    def locate(self, code: str) -> tuple[SheetElement, SheetSubElement, ItemRow]:
        """Return the element, sub-element and row of item ``code``; raise Http404 if absent."""
        for element in self.elements:
            for sub in element.subelements:
                for row in sub.items:
                    if row.item.code == code:
                        return element, sub, row
        raise Http404


def sheet_page(sheet: ScoreSheet) -> SheetPage:
    """Return everything the scoring page shows, in a fixed number of queries whatever the size."""
    entries = list(sheet_entries_with_evidence(sheet))
    result = sheet_result(sheet, entries=entries)
    by_code = {e.item.code: e for e in entries}
    item_results = {r.code: r for r in result.items}
    element_groups = {g.no: g for g in result.elements}
    sub_groups = {g.no: g for g in result.subelements}
    elements: list[SheetElement] = []
    for node in standard_tree(sheet.standard):
        element = SheetElement(node.element, element_groups[str(node.element.no)])
        for sub_node in node.subelements:
            sub = SheetSubElement(sub_node.subelement, sub_groups[sub_node.subelement.no])
            sub.items = [ItemRow(i, by_code.get(i.code), item_results[i.code]) for i in sub_node.items]
            element.subelements.append(sub)
        elements.append(element)
    rows = [row for e in elements for s in e.subelements for row in s.items]
    counts = {"all": len(rows), "veto": sum(1 for r in rows if r.item.is_veto)}
    for state in ("unscored", "full", "deducted", "na"):
        counts[state] = sum(1 for r in rows if r.state == state)
    counts["scored"] = counts["all"] - counts["unscored"]
    return SheetPage(sheet=sheet, result=result, elements=elements, counts=counts)
