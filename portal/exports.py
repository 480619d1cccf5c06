"""The management list of articles as an Excel workbook. No queries of its own."""

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from lib.xlsx import build_workbook
from portal.models import Article

HEADERS = [
    gettext_lazy("Category"),
    gettext_lazy("Title"),
    gettext_lazy("Summary"),
    gettext_lazy("Status"),
    gettext_lazy("Published"),
    gettext_lazy("Author"),
    gettext_lazy("Attachments"),
    gettext_lazy("Last changed"),
]
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def _local(value):
    return timezone.localtime(value) if value else None


def export_row(article: Article) -> list[Any]:
    """One row; uses the selector's select_related and ``attachment_count`` annotation only."""
    author = article.author
    return [
        article.get_category_display(),
        article.title,
        article.summary,
        article.get_status_display(),
        _local(article.published_at),
        author.get_full_name() or author.get_username(),
        getattr(article, "attachment_count", None),
        _local(article.updated_at),
    ]


def render_article_list_xlsx(articles: Iterable[Article]) -> Workbook:
    rows = [export_row(a) for a in articles]
    workbook = build_workbook(HEADERS, rows, title=_("Articles"))
    sheet = workbook.active
    for row_no in range(2, len(rows) + 2):
        for col in (5, 8):
            sheet.cell(row=row_no, column=col).number_format = DATETIME_FORMAT
    return workbook
