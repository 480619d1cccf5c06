"""Pages of the panel: the card on the case page, the draw, confirmations, replacement, approval."""

from datetime import date, time

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import Role
from experts.models import Specialty
from experts.permissions import visible_to as experts_visible_to
from grading.models import Status
from grading.permissions import get_application_for_user, in_scope
from lib import casepanels
from lib.workflow import TransitionError
from reviews.models import Attendance, Panel, PanelDraw, PanelMember, SiteReview
from reviews.permissions import CITY_STAFF, DRAW_READERS
from reviews.services import (
    NOTE_READERS,
    REGULATOR_SIDES,
    SUPERVISORS,
    PlanRowIn,
    attendance_record,
    attendance_remove,
    finalise_blockers,
    is_panel_leader,
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

REVIEW_STATES = {
    Status.REVIEW_SCHEDULED,
    Status.ON_SITE_REVIEW,
    Status.RECTIFYING,
    Status.RESULT_CONFIRMATION,
}


def _errors(request, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.error(request, getattr(exc, "message", str(exc)))


def _detail(application) -> HttpResponse:
    return redirect("grading:detail", application.pk)


@casepanels.register("grading_application", order=50)
def panel_card(request: HttpRequest, application) -> str | None:
    """The panel card on the case page, for whoever may see it."""
    user = request.user
    panel = Panel.objects.filter(application=application).select_related("draw").first()
    draws = list(PanelDraw.objects.filter(application=application).order_by("-drawn_at")[:5])
    is_city = user.role in CITY_STAFF and in_scope(user, application)
    reads_draws = user.role in DRAW_READERS
    if user.role in DRAW_READERS:
        visible = panel is not None or bool(draws) or (is_city and application.status == Status.ACCEPTED)
    elif user.role in (Role.COUNTY_OFFICER, Role.COUNTY_CHIEF):
        visible = panel is not None  # the county attends the review
    elif user.role in (Role.ENTERPRISE_USER, Role.ENTERPRISE_PRINCIPAL):
        visible = panel is not None and panel.status == Panel.Status.APPROVED  # names go out with the notice
    else:
        visible = False
    if not visible:
        return None
    members = list(panel.members.select_related("expert").order_by("role", "order")) if panel else []
    labels = dict(Specialty.choices)
    for m in members:
        m.specialty_text = "、".join(str(labels.get(code, code)) for code in m.expert.specialties)
    context = {
        "application": application,
        "panel": panel,
        "seated": [m for m in members if m.state in ("invited", "confirmed") and m.role != "reserve"],
        "reserves": [m for m in members if m.role == "reserve" and m.state == "standby"],
        "left": [m for m in members if m.state in ("declined", "replaced")],
        "latest_draw": draws[0] if draws else None,
        "draws": draws if reads_draws else [],
        "can_draw": is_city and application.status == Status.ACCEPTED,
        "can_replace": is_city and application.status == Status.PANEL_FORMING,
        "can_approve": user.role == Role.CITY_CHIEF
        and is_city
        and application.status == Status.PANEL_FORMING
        and panel is not None
        and panel.status == Panel.Status.CONFIRMED,
        "reads_draws": reads_draws,
        "pool": experts_visible_to(user).filter(status="active").order_by("name") if is_city else [],
    }
    return render_to_string("reviews/_panel_card.html", context, request=request)


def _review_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@require_POST
def panel_draw_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk, "view")
    if request.user.role not in CITY_STAFF:
        raise PermissionDenied
    review_date = _review_date(request.POST.get("review_date", ""))
    if review_date is None:
        messages.error(request, _("Enter the review date."))
        return _detail(application)
    try:
        record = panel_draw_run(actor=request.user, application=application, review_date=review_date)
    except (ValidationError, TransitionError) as exc:
        _errors(request, exc)
        return _detail(application)
    if record.ok:
        messages.success(request, _("The panel was drawn; the experts have been asked to confirm."))
    else:
        messages.error(request, _("No valid panel could be drawn: %(reason)s") % {"reason": record.failure})
    return _detail(application)


@require_POST
def panel_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk, "view")
    panel = Panel.objects.filter(application=application).first()
    if panel is None:
        raise Http404
    try:
        panel_approve(actor=request.user, panel=panel, comment=request.POST.get("comment", ""))
    except (ValidationError, TransitionError) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The panel is approved and the review is scheduled."))
    return _detail(application)


