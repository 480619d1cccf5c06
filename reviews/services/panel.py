"""Writes of the reviews app: drawing the panel, confirmations, replacements, the chief's approval.

The draw itself is the pure ``reviews.draw``; this module turns the database into its inputs
(experts with their relations, blackout dates, certificates, ratings and workload; the
enterprise and its previous reviewers; the regulation parameters of the day), stores the
evidence (``PanelDraw``) and makes the panel. Every write is audited and every move of the
application goes through the transitions table.
"""

import secrets
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, Count, F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import COUNTY_ROLES, Role
from audit.services import audit_record
from experts.models import Expert
from experts.permissions import visible_to as experts_visible_to
from grading.models import GradingApplication, Status
from grading.permissions import in_scope
from grading.services import city_people, county_people, enterprise_people
from lib.workflow import apply_transition
from notifications.services import notify
from regulation.selectors import param_decimal, param_int
from reviews import draw as engine
from reviews.models import (
    Attendance,
    Panel,
    PanelDraw,
    PanelMember,
    ReviewPlanRow,
    SiteReview,
    SupervisionNote,
)
from reviews.workflow import extend_application_flow

__all__ = [
    "CITY_STAFF",
    "NOTE_READERS",
    "PANEL_ROLES",
    "PlanRowIn",
    "REGULATOR_SIDES",
    "SEATED",
    "SUPERVISORS",
    "attendance_record",
    "attendance_remove",
    "draw_candidates",
    "draw_rules",
    "draw_target",
    "expert_visibility",
    "finalise_blockers",
    "is_panel_leader",
    "may_read_supervision",
    "panel_approve",
    "panel_draw_run",
    "panel_member_replace",
    "panel_member_respond",
    "regulators_present",
    "replay_panel_draw",
    "site_review_open",
    "site_review_schedule",
    "supervision_note_add",
    "supervision_notes_for",
]

extend_application_flow()
from grading.workflow import APPLICATION_FLOW  # noqa: E402 - after the review moves are added

CITY_STAFF = frozenset({Role.CITY_OFFICER, Role.CITY_CHIEF})
SEATED = (PanelMember.State.INVITED, PanelMember.State.CONFIRMED)
PANEL_ROLES = (PanelMember.Role.LEADER, PanelMember.Role.MEMBER)


def _url(application: GradingApplication) -> str:
    return reverse("grading:detail", args=[application.pk])


def _lock(application: GradingApplication) -> GradingApplication:
    return (
        GradingApplication.objects.select_for_update(of=("self",))
        .select_related("enterprise", "enterprise__region")
        .get(pk=application.pk)
    )


def _require_city(actor, application: GradingApplication, roles=CITY_STAFF) -> None:
    if actor.role not in roles or not in_scope(actor, application):
        raise PermissionDenied


# --- Building the draw's inputs ------------------------------------------------------------


def draw_rules(on: date) -> engine.DrawRules:
    """The draw's parameters in force on ``on`` (the review date)."""
    return engine.DrawRules(
        panel_size=param_int("panel_size", on),
        reserves=param_int("panel_reserves", on),
        employment_lookback_years=param_int("coi_employment_lookback", on),
        consulting_lookback_years=param_int("coi_consulting_lookback", on),
        exclude_previous_reviewers=bool(param_int("coi_previous_review", on)),
        exclude_same_division=bool(param_int("coi_same_division", on)),
        leader_min_rating=param_decimal("leader_min_rating", on),
        leader_min_years=param_int("leader_min_experience", on),
    )


def _division_code(region) -> str:
    """The county-level division of a region (a town's parent), as its code."""
    if region is None:
        return ""
    if region.level == "town" and region.parent is not None:
        return region.parent.code
    return region.code


