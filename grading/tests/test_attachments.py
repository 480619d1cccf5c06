"""Attachments: checked by content, refused with a message naming the file, nothing kept on refusal.

A replacement is a new version; the old one is superseded and stays listed. MEDIA_ROOT is a
temporary directory per test, so "nothing stored" can be checked on disk.
"""

import hashlib
from functools import partial

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext

from audit.models import AuditEvent
from grading import services
from grading.models import Attachment, RequiredDocument, Status
from grading.selectors import current_attachments
from grading.tests.factories import PDF_BYTES, advance, make_application, pdf_file
from lib.uploads import DEFAULT_MAX_BYTES, EVIDENCE_KINDS, check_upload

pytestmark = pytest.mark.django_db

EXE_BYTES = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run in DOS mode."
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def application(personas):
    return make_application(personas)


@pytest.fixture
def licence():
    return RequiredDocument.objects.get(code="business_licence")


def stored_files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def add(personas, application, document, file):
    return services.attachment_add(
        actor=personas.enterprise_user, application=application, document=document, file=file
    )


def assert_refused(personas, application, document, file, message, media):
    with pytest.raises(ValidationError) as exc:
        add(personas, application, document, file)
    assert exc.value.message_dict == {"file": [message]}
    assert not Attachment.objects.filter(application=application).exists()
    assert stored_files(media) == []
    assert not AuditEvent.objects.filter(action="application.attachment_add").exists()


def test_an_exe_named_pdf_is_refused(personas, application, licence, media):
    allowed = "、".join(str(k.label) for k in EVIDENCE_KINDS)
    message = gettext(
        "%(name)s is not an accepted file: its content is not one of %(allowed)s, whatever its name says."
    ) % {"name": "licence.pdf", "allowed": allowed}
    exe = SimpleUploadedFile("licence.pdf", EXE_BYTES, content_type="application/pdf")
    assert_refused(personas, application, licence, exe, message, media)


def test_an_empty_file_is_refused(personas, application, licence, media):
    message = gettext("%(name)s is empty.") % {"name": "营业执照.pdf"}
    assert_refused(personas, application, licence, SimpleUploadedFile("营业执照.pdf", b""), message, media)


def test_an_oversize_file_is_refused(personas, application, licence, media, monkeypatch):
    # attachment_add uses lib.uploads' default limit; a smaller one keeps the test light.
    monkeypatch.setattr(services, "check_upload", partial(check_upload, max_bytes=1024 * 1024))
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * (1536 * 1024 - len(PDF_BYTES)))
    message = gettext("%(name)s is %(size)s MB; the limit is %(limit)s MB.") % {
        "name": "big.pdf",
        "size": 1.5,
        "limit": 1.0,
    }
    assert_refused(personas, application, licence, big, message, media)


def test_the_default_limit_is_twenty_megabytes(personas, application, licence, media):
    assert DEFAULT_MAX_BYTES == 20 * 1024 * 1024
    big = SimpleUploadedFile("scan.pdf", PDF_BYTES + b"0" * (DEFAULT_MAX_BYTES + 1 - len(PDF_BYTES)))
    message = gettext("%(name)s is %(size)s MB; the limit is %(limit)s MB.") % {
        "name": "scan.pdf",
        "size": 20.0,
        "limit": 20.0,
    }
    assert_refused(personas, application, licence, big, message, media)
    exact = SimpleUploadedFile("scan.pdf", PDF_BYTES + b"0" * (DEFAULT_MAX_BYTES - len(PDF_BYTES)))
    assert add(personas, application, licence, exact).size == DEFAULT_MAX_BYTES


def test_a_refused_replacement_leaves_the_current_version(personas, application, licence, media):
    first = add(personas, application, licence, pdf_file("营业执照.pdf"))
    files = stored_files(media)
    with pytest.raises(ValidationError):
        add(personas, application, licence, SimpleUploadedFile("new.pdf", EXE_BYTES))
    first.refresh_from_db()
    assert first.superseded_at is None
    assert list(Attachment.objects.filter(application=application)) == [first]
    assert stored_files(media) == files


def test_a_valid_pdf_is_stored_with_its_hash(personas, application, licence, media):
    attachment = add(personas, application, licence, pdf_file("营业执照.pdf"))
    assert (attachment.version, attachment.extension, attachment.original_name) == (1, ".pdf", "营业执照.pdf")
    assert attachment.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert attachment.size == len(PDF_BYTES)
    assert stored_files(media) == [f"grading/{application.pk}/{attachment.sha256[:16]}.pdf"]
    with attachment.file.open("rb") as fh:
        assert fh.read() == PDF_BYTES
    event = AuditEvent.objects.get(action="application.attachment_add")
    assert event.data["sha256"] == attachment.sha256
    assert event.data["version"] == 1


def test_a_new_upload_replaces_the_previous_version(personas, application, licence, media):
    first = add(personas, application, licence, pdf_file("营业执照.pdf"))
    second_bytes = PDF_BYTES.replace(b"%%EOF", b"% v2\n%%EOF")
    second = add(personas, application, licence, SimpleUploadedFile("营业执照-新.pdf", second_bytes))
    first.refresh_from_db()
    assert second.version == 2
    assert second.superseded_at is None
    assert first.superseded_at is not None
    # Both versions stay on disk and in the list, the current one first.
    assert len(stored_files(media)) == 2
    versions = dict((d.code, rows) for d, rows in current_attachments(application))["business_licence"]
    assert [(a.version, a.superseded_at is None) for a in versions] == [(2, True), (1, False)]
    assert AuditEvent.objects.filter(action="application.attachment_add").count() == 2
    # Only the current version counts for the file.
    current = application.attachments.filter(document=licence, superseded_at__isnull=True)
    assert list(current) == [second]


def test_outsiders_and_closed_states_cannot_upload(personas, application, licence, media):
    with pytest.raises(PermissionDenied):
        services.attachment_add(
            actor=personas.other_enterprise_user, application=application, document=licence, file=pdf_file()
        )
    with pytest.raises(PermissionDenied):
        services.attachment_add(
            actor=personas.county_officer, application=application, document=licence, file=pdf_file()
        )
    advance(application, personas, Status.COUNTY_REVIEW)  # files everything, then submits
    before = (Attachment.objects.count(), stored_files(media))
    with pytest.raises(PermissionDenied):
        add(personas, application, licence, pdf_file())
    assert (Attachment.objects.count(), stored_files(media)) == before


def test_an_inactive_document_kind_is_refused(personas, application, licence, media):
    licence.is_active = False
    licence.save()
    with pytest.raises(ValidationError) as exc:
        add(personas, application, licence, pdf_file())
    assert exc.value.message_dict == {"document": [gettext("Choose one of the listed documents.")]}
    assert stored_files(media) == []
