from datetime import UTC, datetime

import pytest
import time_machine
from django.test import override_settings

from accounts.services import user_update
from accounts.tests.battery import BATTERY
from accounts.tests.factories import county_bureau
from audit.tests.helpers import audit_access, record

URL = "/audit/"


@pytest.mark.parametrize("persona", BATTERY)
def test_audit_list_access(client, personas, login, persona):
    assert login(personas[persona]).get(URL).status_code == audit_access(persona)


def _actions(response) -> list[str]:
    return [event.action for event, _details in response.context["rows"]]


def test_filters(client, personas, login):
    officer = personas.county_officer
    enterprise = personas.enterprise
    record(officer, "enterprise.update", enterprise, {"changes": {"address": ["", "站前路1号"]}})
    record(personas.city_officer, "enterprise.update", enterprise)
    record(officer, "user.password", officer)
    client = login(personas.admin)
    assert _actions(client.get(URL, {"action": "enterprise."})) == ["enterprise.update", "enterprise.update"]
    assert _actions(client.get(URL, {"actor": officer.full_name})) == ["user.password", "enterprise.update"]
    response = client.get(URL, {"target_type": "enterprises.enterprise", "target_id": enterprise.pk})
    assert len(response.context["rows"]) == 2
    assert _actions(client.get(URL, {"target_type": "accounts.user", "target_id": officer.pk})) == [
        "user.password"
    ]


def test_date_range_uses_beijing_days(client, personas, login):
    # 2026-03-01 17:00 UTC is 2026-03-02 01:00 in Beijing.
    with time_machine.travel(datetime(2026, 3, 1, 17, 0, tzinfo=UTC), tick=False):
        record(personas.county_officer, "late.event")
    with time_machine.travel(datetime(2026, 3, 5, 2, 0, tzinfo=UTC), tick=False):
        client = login(personas.admin)
        assert _actions(client.get(URL, {"date_from": "2026-03-02", "date_to": "2026-03-02"})) == [
            "late.event"
        ]
        assert _actions(client.get(URL, {"date_to": "2026-03-01", "action": "late."})) == []
        response = client.get(URL, {"action": "late."})
        assert "2026-03-02 01:00:00" in response.content.decode()  # shown in Beijing time


def test_an_inverted_date_range_is_an_error(client, personas, login):
    response = login(personas.admin).get(URL, {"date_from": "2026-03-05", "date_to": "2026-03-01"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_a_row_shows_who_what_and_the_changes_readably(client, personas, login):
    admin, target = personas.admin, personas.county_officer
    with_org = county_bureau("老边区")
    from django.db import transaction

    with transaction.atomic():
        user_update(
            actor=admin,
            user=target,
            role="county_chief",
            organisation=with_org,
            full_name=target.full_name,
            phone="",
            email=target.email,
            is_active=True,
        )
    response = login(personas.city_officer).get(URL, {"action": "user.update"})
    event, details = response.context["rows"][0]
    assert event.actor_repr == admin.full_name
    labels = dict(details)
    # Field names become their labels, choice values their labels, and old → new.
    role_label = str(type(target)._meta.get_field("role").verbose_name)
    assert role_label in labels
    assert "→" in labels[role_label]
    assert "county_chief" not in labels[role_label]
    content = response.content.decode()
    assert "老边区应急管理局" in content
    assert "127.0.0.1" in content or "—" in content


@override_settings(LIST_PAGE_SIZE=5)
def test_pagination(client, personas, login):
    for n in range(12):
        record(None, f"bulk.{n}")
    client = login(personas.admin)
    first = client.get(URL, {"action": "bulk."})
    assert first.context["page_obj"].paginator.num_pages == 3
    assert len(first.context["rows"]) == 5
    assert _actions(first)[0] == "bulk.11"  # newest first
    assert len(client.get(URL, {"action": "bulk.", "page": 3}).context["rows"]) == 2


def test_htmx_gets_the_table_fragment(client, personas, login):
    response = login(personas.admin).get(URL, headers={"HX-Request": "true"})
    assert response.templates[0].name == "audit/_event_table.html"


@pytest.mark.parametrize("rows", [2, 20])
def test_query_count_does_not_grow_with_rows(client, personas, login, django_assert_max_num_queries, rows):
    for n in range(rows):
        record(
            personas.county_officer,
            "enterprise.update",
            personas.enterprise,
            {"changes": {"address": ["", str(n)]}},
        )
    client = login(personas.admin)
    with django_assert_max_num_queries(10):
        assert client.get(URL).status_code == 200