def draw_target(application: GradingApplication, review_date: date) -> engine.Target:
    enterprise = application.enterprise
    previous = (
        PanelMember.objects.filter(
            panel__application__enterprise=enterprise,
            role__in=PANEL_ROLES,
            state=PanelMember.State.CONFIRMED,
        )
        .exclude(panel__application=application)
        .order_by("-panel__review_date")
    )
    last_date = previous.values_list("panel__review_date", flat=True).first()
    previous_ids = tuple(previous.filter(panel__review_date=last_date).values_list("expert_id", flat=True))
    return engine.Target(
        application_id=application.pk,
        application_number=application.number,
        enterprise_uscc=enterprise.uscc,
        enterprise_name=enterprise.name,
        division_code=_division_code(enterprise.region),
        industry=enterprise.industry,
        risk_tags=tuple(enterprise.risk_tags.values_list("code", flat=True)),
        review_date=review_date,
        previous_reviewer_ids=previous_ids if last_date else (),
    )


def draw_candidates(actor, review_date: date) -> tuple[list[engine.Candidate], list[engine.Exclusion]]:
    """The pool as the engine's candidates, and those the qualification rule removes first.

    Qualification (domain.md §6) that the engine does not model: the minimum years of
    experience (parameter ``expert_min_experience``).
    """
    min_years = param_int("expert_min_experience", review_date)
    window_start = review_date - timedelta(days=365)
    experts = (
        experts_visible_to(actor)
        .select_related("region", "region__parent")
        .prefetch_related("relations", "unavailabilities", "certificates")
        .annotate(
            rating=Avg(
                (
                    F("ratings__professional")
                    + F("ratings__discipline")
                    + F("ratings__ethics")
                    + F("ratings__integrity")
                )
                / 4.0
            ),
        )
        .order_by("pk")
    )
    workload = dict(
        PanelMember.objects.filter(
            role__in=PANEL_ROLES,
            state__in=SEATED,
            panel__review_date__gte=window_start,
            panel__review_date__lt=review_date,
        )
        .values("expert_id")
        .annotate(n=Count("pk"))
        .values_list("expert_id", "n")
    )
    busy = set(
        PanelMember.objects.filter(state__in=SEATED, panel__review_date=review_date).values_list(
            "expert_id", flat=True
        )
    )
    candidates, removed = [], []
    for e in experts:
        if e.years_of_experience < min_years:
            removed.append(
                engine.Exclusion(
                    e.pk,
                    "experience",
                    _("%(years)s years of experience; the rule asks for at least %(min)s")
                    % {"years": e.years_of_experience, "min": min_years},
                )
            )
            continue
        rating = round(e.rating, 1) if e.rating is not None else None
        candidates.append(
            engine.Candidate(
                expert_id=e.pk,
                name=e.name,
                status=e.status,
                specialties=tuple(e.specialties),
                industries=tuple(e.industries),
                skills=tuple(e.skills),
                division_code=_division_code(e.region),
                employer_uscc=e.employer_uscc or "",
                can_lead=e.can_lead,
                years_of_experience=e.years_of_experience,
                rating=rating,
                relations=tuple(
                    engine.Relation(r.kind, r.enterprise_uscc or "", r.start, r.end)
                    for r in e.relations.all()
                    if r.enterprise_uscc
                ),
                unavailable=tuple((u.start, u.end) for u in e.unavailabilities.all()),
                busy_dates=(review_date,) if e.pk in busy else (),
                certificate_expiries=tuple(c.expires_on for c in e.certificates.all() if c.expires_on),
                panels_in_window=workload.get(e.pk, 0),
                term_until=e.term_until,
            )
        )
    return candidates, removed


# --- The draw -------------------------------------------------------------------------------


def _experts_people(expert_ids):
    return [e.user for e in Expert.objects.filter(pk__in=expert_ids).select_related("user") if e.user_id]


