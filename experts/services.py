"""Writes to the expert pool. Every write is audited, in the same transaction, against the expert.

``expert_clean`` is the one validation of a profile, shared by creation, the city's edits, the
expert's own edits, approval of his change requests and the Excel import, so all of them
refuse the same input with the same messages keyed by field. The full ID number never
enters the audit log; its masked form does.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Region, User
from accounts.roles import Role
from audit.services import audit_record, diff_fields
from enterprises.domain import UsccError, validate_uscc
from enterprises.models import Enterprise, Industry
from experts.domain import (
    RATING_MAX,
    RATING_MIN,
    IdNumberError,
    mask_id_number,
    normalise_id_number,
    periods_overlap,
    validate_id_number,
)
from experts.models import (
    Expert,
    ExpertCertificate,
    ExpertChangeRequest,
    ExpertRating,
    ExpertRelation,
    ExpertUnavailability,
    RelativeRelationship,
    Skill,
    Specialty,
)
from experts.permissions import (
    can_declare,
    can_manage_experts,
    is_own_profile,
    require_change_decider,
    require_expert_manager,
    require_rater,
)
from lib.uploads import EVIDENCE_KINDS, check_upload

PHONE_RE = re.compile(r"^[0-9+\-() ]{7,20}$")
MAX_YEARS = 80
CERTIFICATE_MAX_BYTES = 10 * 1024 * 1024
PROGRESS_EVERY = 25  # import rows between progress reports

# What the expert changes himself, at once.
CONTACT_FIELDS = ("phone", "employer", "employer_uscc")
# What the expert may ask to change; the city approves (domain.md §6: checked at every draw).
QUALIFICATION_FIELDS = (
    "title",
    "registered_safety_engineer",
    "registered_safety_engineer_number",
    "years_of_experience",
    "specialties",
    "industries",
    "skills",
    "training_certificate_number",
    "can_lead",
)
# The rest of the profile: only the section edits it.
IDENTITY_FIELDS = ("name", "gender", "id_number", "region", "term_until", "user")
PROFILE_FIELDS = (*IDENTITY_FIELDS, *CONTACT_FIELDS, *QUALIFICATION_FIELDS)
SELF_SERVICE_FIELDS = (*CONTACT_FIELDS, *QUALIFICATION_FIELDS)
# Keys of ExpertChangeRequest.changes for certificates (lists of certificate ids).
CERTIFICATES_ADD = "certificates_add"
CERTIFICATES_REMOVE = "certificates_remove"
TEXT_LIMITS = {
    "name": 64,
    "employer": 200,
    "title": 64,
    "registered_safety_engineer_number": 64,
    "training_certificate_number": 64,
}


def _fail(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _codes(value: Iterable[str] | None, allowed: Iterable[str], field: str, errors: dict) -> list[str]:
    """Return the codes de-duplicated in their given order; note any unknown one."""
    if isinstance(value, str):
        value = [value]
    codes = list(dict.fromkeys(value or []))
    allowed_set = set(allowed)
    unknown = [c for c in codes if c not in allowed_set]
    if unknown:
        _fail(errors, field, _("Unknown codes: %(codes)s.") % {"codes": ", ".join(map(str, unknown))})
    return codes


def _text(value: Any) -> str:
    return str(value if value is not None else "").strip()


def _years(value: Any, errors: dict) -> int:
    try:
        if isinstance(value, bool):
            raise TypeError
        years = int(str(value).strip()) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        years = -1
    if not 0 <= years <= MAX_YEARS:
        _fail(
            errors,
            "years_of_experience",
            _("The years of experience must be a whole number from 0 to %(max)d.") % {"max": MAX_YEARS},
        )
        return 0
    return years


def expert_clean(
    *, data: dict[str, Any], instance: Expert | None = None, taken_ids: set[str] | None = None
) -> dict[str, Any]:
    """Return the validated, normalised profile fields of ``data``, or raise ValidationError by field.

    ``data`` holds PROFILE_FIELDS (plus ``status`` for a new expert); ``region`` is a Region
    and ``user`` a User. On an edit (``instance``) an empty ID number keeps the stored one.
    ``taken_ids``, when given, is the set of ID numbers already registered (an import checks
    a whole file with one query); otherwise uniqueness is checked against the database.
    """
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}

    cleaned["name"] = _text(data.get("name"))
    if not cleaned["name"]:
        _fail(errors, "name", _("Enter the expert's name."))
    for name, limit in TEXT_LIMITS.items():
        if name != "name":
            cleaned[name] = _text(data.get(name))
        if len(cleaned[name]) > limit:
            _fail(errors, name, _("Keep this under %(n)d characters.") % {"n": limit})
    if data.get("gender") not in Expert.Gender.values:
        _fail(errors, "gender", _("Choose a valid gender."))
    cleaned["gender"] = data.get("gender")

    raw_id = _text(data.get("id_number"))
    if instance is not None and not raw_id:
        cleaned["id_number"] = instance.id_number
    else:
        try:
            cleaned["id_number"] = validate_id_number(raw_id)
        except IdNumberError as exc:
            _fail(errors, "id_number", str(exc))
        else:
            if taken_ids is not None:
                taken = cleaned["id_number"] in taken_ids
            else:
                others = Expert.objects.filter(id_number=cleaned["id_number"])
                if instance is not None:
                    others = others.exclude(pk=instance.pk)
                taken = others.exists()
            if taken:
                _fail(errors, "id_number", _("An expert with this ID number is already in the pool."))

    cleaned["phone"] = _text(data.get("phone"))
    if cleaned["phone"] and not PHONE_RE.match(cleaned["phone"]):
        _fail(errors, "phone", _("Enter a phone number of 7 to 20 digits."))
    cleaned["employer_uscc"] = ""
    if _text(data.get("employer_uscc")):
        try:
            cleaned["employer_uscc"] = validate_uscc(_text(data.get("employer_uscc")))
        except UsccError as exc:
            _fail(errors, "employer_uscc", str(exc))

    cleaned["registered_safety_engineer"] = bool(data.get("registered_safety_engineer"))
    if cleaned["registered_safety_engineer"] and not cleaned["registered_safety_engineer_number"]:
        _fail(
            errors,
            "registered_safety_engineer_number",
            _("Enter the registered safety engineer's certificate number."),
        )
    cleaned["years_of_experience"] = _years(data.get("years_of_experience", 0), errors)
    cleaned["specialties"] = _codes(data.get("specialties"), Specialty.values, "specialties", errors)
    cleaned["industries"] = _codes(data.get("industries"), Industry.values, "industries", errors)
    cleaned["skills"] = _codes(data.get("skills"), Skill.values, "skills", errors)
    cleaned["can_lead"] = bool(data.get("can_lead"))

    region = data.get("region")
    if region is not None and (not isinstance(region, Region) or region.level != Region.Level.COUNTY):
        _fail(errors, "region", _("The division must be a county-level division."))
    cleaned["region"] = region
    term_until = data.get("term_until")
    if term_until is not None and not isinstance(term_until, date):
        _fail(errors, "term_until", _("Enter a valid date."))
    cleaned["term_until"] = term_until

    user = data.get("user")
    if user is not None:
        linked = Expert.objects.filter(user=user)
        if instance is not None:
            linked = linked.exclude(pk=instance.pk)
        if getattr(user, "role", None) != Role.EXPERT or linked.exists():
            _fail(errors, "user", _("The account must be an expert account not linked to another expert."))
    cleaned["user"] = user

    if instance is None:
        status = data.get("status") or Expert.Status.ACTIVE
        if status not in Expert.Status.values:
            _fail(errors, "status", _("Choose a valid status."))
        cleaned["status"] = status
    if errors:
        raise ValidationError(errors)
    return cleaned


def _current(expert: Expert) -> dict[str, Any]:
    return {name: getattr(expert, name) for name in PROFILE_FIELDS}


def _audit_value(name: str, value: Any) -> Any:
    if name == "id_number":
        return mask_id_number(value or "")
    if name == "region":
        return value.code if value is not None else None
    if name == "user":
        return value.username if value is not None else None
    if isinstance(value, date):
        return value.isoformat()
    return value


def _audit_snapshot(values: dict[str, Any]) -> dict[str, Any]:
    return {name: _audit_value(name, value) for name, value in values.items()}


def _save(expert: Expert, cleaned: dict[str, Any], names: Iterable[str]) -> list[str]:
    """Set the fields that changed and save only those; return their names."""
    changed = [n for n in names if n in cleaned and getattr(expert, n) != cleaned[n]]
    for name in changed:
        setattr(expert, name, cleaned[name])
    if changed:
        expert.save(update_fields=[*changed, "updated_at"])
    return changed


# --- Profile ------------------------------------------------------------------


@transaction.atomic
def expert_create(
    *,
    actor,
    name: str,
    gender: str,
    id_number: str,
    phone: str = "",
    employer: str = "",
    employer_uscc: str = "",
    title: str = "",
    registered_safety_engineer: bool = False,
    registered_safety_engineer_number: str = "",
    years_of_experience: int = 0,
    training_certificate_number: str = "",
    specialties: Iterable[str] = (),
    industries: Iterable[str] = (),
    skills: Iterable[str] = (),
    region: Region | None = None,
    status: str = Expert.Status.ACTIVE,
    can_lead: bool = False,
    term_until: date | None = None,
    user: User | None = None,
) -> Expert:
    """Add an expert to the pool; only the manufacturing section and admins may.

    Raises PermissionDenied for other actors and ValidationError (keyed by field) for an
    invalid or already registered ID number, unknown codes, a missing registration number,
    or a user account that is not an unlinked expert account.
    """
    require_expert_manager(actor)
    data = {k: v for k, v in locals().items() if k != "actor"}
    cleaned = expert_clean(data=data)
    expert = Expert.objects.create(**cleaned)
    _audit_create(actor, expert, cleaned)
    return expert


def _audit_create(actor, expert: Expert, cleaned: dict[str, Any], **extra: Any) -> None:
    # The ID number stays out of the audit log; its masked form is enough to tell people apart.
    snapshot = _audit_snapshot({k: v for k, v in cleaned.items() if k not in {"name", "gender"}})
    audit_record(actor=actor, action="expert.create", target=expert, data={**snapshot, **extra})


@transaction.atomic
def expert_update(*, actor, expert: Expert, data: dict[str, Any]) -> Expert:
    """Change an expert's profile (the section and admins); fields left out keep their value.

    An empty ``id_number`` keeps the stored number. Status changes go through
    expert_set_status. Raises PermissionDenied or ValidationError keyed by field.
    """
    require_expert_manager(actor)
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    before = _current(expert)
    cleaned = expert_clean(data={**before, "id_number": "", **data}, instance=expert)
    changed = _save(expert, cleaned, PROFILE_FIELDS)
    if changed:
        audit_record(
            actor=actor,
            action="expert.update",
            target=expert,
            data={"changes": diff_fields(_audit_snapshot(before), _audit_snapshot(_current(expert)))},
        )
    return expert


@transaction.atomic
def expert_set_status(*, actor, expert: Expert, status: str, reason: str) -> Expert:
    """Put an expert in the pool, suspend him or record his exit, with a reason.

    Nothing is ever deleted: an exited expert stays with his history. Raises
    PermissionDenied, or ValidationError for an unknown or unchanged status, a missing
    reason, or a status another user changed meanwhile.
    """
    require_expert_manager(actor)
    reason = _text(reason)
    errors: dict[str, list[str]] = {}
    if status not in Expert.Status.values:
        _fail(errors, "status", _("Choose a valid status."))
    elif status == expert.status:
        _fail(
            errors,
            "status",
            _("The expert's status is already %(status)s.") % {"status": Expert.Status(status).label},
        )
    if not reason:
        _fail(errors, "reason", _("Give the reason for the change."))
    elif len(reason) > 500:
        _fail(errors, "reason", _("Keep this under %(n)d characters.") % {"n": 500})
    if errors:
        raise ValidationError(errors)
    old = expert.status
    now = timezone.now()
    # Compare-and-set: of two officers changing the status at once, only one wins.
    updated = Expert.objects.filter(pk=expert.pk, status=old).update(
        status=status, status_reason=reason, status_changed_at=now, updated_at=now
    )
    if updated != 1:
        raise ValidationError(
            {"status": [_("Someone else changed this expert's status meanwhile; reload the page.")]}
        )
    expert.status, expert.status_reason, expert.status_changed_at = status, reason, now
    audit_record(
        actor=actor, action="expert.status", target=expert, data={"from": old, "to": status, "reason": reason}
    )
    return expert


# --- Self-service and change requests -------------------------------------------


@dataclass(frozen=True)
class SelfUpdateResult:
    """What expert_self_update did: the contact fields it applied and the request it filed."""

    expert: Expert
    applied: list[str]
    change_request: ExpertChangeRequest | None


def _pending_request(expert: Expert) -> ExpertChangeRequest | None:
    return ExpertChangeRequest.objects.filter(
        expert=expert, status=ExpertChangeRequest.Status.PENDING
    ).first()


def _lock(expert: Expert) -> Expert:
    """Lock the expert's row: requests and decisions about one expert go one at a time."""
    return Expert.objects.select_for_update().get(pk=expert.pk)


