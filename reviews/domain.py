"""Pure rules of the on-site scoring (domain.md §5.4, §7): who scores which item, and which
items of the panel sheet need the leader's reason. No ORM here; the services feed plain data.

The panel draw has its own pure module, ``reviews.draw``.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from standards.domain import ItemEntry

ZERO = Decimal("0")


@dataclass(frozen=True)
class Scorer:
    """A seated panel member as the assignment sees him."""

    key: int  # the PanelMember's id
    specialties: frozenset[str]
    order: int = 0


def assign_items(items: Sequence[tuple[str, str]], scorers: Sequence[Scorer]) -> dict[str, int]:
    """Hand each item (code, specialty tag) to one scorer: item code → scorer key.

    An item goes to a scorer of its specialty when the panel has one, else to any scorer;
    among those, to whoever holds the fewest items so far (then the panel order), so the
    work is spread evenly. Deterministic: the same inputs give the same assignment.
    """
    if not scorers:
        return {}
    load = {s.key: 0 for s in scorers}
    ordered = sorted(scorers, key=lambda s: (s.order, s.key))
    result: dict[str, int] = {}
    for code, specialty in items:
        candidates = [s for s in ordered if specialty and specialty in s.specialties] or ordered
        chosen = min(candidates, key=lambda s: (load[s.key], s.order, s.key))
        result[code] = chosen.key
        load[chosen.key] += 1
    return result


def entry_value(entry: ItemEntry | None) -> tuple[bool, Decimal]:
    """What an entry amounts to: (applicable, total deduction). No entry is full marks."""
    if entry is None:
        return True, ZERO
    total = sum((Decimal(str(d.points)) for d in entry.deductions), ZERO) + Decimal(
        str(entry.extra_deduction or 0)
    )
    return entry.applicable, (total if entry.applicable else ZERO)


@dataclass(frozen=True)
class ReasonNeeded:
    """An item whose panel value needs the leader's reason, and why."""

    code: str
    divergent: bool  # the members' sheets differ beyond the margin, or on applicability
    differs_from: tuple[int, ...]  # scorers whose value the panel's differs from


def reasons_needed(
    item_codes: Sequence[str],
    member_entries: Mapping[int, Mapping[str, ItemEntry]],
    panel_entries: Mapping[str, ItemEntry],
    assignment: Mapping[str, int],
    *,
    margin: Decimal = ZERO,
) -> list[ReasonNeeded]:
    """The items of the panel sheet that need a reason (domain.md §5.4), in ``item_codes`` order.

    An item needs one when the members who scored it (and the member it was assigned to, whose
    silence is full marks) differ by more than ``margin`` points or on applicability, or when
    the panel's value differs from the value of the member it was assigned to (of every member
    who scored it, for an item assigned to nobody). Within the margin, the panel may follow
    the assigned member without a reason.
    """
    needed: list[ReasonNeeded] = []
    for code in item_codes:
        voices = {key: rows[code] for key, rows in member_entries.items() if code in rows}
        assigned = assignment.get(code)
        if assigned is not None and assigned not in voices:
            voices[assigned] = None
        if not voices:
            continue
        values = {key: entry_value(entry) for key, entry in voices.items()}
        applicabilities = {v[0] for v in values.values()}
        numbers = [v[1] for v in values.values() if v[0]]
        divergent = len(applicabilities) > 1 or bool(numbers and max(numbers) - min(numbers) > margin)
        panel = entry_value(panel_entries.get(code))
        compared = {assigned: values[assigned]} if assigned is not None else values
        differs = tuple(sorted(key for key, value in compared.items() if value != panel))
        if divergent or differs:
            needed.append(ReasonNeeded(code, divergent, differs))
    return needed