@transaction.atomic
def panel_draw_run(
    *, actor, application: GradingApplication, review_date: date, seed: int | None = None
) -> PanelDraw:
    """Draw the panel of an accepted application and record the evidence.

    A successful draw creates the panel (members invited, reserves on standby) and moves the
    application to ``panel_forming``; a failed one is recorded with its reasons and changes
    nothing else, so the officer can fix the pool or the date and draw again.
    """
    application = _lock(application)
    _require_city(actor, application)
    if application.status != Status.ACCEPTED:
        raise ValidationError(_("A panel is drawn for an accepted application."))
    if review_date < timezone.localdate():
        raise ValidationError({"review_date": [_("The review date cannot be in the past.")]})
    seed = secrets.randbits(63) if seed is None else seed
    rules = draw_rules(review_date)
    target = draw_target(application, review_date)
    candidates, removed = draw_candidates(actor, review_date)
    result = engine.draw(target, candidates, rules, seed)
    inputs = engine.canonical_inputs(target, candidates, rules, seed)
    failure = "；".join(f.reason for f in result.failures)
    record = PanelDraw.objects.create(
        application=application,
        review_date=review_date,
        seed=str(seed),
        algorithm_version=rules.algorithm,
        inputs=inputs,
        result={
            **result.as_dict(),
            "prefiltered": [[x.expert_id, x.code, x.reason] for x in removed],
            "excluded_reasons": [[x.expert_id, x.code, x.reason] for x in result.excluded],
            "unmet_soft": list(result.unmet_soft),
        },
        result_hash=result.result_hash,
        ok=result.ok,
        failure=failure,
        drawn_by=actor,
    )
    audit_record(
        actor=actor,
        action="panel.draw",
        target=application,
        data={
            "draw": record.pk,
            "ok": result.ok,
            "seed": str(seed),
            "hash": result.result_hash,
            "failure": failure,
        },
    )
    if not result.ok:
        return record
    panel = Panel.objects.create(application=application, draw=record, review_date=review_date)
    rows = [
        PanelMember(
            panel=panel,
            expert_id=expert_id,
            role=PanelMember.Role.LEADER if expert_id == result.leader_id else PanelMember.Role.MEMBER,
            order=n,
            state=PanelMember.State.INVITED,
        )
        for n, expert_id in enumerate(result.members)
    ]
    rows += [
        PanelMember(
            panel=panel,
            expert_id=expert_id,
            role=PanelMember.Role.RESERVE,
            order=n,
            state=PanelMember.State.STANDBY,
        )
        for n, expert_id in enumerate(result.reserves)
    ]
    PanelMember.objects.bulk_create(rows)
    now = timezone.now()
    apply_transition(
        application,
        APPLICATION_FLOW,
        "form_panel",
        actor=actor,
        data={"draw": record.pk, "review_date": str(review_date)},
        extra_updates={"status_changed_at": now},
    )
    notify(
        recipients=_experts_people(result.members),
        title=_("You were drawn for the review of %(enterprise)s on %(date)s")
        % {"enterprise": application.enterprise.name, "date": review_date.isoformat()},
        body=_("Confirm or decline in the app, and declare any conflict of interest."),
        url=reverse("reviews:my_panels"),
        category="panel",
    )
    return record


def _current(panel: Panel):
    return panel.members.filter(state__in=SEATED, role__in=PANEL_ROLES)


def _coverage_after(panel: Panel, leaving: PanelMember):
    """Pick the reserve who keeps the panel's coverage, with the engine's replace_member."""
    result = engine.replay(panel.draw.inputs)
    members = tuple(_current(panel).order_by("order").values_list("expert_id", flat=True))
    reserves = tuple(
        panel.members.filter(role=PanelMember.Role.RESERVE, state=PanelMember.State.STANDBY)
        .order_by("order")
        .values_list("expert_id", flat=True)
    )
    leader = _current(panel).filter(role=PanelMember.Role.LEADER).values_list("expert_id", flat=True).first()
    return engine.replace_member(
        result, leaving.expert_id, members=members, reserves=reserves, leader_id=leader
    )


