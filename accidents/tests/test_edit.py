"""Editing an accident: who may, the recomputed grade, the audited diff."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from accidents.services import accident_update
from audit.models import AuditEvent


def _url(accident) -> str:
    return reverse("accidents:edit", args=[accident.pk])


def _post_data(accident, **overrides) -> dict:
    data = {
        "enterprise": accident.enterprise_id,
        "occurred_at": "2026-03-02T09:30",
        "place": accident.place,
        "accident_type": accident.accident_type,
        "deaths": str(accident.deaths),
        "serious_injuries": str(accident.serious_injuries),
        "minor_injuries": str(accident.minor_injuries),
        "direct_loss_yuan": str(accident.direct_loss_yuan),
        "reported_at": "",
        "reporting_violation": accident.reporting_violation,
        "description": accident.description,
        "grade_override": "",
        "grade_override_reason": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("county_officer", 200),
        ("county_chief", 200),
        ("city_officer", 200),
        ("city_chief", 200),
        ("other_county_officer", 404),  # must not learn it exists
        ("enterprise_user", 404),  # another enterprise's accident
        ("expert", 404),
        ("bureau_leader", 403),  # sees it, read-only
        ("admin", 403),
        ("anonymous", 302),
    ],
)
def test_edit_page_access(login, personas, zhanqian_accident, persona, status):
    assert login(personas[persona]).get(_url(zhanqian_accident)).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("county_officer", 302),
        ("city_chief", 302),
        ("other_county_officer", 404),
        ("enterprise_user", 404),
        ("expert", 404),
        ("bureau_leader", 403),
        ("admin", 403),
        ("anonymous", 302),
    ],
)
def test_edit_post_access(login, personas, zhanqian_accident, persona, status):
    response = login(personas[persona]).post(
        _url(zhanqian_accident), _post_data(zhanqian_accident, deaths="1")
    )
    assert response.status_code == status
    zhanqian_accident.refresh_from_db()
    assert zhanqian_accident.deaths == (1 if persona in {"county_officer", "city_chief"} else 0)


def test_enterprise_user_may_not_edit_his_own_accident(login, personas, own_accident):
    assert login(personas.enterprise_user).get(_url(own_accident)).status_code == 403


def test_form_shows_the_current_values_in_beijing_time(login, personas, zhanqian_accident):
    html = login(personas.county_officer).get(_url(zhanqian_accident)).content.decode()
    assert 'value="2026-03-02T09:30"' in html
    assert f'<option value="{zhanqian_accident.enterprise_id}" selected>' in html


def test_editing_recomputes_the_grade_and_audits_the_diff(login, personas, zhanqian_accident):
    officer = personas.county_officer
    response = login(officer).post(
        _url(zhanqian_accident), _post_data(zhanqian_accident, deaths="10", place="轧钢车间")
    )
    assert response.status_code == 302
    zhanqian_accident.refresh_from_db()
    assert (zhanqian_accident.deaths, zhanqian_accident.grade) == (10, "major")
    event = AuditEvent.objects.get(action="accident.update")
    assert event.actor == officer
    assert event.data["changes"] == {
        "place": ["炼钢车间", "轧钢车间"],
        "deaths": [0, 10],
        "grade": ["ordinary", "major"],
    }


def test_invalid_edit_changes_nothing(login, personas, zhanqian_accident):
    response = login(personas.county_officer).post(
        _url(zhanqian_accident), _post_data(zhanqian_accident, direct_loss_yuan="-5")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["direct_loss_yuan"] == [
        gettext("The direct economic loss cannot be negative.")
    ]
    zhanqian_accident.refresh_from_db()
    assert zhanqian_accident.direct_loss_yuan >= 0
    assert not AuditEvent.objects.filter(action="accident.update").exists()


def test_an_override_sticks_until_cleared(personas, zhanqian_accident):
    officer = personas.county_officer
    accident_update(
        actor=officer,
        accident=zhanqian_accident,
        data={"grade_override": "relatively_major", "grade_override_reason": "批复认定"},
    )
    accident_update(actor=officer, accident=zhanqian_accident, data={"minor_injuries": 5})
    zhanqian_accident.refresh_from_db()
    assert zhanqian_accident.effective_grade == "relatively_major"
    assert zhanqian_accident.is_overridden
    accident_update(actor=officer, accident=zhanqian_accident, data={"grade_override": None})
    zhanqian_accident.refresh_from_db()
    assert (zhanqian_accident.grade_override, zhanqian_accident.grade_override_reason) == (None, "")
    assert zhanqian_accident.effective_grade == "ordinary"


def test_saving_without_changes_writes_no_audit_row(personas, zhanqian_accident):
    accident_update(actor=personas.county_officer, accident=zhanqian_accident, data={})
    assert not AuditEvent.objects.filter(action="accident.update").exists()


def test_the_service_refuses_a_read_only_actor(personas, zhanqian_accident):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        accident_update(actor=personas.bureau_leader, accident=zhanqian_accident, data={"deaths": 1})
    with pytest.raises(PermissionDenied):
        accident_update(actor=personas.other_county_officer, accident=zhanqian_accident, data={"deaths": 1})
