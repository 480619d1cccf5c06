"""Attaching a photo or PDF to a scored item from the scoring page (htmx, multipart)."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

import standards.services
from audit.models import AuditEvent
from standards.models import SheetEvidence
from standards.services import sheet_submit
from standards.tests.evidence import (
    CODE,
    EXE,
    JPEG,
    PDF,
    attach,
    evidence_battery,
    refusal,
    scored_sheet,
    upload,
)

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _url(sheet, code: str = CODE) -> str:
    return reverse("standards:sheet_evidence_add", args=[sheet.pk, code])


def _zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return gettext(msgid)


def _stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()]


@pytest.mark.parametrize(("persona", "status"), evidence_battery(200, editors_only=True))
def test_add_access(login, personas, media, persona, status):
    sheet = scored_sheet(personas)
    response = login(personas[persona]).post(_url(sheet), {"file": upload()}, headers=HTMX)
    assert response.status_code == status
    assert SheetEvidence.objects.exists() == (status == 200)
    assert bool(_stored_files(media)) == (status == 200)


def test_get_is_not_allowed(login, personas):
    sheet = scored_sheet(personas)
    assert login(personas.enterprise_user).get(_url(sheet)).status_code == 405


def test_a_photo_for_a_deduction_is_stored_and_shown_in_the_row(login, personas, media):
    sheet = scored_sheet(personas)
    response = login(personas.enterprise_user).post(
        _url(sheet), {"file": upload("货架照片.jpg"), "deduction_index": "1"}, headers=HTMX
    )
    assert response.status_code == 200
    evidence = SheetEvidence.objects.get()
    assert (evidence.original_name, evidence.size, evidence.entry.item.code) == (
        "货架照片.jpg",
        len(JPEG),
        CODE,
    )
    assert evidence.deduction.reason == "无任命文件"
    assert (media / evidence.file.name).read_bytes() == JPEG
    content = response.content.decode()
    # Only the row comes back: evidence changes no total.
    assert content.startswith('<article id="item-2-1-1"') and "hx-swap-oob" not in content
    assert "货架照片.jpg" in content
    assert reverse("standards:sheet_evidence_file", args=[sheet.pk, evidence.pk]) in content
    row = response.context["row"]
    assert [(e.evidence.pk, e.deduction_no) for e in row.evidence] == [(evidence.pk, 2)]
    assert 'data-testid="evidence-deduction"' in content
    assert AuditEvent.objects.filter(action="sheet.evidence_add", target_id=str(sheet.pk)).exists()


def test_a_pdf_for_the_whole_item(login, personas):
    sheet = scored_sheet(personas)
    response = login(personas.enterprise_user).post(
        _url(sheet), {"file": upload("任命文件.pdf", PDF)}, headers=HTMX
    )
    assert response.status_code == 200
    evidence = SheetEvidence.objects.get()
    assert evidence.deduction is None and evidence.extension == ".pdf"
    assert 'data-testid="evidence-deduction"' not in response.content.decode()


def test_a_photo_from_the_camera_input(login, personas):
    sheet = scored_sheet(personas)
    response = login(personas.enterprise_user).post(_url(sheet), {"photo": upload("image.jpg")}, headers=HTMX)
    assert response.status_code == 200
    assert SheetEvidence.objects.get().original_name == "image.jpg"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("照片.jpg", EXE),  # an executable renamed .jpg
        ("照片.pdf", EXE),
        ("照片.jpg", b""),  # empty
        ("说明.txt", b"plain text"),
    ],
)
def test_a_refused_file_is_named_in_the_row_and_nothing_is_stored(login, personas, media, name, content):
    sheet = scored_sheet(personas)
    response = login(personas.enterprise_user).post(
        _url(sheet), {"file": upload(name, content)}, headers=HTMX
    )
    assert response.status_code == 200
    content_html = response.content.decode()
    assert 'data-testid="evidence-errors"' in content_html
    assert escape(refusal(name, content)) in content_html
    assert 'data-testid="evidence-form"' in content_html  # to try again
    assert not SheetEvidence.objects.exists()
    assert not _stored_files(media)
    assert not AuditEvent.objects.filter(action="sheet.evidence_add").exists()


def test_a_file_over_20_mb_is_refused(login, personas, media):
    sheet = scored_sheet(personas)
    big = JPEG + b"\x00" * (20 * 1024 * 1024 + 1 - len(JPEG))
    response = login(personas.enterprise_user).post(
        _url(sheet), {"file": upload("大照片.jpg", big)}, headers=HTMX
    )
    assert escape(refusal("大照片.jpg", big)) in response.content.decode()
    assert not SheetEvidence.objects.exists() and not _stored_files(media)


def test_an_unscored_item_refuses_evidence(login, personas, media):
    sheet = scored_sheet(personas)
    response = login(personas.enterprise_user).post(_url(sheet, "1.1.1"), {"file": upload()}, headers=HTMX)
    assert response.status_code == 200
    assert _zh("Score the item before attaching evidence to it.") in response.content.decode()
    assert not SheetEvidence.objects.exists() and not _stored_files(media)


def test_a_deduction_the_item_does_not_have_is_refused(login, personas, media):
    sheet = scored_sheet(personas)
    response = login(personas.enterprise_user).post(
        _url(sheet), {"file": upload(), "deduction_index": "2"}, headers=HTMX
    )
    assert 'data-testid="evidence-errors"' in response.content.decode()
    assert not SheetEvidence.objects.exists() and not _stored_files(media)


def test_no_file_is_refused(login, personas):
    sheet = scored_sheet(personas)
    response = login(personas.enterprise_user).post(_url(sheet), {}, headers=HTMX)
    assert 'data-testid="evidence-errors"' in response.content.decode()
    assert not SheetEvidence.objects.exists()


def test_a_submitted_sheet_refuses_evidence(login, personas, media):
    sheet = scored_sheet(personas)
    sheet_submit(actor=personas.enterprise_user, sheet=sheet)
    response = login(personas.enterprise_user).post(_url(sheet), {"file": upload()}, headers=HTMX)
    content = response.content.decode()
    assert _zh("This sheet has been submitted and can no longer be changed.") in content
    assert 'data-testid="evidence-form"' not in content
    assert not SheetEvidence.objects.exists() and not _stored_files(media)


def test_an_unknown_item_is_404(login, personas, media):
    sheet = scored_sheet(personas)
    response = login(personas.enterprise_user).post(_url(sheet, "99.9.9"), {"file": upload()}, headers=HTMX)
    assert response.status_code == 404
    assert not _stored_files(media)


def test_without_htmx_an_upload_redirects_to_the_item(login, personas):
    sheet = scored_sheet(personas)
    response = login(personas.enterprise_user).post(_url(sheet), {"file": upload()})
    assert response.status_code == 302
    assert response["Location"] == reverse("standards:sheet_detail", args=[sheet.pk]) + "#item-2-1-1"


def test_without_htmx_a_refusal_shows_the_page_with_the_message_in_the_row(login, personas):
    sheet = scored_sheet(personas)
    response = login(personas.enterprise_user).post(_url(sheet), {"file": upload("照片.jpg", EXE)})
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('data-testid="evidence-errors"') == 1
    assert escape(refusal("照片.jpg", EXE)) in content
    assert '<details class="card mb-2 sheet-element" data-element="2" open>' in content


def test_a_failure_after_the_file_is_written_leaves_no_stray_file(personas, media, monkeypatch):
    sheet = scored_sheet(personas)

    def broken_audit(**kwargs):
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(standards.services, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        attach(personas, sheet)
    assert not SheetEvidence.objects.exists()
    assert not _stored_files(media)
