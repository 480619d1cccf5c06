"""REST operations on expert panels (/api/v1/panels): draw, read, replay, answer, replace, approve.

The same services and the same rules as the pages: an outsider to the application gets
404; the draw's evidence (seed, exclusions) is for the city and the bureau; the seed is
never chosen by the caller (a chosen seed would let a draw be repeated until it pleased).
"""

from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja import Status as Respond

from accounts.roles import Role
from experts.permissions import visible_to as experts_visible_to
from grading.permissions import get_application_for_user, in_scope
from lib.api import ERRORS, ErrorOut, transition_refusals
from reviews.models import Attendance, Panel, PanelDraw, PanelMember, SiteReview, SupervisionNote
from reviews.permissions import CITY_STAFF, DRAW_READERS
from reviews.services import (
    PlanRowIn,
    attendance_record,
    finalise_blockers,
    may_read_supervision,
    panel_approve,
    panel_draw_run,
    panel_member_replace,
    panel_member_respond,
    replay_panel_draw,
    site_review_open,
    site_review_schedule,
    supervision_note_add,
    supervision_notes_for,
)

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
