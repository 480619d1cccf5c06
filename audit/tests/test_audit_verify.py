"""The "verify the chain" section of the audit page."""

import re

import pytest

from accounts.tests.battery import BATTERY
from audit.models import AuditEvent
from audit.tests.helpers import audit_access, record

URL = "/audit/verify/"


@pytest.mark.parametrize("persona", BATTERY)
def test_audit_verify_access(client, personas, login, persona):
    assert login(personas[persona]).get(URL).status_code == audit_access(persona)


def test_an_intact_chain(client, personas, login):
    for n in range(3):
        record(None, f"e.{n}")
    response = login(personas.admin).get(URL)
    status = response.context["status"]
    assert status.intact
    assert status.count == AuditEvent.objects.count()
    assert "alert-success" in response.content.decode()


def test_an_edited_row_is_named(client, personas, login):
    for n in range(3):
        record(None, f"e.{n}")
    AuditEvent.objects.filter(seq=2).update(action="e.tampered")
    response = login(personas.admin).get(URL, headers={"HX-Request": "true"})
    assert response.templates[0].name == "audit/_chain_status.html"
    status = response.context["status"]
    assert (status.broken.seq, status.broken.reason) == (2, "hash")
    assert status.event.action == "e.tampered"
    content = response.content.decode()
    assert "alert-danger" in content
    assert re.search(r"(?<!\d)2(?!\d)", content.split("alert-danger", 1)[1])


def test_the_page_has_the_button(client, personas, login):
    content = login(personas.city_officer).get("/audit/").content.decode()
    assert 'hx-get="/audit/verify/"' in content
