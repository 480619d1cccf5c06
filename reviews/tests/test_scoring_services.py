"""The on-site scoring through its services (issue 5; domain.md §5.4, §7): the members' sheets
and the assignment made at the opening, reassignment, submitting and reopening a sheet, the
consolidation into the panel sheet, the finalisation and the chief's "not passed", and who
reads which sheet.

Every test starts from the ``on_site`` fixture (reviews/tests/conftest.py): a panel of five
(a 设备设施 leader, three 工艺技术 members, one 安全管理 member) on the bundled 仓储物流 standard.
Members act as their expert's user.
"""

import re
from collections import Counter
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from audit.models import AuditEvent
from grading.models import ApplicationTransition, Status
from lib.workflow import TransitionError
from notifications.models import Notification
from reviews.models import Conclusion, ConsolidationReason, ItemAssignment, MemberSheet, PanelMember
from reviews.services import (
    assignment_change,
    attendance_record,
    consolidation_build,
    consolidation_reason_set,
    finalise_blockers,
    member_sheet_fill_conforming,
    member_sheet_reopen,
    member_sheet_submit,
    reasons_needed,
    review_fail,
    review_finalise,
    scoring_blockers,
    scoring_prepare,
    seated_members,
    unscored_assigned,
)
from standards import selectors as standards_selectors
from standards.domain import score_sheet
from standards.models import Item, ScoreSheet
from standards.permissions import can_edit_sheet, sheets_visible_to
from standards.selectors import sheet_input, standard_spec_cached
from standards.services import DeductionIn, EntryIn, sheet_entries_save

pytestmark = pytest.mark.django_db

REASON = "组长复核现场证据后确定"


# --- Helpers (imported by test_scoring_concurrency) ---------------------------------------------


def sign_in_regulators(personas, review) -> None:
    """The city and county officers sign themselves in to both meetings."""
    for meeting in ("opening", "closing"):
        for officer in (personas.city_officer, personas.county_officer):
            attendance_record(actor=officer, review=review, meeting=meeting, user=officer)


def members(application) -> list[PanelMember]:
    return list(seated_members(application))


def leader_of(application) -> PanelMember:
    return next(m for m in members(application) if m.role == PanelMember.Role.LEADER)


def user_of(member: PanelMember):
    return member.expert.user


def sheet_of(member: PanelMember) -> ScoreSheet:
    return MemberSheet.objects.select_related("sheet").get(member=member).sheet


def member_sheet(member: PanelMember) -> MemberSheet:
    return MemberSheet.objects.get(member=member)


def assigned_to(review, member: PanelMember) -> list[str]:
    return list(
        review.assignments.filter(member=member)
        .order_by("item__sort_order")
        .values_list("item__code", flat=True)
    )


def assignee(review, code: str) -> PanelMember:
    return PanelMember.objects.select_related("expert__user").get(
        assignments__review=review, assignments__item__code=code
    )


def deduct(code: str, *points, hazard: bool = False) -> EntryIn:
    return EntryIn(
        code=code, deductions=tuple(DeductionIn(str(p), f"{code}现场不符合", hazard) for p in points)
    )


def not_applicable(code: str) -> EntryIn:
    return EntryIn(code=code, applicable=False, na_reason="企业不涉及")


def score(member: PanelMember, *entries: EntryIn) -> None:
    sheet_entries_save(actor=user_of(member), sheet=sheet_of(member), entries=list(entries))


def hand_in(member: PanelMember) -> bool:
    """The member records his unscored assigned items as conforming, then hands his sheet in."""
    member_sheet_fill_conforming(actor=user_of(member), member_sheet=member_sheet(member))
    return member_sheet_submit(actor=user_of(member), member_sheet=member_sheet(member))


def submit_all(application) -> None:
    for member in members(application):
        hand_in(member)


def give_reasons(review, leader_user) -> None:
    for need in reasons_needed(review):
        consolidation_reason_set(actor=leader_user, review=review, code=need.code, reason=REASON)


def transitions(application, name: str) -> int:
    return ApplicationTransition.objects.filter(application=application, transition=name).count()


