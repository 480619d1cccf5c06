"""The registry's spreadsheets: the list export and the import template.

The columns are defined once here; the import (enterprises.imports) reads the same headings.
Renderers take what a selector returned and build an openpyxl workbook; no queries of their
own beyond what the selector preloaded.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from enterprises.models import Enterprise, Industry
from lib.xlsx import add_sheet, build_workbook, set_cell, sheet_title


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a lazy translation
    text: bool = False  # codes and phone numbers: keep as text in Excel


COLUMNS = [
    Column("uscc", gettext_lazy("Unified social credit code"), text=True),
    Column("name", gettext_lazy("Enterprise name")),
    Column("short_name", gettext_lazy("Short name")),
    Column("region", gettext_lazy("County-level division")),
    Column("town", gettext_lazy("Town or subdistrict")),
    Column("address", gettext_lazy("Address")),
    Column("legal_representative", gettext_lazy("Legal representative")),
    Column("principal_name", gettext_lazy("Principal")),
    Column("principal_phone", gettext_lazy("Principal's phone"), text=True),
    Column("safety_manager_name", gettext_lazy("Safety manager")),
    Column("safety_manager_phone", gettext_lazy("Safety manager's phone"), text=True),
    Column("employee_count", gettext_lazy("Employees")),
    Column("scale", gettext_lazy("Scale")),
    Column("gb4754_code", gettext_lazy("GB/T 4754 industry code"), text=True),
    Column("industry", gettext_lazy("Industry")),
    Column("risk_tags", gettext_lazy("Special risks")),
    Column("status", gettext_lazy("Status")),
    Column("on_credit_blacklist", gettext_lazy("Credit blacklist")),
    Column("credit_blacklist_note", gettext_lazy("Blacklist note")),
]
# The industry is derived from the GB/T 4754 code, so the import does not ask for it; the
# credit blacklist is a regulator's finding recorded one enterprise at a time, not imported.
EXPORT_ONLY = frozenset({"industry", "on_credit_blacklist", "credit_blacklist_note"})
IMPORT_COLUMNS = [c for c in COLUMNS if c.key not in EXPORT_ONLY]
RISK_TAG_SEPARATOR = "、"

EXAMPLE_USCC = "91210802MA0XAMPLE1"
EXAMPLE_NAME = "营口示例机械制造有限公司"


def column_labels(columns: Iterable[Column] = IMPORT_COLUMNS) -> dict[str, str]:
    """Return {key: heading} in the active language (for row errors)."""
    return {c.key: str(c.label) for c in columns}


def header_aliases(columns: Iterable[Column] = IMPORT_COLUMNS) -> dict[str, list[str]]:
    """Return {key: [heading in each UI language]}, so a template downloaded in either reads back."""
    aliases: dict[str, list[str]] = {c.key: [str(c.label)] for c in columns}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for c in columns:
                if str(c.label) not in aliases[c.key]:
                    aliases[c.key].append(str(c.label))
    return aliases


def _text_indexes(columns: list[Column]) -> list[int]:
    return [i for i, c in enumerate(columns) if c.text]


def export_row(enterprise: Enterprise) -> list[Any]:
    """Return one list row; uses the selector's select_related and risk-tag prefetch only."""
    return [
        enterprise.uscc,
        enterprise.name,
        enterprise.short_name,
        enterprise.region.name,
        enterprise.town.name if enterprise.town else "",
        enterprise.address,
        enterprise.legal_representative,
        enterprise.principal_name,
        enterprise.principal_phone,
        enterprise.safety_manager_name,
        enterprise.safety_manager_phone,
        enterprise.employee_count,
        enterprise.get_scale_display(),
        enterprise.gb4754_code,
        enterprise.get_industry_display(),
        RISK_TAG_SEPARATOR.join(t.name for t in enterprise.risk_tags.all()),
        enterprise.get_status_display(),
        _("Listed") if enterprise.on_credit_blacklist else "",
        enterprise.credit_blacklist_note,
    ]


def render_enterprise_list_xlsx(enterprises: Iterable[Enterprise]) -> Workbook:
    """Return the workbook of an enterprise list (the filtered, scoped selector result)."""
    return build_workbook(
        [c.label for c in COLUMNS],
        (export_row(e) for e in enterprises),
        title=_("Enterprises"),
        text_columns=_text_indexes(COLUMNS),
    )