def _seat(panel: Panel, leaving: PanelMember, replacement: engine.Replacement) -> PanelMember | None:
    """Apply a replacement: the incoming reserve takes the seat; the leader may change."""
    if replacement.incoming_id is None:
        return None
    incoming = panel.members.get(expert_id=replacement.incoming_id, role=PanelMember.Role.RESERVE)
    incoming.role = PanelMember.Role.MEMBER
    incoming.state = PanelMember.State.INVITED
    incoming.order = leaving.order
    incoming.save(update_fields=["role", "state", "order"])
    if replacement.leader_id is not None:
        _current(panel).filter(role=PanelMember.Role.LEADER).exclude(expert_id=replacement.leader_id).update(
            role=PanelMember.Role.MEMBER
        )
        _current(panel).filter(expert_id=replacement.leader_id).update(role=PanelMember.Role.LEADER)
    return incoming


def _member_of(actor, member: PanelMember) -> bool:
    return actor.role == Role.EXPERT and member.expert.user_id == actor.pk


@transaction.atomic
def panel_member_respond(
    *, actor, member: PanelMember, accept: bool, no_conflict: bool = False, reason: str = ""
) -> PanelMember:
    """The drawn expert confirms (declaring no conflict of interest) or declines with a reason.

    A decline brings in the reserve who keeps the panel's coverage, logged against the draw.
    """
    member = (
        PanelMember.objects.select_for_update()
        .select_related("expert", "panel__application__enterprise")
        .get(pk=member.pk)
    )
    if not _member_of(actor, member):
        raise PermissionDenied
    if member.state != PanelMember.State.INVITED:
        raise ValidationError(_("You have already answered this invitation."))
    panel = member.panel
    application = panel.application
    if application.status != Status.PANEL_FORMING:
        raise ValidationError(_("The panel is no longer being formed."))
    now = timezone.now()
    reason = (reason or "").strip()
    if accept:
        if not no_conflict:
            raise ValidationError(
                {"no_conflict": [_("Declare that you have no conflict of interest with the enterprise.")]}
            )
        member.state = PanelMember.State.CONFIRMED
        member.responded_at = member.no_conflict_declared_at = now
        member.save(update_fields=["state", "responded_at", "no_conflict_declared_at"])
        audit_record(
            actor=actor, action="panel.confirm", target=application, data={"expert": member.expert_id}
        )
        if not panel.members.filter(state=PanelMember.State.INVITED).exists():
            Panel.objects.filter(pk=panel.pk, status=Panel.Status.FORMING).update(
                status=Panel.Status.CONFIRMED
            )
            notify(
                recipients=city_people(application),
                title=_("The panel of %(number)s is complete") % {"number": application.number},
                url=_url(application),
                category="panel",
            )
        return member
    if not reason:
        raise ValidationError({"reason": [_("Say why you decline.")]})
    replacement = _coverage_after(panel, member)
    member.state = PanelMember.State.DECLINED
    member.responded_at = now
    member.decline_reason = reason[:1000]
    member.save(update_fields=["state", "responded_at", "decline_reason"])
    incoming = _seat(panel, member, replacement)
    audit_record(
        actor=actor,
        action="panel.decline",
        target=application,
        data={
            "expert": member.expert_id,
            "reason": reason[:200],
            "incoming": incoming.expert_id if incoming else None,
            "coverage_lost": list(replacement.lost),
            "draw": panel.draw_id,
        },
    )
    if incoming is not None:
        notify(
            recipients=_experts_people([incoming.expert_id]),
            title=_("You were drawn for the review of %(enterprise)s on %(date)s")
            % {"enterprise": application.enterprise.name, "date": panel.review_date.isoformat()},
            body=_("A member declined and you were the next reserve."),
            url=reverse("reviews:my_panels"),
            category="panel",
        )
    notify(
        recipients=city_people(application),
        title=_("%(expert)s declined the panel of %(number)s")
        % {"expert": member.expert.name, "number": application.number},
        body=reason,
        url=_url(application),
        category="panel",
    )
    return member


