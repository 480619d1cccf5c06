"""Writes of the on-site scoring (domain.md §5.4, §7): sheets, assignment, consolidation, finalising.

- When the leader opens the review, every seated member gets his own sheet (kind ``expert``)
  and every item of the standard is handed to one member by its specialty tag.
- Members score on their own sheets through the scoring page, independently and at the same
  time: each save locks only the member's own sheet, so nobody's work is overwritten. A member
  submits his sheet when done; the leader may hand it back with a reason.
- The leader consolidates the members' sheets into the panel sheet (kind ``consolidated``),
  proposed by ``standards.domain.consolidate`` from the assigned members' entries, then edits it
  on the scoring page and gives a reason for every item where the panel's value differs from a
  member's or the members diverge (``reviews.domain.reasons_needed``).
- Finalising locks every sheet, stores the engine's score, failed vetoes and conclusion, and
  moves the application: to rectification when there are nonconformities, to result
  confirmation when there are none, or — when the review failed — leaves it for the 科长's
  ``fail_review`` decision (domain.md §3 #12: the leader proposes, the chief decides).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from audit.services import audit_record
from grading.models import GradingApplication, Status
from grading.permissions import in_scope
from grading.services import (
    city_people,
    county_people,
    enterprise_people,
    not_passed_notice_after_commit,
    not_passed_updates,
)
from lib.workflow import apply_transition
from notifications.services import notify
from regulation.selectors import param_decimal
from reviews import domain
from reviews.models import (
    Conclusion,
    ConsolidationReason,
    ItemAssignment,
    MemberSheet,
    Panel,
    PanelMember,
    SiteReview,
)
from reviews.services.panel import (
    APPLICATION_FLOW,
    PANEL_ROLES,
    _experts_people,
    _lock,
    _url,
    finalise_blockers,
    is_panel_leader,
)
from standards.domain import consolidate, score_sheet
from standards.models import Item, ScoreSheet, SheetDeduction, SheetItem
from standards.selectors import sheet_entries, sheet_input, sheet_inputs, standard_spec_cached
from standards.services import (
    DeductionIn,
    EntryIn,
    sheet_create,
    sheet_entries_replace,
    sheet_entries_save,
    sheet_set_status,
)

__all__ = [
    "assignment_change",
    "consolidation_build",
    "consolidation_reason_set",
    "member_sheet_fill_conforming",
    "member_sheet_reopen",
    "register_finalise_hook",
    "member_sheet_submit",
    "reasons_needed",
    "review_fail",
    "review_finalise",
    "scoring_blockers",
    "scoring_prepare",
    "seated_members",
    "unscored_assigned",
]


def seated_members(application: GradingApplication):
    """The confirmed leader and members of the application's panel, in panel order."""
    return (
        PanelMember.objects.filter(
            panel__application=application, role__in=PANEL_ROLES, state=PanelMember.State.CONFIRMED
        )
        .select_related("expert", "expert__user")
        .order_by("order", "pk")
    )


def _item_specialty(item: Item) -> str:
    return item.specialty or "safety_management"


def scoring_prepare(*, actor, review: SiteReview) -> None:
    """Give each seated member his sheet and hand out the unassigned items (idempotent).

    Called inside ``site_review_open``'s transaction. The items go by specialty tag, spread
    evenly (``reviews.domain.assign_items``); a member without a sheet (replaced late) gets one.
    """
    application = review.application
    standard = application.standard
    members = list(seated_members(application))
    for member in members:
        if not MemberSheet.objects.filter(member=member).exists():
            title = _("%(number)s review sheet of %(name)s") % {
                "number": application.number,
                "name": member.expert.name,
            }
            sheet = sheet_create(
                actor=actor, standard=standard, kind=ScoreSheet.Kind.EXPERT, title=title[:200]
            )
            if member.expert.user_id:
                # The member is the sheet's author: the scoring page names him, and he edits it.
                ScoreSheet.objects.filter(pk=sheet.pk).update(created_by_id=member.expert.user_id)
            MemberSheet.objects.create(review=review, member=member, sheet=sheet)
    assigned = set(review.assignments.values_list("item_id", flat=True))
    items = [i for i in standard.items.order_by("sort_order") if i.pk not in assigned]
    scorers = [
        domain.Scorer(key=m.pk, specialties=frozenset(m.expert.specialties or ()), order=m.order)
        for m in members
    ]
    handed = domain.assign_items([(i.code, _item_specialty(i)) for i in items], scorers)
    by_code = {i.code: i for i in items}
    ItemAssignment.objects.bulk_create(
        ItemAssignment(review=review, item=by_code[code], member_id=member_id)
        for code, member_id in handed.items()
    )
    if handed:
        audit_record(
            actor=actor,
            action="review.assign",
            target=application,
            data={"items": len(handed), "members": [m.pk for m in members]},
        )


