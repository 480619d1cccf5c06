"""Worked example B of domain.md §5.3 as API items, service entries and a saved sheet."""

from standards.domain import ItemEntry
from standards.models import ScoreSheet
from standards.services import DeductionIn, EntryIn, sheet_create, sheet_entries_save
from standards.tests.factories import published_warehousing
from standards.tests.helpers import warehousing
from standards.tests.test_engine_golden import example_b_entries

MAJOR_HAZARD = "6.1.5"


def _hazard(entry: ItemEntry) -> bool:
    return entry.code == MAJOR_HAZARD


def example_b_items() -> list[dict]:
    """Return example B as the JSON items of the API (numbers as strings)."""
    return [
        {
            "code": e.code,
            "applicable": e.applicable,
            "deductions": [
                {"points": str(d.points), "reason": d.reason, "is_hazard": _hazard(e)} for d in e.deductions
            ],
            "extra_deduction": str(e.extra_deduction),
            "extra_reason": e.extra_reason,
            "na_reason": e.na_reason,
        }
        for e in example_b_entries(warehousing())
    ]


def example_b_entries_in() -> list[EntryIn]:
    """Return example B as entries for sheet_entries_save."""
    return [
        EntryIn(
            code=e.code,
            applicable=e.applicable,
            deductions=tuple(DeductionIn(str(d.points), d.reason, _hazard(e)) for d in e.deductions),
            extra_deduction=str(e.extra_deduction),
            extra_reason=e.extra_reason,
            na_reason=e.na_reason,
        )
        for e in example_b_entries(warehousing())
    ]


def new_sheet(personas, *, author: str = "enterprise_user", title: str = "") -> ScoreSheet:
    standard = published_warehousing(personas.city_officer)
    return sheet_create(actor=personas[author], standard=standard, kind=ScoreSheet.Kind.PREVIEW, title=title)


def example_b_sheet(personas, *, author: str = "enterprise_user") -> ScoreSheet:
    """Return a draft trial sheet of ``author`` holding example B (83.1)."""
    sheet = new_sheet(personas, author=author, title="示例B")
    sheet_entries_save(actor=personas[author], sheet=sheet, entries=example_b_entries_in())
    return sheet
