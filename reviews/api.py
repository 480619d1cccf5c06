"""REST operations on expert panels (/api/v1/panels): draw, read, replay, answer, replace, approve;
the on-site review (schedule, opening, attendance, supervision) and its scoring (sheets,
assignment, consolidation, reasons, finalising, the chief's "not passed", the report).

The same services and the same rules as the pages: an outsider to the application gets
404; the draw's evidence (seed, exclusions) is for the city and the bureau; the seed is
never chosen by the caller (a chosen seed would let a draw be repeated until it pleased).
Scoring is blind: a member reads only his own sheet (another member's is 404 to him).
"""

from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja import Status as Respond

from accounts.roles import Role
from experts.permissions import visible_to as experts_visible_to
from grading.documents import document_filename
from grading.models import GeneratedDocument
from grading.permissions import get_application_for_user, in_scope
from grading.selectors import application_documents
from lib.api import ERRORS, ErrorOut, transition_refusals
from lib.uploads import stored_file_response
from reviews.models import (
    Attendance,
    ItemAssignment,
    MemberSheet,
    Panel,
    PanelDraw,
    PanelMember,
    SiteReview,
    SupervisionNote,
)
from reviews.permissions import CITY_STAFF, DRAW_READERS
from reviews.selectors import ScoringOverview, scoring_overview
from reviews.services import (
    PlanRowIn,
    assignment_change,
    attendance_record,
    consolidation_build,
    consolidation_reason_set,
    finalise_blockers,
    is_panel_leader,
    may_read_supervision,
    member_sheet_fill_conforming,
    member_sheet_reopen,
    member_sheet_submit,
    panel_approve,
    panel_draw_run,
    panel_member_replace,
    panel_member_respond,
    replay_panel_draw,
    review_fail,
    review_finalise,
    site_review_open,
    site_review_schedule,
    supervision_note_add,
    supervision_notes_for,
)
from standards.api import SheetEntryOut, SheetItemsIn, _entries_in, _require_draft
from standards.models import ScoreSheet
from standards.permissions import can_edit_sheet, get_sheet_for_user
from standards.selectors import sheet_entries
from standards.services import sheet_entries_save
from standards.sheet_io import decimal_text

router = Router(tags=["panels"])
WITH_CONFLICT = {**ERRORS, 409: ErrorOut}


class MemberOut(Schema):
    id: int
    expert_id: int
    expert_name: str
    role: str
    state: str
    added_by_hand: bool
    responded_at: datetime | None


class PanelOut(Schema):
    application_id: int
    review_date: date
    status: str
    draw_id: int
    members: list[MemberOut]
    reserves: list[MemberOut] = Field(description="Only for the city and the bureau.")


class ExclusionOut(Schema):
    expert_id: int
    code: str
    reason: str


class DrawOut(Schema):
    id: int
    application_id: int
    review_date: date
    ok: bool
    failure: str
    members: list[int]
    leader_id: int | None
    reserves: list[int]
    unmet_soft: list[str]
    excluded: list[ExclusionOut]
    seed: str
    algorithm_version: str
    result_hash: str
    drawn_at: datetime


class DrawIn(Schema):
    review_date: date


class ReplayOut(Schema):
    matches: bool
    stored_hash: str
    recomputed_hash: str


class ReplaceIn(Schema):
    expert_id: int
    reason: str = Field(max_length=1000)


class CommentIn(Schema):
    comment: str = Field("", max_length=5000)


class AnswerIn(Schema):
    accept: bool
    no_conflict: bool = False
    reason: str = Field("", max_length=1000)


class SeatOut(Schema):
    id: int
    application_id: int
    application_number: str
    enterprise_name: str
    review_date: date
    role: str
    state: str


def _member(m: PanelMember) -> dict:
    return {
        "id": m.pk,
        "expert_id": m.expert_id,
        "expert_name": m.expert.name,
        "role": m.role,
        "state": m.state,
        "added_by_hand": m.added_by_hand,
        "responded_at": m.responded_at,
    }


