import pytest
from django.urls import reverse

from audit.models import AuditEvent
from standards.models import ScoreSheet
from standards.tests.pages import preview_sheet, sheet_battery


def _url(sheet) -> str:
    return reverse("standards:sheet_submit", args=[sheet.pk])


@pytest.mark.parametrize(("persona", "status"), sheet_battery(302, editors_only=True))
def test_submit_access(login, personas, persona, status):
    sheet = preview_sheet(personas)
    response = login(personas[persona]).post(_url(sheet))
    assert response.status_code == status
    sheet.refresh_from_db()
    assert (sheet.status == ScoreSheet.Status.SUBMITTED) == (persona == "enterprise_user")


def test_get_is_not_allowed(login, personas):
    sheet = preview_sheet(personas)
    assert login(personas.enterprise_user).get(_url(sheet)).status_code == 405
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.DRAFT


def test_submitting_twice_makes_one_transition(login, personas):
    sheet = preview_sheet(personas)
    client = login(personas.enterprise_user)
    first = client.post(_url(sheet))
    assert first["Location"] == reverse("standards:sheet_detail", args=[sheet.pk])
    second = client.post(_url(sheet), follow=True)
    assert [m.level_tag for m in second.context["messages"]][-1] == "info"
    assert AuditEvent.objects.filter(action="sheet.submit", target_id=str(sheet.pk)).count() == 1
    sheet.refresh_from_db()
    assert sheet.status == ScoreSheet.Status.SUBMITTED
    assert second.context["can_edit"] is False