@require_POST
def panel_replace_view(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk, "view")
    member = PanelMember.objects.filter(pk=member_pk, panel__application=application).first()
    if member is None:
        raise Http404
    expert = experts_visible_to(request.user).filter(pk=request.POST.get("expert") or 0).first()
    if expert is None:
        messages.error(request, _("Choose the expert who takes the seat."))
        return _detail(application)
    try:
        panel_member_replace(
            actor=request.user, member=member, expert=expert, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The member was replaced; the new member has been asked to confirm."))
    return _detail(application)


@require_GET
def my_panels(request: HttpRequest) -> HttpResponse:
    """An expert's invitations and seats."""
    if request.user.role != Role.EXPERT:
        raise PermissionDenied
    seats = (
        PanelMember.objects.filter(expert__user=request.user)
        .exclude(state=PanelMember.State.STANDBY)
        .select_related("panel__application__enterprise__region")
        .order_by("-panel__review_date")
    )
    return render(request, "reviews/my_panels.html", {"seats": seats})


@require_POST
def member_respond_view(request: HttpRequest, member_pk: int) -> HttpResponse:
    member = PanelMember.objects.filter(pk=member_pk, expert__user=request.user).first()
    if member is None or request.user.role != Role.EXPERT:
        raise Http404
    accept = request.POST.get("answer") == "accept"
    try:
        panel_member_respond(
            actor=request.user,
            member=member,
            accept=accept,
            no_conflict=request.POST.get("no_conflict") == "on",
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request, _("Thank you: your answer is recorded.") if accept else _("Your decline is recorded.")
        )
    return redirect("reviews:my_panels")


@require_GET
def draw_record(request: HttpRequest, pk: int, draw_pk: int) -> HttpResponse:
    """The evidence of one draw: seed, hash, every candidate excluded and why, and a replay."""
    application = get_application_for_user(request.user, pk, "view")
    if request.user.role not in DRAW_READERS:
        raise PermissionDenied
    record = PanelDraw.objects.filter(pk=draw_pk, application=application).select_related("drawn_by").first()
    if record is None:
        raise Http404
    names = {c["expert_id"]: c["name"] for c in record.inputs.get("candidates", [])}
    matches, recomputed = replay_panel_draw(record)
    excluded = [
        {"expert_id": row[0], "name": names.get(row[0], ""), "code": row[1], "reason": row[2]}
        for row in record.result.get("prefiltered", []) + record.result.get("excluded_reasons", [])
    ]
    context = {
        "application": application,
        "record": record,
        "excluded": excluded,
        "members": [names.get(i, i) for i in record.result.get("members", [])],
        "reserves": [names.get(i, i) for i in record.result.get("reserves", [])],
        "leader": names.get(record.result.get("leader")),
        "matches": matches,
        "recomputed": recomputed,
    }
    return render(request, "reviews/draw_record.html", context)


# --- The on-site review card -----------------------------------------------------------------


@casepanels.register("grading_application", order=60)
def site_review_card(request: HttpRequest, application) -> str | None:
    """The on-site review: schedule (city), plan, opening (leader), sign-in sheets, supervision."""
    user = request.user
    if application.status not in REVIEW_STATES:
        return None
    review = SiteReview.objects.filter(application=application).first()
    is_city = user.role in CITY_STAFF and in_scope(user, application)
    leader = is_panel_leader(user, application)
    on_site = application.status == Status.ON_SITE_REVIEW
    if review is None and not is_city:
        return None
    regulator = user.role in REGULATOR_SIDES and in_scope(user, application)
    context = {
        "application": application,
        "review": review,
        "plan": list(review.plan_rows.prefetch_related("experts")) if review else [],
        "can_schedule": is_city and application.status == Status.REVIEW_SCHEDULED,
        "blank_rows": range(3),
        "can_open": leader and review is not None and application.status == Status.REVIEW_SCHEDULED,
        "attendance": list(review.attendance.all()) if review else [],
        "blockers": finalise_blockers(review) if review and on_site else [],
        "keeps_sheet": on_site and (leader or is_city),
        "signs_self": on_site and regulator,
        "meetings": Attendance.Meeting.choices,
        "sides": Attendance.Side.choices,
        "notes": list(supervision_notes_for(user, review))
        if review and (regulator or user.role in NOTE_READERS)
        else [],
        "can_note": on_site and user.role in SUPERVISORS and in_scope(user, application),
        "scores": range(1, 6),
    }
    return render_to_string("reviews/_site_review_card.html", context, request=request)


def _time(value: str) -> time | None:
    try:
        return time.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@require_POST
def schedule_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk, "view")
    post = request.POST
    plan, bad = [], False
    for start, end, activity, element, names in zip(
        post.getlist("starts_at"),
        post.getlist("ends_at"),
        post.getlist("activity"),
        post.getlist("element"),
        post.getlist("expert_names"),
        strict=False,
    ):
        if not (start or end or activity.strip()):
            continue  # a blank row
        starts_at, ends_at = _time(start), _time(end)
        if starts_at is None or ends_at is None:
            bad = True
            continue
        plan.append(PlanRowIn(starts_at, ends_at, activity, element, (), names))
    if bad:
        messages.error(request, _("Enter the start and end time of every plan row."))
        return _detail(application)
    end_date = _review_date(post.get("end_date", "")) if post.get("end_date") else None
    try:
        site_review_schedule(
            actor=request.user,
            application=application,
            place=post.get("place", ""),
            end_date=end_date,
            plan=plan,
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request, _("The review is scheduled; the enterprise, the county and the panel are notified.")
        )
    return _detail(application)


@require_POST
def open_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk, "view")
    try:
        site_review_open(actor=request.user, application=application)
    except (ValidationError, TransitionError) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The on-site review is open."))
    return _detail(application)


def _site_review(application) -> SiteReview:
    review = SiteReview.objects.filter(application=application).first()
    if review is None:
        raise Http404
    return review


@require_POST
def attendance_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk, "view")
    review = _site_review(application)
    post = request.POST
    try:
        attendance_record(
            actor=request.user,
            review=review,
            meeting=post.get("meeting", ""),
            name=post.get("name", ""),
            organisation=post.get("organisation", ""),
            role=post.get("role", ""),
            user=request.user if post.get("myself") else None,
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The signature is recorded."))
    return _detail(application)


@require_POST
def attendance_remove_view(request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk, "view")
    row = Attendance.objects.filter(pk=row_pk, review__application=application).first()
    if row is None:
        raise Http404
    try:
        attendance_remove(actor=request.user, row=row)
    except ValidationError as exc:
        _errors(request, exc)
    return _detail(application)


def _score(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@require_POST
def supervision_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk, "view")
    review = _site_review(application)
    post = request.POST
    try:
        supervision_note_add(
            actor=request.user,
            review=review,
            punctuality=_score(post.get("punctuality")),
            thoroughness=_score(post.get("thoroughness")),
            impartiality=_score(post.get("impartiality")),
            irregularity=post.get("irregularity", ""),
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The supervision note is recorded."))
    return _detail(application)
