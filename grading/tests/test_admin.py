"""The admin: system admins configure the required documents (audited); applications read-only."""

import pytest

from audit.models import AuditEvent
from grading.models import RequiredDocument
from grading.tests.factories import make_application

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/grading/requireddocument/"


def test_a_system_admin_opens_the_required_documents(login, personas):
    response = login(personas.admin).get(CHANGELIST)
    assert response.status_code == 200
    assert "营业执照" in response.content.decode()


@pytest.mark.parametrize(
    "persona", ["city_officer", "city_chief", "county_officer", "enterprise_user", "expert", "anonymous"]
)
def test_nobody_else_reaches_the_admin(login, personas, persona):
    client = login(personas[persona])
    for url in ("/admin/", CHANGELIST):
        response = client.get(url)
        assert response.status_code == 302
        # A login page (the admin's own, or the site's for anonymous deep links), never the page.
        assert response["Location"].startswith(("/admin/login/", "/accounts/login/"))


def test_the_admin_changes_a_document_and_the_change_is_audited(login, personas):
    document = RequiredDocument.objects.get(code="permits")
    client = login(personas.admin)
    response = client.post(
        f"{CHANGELIST}{document.pk}/change/",
        {
            "name": "安全生产许可证",
            "description": document.description,
            "required": "on",
            "industries": ["metallurgy", "nonferrous"],
            "sort_order": 15,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content
    document.refresh_from_db()
    assert (document.name, document.required, document.industries) == (
        "安全生产许可证",
        True,
        ["metallurgy", "nonferrous"],
    )
    event = AuditEvent.objects.get(action="required_document.admin_update")
    assert event.data["changes"]["name"] == ["许可证照", "安全生产许可证"]


def test_the_admin_adds_a_document_but_deletes_none(login, personas):
    client = login(personas.admin)
    response = client.post(
        f"{CHANGELIST}add/",
        {
            "code": "dust_report",
            "name": "粉尘涉爆评估报告",
            "description": "",
            "sort_order": 80,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content
    added = RequiredDocument.objects.get(code="dust_report")
    assert not added.required and added.industries == []
    assert AuditEvent.objects.filter(action="required_document.admin_create").exists()
    assert client.get(f"{CHANGELIST}{added.pk}/delete/").status_code == 403


def test_applications_are_read_only_in_the_admin(login, personas):
    application = make_application(personas)
    client = login(personas.admin)
    response = client.get("/admin/grading/gradingapplication/", {"q": application.number})
    assert response.status_code == 200
    assert application.number in response.content.decode()
    assert client.get("/admin/grading/gradingapplication/add/").status_code == 403
    change = client.get(f"/admin/grading/gradingapplication/{application.pk}/change/")
    assert change.status_code == 200
    assert b'name="_save"' not in change.content
