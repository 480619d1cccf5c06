"""The certificate list's Excel export: the columns of the list page, one row per certificate of
the filtered list, in the list's order.

The rows use only what the list selects (``certificate_list`` with the enterprise's region
joined and the ``state`` annotation): no query per row. User text goes through
``lib.xlsx.set_cell`` (never a formula).
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from lib.xlsx import build_workbook
from results.models import Certificate
from results.selectors import state_label

CERTIFICATE_COLUMNS = [
    gettext_lazy("Certificate number"),  # 证书编号
    gettext_lazy("Enterprise"),  # 企业名称
    gettext_lazy("USCC"),  # 统一社会信用代码
    gettext_lazy("Division"),  # 所属区县
    gettext_lazy("Industry"),  # 行业
    gettext_lazy("Grade"),  # 等级
    gettext_lazy("Issued on"),  # 发证日期
    gettext_lazy("Valid until"),  # 有效期至
    gettext_lazy("State"),  # 状态
    gettext_lazy("Announcement number"),  # 公告文号
]
DATE_COLUMNS = (7, 8)  # 1-based: issued on, valid until
TEXT_COLUMNS = (0, 2)  # 0-based: the number and the USCC stay text


def certificate_row(certificate: Certificate) -> list[Any]:
    """The cells of one certificate, as the list shows them (``state`` annotated by the selector)."""
    enterprise = certificate.enterprise
    return [
        certificate.number,
        certificate.enterprise_name,
        certificate.uscc,
        enterprise.region.name if enterprise.region_id else "",
        certificate.get_industry_display(),
        certificate.get_grade_level_display(),
        certificate.issued_on,
        certificate.expires_on,
        str(state_label(certificate.state)),
        certificate.announcement.document_number if certificate.announcement_id else "",
    ]


def render_certificates_xlsx(certificates: Iterable[Certificate]) -> Workbook:
    workbook = build_workbook(
        [str(label) for label in CERTIFICATE_COLUMNS],
        (certificate_row(c) for c in certificates),
        title=_("Certificates"),
        text_columns=TEXT_COLUMNS,
    )
    sheet = workbook.active
    for column in DATE_COLUMNS:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = "yyyy-mm-dd"
    return workbook


def certificates_filename(today: date | None = None) -> str:
    day = today or timezone.localdate()
    return _("Certificates %(date)s.xlsx") % {"date": day.strftime("%Y%m%d")}
