"""Creating and editing profiles, the status, and the ID number shown masked everywhere."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.tests.factories import region
from audit.models import AuditEvent
from experts.domain import mask_id_number
from experts.models import Expert
from experts.services import expert_set_status, expert_update
from experts.tests.conftest import OWN_ID, TARGET_ID
from experts.tests.factories import make_id_number

NEW_ID = make_id_number(601, birth="19790909")


def _form(**overrides) -> dict:
    data = {
        "name": "刘新增",
        "gender": "female",
        "id_number": NEW_ID,
        "phone": "13700000001",
        "employer": "营口示例安全评价有限公司",
        "employer_uscc": "",
        "title": "高级工程师",
        "registered_safety_engineer": "on",
        "registered_safety_engineer_number": "ZAQ2020210001",
        "years_of_experience": "15",
        "training_certificate_number": "PX-2025-001",
        "specialties": ["process_technology", "electrical"],
        "industries": ["metallurgy"],
        "skills": ["metallurgical_gas"],
        "region": region("站前区").pk,
        "can_lead": "on",
        "term_until": "2028-12-31",
        "user": "",
        "status": "active",
    }
    data.update(overrides)
    return data


def test_create_page_adds_an_expert(login, personas):
    client = login(personas.city_officer)
    response = client.post(reverse("experts:create"), _form())
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    expert = Expert.objects.get()
    assert response.url == reverse("experts:detail", args=[expert.pk])
    assert (expert.id_number, expert.gender, expert.years_of_experience) == (NEW_ID, "female", 15)
    assert expert.specialties == ["process_technology", "electrical"]
    assert expert.term_until.isoformat() == "2028-12-31"
    assert expert.name_initials == "lxz"


def test_create_page_shows_service_errors(login, personas):
    response = login(personas.city_officer).post(
        reverse("experts:create"),
        _form(id_number=NEW_ID[:-1] + ("0" if NEW_ID[-1] != "0" else "1"), employer_uscc="123"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"id_number", "employer_uscc"}
    assert not Expert.objects.exists()


def test_edit_page_never_shows_the_full_id_and_keeps_it_when_left_empty(login, personas, target):
    client = login(personas.city_chief)
    url = reverse("experts:edit", args=[target.pk])
    html = client.get(url).content.decode()
    assert TARGET_ID not in html
    assert target.masked_id_number in html  # in the help text
    form = _form(id_number="", name="王目标改")
    form.pop("status")
    assert client.post(url, form).status_code == 302
    target.refresh_from_db()
    assert (target.name, target.id_number) == ("王目标改", TARGET_ID)
    event = AuditEvent.objects.get(action="expert.update")
    assert TARGET_ID not in str(event.data)
    assert event.data["changes"]["name"] == ["王目标", "王目标改"]


def test_edit_may_correct_the_id_number_but_not_to_a_taken_one(personas, target, own):
    with pytest.raises(ValidationError) as exc:
        expert_update(actor=personas.city_officer, expert=target, data={"id_number": OWN_ID})
    assert set(exc.value.message_dict) == {"id_number"}
    expert_update(actor=personas.city_officer, expert=target, data={"id_number": NEW_ID.lower()})
    target.refresh_from_db()
    assert target.id_number == NEW_ID
    changes = AuditEvent.objects.get(action="expert.update").data["changes"]
    assert changes["id_number"] == [mask_id_number(TARGET_ID), mask_id_number(NEW_ID)]


@pytest.mark.parametrize("persona", ["bureau_leader", "expert", "county_officer"])
def test_only_the_section_and_admins_update(personas, target, persona):
    with pytest.raises(PermissionDenied):
        expert_update(actor=personas[persona], expert=target, data={"name": "改"})


def test_status_change_needs_a_reason_and_nothing_is_deleted(personas, target):
    with pytest.raises(ValidationError) as exc:
        expert_set_status(actor=personas.city_officer, expert=target, status="exited", reason=" ")
    assert set(exc.value.message_dict) == {"reason"}
    with pytest.raises(ValidationError) as exc:
        expert_set_status(actor=personas.city_officer, expert=target, status="active", reason="已在库")
    assert set(exc.value.message_dict) == {"status"}
    expert_set_status(actor=personas.city_officer, expert=target, status="exited", reason="任期届满")
    target.refresh_from_db()
    assert (target.status, target.status_reason) == ("exited", "任期届满")
    assert target.status_changed_at is not None
    assert AuditEvent.objects.get(action="expert.status").data == {
        "from": "active",
        "to": "exited",
        "reason": "任期届满",
    }
    assert Expert.objects.filter(pk=target.pk).exists()


def test_status_change_by_compare_and_set(personas, target):
    stale = Expert.objects.get(pk=target.pk)
    expert_set_status(actor=personas.city_officer, expert=target, status="suspended", reason="健康原因")
    with pytest.raises(ValidationError):
        expert_set_status(actor=personas.city_chief, expert=stale, status="exited", reason="主动申请")
    assert Expert.objects.get(pk=target.pk).status == "suspended"


def test_status_page(login, personas, target):
    client = login(personas.city_officer)
    url = reverse("experts:status", args=[target.pk])
    response = client.post(url, {"status": "active", "reason": "x"})
    assert response.status_code == 200 and response.context["form"].errors["status"]
    assert client.post(url, {"status": "suspended", "reason": "因病暂停"}).status_code == 302
    html = client.get(reverse("experts:detail", args=[target.pk])).content.decode()
    assert "因病暂停" in html
    assert str(Expert.Status.SUSPENDED.label) in html or "suspended" in html


def test_id_number_is_masked_on_every_page(login, personas, target, own):
    officer = login(personas.city_officer)
    for url in (reverse("experts:list"), reverse("experts:detail", args=[target.pk])):
        html = officer.get(url).content.decode()
        assert TARGET_ID not in html, url
        assert target.masked_id_number in html, url
    html = login(personas.expert).get(reverse("experts:me")).content.decode()
    assert OWN_ID not in html and own.masked_id_number in html


def test_history_on_the_detail_page(login, personas, target):
    expert_set_status(actor=personas.city_officer, expert=target, status="suspended", reason="健康原因")
    response = login(personas.city_officer).get(reverse("experts:detail", args=[target.pk]))
    assert [event.action for event, _lines in response.context["history"]] == ["expert.status"]
    assert "健康原因" in response.content.decode()
