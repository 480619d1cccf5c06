"""Helpers for the evidence tests: files by content, a scored sheet, and the persona battery."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from lib.uploads import check_upload
from standards.models import ScoreSheet, SheetEvidence
from standards.services import DeductionIn, EntryIn, sheet_entries_save, sheet_evidence_add
from standards.tests.pages import preview_sheet, sheet_battery

CODE = "2.1.1"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"This program cannot be run in DOS mode." * 4


def upload(name: str = "现场照片.jpg", content: bytes = JPEG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def evidence_battery(ok: int, *, editors_only: bool) -> list[tuple[str, int]]:
    """Return sheet_battery plus a user of another enterprise, who must not learn the sheet exists."""
    return [*sheet_battery(ok, editors_only=editors_only), ("other_enterprise_user", 404)]


def scored_sheet(personas) -> ScoreSheet:
    """Return enterprise_user's draft sheet with item 2.1.1 scored with two deductions."""
    sheet = preview_sheet(personas)
    sheet_entries_save(
        actor=personas.enterprise_user,
        sheet=sheet,
        entries=[
            EntryIn(
                CODE,
                deductions=(
                    DeductionIn("3", "未任命安全管理人员", is_hazard=True),
                    DeductionIn("1", "无任命文件"),
                ),
            )
        ],
    )
    return sheet


def attach(personas, sheet, *, name: str = "现场照片.jpg", content: bytes = JPEG, **kwargs) -> SheetEvidence:
    return sheet_evidence_add(
        actor=personas.enterprise_user,
        sheet=sheet,
        code=kwargs.pop("code", CODE),
        file=upload(name, content),
        **kwargs,
    )


def refusal(name: str, content: bytes) -> str:
    """Return the Chinese message check_upload gives for this file."""
    with translation.override("zh-hans"):
        try:
            check_upload(upload(name, content))
        except ValidationError as exc:
            return exc.messages[0]
    raise AssertionError("the file was accepted")
