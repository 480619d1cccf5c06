"""Fixtures for the registry's view, export and import tests."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.tests.factories import region
from enterprises.exports import IMPORT_COLUMNS, column_labels
from enterprises.tests.factories import EnterpriseFactory, make_uscc
from lib.xlsx import build_workbook, workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Keep uploaded job files out of the repository."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def zhanqian_enterprise(db):
    """An enterprise in 站前区 that no persona's organisation owns."""
    return EnterpriseFactory(
        name="营口钢铁有限公司", short_name="营钢", gb4754_code="3120", industry="metallurgy"
    )


@pytest.fixture
def bayuquan_enterprise(db):
    return EnterpriseFactory(name="鲅鱼圈港口机械有限公司", region=region("鲅鱼圈区"))


def import_row(n: int, **overrides) -> dict:
    """Return a valid import row (by column key) for a 站前区 enterprise number ``n``."""
    row = {
        "uscc": make_uscc(900 + n),
        "name": f"营口导入{n}号有限公司",
        "short_name": "",
        "region": "站前区",
        "town": "",
        "address": "营口市站前区导入路1号",
        "legal_representative": "王五",
        "principal_name": "王五",
        "principal_phone": "13700000000",
        "safety_manager_name": "",
        "safety_manager_phone": "",
        "employee_count": "50",
        "scale": "below",
        "gb4754_code": "3484",
        "risk_tags": "",
        "status": "",
    }
    row.update(overrides)
    return row


def xlsx_upload(rows: list[dict], *, headers: list[str] | None = None, name: str = "企业导入.xlsx"):
    """Return an uploaded .xlsx with the import headings (or ``headers``) and the rows."""
    labels = column_labels()
    keys = [c.key for c in IMPORT_COLUMNS]
    heads = headers if headers is not None else [labels[k] for k in keys]
    workbook = build_workbook(heads, [[row.get(k, "") for k in keys] for row in rows])
    return SimpleUploadedFile(name, workbook_bytes(workbook), content_type=XLSX)


def open_xlsx(content: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(content))


def zh(message: str) -> str:
    """Return ``message`` as a user of the (default) Chinese UI sees it."""
    from django.utils import translation

    with translation.override("zh-hans"):
        return translation.gettext(message)
