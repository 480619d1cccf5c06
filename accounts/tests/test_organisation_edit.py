import pytest

from accounts.tests.battery import admins_only
from accounts.tests.factories import city_bureau
from audit.models import AuditEvent


def _url(org) -> str:
    return f"/accounts/organisations/{org.pk}/"


@pytest.mark.parametrize(("persona", "status"), admins_only())
def test_organisation_edit_access(client, personas, login, persona, status):
    assert login(personas[persona]).get(_url(city_bureau())).status_code == status


def test_unknown_organisation_is_404(client, personas, login):
    assert login(personas.admin).get("/accounts/organisations/999999/").status_code == 404


def test_renaming_the_section(client, personas, login):
    org = city_bureau()
    response = login(personas.admin).post(
        _url(org),
        {
            "name": org.name,
            "kind": org.kind,
            "region": org.region_id,
            "section": "工贸安全科",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.section == "工贸安全科"
    event = AuditEvent.objects.get(action="organisation.update")
    assert event.data["changes"] == {"section": ["制造业科", "工贸安全科"]}
