"""Downloads of a standard version in the exchange format: an .xlsx workbook or a .zip of CSVs.

Both are built from ``formats.write_standard``, so the three forms carry the same columns and
an exported file imports back unchanged (export → import → export gives the same content).
"""

import csv
import io
import zipfile
from decimal import Decimal

from openpyxl import Workbook

from lib.xlsx import add_sheet
from standards.formats import ParsedStandard, write_standard

# Columns written as numbers so Excel users can sum them; everything else stays text.
NUMERIC_COLUMNS = frozenset({"element_no", "item_no", "points"})
# Columns that look like numbers but are codes ("6.10" must not become 6.1).
TEXT_COLUMNS = frozenset({"subelement_no"})
SHEET_NAMES = ("elements", "items")


def _number(value: str) -> int | Decimal | str:
    try:
        number = Decimal(value)
    except ArithmeticError:
        return value
    return int(number) if number == number.to_integral_value() else number


def standard_xlsx(parsed: ParsedStandard) -> Workbook:
    """Return a workbook with the sheets "elements" and "items" in the exchange format's columns."""
    workbook = Workbook()
    for index, (name, text) in enumerate(zip(SHEET_NAMES, write_standard(parsed), strict=True)):
        header, *rows = list(csv.reader(io.StringIO(text)))
        numeric = {i for i, column in enumerate(header) if column in NUMERIC_COLUMNS}
        add_sheet(
            workbook,
            name,
            header,
            ([_number(v) if i in numeric and v else v for i, v in enumerate(row)] for row in rows),
            text_columns=[i for i, column in enumerate(header) if column in TEXT_COLUMNS],
            sheet=workbook.active if index == 0 else None,
        )
    return workbook


def standard_csv_zip(parsed: ParsedStandard) -> bytes:
    """Return a .zip holding elements.csv and items.csv (UTF-8, as ``write_standard`` writes them)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in zip(SHEET_NAMES, write_standard(parsed), strict=True):
            info = zipfile.ZipInfo(f"{name}.csv", date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()
