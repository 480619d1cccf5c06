"""Writes to applications: filing, the moves of the case, the county opinion, the city decision.

Every function takes ``actor``, runs in one transaction, checks the actor's right through
``grading.permissions``, writes, audits, and notifies. Moves go through ``_move``: the
transitions table's compare-and-set, the state's timer (working days, the parameter value
of the day it starts), and the people to tell. Business checks that depend on the case
(publicity elapsed, eligibility, answers to corrections, an approved opinion) run as guards
inside the same compare-and-set, so a refused move changes nothing.
"""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import COUNTY_ROLES, ENTERPRISE_ROLES, Role
from accounts.selectors import city_bureau_users, county_bureau_users, enterprise_users
from audit.services import audit_record, diff_fields
from enterprises.models import Enterprise
from grading import domain, eligibility
from grading.models import (
    TERMINAL_STATES,
    ApplicationCounter,
    Attachment,
    CityDecision,
    CorrectionItem,
    CorrectionRequest,
    CountyOpinion,
    GeneratedDocument,
    GradeLevel,
    GradingApplication,
    Guidance,
    Kind,
    OpinionStatus,
    RequiredDocument,
    Status,
    Submission,
    TeamMember,
)
from grading.permissions import (
    can_city_review,
    can_county_review,
    can_create_application,
    can_decide_as_chief,
    can_edit_file,
    can_file_documents,
    can_guide,
    can_sign_commitment,
    is_own_enterprise,
    visible_to,
)
from grading.workflow import APPLICATION_FLOW, CITY_DECISION_FLOW, COUNTY_OPINION_FLOW, STATE_TIMERS
from lib.dates import CalendarMissing, add_working_days
from lib.uploads import check_upload
from lib.workflow import apply_transition
from notifications.services import notify
from regulation.selectors import param_decimal, param_int, work_calendar
from standards.models import ScoreSheet, ScoringStandard
from standards.selectors import sheet_result
from standards.services import sheet_create, sheet_set_status

MAX_TEXT = 5000
CITY_STAFF = (Role.CITY_OFFICER, Role.CITY_CHIEF)


def _url(application: GradingApplication) -> str:
    return reverse("grading:detail", args=[application.pk])


def _today() -> date:
    return timezone.localdate()


