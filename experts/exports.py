"""The pool's spreadsheets: the list export (ID numbers masked) and the import template.

The columns are defined once here; the import (experts.imports) reads the same headings.
Renderers take what a selector returned and build an openpyxl workbook without queries of
their own beyond what the selector preloaded.
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

from enterprises.models import Industry
from experts.models import Expert, Skill, Specialty
from lib.xlsx import add_sheet, build_workbook, set_cell, sheet_title

LIST_SEPARATOR = "、"


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a lazy translation
    text: bool = False  # ID numbers, codes and phone numbers: keep as text in Excel


COLUMNS = [
    Column("name", gettext_lazy("Name")),
    Column("gender", gettext_lazy("Gender")),
    Column("id_number", gettext_lazy("ID number"), text=True),
    Column("phone", gettext_lazy("Phone"), text=True),
    Column("employer", gettext_lazy("Employer")),
    Column("employer_uscc", gettext_lazy("Employer's unified social credit code"), text=True),
    Column("title", gettext_lazy("Professional title")),
    Column("registered_safety_engineer_number", gettext_lazy("Registered safety engineer number"), text=True),
    Column("years_of_experience", gettext_lazy("Years of experience")),
    Column("specialties", gettext_lazy("Specialties")),
    Column("industries", gettext_lazy("Industries")),
    Column("skills", gettext_lazy("Special skills")),
    Column("region", gettext_lazy("Division")),
    Column("can_lead", gettext_lazy("May lead a panel")),
    Column("term_until", gettext_lazy("Term ends")),
    Column("training_certificate_number", gettext_lazy("Training certificate number"), text=True),
    Column("status", gettext_lazy("Status")),
]
# The status is changed one expert at a time, with a reason; the training certificate
# number is added on the profile. Neither is imported.
EXPORT_ONLY = frozenset({"status", "training_certificate_number"})
IMPORT_COLUMNS = [c for c in COLUMNS if c.key not in EXPORT_ONLY]

EXAMPLE_NAME = "张示例"
EXAMPLE_ID_NUMBER = "21080219800101001X"  # not a valid number: the example row is skipped anyway


def column_labels(columns: Iterable[Column] = IMPORT_COLUMNS) -> dict[str, str]:
    """Return {key: heading} in the active language (for row errors)."""
    return {c.key: str(c.label) for c in columns}


def header_aliases(columns: Iterable[Column] = IMPORT_COLUMNS) -> dict[str, list[str]]:
    """Return {key: [heading in each UI language]}, so a template downloaded in either reads back."""
    columns = list(columns)
    aliases: dict[str, list[str]] = {c.key: [str(c.label)] for c in columns}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for c in columns:
                if str(c.label) not in aliases[c.key]:
                    aliases[c.key].append(str(c.label))
    return aliases


def _text_indexes(columns: list[Column]) -> list[int]:
    return [i for i, c in enumerate(columns) if c.text]


def _labels(choices, codes: list[str]) -> str:
    names = dict(choices.choices)
    return LIST_SEPARATOR.join(str(names.get(code, code)) for code in codes or [])


def yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def export_row(expert: Expert) -> list[Any]:
    """Return one list row, the ID number masked; uses the selector's select_related only."""
    return [
        expert.name,
        expert.get_gender_display(),
        expert.masked_id_number,
        expert.phone,
        expert.employer,
        expert.employer_uscc,
        expert.title,
        expert.registered_safety_engineer_number,
        expert.years_of_experience,
        _labels(Specialty, expert.specialties),
        _labels(Industry, expert.industries),
        _labels(Skill, expert.skills),
        expert.region.name if expert.region else "",
        yes_no(expert.can_lead),
        expert.term_until,
        expert.training_certificate_number,
        expert.get_status_display(),
    ]


def render_expert_list_xlsx(experts: Iterable[Expert]) -> Workbook:
    """Return the workbook of an expert list (the filtered, scoped selector result)."""
    workbook = build_workbook(
        [c.label for c in COLUMNS],
        (export_row(e) for e in experts),
        title=_("Experts"),
        text_columns=_text_indexes(COLUMNS),
    )
    column = get_column_letter([c.key for c in COLUMNS].index("term_until") + 1)
    for cell in workbook.active[column][1:]:
        cell.number_format = "yyyy-mm-dd"
    return workbook


def example_row(division: str) -> list[Any]:
    values = {
        "name": EXAMPLE_NAME,
        "gender": str(Expert.Gender.MALE.label),
        "id_number": EXAMPLE_ID_NUMBER,
        "phone": "13800000000",
        "employer": "营口示例安全技术咨询有限公司",
        "employer_uscc": "",
        "title": "高级工程师",
        "registered_safety_engineer_number": "",
        "years_of_experience": 12,
        "specialties": LIST_SEPARATOR.join(
            str(s.label) for s in (Specialty.SAFETY_MANAGEMENT, Specialty.EQUIPMENT_FACILITIES)
        ),
        "industries": str(Industry.MACHINERY.label),
        "skills": str(Skill.DUST_EXPLOSION.label),
        "region": division,
        "can_lead": yes_no(False),
        "term_until": "2028-12-31",
    }
    return [values[c.key] for c in IMPORT_COLUMNS]


def is_example_row(values: dict[str, str]) -> bool:
    """The template's example row is skipped on import, so forgetting to delete it is harmless."""
    return values.get("id_number", "").upper() == EXAMPLE_ID_NUMBER and values.get("name") == EXAMPLE_NAME


def render_import_template_xlsx(*, divisions: list[str]) -> Workbook:
    """Return the import template: the columns with an example row, valid values and instructions."""
    workbook = build_workbook(
        [c.label for c in IMPORT_COLUMNS],
        [example_row(divisions[0] if divisions else "")],
        title=_("Experts"),
        text_columns=_text_indexes(IMPORT_COLUMNS),
    )
    data_sheet = workbook.active
    for cell in data_sheet[2]:
        cell.font = Font(italic=True, color="808080")

    lists = {
        "gender": [str(label) for label in Expert.Gender.labels],
        "region": divisions,
        "can_lead": [yes_no(True), yes_no(False)],
        "specialties": [str(label) for label in Specialty.labels],
        "industries": [str(label) for label in Industry.labels],
        "skills": [str(label) for label in Skill.labels],
    }
    keys = list(lists)
    value_headers = [column_labels()[key] for key in keys]
    depth = max(len(values) for values in lists.values())
    rows = [[lists[key][i] if i < len(lists[key]) else None for key in keys] for i in range(depth)]
    values_sheet = add_sheet(workbook, _("Valid values"), value_headers, rows)

    # Drop-down lists on the data sheet for the one-value columns.
    for key in ("gender", "region", "can_lead"):
        if not lists[key]:
            continue
        source_col = get_column_letter(keys.index(key) + 1)
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
        _("One expert per row on the first sheet; keep the heading row as it is."),
        _("Required: name, gender and the 18-character resident ID number."),
        _(
            "Separate several specialties, industries or special skills with 、; see the sheet of valid values."
        ),
        _("A registered safety engineer number marks the expert as a registered safety engineer."),
        _("Dates as 2028-12-31. May lead a panel: Yes or No."),
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
