import pytest

from accounts.tests.battery import admins_only
from accounts.tests.factories import region
from audit.models import AuditEvent


def _url(r) -> str:
    return f"/accounts/regions/{r.pk}/"


@pytest.mark.parametrize(("persona", "status"), admins_only())
def test_region_edit_access(client, personas, login, persona, status):
    assert login(personas[persona]).get(_url(region("站前区"))).status_code == status


def test_unknown_region_is_404(client, personas, login):
    assert login(personas.admin).get("/accounts/regions/999999/").status_code == 404


def test_renaming_and_deactivating(client, personas, login):
    division = region("老边区")
    response = login(personas.admin).post(
        _url(division),
        {
            "code": division.code,
            "name": "老边区（新）",
            "level": "county",
            "parent": division.parent_id,
            "sort_order": division.sort_order,
        },
    )
    assert response.status_code == 302
    division.refresh_from_db()
    assert division.name == "老边区（新）"
    assert not division.is_active
    event = AuditEvent.objects.get(action="region.update")
    assert set(event.data["changes"]) == {"name", "is_active"}


def test_a_region_cannot_go_under_its_own_child(client, personas, login):
    from accounts.services import region_save

    division = region("站前区")
    town = region_save(
        actor=personas.admin, region=None, code="210802001", name="建设街道", level="town", parent=division
    )
    response = login(personas.admin).post(
        _url(division),
        {
            "code": division.code,
            "name": division.name,
            "level": "town",
            "parent": town.pk,
            "sort_order": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
