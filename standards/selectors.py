"""Reads of standards, including the engine's plain-value view of a version."""

from django.db.models import QuerySet

from standards.domain import ElementSpec, ItemSpec, StandardSpec, SubElementSpec, default_specialty
from standards.formats import ParsedItem, ParsedStandard
from standards.models import Item, ScoringStandard
from standards.permissions import visible_to


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
