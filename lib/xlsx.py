"""Excel (.xlsx) helpers shared by every list export, import template and import.

Writing: ``build_workbook`` / ``add_sheet`` turn headers and rows into a sheet with a bold,
frozen header row and sensible column widths. Every cell goes through ``set_cell``: user text
that starts with ``=``, ``+``, ``-`` or ``@`` is stored as text (never a formula), so a name
typed as ``=HYPERLINK(...)`` cannot run when an official opens the export.

Reading: ``read_rows`` checks the header row and yields (row number, values) for each
non-empty row, raising ``XlsxReadError`` with a message for the user when the file is not
an .xlsx workbook, is empty or lacks columns.
"""

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO, Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@")
MIN_WIDTH = 8
MAX_WIDTH = 60
# Sheet names may not contain these and are at most 31 characters.
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2F4F7")


class XlsxReadError(ValueError):
    """The uploaded file cannot be read as the expected sheet; the message is for the user."""


# --- Writing --------------------------------------------------------------


def set_cell(cell: Cell, value: Any) -> Cell:
    """Store ``value`` in ``cell`` safely: text that looks like a formula stays text.

    openpyxl turns any string starting with "=" into a formula; forcing the data type to
    string and setting Excel's quote prefix keeps it literal, even after a user edits it.
    Control characters that Excel refuses are dropped.
    """
    if isinstance(value, Promise):
        value = str(value)  # a lazy translation (a choice label, a heading)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
        if value.startswith(FORMULA_PREFIXES):
            cell.data_type = "s"
            cell.quotePrefix = True
        return cell
    if isinstance(value, Decimal):
        # Keep exact decimals (scores) as text-free numbers Excel can sum.
        value = float(value)
    elif isinstance(value, datetime) and value.tzinfo is not None:
        # Excel has no time zones; callers pass local (Beijing) times, we drop the tzinfo.
        value = value.replace(tzinfo=None)
    cell.value = value
    return cell


def _display_width(value: Any) -> int:
    """Return the width in Excel character units: CJK characters count twice."""
    if value is None:
        return 0
    text = str(value)
    longest = 0
    for line in text.splitlines() or [""]:
        longest = max(longest, sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line))
    return longest


def sheet_title(title: str) -> str:
    """Return ``title`` made acceptable as a sheet name (no []:*?/\\, at most 31 characters)."""
    cleaned = _SHEET_NAME_BAD.sub(" ", str(title)).strip() or "Sheet"
    return cleaned[:31]


def add_sheet(
    workbook: Workbook,
    title: str,
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    text_columns: Iterable[int] = (),
    sheet: Worksheet | None = None,
) -> Worksheet:
    """Write headers and rows to a new sheet (or ``sheet``) and return it.

    The header row is bold and frozen, with an autofilter; column widths follow the longest
    value (capped). ``text_columns`` are 0-based indexes of columns whose cells get the text
    number format "@", so codes such as a USCC or "0510" are not turned into numbers when a
    user types into the sheet.
    """
    ws = sheet if sheet is not None else workbook.create_sheet()
    ws.title = sheet_title(title)
    widths = [_display_width(str(h)) for h in headers]
    text_cols = set(text_columns)
    for col, header in enumerate(headers, start=1):
        cell = set_cell(ws.cell(row=1, column=col), str(header))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    row_no = 1
    for row_no, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            cell = set_cell(ws.cell(row=row_no, column=col), value)
            if col - 1 in text_cols:
                cell.number_format = "@"
            if col <= len(widths):
                widths[col - 1] = max(widths[col - 1], _display_width(value))
            else:
                widths.append(_display_width(value))
    for col in text_cols:
        # The column's own style too, so codes typed into a template later stay text.
        ws.column_dimensions[get_column_letter(col + 1)].number_format = "@"
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(MAX_WIDTH, max(MIN_WIDTH, width + 2))
    ws.freeze_panes = "A2"
    if headers:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(row_no, 1)}"
    return ws


