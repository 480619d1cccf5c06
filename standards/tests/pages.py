"""Helpers for the tests of the standards pages: the persona battery and ready-made sheets."""

from django.conf import settings
from django.shortcuts import resolve_url

from standards.models import ScoreSheet, ScoringStandard
from standards.services import DeductionIn, EntryIn, sheet_create, sheet_entries_save, standard_import
from standards.tests.factories import published_warehousing
from standards.tests.helpers import warehousing_parsed

# The personas every standards page is tried with.
PERSONAS = (
    "admin",
    "city_officer",
    "city_chief",
    "bureau_leader",
    "county_officer",
    "other_county_officer",
    "enterprise_user",
    "expert",
    "anonymous",
)
MANAGERS = frozenset({"admin", "city_officer", "city_chief"})
CITY = MANAGERS | {"bureau_leader"}  # who reads every sheet


def battery(ok: int, *, allowed, outsider: int = 403) -> list[tuple[str, int]]:
    """Return (persona, status): ``ok`` for the allowed, 302 for anonymous, ``outsider`` for the rest."""
    return [(p, 302 if p == "anonymous" else ok if p in allowed else outsider) for p in PERSONAS]


def sheet_battery(ok: int, *, editors_only: bool) -> list[tuple[str, int]]:
    """Return (persona, status) for a sheet created by enterprise_user.

    The author reaches it; the city reads it (403 where only the author may act); anyone
    else must not learn it exists (404).
    """
    statuses = []
    for p in PERSONAS:
        if p == "anonymous":
            statuses.append((p, 302))
        elif p == "enterprise_user":
            statuses.append((p, ok))
        elif p in CITY:
            statuses.append((p, 403 if editors_only else ok))
        else:
            statuses.append((p, 404))
    return statuses


def assert_to_login(response) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def draft_standard(actor, code: str = "DRAFT") -> ScoringStandard:
    return standard_import(actor=actor, parsed=warehousing_parsed(), code=code, name="草稿标准")


def preview_sheet(personas, author: str = "enterprise_user") -> ScoreSheet:
    standard = published_warehousing(personas.city_officer)
    return sheet_create(actor=personas[author], standard=standard, kind=ScoreSheet.Kind.PREVIEW, title="试评")


def score_items(actor, sheet: ScoreSheet, count: int) -> list[str]:
    """Deduct 1 point (with a hazard on every other one) from the first ``count`` items."""
    codes = list(sheet.standard.items.order_by("sort_order").values_list("code", flat=True)[:count])
    entries = [
        EntryIn(
            code, deductions=(DeductionIn("1", "不符合要求", is_hazard=n % 2 == 0),), description="现场检查"
        )
        for n, code in enumerate(codes)
    ]
    sheet_entries_save(actor=actor, sheet=sheet, entries=entries)
    return codes