def _file_changes(
    *, actor, expert: Expert, fields: dict[str, Any], add: Iterable[int] = (), remove: Iterable[int] = ()
) -> ExpertChangeRequest | None:
    """Merge requested qualification changes into the expert's pending request (creating it).

    A field asked back to its current value leaves the request; a request left with nothing
    in it is withdrawn (deleted, with an audit event). Returns the pending request, if any.
    """
    request = _pending_request(expert)
    changes = dict(request.changes) if request else {}
    for name, value in fields.items():
        if value == getattr(expert, name):
            changes.pop(name, None)
        else:
            changes[name] = value
    for key, ids in ((CERTIFICATES_ADD, add), (CERTIFICATES_REMOVE, remove)):
        merged = list(dict.fromkeys([*changes.get(key, []), *ids]))
        if merged:
            changes[key] = merged
    if request is None and not changes:
        return None
    if request is None:
        request = ExpertChangeRequest.objects.create(expert=expert, requested_by=actor, changes=changes)
        audit_record(
            actor=actor,
            action="expert.change_request",
            target=expert,
            data={"request": request.pk, "changes": changes},
        )
        return request
    if not changes:
        audit_record(
            actor=actor, action="expert.change_request_withdraw", target=expert, data={"request": request.pk}
        )
        request.delete()
        return None
    if changes != request.changes:
        request.changes = changes
        request.requested_at = timezone.now()
        request.save(update_fields=["changes", "requested_at"])
        audit_record(
            actor=actor,
            action="expert.change_request",
            target=expert,
            data={"request": request.pk, "changes": changes},
        )
    return request