@transaction.atomic
def panel_member_replace(*, actor, member: PanelMember, expert: Expert, reason: str) -> PanelMember:
    """The city officer replaces a member by hand: a reason is required and it is audited."""
    member = (
        PanelMember.objects.select_for_update()
        .select_related("panel__application__enterprise")
        .get(pk=member.pk)
    )
    application = member.panel.application
    _require_city(actor, application)
    if application.status != Status.PANEL_FORMING:
        raise ValidationError(_("The panel is no longer being formed."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for the replacement.")]})
    if member.state not in SEATED or member.role not in PANEL_ROLES:
        raise ValidationError(_("Only a seated member can be replaced."))
    if member.panel.members.filter(expert=expert, state__in=SEATED).exists():
        raise ValidationError({"expert": [_("This expert already sits on the panel.")]})
    if not experts_visible_to(actor).filter(pk=expert.pk, status=Expert.Status.ACTIVE).exists():
        raise ValidationError({"expert": [_("Choose an active expert of the pool.")]})
    member.state = PanelMember.State.REPLACED
    member.hand_reason = reason[:1000]
    member.save(update_fields=["state", "hand_reason"])
    incoming = PanelMember.objects.create(
        panel=member.panel,
        expert=expert,
        role=member.role,
        order=member.order,
        state=PanelMember.State.INVITED,
        added_by_hand=True,
        hand_reason=reason[:1000],
    )
    Panel.objects.filter(pk=member.panel_id).update(status=Panel.Status.FORMING)
    audit_record(
        actor=actor,
        action="panel.replace",
        target=application,
        data={"leaving": member.expert_id, "incoming": expert.pk, "reason": reason[:500]},
    )
    return incoming


@transaction.atomic
def panel_approve(*, actor, panel: Panel, comment: str = ""):
    """The 科长 approves the confirmed panel; the review is scheduled (notices go out)."""
    application = _lock(panel.application)
    _require_city(actor, application, roles={Role.CITY_CHIEF})
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    seated = _current(panel)
    size = param_int("panel_size", panel.review_date)
    if seated.filter(state=PanelMember.State.INVITED).exists() or seated.count() < size:
        raise ValidationError(_("Every member must confirm before the panel is approved."))
    if seated.filter(role=PanelMember.Role.LEADER).count() != 1:
        raise ValidationError(_("The panel needs exactly one leader."))
    now = timezone.now()
    log = apply_transition(
        application,
        APPLICATION_FLOW,
        "approve_panel",
        actor=actor,
        comment=comment,
        data={"panel": panel.pk},
        extra_updates={"status_changed_at": now},
    )
    panel.status = Panel.Status.APPROVED
    panel.approved_by = actor
    panel.approved_at = now
    panel.save(update_fields=["status", "approved_by", "approved_at"])
    audit_record(actor=actor, action="panel.approve", target=application, data={"panel": panel.pk})
    names = "、".join(seated.order_by("order").values_list("expert__name", flat=True))
    title = _("Review of %(enterprise)s on %(date)s: panel approved") % {
        "enterprise": application.enterprise.name,
        "date": panel.review_date.isoformat(),
    }
    for people in (
        enterprise_people(application),
        county_people(application),
        _experts_people(seated.values_list("expert_id", flat=True)),
    ):
        notify(recipients=people, title=title, body=names, url=_url(application), category="panel")
    return log


def replay_panel_draw(record: PanelDraw) -> tuple[bool, str]:
    """Recompute a stored draw from its inputs: (matches, recomputed hash)."""
    result = engine.replay(record.inputs)
    return result.result_hash == record.result_hash, result.result_hash


# --- Who sees the case: the experts of its panel ----------------------------------------------


def expert_visibility(user):
    """The applications of the panels where the expert has confirmed his seat (from ready()).

    Domain §2: an expert sees assigned cases "from confirmation to close". An invited expert
    sees the invitation on "my panels", not the case; declined, replaced and reserve seats give
    nothing.
    """
    from django.db.models import Q

    if getattr(user, "role", None) != Role.EXPERT:
        return None
    return Q(
        panel__members__expert__user=user,
        panel__members__state=PanelMember.State.CONFIRMED,
        panel__members__role__in=PANEL_ROLES,
    )


# --- The on-site review: schedule, opening, attendance, supervision ----------------------------


@dataclass(frozen=True)
class PlanRowIn:
    starts_at: time
    ends_at: time
    activity: str
    element: str = ""
    expert_ids: tuple[int, ...] = ()
    expert_names: str = ""


def is_panel_leader(actor, application: GradingApplication) -> bool:
    """The actor holds the confirmed leader's seat of the application's panel."""
    return bool(
        getattr(actor, "role", None) == Role.EXPERT
        and PanelMember.objects.filter(
            panel__application=application,
            expert__user=actor,
            role=PanelMember.Role.LEADER,
            state=PanelMember.State.CONFIRMED,
        ).exists()
    )


def _clean_plan(review: SiteReview, plan: list[PlanRowIn]) -> list[tuple[ReviewPlanRow, tuple[int, ...]]]:
    seated_ids = set(
        PanelMember.objects.filter(
            panel__application_id=review.application_id, state__in=SEATED, role__in=PANEL_ROLES
        ).values_list("expert_id", flat=True)
    )
    rows, errors = [], []
    for n, row in enumerate(plan, start=1):
        activity = (row.activity or "").strip()
        if not activity:
            errors.append(_("Plan row %(n)s: describe the activity.") % {"n": n})
        if row.ends_at <= row.starts_at:
            errors.append(_("Plan row %(n)s: it must end after it starts.") % {"n": n})
        if set(row.expert_ids) - seated_ids:
            errors.append(_("Plan row %(n)s: only members of the panel can be assigned.") % {"n": n})
        rows.append(
            (
                ReviewPlanRow(
                    review=review,
                    order=n,
                    starts_at=row.starts_at,
                    ends_at=row.ends_at,
                    activity=activity[:200],
                    element=(row.element or "").strip()[:100],
                    expert_names=(row.expert_names or "").strip()[:200],
                ),
                tuple(row.expert_ids),
            )
        )
    if errors:
        raise ValidationError({"plan": errors})
    return rows


@transaction.atomic
def site_review_schedule(
    *,
    actor,
    application: GradingApplication,
    place: str,
    end_date: date | None = None,
    plan: list[PlanRowIn] | None = None,
) -> SiteReview:
    """The city officer sets the place and the plan of the approved panel's review (until it opens).

    The date is the panel's review date. Creating or changing it notifies the enterprise, the
    county and the panel with the date and place.
    """
    application = _lock(application)
    _require_city(actor, application)
    if application.status != Status.REVIEW_SCHEDULED:
        raise ValidationError(_("The review can be scheduled once the panel is approved, until it opens."))
    panel = Panel.objects.get(application=application)
    place = (place or "").strip()
    if not place:
        raise ValidationError({"place": [_("Enter the place of the review.")]})
    if end_date is not None and end_date < panel.review_date:
        raise ValidationError({"end_date": [_("The last day cannot be before the review date.")]})
    review, created = SiteReview.objects.select_for_update().get_or_create(
        application=application,
        defaults={
            "date": panel.review_date,
            "place": place[:200],
            "end_date": end_date,
            "scheduled_by": actor,
        },
    )
    if not created:
        review.date = panel.review_date
        review.place = place[:200]
        review.end_date = end_date
        review.scheduled_by = actor
        review.save(update_fields=["date", "place", "end_date", "scheduled_by", "updated_at"])
    if plan is not None:
        rows = _clean_plan(review, plan)
        review.plan_rows.all().delete()
        for row, expert_ids in rows:
            row.save()
            if expert_ids:
                row.experts.set(expert_ids)
    audit_record(
        actor=actor,
        action="review.schedule",
        target=application,
        data={"date": str(review.date), "end_date": str(end_date or ""), "place": review.place[:200]},
    )
    when = review.date.isoformat() + (f" ～ {end_date.isoformat()}" if end_date else "")
    title = _("On-site review of %(enterprise)s: %(when)s at %(place)s") % {
        "enterprise": application.enterprise.name,
        "when": when,
        "place": review.place,
    }
    seated = _current(panel).values_list("expert_id", flat=True)
    for people in (
        enterprise_people(application),
        county_people(application),
        _experts_people(seated),
    ):
        notify(recipients=people, title=title, url=_url(application), category="review")
    return review


@transaction.atomic
def site_review_open(*, actor, application: GradingApplication, comment: str = ""):
    """The panel leader opens the on-site review (review_scheduled → on_site_review)."""
    application = _lock(application)
    if not is_panel_leader(actor, application):
        raise PermissionDenied
    review = SiteReview.objects.select_for_update().filter(application=application).first()
    if review is None:
        raise ValidationError(_("The city must schedule the review (place and plan) before it opens."))
    now = timezone.now()
    log = apply_transition(
        application,
        APPLICATION_FLOW,
        "open_review",
        actor=actor,
        comment=comment,
        data={"review": review.pk},
        extra_updates={"status_changed_at": now},
    )
    review.opened_by = actor
    review.opened_at = now
    review.save(update_fields=["opened_by", "opened_at", "updated_at"])
    from reviews.services.scoring import scoring_prepare

    scoring_prepare(actor=actor, review=review)
    audit_record(actor=actor, action="review.open", target=application, data={"review": review.pk})
    return log


REGULATOR_SIDES = {Role.CITY_OFFICER: "city", Role.CITY_CHIEF: "city"} | {
    role: "county" for role in COUNTY_ROLES
}


def _require_on_site(review: SiteReview) -> GradingApplication:
    application = review.application
    if application.status != Status.ON_SITE_REVIEW:
        raise ValidationError(
            _("The sign-in sheets and supervision notes are kept while the review is on site.")
        )
    return application


def _records_attendance(actor, application: GradingApplication) -> bool:
    """The leader or the city officer keeps the sheet."""
    return is_panel_leader(actor, application) or (actor.role in CITY_STAFF and in_scope(actor, application))


@transaction.atomic
def attendance_record(
    *,
    actor,
    review: SiteReview,
    meeting: str,
    name: str = "",
    organisation: str = "",
    role: str = "",
    user=None,
) -> Attendance:
    """Record a signature on a meeting's sheet.

    The leader or the city officer records anyone; a city or county regulator in scope may
    sign himself in (name, organisation and side then come from his account).
    """
    review = SiteReview.objects.select_related("application__enterprise").get(pk=review.pk)
    application = _require_on_site(review)
    if meeting not in Attendance.Meeting.values:
        raise ValidationError({"meeting": [_("Choose the opening or the closing meeting.")]})
    keeper = _records_attendance(actor, application)
    self_sign = user is not None and user.pk == actor.pk
    if not keeper and not (self_sign and actor.role in REGULATOR_SIDES and in_scope(actor, application)):
        raise PermissionDenied
    if user is not None and user.role in REGULATOR_SIDES:
        name = name or user.get_full_name()
        organisation = organisation or (user.organisation.name if user.organisation_id else "")
        role = REGULATOR_SIDES[user.role]
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Enter the name of the person signing in.")]})
    if role not in Attendance.Side.values:
        raise ValidationError({"role": [_("Choose whom the person attends for.")]})
    if user is not None and review.attendance.filter(meeting=meeting, user=user).exists():
        raise ValidationError(_("This person has already signed in to this meeting."))
    row = Attendance.objects.create(
        review=review,
        meeting=meeting,
        name=name[:64],
        organisation=(organisation or "").strip()[:200],
        role=role,
        user=user,
        signed_at=timezone.now(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="review.attendance",
        target=application,
        data={"meeting": meeting, "name": row.name, "role": role, "user": user.pk if user else None},
    )
    return row


@transaction.atomic
def attendance_remove(*, actor, row: Attendance) -> None:
    """The leader or the city officer strikes a row (a regulator may strike his own signature)."""
    row = Attendance.objects.select_related("review__application__enterprise").get(pk=row.pk)
    application = _require_on_site(row.review)
    if not (
        _records_attendance(actor, application)
        or (row.user_id == actor.pk and row.recorded_by_id == actor.pk)
    ):
        raise PermissionDenied
    audit_record(
        actor=actor,
        action="review.attendance_remove",
        target=application,
        data={"meeting": row.meeting, "name": row.name, "role": row.role},
    )
    row.delete()


def regulators_present(rows) -> list[tuple[str, str]]:
    """The (meeting, side) pairs of regulators missing from the sign-in sheets (pure).

    ``rows`` are attendance rows or mappings with ``meeting`` and ``role``. The city and the
    county bureau must each sign in to both meetings (domain §7: their presence is required).
    """
    present = set()
    for row in rows:
        get = row.get if isinstance(row, dict) else lambda key, r=row: getattr(r, key)
        present.add((get("meeting"), get("role")))
    return [
        (meeting, side)
        for meeting in (Attendance.Meeting.OPENING, Attendance.Meeting.CLOSING)
        for side in (Attendance.Side.CITY, Attendance.Side.COUNTY)
        if (meeting, side) not in present
    ]


def finalise_blockers(review: SiteReview) -> list[str]:
    """Why the review cannot be finalised yet (for the leader's finalise step); empty: it can."""
    missing = regulators_present(review.attendance.all())
    reasons = {
        (Attendance.Meeting.OPENING, Attendance.Side.CITY): _(
            "No city regulator signed in to the opening meeting."
        ),
        (Attendance.Meeting.OPENING, Attendance.Side.COUNTY): _(
            "No county regulator signed in to the opening meeting."
        ),
        (Attendance.Meeting.CLOSING, Attendance.Side.CITY): _(
            "No city regulator signed in to the closing meeting."
        ),
        (Attendance.Meeting.CLOSING, Attendance.Side.COUNTY): _(
            "No county regulator signed in to the closing meeting."
        ),
    }
    return [reasons[pair] for pair in missing]


SUPERVISORS = frozenset({Role.CITY_OFFICER, Role.CITY_CHIEF, Role.COUNTY_OFFICER, Role.COUNTY_CHIEF})
NOTE_READERS = frozenset({Role.CITY_OFFICER, Role.CITY_CHIEF, Role.BUREAU_LEADER})


@transaction.atomic
def supervision_note_add(
    *,
    actor,
    review: SiteReview,
    punctuality: int,
    thoroughness: int,
    impartiality: int,
    irregularity: str = "",
) -> SupervisionNote:
    """A city or county officer in scope rates the panel's work while the review is on site."""
    review = SiteReview.objects.select_related("application__enterprise").get(pk=review.pk)
    application = review.application
    if actor.role not in SUPERVISORS or not in_scope(actor, application):
        raise PermissionDenied
    _require_on_site(review)
    errors = {}
    for field, value in (
        ("punctuality", punctuality),
        ("thoroughness", thoroughness),
        ("impartiality", impartiality),
    ):
        if not isinstance(value, int) or not 1 <= value <= 5:
            errors[field] = [_("Give a score from 1 to 5.")]
    if errors:
        raise ValidationError(errors)
    note = SupervisionNote.objects.create(
        review=review,
        author=actor,
        punctuality=punctuality,
        thoroughness=thoroughness,
        impartiality=impartiality,
        irregularity=(irregularity or "").strip()[:5000],
    )
    audit_record(
        actor=actor,
        action="review.supervision",
        target=application,
        data={"note": note.pk, "scores": [punctuality, thoroughness, impartiality]},
    )
    return note


def may_read_supervision(user, application: GradingApplication) -> bool:
    return user.role in NOTE_READERS and in_scope(user, application)


def supervision_notes_for(user, review: SiteReview):
    """The notes the user reads: all for the city and the bureau leader, his own for a county officer."""
    notes = review.supervision_notes.select_related("author")
    if may_read_supervision(user, review.application):
        return notes
    return notes.filter(author=user)