def build_workbook(
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "Sheet",
    text_columns: Iterable[int] = (),
) -> Workbook:
    """Return a one-sheet workbook with the headers and rows (see ``add_sheet``)."""
    workbook = Workbook()
    add_sheet(workbook, title, headers, rows, text_columns=text_columns, sheet=workbook.active)
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    """Return the workbook serialised as .xlsx bytes."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def content_disposition(filename: str) -> str:
    """Return an attachment Content-Disposition with an ASCII fallback and an RFC 5987 UTF-8 name.

    Browsers use ``filename*`` and so show the Chinese name; old clients get the ASCII one.
    """
    stem, dot, ext = filename.rpartition(".") if "." in filename else (filename, "", "")

    def ascii_part(text: str) -> str:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
        return re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_-")

    ascii_stem = ascii_part(stem)
    if not re.search(r"[A-Za-z0-9]", ascii_stem):
        ascii_stem = "download"
    ascii_name = f"{ascii_stem}.{ascii_part(ext)}" if dot and ascii_part(ext) else ascii_stem
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def xlsx_response(workbook: Workbook, filename: str) -> HttpResponse:
    """Return the workbook as a download named ``filename`` (Chinese names are fine)."""
    response = HttpResponse(workbook_bytes(workbook), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    response["Cache-Control"] = "private, no-store"
    return response


# --- Reading --------------------------------------------------------------


def _normalise_header(value: Any) -> str:
    text = cell_text(value)
    # Templates mark required columns with "*"; people add spaces and full-width brackets.
    return re.sub(r"\s+", "", text).rstrip("*＊").replace("（", "(").replace("）", ")").lower()


def cell_text(value: Any) -> str:
    """Return a cell value as trimmed text: integral floats lose ".0", dates become ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def open_workbook(file: IO[bytes] | Any) -> Workbook:
    """Return the uploaded .xlsx opened read-only (cached values, never formulas).

    Raises XlsxReadError when the file is not an .xlsx workbook. Close it when done.
    """
    try:
        if hasattr(file, "seek"):
            file.seek(0)
        return load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError) as exc:
        raise XlsxReadError(
            _("The file is not an Excel workbook (.xlsx). Save it as .xlsx and upload it again.")
        ) from exc


def _accepted_headers(
    expected_headers: Mapping[str, str | Sequence[str]] | Sequence[str],
) -> dict[str, list[str]]:
    if isinstance(expected_headers, Mapping):
        return {
            key: [labels] if isinstance(labels, str) else list(labels)
            for key, labels in expected_headers.items()
        }
    return {label: [label] for label in expected_headers}


def read_rows(
    file: IO[bytes] | Any,
    expected_headers: Mapping[str, str | Sequence[str]] | Sequence[str],
    *,
    max_rows: int = 10000,
) -> list[tuple[int, dict[str, str]]]:
    """Return (spreadsheet row number, values) for each non-empty row of the first sheet.

    ``expected_headers`` maps a key to its column heading (or to several accepted headings,
    e.g. the heading in each UI language); a plain sequence of headings uses each heading as
    its own key. Columns may come in any order and extra columns are ignored. Values are
    trimmed text ("" for an empty cell), keyed like ``expected_headers``.

    Raises XlsxReadError when the file is not an .xlsx workbook, has no header row, lacks
    an expected column or has more than ``max_rows`` data rows.
    """
    workbook = open_workbook(file)
    try:
        return _read_sheet(workbook, _accepted_headers(expected_headers), max_rows)
    finally:
        workbook.close()


def read_sheet_rows(
    sheet: Worksheet | Any,
    expected_headers: Mapping[str, str | Sequence[str]] | Sequence[str],
    *,
    max_rows: int = 10000,
    allow_empty: bool = False,
) -> list[tuple[int, dict[str, str]]]:
    """Return the rows of one sheet of a workbook from ``open_workbook``, like ``read_rows``.

    For workbooks of several sheets. With ``allow_empty``, a sheet with headings and no data
    rows gives an empty list instead of an error.
    """
    return _read_sheet(
        None, _accepted_headers(expected_headers), max_rows, sheet=sheet, allow_empty=allow_empty
    )


def _read_sheet(
    workbook: Workbook | None,
    accepted: dict[str, list[str]],
    max_rows: int,
    *,
    sheet: Worksheet | Any = None,
    allow_empty: bool = False,
) -> list[tuple[int, dict[str, str]]]:
    if workbook is not None:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
    if sheet is not None and hasattr(sheet, "reset_dimensions"):
        # Some tools write a wrong <dimension>; read every row and column actually present.
        sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True) if sheet is not None else iter(())
    header: Sequence[Any] | None = None
    header_row_no = 0
    for row_no, values in enumerate(rows, start=1):
        if any(cell_text(v) for v in values):
            header, header_row_no = values, row_no
            break
    if header is None:
        raise XlsxReadError(_("The file is empty: the first sheet has no rows."))
    positions: dict[str, int] = {}
    by_heading = {_normalise_header(v): i for i, v in enumerate(header) if cell_text(v)}
    for key, labels in accepted.items():
        for label in labels:
            if _normalise_header(label) in by_heading:
                positions[key] = by_heading[_normalise_header(label)]
                break
    missing = [labels[0] for key, labels in accepted.items() if key not in positions]
    if missing:
        raise XlsxReadError(
            _("The first row must hold the column headings of the template; these are missing: %(names)s.")
            % {"names": "、".join(str(m) for m in missing)}
        )
    result: list[tuple[int, dict[str, str]]] = []
    for row_no, values in enumerate(rows, start=header_row_no + 1):
        record = {key: cell_text(values[i]) if i < len(values) else "" for key, i in positions.items()}
        if not any(record.values()):
            continue
        if len(result) >= max_rows:
            raise XlsxReadError(
                _("The file has more than %(n)d rows. Split it into smaller files.") % {"n": max_rows}
            )
        result.append((row_no, record))
    if not result and not allow_empty:
        raise XlsxReadError(_("The file has column headings but no data rows."))
    return result
