"""The accident list as an Excel workbook. Renders what the selector returned; no queries of its own."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from accidents.models import Accident
from lib.xlsx import build_workbook

MONEY_FORMAT = "#,##0.00"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a lazy translation
    text: bool = False  # codes: keep as text in Excel


COLUMNS = [
    Column("occurred_at", gettext_lazy("Occurred at")),
    Column("enterprise", gettext_lazy("Enterprise name")),
    Column("uscc", gettext_lazy("Unified social credit code"), text=True),
    Column("region", gettext_lazy("County-level division")),
    Column("place", gettext_lazy("Place")),
    Column("accident_type", gettext_lazy("Accident type")),
    Column("deaths", gettext_lazy("Deaths")),
    Column("serious_injuries", gettext_lazy("Serious injuries")),
    Column("minor_injuries", gettext_lazy("Minor injuries")),
    Column("direct_loss_yuan", gettext_lazy("Direct economic loss (yuan)")),
    Column("grade", gettext_lazy("Grade")),
    Column("computed_grade", gettext_lazy("Computed grade")),
    Column("grade_override_reason", gettext_lazy("Reason for the grade")),
    Column("reporting_violation", gettext_lazy("Reporting")),
    Column("reported_at", gettext_lazy("Reported at")),
    Column("description", gettext_lazy("Description")),
    Column("recorded_by", gettext_lazy("Recorded by")),
]
_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}
SUMMED = ("deaths", "serious_injuries", "minor_injuries", "direct_loss_yuan")


def _local(value):
    return timezone.localtime(value) if value else None


def export_row(accident: Accident) -> list[Any]:
    """Return one row; uses the selector's select_related only."""
    enterprise = accident.enterprise
    recorder = accident.recorded_by
    return [
        _local(accident.occurred_at),
        enterprise.name,
        enterprise.uscc,
        enterprise.region.name,
        accident.place,
        accident.get_accident_type_display(),
        accident.deaths,
        accident.serious_injuries,
        accident.minor_injuries,
        accident.direct_loss_yuan,
        accident.get_effective_grade_display(),
        accident.get_grade_display(),
        accident.grade_override_reason,
        accident.get_reporting_violation_display(),
        _local(accident.reported_at),
        accident.description,
        recorder.get_full_name() or recorder.get_username(),
    ]


def render_accident_list_xlsx(accidents: Iterable[Accident]) -> Workbook:
    """Return the workbook of an accident list (the filtered, scoped selector result) with a totals row."""
    rows = [export_row(a) for a in accidents]
    totals: list[Any] = [None] * len(COLUMNS)
    totals[0] = _("Total")
    for key in SUMMED:
        totals[_INDEX[key]] = sum(
            (row[_INDEX[key]] for row in rows), Decimal(0) if key == "direct_loss_yuan" else 0
        )
    workbook = build_workbook(
        [c.label for c in COLUMNS],
        [*rows, totals],
        title=_("Accidents"),
        text_columns=[i for i, c in enumerate(COLUMNS) if c.text],
    )
    sheet = workbook.active
    last = len(rows) + 2
    for row_no in range(2, last + 1):
        sheet.cell(row=row_no, column=_INDEX["direct_loss_yuan"] + 1).number_format = MONEY_FORMAT
        for key in ("occurred_at", "reported_at"):
            sheet.cell(row=row_no, column=_INDEX[key] + 1).number_format = DATETIME_FORMAT
    for cell in sheet[last]:
        cell.font = Font(bold=True)
    return workbook