def _review_for_update(review: SiteReview | int) -> SiteReview:
    return (
        SiteReview.objects.select_for_update(of=("self",))
        .select_related("application__enterprise", "application__standard")
        .get(pk=getattr(review, "pk", review))
    )


def _require_scoring(review: SiteReview) -> None:
    if review.application.status != Status.ON_SITE_REVIEW:
        raise ValidationError(_("Scoring happens while the review is on site."))
    if review.finalised_at is not None:
        raise ValidationError(_("The review has been finalised; its sheets are locked."))


def _require_leader(actor, review: SiteReview) -> None:
    if not is_panel_leader(actor, review.application):
        raise PermissionDenied


@transaction.atomic
def assignment_change(*, actor, review: SiteReview, code: str, member: PanelMember) -> ItemAssignment:
    """The leader hands item ``code`` to another seated member."""
    review = _review_for_update(review)
    _require_leader(actor, review)
    _require_scoring(review)
    if member.pk not in set(seated_members(review.application).values_list("pk", flat=True)):
        raise ValidationError({"member": [_("Only a seated member of the panel can score items.")]})
    row = review.assignments.select_related("item", "member__expert").filter(item__code=code).first()
    if row is None:
        raise ValidationError({"item": [_("Item %(code)s is not in this standard.") % {"code": code}]})
    if row.member_id == member.pk:
        return row
    if MemberSheet.objects.filter(member=member, submitted_at__isnull=False).exists():
        raise ValidationError(
            {
                "member": [
                    _("%(name)s has handed in his sheet; hand it back to him before giving him more items.")
                    % {"name": member.expert.name}
                ]
            }
        )
    before = row.member.expert.name
    row.member = member
    row.by_hand = True
    row.save(update_fields=["member", "by_hand", "assigned_at"])
    audit_record(
        actor=actor,
        action="review.reassign",
        target=review.application,
        data={"item": code, "from": before, "to": member.expert.name},
    )
    return row


def _member_sheet_for_update(member_sheet: MemberSheet) -> MemberSheet:
    # The score sheet too (the lock its saves and clears take): what is read of its entries
    # after this (the unscored items) includes a save or clear of the member's other tab.
    return (
        MemberSheet.objects.select_for_update(of=("self", "sheet"))
        .select_related("review__application__enterprise", "member__expert", "sheet")
        .get(pk=member_sheet.pk)
    )


def unscored_assigned(member_sheet: MemberSheet) -> list[str]:
    """The codes of the member's assigned items his sheet has no entry for (panel order)."""
    scored = SheetItem.objects.filter(sheet_id=member_sheet.sheet_id).values("item_id")
    return list(
        ItemAssignment.objects.filter(review_id=member_sheet.review_id, member_id=member_sheet.member_id)
        .exclude(item_id__in=scored)
        .order_by("item__sort_order")
        .values_list("item__code", flat=True)
    )


@transaction.atomic
def member_sheet_fill_conforming(*, actor, member_sheet: MemberSheet) -> int:
    """The member records every assigned item he has not scored as conforming (full marks).

    The panel scores every item (domain.md §7): an item nobody looked at must not pass as full
    marks by silence, so the member says so explicitly, for the remaining items at once. Returns
    how many items were recorded (0 when none was left).
    """
    member_sheet = _member_sheet_for_update(member_sheet)
    if member_sheet.member.expert.user_id != actor.pk:
        raise PermissionDenied
    _require_scoring(member_sheet.review)
    if member_sheet.submitted_at is not None:
        raise ValidationError(_("This sheet has been submitted and can no longer be changed."))
    codes = unscored_assigned(member_sheet)
    if not codes:
        return 0
    sheet_entries_save(
        actor=actor,
        sheet=member_sheet.sheet,
        entries=[EntryIn(code=code, description=str(_("Checked on site: conforming."))) for code in codes],
    )
    audit_record(
        actor=actor,
        action="review.sheet_conforming",
        target=member_sheet.review.application,
        data={"sheet": member_sheet.sheet_id, "items": len(codes)},
    )
    return len(codes)


