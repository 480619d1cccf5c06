"""The exchange format of a scoring standard: elements.csv + items.csv (or two .xlsx sheets).

Pure parsing and checking (no ORM): every problem is reported with its file, row and column
in Chinese, and an element whose items do not add up to its subtotal is refused. The format
is the one of ``standards/data/warehousing-logistics`` (see its README).
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext as _

from standards.domain import ElementSpec, ItemSpec, StandardSpec, SubElementSpec

# Standards that ship with anbiao, one folder each in the exchange format.
BUNDLED_STANDARDS = Path(__file__).resolve().parent / "data"

ELEMENT_COLUMNS = ("element_no", "element", "points")
ITEM_COLUMNS = (
    "element_no",
    "element",
    "subelement_no",
    "subelement",
    "item_no",
    "requirement",
    "points",
    "method",
)


@dataclass(frozen=True)
class FormatError:
    file: str
    row: int  # 1 = the header row, as a spreadsheet shows it
    column: str
    message: str


@dataclass
class ParsedItem:
    element_no: int
    subelement_no: str
    subelement: str
    item_no: int
    requirement: str
    points: Decimal
    method: str
    extra: dict = field(default_factory=dict)  # optional columns: is_veto, specialty, guidance

    @property
    def code(self) -> str:
        return f"{self.subelement_no}.{self.item_no}"


@dataclass
class ParsedStandard:
    elements: list[tuple[int, str, Decimal]]
    items: list[ParsedItem]

    def to_spec(self, key: str, thresholds=None) -> StandardSpec:
        subelements: dict[str, SubElementSpec] = {}
        for item in self.items:
            subelements.setdefault(
                item.subelement_no, SubElementSpec(item.subelement_no, item.subelement, item.element_no)
            )
        kwargs = {"thresholds": thresholds} if thresholds else {}
        return StandardSpec(
            key=key,
            elements=tuple(ElementSpec(no, name) for no, name, _ in self.elements),
            subelements=tuple(subelements.values()),
            items=tuple(
                ItemSpec(
                    code=i.code,
                    element_no=i.element_no,
                    subelement_no=i.subelement_no,
                    points=i.points,
                    is_veto=str(i.extra.get("is_veto", "")).strip().lower()
                    in {"1", "true", "yes", "是", "y"},
                    requirement=i.requirement,
                )
                for i in self.items
            ),
            **kwargs,
        )


class StandardFormatError(Exception):
    def __init__(self, errors: list[FormatError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def read_csv_text(text: str) -> list[dict[str, str]]:
    """Return the rows of a UTF-8 CSV text (a BOM is tolerated)."""
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def _int(value: str) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _points(value: str) -> Decimal | None:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or number <= 0:
        return None
    exponent = number.normalize().as_tuple().exponent
    return number if isinstance(exponent, int) and exponent >= -1 else None


def parse_standard(element_rows: list[dict], item_rows: list[dict]) -> ParsedStandard:
    """Check and convert the two tables; raise StandardFormatError listing every problem."""
    errors: list[FormatError] = []
    efile, ifile = "elements", "items"
    for name, rows, columns in ((efile, element_rows, ELEMENT_COLUMNS), (ifile, item_rows, ITEM_COLUMNS)):
        present = set(rows[0].keys()) if rows else set()
        for column in columns:
            if column not in present:
                errors.append(FormatError(name, 1, column, _("The column is missing.")))
        if not rows:
            errors.append(FormatError(name, 1, "", _("The table has no rows.")))
    if errors:
        raise StandardFormatError(errors)

    elements: list[tuple[int, str, Decimal]] = []
    seen_elements: set[int] = set()
    for row_no, row in enumerate(element_rows, start=2):
        no = _int(row["element_no"])
        if no is None or no < 1:
            errors.append(
                FormatError(efile, row_no, "element_no", _("The element number must be a whole number."))
            )
            continue
        if no in seen_elements:
            errors.append(
                FormatError(efile, row_no, "element_no", _("Element %(no)d is listed twice.") % {"no": no})
            )
        seen_elements.add(no)
        name = (row["element"] or "").strip()
        if not name:
            errors.append(FormatError(efile, row_no, "element", _("The element name is empty.")))
        points = _points(row["points"])
        if points is None:
            errors.append(
                FormatError(
                    efile,
                    row_no,
                    "points",
                    _("The points must be a positive number with at most one decimal."),
                )
            )
            continue
        elements.append((no, name, points))

    items: list[ParsedItem] = []
    codes: dict[str, int] = {}
    sub_names: dict[str, str] = {}
    for row_no, row in enumerate(item_rows, start=2):
        element_no = _int(row["element_no"])
        if element_no is None or element_no not in seen_elements:
            errors.append(
                FormatError(
                    ifile, row_no, "element_no", _("The element number is not in the elements table.")
                )
            )
            continue
        sub_no = (row["subelement_no"] or "").strip()
        if not sub_no.startswith(f"{element_no}.") or not sub_no.split(".", 1)[1].isdigit():
            errors.append(
                FormatError(
                    ifile,
                    row_no,
                    "subelement_no",
                    _("The sub-element number must look like %(example)s.") % {"example": f"{element_no}.1"},
                )
            )
            continue
        sub_name = (row["subelement"] or "").strip()
        if sub_names.setdefault(sub_no, sub_name) != sub_name:
            errors.append(
                FormatError(
                    ifile,
                    row_no,
                    "subelement",
                    _("Sub-element %(no)s has two different names.") % {"no": sub_no},
                )
            )
        item_no = _int(row["item_no"])
        if item_no is None or item_no < 1:
            errors.append(
                FormatError(ifile, row_no, "item_no", _("The item number must be a whole number from 1."))
            )
            continue
        points = _points(row["points"])
        if points is None:
            errors.append(
                FormatError(
                    ifile,
                    row_no,
                    "points",
                    _("The points must be a positive number with at most one decimal."),
                )
            )
            continue
        requirement = row["requirement"] or ""
        if not requirement.strip():
            errors.append(FormatError(ifile, row_no, "requirement", _("The requirement text is empty.")))
        item = ParsedItem(
            element_no=element_no,
            subelement_no=sub_no,
            subelement=sub_name,
            item_no=item_no,
            requirement=requirement,
            points=points,
            method=row["method"] or "",
            extra={k: v for k, v in row.items() if k not in ITEM_COLUMNS and k},
        )
        if item.code in codes:
            errors.append(
                FormatError(
                    ifile,
                    row_no,
                    "item_no",
                    _("Item %(code)s is already in row %(row)d.")
                    % {"code": item.code, "row": codes[item.code]},
                )
            )
            continue
        codes[item.code] = row_no
        items.append(item)

    if not errors:
        for no, name, subtotal in elements:
            total = sum((i.points for i in items if i.element_no == no), Decimal(0))
            if total != subtotal:
                row_no = next(
                    r for r, row in enumerate(element_rows, start=2) if _int(row["element_no"]) == no
                )
                errors.append(
                    FormatError(
                        efile,
                        row_no,
                        "points",
                        _(
                            "The items of element %(no)d %(name)s add up to %(total)s, not the subtotal %(subtotal)s."
                        )
                        % {"no": no, "name": name, "total": total, "subtotal": subtotal},
                    )
                )
    if errors:
        raise StandardFormatError(errors)
    return ParsedStandard(elements=elements, items=items)


def write_standard(parsed: ParsedStandard) -> tuple[str, str]:
    """Return (elements.csv, items.csv) texts in the exchange format (RFC 4180, LF, no BOM)."""
    element_buf, item_buf = io.StringIO(), io.StringIO()
    ew = csv.writer(element_buf, lineterminator="\n")
    ew.writerow(ELEMENT_COLUMNS)
    for no, name, points in parsed.elements:
        ew.writerow([no, name, _plain(points)])
    extra_columns = sorted({k for i in parsed.items for k in i.extra})
    iw = csv.writer(item_buf, lineterminator="\n")
    iw.writerow([*ITEM_COLUMNS, *extra_columns])
    names = {no: name for no, name, _ in parsed.elements}
    for i in parsed.items:
        iw.writerow(
            [
                i.element_no,
                names[i.element_no],
                i.subelement_no,
                i.subelement,
                i.item_no,
                i.requirement,
                _plain(i.points),
                i.method,
                *(i.extra.get(c, "") for c in extra_columns),
            ]
        )
    return element_buf.getvalue(), item_buf.getvalue()


def _plain(points: Decimal) -> str:
    return str(int(points)) if points == points.to_integral_value() else str(points)


def read_xlsx_tables(file) -> tuple[list[dict], list[dict]]:
    """Return (element rows, item rows) from a workbook with sheets "elements" and "items"."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a non-xlsx file
        raise StandardFormatError(
            [FormatError("", 0, "", _("The file is not an Excel (.xlsx) workbook."))]
        ) from exc
    tables = []
    for name in ("elements", "items"):
        if name not in workbook.sheetnames:
            raise StandardFormatError(
                [FormatError(name, 0, "", _("The workbook has no sheet named %(name)s.") % {"name": name})]
            )
        rows = list(workbook[name].iter_rows(values_only=True))
        if not rows:
            tables.append([])
            continue
        header = [str(h).strip() if h is not None else "" for h in rows[0]]
        tables.append(
            [
                {
                    header[i]: ("" if v is None else str(v))
                    for i, v in enumerate(row)
                    if i < len(header) and header[i]
                }
                for row in rows[1:]
                if any(v not in (None, "") for v in row)
            ]
        )
    return tables[0], tables[1]


def read_folder(path) -> tuple[list[dict], list[dict]]:
    """Return (element rows, item rows) from a folder holding elements.csv and items.csv."""
    folder = Path(path)
    tables = []
    for name in ("elements", "items"):
        file = folder / f"{name}.csv"
        if not file.exists():
            raise StandardFormatError(
                [FormatError(name, 0, "", _("The file %(name)s.csv is missing.") % {"name": name})]
            )
        tables.append(read_csv_text(file.read_text(encoding="utf-8")))
    return tables[0], tables[1]