@transaction.atomic
def expert_self_update(*, actor, expert: Expert, data: dict[str, Any]) -> SelfUpdateResult:
    """Let an expert change his own profile: contact fields at once, qualifications on approval.

    Phone, employer and the employer's USCC are applied directly. Changed qualification
    fields (title, registration, years, specialties, industries, skills, training
    certificate, may lead) go into his pending change request for the city to decide.
    Raises PermissionDenied for anyone but the expert himself, ValidationError by field.
    """
    if not is_own_profile(actor, expert):
        raise PermissionDenied
    unknown = set(data) - set(SELF_SERVICE_FIELDS)
    if unknown:
        raise ValidationError({name: _("You cannot change this yourself.") for name in sorted(unknown)})
    expert = _lock(expert)
    before = _current(expert)
    cleaned = expert_clean(data={**before, "id_number": "", **data}, instance=expert)
    applied = _save(expert, cleaned, [n for n in CONTACT_FIELDS if n in data])
    if applied:
        audit_record(
            actor=actor,
            action="expert.self_update",
            target=expert,
            data={"changes": diff_fields(_audit_snapshot(before), _audit_snapshot(_current(expert)))},
        )
    requested = {n: cleaned[n] for n in QUALIFICATION_FIELDS if n in data}
    request = (
        _file_changes(actor=actor, expert=expert, fields=requested) if requested else _pending_request(expert)
    )
    return SelfUpdateResult(expert=expert, applied=applied, change_request=request)


