import pytest

from audit.models import AuditEvent
from experts.models import Expert
from experts.tests.factories import ExpertFactory, make_id_number


def test_admin_lists_experts_with_masked_id_numbers(login, personas):
    expert = ExpertFactory(id_number=make_id_number(7, birth="19700101"))
    response = login(personas.admin).get("/admin/experts/expert/")
    assert response.status_code == 200
    assert expert.masked_id_number in response.content.decode()
    assert expert.id_number not in response.content.decode()


def test_admin_add_validates_the_id_number_and_audits(login, personas):
    client = login(personas.admin)
    form = {
        "name": "郑示例",
        "gender": "male",
        "phone": "13800000001",
        "years_of_experience": "10",
        "specialties": ["safety_management", "fire"],
        "industries": ["machinery"],
        "status": "active",
    }
    response = client.post(
        "/admin/experts/expert/add/", {**form, "id_number": "210800197001010012"}
    )  # wrong check digit
    assert response.status_code == 200  # the form again, with the error
    assert not Expert.objects.exists()

    response = client.post("/admin/experts/expert/add/", {**form, "id_number": make_id_number(9).lower()})
    assert response.status_code == 302
    expert = Expert.objects.get()
    assert expert.specialties == ["safety_management", "fire"]
    assert expert.id_number.endswith(make_id_number(9)[-1])
    event = AuditEvent.objects.get(action="expert.admin_create")
    assert event.target_id == str(expert.pk)
    assert expert.id_number not in str(event.data)


@pytest.mark.parametrize("persona", ["city_officer", "expert"])
def test_admin_is_for_system_admins_only(login, personas, persona):
    response = login(personas[persona]).get("/admin/experts/expert/")
    assert response.status_code == 302


def test_admin_change_page_shows_the_declarations_read_only(login, personas):
    from experts.services import expert_relation_add

    expert = ExpertFactory()
    expert_relation_add(actor=personas.city_officer, expert=expert, kind="other", enterprise_name="示例企业")
    response = login(personas.admin).get(f"/admin/experts/expert/{expert.pk}/change/")
    assert response.status_code == 200
    assert "示例企业" in response.content.decode()
