"""The scoring engine: a pure function from a standard and a score sheet to an explained result.

No ORM, no clock, no floats. Rules (domain.md §5.2):

* item score = max(0, points − Σ deductions); the raw deduction is kept;
* a not-applicable (N/A) item leaves both the earned score and the denominator;
* element score = max(0, Σ applicable item scores − Σ extra deductions in the element);
* percentage = Σ element scores ÷ (total points − N/A points) × 100, Decimal, ROUND_HALF_UP
  to one decimal; the rounded value is what is published and compared;
* a failed veto item (any deduction on an ``is_veto`` item) fails the grade whatever the score;
* score level = the best level whose threshold ≤ the percentage; with a performance level the
  final level is the worse (numerically larger) of the two; pass if final ≤ the applied level.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

ZERO = Decimal("0")
HUNDRED = Decimal("100")
ONE_DECIMAL = Decimal("0.1")
ENGINE_VERSION = "1"


class ScoringInputError(ValueError):
    """Input the engine refuses; ``message`` is for the user, ``code`` names the item if any."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# --- The standard ---------------------------------------------------------


@dataclass(frozen=True)
class ItemSpec:
    """One scoring item of a standard version."""

    code: str  # "<subelement_no>.<item_no>", e.g. "6.2.29"
    element_no: int
    subelement_no: str
    points: Decimal
    is_veto: bool = False
    requirement: str = ""


@dataclass(frozen=True)
class ElementSpec:
    no: int
    name: str


@dataclass(frozen=True)
class SubElementSpec:
    no: str
    name: str
    element_no: int


@dataclass(frozen=True)
class StandardSpec:
    """A standard version as plain values. ``thresholds`` maps grade level (1 best) to the minimum %."""

    key: str  # identifies the version, e.g. "CCWL-2011@1"; sheets of another key are refused
    elements: tuple[ElementSpec, ...]
    subelements: tuple[SubElementSpec, ...]
    items: tuple[ItemSpec, ...]
    thresholds: Mapping[int, Decimal] = field(
        default_factory=lambda: {1: Decimal("90"), 2: Decimal("75"), 3: Decimal("60")}
    )

    @property
    def total_points(self) -> Decimal:
        return sum((i.points for i in self.items), ZERO)


# --- The sheet ------------------------------------------------------------


@dataclass(frozen=True)
class Deduction:
    points: Decimal
    reason: str = ""
    is_hazard: bool = False


@dataclass(frozen=True)
class ItemEntry:
    """What a scorer recorded for one item. Items absent from a sheet count as full marks."""

    code: str
    applicable: bool = True
    deductions: tuple[Deduction, ...] = ()
    extra_deduction: Decimal = ZERO
    extra_reason: str = ""
    na_reason: str = ""
    note: str = ""


@dataclass(frozen=True)
class SheetInput:
    standard_key: str
    entries: tuple[ItemEntry, ...]
    applied_level: int = 3
    # Safety performance (§5.2 rule 7) is assessed by the application from the accident
    # ledger. When assessed, None means no level was reached (e.g. a death), which fails.
    performance_assessed: bool = False
    performance_level: int | None = None


# --- The result -----------------------------------------------------------


@dataclass(frozen=True)
class ItemResult:
    code: str
    element_no: int
    subelement_no: str
    points: Decimal
    applicable: bool
    deducted: Decimal  # raw Σ deductions, may exceed points
    score: Decimal  # 0 for N/A items (they leave the denominator)
    extra_deduction: Decimal
    is_veto: bool
    veto_failed: bool


@dataclass(frozen=True)
class GroupResult:
    """Totals for an element or a sub-element (应得分, 实得分, 缺项分, 得分率)."""

    no: str
    name: str
    points: Decimal  # 标准分值
    na_points: Decimal  # 缺项分
    applicable_points: Decimal  # 应得分
    extra_deduction: Decimal
    earned: Decimal  # 实得分
    rate: Decimal | None  # 得分率 %, one decimal; None when nothing applies


@dataclass(frozen=True)
class ScoreResult:
    standard_key: str
    engine_version: str
    items: tuple[ItemResult, ...]
    subelements: tuple[GroupResult, ...]
    elements: tuple[GroupResult, ...]
    total_points: Decimal
    na_points: Decimal
    denominator: Decimal
    earned: Decimal
    percentage: Decimal | None
    failed_vetoes: tuple[str, ...]
    score_level: int | None
    final_level: int | None
    applied_level: int
    passed: bool
    explanation: tuple[str, ...]
    message: str = ""


