"""Removing an evidence file: draft sheets, the author only, audited; the stored file goes on commit."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from audit.models import AuditEvent
from standards.models import SheetEvidence
from standards.services import sheet_entry_clear, sheet_evidence_remove, sheet_submit
from standards.tests.evidence import CODE, attach, evidence_battery, scored_sheet

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _url(sheet, evidence) -> str:
    return reverse("standards:sheet_evidence_remove", args=[sheet.pk, evidence.pk])


def _zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return gettext(msgid)


@pytest.mark.parametrize(("persona", "status"), evidence_battery(200, editors_only=True))
def test_remove_access(login, personas, media, persona, status, django_capture_on_commit_callbacks):
    sheet = scored_sheet(personas)
    evidence = attach(personas, sheet)
    path = media / evidence.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = login(personas[persona]).post(_url(sheet, evidence), headers=HTMX)
    assert response.status_code == status
    assert SheetEvidence.objects.exists() == (status != 200)
    assert path.exists() == (status != 200)


def test_get_is_not_allowed(login, personas):
    sheet = scored_sheet(personas)
    evidence = attach(personas, sheet)
    assert login(personas.enterprise_user).get(_url(sheet, evidence)).status_code == 405


def test_removal_deletes_the_file_audits_and_returns_the_row(
    login, personas, media, django_capture_on_commit_callbacks
):
    sheet = scored_sheet(personas)
    kept = attach(personas, sheet, name="保留.jpg")
    evidence = attach(personas, sheet, name="删除.jpg")
    path = media / evidence.file.name
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = login(personas.enterprise_user).post(_url(sheet, evidence), headers=HTMX)
        assert path.exists()  # not before the commit: a rollback must still find it
    assert len(callbacks) == 1
    assert response.status_code == 200
    assert not path.exists() and (media / kept.file.name).exists()
    assert list(SheetEvidence.objects.values_list("pk", flat=True)) == [kept.pk]
    content = response.content.decode()
    assert (
        content.startswith('<article id="item-2-1-1"') and "保留.jpg" in content and "删除.jpg" not in content
    )
    event = AuditEvent.objects.get(action="sheet.evidence_remove", target_id=str(sheet.pk))
    assert event.data == {"item": CODE, "file": "删除.jpg", "sha256": evidence.sha256}


def test_a_second_click_is_404_and_changes_nothing(login, personas, django_capture_on_commit_callbacks):
    sheet = scored_sheet(personas)
    evidence = attach(personas, sheet)
    client = login(personas.enterprise_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(sheet, evidence), headers=HTMX)
    assert client.post(_url(sheet, evidence), headers=HTMX).status_code == 404
    assert AuditEvent.objects.filter(action="sheet.evidence_remove").count() == 1


def test_a_submitted_sheet_keeps_its_files(login, personas, media, django_capture_on_commit_callbacks):
    sheet = scored_sheet(personas)
    evidence = attach(personas, sheet)
    sheet_submit(actor=personas.enterprise_user, sheet=sheet)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(personas.enterprise_user).post(_url(sheet, evidence), headers=HTMX)
    assert _zh("This sheet has been submitted and can no longer be changed.") in response.content.decode()
    assert SheetEvidence.objects.filter(pk=evidence.pk).exists()
    assert (media / evidence.file.name).exists()


def test_the_service_refuses_anyone_but_the_author(personas):
    sheet = scored_sheet(personas)
    evidence = attach(personas, sheet)
    with pytest.raises(PermissionDenied):
        sheet_evidence_remove(actor=personas.city_officer, sheet=sheet, evidence=evidence)
    assert SheetEvidence.objects.filter(pk=evidence.pk).exists()


def test_a_rolled_back_removal_keeps_the_file(personas, media, django_capture_on_commit_callbacks):
    sheet = scored_sheet(personas)
    evidence = attach(personas, sheet)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        sheet_evidence_remove(actor=personas.enterprise_user, sheet=sheet, evidence=evidence)
        transaction.set_rollback(True)
    assert callbacks == []
    assert SheetEvidence.objects.filter(pk=evidence.pk).exists()
    assert (media / evidence.file.name).exists()


def test_clearing_the_item_deletes_its_files_too(personas, media, django_capture_on_commit_callbacks):
    sheet = scored_sheet(personas)
    evidence = attach(personas, sheet)
    path = media / evidence.file.name
    with django_capture_on_commit_callbacks(execute=True):
        sheet_entry_clear(actor=personas.enterprise_user, sheet=sheet, code=CODE)
    assert not SheetEvidence.objects.exists() and not path.exists()
    event = AuditEvent.objects.get(action="sheet.clear_item", target_id=str(sheet.pk))
    assert event.data["evidence"] == [{"file": evidence.original_name, "sha256": evidence.sha256}]
