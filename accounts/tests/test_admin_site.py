"""Only system administrators reach the Django admin; staff status alone is not enough."""

import pytest

from accounts.tests.battery import BATTERY
from audit.models import AuditEvent


@pytest.mark.parametrize("persona", BATTERY)
def test_admin_index_access(client, personas, login, persona):
    response = login(personas[persona]).get("/admin/")
    if persona == "admin":
        assert response.status_code == 200
    else:  # the admin's own login page, which refuses anyone but a system admin
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_staff_flag_alone_is_not_enough(client, personas, login):
    officer = personas.city_officer
    officer.is_staff = True
    officer.is_superuser = True
    officer.save(update_fields=["is_staff", "is_superuser"])
    response = login(officer).get("/admin/", follow=True)
    assert response.redirect_chain[0][0].startswith("/admin/login/")
    assert "app_list" not in response.context  # the login page, not the index


def test_admin_sees_the_account_and_audit_models(client, personas, login):
    response = login(personas.admin).get("/admin/")
    content = response.content.decode()
    for url in (
        "/admin/accounts/user/",
        "/admin/accounts/region/",
        "/admin/accounts/organisation/",
        "/admin/accounts/apitoken/",
        "/admin/audit/auditevent/",
    ):
        assert url in content


def test_audit_events_are_read_only_in_the_admin(client, personas, login):
    client = login(personas.admin)
    event = AuditEvent.objects.order_by("-seq").first()  # the admin's login
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    response = client.get(f"/admin/audit/auditevent/{event.pk}/change/")
    assert response.status_code == 200
    assert b'name="_save"' not in response.content
    assert client.post(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_api_tokens_cannot_be_added_in_the_admin(client, personas, login):
    assert login(personas.admin).get("/admin/accounts/apitoken/add/").status_code == 403


def test_changing_a_user_in_the_admin_is_audited(client, personas, login):
    target = personas.county_officer
    client = login(personas.admin)
    response = client.get(f"/admin/accounts/user/{target.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and k not in ("password", "last_login", "date_joined")
    }
    data.update({"full_name": "新名字", "organisation": target.organisation_id, "is_active": "on"})
    response = client.post(f"/admin/accounts/user/{target.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    target.refresh_from_db()
    assert target.full_name == "新名字"
    event = AuditEvent.objects.get(action="user.update", target_id=str(target.pk))
    assert event.data["via"] == "admin"
    assert "full_name" in event.data["fields"]


def test_adding_a_town_in_the_admin_goes_through_region_save(client, personas, login):
    from accounts.models import Region

    division = Region.objects.get(name="站前区")
    response = login(personas.admin).post(
        "/admin/accounts/region/add/",
        {
            "code": "210802001",
            "name": "建设街道",
            "level": "town",
            "parent": division.pk,
            "sort_order": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    town = Region.objects.get(code="210802001")
    assert town.path == division.path + "210802001/"
    assert AuditEvent.objects.filter(action="region.create", target_id=str(town.pk)).exists()
