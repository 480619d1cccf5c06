"""An expert keeps his own profile: contact fields at once, qualifications after the city approves."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from experts.models import ExpertCertificate, ExpertChangeRequest
from experts.services import (
    expert_certificate_add,
    expert_certificate_remove,
    expert_change_request_decide,
    expert_self_update,
)


def test_phone_is_applied_directly_without_a_request(personas, own):
    result = expert_self_update(actor=personas.expert, expert=own, data={"phone": "13912345678"})
    own.refresh_from_db()
    assert own.phone == "13912345678"
    assert result.applied == ["phone"]
    assert result.change_request is None
    assert not ExpertChangeRequest.objects.exists()
    assert AuditEvent.objects.get(action="expert.self_update").data["changes"]["phone"][1] == "13912345678"


def test_qualification_change_creates_a_request_and_leaves_the_profile(personas, own):
    result = expert_self_update(
        actor=personas.expert,
        expert=own,
        data={
            "title": "正高级工程师",
            "specialties": ["safety_management", "electrical"],
            "phone": "13900000001",
        },
    )
    own.refresh_from_db()
    assert own.title == "高级工程师"  # unchanged until approved
    assert own.specialties == ["safety_management"]
    assert own.phone == "13900000001"  # contact: at once
    request = result.change_request
    assert request.status == ExpertChangeRequest.Status.PENDING
    assert request.changes == {"title": "正高级工程师", "specialties": ["safety_management", "electrical"]}
    assert request.requested_by == personas.expert


def test_later_changes_join_the_pending_request_and_a_reverted_field_leaves_it(personas, own):
    expert_self_update(actor=personas.expert, expert=own, data={"title": "正高级工程师"})
    expert_self_update(actor=personas.expert, expert=own, data={"years_of_experience": 20})
    request = ExpertChangeRequest.objects.get()
    assert request.changes == {"title": "正高级工程师", "years_of_experience": 20}
    expert_self_update(
        actor=personas.expert, expert=own, data={"years_of_experience": own.years_of_experience}
    )
    request.refresh_from_db()
    assert request.changes == {"title": "正高级工程师"}
    expert_self_update(actor=personas.expert, expert=own, data={"title": own.title})
    assert not ExpertChangeRequest.objects.exists()  # nothing left to ask for: withdrawn


def test_approval_applies_the_changes(personas, own):
    request = expert_self_update(
        actor=personas.expert, expert=own, data={"title": "正高级工程师", "can_lead": True}
    ).change_request
    expert_change_request_decide(actor=personas.city_chief, change_request=request, approve=True)
    own.refresh_from_db()
    request.refresh_from_db()
    assert (own.title, own.can_lead) == ("正高级工程师", True)
    assert request.status == ExpertChangeRequest.Status.APPROVED
    assert request.decided_by == personas.city_chief and request.decided_at is not None
    event = AuditEvent.objects.get(action="expert.change_request_approve")
    assert event.data["changes"]["title"] == ["高级工程师", "正高级工程师"]


def test_rejection_needs_a_reason_and_leaves_the_profile(personas, own):
    request = expert_self_update(
        actor=personas.expert, expert=own, data={"title": "正高级工程师"}
    ).change_request
    with pytest.raises(ValidationError) as exc:
        expert_change_request_decide(actor=personas.city_officer, change_request=request, approve=False)
    assert "reason" in exc.value.message_dict
    expert_change_request_decide(
        actor=personas.city_officer, change_request=request, approve=False, reason="职称证书未提供"
    )
    own.refresh_from_db()
    request.refresh_from_db()
    assert own.title == "高级工程师"
    assert (request.status, request.reason) == (ExpertChangeRequest.Status.REJECTED, "职称证书未提供")


def test_a_decided_request_cannot_be_decided_again(personas, own):
    request = expert_self_update(
        actor=personas.expert, expert=own, data={"title": "正高级工程师"}
    ).change_request
    expert_change_request_decide(actor=personas.city_officer, change_request=request, approve=True)
    stale = ExpertChangeRequest.objects.get(pk=request.pk)
    stale.status = ExpertChangeRequest.Status.PENDING  # a second tab still shows it pending
    with pytest.raises(ValidationError):
        expert_change_request_decide(
            actor=personas.city_chief, change_request=stale, approve=False, reason="x"
        )
    assert ExpertChangeRequest.objects.get(pk=request.pk).status == ExpertChangeRequest.Status.APPROVED


@pytest.mark.parametrize("persona", ["admin", "bureau_leader", "expert", "county_officer"])
def test_only_the_section_decides(personas, own, persona):
    request = expert_self_update(
        actor=personas.expert, expert=own, data={"title": "正高级工程师"}
    ).change_request
    with pytest.raises(PermissionDenied):
        expert_change_request_decide(actor=personas[persona], change_request=request, approve=True)


@pytest.mark.parametrize("persona", ["city_officer", "admin", "county_officer"])
def test_only_the_expert_himself_self_updates(personas, own, persona):
    with pytest.raises(PermissionDenied):
        expert_self_update(actor=personas[persona], expert=own, data={"phone": "13900000000"})


def test_identity_fields_are_not_the_experts_to_change(personas, own):
    with pytest.raises(ValidationError) as exc:
        expert_self_update(actor=personas.expert, expert=own, data={"name": "改名", "region": None})
    assert set(exc.value.message_dict) == {"name", "region"}


def test_invalid_values_are_refused_by_field(personas, own):
    with pytest.raises(ValidationError) as exc:
        expert_self_update(
            actor=personas.expert,
            expert=own,
            data={"phone": "abc", "employer_uscc": "91210802XXXXXXXXX1", "skills": ["astrology"]},
        )
    assert set(exc.value.message_dict) == {"phone", "employer_uscc", "skills"}
    assert not ExpertChangeRequest.objects.exists()


def test_own_certificate_waits_for_approval_then_counts(personas, own):
    certificate = expert_certificate_add(actor=personas.expert, expert=own, name="安全评价师证", number="A-1")
    assert certificate.state == ExpertCertificate.State.PENDING
    request = ExpertChangeRequest.objects.get()
    assert request.changes == {"certificates_add": [certificate.pk]}
    expert_change_request_decide(actor=personas.city_officer, change_request=request, approve=True)
    certificate.refresh_from_db()
    assert certificate.state == ExpertCertificate.State.RECORDED

    expert_certificate_remove(actor=personas.expert, certificate=certificate)
    certificate.refresh_from_db()
    assert certificate.state == ExpertCertificate.State.RECORDED  # removal waits too
    request = ExpertChangeRequest.objects.get(status="pending")
    assert request.changes == {"certificates_remove": [certificate.pk]}
    expert_change_request_decide(actor=personas.city_officer, change_request=request, approve=True)
    certificate.refresh_from_db()
    assert certificate.state == ExpertCertificate.State.REMOVED


def test_rejected_certificate_is_marked_rejected(personas, own):
    certificate = expert_certificate_add(actor=personas.expert, expert=own, name="安全评价师证")
    request = ExpertChangeRequest.objects.get()
    expert_change_request_decide(
        actor=personas.city_officer, change_request=request, approve=False, reason="无效"
    )
    certificate.refresh_from_db()
    assert certificate.state == ExpertCertificate.State.REJECTED


def test_withdrawing_an_unapproved_certificate_drops_it_from_the_request(personas, own):
    certificate = expert_certificate_add(actor=personas.expert, expert=own, name="安全评价师证")
    expert_certificate_remove(actor=personas.expert, certificate=certificate)
    certificate.refresh_from_db()
    assert certificate.state == ExpertCertificate.State.REMOVED
    assert not ExpertChangeRequest.objects.exists()


# --- The pages ----------------------------------------------------------------------


def _form(own, **overrides) -> dict:
    data = {
        "phone": own.phone,
        "employer": own.employer,
        "employer_uscc": "",
        "title": own.title,
        "registered_safety_engineer_number": "",
        "years_of_experience": own.years_of_experience,
        "training_certificate_number": "",
        "specialties": own.specialties,
        "industries": own.industries,
        "skills": own.skills,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_my_profile_page_saves_phone_and_files_qualifications(login, personas, own):
    client = login(personas.expert)
    response = client.post(reverse("experts:me"), _form(own, phone="13900000002", title="正高级工程师"))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.phone == "13900000002"
    assert own.title == "高级工程师"
    assert ExpertChangeRequest.objects.get().changes == {"title": "正高级工程师"}
    html = client.get(reverse("experts:me")).content.decode()
    assert 'data-testid="pending-field"' in html  # the title is marked as awaiting approval
    assert "正高级工程师" in html


def test_my_profile_page_resubmitted_unchanged_keeps_the_request(login, personas, own):
    client = login(personas.expert)
    client.post(reverse("experts:me"), _form(own, title="正高级工程师"))
    client.post(reverse("experts:me"), _form(own, title="正高级工程师"))
    assert ExpertChangeRequest.objects.get().changes == {"title": "正高级工程师"}


def test_my_profile_page_shows_errors(login, personas, own):
    response = login(personas.expert).post(reverse("experts:me"), _form(own, phone="x"))
    assert response.status_code == 200
    assert response.context["form"].errors["phone"]


def test_decide_from_the_detail_page(login, personas, own):
    request = expert_self_update(
        actor=personas.expert, expert=own, data={"title": "正高级工程师"}
    ).change_request
    client = login(personas.city_officer)
    html = client.get(reverse("experts:detail", args=[own.pk])).content.decode()
    assert 'data-testid="decide-form"' in html
    url = reverse("experts:change_request_decide", args=[own.pk, request.pk])
    response = client.post(url, {"decision": "reject"})  # no reason
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "pending"
    client.post(url, {"decision": "approve", "next": "queue"})
    request.refresh_from_db()
    own.refresh_from_db()
    assert request.status == "approved" and own.title == "正高级工程师"


def test_queue_lists_pending_requests(login, personas, own):
    expert_self_update(actor=personas.expert, expert=own, data={"title": "正高级工程师"})
    client = login(personas.city_chief)
    response = client.get(reverse("experts:change_requests"))
    assert [cr.expert for cr, _lines in response.context["queue"]] == [own]
    assert "正高级工程师" in response.content.decode()
    assert 'data-testid="change-request-queue"' in client.get(reverse("experts:list")).content.decode()