# --- Input checks ---------------------------------------------------------


def parse_points(value: object, *, what, code: str = "") -> Decimal:
    """Return value as a non-negative Decimal with at most one decimal place, or raise ScoringInputError.

    ``what`` names the number in messages; it may be a callable, evaluated only on error.
    """
    if isinstance(value, Decimal) and value.is_finite() and value >= 0:
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and (exponent >= -1 or value == value.quantize(ONE_DECIMAL)):
            return value
    what = what() if callable(what) else what
    if isinstance(value, bool) or value is None:
        raise ScoringInputError(_("%(what)s must be a number.") % {"what": what}, code)
    if isinstance(value, float):
        value = repr(value)  # never build a Decimal from a binary float
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ScoringInputError(_("%(what)s must be a number.") % {"what": what}, code) from exc
    if not number.is_finite():
        raise ScoringInputError(_("%(what)s must be a number.") % {"what": what}, code)
    if number < 0:
        raise ScoringInputError(_("%(what)s cannot be negative.") % {"what": what}, code)
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -1:
        raise ScoringInputError(_("%(what)s may have at most one decimal place.") % {"what": what}, code)
    return number


def plain(value: Decimal) -> str:
    """Return a number as people write it: 1000 rather than 1000.0, but 2.5 stays 2.5."""
    return str(value.quantize(Decimal(1))) if value == value.to_integral_value() else str(value.normalize())


def round_score(value: Decimal) -> Decimal:
    """Round half up to one decimal (never round() or float, which round half to even)."""
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _rate(earned: Decimal, applicable: Decimal) -> Decimal | None:
    return round_score(earned * HUNDRED / applicable) if applicable > 0 else None


# --- The engine -----------------------------------------------------------


def score_sheet(standard: StandardSpec, sheet: SheetInput) -> ScoreResult:
    """Score a sheet against its standard version and explain the result.

    Raises ScoringInputError for a sheet of another version, an unknown or repeated item
    code, a deduction on an N/A item, or a negative, non-numeric or over-precise number.
    """
    if sheet.standard_key != standard.key:
        raise ScoringInputError(
            _("This score sheet belongs to another version of the standard (%(sheet)s, not %(std)s).")
            % {"sheet": sheet.standard_key, "std": standard.key}
        )
    specs = {item.code: item for item in standard.items}
    entries: dict[str, ItemEntry] = {}
    for entry in sheet.entries:
        if entry.code not in specs:
            raise ScoringInputError(
                _("Item %(code)s is not in this standard.") % {"code": entry.code}, entry.code
            )
        if entry.code in entries:
            raise ScoringInputError(_("Item %(code)s appears twice.") % {"code": entry.code}, entry.code)
        entries[entry.code] = entry

    item_results: list[ItemResult] = []
    for spec in standard.items:
        entry = entries.get(spec.code, ItemEntry(code=spec.code))
        deducted = sum(
            (
                parse_points(
                    d.points,
                    what=lambda c=spec.code: _("The deduction of item %(code)s") % {"code": c},
                    code=spec.code,
                )
                for d in entry.deductions
            ),
            ZERO,
        )
        extra = parse_points(
            entry.extra_deduction,
            what=lambda c=spec.code: _("The extra deduction of item %(code)s") % {"code": c},
            code=spec.code,
        )
        if not entry.applicable and (deducted > 0 or extra > 0):
            raise ScoringInputError(
                _("Item %(code)s is marked not applicable and cannot have deductions.") % {"code": spec.code},
                spec.code,
            )
        score = max(ZERO, spec.points - deducted) if entry.applicable else ZERO
        item_results.append(
            ItemResult(
                code=spec.code,
                element_no=spec.element_no,
                subelement_no=spec.subelement_no,
                points=spec.points,
                applicable=entry.applicable,
                deducted=deducted,
                score=score,
                extra_deduction=extra,
                is_veto=spec.is_veto,
                veto_failed=spec.is_veto and entry.applicable and deducted > 0,
            )
        )

    subelements = _groups(
        ((s.no, s.name) for s in standard.subelements),
        item_results,
        key=lambda r: r.subelement_no,
        floor=False,
    )
    elements = _groups(
        ((str(e.no), e.name) for e in standard.elements),
        item_results,
        key=lambda r: str(r.element_no),
        floor=True,
    )
    total = standard.total_points
    na_points = sum((r.points for r in item_results if not r.applicable), ZERO)
    earned = sum((e.earned for e in elements), ZERO)
    denominator = total - na_points
    failed_vetoes = tuple(r.code for r in item_results if r.veto_failed)

    percentage = round_score(earned * HUNDRED / denominator) if denominator > 0 else None
    score_level = _level_for(percentage, standard.thresholds)
    # Final = the worse of the score and performance levels (1 is best, so the larger number).
    final_level = score_level
    if sheet.performance_assessed:
        final_level = (
            max(score_level, sheet.performance_level)
            if score_level is not None and sheet.performance_level is not None
            else None
        )
    passed = (
        percentage is not None
        and not failed_vetoes
        and final_level is not None
        and final_level <= sheet.applied_level
    )
    message = (
        ""
        if percentage is not None
        else _("Every item is marked not applicable: there is no score to compute.")
    )
    explanation = _explain(
        standard, entries, item_results, elements, percentage, failed_vetoes, denominator, earned
    )
    return ScoreResult(
        standard_key=standard.key,
        engine_version=ENGINE_VERSION,
        items=tuple(item_results),
        subelements=subelements,
        elements=elements,
        total_points=total,
        na_points=na_points,
        denominator=denominator,
        earned=earned,
        percentage=percentage,
        failed_vetoes=failed_vetoes,
        score_level=score_level,
        final_level=final_level,
        applied_level=sheet.applied_level,
        passed=passed,
        explanation=explanation,
        message=message,
    )