@transaction.atomic
def member_sheet_submit(*, actor, member_sheet: MemberSheet) -> bool:
    """The member hands in his sheet; it becomes read-only. A second click changes nothing (False)."""
    member_sheet = _member_sheet_for_update(member_sheet)
    if member_sheet.member.expert.user_id != actor.pk:
        raise PermissionDenied
    _require_scoring(member_sheet.review)
    if member_sheet.submitted_at is not None:
        return False
    unscored = unscored_assigned(member_sheet)
    if unscored:
        shown = "、".join(unscored[:10]) + ("…" if len(unscored) > 10 else "")
        raise ValidationError(
            _(
                "%(n)s of your items are not scored yet (%(codes)s). Score them, or record the ones "
                "you found in order as conforming, before handing in."
            )
            % {"n": len(unscored), "codes": shown}
        )
    member_sheet.submitted_at = timezone.now()
    member_sheet.save(update_fields=["submitted_at"])
    sheet_set_status(
        actor=actor, sheet=member_sheet.sheet, status=ScoreSheet.Status.SUBMITTED, reason="review.submit"
    )
    audit_record(
        actor=actor,
        action="review.sheet_submit",
        target=member_sheet.review.application,
        data={"sheet": member_sheet.sheet_id, "member": member_sheet.member_id},
    )
    return True


@transaction.atomic
def member_sheet_reopen(*, actor, member_sheet: MemberSheet, reason: str) -> bool:
    """The leader hands a submitted sheet back to its member, with a reason the member reads."""
    # The review first (as consolidating and finalising do), so a sheet cannot go back to its
    # member while the leader's other click is finalising the review on the sheets as they were.
    review = _review_for_update(member_sheet.review_id)
    member_sheet = _member_sheet_for_update(member_sheet)
    member_sheet.review = review
    _require_leader(actor, review)
    _require_scoring(review)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the sheet goes back to its member.")]})
    if member_sheet.submitted_at is None:
        return False
    member_sheet.submitted_at = None
    member_sheet.save(update_fields=["submitted_at"])
    sheet_set_status(actor=actor, sheet=member_sheet.sheet, status=ScoreSheet.Status.DRAFT, reason=reason)
    audit_record(
        actor=actor,
        action="review.sheet_reopen",
        target=review.application,
        data={"sheet": member_sheet.sheet_id, "member": member_sheet.member_id, "reason": reason[:500]},
    )
    if member_sheet.member.expert.user_id:
        notify(
            recipients=[member_sheet.member.expert.user],
            title=_("Your review sheet for %(enterprise)s was handed back")
            % {"enterprise": review.application.enterprise.name},
            body=reason,
            url=_url(review.application),
            category="review",
        )
    return True


def _entry_in(entry) -> EntryIn:
    return EntryIn(
        code=entry.code,
        applicable=entry.applicable,
        deductions=tuple(DeductionIn(d.points, d.reason, d.is_hazard) for d in entry.deductions),
        extra_deduction=entry.extra_deduction,
        extra_reason=entry.extra_reason,
        na_reason=entry.na_reason,
        description=entry.note,
    )


def member_inputs(review: SiteReview) -> list[tuple[MemberSheet, object]]:
    """Each member sheet with its engine input (for consolidation and the reasons)."""
    rows = list(review.member_sheets.select_related("member__expert", "sheet__standard"))
    inputs = sheet_inputs(row.sheet for row in rows)
    return [(row, inputs[row.sheet_id]) for row in rows]


@transaction.atomic
def consolidation_build(*, actor, review: SiteReview) -> ScoreSheet:
    """The leader (re)builds the panel sheet from the members' sheets.

    Each item takes the entry of the member it was assigned to; items he left unscored take
    another member's entry (the one with the larger deduction). Rebuilding discards the
    leader's edits of the panel sheet but keeps his reasons. Every member must have submitted.
    """
    review = _review_for_update(review)
    _require_leader(actor, review)
    _require_scoring(review)
    pending = review.member_sheets.filter(submitted_at__isnull=True).select_related("member__expert")
    if pending:
        names = "、".join(row.member.expert.name for row in pending)
        raise ValidationError(_("Waiting for the sheets of: %(names)s.") % {"names": names})
    standard = review.application.standard
    spec = standard_spec_cached(standard)
    inputs = member_inputs(review)
    assignment = {
        code: str(member_id) for code, member_id in review.assignments.values_list("item__code", "member_id")
    }
    proposal = consolidate(
        spec,
        [(str(row.member_id), data) for row, data in inputs],
        assignment=assignment,
        margin=param_decimal("consolidation_margin", timezone.localdate()),
    )
    sheet = review.panel_sheet
    if sheet is None:
        title = _("%(number)s panel sheet") % {"number": review.application.number}
        sheet = sheet_create(actor=actor, standard=standard, kind=ScoreSheet.Kind.CONSOLIDATED, title=title)
        review.panel_sheet = sheet
        review.save(update_fields=["panel_sheet", "updated_at"])
    sheet_entries_replace(actor=actor, sheet=sheet, entries=[_entry_in(e) for e in proposal.entries])
    audit_record(
        actor=actor,
        action="review.consolidate",
        target=review.application,
        data={"sheet": sheet.pk, "items": len(proposal.entries), "divergences": len(proposal.divergences)},
    )
    return sheet


