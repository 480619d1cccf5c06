"""Score sheets in and out of anbiao, keyed by item code: a JSON document and an Excel workbook.

Both formats name the standard version (code and version) they were made on, and reading
refuses a file of another version: the same code can mean a different item in another
version. Reading only checks the shape and the numbers of a file; ``sheet_entries_save``
(or ``sheet_entries_replace`` for an import) checks the rest, with errors keyed by item code.

JSON document::

    {"format": "anbiao.score-sheet", "format_version": 1,
     "standard": {"code": "CCWL", "version": 1, "name": "仓储物流"},
     "sheet": {"kind": "preview", "status": "draft", "title": "..."},
     "items": [{"code": "2.1.1", "applicable": true, "na_reason": "",
                "deductions": [{"points": "1.0", "reason": "...", "is_hazard": false}],
                "extra_deduction": "10.0", "extra_reason": "...", "description": ""}]}

Only scored items are listed; an item left out scores full marks. Numbers are strings.

Workbook: sheet 1 (评分表) has one row per item of the standard; sheet 2 (扣分明细) one row
per deduction; sheet 3 (标准信息) the standard version. A row of sheet 1 that applies and
has no deduction, extra deduction or description is "not scored" and is not read back.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from lib.xlsx import XlsxReadError, add_sheet, open_workbook, read_sheet_rows
from standards.domain import ONE_DECIMAL, ScoringInputError, parse_points
from standards.models import ScoreSheet, ScoringStandard
from standards.selectors import sheet_entries, standard_items
from standards.services import DeductionIn, EntryIn

FORMAT = "anbiao.score-sheet"
FORMAT_VERSION = 1
MAX_ITEMS = 2000  # far above any standard (the legacy format has 194 items)
MAX_DEDUCTIONS = 100  # per item
ALL = "__all__"


def decimal_text(value: Decimal) -> str:
    """Return a score as the string it travels as: one decimal place ("4.0", "83.1").

    Every number of a sheet has at most one decimal (the engine refuses more), so this is exact.
    """
    return str(Decimal(value).quantize(ONE_DECIMAL))


# --- JSON -----------------------------------------------------------------------------


def sheet_to_json(sheet: ScoreSheet, *, entries=None) -> dict[str, Any]:
    """Return the sheet as a JSON-ready document keyed by item code (see the module docstring).

    ``entries`` may pass rows already read with ``sheet_entries`` (three queries otherwise).
    """
    rows = entries if entries is not None else sheet_entries(sheet)
    standard = sheet.standard
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "standard": {"code": standard.code, "version": standard.version, "name": standard.name},
        "sheet": {"kind": sheet.kind, "status": sheet.status, "title": sheet.title},
        "items": [
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
            }
            for row in rows
        ],
    }


def _check_standard(found_code: object, found_version: object, standard: ScoringStandard) -> None:
    """Refuse a file made on another standard (or another version of it)."""
    try:
        version = int(str(found_version).strip())
    except (TypeError, ValueError):
        version = None
    code = str(found_code).strip() if found_code is not None else ""
    if not code or version is None:
        raise ValidationError(
            {
                ALL: [
                    _(
                        "The file does not say which standard version it was made on. Export a sheet and fill that in."
                    )
                ]
            }
        )
    if code != standard.code or version != standard.version:
        raise ValidationError(
            {
                ALL: [
                    _(
                        "The file was made on standard %(file)s, but this sheet uses %(sheet)s. "
                        "Export a sheet of this version and fill that in."
                    )
                    % {"file": f"{code} v{version}", "sheet": f"{standard.code} v{standard.version}"}
                ]
            }
        )


def _is_number(value: object) -> bool:
    return isinstance(value, str | int | float | Decimal) and not isinstance(value, bool)


def _text(raw: dict, key: str, code: str, errors: dict[str, list[str]]) -> str:
    value = raw.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.setdefault(code, []).append(
            _("Item %(code)s: %(field)s must be text.") % {"code": code, "field": key}
        )
        return ""
    return value


def _flag(raw: dict, key: str, default: bool, code: str, errors: dict[str, list[str]]) -> bool:
    value = raw.get(key, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        errors.setdefault(code, []).append(
            _("Item %(code)s: %(field)s must be true or false.") % {"code": code, "field": key}
        )
        return default
    return value


def _number(value: object, what, code: str, errors: dict[str, list[str]]) -> object:
    """Return the value if parse_points accepts it; otherwise record the error under the code."""
    if not _is_number(value):
        errors.setdefault(code, []).append(_("%(what)s must be a number.") % {"what": what()})
        return value
    try:
        parse_points(value, what=what, code=code)
    except ScoringInputError as exc:
        errors.setdefault(code, []).append(exc.message)
    return value


def _entry_from_json(raw: object, position: int, errors: dict[str, list[str]]) -> EntryIn | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("code"), str) or not raw["code"].strip():
        errors.setdefault(ALL, []).append(
            _("Entry %(n)d of the items is not an object with an item code.") % {"n": position}
        )
        return None
    code = raw["code"].strip()
    applicable = _flag(raw, "applicable", True, code, errors)
    raw_deductions = raw.get("deductions") or []
    deductions: list[DeductionIn] = []
    if not isinstance(raw_deductions, list) or len(raw_deductions) > MAX_DEDUCTIONS:
        errors.setdefault(code, []).append(
            _("Item %(code)s: deductions must be a list of at most %(max)d entries.")
            % {"code": code, "max": MAX_DEDUCTIONS}
        )
        raw_deductions = []
    for n, raw_d in enumerate(raw_deductions, start=1):
        if not isinstance(raw_d, dict) or "points" not in raw_d:
            errors.setdefault(code, []).append(
                _("Item %(code)s: deduction %(n)d must be an object with points and a reason.")
                % {"code": code, "n": n}
            )
            continue
        points = _number(
            raw_d["points"],
            lambda c=code: _("The deduction of item %(code)s") % {"code": c},
            code,
            errors,
        )
        deductions.append(
            DeductionIn(
                points=points,
                reason=_text(raw_d, "reason", code, errors),
                is_hazard=_flag(raw_d, "is_hazard", False, code, errors),
            )
        )
    extra = raw.get("extra_deduction")
    extra = "0" if extra in (None, "") else extra
    _number(extra, lambda c=code: _("The extra deduction of item %(code)s") % {"code": c}, code, errors)
    return EntryIn(
        code=code,
        applicable=applicable,
        deductions=tuple(deductions),
        extra_deduction=extra,
        extra_reason=_text(raw, "extra_reason", code, errors),
        na_reason=_text(raw, "na_reason", code, errors),
        description=_text(raw, "description", code, errors),
    )


def entries_from_json(data: object, standard: ScoringStandard) -> list[EntryIn]:
    """Return the entries of a JSON document (as ``sheet_to_json`` writes it) for ``standard``.

    Raises ValidationError keyed by item code (or ``__all__``) when the document is of another
    standard version, is not a score sheet, or has wrongly shaped fields or bad numbers.
    Unknown and repeated item codes are left to ``sheet_entries_save``, which refuses them.
    """
    if not isinstance(data, dict) or data.get("format", FORMAT) != FORMAT:
        raise ValidationError({ALL: [_("The file is not a score sheet exported from anbiao.")]})
    ref = data.get("standard")
    if not isinstance(ref, dict):
        ref = {}
    _check_standard(ref.get("code"), ref.get("version"), standard)
    items = data.get("items")
    if not isinstance(items, list) or len(items) > MAX_ITEMS:
        raise ValidationError(
            {ALL: [_("The items must be a list of at most %(max)d entries.") % {"max": MAX_ITEMS}]}
        )
    errors: dict[str, list[str]] = {}
    entries = [_entry_from_json(raw, n, errors) for n, raw in enumerate(items, start=1)]
    if errors:
        raise ValidationError(errors)
    return [e for e in entries if e is not None]


# --- Excel ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a lazy translation
    chinese: str  # the heading of the brief, accepted whatever the catalogue says


ITEM_SHEET = gettext_lazy("Score sheet")
DEDUCTION_SHEET = gettext_lazy("Deductions")
STANDARD_SHEET = gettext_lazy("Standard version")

ITEM_COLUMNS = (
    Column("code", gettext_lazy("Item code"), "评分项编号"),
    Column("requirement", gettext_lazy("Requirement"), "考评内容"),
    Column("points", gettext_lazy("Standard points"), "标准分值"),
    Column("applicable", gettext_lazy("Applies (yes/no)"), "是否涉及"),
    Column("na_reason", gettext_lazy("Reason it does not apply"), "不涉及理由"),
    Column("extra_deduction", gettext_lazy("Extra deduction"), "追加扣除"),
    Column("extra_reason", gettext_lazy("Reason for the extra deduction"), "追加扣除原因"),
    Column("description", gettext_lazy("Description"), "说明"),
)
DEDUCTION_COLUMNS = (
    Column("code", gettext_lazy("Item code"), "评分项编号"),
    Column("points", gettext_lazy("Points deducted"), "扣分"),
    Column("reason", gettext_lazy("Reason for the deduction"), "原因"),
    Column("is_hazard", gettext_lazy("Constitutes a hazard (yes/no)"), "构成隐患"),
)
STANDARD_COLUMNS = (
    Column("code", gettext_lazy("Standard code"), "标准编号"),
    Column("version", gettext_lazy("Version"), "版本"),
    Column("name", gettext_lazy("Standard"), "评定标准"),
    Column("title", gettext_lazy("Sheet title"), "评分表标题"),
    Column("kind", gettext_lazy("Kind"), "类型"),
    Column("status", gettext_lazy("Status"), "状态"),
)
# Read-only columns: written for the reader, ignored on import.
_READ_KEYS = {
    "items": ("code", "applicable", "na_reason", "extra_deduction", "extra_reason", "description"),
    "deductions": ("code", "points", "reason", "is_hazard"),
    "standard": ("code", "version"),
}


def _in_every_language(text: Any) -> list[str]:
    found = [str(text)]
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            if str(text) not in found:
                found.append(str(text))
    return found


def _aliases(columns: Sequence[Column], keys: Iterable[str]) -> dict[str, list[str]]:
    by_key = {c.key: c for c in columns}
    aliases = {}
    for key in keys:
        column = by_key[key]
        aliases[key] = [*_in_every_language(column.label), column.chinese]
    return aliases


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


YES_WORDS = frozenset({"是", "涉及", "y", "yes", "true", "1"})
NO_WORDS = frozenset({"否", "不涉及", "n", "no", "false", "0"})


def _yes_no_words() -> tuple[set[str], set[str]]:
    """Return the words read as yes and as no: Yes/No in every UI language, and common spellings."""
    yes = {s.lower() for s in _in_every_language(gettext_lazy("Yes"))} | YES_WORDS
    no = {s.lower() for s in _in_every_language(gettext_lazy("No"))} | NO_WORDS
    return yes, no


def _truth(text: str, words: tuple[set[str], set[str]]) -> bool | None:
    """Return True or False for a yes/no cell, None when it is neither."""
    folded = text.strip().lower()
    if folded in words[0]:
        return True
    if folded in words[1]:
        return False
    return None


def sheet_to_xlsx(sheet: ScoreSheet) -> Workbook:
    """Return the sheet as a workbook: every item of the standard, its deductions, and the version.

    Cells go through lib.xlsx's safe writer, so a reason typed as "=..." stays text.
    """
    standard = sheet.standard
    rows = {row.item_id: row for row in sheet_entries(sheet)}
    item_rows, deduction_rows = [], []
    for item in standard_items(standard):
        row = rows.get(item.pk)
        if row is None:
            item_rows.append([item.code, item.requirement, item.points, _yes_no(True), "", "", "", ""])
            continue
        item_rows.append(
            [
                item.code,
                item.requirement,
                item.points,
                _yes_no(row.applicable),
                row.na_reason,
                row.extra_deduction if row.extra_deduction else "",
                row.extra_reason,
                row.description,
            ]
        )
        deduction_rows.extend(
            [item.code, d.points, d.reason, _yes_no(d.is_hazard)] for d in row.deductions.all()
        )
    workbook = Workbook()
    add_sheet(
        workbook,
        str(ITEM_SHEET),
        [c.label for c in ITEM_COLUMNS],
        item_rows,
        text_columns=[0],
        sheet=workbook.active,
    )
    add_sheet(
        workbook, str(DEDUCTION_SHEET), [c.label for c in DEDUCTION_COLUMNS], deduction_rows, text_columns=[0]
    )
    add_sheet(
        workbook,
        str(STANDARD_SHEET),
        [c.label for c in STANDARD_COLUMNS],
        [
            [
                standard.code,
                standard.version,
                standard.name,
                sheet.title,
                sheet.get_kind_display(),
                sheet.get_status_display(),
            ]
        ],
        text_columns=[0],
    )
    return workbook


def _find_sheet(workbook, name: Any, position: int):
    """Return the sheet called ``name`` in any UI language, else the one at ``position``, else None."""
    for title in _in_every_language(name):
        if title in workbook.sheetnames:
            return workbook[title]
    worksheets = workbook.worksheets
    return worksheets[position] if position < len(worksheets) else None


def _read(workbook, name: Any, position: int, columns, keys, *, allow_empty: bool):
    sheet = _find_sheet(workbook, name, position)
    if sheet is None:
        raise ValidationError({ALL: [_("The workbook has no sheet named %(name)s.") % {"name": str(name)}]})
    try:
        return sheet.title, read_sheet_rows(
            sheet, _aliases(columns, keys), max_rows=MAX_ITEMS * 5, allow_empty=allow_empty
        )
    except XlsxReadError as exc:
        raise ValidationError(
            {ALL: [_("Sheet “%(sheet)s”: %(message)s") % {"sheet": sheet.title, "message": str(exc)}]}
        ) from exc


class _RowErrors:
    """Messages naming the sheet, row and column, keyed by item code (or __all__)."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, key: str, sheet: str, row: int, column: Column, message: str) -> None:
        text = _("Sheet “%(sheet)s”, row %(row)d, column “%(column)s”: %(message)s") % {
            "sheet": sheet,
            "row": row,
            "column": str(column.label),
            "message": message,
        }
        self.errors.setdefault(key or ALL, []).append(text)


