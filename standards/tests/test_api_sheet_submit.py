"""POST /api/v1/sheets/{id}/submit."""

from accounts.tests.api_helpers import assert_error
from audit.models import AuditEvent
from standards.models import ScoreSheet
from standards.tests.sheet_examples import example_b_sheet


def test_submit_freezes_the_sheet(login, personas):
    sheet = example_b_sheet(personas)
    client = login(personas.enterprise_user)
    response = client.post(f"/api/v1/sheets/{sheet.pk}/submit")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "submitted" and body["can_edit"] is False
    assert body["result"]["percentage"] == "83.1"
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.SUBMITTED
    assert AuditEvent.objects.filter(action="sheet.submit", target_id=str(sheet.pk)).count() == 1


def test_a_second_submit_is_409_and_changes_nothing(login, personas):
    sheet = example_b_sheet(personas)
    client = login(personas.enterprise_user)
    client.post(f"/api/v1/sheets/{sheet.pk}/submit")
    assert_error(client.post(f"/api/v1/sheets/{sheet.pk}/submit"), 409, "sheet_not_draft")
    assert AuditEvent.objects.filter(action="sheet.submit", target_id=str(sheet.pk)).count() == 1


def test_submit_is_post_only(login, personas):
    sheet = example_b_sheet(personas)
    response = login(personas.enterprise_user).get(f"/api/v1/sheets/{sheet.pk}/submit")
    assert response.status_code == 405
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.DRAFT