@transaction.atomic
def expert_change_request_decide(
    *, actor, change_request: ExpertChangeRequest, approve: bool, reason: str = ""
) -> ExpertChangeRequest:
    """Approve (applying the changes) or reject (with a reason) an expert's pending request.

    The section's officer or chief decides. Approval validates the changes against the
    profile as it is now. Raises PermissionDenied, or ValidationError for a missing reason
    on rejection, a request already decided, or changes that are no longer valid.
    """
    require_change_decider(actor)
    reason = _text(reason)
    if not approve and not reason:
        raise ValidationError({"reason": [_("Give the reason for rejecting the request.")]})
    expert = _lock(change_request.expert)
    now = timezone.now()
    status = ExpertChangeRequest.Status.APPROVED if approve else ExpertChangeRequest.Status.REJECTED
    updated = ExpertChangeRequest.objects.filter(
        pk=change_request.pk, status=ExpertChangeRequest.Status.PENDING
    ).update(status=status, decided_by=actor, decided_at=now, reason=reason)
    if updated != 1:
        raise ValidationError({"__all__": [_("This request has already been decided.")]})
    change_request.status, change_request.decided_by, change_request.decided_at = status, actor, now
    change_request.reason = reason
    changes = change_request.changes or {}
    added = ExpertCertificate.objects.filter(
        expert=expert, pk__in=changes.get(CERTIFICATES_ADD, []), state=ExpertCertificate.State.PENDING
    )
    data: dict[str, Any] = {"request": change_request.pk, "approved": approve, "reason": reason}
    if not approve:
        added.update(state=ExpertCertificate.State.REJECTED)
        audit_record(actor=actor, action="expert.change_request_reject", target=expert, data=data)
        return change_request
    before = _current(expert)
    fields = {n: changes[n] for n in QUALIFICATION_FIELDS if n in changes}
    cleaned = expert_clean(data={**before, "id_number": "", **fields}, instance=expert)
    _save(expert, cleaned, fields)
    added.update(state=ExpertCertificate.State.RECORDED)
    ExpertCertificate.objects.filter(
        expert=expert, pk__in=changes.get(CERTIFICATES_REMOVE, []), state=ExpertCertificate.State.RECORDED
    ).update(state=ExpertCertificate.State.REMOVED)
    data["changes"] = diff_fields(_audit_snapshot(before), _audit_snapshot(_current(expert)))
    data["certificates"] = {k: changes[k] for k in (CERTIFICATES_ADD, CERTIFICATES_REMOVE) if k in changes}
    audit_record(actor=actor, action="expert.change_request_approve", target=expert, data=data)
    return change_request