def _groups(
    defs: Iterable[tuple[str, str]], results: list[ItemResult], *, key, floor: bool
) -> tuple[GroupResult, ...]:
    by_group: dict[str, list[ItemResult]] = defaultdict(list)
    for r in results:
        by_group[key(r)].append(r)
    groups = []
    for no, name in defs:
        members = by_group.get(no, [])
        points = sum((r.points for r in members), ZERO)
        na = sum((r.points for r in members if not r.applicable), ZERO)
        extra = sum((r.extra_deduction for r in members), ZERO)
        item_sum = sum((r.score for r in members), ZERO)
        # Extra deductions are taken within the element (类目) and no element goes below 0.
        # Sub-element figures show item scores only: the extras belong to the element.
        earned = max(ZERO, item_sum - extra) if floor else item_sum
        applicable = points - na
        groups.append(
            GroupResult(
                no=no,
                name=name,
                points=points,
                na_points=na,
                applicable_points=applicable,
                extra_deduction=extra if floor else ZERO,
                earned=earned,
                rate=_rate(earned, applicable),
            )
        )
    return tuple(groups)


def _level_for(percentage: Decimal | None, thresholds: Mapping[int, Decimal]) -> int | None:
    if percentage is None:
        return None
    reached = [level for level, minimum in thresholds.items() if percentage >= minimum]
    return min(reached) if reached else None


LEVEL_NAMES = {1: "一级", 2: "二级", 3: "三级"}


def _explain(
    standard, entries, items, elements, percentage, failed_vetoes, denominator, earned
) -> tuple[str, ...]:
    """Return the "why this score" lines a panel leader reads to the enterprise."""
    lines: list[str] = []
    element_names = {str(e.no): e.name for e in standard.elements}
    by_element: dict[str, list[ItemResult]] = defaultdict(list)
    for r in items:
        by_element[str(r.element_no)].append(r)
    for element in elements:
        members = by_element.get(element.no, [])
        lost = [r for r in members if r.applicable and r.deducted > 0]
        extras = [r for r in members if r.extra_deduction > 0]
        if not lost and not extras:
            continue
        lines.append(
            _("Element %(no)s %(name)s: %(earned)s of %(applicable)s points.")
            % {
                "no": element.no,
                "name": element_names[element.no],
                "earned": plain(element.earned),
                "applicable": plain(element.applicable_points),
            }
        )
        for r in lost:
            reasons = "；".join(d.reason for d in entries[r.code].deductions if d.reason) or _(
                "no reason given"
            )
            taken = min(r.deducted, r.points)
            lines.append(
                _("  Item %(code)s: −%(taken)s of %(points)s (%(reasons)s).")
                % {"code": r.code, "taken": plain(taken), "points": plain(r.points), "reasons": reasons}
            )
        for r in extras:
            lines.append(
                _("  Extra deduction on item %(code)s: −%(points)s (%(reason)s).")
                % {
                    "code": r.code,
                    "points": plain(r.extra_deduction),
                    "reason": entries[r.code].extra_reason or _("no reason given"),
                }
            )
    na = [r for r in items if not r.applicable]
    if na:
        lines.append(
            _("Not applicable: %(codes)s, %(points)s points in all, left out of the denominator.")
            % {"codes": "、".join(r.code for r in na), "points": plain(sum((r.points for r in na), ZERO))}
        )
    if percentage is not None:
        lines.append(
            _("Score: %(earned)s ÷ %(denominator)s × 100 = %(percentage)s (rounded half up to one decimal).")
            % {"earned": plain(earned), "denominator": plain(denominator), "percentage": percentage}
        )
    for code in failed_vetoes:
        lines.append(
            _("Veto item %(code)s failed: the grade is not passed whatever the score.") % {"code": code}
        )
    return tuple(lines)