def _draw(record: PanelDraw) -> dict:
    result = record.result
    excluded = result.get("prefiltered", []) + result.get("excluded_reasons", [])
    return {
        "id": record.pk,
        "application_id": record.application_id,
        "review_date": record.review_date,
        "ok": record.ok,
        "failure": record.failure,
        "members": result.get("members", []),
        "leader_id": result.get("leader"),
        "reserves": result.get("reserves", []),
        "unmet_soft": result.get("unmet_soft", []),
        "excluded": [{"expert_id": r[0], "code": r[1], "reason": r[2]} for r in excluded],
        "seed": record.seed,
        "algorithm_version": record.algorithm_version,
        "result_hash": record.result_hash,
        "drawn_at": record.drawn_at,
    }


def _city(user, application) -> None:
    if user.role not in CITY_STAFF or not in_scope(user, application):
        raise PermissionDenied


@router.get(
    "/mine", response={200: list[SeatOut], **ERRORS}, summary="The caller's panel invitations and seats"
)
def my_seats(request: HttpRequest):
    if request.auth.role != Role.EXPERT:
        raise PermissionDenied
    seats = (
        PanelMember.objects.filter(expert__user=request.auth)
        .exclude(state=PanelMember.State.STANDBY)
        .select_related("panel__application__enterprise")
        .order_by("-panel__review_date")
    )
    return [
        {
            "id": s.pk,
            "application_id": s.panel.application_id,
            "application_number": s.panel.application.number,
            "enterprise_name": s.panel.application.enterprise.name,
            "review_date": s.panel.review_date,
            "role": s.role,
            "state": s.state,
        }
        for s in seats
    ]


@router.post(
    "/seats/{member_id}/answer", response={200: SeatOut, **ERRORS}, summary="Confirm or decline a seat"
)
def answer_seat(request: HttpRequest, member_id: int, body: AnswerIn):
    member = PanelMember.objects.filter(pk=member_id, expert__user=request.auth).first()
    if member is None or request.auth.role != Role.EXPERT:
        raise Http404
    member = panel_member_respond(
        actor=request.auth,
        member=member,
        accept=body.accept,
        no_conflict=body.no_conflict,
        reason=body.reason,
    )
    application = member.panel.application
    return {
        "id": member.pk,
        "application_id": application.pk,
        "application_number": application.number,
        "enterprise_name": application.enterprise.name,
        "review_date": member.panel.review_date,
        "role": member.role,
        "state": member.state,
    }


@router.get("/{application_id}", response={200: PanelOut, **ERRORS}, summary="The panel of an application")
def get_panel(request: HttpRequest, application_id: int):
    user = request.auth
    application = get_application_for_user(user, application_id, "view")
    panel = Panel.objects.filter(application=application).first()
    if panel is None:
        raise Http404
    if (
        user.role in (Role.ENTERPRISE_USER, Role.ENTERPRISE_PRINCIPAL)
        and panel.status != Panel.Status.APPROVED
    ):
        raise Http404
    rows = list(panel.members.select_related("expert").order_by("role", "order"))
    seated = [m for m in rows if m.role != "reserve" and m.state in ("invited", "confirmed")]
    reserves = [m for m in rows if m.role == "reserve"] if user.role in DRAW_READERS else []
    return {
        "application_id": application.pk,
        "review_date": panel.review_date,
        "status": panel.status,
        "draw_id": panel.draw_id,
        "members": [_member(m) for m in seated],
        "reserves": [_member(m) for m in reserves],
    }


@router.post("/{application_id}/draw", response={201: DrawOut, **WITH_CONFLICT}, summary="Draw the panel")
def run_draw(request: HttpRequest, application_id: int, body: DrawIn):
    application = get_application_for_user(request.auth, application_id, "view")
    _city(request.auth, application)
    with transition_refusals():
        record = panel_draw_run(actor=request.auth, application=application, review_date=body.review_date)
    return Respond(201, _draw(record))


@router.get("/{application_id}/draws", response={200: list[DrawOut], **ERRORS}, summary="The draw records")
def list_draws(request: HttpRequest, application_id: int):
    application = get_application_for_user(request.auth, application_id, "view")
    if request.auth.role not in DRAW_READERS:
        raise PermissionDenied
    return [_draw(r) for r in PanelDraw.objects.filter(application=application).order_by("-drawn_at")]