# --- Unavailable dates ----------------------------------------------------------


def _require_declarer(actor, expert: Expert) -> None:
    if not can_declare(actor, expert):
        raise PermissionDenied


@transaction.atomic
def expert_unavailability_add(
    *, actor, expert: Expert, start: date | None, end: date | None, reason: str = ""
) -> ExpertUnavailability:
    """Record a period (both days included) in which the expert cannot review.

    The expert himself or the section. Raises ValidationError when a date is missing, the
    period ends before it starts or is already over, or overlaps one already recorded.
    """
    _require_declarer(actor, expert)
    errors: dict[str, list[str]] = {}
    reason = _text(reason)
    if start is None:
        _fail(errors, "start", _("Enter the first day."))
    if end is None:
        _fail(errors, "end", _("Enter the last day."))
    if len(reason) > 200:
        _fail(errors, "reason", _("Keep this under %(n)d characters.") % {"n": 200})
    if start is not None and end is not None:
        if end < start:
            _fail(errors, "end", _("The last day cannot be before the first day."))
        elif end < timezone.localdate():
            _fail(errors, "end", _("This period is already over."))
        else:
            for other in ExpertUnavailability.objects.filter(expert=expert, start__lte=end, end__gte=start):
                if periods_overlap(start, end, other.start, other.end):
                    _fail(
                        errors,
                        "start",
                        _("This period overlaps the unavailable period %(start)s to %(end)s.")
                        % {"start": other.start.isoformat(), "end": other.end.isoformat()},
                    )
                    break
    if errors:
        raise ValidationError(errors)
    period = ExpertUnavailability.objects.create(
        expert=expert, start=start, end=end, reason=reason, created_by=actor
    )
    audit_record(
        actor=actor,
        action="expert.unavailability_add",
        target=expert,
        data={"id": period.pk, "start": start, "end": end, "reason": reason},
    )
    return period


@transaction.atomic
def expert_unavailability_remove(*, actor, unavailability: ExpertUnavailability) -> None:
    """Delete an unavailable period (the expert became available after all)."""
    expert = unavailability.expert
    _require_declarer(actor, expert)
    audit_record(
        actor=actor,
        action="expert.unavailability_remove",
        target=expert,
        data={"id": unavailability.pk, "start": unavailability.start, "end": unavailability.end},
    )
    unavailability.delete()


# --- Declared relations -----------------------------------------------------------

RELATION_FIELDS = (
    "kind",
    "enterprise_name",
    "enterprise_uscc",
    "relative_relationship",
    "start",
    "end",
    "note",
)


