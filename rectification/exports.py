"""The ledger's Excel export (隐患整改台账), in the layout of issue 6.

Columns: 序号, 隐患描述, 等级, 依据条款, 整改要求, 整改措施, 责任人, 整改期限, 资金, 状态, 验收人,
验收日期 — headings through gettext (English msgids), one row per hazard of the filtered
ledger, in the ledger's order. The rows use only what ``rectification.selectors.ledger``
selects (no query per row); user text goes through ``lib.xlsx.set_cell`` (never a formula).
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from lib.xlsx import build_workbook
from rectification.models import Hazard
from rectification.services import hazard_is_overdue

LEDGER_COLUMNS = [
    gettext_lazy("No."),  # 序号
    gettext_lazy("Hazard description"),  # 隐患描述
    gettext_lazy("Hazard level"),  # 等级
    gettext_lazy("Basis clause"),  # 依据条款
    gettext_lazy("Rectification requirement"),  # 整改要求
    gettext_lazy("Rectification measures"),  # 整改措施
    gettext_lazy("Responsible person"),  # 责任人
    gettext_lazy("Rectification deadline"),  # 整改期限
    gettext_lazy("Funds"),  # 资金
    gettext_lazy("Status"),  # 状态
    gettext_lazy("Verified by"),  # 验收人
    gettext_lazy("Verification date"),  # 验收日期
]
DATE_COLUMNS = (8, 12)  # 1-based: 整改期限, 验收日期
FUNDS_COLUMN = 9


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _responsible(hazard: Hazard) -> str:
    if hazard.responsible_phone:
        return f"{hazard.responsible_name} {hazard.responsible_phone}".strip()
    return hazard.responsible_name


def _status(hazard: Hazard, today: date) -> str:
    label = hazard.get_status_display()
    overdue = getattr(hazard, "is_overdue", None)  # annotated by the ledger selector
    if overdue is None:
        overdue = hazard_is_overdue(hazard, today)
    if overdue:
        return _("%(status)s (overdue)") % {"status": label}
    return str(label)


def ledger_row(number: int, hazard: Hazard, today: date) -> list[Any]:
    return [
        number,
        hazard.description,
        hazard.get_level_display(),
        str(hazard.basis_clause) if hazard.basis_clause_id else "",
        hazard.requirement,
        hazard.measures,
        _responsible(hazard),
        hazard.deadline,
        hazard.funds,
        _status(hazard, today),
        _person(hazard.verified_by),
        timezone.localdate(hazard.verified_at) if hazard.verified_at else None,
    ]


def render_ledger_xlsx(hazards: Iterable[Hazard], today: date | None = None) -> Workbook:
    """The workbook of the ledger: one row per hazard, in the order given (the pages and the
    API share it). ``today``: the day overdue is judged on, when the rows are not annotated."""
    today = today or timezone.localdate()
    workbook = build_workbook(
        [str(label) for label in LEDGER_COLUMNS],
        (ledger_row(n, hazard, today) for n, hazard in enumerate(hazards, start=1)),
        title=_("Hazard ledger"),
    )
    sheet = workbook.active
    for column in DATE_COLUMNS:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = "yyyy-mm-dd"
    for (cell,) in sheet.iter_rows(min_row=2, min_col=FUNDS_COLUMN, max_col=FUNDS_COLUMN):
        cell.number_format = "#,##0.00"
    return workbook


def ledger_filename(today: date | None = None) -> str:
    day = today or timezone.localdate()
    return _("Hazard ledger %(date)s.xlsx") % {"date": day.strftime("%Y%m%d")}