def audits(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# --- 1. Opening: sheets and the default assignment ----------------------------------------------------


def _default_specialty(code: str) -> str:
    """domain.md §7, 13 elements: 设备设施 6 and 7.3; 工艺技术 the rest of 7, 9 and 10; 安全管理 the rest."""
    element, sub = code.split(".")[0], ".".join(code.split(".")[:2])
    if element == "6" or sub == "7.3":
        return "equipment_facilities"
    if element in ("7", "9", "10"):
        return "process_technology"
    return "safety_management"


def test_opening_gives_each_seated_member_a_sheet_and_each_item_one_scorer(personas, on_site):
    application, panel, review = on_site
    seated = members(application)
    assert len(seated) == 5 and all(m.state == PanelMember.State.CONFIRMED for m in seated)
    sheets = MemberSheet.objects.filter(review=review).select_related("sheet", "member__expert")
    assert sorted(s.member_id for s in sheets) == sorted(m.pk for m in seated)
    for row in sheets:
        assert row.sheet.kind == ScoreSheet.Kind.EXPERT
        assert row.sheet.status == ScoreSheet.Status.DRAFT
        assert row.sheet.standard_id == application.standard_id
        assert row.sheet.created_by_id == row.member.expert.user_id  # the member is its author
        assert row.submitted_at is None
    assert panel.members.filter(role=PanelMember.Role.RESERVE).exclude(review_sheet=None).count() == 0

    items = list(application.standard.items.all())
    assert len(items) == 164
    rows = list(review.assignments.select_related("item", "member__expert"))
    assert len(rows) == len(items) and len({r.item_id for r in rows}) == len(items)
    for row in rows:
        assert row.item.specialty == _default_specialty(row.item.code), row.item.code
        # The panel covers the three specialties, so every item goes to one of its specialists.
        assert row.item.specialty in row.member.expert.specialties, row.item.code
        assert not row.by_hand
    # Element 6 and 7.3 go to the 设备设施 member (the leader here), 7.1 to a 工艺技术 member.
    by_code = {r.item.code: r.member for r in rows}
    assert by_code["6.1.1"].expert.specialties == ["equipment_facilities"]
    assert by_code["7.1.1"].expert.specialties == ["process_technology"]
    assert by_code["1.1.1"].expert.specialties == ["safety_management"]
    assert by_code[next(c for c in by_code if c.startswith("7.3."))].expert.specialties == [
        "equipment_facilities"
    ]
    # The three 工艺技术 members share their items evenly.
    load = Counter(r.member_id for r in rows)
    process = [load[m.pk] for m in seated if m.expert.specialties == ["process_technology"]]
    assert len(process) == 3 and max(process) - min(process) <= 1
    assert audits("review.assign") == 1


def test_preparing_again_changes_nothing(personas, on_site):
    application, panel, review = on_site
    before = (MemberSheet.objects.count(), ScoreSheet.objects.count(), ItemAssignment.objects.count())
    moved = review.assignments.first()
    target = next(m for m in members(application) if m.pk != moved.member_id)
    assignment_change(
        actor=user_of(leader_of(application)), review=review, code=moved.item.code, member=target
    )
    scoring_prepare(actor=user_of(leader_of(application)), review=review)
    assert (MemberSheet.objects.count(), ScoreSheet.objects.count(), ItemAssignment.objects.count()) == before
    moved.refresh_from_db()
    assert moved.member_id == target.pk  # a reassignment by hand survives
    assert audits("review.assign") == 1


# --- 2. Reassignment -----------------------------------------------------------------------------------


def test_only_the_leader_reassigns_and_it_is_audited(personas, on_site):
    application, panel, review = on_site
    leader = leader_of(application)
    others = [m for m in members(application) if m.role == PanelMember.Role.MEMBER]
    row = review.assignments.select_related("item", "member__expert").get(item__code="1.1.1")
    target = next(m for m in members(application) if m.pk != row.member_id)
    for outsider in (
        user_of(others[0]),
        personas.city_officer,
        personas.city_chief,
        personas.enterprise_principal,
    ):
        with pytest.raises(PermissionDenied):
            assignment_change(actor=outsider, review=review, code="1.1.1", member=target)
    row.refresh_from_db()
    assert not row.by_hand and audits("review.reassign") == 0

    changed = assignment_change(actor=user_of(leader), review=review, code="1.1.1", member=target)
    row.refresh_from_db()
    assert changed.pk == row.pk and row.member_id == target.pk and row.by_hand
    event = AuditEvent.objects.get(action="review.reassign")
    assert event.data["item"] == "1.1.1" and event.data["to"] == target.expert.name
    assert event.target_id == str(application.pk)
    # To the same member again: nothing to record.
    assignment_change(actor=user_of(leader), review=review, code="1.1.1", member=target)
    assert audits("review.reassign") == 1

    reserve = panel.members.filter(role=PanelMember.Role.RESERVE).first()
    with pytest.raises(ValidationError):  # not seated
        assignment_change(actor=user_of(leader), review=review, code="1.1.1", member=reserve)
    with pytest.raises(ValidationError):
        assignment_change(actor=user_of(leader), review=review, code="99.9.9", member=target)


# --- 3. A member's sheet: submit, read-only, reopen ----------------------------------------------------


def test_submitting_is_idempotent_and_makes_the_sheet_read_only(personas, on_site):
    application, panel, review = on_site
    member = next(m for m in members(application) if m.role == PanelMember.Role.MEMBER)
    other = next(m for m in members(application) if m.role == PanelMember.Role.MEMBER and m.pk != member.pk)
    code = assigned_to(review, member)[0]
    score(member, deduct(code, 1))
    member_sheet_fill_conforming(actor=user_of(member), member_sheet=member_sheet(member))
    with pytest.raises(PermissionDenied):  # nobody submits another's sheet, not even the leader
        member_sheet_submit(actor=user_of(other), member_sheet=member_sheet(member))
    with pytest.raises(PermissionDenied):
        member_sheet_submit(actor=user_of(leader_of(application)), member_sheet=member_sheet(member))
    with pytest.raises(PermissionDenied):  # nor writes on it
        sheet_entries_save(actor=user_of(other), sheet=sheet_of(member), entries=[deduct(code, 2)])

    stale = member_sheet(member)
    assert member_sheet_submit(actor=user_of(member), member_sheet=stale) is True
    assert member_sheet_submit(actor=user_of(member), member_sheet=stale) is False  # the second click
    row = member_sheet(member)
    assert row.submitted_at is not None and row.sheet.status == ScoreSheet.Status.SUBMITTED
    assert audits("review.sheet_submit") == 1
    with pytest.raises(ValidationError):
        sheet_entries_save(actor=user_of(member), sheet=sheet_of(member), entries=[deduct(code, 2)])
    assert not can_edit_sheet(user_of(member), sheet_of(member))
    entries = {e.code: e for e in sheet_input(sheet_of(member)).entries}
    assert [d.points for d in entries[code].deductions] == [Decimal("1")]


def test_the_leader_reopens_a_sheet_with_a_reason(personas, on_site):
    application, panel, review = on_site
    leader = leader_of(application)
    member = next(m for m in members(application) if m.role == PanelMember.Role.MEMBER)
    other = next(m for m in members(application) if m.role == PanelMember.Role.MEMBER and m.pk != member.pk)
    assert member_sheet_reopen(actor=user_of(leader), member_sheet=member_sheet(member), reason="x") is False
    hand_in(member)
    for outsider in (user_of(member), user_of(other), personas.city_officer):
        with pytest.raises(PermissionDenied):
            member_sheet_reopen(actor=outsider, member_sheet=member_sheet(member), reason="请复核")
    with pytest.raises(ValidationError):
        member_sheet_reopen(actor=user_of(leader), member_sheet=member_sheet(member), reason="  ")
    assert member_sheet(member).submitted_at is not None

    assert (
        member_sheet_reopen(actor=user_of(leader), member_sheet=member_sheet(member), reason="请复核6.1.1")
        is True
    )
    row = member_sheet(member)
    assert row.submitted_at is None and row.sheet.status == ScoreSheet.Status.DRAFT
    event = AuditEvent.objects.get(action="review.sheet_reopen")
    assert event.data["reason"] == "请复核6.1.1"
    assert Notification.objects.filter(recipient=user_of(member), body="请复核6.1.1").exists()
    score(member, deduct(assigned_to(review, member)[0], 1))  # he may write again
    assert member_sheet_submit(actor=user_of(member), member_sheet=member_sheet(member)) is True


# --- 3b. Every assigned item scored before handing in; the rest recorded as conforming ---------------


CONFORMING = "Checked on site: conforming."


def _codes(message: str) -> list[str]:
    """The item codes a message names."""
    return re.findall(r"\d+(?:\.\d+)+", message)


def _numbers(message: str) -> list[int]:
    """The plain numbers a message names (not the codes)."""
    return [int(n) for n in re.findall(r"(?<![\d.])\d+(?![\d.])", message)]


def test_a_member_cannot_hand_in_while_an_assigned_item_has_no_entry(personas, on_site):
    application, panel, review = on_site
    member = assignee(review, "7.1.1")
    mine = assigned_to(review, member)
    assert len(mine) > 10
    # An item of another member's does not count for him; his own do, one by one.
    stranger = next(code for code in ("1.1.1", "6.1.1") if code not in mine)
    score(member, deduct(mine[0], 1), deduct(stranger, 1))
    assert unscored_assigned(member_sheet(member)) == mine[1:]
    with pytest.raises(ValidationError) as refused:
        member_sheet_submit(actor=user_of(member), member_sheet=member_sheet(member))
    message = " ".join(refused.value.messages)
    assert _numbers(message) == [len(mine) - 1]  # the count
    assert _codes(message) == mine[1:11]  # the first ten codes, in order, and only his unscored
    assert ("…" in message) == (len(mine) - 1 > 10)  # more than ten: the list is cut short
    row = member_sheet(member)
    assert row.submitted_at is None and row.sheet.status == ScoreSheet.Status.DRAFT
    assert audits("review.sheet_submit") == 0

    # Scoring all but one is not enough either; the message names the last one.
    score(member, *(deduct(code, "0.5") for code in mine[1:-1]))
    with pytest.raises(ValidationError) as refused:
        member_sheet_submit(actor=user_of(member), member_sheet=member_sheet(member))
    assert _codes(str(refused.value)) == [mine[-1]] and _numbers(str(refused.value)) == [1]
    score(member, not_applicable(mine[-1]))  # an N/A is an entry
    assert unscored_assigned(member_sheet(member)) == []
    assert member_sheet_submit(actor=user_of(member), member_sheet=member_sheet(member)) is True


def test_an_item_handed_to_a_member_must_be_scored_by_him_too(personas, on_site):
    application, panel, review = on_site
    leader = leader_of(application)
    member = assignee(review, "7.1.1")
    other = assignee(review, "1.1.1")
    member_sheet_fill_conforming(actor=user_of(member), member_sheet=member_sheet(member))
    assert unscored_assigned(member_sheet(member)) == []
    # Another member scored 1.1.1; it is handed to this member, whose sheet has nothing on it.
    score(other, deduct("1.1.1", 1))
    assignment_change(actor=user_of(leader), review=review, code="1.1.1", member=member)
    assert unscored_assigned(member_sheet(member)) == ["1.1.1"]
    with pytest.raises(ValidationError) as refused:
        member_sheet_submit(actor=user_of(member), member_sheet=member_sheet(member))
    assert "1.1.1" in str(refused.value)
    # The member it was taken from no longer owes it (his entry stays a second opinion).
    assert "1.1.1" not in assigned_to(review, other)
    assert unscored_assigned(member_sheet(other)) == assigned_to(review, other)


def test_recording_the_rest_as_conforming_takes_exactly_the_unscored_assigned_items(personas, on_site):
    application, panel, review = on_site
    member = assignee(review, "7.1.1")
    neighbour = next(m for m in members(application) if m.pk != member.pk)
    mine = assigned_to(review, member)
    stranger = assigned_to(review, neighbour)[0]
    score(member, deduct(mine[0], 1), not_applicable(mine[1]), deduct(stranger, 2))
    score(neighbour, deduct(mine[2], 3))  # the neighbour's second opinion on one of his
    neighbour_before = {e.code: e for e in sheet_input(sheet_of(neighbour)).entries}

    count = member_sheet_fill_conforming(actor=user_of(member), member_sheet=member_sheet(member))
    assert count == len(mine) - 2
    entries = {e.code: e for e in sheet_input(sheet_of(member)).entries}
    assert set(entries) == set(mine) | {stranger}  # his items, and the one he chose to score
    # What he had scored stays as it was.
    assert [d.points for d in entries[mine[0]].deductions] == [Decimal("1")]
    assert entries[mine[1]].applicable is False
    assert [d.points for d in entries[stranger].deductions] == [Decimal("2")]
    # The rest: explicit full marks, applicable, with the note saying so.
    rows = {
        row.item.code: row
        for row in sheet_of(member).entries.select_related("item").prefetch_related("deductions")
    }
    for code in mine[2:]:
        assert entries[code].applicable and entries[code].deductions == ()
        assert entries[code].extra_deduction == 0
        assert rows[code].description == gettext(CONFORMING), code
        assert rows[code].scored_by_id == user_of(member).pk
    assert unscored_assigned(member_sheet(member)) == []
    # Nobody else's sheet changed.
    assert {e.code: e for e in sheet_input(sheet_of(neighbour)).entries} == neighbour_before
    for other in members(application):
        if other.pk not in (member.pk, neighbour.pk):
            assert not sheet_of(other).entries.exists()
    event = AuditEvent.objects.get(action="review.sheet_conforming")
    assert event.data == {"sheet": sheet_of(member).pk, "items": count}
    assert event.target_id == str(application.pk) and event.actor_id == user_of(member).pk

    # A second click finds nothing left: 0, nothing recorded, nothing audited.
    stamps = dict(sheet_of(member).entries.values_list("item__code", "scored_at"))
    assert member_sheet_fill_conforming(actor=user_of(member), member_sheet=member_sheet(member)) == 0
    assert dict(sheet_of(member).entries.values_list("item__code", "scored_at")) == stamps
    assert audits("review.sheet_conforming") == 1
    assert member_sheet_submit(actor=user_of(member), member_sheet=member_sheet(member)) is True


def test_only_the_member_records_his_items_as_conforming_and_not_after_handing_in(personas, on_site):
    application, panel, review = on_site
    leader = leader_of(application)
    member = assignee(review, "7.1.1")
    other = next(m for m in members(application) if m.pk not in (member.pk, leader.pk))
    for outsider in (user_of(other), user_of(leader), personas.city_officer, personas.city_chief):
        with pytest.raises(PermissionDenied):
            member_sheet_fill_conforming(actor=outsider, member_sheet=member_sheet(member))
    assert not sheet_of(member).entries.exists() and audits("review.sheet_conforming") == 0

    assert hand_in(member) is True
    with pytest.raises(ValidationError):  # handed in: the sheet is the leader's to hand back
        member_sheet_fill_conforming(actor=user_of(member), member_sheet=member_sheet(member))
    # Handed back, then given an item more: he may record it as conforming again.
    member_sheet_reopen(actor=user_of(leader), member_sheet=member_sheet(member), reason="请评7.1")
    code = assigned_to(review, other)[0]
    assignment_change(actor=user_of(leader), review=review, code=code, member=member)
    assert member_sheet_fill_conforming(actor=user_of(member), member_sheet=member_sheet(member)) == 1
    assert audits("review.sheet_conforming") == 2


def test_nothing_is_recorded_as_conforming_once_the_review_is_finalised(personas, on_site):
    application, panel, review = on_site
    leader = leader_of(application)
    member = assignee(review, "7.1.1")
    review = consolidated(personas, application, review)
    sign_in_regulators(personas, review)
    review_finalise(actor=user_of(leader), application=application)
    # Reassigning is refused too, so nothing can become unscored after the finalisation.
    with pytest.raises(ValidationError):
        assignment_change(actor=user_of(leader), review=review, code="7.1.1", member=leader)
    with pytest.raises(ValidationError):
        member_sheet_fill_conforming(actor=user_of(member), member_sheet=member_sheet(member))


# --- 4. Consolidation ------------------------------------------------------------------------------------


def test_consolidation_waits_for_every_sheet_then_takes_the_assigned_members_entries(personas, on_site):
    application, panel, review = on_site
    leader = leader_of(application)
    safety = assignee(review, "1.1.1")  # the 安全管理 member
    process = assignee(review, "7.1.1")
    assert safety.pk != process.pk
    # 1.1.1: the assignee deducts 1, a colleague 2 (he saw something too) → divergent.
    score(safety, deduct("1.1.1", 1), deduct("1.1.2", "0.5"))
    score(process, deduct("1.1.1", 2), deduct("7.1.1", 1), not_applicable("9.2.1"))
    # 9.2.1 is assigned to someone who did not mark it: the process member's N/A is not his.
    not_his = assignee(review, "9.2.1")

    with pytest.raises(PermissionDenied):
        consolidation_build(actor=user_of(safety), review=review)
    with pytest.raises(ValidationError) as refused:  # sheets are out
        consolidation_build(actor=user_of(leader), review=review)
    pending_names = {m.expert.name for m in members(application)}
    assert all(name in str(refused.value) for name in pending_names)
    review.refresh_from_db()
    assert review.panel_sheet_id is None
    assert reasons_needed(review) == []

    submit_all(application)
    sheet = consolidation_build(actor=user_of(leader), review=review)
    review.refresh_from_db()
    assert review.panel_sheet_id == sheet.pk and sheet.kind == ScoreSheet.Kind.CONSOLIDATED
    panel_entries = {e.code: e for e in sheet_input(sheet).entries}
    assert [d.points for d in panel_entries["1.1.1"].deductions] == [Decimal("1")]  # the assignee's
    assert [d.points for d in panel_entries["1.1.2"].deductions] == [Decimal("0.5")]
    assert [d.points for d in panel_entries["7.1.1"].deductions] == [Decimal("1")]
    needs = {n.code: n for n in reasons_needed(review)}
    # The panel follows the assignee: the reason is owed for the divergence, not against him.
    assert needs["1.1.1"].divergent and needs["1.1.1"].differs_from == ()
    if not_his.pk != process.pk:
        assert needs["9.2.1"].divergent  # N/A against the assignee's silent full marks
    assert "1.1.2" not in needs and "7.1.1" not in needs
    assert AuditEvent.objects.filter(action="review.consolidate").count() == 1
    # Every member sheet is still out of the leader's reach for editing; the panel sheet is his.
    assert can_edit_sheet(user_of(leader), sheet)
    assert not can_edit_sheet(user_of(safety), sheet)

    # Rebuilding discards the leader's edits but keeps his reasons.
    consolidation_reason_set(actor=user_of(leader), review=review, code="1.1.1", reason=REASON)
    sheet_entries_save(actor=user_of(leader), sheet=sheet, entries=[deduct("2.1.1", 3)])
    assert "2.1.1" in {n.code for n in reasons_needed(review)}
    consolidation_build(actor=user_of(leader), review=review)
    # Back to the assignee's value: his explicit full marks, nothing owed for 2.1.1.
    rebuilt = {e.code: e for e in sheet_input(sheet).entries}
    assert rebuilt["2.1.1"].deductions == () and rebuilt["2.1.1"].applicable
    assert "2.1.1" not in {n.code for n in reasons_needed(review)}
    assert ConsolidationReason.objects.filter(review=review, item__code="1.1.1").exists()
    assert ScoreSheet.objects.filter(kind=ScoreSheet.Kind.CONSOLIDATED).count() == 1


def test_reasons_are_the_leaders_and_can_be_withdrawn(personas, on_site):
    application, panel, review = on_site
    leader = leader_of(application)
    member = assignee(review, "1.1.1")
    score(member, deduct("1.1.1", 1))
    submit_all(application)
    consolidation_build(actor=user_of(leader), review=review)
    with pytest.raises(PermissionDenied):
        consolidation_reason_set(actor=user_of(member), review=review, code="1.1.1", reason="x")
    with pytest.raises(ValidationError):
        consolidation_reason_set(actor=user_of(leader), review=review, code="99.1.1", reason="x")
    assert consolidation_reason_set(actor=user_of(leader), review=review, code="1.1.1", reason=REASON)
    assert consolidation_reason_set(actor=user_of(leader), review=review, code="1.1.1", reason="") is None
    assert not ConsolidationReason.objects.filter(review=review).exists()
    assert audits("review.reason") == 1 and audits("review.reason_remove") == 1


# --- 5. Finalising ------------------------------------------------------------------------------------


def consolidated(personas, application, review, *entries_by_code: EntryIn):
    """Each entry scored by its item's assignee, every sheet submitted, the panel sheet built."""
    by_member: dict[int, list[EntryIn]] = {}
    for entry in entries_by_code:
        by_member.setdefault(assignee(review, entry.code).pk, []).append(entry)
    for member in members(application):
        if member.pk in by_member:
            score(member, *by_member[member.pk])
    submit_all(application)
    consolidation_build(actor=user_of(leader_of(application)), review=review)
    review.refresh_from_db()
    return review


def test_finalise_is_refused_until_regulators_sign_and_reasons_are_given_then_rectifying(personas, on_site):
    application, panel, review = on_site
    leader = leader_of(application)
    other = assignee(review, "1.1.1")
    assert assignee(review, "6.1.1").pk == leader.pk
    score(other, deduct("6.1.1", 2))  # a colleague finds more on the leader's item
    review = consolidated(personas, application, review, deduct("1.1.1", 1), deduct("6.1.1", 1, hazard=True))
    assert review.panel_sheet_id

    with pytest.raises(PermissionDenied):
        review_finalise(actor=user_of(other), application=application)
    with pytest.raises(ValidationError) as refused:
        review_finalise(actor=user_of(leader), application=application)
    assert len(finalise_blockers(review)) == 4
    assert set(finalise_blockers(review)) <= set(refused.value.messages)
    sign_in_regulators(personas, review)
    assert finalise_blockers(review) == []
    assert [n.code for n in reasons_needed(review)] == ["6.1.1"]
    with pytest.raises(ValidationError) as refused:  # the reason for 6.1.1 is owed
        review_finalise(actor=user_of(leader), application=application)
    assert "6.1.1" in str(refused.value)
    application.refresh_from_db()
    assert application.status == Status.ON_SITE_REVIEW
    assert transitions(application, "finalise_with_rectification") == 0

    give_reasons(review, user_of(leader))
    assert scoring_blockers(review) == []
    log = review_finalise(actor=user_of(leader), application=application, comment="现场评审结束")
    assert log is not None and log.transition == "finalise_with_rectification"
    application.refresh_from_db()
    review.refresh_from_db()
    assert application.status == Status.RECTIFYING

    expected = score_sheet(
        standard_spec_cached(application.standard),
        sheet_input(review.panel_sheet, applied_level=application.grade_level),
    )
    assert review.conclusion == Conclusion.PASS and expected.passed
    assert review.earned == expected.earned == Decimal("998")
    assert review.percentage == expected.percentage == Decimal("99.8")
    assert review.final_level == expected.final_level
    assert review.failed_vetoes == [] and review.nonconformities == 2
    assert review.finalised_by_id == user_of(leader).pk and review.finalised_at is not None
    assert set(
        ScoreSheet.objects.filter(
            pk__in=[review.panel_sheet_id, *review.member_sheets.values_list("sheet_id", flat=True)]
        ).values_list("status", flat=True)
    ) == {ScoreSheet.Status.LOCKED}
    assert audits("review.finalise") == 1

    # Everything is locked now, and a second click changes nothing.
    with pytest.raises(ValidationError):
        review_finalise(actor=user_of(leader), application=application)
    with pytest.raises(ValidationError):
        sheet_entries_save(actor=user_of(leader), sheet=review.panel_sheet, entries=[deduct("1.1.2", 1)])
    with pytest.raises(ValidationError):
        consolidation_build(actor=user_of(leader), review=review)
    with pytest.raises(ValidationError):
        member_sheet_reopen(actor=user_of(leader), member_sheet=member_sheet(other), reason="再看看")
    assert transitions(application, "finalise_with_rectification") == 1
    assert audits("review.finalise") == 1
    with pytest.raises(ValidationError):  # a passed review is not the chief's to fail
        review_fail(actor=personas.city_chief, application=application, reason="不通过")


def test_a_review_without_findings_goes_to_result_confirmation(personas, on_site):
    application, panel, review = on_site
    review = consolidated(personas, application, review, not_applicable("9.2.1"))
    sign_in_regulators(personas, review)
    give_reasons(review, user_of(leader_of(application)))
    log = review_finalise(actor=user_of(leader_of(application)), application=application)
    assert log.transition == "finalise_without_findings"
    application.refresh_from_db()
    review.refresh_from_db()
    assert application.status == Status.RESULT_CONFIRMATION
    assert review.conclusion == Conclusion.PASS and review.nonconformities == 0
    assert review.earned == Decimal("995") and review.percentage == Decimal("100.0")


def test_finalise_needs_a_panel_sheet(personas, on_site):
    application, panel, review = on_site
    sign_in_regulators(personas, review)
    submit_all(application)
    assert scoring_blockers(review)  # not consolidated
    with pytest.raises(ValidationError):
        review_finalise(actor=user_of(leader_of(application)), application=application)


@pytest.fixture
def veto_item(on_site, monkeypatch):
    """Item 1.1.1 made a veto item (the bundled standard has none); the engine's cache is private."""
    monkeypatch.setattr(standards_selectors, "_SPEC_CACHE", {})
    Item.objects.filter(code="1.1.1").update(is_veto=True)
    return "1.1.1"


def _fail_and_check(personas, application, review):
    leader = user_of(leader_of(application))
    sign_in_regulators(personas, review)
    give_reasons(review, leader)
    assert review_finalise(actor=leader, application=application) is None
    application.refresh_from_db()
    review.refresh_from_db()
    assert review.conclusion == Conclusion.FAIL
    assert application.status == Status.ON_SITE_REVIEW  # the chief decides
    assert review.panel_sheet.status == ScoreSheet.Status.LOCKED
    with pytest.raises(ValidationError):  # finalised once
        review_finalise(actor=leader, application=application)
    assert (
        ApplicationTransition.objects.filter(
            application=application, transition__startswith="finalise"
        ).count()
        == 0
    )
    return leader


def test_a_failed_veto_fails_the_review_and_the_city_chief_decides(personas, on_site, veto_item):
    application, panel, review = on_site
    review = consolidated(personas, application, review, deduct(veto_item, 1))
    leader = _fail_and_check(personas, application, review)
    assert review.failed_vetoes == [veto_item]
    assert review.earned == Decimal("999")  # a high score does not save a failed veto

    for outsider in (leader, personas.city_officer, personas.county_chief, personas.enterprise_principal):
        with pytest.raises(PermissionDenied):
            review_fail(actor=outsider, application=application, reason="否决项不符合")
    with pytest.raises(ValidationError):
        review_fail(actor=personas.city_chief, application=application, reason=" ")
    log = review_fail(actor=personas.city_chief, application=application, reason="否决项1.1.1不符合")
    assert log.transition == "fail_review"
    application.refresh_from_db()
    assert application.status == Status.NOT_PASSED
    # The 12-month ban (ban_not_passed) starts on the decision day.
    decided = timezone.localdate(application.decided_at)
    assert application.ban_until == decided + relativedelta(months=12)
    assert application.closing_reason == "否决项1.1.1不符合"
    with pytest.raises(TransitionError):  # decided once
        review_fail(actor=personas.city_chief, application=application, reason="再次")
    assert transitions(application, "fail_review") == 1


def test_a_score_below_the_threshold_fails_the_review(personas, on_site):
    application, panel, review = on_site
    # Take every point of the items until more than 400 of the 1000 are gone (below 60%).
    entries, gone = [], Decimal(0)
    for code, points in application.standard.items.order_by("sort_order").values_list("code", "points"):
        if gone > 410:
            break
        entries.append(deduct(code, points))
        gone += points
    review = consolidated(personas, application, review, *entries)
    _fail_and_check(personas, application, review)
    assert review.failed_vetoes == []
    assert review.percentage < 60 and review.final_level is None
    expected = score_sheet(standard_spec_cached(application.standard), sheet_input(review.panel_sheet))
    assert (review.earned, review.percentage) == (expected.earned, expected.percentage)


def test_the_chief_cannot_fail_a_review_that_is_not_finalised(personas, on_site):
    application, panel, review = on_site
    with pytest.raises(ValidationError):
        review_fail(actor=personas.city_chief, application=application, reason="不通过")
    application.refresh_from_db()
    assert application.status == Status.ON_SITE_REVIEW


# --- 6. Who reads which sheet ---------------------------------------------------------------------------


def test_sheet_visibility(personas, on_site):
    application, panel, review = on_site
    leader = leader_of(application)
    seated = members(application)
    plain = [m for m in seated if m.role == PanelMember.Role.MEMBER]
    all_member_sheets = {sheet_of(m).pk for m in seated}

    def visible(user):
        return set(
            sheets_visible_to(user).filter(kind__in=["expert", "consolidated"]).values_list("pk", flat=True)
        )

    for member in plain:
        assert visible(user_of(member)) == {sheet_of(member).pk}  # blind: his own only
    assert visible(user_of(leader)) == all_member_sheets
    for user in (
        personas.enterprise_principal,
        personas.enterprise_user,
        personas.county_officer,
        personas.expert,
    ):
        assert visible(user) == set()
    assert visible(personas.city_officer) >= all_member_sheets

    review = consolidated(personas, application, review, deduct("1.1.1", 1))
    panel_sheet = review.panel_sheet_id
    assert visible(user_of(leader)) == all_member_sheets | {panel_sheet}
    assert visible(user_of(plain[0])) == {sheet_of(plain[0]).pk}
    assert visible(personas.enterprise_principal) == set()  # not before the finalisation
    assert visible(personas.county_officer) == set()

    sign_in_regulators(personas, review)
    give_reasons(review, user_of(leader))
    review_finalise(actor=user_of(leader), application=application)
    for user in (personas.enterprise_principal, personas.enterprise_user, personas.county_officer):
        assert visible(user) == {panel_sheet}, user
    assert visible(user_of(plain[0])) == {sheet_of(plain[0]).pk, panel_sheet}  # still blind to the others
    assert visible(personas.expert) == set()  # an expert not on the panel
    assert visible(personas.other_enterprise_user) == set()
    assert visible(personas.other_county_officer) == set()
    assert not can_edit_sheet(personas.enterprise_principal, review.panel_sheet)


# --- 7. What the scoring page shows each user (reviews.selectors) --------------------------------------


def test_the_scoring_overview_shows_each_user_his_part(personas, on_site):
    from reviews.selectors import scoring_overview

    application, panel, review = on_site
    leader = leader_of(application)
    safety, process = assignee(review, "1.1.1"), assignee(review, "7.1.1")

    mine = scoring_overview(user_of(process), application)
    assert mine.my_sheet.member_id == process.pk and mine.my_assigned == len(assigned_to(review, process))
    assert mine.my_unscored == mine.my_assigned  # nothing scored yet
    assert mine.members == [] and mine.assignments == [] and mine.blockers == [] and not mine.can_finalise

    lead = scoring_overview(user_of(leader), application)
    assert lead.is_leader and lead.scoring_open
    assert len(lead.members) == 5 and sum(row.assigned for row in lead.members) == 164
    assert len(lead.assignments) == 164 and lead.blockers and not lead.can_finalise

    city = scoring_overview(personas.city_officer, application)
    assert city.is_city and len(city.members) == 5 and city.assignments == [] and not city.can_finalise

    score(safety, deduct("1.1.1", 1))
    score(process, deduct("1.1.1", 2))
    submit_all(application)
    consolidation_build(actor=user_of(leader), review=review)
    review.refresh_from_db()
    lead = scoring_overview(user_of(leader), application)
    assert [r.code for r in lead.reasons] == ["1.1.1"]
    reason_row = lead.reasons[0]
    assert reason_row.divergent and reason_row.panel_value == "−1"
    assert sorted(v for _name, v in reason_row.values) == ["−1", "−2"]
    # Handing in took every assigned item (the rest recorded as conforming), and the extra one.
    scored = {row.member.pk: row.scored for row in lead.members}
    assert scored[safety.pk] == len(assigned_to(review, safety))
    assert scored[process.pk] == len(assigned_to(review, process)) + 1
    assert all(row.submitted for row in lead.members)
    sign_in_regulators(personas, review)
    give_reasons(review, user_of(leader))
    lead = scoring_overview(user_of(leader), application)
    assert lead.blockers == [] and lead.can_finalise
    assert lead.reasons[0].reason == REASON

    enterprise = scoring_overview(personas.enterprise_principal, application)
    assert enterprise.my_sheet is None and enterprise.members == [] and enterprise.reasons == []
    assert not enterprise.finalised and not enterprise.can_finalise


def test_an_item_cannot_go_to_a_member_who_has_handed_in(personas, on_site):
    """Handing a handed-in member a new item would leave his sheet in with an unscored item."""
    from django.core.exceptions import ValidationError

    from reviews.models import ItemAssignment
    from reviews.services import assignment_change, member_sheet_fill_conforming, member_sheet_submit

    application, panel, review = on_site
    review.refresh_from_db()
    sheets = list(review.member_sheets.select_related("member__expert__user"))
    done, other = sheets[0], sheets[1]
    user = done.member.expert.user
    member_sheet_fill_conforming(actor=user, member_sheet=done)
    member_sheet_submit(actor=user, member_sheet=done)
    row = ItemAssignment.objects.filter(review=review, member=other.member).select_related("item").first()
    leader = panel.members.get(role="leader").expert.user
    with pytest.raises(ValidationError, match=done.member.expert.name):
        assignment_change(actor=leader, review=review, code=row.item.code, member=done.member)
    row.refresh_from_db()
    assert row.member_id == other.member_id