@router.post(
    "/{application_id}/draws/{draw_id}/replay",
    response={200: ReplayOut, **ERRORS},
    summary="Recompute a draw from its stored inputs",
)
def replay(request: HttpRequest, application_id: int, draw_id: int):
    application = get_application_for_user(request.auth, application_id, "view")
    if request.auth.role not in DRAW_READERS:
        raise PermissionDenied
    record = PanelDraw.objects.filter(pk=draw_id, application=application).first()
    if record is None:
        raise Http404
    matches, recomputed = replay_panel_draw(record)
    return {"matches": matches, "stored_hash": record.result_hash, "recomputed_hash": recomputed}


@router.post(
    "/{application_id}/members/{member_id}/replace",
    response={200: MemberOut, **ERRORS},
    summary="Replace a member by hand (reason required)",
)
def replace(request: HttpRequest, application_id: int, member_id: int, body: ReplaceIn):
    application = get_application_for_user(request.auth, application_id, "view")
    _city(request.auth, application)
    member = PanelMember.objects.filter(pk=member_id, panel__application=application).first()
    expert = experts_visible_to(request.auth).filter(pk=body.expert_id).first()
    if member is None or expert is None:
        raise Http404
    incoming = panel_member_replace(actor=request.auth, member=member, expert=expert, reason=body.reason)
    return _member(incoming)


@router.post(
    "/{application_id}/approve", response={200: PanelOut, **WITH_CONFLICT}, summary="The chief approves"
)
def approve(request: HttpRequest, application_id: int, body: CommentIn):
    application = get_application_for_user(request.auth, application_id, "view")
    panel = Panel.objects.filter(application=application).first()
    if panel is None:
        raise Http404
    with transition_refusals():
        panel_approve(actor=request.auth, panel=panel, comment=body.comment)
    return get_panel(request, application_id)


# --- The on-site review: schedule, opening, attendance, supervision ----------------------------


class PlanRowSchema(Schema):
    starts_at: time
    ends_at: time
    activity: str = Field(max_length=200)
    element: str = Field("", max_length=100)
    expert_ids: list[int] = Field(default_factory=list, description="Panel members doing it.")
    expert_names: str = Field("", max_length=200, description="Or their names as text.")


class ScheduleIn(Schema):
    place: str = Field(max_length=200)
    end_date: date | None = None
    plan: list[PlanRowSchema] | None = Field(None, description="Replaces the plan; omit to keep it.")


class ScheduleOut(Schema):
    application_id: int
    date: date
    end_date: date | None
    place: str
    opened_at: datetime | None
    plan: list[PlanRowSchema]


class AttendanceIn(Schema):
    meeting: str = Field(description="opening | closing")
    name: str = Field("", max_length=64)
    organisation: str = Field("", max_length=200)
    role: str = Field("", description="panel | city | county | enterprise")
    sign_myself: bool = Field(
        False, description="A regulator signs himself in (name and side from his account)."
    )


class AttendanceOut(Schema):
    id: int
    meeting: str
    name: str
    organisation: str
    role: str
    user_id: int | None
    signed_at: datetime


class AttendanceSheetOut(Schema):
    rows: list[AttendanceOut]
    finalise_blockers: list[str]


class SupervisionIn(Schema):
    punctuality: int = Field(ge=1, le=5)
    thoroughness: int = Field(ge=1, le=5)
    impartiality: int = Field(ge=1, le=5)
    irregularity: str = Field("", max_length=5000)


class SupervisionOut(Schema):
    id: int
    author_id: int
    author_name: str
    punctuality: int
    thoroughness: int
    impartiality: int
    irregularity: str
    created_at: datetime


def _review(application) -> SiteReview:
    review = SiteReview.objects.filter(application=application).first()
    if review is None:
        raise Http404
    return review


def _schedule_out(review: SiteReview) -> dict:
    return {
        "application_id": review.application_id,
        "date": review.date,
        "end_date": review.end_date,
        "place": review.place,
        "opened_at": review.opened_at,
        "plan": [
            {
                "starts_at": r.starts_at,
                "ends_at": r.ends_at,
                "activity": r.activity,
                "element": r.element,
                "expert_ids": [e.pk for e in r.experts.all()],
                "expert_names": r.expert_names,
            }
            for r in review.plan_rows.prefetch_related("experts")
        ],
    }


def _attendance(row: Attendance) -> dict:
    return {
        "id": row.pk,
        "meeting": row.meeting,
        "name": row.name,
        "organisation": row.organisation,
        "role": row.role,
        "user_id": row.user_id,
        "signed_at": row.signed_at,
    }


