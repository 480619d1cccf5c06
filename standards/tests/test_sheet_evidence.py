import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from standards.models import ScoreSheet, SheetEvidence
from standards.services import DeductionIn, EntryIn, sheet_create, sheet_entries_save, sheet_evidence_add
from standards.tests.factories import published_warehousing


@pytest.fixture
def sheet(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    standard = published_warehousing(personas.city_officer)
    sheet = sheet_create(actor=personas.enterprise_user, standard=standard, kind=ScoreSheet.Kind.PREVIEW)
    sheet_entries_save(
        actor=personas.enterprise_user,
        sheet=sheet,
        entries=[EntryIn("6.2.1", deductions=(DeductionIn("1", "货架无限重标识", is_hazard=True),))],
    )
    return sheet


def test_evidence_is_stored_by_hash_and_survives_editing_the_deductions(personas, sheet):
    photo = SimpleUploadedFile("现场照片.jpg", b"\xff\xd8\xff\xe0" + b"jpegdata")
    evidence = sheet_evidence_add(
        actor=personas.enterprise_user, sheet=sheet, code="6.2.1", file=photo, deduction_index=0
    )
    assert evidence.file.name.startswith(f"evidence/{evidence.sha256[:2]}/")
    assert evidence.deduction is not None
    sheet_entries_save(
        actor=personas.enterprise_user,
        sheet=sheet,
        entries=[EntryIn("6.2.1", deductions=(DeductionIn("2", "货架无限重标识两处"),))],
    )
    evidence.refresh_from_db()
    assert evidence.deduction is None
    assert SheetEvidence.objects.filter(entry__sheet=sheet, entry__item__code="6.2.1").count() == 1


def test_a_renamed_executable_is_refused_and_nothing_is_stored(personas, sheet):
    fake = SimpleUploadedFile("照片.jpg", b"MZ\x90\x00 not an image")
    with pytest.raises(ValidationError):
        sheet_evidence_add(actor=personas.enterprise_user, sheet=sheet, code="6.2.1", file=fake)
    assert not SheetEvidence.objects.exists()


def test_evidence_needs_a_scored_item(personas, sheet):
    with pytest.raises(ValidationError):
        sheet_evidence_add(
            actor=personas.enterprise_user,
            sheet=sheet,
            code="1.1.1",
            file=SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
        )