@transaction.atomic
def consolidation_reason_set(
    *, actor, review: SiteReview, code: str, reason: str
) -> ConsolidationReason | None:
    """The leader records (or, with an empty text, withdraws) his reason for an item's panel value."""
    review = _review_for_update(review)
    _require_leader(actor, review)
    _require_scoring(review)
    item = review.application.standard.items.filter(code=code).first()
    if item is None:
        raise ValidationError({"item": [_("Item %(code)s is not in this standard.") % {"code": code}]})
    reason = (reason or "").strip()
    if not reason:
        deleted, _rows = ConsolidationReason.objects.filter(review=review, item=item).delete()
        if deleted:
            audit_record(
                actor=actor, action="review.reason_remove", target=review.application, data={"item": code}
            )
        return None
    row, _created = ConsolidationReason.objects.update_or_create(
        review=review, item=item, defaults={"reason": reason[:2000], "given_by": actor}
    )
    audit_record(
        actor=actor,
        action="review.reason",
        target=review.application,
        data={"item": code, "reason": reason[:500]},
    )
    return row


def reasons_needed(review: SiteReview, *, inputs=None) -> list[domain.ReasonNeeded]:
    """The panel sheet's items that need the leader's reason (empty before consolidation).

    ``inputs``: the ``member_inputs(review)`` the caller has already read (a page reads them once).
    """
    if review.panel_sheet_id is None:
        return []
    standard = review.application.standard
    spec = standard_spec_cached(standard)
    inputs = member_inputs(review) if inputs is None else inputs
    members = {row.member_id: {e.code: e for e in data.entries} for row, data in inputs}
    panel = {e.code: e for e in sheet_input(review.panel_sheet).entries}
    assignment = dict(review.assignments.values_list("item__code", "member_id"))
    return domain.reasons_needed(
        [item.code for item in spec.items],
        members,
        panel,
        assignment,
        margin=param_decimal("consolidation_margin", timezone.localdate()),
    )


def scoring_blockers(review: SiteReview, *, needed=None) -> list[str]:
    """What stands between the scoring and its finalisation; empty: the leader may finalise.

    ``needed``: the ``reasons_needed(review)`` the caller has already computed.
    """
    blockers = []
    pending = list(
        review.member_sheets.filter(submitted_at__isnull=True).values_list("member__expert__name", flat=True)
    )
    if pending:
        blockers.append(_("Waiting for the sheets of: %(names)s.") % {"names": "、".join(pending)})
    if review.panel_sheet_id is None:
        blockers.append(_("The members' sheets have not been consolidated into the panel sheet."))
        return blockers
    given = set(review.consolidation_reasons.values_list("item__code", flat=True))
    needed = reasons_needed(review) if needed is None else needed
    missing = [need.code for need in needed if need.code not in given]
    if missing:
        blockers.append(
            _("Give the reason for the panel's value of items %(codes)s.") % {"codes": "、".join(missing)}
        )
    return blockers


