import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from experts.domain import mask_id_number, validate_id_number
from experts.models import CORE_SPECIALTIES, Expert, Specialty
from experts.services import expert_create
from experts.tests.factories import ExpertFactory, make_id_number

VALID_ID = make_id_number(123, birth="19750315")


def test_masked_id_number_shows_only_first_six_and_last_four():
    assert len(VALID_ID) == 18
    assert mask_id_number(VALID_ID) == VALID_ID[:6] + "********" + VALID_ID[-4:]


@pytest.mark.django_db
def test_model_property_masks_the_stored_number():
    expert = ExpertFactory(id_number=VALID_ID)
    assert expert.masked_id_number == f"{VALID_ID[:6]}********{VALID_ID[-4:]}"
    assert "19750315" not in expert.masked_id_number


def test_lowercase_check_character_is_normalised():
    number = next(make_id_number(n) for n in range(1000) if make_id_number(n).endswith("X"))
    assert validate_id_number(number.lower()) == number
    assert validate_id_number(f" {number[:6]} {number[6:14]} {number[14:].lower()}") == number


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "21080019800101001",  # 17 characters
        VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1"),  # wrong check digit
        make_id_number(1, birth="19801301"),  # month 13
    ],
)
def test_invalid_id_number_is_refused_by_the_service(personas, bad):
    with pytest.raises(ValidationError) as exc:
        expert_create(actor=personas.city_officer, name="王示例", gender="male", id_number=bad)
    assert "id_number" in exc.value.message_dict
    assert not Expert.objects.exists()


@pytest.mark.django_db
def test_invalid_id_number_is_refused_by_model_validation():
    expert = Expert(name="王示例", gender="male", id_number="210800198001010011")
    with pytest.raises(ValidationError) as exc:
        expert.full_clean()
    assert "id_number" in exc.value.message_dict


def test_create_stores_the_profile_and_audits_without_the_full_id(personas):
    expert = expert_create(
        actor=personas.city_officer,
        name=" 李示例 ",
        gender="female",
        id_number=VALID_ID,
        title="高级工程师",
        registered_safety_engineer=True,
        registered_safety_engineer_number="ZAQ-2020-0001",
        years_of_experience=15,
        specialties=["safety_management", "fire", "safety_management"],
        industries=["machinery", "metallurgy"],
        skills=["dust_explosion"],
        can_lead=True,
    )
    expert.refresh_from_db()
    assert expert.name == "李示例"
    assert expert.specialties == [Specialty.SAFETY_MANAGEMENT, Specialty.FIRE]
    event = AuditEvent.objects.get(action="expert.create")
    assert event.target_id == str(expert.pk)
    assert VALID_ID not in str(event.data)
    assert event.data["id_number"] == expert.masked_id_number


def test_duplicate_id_number_and_unknown_codes_are_refused(personas):
    ExpertFactory(id_number=VALID_ID)
    with pytest.raises(ValidationError) as exc:
        expert_create(
            actor=personas.city_officer,
            name="赵示例",
            gender="male",
            id_number=VALID_ID,
            specialties=["astrology"],
            industries=["mining"],
            registered_safety_engineer=True,
        )
    assert set(exc.value.message_dict) == {
        "id_number",
        "specialties",
        "industries",
        "registered_safety_engineer_number",
    }


def test_user_link_must_be_an_expert_account(personas):
    with pytest.raises(ValidationError) as exc:
        expert_create(
            actor=personas.admin, name="周示例", gender="male", id_number=VALID_ID, user=personas.city_officer
        )
    assert "user" in exc.value.message_dict
    expert = expert_create(
        actor=personas.admin, name="周示例", gender="male", id_number=VALID_ID, user=personas.expert
    )
    assert personas.expert.expert_profile == expert


@pytest.mark.parametrize("persona", ["county_officer", "bureau_leader", "enterprise_user", "expert"])
def test_only_the_section_and_admins_may_create(personas, persona):
    with pytest.raises(PermissionDenied):
        expert_create(actor=personas[persona], name="钱示例", gender="male", id_number=VALID_ID)
    assert not Expert.objects.exists()


def test_core_specialties_match_the_scoring_standards():
    # Score-sheet items are tagged with a core specialty; the panel draw will match them to experts.
    from standards.models import Specialty as StandardSpecialty

    assert {s.value for s in CORE_SPECIALTIES} == set(StandardSpecialty.values)
