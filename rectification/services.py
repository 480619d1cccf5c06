"""Writes of rectification: the plan from a finalised review, the hazard's loop, extensions, 督办.

Every write runs in a transaction, is audited, and moves a hazard only through
``rectification.workflow.HAZARD_FLOW`` (compare-and-set: two clicks never make two moves).
The rules that need no database live in ``rectification.domain``.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import COUNTY_ROLES, ENTERPRISE_ROLES, Role
from accounts.selectors import city_bureau_users, county_bureau_users, enterprise_users
from audit.services import audit_record
from enterprises.permissions import visible_to as enterprises_visible_to
from grading.models import GradingApplication, Status
from grading.services import not_passed_notice_after_commit, not_passed_updates
from lib.dates import CalendarMissing, add_working_days
from lib.uploads import check_upload
from lib.workflow import TransitionError, apply_transition, refusal
from notifications.services import notify
from rectification import domain
from rectification.models import (
    EscalationOrder,
    ExtensionRequest,
    Hazard,
    HazardEvidence,
    HazardProgress,
    MajorHazardClause,
    RectificationPlan,
)
from rectification.permissions import (
    CITY_STAFF,
    REGULATORS,
    in_plan_scope,
    in_scope,
    leads_plan,
    may_decide_extension,
    may_edit_plan_hazard,
    may_rectify,
    may_verify,
    require,
)
from rectification.workflow import HAZARD_FLOW, extend_application_flow
from regulation.selectors import param_int, work_calendar
from standards.models import Item, SheetDeduction

extend_application_flow()
from grading.workflow import APPLICATION_FLOW  # noqa: E402 - after the rectification moves are added

H = Hazard.Status


def hazard_url(hazard: Hazard) -> str:
    return reverse("rectification:hazard", args=[hazard.pk])


def _lock(hazard: Hazard) -> Hazard:
    return (
        Hazard.objects.select_for_update(of=("self",))
        .select_related("enterprise", "plan", "basis_clause")
        .get(pk=hazard.pk)
    )


def _text(value, limit: int | None = None) -> str:
    text = (value or "").strip()
    return text[:limit] if limit else text


def default_deadline(start: date) -> date | None:
    """The rectification limit (``rectification_limit`` working days) from ``start``; None when
    the calendar does not reach it (the person setting the hazard then gives the date)."""
    try:
        return add_working_days(start, param_int("rectification_limit", start), work_calendar())
    except CalendarMissing:
        return None


# --- The people a hazard concerns ------------------------------------------------------------


def enterprise_people_of(hazard: Hazard):
    return enterprise_users(hazard.enterprise.organisation_id, ENTERPRISE_ROLES)


def county_people_of(hazard: Hazard):
    return county_bureau_users(hazard.enterprise.region_path, COUNTY_ROLES)


def city_people_of(hazard: Hazard):
    return city_bureau_users(hazard.enterprise.region_path, CITY_STAFF)


def _leader_users(plan: RectificationPlan | None):
    from django.contrib.auth import get_user_model

    from reviews.models import PanelMember

    if plan is None:
        return get_user_model().objects.none()
    ids = PanelMember.objects.filter(
        panel__application_id=plan.application_id,
        role=PanelMember.Role.LEADER,
        state=PanelMember.State.CONFIRMED,
        expert__user__isnull=False,
    ).values("expert__user_id")
    return get_user_model().objects.filter(pk__in=ids)


# --- Hazard fields ------------------------------------------------------------------------


@dataclass(frozen=True)
class HazardIn:
    """What a person enters about a hazard. ``None`` leaves a field as it is on update."""

    description: str | None = None
    location: str | None = None
    level: str | None = None
    basis_clause_id: int | None = None
    item_code: str | None = None
    requirement: str | None = None
    measures: str | None = None
    responsible_name: str | None = None
    responsible_phone: str | None = None
    deadline: date | None = None
    funds: object = None
    responsibility: str | None = None
    contingency_plan: str | None = None
    governance_plan: str | None = None
    found_on: date | None = None


# Who may set what: the regulator side (leader / city / county for their own registers) sets
# the finding, the level and the deadline; the enterprise sets how it fixes it.
FINDING_FIELDS = (
    "description",
    "location",
    "level",
    "basis_clause_id",
    "item_code",
    "requirement",
    "deadline",
)
FIX_FIELDS = (
    "measures",
    "responsible_name",
    "responsible_phone",
    "funds",
    "responsibility",
    "contingency_plan",
    "governance_plan",
)


def _clean_funds(value, errors) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        funds = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors.setdefault("funds", []).append(_("Enter the funds as an amount in yuan, such as 1200.50."))
        return None
    if funds < 0 or funds >= Decimal("10000000000"):
        errors.setdefault("funds", []).append(_("Enter the funds as an amount in yuan, such as 1200.50."))
        return None
    return funds


def _apply(hazard: Hazard, data: HazardIn, fields: tuple[str, ...], errors: dict) -> list[str]:
    """Copy the allowed, given fields of ``data`` onto ``hazard``; return the changed names."""
    changed = []
    for name in fields:
        value = getattr(data, name)
        if value is None:
            continue
        if name == "funds":
            value = _clean_funds(value, errors)
        elif name == "item_code":
            item = None
            if value:
                standard_id = hazard.plan.application.standard_id if hazard.plan_id else None
                items = Item.objects.filter(code=value)
                if standard_id:
                    items = items.filter(standard_id=standard_id)
                item = items.first()
                if item is None:
                    errors.setdefault("item_code", []).append(
                        _("Item %(code)s is not in this standard.") % {"code": value}
                    )
                    continue
            if hazard.item_id != (item.pk if item else None):
                hazard.item = item
                changed.append("item")
            continue
        elif name == "basis_clause_id":
            value = value or None
            clause = MajorHazardClause.objects.filter(pk=value, active=True).first() if value else None
            if value and clause is None:
                errors.setdefault("basis_clause", []).append(_("Choose a clause of the judgment standard."))
                continue
            if (
                clause is not None
                and clause.industries
                and hazard.enterprise.industry not in clause.industries
            ):
                errors.setdefault("basis_clause", []).append(
                    _("This clause does not apply to the enterprise's industry.")
                )
                continue
        elif name == "level":
            if value not in Hazard.Level.values:
                errors.setdefault("level", []).append(_("Choose the level: general or major."))
                continue
        elif name == "deadline":
            pass
        elif isinstance(value, str):
            value = value.strip()
        if getattr(hazard, name) != value:
            setattr(hazard, name, value)
            changed.append(name)
    return changed


def _validate(hazard: Hazard, errors: dict) -> None:
    if not (hazard.description or "").strip():
        errors.setdefault("description", []).append(_("Describe the hazard."))
    if hazard.level == Hazard.Level.MAJOR and hazard.basis_clause_id is None:
        errors.setdefault("basis_clause", []).append(
            _("A major hazard must cite its clause of the judgment standard (应急管理部令第10号).")
        )
    if hazard.level == Hazard.Level.GENERAL:
        hazard.basis_clause = None
    if hazard.deadline is None:
        errors.setdefault("deadline", []).append(_("Set the deadline."))
    elif hazard.found_on and hazard.deadline < hazard.found_on:
        errors.setdefault("deadline", []).append(_("The deadline cannot be before the day it was found."))
    if errors:
        raise ValidationError(errors)


def five_assurances_missing(hazard: Hazard) -> list[str]:
    """The 五落实 of a major hazard still empty (responsibility, measures, funds, deadline, plan)."""
    if hazard.level != Hazard.Level.MAJOR:
        return []
    missing = []
    if not hazard.responsibility.strip() and not hazard.responsible_name.strip():
        missing.append(_("responsibility"))
    if not hazard.measures.strip():
        missing.append(_("measures"))
    if hazard.funds is None:
        missing.append(_("funds"))
    if hazard.deadline is None:
        missing.append(_("deadline"))
    if not hazard.contingency_plan.strip():
        missing.append(_("contingency plan"))
    return missing


# --- The plan from a finalised review ----------------------------------------------------------


def plan_from_review(*, actor, application: GradingApplication) -> RectificationPlan | None:
    """Make the 一企一策 of a review finalised with nonconformities (called in its transaction).

    Every deduction of the panel sheet marked as a hazard becomes a 一般 hazard of the plan,
    linked to its item and deduction, due after ``rectification_limit`` working days; the
    leader then completes them (level, basis, requirement) and adds others. Idempotent.
    """
    existing = RectificationPlan.objects.filter(application=application).first()
    if existing is not None:
        return existing
    review = application.site_review
    if review.panel_sheet_id is None:
        return None
    now = timezone.now()
    today = timezone.localdate(now)
    plan = RectificationPlan.objects.create(
        application=application, enterprise=application.enterprise, issued_by=actor, issued_at=now
    )
    deadline = default_deadline(today) or today
    deductions = (
        SheetDeduction.objects.filter(entry__sheet_id=review.panel_sheet_id, is_hazard=True)
        .select_related("entry__item")
        .order_by("entry__item__sort_order", "sort_order")
    )
    hazards = [
        Hazard(
            enterprise=application.enterprise,
            plan=plan,
            source=Hazard.Source.REVIEW,
            item=d.entry.item,
            deduction=d,
            description=d.reason,
            requirement=_("Rectify according to item %(code)s of the standard: %(requirement)s")
            % {"code": d.entry.item.code, "requirement": d.entry.item.requirement[:300]},
            deadline=deadline,
            original_deadline=deadline,
            found_on=today,
            found_by=actor,
            status_changed_at=now,
        )
        for d in deductions
    ]
    Hazard.objects.bulk_create(hazards)
    audit_record(
        actor=actor,
        action="rectification.plan",
        target=application,
        data={"plan": plan.pk, "hazards": len(hazards)},
    )
    return plan


# --- Creating and editing hazards --------------------------------------------------------------


@transaction.atomic
def hazard_create(*, actor, enterprise, data: HazardIn, plan: RectificationPlan | None = None) -> Hazard:
    """Record a hazard: the leader (or the city) adds one to a plan; an enterprise records one it
    found itself (自查); a county officer one found on inspection (执法)."""
    today = timezone.localdate()
    if plan is not None:
        plan = RectificationPlan.objects.select_for_update().get(pk=plan.pk)
        require(plan.enterprise_id == enterprise.pk)
        require(leads_plan(actor, plan) or (actor.role in CITY_STAFF and in_plan_scope(actor, plan)))
        if plan.status != RectificationPlan.Status.OPEN:
            raise ValidationError(_("The plan is closed."))
        source = Hazard.Source.REVIEW
    elif actor.role in ENTERPRISE_ROLES:
        require(actor.organisation_id is not None and actor.organisation_id == enterprise.organisation_id)
        source = Hazard.Source.SELF_CHECK
    else:
        require(actor.role in REGULATORS)
        require(enterprises_visible_to(actor).filter(pk=enterprise.pk).exists())
        source = Hazard.Source.ENFORCEMENT
    found_on = data.found_on or today
    if found_on > today:
        raise ValidationError({"found_on": [_("The day the hazard was found cannot be in the future.")]})
    hazard = Hazard(
        enterprise=enterprise,
        plan=plan,
        source=source,
        found_on=found_on,
        found_by=actor,
        status_changed_at=timezone.now(),
        deadline=data.deadline or default_deadline(found_on),
    )
    errors: dict = {}
    _apply(hazard, data, FINDING_FIELDS + FIX_FIELDS, errors)
    _validate(hazard, errors)
    hazard.original_deadline = hazard.deadline
    hazard.save()
    audit_record(
        actor=actor,
        action="hazard.create",
        target=hazard,
        data={
            "enterprise": enterprise.pk,
            "source": source,
            "level": hazard.level,
            "plan": plan.pk if plan else None,
        },
    )
    if hazard.level == Hazard.Level.MAJOR:
        notify(
            recipients=county_people_of(hazard),
            title=_("Major hazard recorded at %(enterprise)s") % {"enterprise": enterprise.name},
            body=hazard.description[:200],
            url=hazard_url(hazard),
            category="hazard",
        )
    return hazard


@transaction.atomic
def hazard_update(*, actor, hazard: Hazard, data: HazardIn) -> Hazard:
    """Change a hazard while it is open: the finding side sets the finding, the enterprise the fix.

    The deadline is not changed here once set by a plan (extensions do that, on record).
    """
    hazard = _lock(hazard)
    if hazard.status == H.CLOSED:
        raise ValidationError(_("A closed hazard can no longer be changed."))
    finding = may_edit_plan_hazard(actor, hazard)
    fixing = may_rectify(actor, hazard)
    require(finding or fixing)
    fields: tuple[str, ...] = ()
    if finding:
        fields += tuple(f for f in FINDING_FIELDS if f != "deadline" or hazard.status == H.PENDING)
    if fixing:
        fields += FIX_FIELDS
    errors: dict = {}
    before = {name: str(getattr(hazard, name, "")) for name in ("level", "deadline", "basis_clause_id")}
    changed = _apply(hazard, data, fields, errors)
    _validate(hazard, errors)
    if "deadline" in changed and hazard.status == H.PENDING and not hazard.extensions.exists():
        hazard.original_deadline = hazard.deadline
    hazard.save()
    if changed:
        audit_record(
            actor=actor,
            action="hazard.update",
            target=hazard,
            data={"fields": sorted(changed), "before": before},
        )
    return hazard


# --- The loop: start, progress, evidence, submit, verify ----------------------------------------


def _move(hazard: Hazard, name: str, *, actor, comment: str = "", data: dict | None = None, extra=None):
    now = timezone.now()
    log = apply_transition(
        hazard,
        HAZARD_FLOW,
        name,
        actor=actor,
        comment=comment,
        data=data or {},
        extra_updates={"status_changed_at": now, **(extra or {})},
    )
    audit_record(
        actor=actor,
        action=f"hazard.{name}",
        target=hazard,
        data={"from": log.from_state, "to": log.to_state, "comment": comment[:500], **(data or {})},
    )
    return log


@transaction.atomic
def hazard_start(*, actor, hazard: Hazard):
    hazard = _lock(hazard)
    require(may_rectify(actor, hazard))
    return _move(hazard, "start", actor=actor)


@transaction.atomic
def hazard_progress_add(*, actor, hazard: Hazard, note: str, percent: int | None = None) -> HazardProgress:
    """The enterprise reports progress; reporting on a pending hazard starts it."""
    hazard = _lock(hazard)
    require(may_rectify(actor, hazard))
    note = _text(note, 5000)
    errors = {}
    if not note:
        errors["note"] = [_("Describe the progress.")]
    if percent is not None and not (isinstance(percent, int) and 0 <= percent <= 100):
        errors["percent"] = [_("Give a percentage from 0 to 100.")]
    if errors:
        raise ValidationError(errors)
    if hazard.status not in (H.PENDING, H.IN_PROGRESS):
        raise ValidationError(_("Progress is reported while the hazard is being rectified."))
    if hazard.status == H.PENDING:
        _move(hazard, "start", actor=actor)
    row = HazardProgress.objects.create(hazard=hazard, note=note, percent=percent, author=actor)
    audit_record(actor=actor, action="hazard.progress", target=hazard, data={"percent": percent})
    return row


@transaction.atomic
def hazard_evidence_add(*, actor, hazard: Hazard, file, kind: str, note: str = "") -> HazardEvidence:
    """Attach a before/after photo or a document (checked by content; SHA-256 kept)."""
    hazard = _lock(hazard)
    require(may_rectify(actor, hazard))
    if hazard.status not in (H.PENDING, H.IN_PROGRESS):
        raise ValidationError(_("Evidence is added while the hazard is being rectified."))
    if kind not in HazardEvidence.Kind.values:
        raise ValidationError({"kind": [_("Choose before, after or document.")]})
    checked = check_upload(file)
    extension = "." + checked.kind.extensions[0].lstrip(".")
    row = HazardEvidence(
        hazard=hazard,
        kind=kind,
        extension=extension,
        original_name=checked.name[:200],
        size=checked.size,
        sha256=checked.sha256,
        note=_text(note, 200),
        uploaded_by=actor,
    )
    file.seek(0)
    row.file.save(f"{checked.sha256}{extension}", file, save=False)
    row.save()
    audit_record(
        actor=actor,
        action="hazard.evidence",
        target=hazard,
        data={"kind": kind, "file": row.original_name, "sha256": row.sha256},
    )
    return row


@transaction.atomic
def hazard_submit(*, actor, hazard: Hazard, comment: str = ""):
    """The enterprise submits the fix for verification: refused without evidence of it
    (an "after" photo or a document), and for a 重大 hazard without its 五落实."""
    hazard = _lock(hazard)
    require(may_rectify(actor, hazard))
    evidence = hazard.evidence.filter(kind__in=[HazardEvidence.Kind.AFTER, HazardEvidence.Kind.DOCUMENT])
    sent_back = hazard.transitions.filter(transition="reject").order_by("-created_at", "-pk").first()
    if sent_back is not None:
        # The evidence of a fix sent back was found wanting: the next submission needs new evidence.
        evidence = evidence.filter(pk__gt=sent_back.data.get("evidence_seen", 0))
    if not evidence.exists():
        raise ValidationError(
            _("Attach the evidence of the fix (a photo after rectification or a document) before submitting.")
        )
    missing = five_assurances_missing(hazard)
    if missing:
        raise ValidationError(
            _("A major hazard needs its five assurances before verification; missing: %(missing)s.")
            % {"missing": "、".join(missing)}
        )
    return _move(
        hazard,
        "submit",
        actor=actor,
        comment=_text(comment, 2000),
        extra={"submitted_by": actor, "submitted_at": timezone.now()},
    )


@transaction.atomic
def hazard_verify(*, actor, hazard: Hazard, passed: bool, note: str):
    """Verify the fix (验收): close it (销号) or send it back with the reason.

    The person who rectified it — who submitted the fix, uploaded its evidence or reported its
    progress, in any round — can never verify it. Closing the last open hazard of a plan
    closes the plan (the plan is locked first, so two last hazards verified at once still
    close it).
    """
    if hazard.plan_id is not None:
        RectificationPlan.objects.select_for_update().filter(pk=hazard.plan_id).first()
    hazard = _lock(hazard)
    require(may_verify(actor, hazard))
    note = _text(note, 5000)
    if rectified_by(hazard, actor):
        raise ValidationError(_("You rectified this hazard, so someone else must verify it."))
    if not note:
        raise ValidationError({"note": [_("Write the verification opinion.")]})
    if passed:
        log = _move(
            hazard,
            "verify",
            actor=actor,
            comment=note,
            extra={"verified_by": actor, "verified_at": timezone.now(), "verification_note": note},
        )
        _after_close(actor, hazard)
    else:
        seen = hazard.evidence.order_by("-pk").values_list("pk", flat=True).first() or 0
        log = _move(
            hazard,
            "reject",
            actor=actor,
            comment=note,
            data={"evidence_seen": seen},
            extra={"verification_note": note},
        )
    notify(
        recipients=enterprise_people_of(hazard),
        title=(_("Hazard closed: %(text)s") if passed else _("Rectification sent back: %(text)s"))
        % {"text": hazard.description[:40]},
        body=note,
        url=hazard_url(hazard),
        category="hazard",
    )
    return log


def rectified_by(hazard: Hazard, user) -> bool:
    """Whether ``user`` took part in the rectification (so may not verify it)."""
    return (
        hazard.submitted_by_id == user.pk
        or hazard.transitions.filter(transition="submit", actor=user).exists()
        or hazard.evidence.filter(uploaded_by=user).exists()
        or hazard.progress.filter(author=user).exists()
    )


def _after_close(actor, hazard: Hazard) -> None:
    """Close the plan when this was its last open hazard; tell the city of an open 督办.

    The 督办 itself stays open: the city closes it with its assessment and the enterprise's
    written request to resume (``escalation_close``).
    """
    if hazard.plan_id and not hazard.plan.hazards.exclude(status=H.CLOSED).exists():
        closed = RectificationPlan.objects.filter(pk=hazard.plan_id, status="open").update(
            status=RectificationPlan.Status.CLOSED, closed_at=timezone.now()
        )
        if closed:
            audit_record(actor=actor, action="rectification.plan_closed", target=hazard.plan.application)
    if EscalationOrder.objects.filter(hazard=hazard, status="open").exists():
        notify(
            recipients=city_people_of(hazard),
            title=_("Hazard under supervision verified: %(text)s") % {"text": hazard.description[:40]},
            body=_("Record the assessment and the request to resume to close the supervision order."),
            url=hazard_url(hazard),
            category="hazard",
        )


# --- Extensions ------------------------------------------------------------------------------


@transaction.atomic
def extension_request(*, actor, hazard: Hazard, requested_deadline: date, reason: str) -> ExtensionRequest:
    hazard = _lock(hazard)
    require(may_rectify(actor, hazard))
    reason = _text(reason, 2000)
    errors = {}
    if hazard.status == H.CLOSED:
        raise ValidationError(_("A closed hazard needs no extension."))
    if not reason:
        errors["reason"] = [_("Give the reason for the extension.")]
    if requested_deadline is None or requested_deadline <= hazard.deadline:
        errors["requested_deadline"] = [_("The new deadline must be after the current one.")]
    if errors:
        raise ValidationError(errors)
    if hazard.extensions.filter(status=ExtensionRequest.Status.PENDING).exists():
        raise ValidationError(_("An extension request for this hazard is already waiting for a decision."))
    row = ExtensionRequest.objects.create(
        hazard=hazard,
        requested_deadline=requested_deadline,
        previous_deadline=hazard.deadline,
        reason=reason,
        requested_by=actor,
    )
    audit_record(
        actor=actor,
        action="hazard.extension_request",
        target=hazard,
        data={"to": str(requested_deadline), "from": str(hazard.deadline)},
    )
    notify(
        recipients=city_people_of(hazard),
        title=_("Extension requested: %(enterprise)s") % {"enterprise": hazard.enterprise.name},
        body=reason,
        url=hazard_url(hazard),
        category="hazard",
    )
    return row


@transaction.atomic
def extension_decide(*, actor, extension: ExtensionRequest, approve: bool, note: str = "") -> bool:
    """The city approves (the deadline moves; the original stays on record) or rejects.
    Compare-and-set: a second decision changes nothing (False)."""
    extension = ExtensionRequest.objects.select_related("hazard__enterprise").get(pk=extension.pk)
    hazard = _lock(extension.hazard)
    require(may_decide_extension(actor, hazard))
    if extension.status != ExtensionRequest.Status.PENDING:
        return False
    note = _text(note, 2000)
    if not approve and not note:
        raise ValidationError({"note": [_("Say why the extension is refused.")]})
    status = ExtensionRequest.Status.APPROVED if approve else ExtensionRequest.Status.REJECTED
    updated = ExtensionRequest.objects.filter(pk=extension.pk, status=ExtensionRequest.Status.PENDING).update(
        status=status, decided_by=actor, decided_at=timezone.now(), decision_note=note
    )
    if not updated:
        return False
    if approve:
        hazard.deadline = extension.requested_deadline
        hazard.save(update_fields=["deadline", "updated_at"])
    audit_record(
        actor=actor,
        action="hazard.extension_decide",
        target=hazard,
        data={
            "approved": approve,
            "deadline": str(hazard.deadline),
            "original": str(hazard.original_deadline),
        },
    )
    notify(
        recipients=enterprise_people_of(hazard),
        title=(_("Extension approved until %(date)s") if approve else _("Extension refused"))
        % {"date": extension.requested_deadline.isoformat()},
        body=note,
        url=hazard_url(hazard),
        category="hazard",
    )
    return True


# --- 督办 -----------------------------------------------------------------------------------


@transaction.atomic
def escalation_open(*, actor, hazard: Hazard, reason: str) -> EscalationOrder:
    """Open a 督办 item: the system (actor None) for an overdue 重大 hazard, or the city by choice."""
    hazard = _lock(hazard)
    if actor is not None:
        require(actor.role in CITY_STAFF and in_scope(actor, hazard))
    if hazard.status == H.CLOSED:
        raise ValidationError(_("The hazard is closed."))
    order = EscalationOrder.objects.filter(hazard=hazard, status="open").first()
    if order is not None:
        return order
    order = EscalationOrder.objects.create(hazard=hazard, reason=_text(reason, 200), opened_by=actor)
    audit_record(
        actor=actor, action="hazard.escalate", target=hazard, data={"order": order.pk, "reason": reason}
    )
    title = _("督办: %(enterprise)s — %(text)s") % {
        "enterprise": hazard.enterprise.name,
        "text": hazard.description[:40],
    }
    for people in (city_people_of(hazard), county_people_of(hazard), enterprise_people_of(hazard)):
        notify(recipients=people, title=title, body=order.reason, url=hazard_url(hazard), category="hazard")
    return order


@transaction.atomic
def escalation_close(*, actor, order: EscalationOrder, assessment: str, resume_request: str) -> bool:
    """The city closes a 督办 item: it needs the rectification assessment and the written
    request to resume (domain.md §8)."""
    order = EscalationOrder.objects.select_for_update().select_related("hazard__enterprise").get(pk=order.pk)
    require(actor.role in CITY_STAFF and in_scope(actor, order.hazard))
    if order.status != EscalationOrder.Status.OPEN:
        return False
    if order.hazard.status in (H.PENDING, H.IN_PROGRESS):
        raise ValidationError(_("The hazard has not been rectified yet: its fix must be submitted first."))
    errors = {}
    if not _text(assessment):
        errors["assessment"] = [_("Record the rectification assessment.")]
    if not _text(resume_request):
        errors["resume_request"] = [_("Record the enterprise's written request to resume.")]
    if errors:
        raise ValidationError(errors)
    order.status = EscalationOrder.Status.CLOSED
    order.assessment = _text(assessment, 5000)
    order.resume_request = _text(resume_request, 5000)
    order.closed_by = actor
    order.closed_at = timezone.now()
    order.save(update_fields=["status", "assessment", "resume_request", "closed_by", "closed_at"])
    audit_record(actor=actor, action="hazard.escalation_close", target=order.hazard, data={"order": order.pk})
    return True


# --- The application's rectification moves ------------------------------------------------------


def plan_gate(application: GradingApplication, today: date | None = None) -> domain.Gate:
    """Whether the application's plan lets it move on (issue 6's gate), as of ``today``.

    The rule in force is the parameter ``rectification_gate_allows_general`` of that day.
    """
    today = today or timezone.localdate()
    plan = RectificationPlan.objects.filter(application=application).first()
    hazards = plan.hazards.all() if plan else Hazard.objects.none()
    facts = [
        domain.HazardFact(h.pk, h.level, h.status, hazard_is_overdue(h, today))
        for h in hazards.only("pk", "plan_id", "level", "status", "deadline", "submitted_at")
    ]
    return domain.gate(facts, allow_open_general=bool(param_int("rectification_gate_allows_general", today)))


def hazard_is_overdue(hazard: Hazard, today: date | None = None) -> bool:
    """Overdue as of ``today``; a fix submitted by the deadline is not overdue while it waits."""
    today = today or timezone.localdate()
    submitted_on = timezone.localdate(hazard.submitted_at) if hazard.submitted_at else None
    return domain.is_overdue(hazard.status, hazard.deadline, today, submitted_on)


def _gate_guard(application, actor) -> str | None:
    result = plan_gate(application)
    if result.open:
        return None
    if result.allows_general:
        return _("The rectification plan still has major or overdue hazards: %(n)s must be closed first.") % {
            "n": len(result.blocking)
        }
    return _("The rectification plan still has open hazards: %(n)s must be closed first.") % {
        "n": len(result.blocking)
    }


@transaction.atomic
def rectification_submit(*, actor, application: GradingApplication, comment: str = ""):
    """The principal reports the rectification done (rectifying → rectification_check)."""
    application = GradingApplication.objects.select_for_update(of=("self",)).get(pk=application.pk)
    require(
        actor.role == Role.ENTERPRISE_PRINCIPAL
        and actor.organisation_id is not None
        and actor.organisation_id == application.enterprise.organisation_id
    )
    message = refusal(application, APPLICATION_FLOW["submit_rectification"], actor)
    if message:
        raise TransitionError(message)
    plan = RectificationPlan.objects.filter(application=application).first()
    if plan is not None:
        waiting = plan.hazards.filter(status__in=[H.PENDING, H.IN_PROGRESS]).count()
        if waiting:
            raise ValidationError(
                _("%(n)s hazards have not been submitted for verification yet.") % {"n": waiting}
            )
    log = apply_transition(
        application,
        APPLICATION_FLOW,
        "submit_rectification",
        actor=actor,
        comment=_text(comment, 2000),
        extra_updates={"status_changed_at": timezone.now()},
    )
    audit_record(actor=actor, action="rectification.submit", target=application)
    notify(
        recipients=_leader_users(plan),
        title=_("%(enterprise)s reports its rectification done")
        % {"enterprise": application.enterprise.name},
        url=reverse("grading:detail", args=[application.pk]),
        category="hazard",
    )
    return log


@transaction.atomic
def rectification_confirm(*, actor, application: GradingApplication, passed: bool, comment: str):
    """The leader confirms the rectification (→ result_confirmation, only through the gate) or
    sends it back to the enterprise (→ rectifying)."""
    application = GradingApplication.objects.select_for_update(of=("self",)).get(pk=application.pk)
    plan = RectificationPlan.objects.filter(application=application).first()
    require(leads_plan(actor, plan))
    comment = _text(comment, 2000)
    if not comment:
        raise ValidationError({"comment": [_("Write the rectification check opinion.")]})
    if passed:
        log = apply_transition(
            application,
            APPLICATION_FLOW,
            "confirm_rectification",
            actor=actor,
            comment=comment,
            check_guards=[_gate_guard],
            extra_updates={"status_changed_at": timezone.now()},
        )
        # The 整改复查意见 records verified fixes; a plan let through with only open 一般
        # hazards (the gate's parameter) and none verified yet has nothing to record.
        if plan is not None and plan.hazards.filter(verified_at__isnull=False).exists():
            _schedule_document(application, actor, "rectification_check_opinion")
    else:
        log = apply_transition(
            application,
            APPLICATION_FLOW,
            "return_rectification",
            actor=actor,
            comment=comment,
            extra_updates={"status_changed_at": timezone.now()},
        )
    audit_record(actor=actor, action="rectification.confirm", target=application, data={"passed": passed})
    return log


@transaction.atomic
def rectification_fail(*, actor, application: GradingApplication, reason: str):
    """The 科长 decides the rectification failed or was missed (→ not_passed, the ban starts)."""

    application = GradingApplication.objects.select_for_update(of=("self",)).get(pk=application.pk)
    from grading.permissions import in_scope as application_in_scope

    require(actor.role == Role.CITY_CHIEF and application_in_scope(actor, application))
    reason = _text(reason, 2000)
    if not reason:
        raise ValidationError({"reason": [_("Give the reasons for the decision.")]})
    log = apply_transition(
        application,
        APPLICATION_FLOW,
        "fail_rectification",
        actor=actor,
        comment=reason,
        extra_updates=not_passed_updates(reason),
    )
    audit_record(actor=actor, action="rectification.fail", target=application)
    not_passed_notice_after_commit(application, actor)
    return log


def _schedule_document(application: GradingApplication, actor, kind: str) -> None:
    from grading.tasks import generate_document

    transaction.on_commit(lambda: generate_document.enqueue(application.pk, kind, actor.pk, ""))


def on_review_finalised(*, actor, application: GradingApplication) -> None:
    """Hook of reviews.services.review_finalise: a review with nonconformities gets its plan."""
    if application.status == Status.RECTIFYING:
        plan = plan_from_review(actor=actor, application=application)
        if plan is not None:
            _schedule_document(application, actor, "rectification_notice")