@transaction.atomic
def review_finalise(*, actor, application: GradingApplication, comment: str = ""):
    """The leader locks the sheets and records the result; the application moves on.

    Refused (nothing changes) while a regulator is missing from the sign-in sheets, a member's
    sheet is out, the panel sheet is missing or a reason is owed. The engine's result is
    stored on the review. Passed with nonconformities → rectifying; passed without → result
    confirmation; failed → the application waits for the 科长's decision (``review_fail``).
    Returns the transition log, or None for a failed review.
    """
    application = _lock(application)
    review = _review_for_update(SiteReview.objects.get(application=application))
    _require_leader(actor, review)
    _require_scoring(review)
    if review.panel_sheet_id is not None:
        # Lock the panel sheet before reading it: a save of it in flight (the leader's other tab)
        # commits first and is scored; a later one finds the sheet locked.
        review.panel_sheet = (
            ScoreSheet.objects.select_for_update(of=("self",))
            .select_related("standard")
            .get(pk=review.panel_sheet_id)
        )
    blockers = finalise_blockers(review) + scoring_blockers(review)
    if blockers:
        raise ValidationError(blockers)
    spec = standard_spec_cached(application.standard)
    result = score_sheet(spec, sheet_input(review.panel_sheet, applied_level=application.grade_level))
    nonconformities = SheetDeduction.objects.filter(entry__sheet=review.panel_sheet).count() + (
        sheet_entries(review.panel_sheet).filter(extra_deduction__gt=0).count()
    )
    now = timezone.now()
    review.finalised_by = actor
    review.finalised_at = now
    review.conclusion = Conclusion.PASS if result.passed else Conclusion.FAIL
    review.earned = result.earned
    review.percentage = result.percentage
    review.final_level = result.final_level
    review.failed_vetoes = list(result.failed_vetoes)
    review.nonconformities = nonconformities
    review.explanation = list(result.explanation)
    review.save()
    sheet_ids = [review.panel_sheet_id, *review.member_sheets.values_list("sheet_id", flat=True)]
    for sheet in ScoreSheet.objects.filter(pk__in=sheet_ids):
        sheet_set_status(actor=actor, sheet=sheet, status=ScoreSheet.Status.LOCKED, reason="review.finalise")
    data = {
        "review": review.pk,
        "earned": str(result.earned),
        "percentage": str(result.percentage) if result.percentage is not None else None,
        "conclusion": review.conclusion,
        "failed_vetoes": list(result.failed_vetoes),
        "nonconformities": nonconformities,
    }
    audit_record(actor=actor, action="review.finalise", target=application, data=data)
    log = None
    if result.passed:
        move = "finalise_with_rectification" if nonconformities else "finalise_without_findings"
        log = apply_transition(
            application,
            APPLICATION_FLOW,
            move,
            actor=actor,
            comment=comment,
            data=data,
            extra_updates={"status_changed_at": now},
        )
    title = _("On-site review of %(enterprise)s finalised: %(score)s points, %(conclusion)s") % {
        "enterprise": application.enterprise.name,
        "score": result.earned,
        "conclusion": review.get_conclusion_display(),
    }
    for people in (enterprise_people(application), county_people(application), city_people(application)):
        notify(recipients=people, title=title, url=_url(application), category="review")
    _schedule_report(application, actor, reason=_("Review finalised"))
    for hook in _FINALISE_HOOKS:
        hook(actor=actor, application=application)
    return log


# Later apps act on a finalised review in the same transaction (rectification makes the
# 一企一策 plan from the deductions marked as hazards); reviews cannot import them.
_FINALISE_HOOKS: list = []


def register_finalise_hook(hook) -> None:
    """Called from an AppConfig.ready(): ``hook(actor=, application=)`` runs after each finalisation."""
    if hook not in _FINALISE_HOOKS:
        _FINALISE_HOOKS.append(hook)


def _schedule_report(application: GradingApplication, actor, *, reason: str) -> None:
    from grading.tasks import generate_document

    transaction.on_commit(
        lambda: generate_document.enqueue(application.pk, "review_report", actor.pk, str(reason))
    )


@transaction.atomic
def review_fail(*, actor, application: GradingApplication, reason: str):
    """The 科长 decides "not passed" on a review the panel finalised as failed (domain §3 #12)."""
    application = _lock(application)
    if actor.role != Role.CITY_CHIEF or not in_scope(actor, application):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reasons for the decision.")]})
    review = SiteReview.objects.filter(application=application).first()
    if review is None or review.conclusion != Conclusion.FAIL:
        raise ValidationError(_("Only a review the panel finalised as not passed can be decided so."))
    log = apply_transition(
        application,
        APPLICATION_FLOW,
        "fail_review",
        actor=actor,
        comment=reason,
        data={"review": review.pk, "earned": str(review.earned), "failed_vetoes": review.failed_vetoes},
        extra_updates=not_passed_updates(reason),
    )
    not_passed_notice_after_commit(application, actor)
    title = _("%(enterprise)s did not pass the on-site review") % {"enterprise": application.enterprise.name}
    panel = Panel.objects.filter(application=application).first()
    seated = seated_members(application).values_list("expert_id", flat=True) if panel else []
    for people in (enterprise_people(application), county_people(application), _experts_people(seated)):
        notify(recipients=people, title=title, body=reason, url=_url(application), category="review")
    return log
