"""Load the bundled 仓储物流 standard as a StandardSpec for engine tests."""

from decimal import Decimal
from functools import cache

from standards.domain import Deduction, ElementSpec, ItemEntry, ItemSpec, StandardSpec, SubElementSpec
from standards.formats import BUNDLED_STANDARDS, ParsedStandard, parse_standard, read_csv_text

DATA = BUNDLED_STANDARDS / "warehousing-logistics"
KEY = "CCWL@1"


@cache
def warehousing_parsed() -> ParsedStandard:
    return parse_standard(
        read_csv_text((DATA / "elements.csv").read_text(encoding="utf-8")),
        read_csv_text((DATA / "items.csv").read_text(encoding="utf-8")),
    )


def warehousing() -> StandardSpec:
    return warehousing_parsed().to_spec(KEY)


def synthetic(
    items: list[tuple[str, int | str]], key: str = "SYN@1", veto: set[str] = frozenset()
) -> StandardSpec:
    """Build a standard from (code, points) pairs; elements and sub-elements follow the codes."""
    elements, subs, specs = {}, {}, []
    for code, points in items:
        element_no = int(code.split(".")[0])
        sub_no = ".".join(code.split(".")[:2])
        elements.setdefault(element_no, ElementSpec(element_no, f"要素{element_no}"))
        subs.setdefault(sub_no, SubElementSpec(sub_no, f"子要素{sub_no}", element_no))
        specs.append(ItemSpec(code, element_no, sub_no, Decimal(str(points)), is_veto=code in veto))
    return StandardSpec(key, tuple(elements.values()), tuple(subs.values()), tuple(specs))


def deduct(code: str, *points, reason: str = "不符合", extra=0, extra_reason: str = "") -> ItemEntry:
    return ItemEntry(
        code=code,
        deductions=tuple(Deduction(Decimal(str(p)), reason) for p in points),
        extra_deduction=Decimal(str(extra)),
        extra_reason=extra_reason,
    )


def na(code: str) -> ItemEntry:
    return ItemEntry(code=code, applicable=False, na_reason="不涉及")


def spread(standard: StandardSpec, element_no: int, amount: int, skip: set[str]) -> list[ItemEntry]:
    """Deduct ``amount`` points from an element's items (not those in skip), one item at a time."""
    entries = []
    for item in standard.items:
        if amount <= 0:
            break
        if item.element_no != element_no or item.code in skip:
            continue
        take = min(int(item.points), amount)
        entries.append(deduct(item.code, take))
        amount -= take
    assert amount == 0
    return entries