def _text(value, name: str, errors: dict, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    text = (value or "").strip()
    if required and not text:
        errors.setdefault(name, []).append(_("This field is required."))
    if len(text) > limit:
        errors.setdefault(name, []).append(_("Keep this under %(n)s characters.") % {"n": limit})
    return text


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _lock(application: GradingApplication) -> GradingApplication:
    """Re-read the application under a row lock (filing changes must not race a move)."""
    return (
        GradingApplication.objects.select_for_update(of=("self",))
        .select_related("enterprise", "standard", "self_sheet")
        .get(pk=application.pk)
    )


# --- Who to tell ---------------------------------------------------------------------------


def _enterprise_people(application: GradingApplication):
    return enterprise_users(application.enterprise.organisation_id, ENTERPRISE_ROLES)


def _county_people(application: GradingApplication, roles=COUNTY_ROLES):
    return county_bureau_users(application.enterprise.region_path, roles)


def _city_people(application: GradingApplication, roles=CITY_STAFF):
    return city_bureau_users(application.enterprise.region_path, roles)


def _tell(people, application: GradingApplication, title: str, body: str = "") -> None:
    notify(
        recipients=people,
        title=f"{application.number} {application.enterprise.name}：{title}",
        body=body,
        url=_url(application),
        category="grading",
    )


# --- Creating and filing -------------------------------------------------------------------


def standards_for(enterprise: Enterprise):
    """The published standards an enterprise may apply under: its industry's, or general ones."""
    rows = ScoringStandard.objects.filter(status=ScoringStandard.Status.PUBLISHED).order_by(
        "code", "-version"
    )
    return [s for s in rows if not s.industries or enterprise.industry in s.industries]


def _next_number(on: date) -> str:
    counter, _created = ApplicationCounter.objects.select_for_update().get_or_create(year=on.year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"DJ{on.year}{counter.last:04d}"


@transaction.atomic
def application_create(
    *,
    actor,
    enterprise: Enterprise,
    standard: ScoringStandard | None,
    grade_level: int = GradeLevel.LEVEL3,
    kind: str = Kind.INITIAL,
) -> GradingApplication:
    """Start an application in draft for the actor's own enterprise, with an empty self-assessment."""
    if not can_create_application(actor) or enterprise.organisation_id != actor.organisation_id:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    # Serialise starts per enterprise so two clicks cannot open two applications.
    Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
    open_numbers = list(
        GradingApplication.objects.filter(enterprise=enterprise)
        .exclude(status__in=TERMINAL_STATES)
        .values_list("number", flat=True)
    )
    if open_numbers:
        errors.setdefault("__all__", []).append(
            _("Application %(number)s is still open; finish or withdraw it first.")
            % {"number": open_numbers[0]}
        )
    allowed = standards_for(enterprise)
    if standard is None or standard not in allowed:
        errors.setdefault("standard", []).append(
            _("Choose a published scoring standard for the enterprise's industry.")
            if allowed
            else _("No scoring standard is published for this industry yet; ask the city bureau.")
        )
    if grade_level not in GradeLevel.values:
        errors.setdefault("grade_level", []).append(_("Choose a valid grade."))
    if kind not in Kind.values:
        errors.setdefault("kind", []).append(_("Choose a valid kind of application."))
    _raise(errors)
    now = timezone.now()
    number = _next_number(timezone.localdate(now))
    sheet = sheet_create(
        actor=actor,
        standard=standard,
        kind=ScoreSheet.Kind.SELF_ASSESSMENT,
        title=_("Self-assessment of %(name)s (%(number)s)") % {"name": enterprise.name, "number": number},
    )
    application = GradingApplication.objects.create(
        number=number,
        enterprise=enterprise,
        kind=kind,
        grade_level=grade_level,
        standard=standard,
        self_sheet=sheet,
        status=Status.DRAFT,
        status_changed_at=now,
        created_by=actor,
    )
    if enterprise.principal_name:
        TeamMember.objects.create(
            application=application,
            name=enterprise.principal_name,
            role=TeamMember.Role.LEADER,
            position=_("Principal"),
            phone=enterprise.principal_phone,
        )
    application.transitions.create(
        transition="create", from_state="", to_state=Status.DRAFT, actor=actor, created_at=now
    )
    audit_record(
        actor=actor,
        action="application.create",
        target=application,
        data={
            "enterprise": enterprise.uscc,
            "standard": standard.pk,
            "grade_level": grade_level,
            "kind": kind,
        },
    )
    return application


FILE_FIELDS = (
    "grade_level",
    "summary",
    "self_found_problems",
    "assessment_started_on",
    "assessment_finished_on",
    "internal_publicity_place",
)


@transaction.atomic
def application_update(*, actor, application: GradingApplication, data: dict) -> GradingApplication:
    """Change the enterprise's own parts of the file (only while it holds the file)."""
    application = _lock(application)
    if not can_edit_file(actor, application):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    before = {f: getattr(application, f) for f in FILE_FIELDS}
    if "grade_level" in data:
        if data["grade_level"] not in GradeLevel.values:
            errors.setdefault("grade_level", []).append(_("Choose a valid grade."))
        else:
            application.grade_level = data["grade_level"]
    if "summary" in data:
        application.summary = _text(data["summary"], "summary", errors)
    if "internal_publicity_place" in data:
        application.internal_publicity_place = _text(
            data["internal_publicity_place"], "internal_publicity_place", errors, limit=200
        )
    if "self_found_problems" in data:
        rows = []
        for row in data["self_found_problems"] or []:
            problem = (row.get("problem") or "").strip()
            fix = (row.get("fix") or "").strip()
            if not problem and not fix:
                continue
            if not problem:
                errors.setdefault("self_found_problems", []).append(
                    _("Describe each problem whose fix you list.")
                )
            if len(problem) > 1000 or len(fix) > 1000:
                errors.setdefault("self_found_problems", []).append(
                    _("Keep each problem and fix under 1000 characters.")
                )
            rows.append({"problem": problem, "fix": fix})
        application.self_found_problems = rows
    for name in ("assessment_started_on", "assessment_finished_on"):
        if name in data:
            value = data[name]
            if value is not None and not isinstance(value, date):
                errors.setdefault(name, []).append(_("Enter a valid date."))
            elif value is not None and value > _today():
                errors.setdefault(name, []).append(_("The date cannot be in the future."))
            else:
                setattr(application, name, value)
    start, end = application.assessment_started_on, application.assessment_finished_on
    if start and end and end < start:
        errors.setdefault("assessment_finished_on", []).append(
            _("The self-assessment cannot finish before it starts.")
        )
    _raise(errors)
    application.save()
    after = {f: getattr(application, f) for f in FILE_FIELDS}
    changes = diff_fields(before, after)
    if changes:
        audit_record(actor=actor, action="application.update", target=application, data=changes)
    return application


@dataclass(frozen=True)
class MemberIn:
    name: str
    position: str = ""
    role: str = TeamMember.Role.MEMBER
    phone: str = ""


@transaction.atomic
def team_save(*, actor, application: GradingApplication, members: list[MemberIn]) -> list[TeamMember]:
    """Replace the self-assessment working group; exactly one leader (the principal)."""
    application = _lock(application)
    if not can_edit_file(actor, application):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    rows = [m for m in members if (m.name or "").strip()]
    if not rows:
        errors.setdefault("members", []).append(_("Name at least the group's leader."))
    leaders = [m for m in rows if m.role == TeamMember.Role.LEADER]
    if rows and len(leaders) != 1:
        errors.setdefault("members", []).append(_("The group has exactly one leader: the principal."))
    for m in rows:
        if m.role not in TeamMember.Role.values:
            errors.setdefault("members", []).append(_("Choose a valid role for %(name)s.") % {"name": m.name})
        if len(m.name.strip()) > 64 or len(m.position.strip()) > 64 or len(m.phone.strip()) > 32:
            errors.setdefault("members", []).append(
                _("%(name)s: a value is too long.") % {"name": m.name[:64]}
            )
    _raise(errors)
    before = list(application.team.values_list("name", "role"))
    application.team.all().delete()
    created = TeamMember.objects.bulk_create(
        TeamMember(
            application=application,
            name=m.name.strip(),
            position=m.position.strip(),
            role=m.role,
            phone=m.phone.strip(),
            sort_order=n,
        )
        for n, m in enumerate(rows)
    )
    audit_record(
        actor=actor,
        action="application.team",
        target=application,
        data={"before": before, "after": [(m.name, m.role) for m in created]},
    )
    return created


@transaction.atomic
def attachment_add(*, actor, application: GradingApplication, document: RequiredDocument, file) -> Attachment:
    """Store an uploaded document; a file of the same kind before it is kept as an older version."""
    application = _lock(application)
    if not can_file_documents(actor, application):
        raise PermissionDenied
    if not document.is_active or not document.applies_to(application.enterprise.industry):
        raise ValidationError({"document": _("Choose one of the listed documents.")})
    try:
        checked = check_upload(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    now = timezone.now()
    current = application.attachments.filter(document=document)
    version = (current.aggregate(v=Max("version"))["v"] or 0) + 1
    current.filter(superseded_at__isnull=True).update(superseded_at=now)
    attachment = Attachment(
        application=application,
        document=document,
        version=version,
        extension=checked.kind.extensions[0],
        original_name=checked.name[:200],
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    attachment.file.save(checked.name, file, save=False)
    attachment.save()
    audit_record(
        actor=actor,
        action="application.attachment_add",
        target=application,
        data={"document": document.code, "version": version, "sha256": checked.sha256, "name": checked.name},
    )
    return attachment


@transaction.atomic
def attachment_withdraw(*, actor, application: GradingApplication, attachment: Attachment) -> None:
    """Take the current version of a document off the file (it stays in the history)."""
    application = _lock(application)
    if not can_file_documents(actor, application) or attachment.application_id != application.pk:
        raise PermissionDenied
    updated = Attachment.objects.filter(pk=attachment.pk, superseded_at__isnull=True).update(
        superseded_at=timezone.now()
    )
    if updated:
        audit_record(
            actor=actor,
            action="application.attachment_withdraw",
            target=application,
            data={"document": attachment.document.code, "version": attachment.version},
        )


def commitment_numbers(on: date) -> domain.CommitmentNumbers:
    return domain.CommitmentNumbers(
        window_months=param_int("eligibility_window", on),
        serious_injury_block=param_int("eligibility_serious_injury_block", on),
        loss_block=param_decimal("eligibility_loss_block", on),
        ban_false_commitment_months=param_int("ban_false_commitment", on),
    )


def commitment_text_for(application: GradingApplication, on: date | None = None) -> str:
    return domain.commitment_text(
        enterprise_name=application.enterprise.name,
        uscc=application.enterprise.uscc,
        grade_label=str(GradeLevel(application.grade_level).label),
        numbers=commitment_numbers(on or _today()),
    )


@transaction.atomic
def commitment_sign(*, actor, application: GradingApplication) -> GradingApplication:
    """The principal signs the commitment; the text's hash is stored with the signature."""
    application = _lock(application)
    if not can_sign_commitment(actor, application):
        raise PermissionDenied
    if application.commitment_signed_at is not None:
        return application
    text = commitment_text_for(application)
    application.commitment_signed_at = timezone.now()
    application.commitment_signed_by = actor
    application.commitment_sha256 = hashlib.sha256(text.encode()).hexdigest()
    application.save(
        update_fields=["commitment_signed_at", "commitment_signed_by", "commitment_sha256", "updated_at"]
    )
    audit_record(
        actor=actor,
        action="application.commitment_sign",
        target=application,
        data={"sha256": application.commitment_sha256},
    )
    return application


@transaction.atomic
def guidance_add(*, actor, application: GradingApplication, text: str) -> Guidance:
    """A regulator writes guidance the enterprise reads (属地指导)."""
    if not can_guide(actor, application):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    text = _text(text, "text", errors, required=True)
    _raise(errors)
    row = Guidance.objects.create(application=application, author=actor, text=text)
    audit_record(actor=actor, action="application.guidance", target=application, data={"text": text[:200]})
    _tell(_enterprise_people(application), application, _("New guidance from the regulator"), text[:500])
    return row


# --- Moves --------------------------------------------------------------------------------


def _timer_updates(target: str, start: date) -> dict:
    """The timer fields for entering ``target`` on ``start`` (cleared if the state has none)."""
    if target not in STATE_TIMERS:
        return dict(
            timer_param="", timer_kind="", timer_started_on=None, timer_working_days=None, timer_due_on=None
        )
    key, kind = STATE_TIMERS[target]
    days = param_int(key, start)
    try:
        due = add_working_days(start, days, work_calendar())
    except CalendarMissing:
        due = None
    return dict(
        timer_param=key, timer_kind=kind, timer_started_on=start, timer_working_days=days, timer_due_on=due
    )


def _move(
    application: GradingApplication,
    name: str,
    *,
    actor,
    comment: str = "",
    data: dict | None = None,
    extra_updates: dict | None = None,
    guards=(),
    timer_start: date | None = None,
):
    target = APPLICATION_FLOW[name].target
    now = timezone.now()
    updates = {"status_changed_at": now, **_timer_updates(target, timer_start or timezone.localdate(now))}
    updates.update(extra_updates or {})
    log = apply_transition(
        application,
        APPLICATION_FLOW,
        name,
        actor=actor,
        comment=comment,
        data=data,
        extra_updates=updates,
        check_guards=guards,
    )
    audit_record(
        actor=actor,
        action=f"application.{name}",
        target=application,
        data={"from": log.from_state, "to": log.to_state, "comment": comment[:500], **(data or {})},
    )
    return log


def _guard_from(checks_fn):
    """Turn a function returning a list of problems into a transition guard."""

    def guard(obj, actor):
        problems = checks_fn(obj)
        return "；".join(problems) if problems else None

    return guard


def _snapshot(application: GradingApplication, actor, checks: list[domain.Check]) -> Submission:
    result = sheet_result(application.self_sheet)
    seq = (application.submissions.aggregate(s=Max("seq"))["s"] or 0) + 1
    snapshot = {
        "grade_level": application.grade_level,
        "standard": application.standard_id,
        "summary": application.summary,
        "self_found_problems": application.self_found_problems,
        "team": list(application.team.values("name", "position", "role", "phone")),
        "internal_publicity": [
            str(application.internal_publicity_start or ""),
            str(application.internal_publicity_end or ""),
            application.internal_publicity_place,
        ],
        "commitment_sha256": application.commitment_sha256,
        "attachments": list(
            application.attachments.filter(superseded_at__isnull=True).values(
                "document__code", "version", "original_name", "sha256"
            )
        ),
        "score": {
            "percentage": str(result.percentage) if result.percentage is not None else None,
            "earned": str(result.earned),
            "denominator": str(result.denominator),
            "elements": [
                {"no": e.no, "name": e.name, "points": str(e.points), "earned": str(e.earned)}
                for e in result.elements
            ],
        },
    }
    return Submission.objects.create(
        application=application,
        seq=seq,
        submitted_by=actor,
        submitted_at=timezone.now(),
        snapshot=snapshot,
        eligibility=[c.as_dict() for c in checks],
    )


def _generate_after_commit(application: GradingApplication, kind: str, actor, reason: str) -> None:
    from grading.tasks import generate_document

    app_id, actor_id = application.pk, actor.pk
    transaction.on_commit(lambda: generate_document.enqueue(app_id, kind, actor_id, reason))


def _start_publicity_problems(application: GradingApplication) -> list[str]:
    problems = []
    unscored, _percentage = eligibility.sheet_progress(application)
    if unscored:
        problems.append(_("Score every item of the self-assessment first (%(n)s left).") % {"n": unscored})
    if not application.team.filter(role=TeamMember.Role.LEADER).exists():
        problems.append(_("Name the self-assessment group and its leader first."))
    return problems


@transaction.atomic
def application_start_publicity(
    *, actor, application: GradingApplication, start: date | None = None, place: str = "", comment: str = ""
):
    """Post the self-assessment inside the enterprise: the minimum working days start counting."""
    application = _lock(application)
    if not is_own_enterprise(actor, application):
        raise PermissionDenied
    start = start or _today()
    errors: dict[str, list[str]] = {}
    if start > _today():
        errors.setdefault("start", []).append(_("The publicity cannot start in the future."))
    if application.assessment_finished_on and start < application.assessment_finished_on:
        errors.setdefault("start", []).append(
            _("The publicity cannot start before the self-assessment finished.")
        )
    place = _text(place or application.internal_publicity_place, "place", errors, limit=200)
    _raise(errors)
    log = _move(
        application,
        "start_internal_publicity",
        actor=actor,
        comment=comment,
        data={"start": str(start)},
        extra_updates={"internal_publicity_start": start, "internal_publicity_place": place},
        guards=[_guard_from(_start_publicity_problems)],
        timer_start=start,
    )
    sheet_set_status(
        actor=actor,
        sheet=application.self_sheet,
        status=ScoreSheet.Status.SUBMITTED,
        reason="internal_publicity",
    )
    _generate_after_commit(
        application, GeneratedDocument.Kind.SELF_ASSESSMENT_REPORT, actor, "internal_publicity"
    )
    return log


@transaction.atomic
def application_back_to_draft(*, actor, application: GradingApplication, comment: str = ""):
    """Stop the internal publicity to change the self-assessment (the publicity starts over)."""
    application = _lock(application)
    if not is_own_enterprise(actor, application):
        raise PermissionDenied
    log = _move(
        application,
        "back_to_draft",
        actor=actor,
        comment=comment,
        extra_updates={"internal_publicity_start": None, "internal_publicity_end": None},
    )
    sheet_set_status(
        actor=actor, sheet=application.self_sheet, status=ScoreSheet.Status.DRAFT, reason="back_to_draft"
    )
    return log


@transaction.atomic
def application_submit(*, actor, application: GradingApplication, comment: str = ""):
    """Submit to the county: every eligibility condition must hold (no ``fail``)."""
    application = _lock(application)
    if not is_own_enterprise(actor, application):
        raise PermissionDenied
    checks: list[domain.Check] = []

    def eligible(obj, _actor):
        checks[:] = eligibility.evaluate(obj)
        failed = domain.blocking(checks)
        if failed:
            return _("The application cannot be submitted yet: %(reasons)s") % {
                "reasons": "；".join(f"{c.label}：{c.reason}" for c in failed)
            }
        return None

    publicity_end = _today()
    log = _move(
        application,
        "submit",
        actor=actor,
        comment=comment,
        guards=[eligible],
        extra_updates={"submitted_at": timezone.now(), "internal_publicity_end": publicity_end},
    )
    submission = _snapshot(application, actor, checks)
    log.data = {"submission": submission.seq, "eligibility": [c.as_dict() for c in checks]}
    log.save(update_fields=["data"])
    _generate_after_commit(application, GeneratedDocument.Kind.SELF_ASSESSMENT_REPORT, actor, "submit")
    _tell(_county_people(application), application, _("A new application awaits preliminary review"))
    return log


def _open_request(application: GradingApplication, addressee: str) -> CorrectionRequest | None:
    return (
        application.correction_requests.filter(addressee=addressee, closed_at__isnull=True)
        .order_by("-created_at")
        .first()
    )


def _unanswered_problems(application: GradingApplication, addressee: str) -> list[str]:
    request = _open_request(application, addressee)
    if request is None:
        return []
    left = request.items.exclude(
        state__in=[CorrectionItem.State.ANSWERED, CorrectionItem.State.ACCEPTED]
    ).count()
    if left:
        return [_("Answer every item of the correction notice first (%(n)s left).") % {"n": left}]
    return []


@dataclass(frozen=True)
class CorrectionIn:
    subject: str
    problem: str
    fix: str


def _clean_items(items: list[CorrectionIn]) -> list[CorrectionIn]:
    rows = [i for i in items if (i.subject or i.problem or i.fix or "").strip()]
    errors: dict[str, list[str]] = {}
    if not rows:
        errors.setdefault("items", []).append(_("List every item to correct, all at once."))
    for n, i in enumerate(rows, start=1):
        if not (i.subject or "").strip() or not (i.problem or "").strip() or not (i.fix or "").strip():
            errors.setdefault("items", []).append(
                _("Item %(n)s: give the item, the problem and what to fix.") % {"n": n}
            )
        if len(i.subject) > 200 or len(i.problem) > 2000 or len(i.fix) > 2000:
            errors.setdefault("items", []).append(_("Item %(n)s is too long.") % {"n": n})
    _raise(errors)
    return [CorrectionIn(i.subject.strip(), i.problem.strip(), i.fix.strip()) for i in rows]


def _issue_request(
    application: GradingApplication,
    *,
    actor,
    stage: str,
    addressee: str,
    items: list[CorrectionIn],
    note: str,
) -> CorrectionRequest:
    rounds = application.correction_requests.filter(stage=stage).count()
    request = CorrectionRequest.objects.create(
        application=application,
        stage=stage,
        addressee=addressee,
        round=rounds + 1,
        note=note,
        created_by=actor,
        created_at=timezone.now(),
    )
    CorrectionItem.objects.bulk_create(
        CorrectionItem(request=request, seq=n, subject=i.subject, problem=i.problem, fix_required=i.fix)
        for n, i in enumerate(items, start=1)
    )
    return request


@transaction.atomic
def application_county_return(
    *, actor, application: GradingApplication, items: list[CorrectionIn], comment: str = ""
):
    """The county returns the file with an itemised correction notice (一次性告知)."""
    application = _lock(application)
    if not can_county_review(actor, application):
        raise PermissionDenied
    rows = _clean_items(items)
    log = _move(application, "county_return", actor=actor, comment=comment, data={"items": len(rows)})
    request = _issue_request(
        application,
        actor=actor,
        stage=CorrectionRequest.Stage.COUNTY,
        addressee=CorrectionRequest.Addressee.ENTERPRISE,
        items=rows,
        note=comment,
    )
    _reopen_sheet(application, actor)
    _generate_after_commit(
        application, GeneratedDocument.Kind.CORRECTION_NOTICE, actor, f"county:{request.round}"
    )
    _tell(_enterprise_people(application), application, _("Returned by the county for correction"), comment)
    return log


def _reopen_sheet(application: GradingApplication, actor) -> None:
    sheet_set_status(
        actor=actor, sheet=application.self_sheet, status=ScoreSheet.Status.DRAFT, reason="returned"
    )


@transaction.atomic
def correction_answer(*, actor, item: CorrectionItem, answer: str) -> CorrectionItem:
    """The addressee answers one line of a correction notice."""
    # Re-read under the application's lock: the caller's copy may predate a resubmission.
    item = CorrectionItem.objects.select_related("request").get(pk=item.pk)
    request = item.request
    application = _lock(request.application)
    if request.closed_at is not None:
        raise ValidationError(_("This correction notice is closed."))
    if request.addressee == CorrectionRequest.Addressee.ENTERPRISE:
        allowed = can_edit_file(actor, application)
    else:
        allowed = actor.role in COUNTY_ROLES and application.status == Status.COUNTY_REVIEW
    if not allowed or not visible_to(actor).filter(pk=application.pk).exists():
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    answer = _text(answer, "answer", errors, required=True, limit=2000)
    _raise(errors)
    item.answer = answer
    item.answered_at = timezone.now()
    item.state = CorrectionItem.State.ANSWERED
    item.save(update_fields=["answer", "answered_at", "state"])
    audit_record(
        actor=actor,
        action="application.correction_answer",
        target=application,
        data={"request": request.pk, "seq": item.seq},
    )
    return item


@transaction.atomic
def correction_check(*, actor, item: CorrectionItem, accepted: bool) -> CorrectionItem:
    """The reviewer accepts an answer, or reopens the line."""
    item = CorrectionItem.objects.select_related("request").get(pk=item.pk)
    request = item.request
    application = _lock(request.application)
    stage_ok = (
        can_county_review(actor, application)
        if request.stage == CorrectionRequest.Stage.COUNTY
        else can_city_review(actor, application)
    )
    if not stage_ok or not visible_to(actor).filter(pk=application.pk).exists():
        raise PermissionDenied
    if item.state != CorrectionItem.State.ANSWERED and accepted:
        raise ValidationError(_("Only an answered item can be accepted."))
    item.state = CorrectionItem.State.ACCEPTED if accepted else CorrectionItem.State.REOPENED
    item.checked_by = actor
    item.checked_at = timezone.now()
    item.save(update_fields=["state", "checked_by", "checked_at"])
    audit_record(
        actor=actor,
        action="application.correction_check",
        target=application,
        data={"request": request.pk, "seq": item.seq, "accepted": accepted},
    )
    return item


def _resubmit(application: GradingApplication, name: str, *, actor, comment: str, tell):
    application = _lock(application)
    if not is_own_enterprise(actor, application):
        raise PermissionDenied
    checks: list[domain.Check] = []

    def answered(obj, _actor):
        problems = _unanswered_problems(obj, CorrectionRequest.Addressee.ENTERPRISE)
        if problems:
            return "；".join(problems)
        checks[:] = eligibility.evaluate(obj)
        failed = [c for c in domain.blocking(checks) if c.code != "E14"]
        if failed:
            return _("The application cannot be submitted yet: %(reasons)s") % {
                "reasons": "；".join(f"{c.label}：{c.reason}" for c in failed)
            }
        return None

    log = _move(application, name, actor=actor, comment=comment, guards=[answered])
    request = _open_request(application, CorrectionRequest.Addressee.ENTERPRISE)
    if request is not None:
        request.answered_at = timezone.now()
        request.save(update_fields=["answered_at"])
    submission = _snapshot(application, actor, checks)
    log.data = {"submission": submission.seq, "eligibility": [c.as_dict() for c in checks]}
    log.save(update_fields=["data"])
    sheet_set_status(
        actor=actor, sheet=application.self_sheet, status=ScoreSheet.Status.SUBMITTED, reason=name
    )
    _generate_after_commit(application, GeneratedDocument.Kind.SELF_ASSESSMENT_REPORT, actor, name)
    _tell(tell(application), application, _("The enterprise resubmitted its corrected application"))
    return log


@transaction.atomic
def application_county_resubmit(*, actor, application: GradingApplication, comment: str = ""):
    return _resubmit(application, "county_resubmit", actor=actor, comment=comment, tell=_county_people)


@transaction.atomic
def application_city_resubmit(*, actor, application: GradingApplication, comment: str = ""):
    return _resubmit(application, "city_resubmit", actor=actor, comment=comment, tell=_city_people)


@transaction.atomic
def application_withdraw(*, actor, application: GradingApplication, reason: str):
    """The principal withdraws the application before the on-site review (no ban)."""
    application = _lock(application)
    if not is_own_enterprise(actor, application):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    reason = _text(reason, "reason", errors, required=True)
    _raise(errors)
    was = application.status
    log = _move(
        application,
        "withdraw",
        actor=actor,
        comment=reason,
        extra_updates={"closing_reason": reason, "decided_at": timezone.now()},
    )
    if was != Status.DRAFT:
        _tell(_county_people(application), application, _("The enterprise withdrew its application"), reason)
    if was in (Status.CITY_REVIEW, Status.CITY_RETURNED, Status.ACCEPTED):
        _tell(_city_people(application), application, _("The enterprise withdrew its application"), reason)
    return log


@transaction.atomic
def application_terminate_false_commitment(*, actor, application: GradingApplication, reason: str):
    """The 科长 ends the case for a false commitment; the ban starts (parameter ban_false_commitment)."""
    application = _lock(application)
    if not can_decide_as_chief(actor, application):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    reason = _text(reason, "reason", errors, required=True)
    _raise(errors)
    ban = eligibility.ban_until(Status.TERMINATED_FALSE_COMMITMENT, _today())
    log = _move(
        application,
        "terminate_false_commitment",
        actor=actor,
        comment=reason,
        data={"ban_until": str(ban[1]) if ban else None},
        extra_updates={
            "closing_reason": reason,
            "decided_at": timezone.now(),
            "ban_until": ban[1] if ban else None,
        },
    )
    _tell(
        [*_enterprise_people(application), *_county_people(application)],
        application,
        _("The application was terminated for a false commitment"),
        reason,
    )
    return log


# --- The county opinion (初审意见) -----------------------------------------------------------

OPINION_FIELDS = ("basic_info_check", "licence_check", "score_check", "site_check", "problems", "reasons")


def current_county_opinion(application: GradingApplication) -> CountyOpinion | None:
    """The opinion being worked on; each stay at the county after an approval starts a new round."""
    latest = application.county_opinions.order_by("-round").first()
    if latest is None or latest.status == OpinionStatus.APPROVED:
        return None
    return latest


def _clean_condition_checks(value, errors: dict) -> dict:
    cleaned = {}
    for code, row in (value or {}).items():
        if not isinstance(row, dict):
            errors.setdefault("condition_checks", []).append(_("Invalid condition check."))
            continue
        cleaned[str(code)[:8]] = {"ok": bool(row.get("ok")), "note": str(row.get("note") or "")[:500]}
    return cleaned


@transaction.atomic
def county_opinion_save(*, actor, application: GradingApplication, data: dict) -> CountyOpinion:
    """Draft (or change the draft of) the county opinion for the current round."""
    application = _lock(application)
    if not can_county_review(actor, application) or actor.role not in COUNTY_ROLES:
        raise PermissionDenied
    opinion = current_county_opinion(application)
    if opinion is not None and opinion.status in (OpinionStatus.SUBMITTED, OpinionStatus.APPROVED):
        raise ValidationError(_("The opinion is with the chief; it can be changed once it is sent back."))
    if opinion is None:
        last = application.county_opinions.aggregate(r=Max("round"))["r"] or 0
        opinion = CountyOpinion(application=application, round=last + 1, drafted_by=actor)
    errors: dict[str, list[str]] = {}
    before = {f: getattr(opinion, f) for f in (*OPINION_FIELDS, "conclusion")} if opinion.pk else {}
    for name in OPINION_FIELDS:
        if name in data:
            setattr(opinion, name, _text(data[name], name, errors))
    if "conclusion" in data:
        if data["conclusion"] not in ("", *CountyOpinion.Conclusion.values):
            errors.setdefault("conclusion", []).append(_("Choose a valid conclusion."))
        else:
            opinion.conclusion = data["conclusion"]
    if "condition_checks" in data:
        opinion.condition_checks = _clean_condition_checks(data["condition_checks"], errors)
    _raise(errors)
    opinion.drafted_by = actor
    opinion.save()
    after = {f: getattr(opinion, f) for f in (*OPINION_FIELDS, "conclusion")}
    audit_record(
        actor=actor,
        action="county_opinion.save",
        target=application,
        data={"round": opinion.round, "changes": diff_fields(before, after) if before else "created"},
    )
    return opinion


def _confirmation_problems(condition_checks: dict, application: GradingApplication) -> list[str]:
    """Unknown conditions must be confirmed by hand; failing ones (publicity aside) block."""
    problems = []
    checks = eligibility.evaluate(application)
    missing = [
        c.code
        for c in checks
        if c.result == domain.UNKNOWN and not (condition_checks.get(c.code) or {}).get("ok")
    ]
    if missing:
        problems.append(
            _("Confirm these conditions by hand first: %(codes)s.") % {"codes": "、".join(missing)}
        )
    failed = [c for c in domain.blocking(checks) if c.code != "E14"]
    if failed:
        problems.append(
            _("An eligibility condition fails: %(reasons)s")
            % {"reasons": "；".join(f"{c.label}：{c.reason}" for c in failed)}
        )
    return problems


@transaction.atomic
def county_opinion_submit(*, actor, opinion: CountyOpinion, comment: str = "") -> CountyOpinion:
    """The officer sends the opinion (conclusion: forward) to the county chief for approval."""
    application = _lock(opinion.application)
    opinion = CountyOpinion.objects.get(pk=opinion.pk)
    if not can_county_review(actor, application):
        raise PermissionDenied
    if opinion.conclusion != CountyOpinion.Conclusion.FORWARD:
        raise ValidationError(
            {
                "conclusion": [
                    _(
                        "Only an opinion that agrees to forward goes to the chief; to return the file, use 'Return for correction'."
                    )
                ]
            }
        )
    problems = []
    if not all(getattr(opinion, f).strip() for f in ("basic_info_check", "licence_check", "score_check")):
        problems.append(_("Fill in the basic information, licence and score checks first."))
    problems += _confirmation_problems(opinion.condition_checks, application)
    if problems:
        raise ValidationError("；".join(problems))
    apply_transition(
        opinion,
        COUNTY_OPINION_FLOW,
        "submit_for_approval",
        actor=actor,
        comment=comment,
        extra_updates={"submitted_at": timezone.now()},
    )
    audit_record(
        actor=actor, action="county_opinion.submit", target=application, data={"round": opinion.round}
    )
    _tell(
        _county_people(application, {Role.COUNTY_CHIEF}),
        application,
        _("A preliminary review opinion awaits your approval"),
    )
    return opinion


def _send_back(*, actor, paper, may_review, workflow, action: str, title: str, comment: str):
    """The chief sends a county opinion or a city proposal back to its officer, with a comment."""
    application = _lock(paper.application)
    paper = type(paper).objects.get(pk=paper.pk)
    if not may_review(actor, application):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    comment = _text(comment, "comment", errors, required=True)
    _raise(errors)
    apply_transition(
        paper, workflow, "send_back", actor=actor, comment=comment, extra_updates={"chief_comment": comment}
    )
    audit_record(
        actor=actor, action=action, target=application, data={"round": paper.round, "comment": comment}
    )
    notify(
        recipients=[paper.drafted_by],
        title=f"{application.number}：{title}",
        body=comment,
        url=_url(application),
        category="grading",
    )
    return paper


@transaction.atomic
def county_opinion_send_back(*, actor, opinion: CountyOpinion, comment: str) -> CountyOpinion:
    return _send_back(
        actor=actor,
        paper=opinion,
        may_review=can_county_review,
        workflow=COUNTY_OPINION_FLOW,
        action="county_opinion.send_back",
        title=_("The chief sent the opinion back"),
        comment=comment,
    )


@transaction.atomic
def county_opinion_approve(*, actor, opinion: CountyOpinion, comment: str = ""):
    """The county chief approves the opinion; the application goes to the city (one move)."""
    application = _lock(opinion.application)
    opinion = CountyOpinion.objects.get(pk=opinion.pk)
    if not can_county_review(actor, application):
        raise PermissionDenied
    now = timezone.now()
    apply_transition(
        opinion,
        COUNTY_OPINION_FLOW,
        "approve",
        actor=actor,
        comment=comment,
        extra_updates={"approved_by": actor, "approved_at": now, "chief_comment": comment},
    )
    # A return from the city to the county is answered by the new opinion.
    county_request = _open_request(application, CorrectionRequest.Addressee.COUNTY)
    if county_request is not None:
        county_request.answered_at = county_request.closed_at = now
        county_request.save(update_fields=["answered_at", "closed_at"])
    enterprise_request = _open_request(application, CorrectionRequest.Addressee.ENTERPRISE)
    if enterprise_request is not None and enterprise_request.stage == CorrectionRequest.Stage.COUNTY:
        enterprise_request.closed_at = now
        enterprise_request.save(update_fields=["closed_at"])
    log = _move(
        application, "county_forward", actor=actor, comment=comment, data={"opinion_round": opinion.round}
    )
    _generate_after_commit(
        application, GeneratedDocument.Kind.COUNTY_OPINION, actor, f"round:{opinion.round}"
    )
    _tell(_city_people(application), application, _("A new application awaits re-review"))
    _tell(_enterprise_people(application), application, _("The county forwarded the application to the city"))
    return log


# --- The city decision (再审) ---------------------------------------------------------------


def current_city_decision(application: GradingApplication) -> CityDecision | None:
    latest = application.city_decisions.order_by("-round").first()
    if latest is None or latest.status == OpinionStatus.APPROVED:
        return None
    return latest


@transaction.atomic
def city_decision_save(*, actor, application: GradingApplication, data: dict) -> CityDecision:
    application = _lock(application)
    if not can_city_review(actor, application):
        raise PermissionDenied
    decision = current_city_decision(application)
    if decision is not None and decision.status == OpinionStatus.SUBMITTED:
        raise ValidationError(_("The proposal is with the chief; it can be changed once it is sent back."))
    if decision is None:
        last = application.city_decisions.aggregate(r=Max("round"))["r"] or 0
        decision = CityDecision(application=application, round=last + 1, drafted_by=actor)
    errors: dict[str, list[str]] = {}
    for name in ("package_check", "reasons"):
        if name in data:
            setattr(decision, name, _text(data[name], name, errors))
    if "proposal" in data:
        if data["proposal"] not in ("", *CityDecision.Proposal.values):
            errors.setdefault("proposal", []).append(_("Choose a valid proposal."))
        else:
            decision.proposal = data["proposal"]
    if "condition_checks" in data:
        decision.condition_checks = _clean_condition_checks(data["condition_checks"], errors)
    if "correction_items" in data:
        items = [
            CorrectionIn(**{k: (r.get(k) or "") for k in ("subject", "problem", "fix")})
            for r in data["correction_items"] or []
        ]
        items = [i for i in items if (i.subject + i.problem + i.fix).strip()]
        decision.correction_items = [
            {"subject": i.subject, "problem": i.problem, "fix": i.fix} for i in items
        ]
    _raise(errors)
    decision.drafted_by = actor
    decision.save()
    audit_record(
        actor=actor,
        action="city_decision.save",
        target=application,
        data={"round": decision.round, "proposal": decision.proposal},
    )
    return decision


def _decision_problems(decision: CityDecision, application: GradingApplication) -> list[str]:
    problems = []
    P = CityDecision.Proposal
    if not decision.proposal:
        return [_("Choose a proposal.")]
    if decision.proposal in (P.RETURN_ENTERPRISE, P.RETURN_COUNTY):
        try:
            _clean_items(
                [
                    CorrectionIn(**{"subject": r["subject"], "problem": r["problem"], "fix": r["fix"]})
                    for r in decision.correction_items
                ]
            )
        except ValidationError as exc:
            problems.extend(exc.messages)
    if decision.proposal == P.NOT_ACCEPT and not decision.reasons.strip():
        problems.append(_("Give the reasons for not accepting; they go into the notice."))
    if decision.proposal == P.ACCEPT:
        if not decision.package_check.strip():
            problems.append(_("Record what was checked in the package."))
        problems += _confirmation_problems(decision.condition_checks, application)
    return problems


@transaction.atomic
def city_decision_submit(*, actor, decision: CityDecision, comment: str = "") -> CityDecision:
    """The 制造业科 officer proposes; the 科长 decides."""
    application = _lock(decision.application)
    decision = CityDecision.objects.get(pk=decision.pk)
    if not can_city_review(actor, application):
        raise PermissionDenied
    problems = _decision_problems(decision, application)
    if problems:
        raise ValidationError("；".join(problems))
    apply_transition(
        decision,
        CITY_DECISION_FLOW,
        "submit_for_approval",
        actor=actor,
        comment=comment,
        extra_updates={"submitted_at": timezone.now()},
    )
    audit_record(
        actor=actor,
        action="city_decision.submit",
        target=application,
        data={"round": decision.round, "proposal": decision.proposal},
    )
    _tell(
        _city_people(application, {Role.CITY_CHIEF}),
        application,
        _("A re-review proposal awaits your approval"),
    )
    return decision


@transaction.atomic
def city_decision_send_back(*, actor, decision: CityDecision, comment: str) -> CityDecision:
    return _send_back(
        actor=actor,
        paper=decision,
        may_review=can_city_review,
        workflow=CITY_DECISION_FLOW,
        action="city_decision.send_back",
        title=_("The chief sent the proposal back"),
        comment=comment,
    )


@transaction.atomic
def city_decision_approve(*, actor, decision: CityDecision, comment: str = ""):
    """The 科长 approves the proposal: accept, return (to the enterprise or county), or decline."""
    application = _lock(decision.application)
    decision = CityDecision.objects.get(pk=decision.pk)
    if not can_city_review(actor, application):
        raise PermissionDenied
    problems = _decision_problems(decision, application)
    if problems:
        raise ValidationError("；".join(problems))
    now = timezone.now()
    apply_transition(
        decision,
        CITY_DECISION_FLOW,
        "approve",
        actor=actor,
        comment=comment,
        extra_updates={"approved_by": actor, "approved_at": now, "chief_comment": comment},
    )
    P = CityDecision.Proposal
    data = {"decision_round": decision.round, "proposal": decision.proposal}
    reasons = decision.reasons
    enterprise_request = _open_request(application, CorrectionRequest.Addressee.ENTERPRISE)
    if enterprise_request is not None and decision.proposal != P.RETURN_COUNTY:
        enterprise_request.closed_at = now
        enterprise_request.save(update_fields=["closed_at"])
    if decision.proposal == P.ACCEPT:
        checks = eligibility.evaluate(application)
        log = _move(
            application,
            "accept",
            actor=actor,
            comment=comment or reasons,
            data={**data, "eligibility": [c.as_dict() for c in checks]},
            extra_updates={"decided_at": now},
        )
        _tell(
            [*_enterprise_people(application), *_county_people(application)],
            application,
            _("The application was accepted"),
            reasons,
        )
    elif decision.proposal == P.NOT_ACCEPT:
        ban = eligibility.ban_until(Status.NOT_ACCEPTED, timezone.localdate(now))
        log = _move(
            application,
            "not_accept",
            actor=actor,
            comment=reasons,
            data={**data, "ban_until": str(ban[1]) if ban else None},
            extra_updates={
                "decided_at": now,
                "closing_reason": reasons,
                "ban_until": ban[1] if ban else None,
            },
        )
        _tell(
            [*_enterprise_people(application), *_county_people(application)],
            application,
            _("The application was not accepted"),
            reasons,
        )
    else:
        items = _clean_items(
            [CorrectionIn(r["subject"], r["problem"], r["fix"]) for r in decision.correction_items]
        )
        to_county = decision.proposal == P.RETURN_COUNTY
        name = "city_return_county" if to_county else "city_return"
        log = _move(application, name, actor=actor, comment=reasons, data={**data, "items": len(items)})
        request = _issue_request(
            application,
            actor=actor,
            stage=CorrectionRequest.Stage.CITY,
            addressee=CorrectionRequest.Addressee.COUNTY
            if to_county
            else CorrectionRequest.Addressee.ENTERPRISE,
            items=items,
            note=reasons,
        )
        if to_county:
            _tell(
                _county_people(application),
                application,
                _("The city returned the application to the county"),
                reasons,
            )
        else:
            _reopen_sheet(application, actor)
            _tell(
                _enterprise_people(application),
                application,
                _("Returned by the city for correction"),
                reasons,
            )
        _generate_after_commit(
            application, GeneratedDocument.Kind.CORRECTION_NOTICE, actor, f"city:{request.round}"
        )
    if decision.proposal in (P.ACCEPT, P.NOT_ACCEPT):
        _generate_after_commit(application, GeneratedDocument.Kind.DECISION_NOTICE, actor, decision.proposal)
    return log


# --- Documents ------------------------------------------------------------------------------


@transaction.atomic
def document_store(
    *, actor, application: GradingApplication, kind: str, content: bytes, reason: str = ""
) -> GeneratedDocument:
    """Keep a generated PDF as the next version of its kind."""
    from django.core.files.base import ContentFile

    GradingApplication.objects.select_for_update().filter(pk=application.pk).first()
    version = (application.documents.filter(kind=kind).aggregate(v=Max("version"))["v"] or 0) + 1
    doc = GeneratedDocument(
        application=application,
        kind=kind,
        version=version,
        created_by=actor,
        reason=reason[:100],
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )
    doc.file.save(f"{kind}-v{version}.pdf", ContentFile(content), save=False)
    doc.save()
    audit_record(
        actor=actor,
        action="application.document",
        target=application,
        data={"kind": kind, "version": version, "sha256": doc.sha256},
    )
    return doc


def not_passed_updates(reason: str) -> dict:
    """The fields a move into not_passed sets beside the status: when and why it was decided,
    and the first day a new application may be filed (``ban_not_passed``, E8). Shared by the
    review, rectification and result decisions."""
    now = timezone.now()
    ban = eligibility.ban_until(Status.NOT_PASSED, timezone.localdate(now))
    return {
        "status_changed_at": now,
        "decided_at": now,
        "closing_reason": reason,
        "ban_until": ban[1] if ban else None,
    }


def not_passed_notice_after_commit(application: GradingApplication, actor) -> None:
    """Every path into not_passed ends with the written 未通过告知书 (domain.md §9, §13),
    rendered in the background once the decision commits."""
    _generate_after_commit(application, GeneratedDocument.Kind.NOT_PASSED_NOTICE, actor, "not_passed")


# --- Who is responsible (public, for reminders and other apps) ----------------------------


def enterprise_people(application: GradingApplication):
    """The enterprise's active users (principal and staff)."""
    return _enterprise_people(application)


def county_people(application: GradingApplication, roles=COUNTY_ROLES):
    """The county officers and chiefs of the enterprise's division."""
    return _county_people(application, roles)


def city_people(application: GradingApplication, roles=CITY_STAFF):
    """The city's 制造业科 officers and chief."""
    return _city_people(application, roles)