@router.get(
    "/{application_id}/schedule",
    response={200: ScheduleOut, **ERRORS},
    summary="The on-site review's schedule",
)
def get_schedule(request: HttpRequest, application_id: int):
    application = get_application_for_user(request.auth, application_id, "view")
    return _schedule_out(_review(application))


@router.put(
    "/{application_id}/schedule",
    response={200: ScheduleOut, **ERRORS},
    summary="Set the place and plan of the review (city, until it opens)",
)
def put_schedule(request: HttpRequest, application_id: int, body: ScheduleIn):
    application = get_application_for_user(request.auth, application_id, "view")
    _city(request.auth, application)
    plan = None
    if body.plan is not None:
        plan = [
            PlanRowIn(r.starts_at, r.ends_at, r.activity, r.element, tuple(r.expert_ids), r.expert_names)
            for r in body.plan
        ]
    review = site_review_schedule(
        actor=request.auth, application=application, place=body.place, end_date=body.end_date, plan=plan
    )
    return _schedule_out(review)


@router.post(
    "/{application_id}/open",
    response={200: ScheduleOut, **WITH_CONFLICT},
    summary="The panel leader opens the on-site review",
)
def open_review(request: HttpRequest, application_id: int, body: CommentIn):
    application = get_application_for_user(request.auth, application_id, "view")
    with transition_refusals():
        site_review_open(actor=request.auth, application=application, comment=body.comment)
    return _schedule_out(_review(application))


@router.get(
    "/{application_id}/attendance",
    response={200: AttendanceSheetOut, **ERRORS},
    summary="The sign-in sheets of the opening and closing meetings",
)
def get_attendance(request: HttpRequest, application_id: int):
    application = get_application_for_user(request.auth, application_id, "view")
    review = _review(application)
    return {
        "rows": [_attendance(r) for r in review.attendance.all()],
        "finalise_blockers": finalise_blockers(review),
    }


@router.post(
    "/{application_id}/attendance",
    response={201: AttendanceOut, **ERRORS},
    summary="Record a signature (leader, city officer, or a regulator himself)",
)
def post_attendance(request: HttpRequest, application_id: int, body: AttendanceIn):
    application = get_application_for_user(request.auth, application_id, "view")
    row = attendance_record(
        actor=request.auth,
        review=_review(application),
        meeting=body.meeting,
        name=body.name,
        organisation=body.organisation,
        role=body.role,
        user=request.auth if body.sign_myself else None,
    )
    return Respond(201, _attendance(row))


def _note(note: SupervisionNote) -> dict:
    return {
        "id": note.pk,
        "author_id": note.author_id,
        "author_name": note.author.get_full_name(),
        "punctuality": note.punctuality,
        "thoroughness": note.thoroughness,
        "impartiality": note.impartiality,
        "irregularity": note.irregularity,
        "created_at": note.created_at,
    }


@router.post(
    "/{application_id}/supervision",
    response={201: SupervisionOut, **ERRORS},
    summary="Add a supervision note (city or county officer, while on site)",
)
def post_supervision(request: HttpRequest, application_id: int, body: SupervisionIn):
    application = get_application_for_user(request.auth, application_id, "view")
    note = supervision_note_add(
        actor=request.auth,
        review=_review(application),
        punctuality=body.punctuality,
        thoroughness=body.thoroughness,
        impartiality=body.impartiality,
        irregularity=body.irregularity,
    )
    return Respond(201, _note(note))


@router.get(
    "/{application_id}/supervision",
    response={200: list[SupervisionOut], **ERRORS},
    summary="The supervision notes (city and bureau leader)",
)
def get_supervision(request: HttpRequest, application_id: int):
    application = get_application_for_user(request.auth, application_id, "view")
    if not may_read_supervision(request.auth, application):
        raise PermissionDenied
    return [_note(n) for n in supervision_notes_for(request.auth, _review(application))]


# --- The on-site scoring: sheets, assignment, consolidation, finalising, report ----------------


class ScoringMemberOut(Schema):
    member_id: int
    expert_id: int
    expert_name: str
    role: str
    member_sheet_id: int
    sheet_id: int = Field(description="The member's score sheet (read it under scoring/sheets/{sheet_id}).")
    assigned: int = Field(description="Items assigned to the member.")
    scored: int = Field(description="Items scored on his sheet so far.")
    submitted: bool = Field(description="Whether he has handed his sheet in.")
    submitted_at: datetime | None