# --- Specialty defaults -----------------------------------------------------


def default_specialty(element_no: int, subelement_no: str, element_count: int) -> str:
    """Return the default specialty of an item in the 13-element layout (domain.md §7), else "".

    安全管理 gets elements 1–5, 8 and 11–13; 设备设施 gets 6 and 7.3; 工艺技术 gets the rest
    of 7, plus 9 and 10. Other layouts are tagged by hand (or in the import's column).
    """
    if element_count != 13:
        return ""
    if element_no == 6 or subelement_no == "7.3":
        return "equipment_facilities"
    if element_no in (7, 9, 10):
        return "process_technology"
    return "safety_management"


# --- Consolidation of expert sheets (domain.md §5.4) ---------------------------------


@dataclass(frozen=True)
class Divergence:
    """An item on which the experts' sheets disagree beyond the margin (or on applicability)."""

    code: str
    deductions: tuple[tuple[str, Decimal | None], ...]  # (sheet label, raw deduction; None = N/A)
    reason: str


@dataclass(frozen=True)
class ConsolidationProposal:
    """The leader's starting point: one entry per item, where each came from, and the disagreements."""

    standard_key: str
    entries: tuple[ItemEntry, ...]
    sources: Mapping[str, str]  # item code → sheet label the proposed entry was taken from
    divergences: tuple[Divergence, ...]


def _raw_deduction(entry: ItemEntry) -> Decimal:
    return sum((Decimal(str(d.points)) for d in entry.deductions), ZERO) + Decimal(
        str(entry.extra_deduction or 0)
    )


def consolidate(
    standard: StandardSpec,
    sheets: Iterable[tuple[str, SheetInput]],
    *,
    assignment: Mapping[str, str] | None = None,
    margin: Decimal = Decimal("2"),
) -> ConsolidationProposal:
    """Propose a consolidated sheet from the experts' sheets; the leader confirms or changes it.

    For each item, the entry of the assigned expert (``assignment``: code → sheet label) is
    proposed; without an assignment, the entry with the largest deduction (the cautious
    choice), and N/A only when every expert who scored the item marked it N/A. Items on
    which the experts differ by more than ``margin`` points, or on applicability, are
    listed as divergences so the leader gives a reason for the value chosen. Pure: no ORM.
    """
    labelled = list(sheets)
    for label, sheet in labelled:
        if sheet.standard_key != standard.key:
            raise ScoringInputError(
                _("The sheet of %(label)s belongs to another version of the standard.") % {"label": label}
            )
    by_sheet = [(label, {e.code: e for e in sheet.entries}) for label, sheet in labelled]
    entries: list[ItemEntry] = []
    sources: dict[str, str] = {}
    divergences: list[Divergence] = []
    for item in standard.items:
        scored = [(label, rows[item.code]) for label, rows in by_sheet if item.code in rows]
        if not scored:
            continue
        assigned = (assignment or {}).get(item.code)
        chosen = next(((lbl, e) for lbl, e in scored if lbl == assigned), None)
        if chosen is None:
            applicable = [(lbl, e) for lbl, e in scored if e.applicable]
            pool = applicable or scored
            chosen = max(pool, key=lambda pair: _raw_deduction(pair[1]))
        entries.append(chosen[1])
        sources[item.code] = chosen[0]
        if len(scored) > 1:
            values = tuple((lbl, _raw_deduction(e) if e.applicable else None) for lbl, e in scored)
            applicabilities = {e.applicable for _, e in scored}
            numbers = [v for _, v in values if v is not None]
            if len(applicabilities) > 1:
                divergences.append(Divergence(item.code, values, "applicability"))
            elif numbers and max(numbers) - min(numbers) > margin:
                divergences.append(Divergence(item.code, values, "margin"))
    return ConsolidationProposal(standard.key, tuple(entries), sources, tuple(divergences))