def example_row(division: str) -> list[Any]:
    values = {
        "uscc": EXAMPLE_USCC,
        "name": EXAMPLE_NAME,
        "short_name": "示例机械",
        "region": division,
        "town": "",
        "address": "营口市示例路1号",
        "legal_representative": "张三",
        "principal_name": "张三",
        "principal_phone": "13800000000",
        "safety_manager_name": "李四",
        "safety_manager_phone": "13900000000",
        "employee_count": 120,
        "scale": str(Enterprise.Scale.BELOW.label),
        "gb4754_code": "3484",
        "risk_tags": "粉尘涉爆、有限空间作业",
        "status": str(Enterprise.Status.NORMAL.label),
    }
    return [values[c.key] for c in IMPORT_COLUMNS]


def is_example_row(values: dict[str, str]) -> bool:
    """The template's example row is skipped on import, so forgetting to delete it is harmless."""
    return values.get("uscc", "").upper() == EXAMPLE_USCC and values.get("name") == EXAMPLE_NAME


def render_import_template_xlsx(
    *, divisions: list[str], risk_tag_names: list[str], mappings: list[tuple[str, str, str]]
) -> Workbook:
    """Return the import template: the columns with an example row, valid values and instructions.

    ``mappings`` are (code prefix, industry, description) rows from the industry mapping.
    """
    headers = [c.label for c in IMPORT_COLUMNS]
    workbook = build_workbook(
        headers,
        [example_row(divisions[0] if divisions else "")],
        title=_("Enterprises"),
        text_columns=_text_indexes(IMPORT_COLUMNS),
    )
    data_sheet = workbook.active
    for cell in data_sheet[2]:
        cell.font = Font(italic=True, color="808080")

    industry_labels = dict(Industry.choices)
    lists = {
        "region": divisions,
        "scale": [str(label) for label in Enterprise.Scale.labels],
        "status": [str(label) for label in Enterprise.Status.labels],
        "risk_tags": risk_tag_names,
    }
    value_headers = [
        _("County-level division"),
        _("Scale"),
        _("Status"),
        _("Special risks"),
        _("GB/T 4754 code prefix"),
        _("Sector"),
        _("Industry"),
    ]
    columns = [
        lists["region"],
        lists["scale"],
        lists["status"],
        lists["risk_tags"],
        [m[0] for m in mappings],
        [m[2] for m in mappings],
        [str(industry_labels.get(m[1], m[1])) for m in mappings],
    ]
    depth = max(len(col) for col in columns) if columns else 0
    rows = [[col[i] if i < len(col) else None for col in columns] for i in range(depth)]
    values_sheet = add_sheet(workbook, _("Valid values"), value_headers, rows, text_columns=[4])

    # Drop-down lists on the data sheet for the columns with fixed values.
    for key, source_col in (("region", "A"), ("scale", "B"), ("status", "C")):
        if not lists[key]:
            continue
        target_col = get_column_letter([c.key for c in IMPORT_COLUMNS].index(key) + 1)
        source = f"'{values_sheet.title}'!${source_col}$2:${source_col}${len(lists[key]) + 1}"
        validation = DataValidation(type="list", formula1=source, allow_blank=True)
        validation.error = _("Choose a value from the list.")
        validation.showErrorMessage = True
        data_sheet.add_data_validation(validation)
        validation.add(f"{target_col}2:{target_col}5000")

    notes = workbook.create_sheet(sheet_title(_("Instructions")))
    lines = [
        _("How to fill in this template"),
        _("One enterprise per row on the first sheet; keep the heading row as it is."),
        _(
            "Required: unified social credit code (18 characters), enterprise name, county-level division, scale and GB/T 4754 industry code (2 to 4 digits)."
        ),
        _("The industry is derived from the GB/T 4754 code; see the sheet of valid values."),
        _("Separate several special risks with 、 or a comma."),
        _("Row 2 is an example and is skipped when importing; you may delete it."),
        _(
            "The import is all-or-nothing: if any row has a problem, nothing is imported and every problem is listed by row and column."
        ),
    ]
    for row_no, line in enumerate(lines, start=1):
        cell = set_cell(notes.cell(row=row_no, column=1), line)
        if row_no == 1:
            cell.font = Font(bold=True)
    notes.column_dimensions["A"].width = 100
    return workbook