def _cell_points(text: str, key: str, sheet: str, row: int, column: Column, errors: _RowErrors) -> str:
    try:
        parse_points(text, what=lambda: str(column.label))
    except ScoringInputError as exc:
        errors.add(key, sheet, row, column, exc.message)
    return text


def entries_from_xlsx(file: IO[bytes] | Any, standard: ScoringStandard) -> list[EntryIn]:
    """Return the entries of a workbook written by ``sheet_to_xlsx`` (and filled in) for ``standard``.

    Raises ValidationError when the file is not such a workbook or is of another standard
    version, and for unreadable cells, with messages naming the sheet, row and column, keyed
    by item code where the row names one (else ``__all__``).
    """
    try:
        workbook = open_workbook(file)
    except XlsxReadError as exc:
        raise ValidationError({ALL: [str(exc)]}) from exc
    try:
        _title, info = _read(
            workbook, STANDARD_SHEET, 2, STANDARD_COLUMNS, _READ_KEYS["standard"], allow_empty=False
        )
        _check_standard(info[0][1]["code"], info[0][1]["version"], standard)
        item_sheet, item_rows = _read(
            workbook, ITEM_SHEET, 0, ITEM_COLUMNS, _READ_KEYS["items"], allow_empty=True
        )
        deduction_sheet, deduction_rows = _read(
            workbook, DEDUCTION_SHEET, 1, DEDUCTION_COLUMNS, _READ_KEYS["deductions"], allow_empty=True
        )
    finally:
        workbook.close()

    codes = list(standard.items.order_by("sort_order").values_list("code", flat=True))
    known = set(codes)
    errors = _RowErrors()
    words = _yes_no_words()
    cols = {c.key: c for c in ITEM_COLUMNS}
    dcols = {c.key: c for c in DEDUCTION_COLUMNS}

    deductions: dict[str, list[DeductionIn]] = {}
    for row_no, values in deduction_rows:
        code = values["code"]
        if not code:
            errors.add(ALL, deduction_sheet, row_no, dcols["code"], _("Enter the item code."))
            continue
        if code not in known:
            errors.add(
                code,
                deduction_sheet,
                row_no,
                dcols["code"],
                _("Item %(code)s is not in this standard.") % {"code": code},
            )
            continue
        if not values["points"]:
            errors.add(code, deduction_sheet, row_no, dcols["points"], _("Enter the points deducted."))
            continue
        points = _cell_points(values["points"], code, deduction_sheet, row_no, dcols["points"], errors)
        hazard = _truth(values["is_hazard"], words) if values["is_hazard"] else False
        if hazard is None:
            errors.add(code, deduction_sheet, row_no, dcols["is_hazard"], _("Enter yes or no."))
            hazard = False
        deductions.setdefault(code, []).append(DeductionIn(points, values["reason"], hazard))

    read: dict[str, EntryIn] = {}
    seen_rows: dict[str, int] = {}
    for row_no, values in item_rows:
        code = values["code"]
        if not code:
            errors.add(ALL, item_sheet, row_no, cols["code"], _("Enter the item code."))
            continue
        if code not in known:
            errors.add(
                code,
                item_sheet,
                row_no,
                cols["code"],
                _("Item %(code)s is not in this standard.") % {"code": code},
            )
            continue
        if code in seen_rows:
            errors.add(
                code,
                item_sheet,
                row_no,
                cols["code"],
                _("Item %(code)s is already in row %(row)d.") % {"code": code, "row": seen_rows[code]},
            )
            continue
        seen_rows[code] = row_no
        applicable = _truth(values["applicable"], words) if values["applicable"] else True
        if applicable is None:
            errors.add(code, item_sheet, row_no, cols["applicable"], _("Enter yes or no."))
            continue
        extra = values["extra_deduction"] or "0"
        _cell_points(extra, code, item_sheet, row_no, cols["extra_deduction"], errors)
        has_extra = extra != "0" or bool(values["extra_reason"])
        if applicable and not deductions.get(code) and not has_extra and not values["description"]:
            continue  # not scored: full marks
        read[code] = EntryIn(
            code=code,
            applicable=applicable,
            deductions=tuple(deductions.get(code, ())),
            extra_deduction=extra,
            extra_reason=values["extra_reason"],
            na_reason=values["na_reason"] if not applicable else "",
            description=values["description"],
        )
    for code, found in deductions.items():
        if code not in seen_rows and code not in errors.errors:
            # A deduction for an item whose row was deleted from the first sheet.
            read[code] = EntryIn(code=code, deductions=tuple(found))
    if errors.errors:
        raise ValidationError(errors.errors)
    order = {code: n for n, code in enumerate(codes)}
    return sorted(read.values(), key=lambda e: order[e.code])