def relation_clean(data: dict[str, Any]) -> dict[str, Any]:
    """Return a validated relation (RELATION_FIELDS), or raise ValidationError keyed by field."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    kind = data.get("kind")
    if kind not in ExpertRelation.Kind.values:
        _fail(errors, "kind", _("Choose the kind of relation."))
    cleaned["kind"] = kind
    cleaned["enterprise_name"] = _text(data.get("enterprise_name"))
    if not cleaned["enterprise_name"]:
        _fail(errors, "enterprise_name", _("Enter the enterprise's name."))
    elif len(cleaned["enterprise_name"]) > 200:
        _fail(errors, "enterprise_name", _("Keep this under %(n)d characters.") % {"n": 200})
    cleaned["enterprise_uscc"] = ""
    if _text(data.get("enterprise_uscc")):
        try:
            cleaned["enterprise_uscc"] = validate_uscc(_text(data.get("enterprise_uscc")))
        except UsccError as exc:
            _fail(errors, "enterprise_uscc", str(exc))
    relationship = _text(data.get("relative_relationship"))
    if kind == ExpertRelation.Kind.RELATIVE:
        if relationship not in RelativeRelationship.values:
            _fail(errors, "relative_relationship", _("Choose how the relative is related to you."))
    elif relationship:
        _fail(errors, "relative_relationship", _("Only a relation with a relative has a relationship."))
        relationship = ""
    cleaned["relative_relationship"] = relationship
    cleaned["start"], cleaned["end"] = data.get("start"), data.get("end")
    if cleaned["start"] and cleaned["end"] and cleaned["end"] < cleaned["start"]:
        _fail(errors, "end", _("The end cannot be before the start."))
    cleaned["note"] = _text(data.get("note"))
    if len(cleaned["note"]) > 500:
        _fail(errors, "note", _("Keep this under %(n)d characters.") % {"n": 500})
    if errors:
        raise ValidationError(errors)
    return cleaned


def _relation_snapshot(relation: ExpertRelation) -> dict[str, Any]:
    values = {name: getattr(relation, name) for name in RELATION_FIELDS}
    return _audit_snapshot({**values, "id": relation.pk, "enterprise": relation.enterprise_id})


def _registered_enterprise(uscc: str) -> Enterprise | None:
    return Enterprise.objects.filter(uscc=uscc).first() if uscc else None


@transaction.atomic
def expert_relation_add(*, actor, expert: Expert, **data: Any) -> ExpertRelation:
    """Declare a relation (employment, consulting client, relative, other) with an enterprise.

    The expert himself or the section. When the USCC is that of a registered enterprise,
    the relation is linked to it. Raises ValidationError keyed by field.
    """
    _require_declarer(actor, expert)
    cleaned = relation_clean(data)
    relation = ExpertRelation.objects.create(
        expert=expert, enterprise=_registered_enterprise(cleaned["enterprise_uscc"]), **cleaned
    )
    audit_record(
        actor=actor, action="expert.relation_add", target=expert, data={"after": _relation_snapshot(relation)}
    )
    return relation


@transaction.atomic
def expert_relation_update(*, actor, relation: ExpertRelation, data: dict[str, Any]) -> ExpertRelation:
    """Change a declared relation; fields left out keep their value. The link is re-resolved."""
    _require_declarer(actor, relation.expert)
    before = _relation_snapshot(relation)
    current = {name: getattr(relation, name) for name in RELATION_FIELDS}
    cleaned = relation_clean({**current, **data})
    for name, value in cleaned.items():
        setattr(relation, name, value)
    relation.enterprise = _registered_enterprise(cleaned["enterprise_uscc"])
    relation.save()
    changes = diff_fields(before, _relation_snapshot(relation))
    if changes:
        audit_record(
            actor=actor,
            action="expert.relation_update",
            target=relation.expert,
            data={"id": relation.pk, "changes": changes},
        )
    return relation


@transaction.atomic
def expert_relation_remove(*, actor, relation: ExpertRelation) -> None:
    """Withdraw a declared relation; the audit event keeps what it said."""
    expert = relation.expert
    _require_declarer(actor, expert)
    audit_record(
        actor=actor,
        action="expert.relation_remove",
        target=expert,
        data={"before": _relation_snapshot(relation)},
    )
    relation.delete()


# --- Certificates ------------------------------------------------------------------


@transaction.atomic
def expert_certificate_add(
    *,
    actor,
    expert: Expert,
    name: str,
    number: str = "",
    issued_on: date | None = None,
    expires_on: date | None = None,
    file=None,
) -> ExpertCertificate:
    """Add a certificate, with an optional scan (PDF, JPEG or PNG).

    Recorded at once when the section adds it; when the expert adds his own, it waits in
    his change request for the city's approval. Raises PermissionDenied or ValidationError.
    """
    own = is_own_profile(actor, expert)
    if not (own or can_manage_experts(actor)):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    name, number = _text(name), _text(number)
    if not name:
        _fail(errors, "name", _("Enter the certificate's name."))
    elif len(name) > 100:
        _fail(errors, "name", _("Keep this under %(n)d characters.") % {"n": 100})
    if len(number) > 64:
        _fail(errors, "number", _("Keep this under %(n)d characters.") % {"n": 64})
    if issued_on and expires_on and expires_on < issued_on:
        _fail(errors, "expires_on", _("The expiry date cannot be before the issue date."))
    checked = None
    if file:
        try:
            checked = check_upload(file, kinds=EVIDENCE_KINDS, max_bytes=CERTIFICATE_MAX_BYTES)
        except ValidationError as exc:
            errors.setdefault("file", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    state = ExpertCertificate.State.PENDING if own else ExpertCertificate.State.RECORDED
    certificate = ExpertCertificate(
        expert=expert,
        name=name,
        number=number,
        issued_on=issued_on,
        expires_on=expires_on,
        state=state,
        added_by=actor,
        original_name=checked.name[:200] if checked else "",
    )
    if checked is not None:
        certificate.file.save(checked.name, file, save=False)
    certificate.save()
    audit_record(
        actor=actor,
        action="expert.certificate_add",
        target=expert,
        data={
            "id": certificate.pk,
            "name": name,
            "number": number,
            "issued_on": issued_on,
            "expires_on": expires_on,
            "state": state,
            "sha256": checked.sha256 if checked else None,
        },
    )
    if own:
        _file_changes(actor=actor, expert=_lock(expert), fields={}, add=[certificate.pk])
    return certificate


@transaction.atomic
def expert_certificate_remove(*, actor, certificate: ExpertCertificate) -> ExpertCertificate:
    """Remove a certificate: the section at once; the expert by asking (his own pending one at once).

    The row is kept, marked removed, so the history still shows what was held when.
    """
    expert = certificate.expert
    own = is_own_profile(actor, expert)
    if not (own or can_manage_experts(actor)):
        raise PermissionDenied
    if certificate.state not in {ExpertCertificate.State.PENDING, ExpertCertificate.State.RECORDED}:
        raise ValidationError({"__all__": [_("This certificate has already been removed or rejected.")]})
    if own and certificate.state == ExpertCertificate.State.RECORDED:
        _file_changes(actor=actor, expert=_lock(expert), fields={}, remove=[certificate.pk])
        return certificate
    if own:  # his own addition, not yet approved: withdrawn from the request
        request = _pending_request(expert)
        if request is not None and certificate.pk in request.changes.get(CERTIFICATES_ADD, []):
            remaining = [i for i in request.changes[CERTIFICATES_ADD] if i != certificate.pk]
            changes = {k: v for k, v in request.changes.items() if k != CERTIFICATES_ADD}
            if remaining:
                changes[CERTIFICATES_ADD] = remaining
            if changes:
                request.changes = changes
                request.save(update_fields=["changes"])
            else:
                request.delete()
    certificate.state = ExpertCertificate.State.REMOVED
    certificate.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="expert.certificate_remove",
        target=expert,
        data={"id": certificate.pk, "name": certificate.name, "number": certificate.number},
    )
    return certificate


# --- Ratings -----------------------------------------------------------------------

RATING_FIELDS = ("professional", "discipline", "ethics", "integrity")


@transaction.atomic
def expert_rate(
    *,
    actor,
    expert: Expert,
    professional: int,
    discipline: int,
    ethics: int,
    integrity: int,
    comment: str = "",
    source: str = "",
    application=None,
) -> ExpertRating:
    """Rate an expert after a job: four whole scores from 1 to 100 (domain.md §6).

    City officers only. ``application`` (a grading application) is optional; an expert is
    rated once per application. Raises PermissionDenied or ValidationError keyed by field.
    """
    require_rater(actor)
    errors: dict[str, list[str]] = {}
    scores = {
        "professional": professional,
        "discipline": discipline,
        "ethics": ethics,
        "integrity": integrity,
    }
    for name, value in scores.items():
        if isinstance(value, bool) or not isinstance(value, int) or not RATING_MIN <= value <= RATING_MAX:
            _fail(
                errors,
                name,
                _("Enter a whole number from %(min)d to %(max)d.") % {"min": RATING_MIN, "max": RATING_MAX},
            )
    comment, source = _text(comment), _text(source)
    if len(source) > 100:
        _fail(errors, "source", _("Keep this under %(n)d characters.") % {"n": 100})
    if len(comment) > 2000:
        _fail(errors, "comment", _("Keep this under %(n)d characters.") % {"n": 2000})
    if (
        application is not None
        and ExpertRating.objects.filter(expert=expert, application=application).exists()
    ):
        _fail(errors, "application", _("This expert has already been rated for this application."))
    if errors:
        raise ValidationError(errors)
    if application is not None and not source:
        source = getattr(application, "number", "") or ""
    rating = ExpertRating.objects.create(
        expert=expert, rated_by=actor, comment=comment, source=source, application=application, **scores
    )
    audit_record(
        actor=actor,
        action="expert.rate",
        target=expert,
        data={**scores, "id": rating.pk, "average": str(rating.average), "source": source},
    )
    return rating


# --- Excel import -----------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem in an import file: the spreadsheet row, the column heading and the message."""

    row: int
    column: str
    message: str