class MySheetOut(Schema):
    member_sheet_id: int
    sheet_id: int
    status: str
    can_edit: bool = Field(description="Whether you may score on it now.")
    submitted_at: datetime | None
    assigned: list[str] = Field(description="Codes of the items assigned to you.")


class ReasonValueOut(Schema):
    name: str = Field(description="The member.")
    value: str = Field(description="His value of the item: N/A, full marks or −x.")


class ReasonOut(Schema):
    code: str
    requirement: str
    divergent: bool = Field(description="The members' values differ (not only the panel's from theirs).")
    values: list[ReasonValueOut]
    panel_value: str
    reason: str = Field(description="The leader's reason; empty while it is owed.")


class ScoringResultOut(Schema):
    conclusion: str = Field(description="pass | fail")
    conclusion_label: str
    earned: str | None
    percentage: str | None
    final_level: int | None
    failed_vetoes: list[str]
    nonconformities: int
    explanation: list[str]
    finalised_at: datetime
    finalised_by: str


class ScoringOut(Schema):
    application_id: int
    application_status: str
    opened_at: datetime
    scoring_open: bool = Field(description="The review is on site and not yet finalised.")
    finalised: bool
    is_leader: bool
    is_city: bool
    panel_sheet_id: int | None = Field(
        description="The consolidated sheet: for the leader and the city, for the others once finalised."
    )
    members: list[ScoringMemberOut] = Field(description="Every member's sheet: the leader and the city only.")
    my_sheet: MySheetOut | None
    blockers: list[str] = Field(description="What stands before finalising (the leader and the city).")
    can_finalise: bool
    can_decide_fail: bool = Field(description="The city chief may decide: not passed.")
    reasons: list[ReasonOut] = Field(description="Items of the panel sheet that need the leader's reason.")
    result: ScoringResultOut | None = Field(description="Once finalised.")


class AssignmentOut(Schema):
    code: str
    specialty: str
    member_id: int
    expert_name: str
    by_hand: bool = Field(description="Reassigned by the leader.")


class AssignIn(Schema):
    code: str = Field(max_length=24)
    member_id: int


class ReviewSheetOut(Schema):
    id: int
    kind: str = Field(description="expert (a member's sheet) | consolidated (the panel sheet)")
    status: str
    title: str
    member_id: int | None = Field(description="The member whose sheet it is; null for the panel sheet.")
    expert_name: str
    submitted_at: datetime | None
    can_edit: bool = Field(description="Whether you may change it now.")
    assigned: list[str] = Field(description="Codes of the items assigned to the sheet's member.")
    entries: list[SheetEntryOut] = Field(description="The scored items; the others score full marks.")


class ReopenIn(Schema):
    reason: str = Field(max_length=2000)


class ReasonIn(Schema):
    code: str = Field(max_length=24)
    reason: str = Field("", max_length=2000, description="Empty withdraws the reason.")


class FailIn(Schema):
    reason: str = Field(max_length=5000)


