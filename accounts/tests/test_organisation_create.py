import pytest

from accounts.models import Organisation
from accounts.services import region_save
from accounts.tests.battery import admins_only
from accounts.tests.factories import region
from audit.models import AuditEvent

URL = "/accounts/organisations/new/"


@pytest.mark.parametrize(("persona", "status"), admins_only())
def test_organisation_create_access(client, personas, login, persona, status):
    assert login(personas[persona]).get(URL).status_code == status


def test_adding_another_citys_bureau(client, personas, login):
    admin = personas.admin
    dalian = region_save(
        actor=admin, region=None, code="210200", name="大连市", level="city", parent=region("辽宁省")
    )
    response = login(admin).post(
        URL,
        {
            "name": "大连市应急管理局",
            "kind": "city_bureau",
            "region": dalian.pk,
            "section": "工贸科",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    org = Organisation.objects.get(name="大连市应急管理局")
    assert (org.kind, org.region, org.section) == ("city_bureau", dalian, "工贸科")
    assert AuditEvent.objects.filter(action="organisation.create", target_id=str(org.pk)).exists()


def test_names_are_unique_per_kind_and_region(client, personas, login):
    response = login(personas.admin).post(
        URL,
        {
            "name": "站前区应急管理局",
            "kind": "county_bureau",
            "region": region("站前区").pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors


def test_non_admins_cannot_post(client, personas, login):
    response = login(personas.city_officer).post(
        URL, {"name": "假局", "kind": "county_bureau", "region": region("站前区").pk}
    )
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="假局").exists()