class ImportRejected(Exception):
    """The file had at least one bad row; nothing was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def _taken_ids(rows: list[tuple[int, dict[str, Any]]]) -> set[str]:
    """Return which of the rows' ID numbers are already in the pool, in a few queries for a file."""
    numbers = sorted({normalise_id_number(str(data.get("id_number") or "")) for _row, data in rows} - {""})
    taken: set[str] = set()
    for start in range(0, len(numbers), 500):
        taken.update(
            Expert.objects.filter(id_number__in=numbers[start : start + 500]).values_list(
                "id_number", flat=True
            )
        )
    return taken


def expert_import_check(
    *,
    actor,
    rows: list[tuple[int, dict[str, Any]]],
    column_labels: dict[str, str],
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[dict[str, Any]], list[RowError]]:
    """Validate import rows without writing; return (cleaned rows, problems).

    Each row (as for expert_clean, names already resolved to objects) is checked with
    expert_clean, and the file for repeated ID numbers. ``progress`` gets (rows checked,
    total) every PROGRESS_EVERY rows and at the end.
    """
    require_expert_manager(actor)
    taken = _taken_ids(rows)
    errors: list[RowError] = []
    cleaned_rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    total = len(rows)
    for index, (row_no, data) in enumerate(rows, start=1):
        if progress is not None and (index - 1) % PROGRESS_EVERY == 0:
            progress(index - 1, total)
        try:
            cleaned = expert_clean(data=data, taken_ids=taken)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.extend(RowError(row_no, column_labels.get(name, name), m) for m in messages)
            continue
        if cleaned["id_number"] in seen:
            errors.append(
                RowError(
                    row_no,
                    column_labels.get("id_number", "id_number"),
                    _("The same ID number is already in row %(row)d of this file.")
                    % {"row": seen[cleaned["id_number"]]},
                )
            )
            continue
        seen[cleaned["id_number"]] = row_no
        cleaned_rows.append(cleaned)
    if progress is not None:
        progress(total, total)
    return cleaned_rows, errors


@transaction.atomic
def expert_import(
    *, actor, rows: list[tuple[int, dict[str, Any]]], column_labels: dict[str, str], filename: str = ""
) -> list[Expert]:
    """Import parsed rows all-or-nothing: every row valid and all created, or none.

    Raises ImportRejected with every row's problems. Each new expert gets its own
    "expert.create" event (its history), and the file one "expert.import" event.
    """
    cleaned_rows, errors = expert_import_check(actor=actor, rows=rows, column_labels=column_labels)
    if errors:
        raise ImportRejected(errors)
    created = []
    for cleaned in cleaned_rows:
        expert = Expert.objects.create(**cleaned)
        _audit_create(actor, expert, cleaned, **{"import": filename})
        created.append(expert)
    audit_record(
        actor=actor,
        action="expert.import",
        target=None,
        data={"file": filename, "count": len(created), "ids": [e.pk for e in created]},
    )
    return created
