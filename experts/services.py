"""Writes to the expert pool. Every write is audited.

Only creation exists so far; editing, suspension, exit and the panel draw arrive with the
panel issue.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Region, User
from accounts.roles import Role
from audit.services import audit_record
from enterprises.models import Industry
from experts.domain import IdNumberError, validate_id_number
from experts.models import Expert, Skill, Specialty
from experts.permissions import require_expert_manager


def _codes(value: Iterable[str] | None, allowed: Iterable[str], field: str, errors: dict) -> list[str]:
    """Return the codes de-duplicated in their given order; note any unknown one."""
    codes = list(dict.fromkeys(value or []))
    unknown = [c for c in codes if c not in set(allowed)]
    if unknown:
        errors.setdefault(field, []).append(
            _("Unknown codes: %(codes)s.") % {"codes": ", ".join(map(str, unknown))}
        )
    return codes


@transaction.atomic
def expert_create(
    *,
    actor,
    name: str,
    gender: str,
    id_number: str,
    phone: str = "",
    employer: str = "",
    title: str = "",
    registered_safety_engineer: bool = False,
    registered_safety_engineer_number: str = "",
    years_of_experience: int = 0,
    specialties: Iterable[str] = (),
    industries: Iterable[str] = (),
    skills: Iterable[str] = (),
    region: Region | None = None,
    status: str = Expert.Status.ACTIVE,
    can_lead: bool = False,
    user: User | None = None,
) -> Expert:
    """Add an expert to the pool; only the manufacturing section and admins may.

    Raises PermissionDenied for other actors and ValidationError (keyed by field) for an
    invalid or already registered ID number, unknown codes, a missing registration number,
    or a user account that is not an unlinked expert account.
    """
    require_expert_manager(actor)
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors.setdefault("name", []).append(_("Enter the expert's name."))
    if gender not in Expert.Gender.values:
        errors.setdefault("gender", []).append(_("Choose a valid gender."))
    try:
        id_number = validate_id_number(id_number)
    except IdNumberError as exc:
        errors.setdefault("id_number", []).append(str(exc))
    else:
        if Expert.objects.filter(id_number=id_number).exists():
            errors.setdefault("id_number", []).append(
                _("An expert with this ID number is already in the pool.")
            )
    registered_safety_engineer_number = (registered_safety_engineer_number or "").strip()
    if registered_safety_engineer and not registered_safety_engineer_number:
        errors.setdefault("registered_safety_engineer_number", []).append(
            _("Enter the registered safety engineer's certificate number.")
        )
    if years_of_experience is None or years_of_experience < 0:
        errors.setdefault("years_of_experience", []).append(_("The years of experience must be 0 or more."))
    specialties = _codes(specialties, Specialty.values, "specialties", errors)
    industries = _codes(industries, Industry.values, "industries", errors)
    skills = _codes(skills, Skill.values, "skills", errors)
    if status not in Expert.Status.values:
        errors.setdefault("status", []).append(_("Choose a valid status."))
    if user is not None and (user.role != Role.EXPERT or Expert.objects.filter(user=user).exists()):
        errors.setdefault("user", []).append(
            _("The account must be an expert account not linked to another expert.")
        )
    if errors:
        raise ValidationError(errors)

    expert = Expert.objects.create(
        name=name,
        gender=gender,
        id_number=id_number,
        phone=(phone or "").strip(),
        employer=(employer or "").strip(),
        title=(title or "").strip(),
        registered_safety_engineer=registered_safety_engineer,
        registered_safety_engineer_number=registered_safety_engineer_number,
        years_of_experience=years_of_experience,
        specialties=specialties,
        industries=industries,
        skills=skills,
        region=region,
        status=status,
        can_lead=can_lead,
        user=user,
    )
    # The ID number stays out of the audit log; its masked form is enough to tell people apart.
    audit_record(
        actor=actor,
        action="expert.create",
        target=expert,
        data={
            "id_number": expert.masked_id_number,
            "specialties": specialties,
            "industries": industries,
            "skills": skills,
            "region": region.code if region else None,
            "status": status,
            "can_lead": can_lead,
            "user": user.username if user else None,
        },
    )
    return expert
