import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lib.uploads import check_upload


def test_a_real_pdf_is_accepted_with_its_hash():
    checked = check_upload(SimpleUploadedFile("整改报告.pdf", b"%PDF-1.7\n...%%EOF"))
    assert checked.kind.code == "pdf"
    assert len(checked.sha256) == 64


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("report.pdf", b"MZ\x90\x00\x03 this is a windows exe", "bad_type"),  # an .exe renamed .pdf
        ("photo.jpg", b"%PDF-1.7", "bad_type"),  # content and name disagree
        ("empty.pdf", b"", "empty"),
        ("big.pdf", b"%PDF-" + b"0" * 2048, "too_large"),
    ],
)
def test_wrong_files_are_refused_with_a_reason(name, content, code):
    with pytest.raises(ValidationError) as exc:
        check_upload(SimpleUploadedFile(name, content), max_bytes=1024)
    assert exc.value.code == code
    assert name in exc.value.messages[0]
