"""REST operations on expert panels (/api/v1/panels): draw, read, replay, answer, replace, approve.

The same services and the same rules as the pages: an outsider to the application gets
404; the draw's evidence (seed, exclusions) is for the city and the bureau; the seed is
never chosen by the caller (a chosen seed would let a draw be repeated until it pleased).
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja import Status as Respond

from accounts.roles import Role
from experts.permissions import visible_to as experts_visible_to
from grading.permissions import get_application_for_user, in_scope
from lib.api import ERRORS, DomainError, ErrorOut
from lib.workflow import StaleState, TransitionError
from reviews.models import Panel, PanelDraw, PanelMember
from reviews.services import (
    panel_approve,
    panel_draw_run,
    panel_member_replace,
    panel_member_respond,
    replay_panel_draw,
)

router = Router(tags=["panels"])
WITH_CONFLICT = {**ERRORS, 409: ErrorOut}
CITY_STAFF = {Role.CITY_OFFICER, Role.CITY_CHIEF}
DRAW_READERS = CITY_STAFF | {Role.BUREAU_LEADER, Role.SYSTEM_ADMIN}


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


def _refusals(call):
    try:
        return call()
    except StaleState as exc:
        raise DomainError(exc.message, code="stale_state") from exc
    except TransitionError as exc:
        raise DomainError(exc.message, code="transition_refused") from exc


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
    record = _refusals(
        lambda: panel_draw_run(actor=request.auth, application=application, review_date=body.review_date)
    )
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
    _refusals(lambda: panel_approve(actor=request.auth, panel=panel, comment=body.comment))
    return get_panel(request, application_id)
