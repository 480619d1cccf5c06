"""Checking uploaded files by what they are, not by what they are called.

A file is accepted only when its leading bytes match one of the allowed kinds, it is not
empty and not over the size limit; an .exe renamed .pdf is refused. Messages are Chinese
(through gettext) and name the file, so a user knows which attachment to fix.
"""

import hashlib
import mimetypes
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.xlsx import content_disposition


@dataclass(frozen=True)
class FileKind:
    code: str
    label: str
    extensions: tuple[str, ...]
    signatures: tuple[bytes, ...]


PDF = FileKind("pdf", gettext_lazy("PDF document"), (".pdf",), (b"%PDF-",))
JPEG = FileKind("jpeg", gettext_lazy("JPEG image"), (".jpg", ".jpeg"), (b"\xff\xd8\xff",))
PNG = FileKind("png", gettext_lazy("PNG image"), (".png",), (b"\x89PNG\r\n\x1a\n",))
XLSX = FileKind("xlsx", gettext_lazy("Excel workbook"), (".xlsx",), (b"PK\x03\x04",))
DOCX = FileKind("docx", gettext_lazy("Word document"), (".docx",), (b"PK\x03\x04",))

EVIDENCE_KINDS = (PDF, JPEG, PNG)
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    kind: FileKind
    size: int
    sha256: str


def check_upload(file, *, kinds=EVIDENCE_KINDS, max_bytes: int = DEFAULT_MAX_BYTES) -> CheckedUpload:
    """Return the file's kind, size and SHA-256, or raise ValidationError saying what is wrong."""
    name = getattr(file, "name", "") or _("the file")
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    if size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name}, code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("%(name)s is %(size)s MB; the limit is %(limit)s MB.")
            % {"name": name, "size": round(size / 1048576, 1), "limit": round(max_bytes / 1048576, 1)},
            code="too_large",
        )
    file.seek(0)
    head = file.read(16)
    lower = name.lower()
    kind = next(
        (
            k
            for k in kinds
            if lower.endswith(k.extensions) and any(head.startswith(sig) for sig in k.signatures)
        ),
        None,
    )
    if kind is None:
        allowed = "、".join(str(k.label) for k in kinds)
        raise ValidationError(
            _(
                "%(name)s is not an accepted file: its content is not one of %(allowed)s, whatever its name says."
            )
            % {"name": name, "allowed": allowed},
            code="bad_type",
        )
    file.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(65536), b""):
        digest.update(chunk)
    file.seek(0)
    return CheckedUpload(name=name, kind=kind, size=size, sha256=digest.hexdigest())


def stored_file_response(file, filename: str) -> FileResponse:
    """Stream a stored upload as a download named ``filename`` (RFC 5987 for Chinese names).

    Always an attachment with the type of the stored name's extension (which ``check_upload``
    set from the content), and never cached by shared caches: the files are the users'.
    """
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    response = FileResponse(file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["Cache-Control"] = "private, no-store"
    return response
