"""A dashboard figure as an Excel workbook: one sheet per table, the rows the page shows."""

from openpyxl import Workbook

from dashboard.figures import Figure, Table
from lib.xlsx import add_sheet


def table_rows(table: Table) -> list[list]:
    """The rows of a table as exported: the body, then the totals row if any."""
    return [*table.rows, *([table.footer] if table.footer else [])]


def render_figure_xlsx(figure: Figure) -> Workbook:
    """Return a workbook with a sheet per table of ``figure`` (headings, rows, totals)."""
    workbook = Workbook()
    for index, table in enumerate(figure.tables):
        title = table.title or figure.title
        if len(figure.tables) > 1 and not table.title:
            title = f"{figure.title} {index + 1}"
        add_sheet(
            workbook,
            title,
            [str(h) for h in table.headers],
            table_rows(table),
            sheet=workbook.active if index == 0 else None,
        )
    return workbook