PDF_RESPONSE = {
    "responses": {
        200: {
            "description": "OK",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def _opened_review(application) -> SiteReview:
    review = (
        SiteReview.objects.select_related("application__standard", "panel_sheet")
        .filter(application=application, opened_at__isnull=False)
        .first()
    )
    if review is None:
        raise Http404
    return review


def _visible_overview(user, application) -> ScoringOverview:
    """The scoring as ``user`` sees it; 404 for whom the page shows nothing (as on the page)."""
    overview = scoring_overview(user, application)
    if overview is None or not (
        overview.finalised or overview.is_leader or overview.is_city or overview.my_sheet
    ):
        raise Http404
    return overview


def _assigned_codes(review: SiteReview, member_id: int) -> list[str]:
    return list(
        review.assignments.filter(member_id=member_id)
        .order_by("item__sort_order")
        .values_list("item__code", flat=True)
    )


def _result(review: SiteReview) -> dict | None:
    if review.finalised_at is None:
        return None
    return {
        "conclusion": review.conclusion,
        "conclusion_label": review.get_conclusion_display(),
        "earned": decimal_text(review.earned) if review.earned is not None else None,
        "percentage": decimal_text(review.percentage) if review.percentage is not None else None,
        "final_level": review.final_level,
        "failed_vetoes": [str(code) for code in review.failed_vetoes or []],
        "nonconformities": review.nonconformities,
        "explanation": [str(line) for line in review.explanation or []],
        "finalised_at": review.finalised_at,
        "finalised_by": review.finalised_by.get_full_name() if review.finalised_by_id else "",
    }


def _scoring_out(user, application) -> dict:
    o = _visible_overview(user, application)
    review = o.review
    my_sheet = None
    if o.my_sheet is not None:
        my_sheet = {
            "member_sheet_id": o.my_sheet.pk,
            "sheet_id": o.my_sheet.sheet_id,
            "status": o.my_sheet.sheet.status,
            "can_edit": can_edit_sheet(user, o.my_sheet.sheet),
            "submitted_at": o.my_sheet.submitted_at,
            "assigned": _assigned_codes(review, o.my_sheet.member_id),
        }
    return {
        "application_id": application.pk,
        "application_status": application.status,
        "opened_at": review.opened_at,
        "scoring_open": o.scoring_open,
        "finalised": o.finalised,
        "is_leader": o.is_leader,
        "is_city": o.is_city,
        "panel_sheet_id": review.panel_sheet_id if (o.is_leader or o.is_city or o.finalised) else None,
        "members": [
            {
                "member_id": row.member.pk,
                "expert_id": row.member.expert_id,
                "expert_name": row.member.expert.name,
                "role": row.member.role,
                "member_sheet_id": row.member_sheet.pk,
                "sheet_id": row.member_sheet.sheet_id,
                "assigned": row.assigned,
                "scored": row.scored,
                "submitted": row.submitted,
                "submitted_at": row.member_sheet.submitted_at,
            }
            for row in o.members
        ],
        "my_sheet": my_sheet,
        "blockers": [str(b) for b in o.blockers],
        "can_finalise": o.can_finalise,
        "can_decide_fail": o.can_decide_fail,
        "reasons": [
            {
                "code": r.code,
                "requirement": r.requirement,
                "divergent": r.divergent,
                "values": [{"name": name, "value": value} for name, value in r.values],
                "panel_value": r.panel_value,
                "reason": r.reason,
            }
            for r in o.reasons
        ],
        "result": _result(review),
    }


def _assignment(row: ItemAssignment) -> dict:
    return {
        "code": row.item.code,
        "specialty": row.item.specialty,
        "member_id": row.member_id,
        "expert_name": row.member.expert.name,
        "by_hand": row.by_hand,
    }


def _review_sheet(user, review: SiteReview, sheet_id: int) -> ScoreSheet:
    """A sheet of this review the user may read; 404 for another sheet or one he may not read."""
    if sheet_id != review.panel_sheet_id and not review.member_sheets.filter(sheet_id=sheet_id).exists():
        raise Http404
    return get_sheet_for_user(user, sheet_id)


def _review_sheet_out(user, review: SiteReview, sheet: ScoreSheet) -> dict:
    member_sheet = (
        MemberSheet.objects.select_related("member__expert").filter(sheet_id=sheet.pk, review=review).first()
    )
    return {
        "id": sheet.pk,
        "kind": sheet.kind,
        "status": sheet.status,
        "title": sheet.title,
        "member_id": member_sheet.member_id if member_sheet else None,
        "expert_name": member_sheet.member.expert.name if member_sheet else "",
        "submitted_at": member_sheet.submitted_at if member_sheet else None,
        "can_edit": can_edit_sheet(user, sheet),
        "assigned": _assigned_codes(review, member_sheet.member_id) if member_sheet else [],
        "entries": [
            {
                "code": row.item.code,
                "applicable": row.applicable,
                "na_reason": row.na_reason,
                "deductions": [
                    {"points": decimal_text(d.points), "reason": d.reason, "is_hazard": d.is_hazard}
                    for d in row.deductions.all()
                ],
                "extra_deduction": decimal_text(row.extra_deduction),
                "extra_reason": row.extra_reason,
                "description": row.description,
                "scored_at": row.scored_at,
            }
            for row in sheet_entries(sheet)
        ],
    }


@router.get(
    "/{application_id}/scoring",
    response={200: ScoringOut, **ERRORS},
    summary="The on-site scoring: sheets, blockers, reasons, result",
    description=(
        "A member sees his own sheet; the leader and the city every member's sheet, the blockers "
        "and the reasons; everyone who sees the case the result once the review is finalised."
    ),
)
def get_scoring(request: HttpRequest, application_id: int):
    application = get_application_for_user(request.auth, application_id, "view")
    return _scoring_out(request.auth, application)


@router.get(
    "/{application_id}/scoring/assignments",
    response={200: list[AssignmentOut], **ERRORS},
    summary="Who scores which item (the leader and the city)",
)
def get_assignments(request: HttpRequest, application_id: int):
    user = request.auth
    application = get_application_for_user(user, application_id, "view")
    review = _opened_review(application)
    city = user.role in CITY_STAFF and in_scope(user, application)
    if not (city or is_panel_leader(user, application)):
        raise PermissionDenied
    rows = review.assignments.select_related("item", "member__expert").order_by("item__sort_order")
    return [_assignment(row) for row in rows]


@router.post(
    "/{application_id}/scoring/assignments",
    response={200: AssignmentOut, **ERRORS},
    summary="The leader hands an item to another seated member",
)
def post_assignment(request: HttpRequest, application_id: int, body: AssignIn):
    application = get_application_for_user(request.auth, application_id, "view")
    review = _opened_review(application)
    if not is_panel_leader(request.auth, application):
        raise PermissionDenied
    member = PanelMember.objects.filter(pk=body.member_id, panel__application=application).first()
    if member is None:
        raise ValidationError({"member_id": [_("Only a seated member of the panel can score items.")]})
    row = assignment_change(actor=request.auth, review=review, code=body.code.strip(), member=member)
    return _assignment(ItemAssignment.objects.select_related("item", "member__expert").get(pk=row.pk))


@router.get(
    "/{application_id}/scoring/sheets/{sheet_id}",
    response={200: ReviewSheetOut, **ERRORS},
    summary="One review sheet with its entries",
    description=(
        "A member reads his own sheet only (blind scoring); the leader every sheet of his panel; "
        "the city every sheet; everyone who sees the case the panel sheet once finalised."
    ),
)
def get_review_sheet(request: HttpRequest, application_id: int, sheet_id: int):
    application = get_application_for_user(request.auth, application_id, "view")
    review = _opened_review(application)
    sheet = _review_sheet(request.auth, review, sheet_id)
    return _review_sheet_out(request.auth, review, sheet)


@router.put(
    "/{application_id}/scoring/sheets/{sheet_id}/entries",
    response={200: ReviewSheetOut, **WITH_CONFLICT},
    summary="Score items on one's sheet",
    description=(
        "Saves the given items, all or nothing; items not given keep what they had. Errors are "
        "keyed by item code. A member on his own sheet until he hands it in; the leader on the "
        "panel sheet until he finalises. 409 once the sheet is handed in or locked."
    ),
)
def put_review_sheet_entries(request: HttpRequest, application_id: int, sheet_id: int, body: SheetItemsIn):
    application = get_application_for_user(request.auth, application_id, "view")
    review = _opened_review(application)
    sheet = _require_draft(_review_sheet(request.auth, review, sheet_id))
    if not can_edit_sheet(request.auth, sheet):
        raise PermissionDenied
    sheet_entries_save(actor=request.auth, sheet=sheet, entries=_entries_in(body.items))
    return _review_sheet_out(request.auth, review, sheet)


@router.post(
    "/{application_id}/scoring/submit",
    response={200: ScoringOut, **ERRORS},
    summary="A member hands in his sheet",
    description=(
        "The sheet becomes read-only; handing it in again changes nothing. Refused (422) while an "
        "item assigned to him has no entry: score it, or record the rest as conforming."
    ),
)
def post_submit(request: HttpRequest, application_id: int):
    application = get_application_for_user(request.auth, application_id, "view")
    review = _opened_review(application)
    member_sheet = review.member_sheets.filter(member__expert__user=request.auth).first()
    if member_sheet is None:
        raise PermissionDenied
    member_sheet_submit(actor=request.auth, member_sheet=member_sheet)
    return _scoring_out(request.auth, application)


@router.post(
    "/{application_id}/scoring/conforming",
    response={200: ScoringOut, **ERRORS},
    summary="A member records his unscored assigned items as conforming",
    description=(
        "Every item assigned to the member that has no entry on his sheet gets an explicit "
        'full-marks entry ("Checked on site: conforming."); items he scored keep their entries. '
        "A sheet is handed in only when every assigned item has an entry. A second call records "
        "nothing more; 422 once the sheet is handed in."
    ),
)
def post_conforming(request: HttpRequest, application_id: int):
    application = get_application_for_user(request.auth, application_id, "view")
    review = _opened_review(application)
    member_sheet = review.member_sheets.filter(member__expert__user=request.auth).first()
    if member_sheet is None:
        raise PermissionDenied
    member_sheet_fill_conforming(actor=request.auth, member_sheet=member_sheet)
    return _scoring_out(request.auth, application)


@router.post(
    "/{application_id}/scoring/sheets/{sheet_id}/reopen",
    response={200: ScoringOut, **ERRORS},
    summary="The leader hands a sheet back to its member, with a reason",
)
def post_reopen(request: HttpRequest, application_id: int, sheet_id: int, body: ReopenIn):
    application = get_application_for_user(request.auth, application_id, "view")
    review = _opened_review(application)
    _review_sheet(request.auth, review, sheet_id)
    member_sheet = review.member_sheets.filter(sheet_id=sheet_id).first()
    if member_sheet is None:  # the panel sheet is not handed back
        raise Http404
    member_sheet_reopen(actor=request.auth, member_sheet=member_sheet, reason=body.reason)
    return _scoring_out(request.auth, application)


@router.post(
    "/{application_id}/scoring/consolidate",
    response={200: ScoringOut, **ERRORS},
    summary="The leader (re)builds the panel sheet from the members' sheets",
    description="Every member must have handed in; rebuilding discards edits of the panel sheet.",
)
def post_consolidate(request: HttpRequest, application_id: int):
    application = get_application_for_user(request.auth, application_id, "view")
    consolidation_build(actor=request.auth, review=_opened_review(application))
    return _scoring_out(request.auth, application)


@router.put(
    "/{application_id}/scoring/reasons",
    response={200: ScoringOut, **ERRORS},
    summary="The leader gives (or, empty, withdraws) his reason for an item's panel value",
)
def put_reason(request: HttpRequest, application_id: int, body: ReasonIn):
    application = get_application_for_user(request.auth, application_id, "view")
    consolidation_reason_set(
        actor=request.auth, review=_opened_review(application), code=body.code.strip(), reason=body.reason
    )
    return _scoring_out(request.auth, application)


@router.post(
    "/{application_id}/scoring/finalise",
    response={200: ScoringOut, **WITH_CONFLICT},
    summary="The leader locks the sheets and records the result",
    description=(
        "Refused with 422 and the blockers in details.__all__ while a regulator is missing from "
        "the sign-in sheets, a member's sheet is out, the panel sheet is missing or a reason is owed."
    ),
)
def post_finalise(request: HttpRequest, application_id: int, body: CommentIn):
    application = get_application_for_user(request.auth, application_id, "view")
    _opened_review(application)
    with transition_refusals():
        review_finalise(actor=request.auth, application=application, comment=body.comment)
    application.refresh_from_db()
    return _scoring_out(request.auth, application)


@router.post(
    "/{application_id}/scoring/fail",
    response={200: ScoringOut, **WITH_CONFLICT},
    summary="The city chief decides: not passed (after a review finalised as failed)",
)
def post_fail(request: HttpRequest, application_id: int, body: FailIn):
    application = get_application_for_user(request.auth, application_id, "view")
    _opened_review(application)
    with transition_refusals():
        review_fail(actor=request.auth, application=application, reason=body.reason)
    application.refresh_from_db()
    return _scoring_out(request.auth, application)


@router.get(
    "/{application_id}/report",
    response=ERRORS,
    summary="The review report (评审报告) as PDF",
    description="The latest stored version; 404 until the review is finalised and the report is made.",
    openapi_extra=PDF_RESPONSE,
)
def get_report(request: HttpRequest, application_id: int):
    application = get_application_for_user(request.auth, application_id, "view")
    documents = application_documents(application, user=request.auth)
    report = next((d for d in documents if d.kind == GeneratedDocument.Kind.REVIEW_REPORT), None)
    if report is None:
        raise Http404
    return stored_file_response(report.file, document_filename(report))
