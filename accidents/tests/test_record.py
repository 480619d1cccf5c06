"""Recording an accident: who may, the enterprise picker's scope, the computed grade, the audit row."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from accidents.models import Accident
from audit.models import AuditEvent

URL = reverse("accidents:create")


def _post_data(enterprise, **overrides) -> dict:
    data = {
        "enterprise": enterprise.pk,
        "occurred_at": "2026-03-02T09:30",
        "place": "炼钢车间",
        "accident_type": "burn_scald",
        "deaths": "0",
        "serious_injuries": "2",
        "minor_injuries": "1",
        "direct_loss_yuan": "350000.50",
        "reported_at": "2026-03-02T10:10",
        "reporting_violation": "none",
        "description": "钢水喷溅致2人重伤。",
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
        ("other_county_officer", 200),  # records in his own division
        ("bureau_leader", 403),  # read-only
        ("admin", 403),  # configuration, no business decisions
        ("enterprise_user", 403),
        ("expert", 403),
        ("anonymous", 302),  # to login
    ],
)
def test_record_page_access(login, personas, persona, status):
    assert login(personas[persona]).get(URL).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("county_officer", 302),
        ("city_officer", 302),
        ("other_county_officer", 200),  # the 站前区 enterprise is not a choice: the form comes back
        ("bureau_leader", 403),
        ("admin", 403),
        ("enterprise_user", 403),
        ("expert", 403),
        ("anonymous", 302),
    ],
)
def test_record_post_access(login, personas, zhanqian_enterprise, persona, status):
    response = login(personas[persona]).post(URL, _post_data(zhanqian_enterprise))
    assert response.status_code == status
    assert Accident.objects.exists() == (persona in {"county_officer", "city_officer"})


def test_put_is_not_allowed(login, personas):
    assert login(personas.county_officer).put(URL).status_code == 405


def test_recording_saves_grades_and_audits(login, personas, zhanqian_enterprise):
    officer = personas.county_officer
    response = login(officer).post(URL, _post_data(zhanqian_enterprise))
    accident = Accident.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("accidents:detail", args=[accident.pk])
    assert accident.enterprise == zhanqian_enterprise
    assert accident.recorded_by == officer
    assert (accident.serious_injuries, accident.direct_loss_yuan) == (2, Decimal("350000.50"))
    assert accident.grade == "ordinary"
    assert accident.grade_override is None
    event = AuditEvent.objects.get(action="accident.record")
    assert event.target_id == str(accident.pk)
    assert event.actor == officer
    assert event.data["after"]["enterprise"] == "营口钢铁有限公司"
    assert event.data["after"]["occurred_at"] == "2026-03-02 09:30"
    assert event.data["after"]["direct_loss_yuan"] == "350000.50"


def test_three_deaths_make_a_relatively_major_accident(login, personas, zhanqian_enterprise):
    login(personas.city_officer).post(URL, _post_data(zhanqian_enterprise, deaths="3"))
    assert Accident.objects.get().grade == "relatively_major"


def test_invalid_input_shows_the_messages_and_saves_nothing(login, personas, zhanqian_enterprise):
    response = login(personas.county_officer).post(
        URL, _post_data(zhanqian_enterprise, deaths="-1", reported_at="2026-03-02T09:00", place="")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["deaths"] == [gettext("The number of deaths cannot be negative.")]
    assert form.errors["reported_at"] == [
        gettext("The accident cannot have been reported before it occurred.")
    ]
    assert "place" in form.errors
    html = response.content.decode()
    assert gettext("The number of deaths cannot be negative.") in html
    assert not Accident.objects.exists()
    assert not AuditEvent.objects.filter(action="accident.record").exists()


def test_picker_offers_only_enterprises_in_scope(login, personas, zhanqian_enterprise, bayuquan_enterprise):
    form = login(personas.county_officer).get(URL).context["form"]
    offered = {value for value, _label in form.fields["enterprise"].widget.choices if value}
    assert zhanqian_enterprise.pk in offered
    assert bayuquan_enterprise.pk not in offered
    city_form = login(personas.city_officer).get(URL).context["form"]
    assert {zhanqian_enterprise.pk, bayuquan_enterprise.pk} <= {
        value for value, _label in city_form.fields["enterprise"].widget.choices if value
    }


def test_posting_an_enterprise_of_another_county_is_refused(login, personas, bayuquan_enterprise):
    response = login(personas.county_officer).post(URL, _post_data(bayuquan_enterprise))
    assert response.status_code == 200
    assert "enterprise" in response.context["form"].errors
    assert not Accident.objects.exists()


def test_enterprise_from_the_query_string_is_preselected(
    login, personas, zhanqian_enterprise, bayuquan_enterprise
):
    client = login(personas.county_officer)
    response = client.get(URL, {"enterprise": zhanqian_enterprise.pk})
    assert response.context["form"].initial["enterprise"] == zhanqian_enterprise
    assert f'<option value="{zhanqian_enterprise.pk}" selected>' in response.content.decode()
    # Another county's enterprise is not preselected (nor revealed).
    other = client.get(URL, {"enterprise": bayuquan_enterprise.pk})
    assert "enterprise" not in other.context["form"].initial
    assert "鲅鱼圈港口机械有限公司" not in other.content.decode()


def test_a_grade_override_needs_a_reason(login, personas, zhanqian_enterprise):
    client = login(personas.county_officer)
    response = client.post(URL, _post_data(zhanqian_enterprise, grade_override="major"))
    assert response.context["form"].errors["grade_override_reason"] == [
        gettext("Give the reason for setting the grade by hand.")
    ]
    client.post(
        URL,
        _post_data(
            zhanqian_enterprise, grade_override="major", grade_override_reason="调查报告认定为重大事故"
        ),
    )
    accident = Accident.objects.get()
    assert (accident.grade, accident.grade_override, accident.effective_grade) == (
        "ordinary",
        "major",
        "major",
    )
