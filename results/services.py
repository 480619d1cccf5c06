"""Writes of results: publicity, objections, announcements, certificates, revocation, renewal.

Every function takes ``actor`` (None for the public and for the system), checks the right,
validates, writes in one transaction and audits. Moves go through the transitions tables in
``results/workflow.py`` (compare-and-set: two clicks make one move).
"""

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import ENTERPRISE_ROLES, Role
from accounts.selectors import city_bureau_users, enterprise_users
from audit.services import audit_record
from grading import eligibility
from grading import services as grading_services
from grading.models import GradingApplication, Kind, Status, TeamMember
from lib.api import DomainError
from lib.dates import CalendarMissing, add_working_days
from lib.uploads import check_upload
from lib.workflow import StaleState, TransitionError, apply_transition
from notifications.services import notify
from regulation.selectors import param_decimal, param_int, param_list, work_calendar
from results import domain
from results.models import (
    Announcement,
    AnnualSelfAssessment,
    CcRecipient,
    Certificate,
    CertificateReminder,
    NumberingRule,
    NumberSequence,
    Objection,
    ObjectionAttachment,
    PublicityBatch,
    PublicityEntry,
    RevocationCase,
)
from results.permissions import CITY_STAFF, is_city_chief, is_city_staff, require
from results.workflow import PUBLICITY_FLOW, REVOCATION_FLOW, SYSTEM, extend_application_flow

extend_application_flow()
from grading.workflow import APPLICATION_FLOW  # noqa: E402 - after the publicity moves are added

B = PublicityBatch.Status
MAX_TEXT = 2000
OBJECTION_MAX_FILES = 3
OBJECTION_MAX_BYTES = 10 * 1024 * 1024


def _today() -> date:
    return timezone.localdate()


def _text(value, limit: int = MAX_TEXT) -> str:
    return (value or "").strip()[:limit]


def _city_people(region_path: str, roles=CITY_STAFF):
    return city_bureau_users(region_path, roles)


def _chiefs(region_path: str):
    return _city_people(region_path, {Role.CITY_CHIEF})


def _batch_region(batch: PublicityBatch) -> str:
    """A batch is the city's: the region path of its first listed enterprise locates that city."""
    entry = batch.entries.select_related("application__enterprise").order_by("pk").first()
    return entry.application.enterprise.region_path if entry else ""


# --- Numbers ---------------------------------------------------------------------------------


def next_sequence(kind: str, year: int) -> int:
    """The next number of (kind, year), incremented in the database: unique under concurrency."""
    try:
        with transaction.atomic():
            NumberSequence.objects.get_or_create(kind=kind, year=year)
    except IntegrityError:
        pass  # another transaction created the row first; the update below waits for it
    NumberSequence.objects.filter(kind=kind, year=year).update(last=F("last") + 1)
    return NumberSequence.objects.get(kind=kind, year=year).last


def next_number(kind: str, *, on: date, industry: str = "", level: int = 3) -> str:
    """Fill the kind's ``NumberingRule`` pattern with the next yearly sequence."""
    rule = NumberingRule.objects.filter(kind=kind).first()
    if rule is None:
        raise DomainError(_("No numbering rule is set for %(kind)s; ask the administrator.") % {"kind": kind})
    seq = next_sequence(kind, on.year)
    return domain.format_number(
        rule.pattern, year=on.year, seq=seq, industry=industry, level=level, province=rule.province
    )


# --- Publicity -------------------------------------------------------------------------------


def application_problems(application: GradingApplication, on: date) -> list[str]:
    """Why an application may not be put on publicity or announced now (eligibility re-run, #13/#15).

    Every hard condition that fails is named; E11 (no open 重大 hazard) comes from the ledger.
    """
    problems = []
    for check in eligibility.evaluate(application, on):
        if check.failed:
            problems.append(
                _("%(number)s %(enterprise)s: %(label)s (%(reason)s)")
                % {
                    "number": application.number,
                    "enterprise": application.enterprise.name,
                    "label": check.label,
                    "reason": check.reason,
                }
            )
    return problems


def _entry_from(application: GradingApplication, batch: PublicityBatch) -> PublicityEntry:
    review = getattr(application, "site_review", None)
    enterprise = application.enterprise
    return PublicityEntry(
        batch=batch,
        application=application,
        enterprise_name=enterprise.name,
        region_name=enterprise.region.name if enterprise.region_id else "",
        industry=enterprise.industry,
        grade_level=application.grade_level,
        percentage=getattr(review, "percentage", None),
        review_date=getattr(review, "date", None),
    )


def _check_candidates(applications: list[GradingApplication], batch: PublicityBatch | None) -> None:
    errors = []
    for application in applications:
        if application.status != Status.RESULT_CONFIRMATION:
            errors.append(
                _("%(number)s is not awaiting result confirmation.") % {"number": application.number}
            )
            continue
        listed = PublicityEntry.objects.filter(
            application=application,
            outcome=PublicityEntry.Outcome.LISTED,
            batch__status__in=[B.DRAFT, B.SUBMITTED, B.PUBLISHED],
        )
        if batch is not None:
            listed = listed.exclude(batch=batch)
        if listed.exists():
            errors.append(
                _("%(number)s is already in another publicity batch.") % {"number": application.number}
            )
    if errors:
        raise ValidationError({"applications": errors})


def _batch_fields(title: str, contact: str, intro: str) -> dict:
    errors = {}
    title, contact, intro = _text(title, 200), _text(contact, 200), _text(intro, 4000)
    if not title:
        errors["title"] = [_("Give the publicity a title.")]
    if not contact:
        errors["contact"] = [_("Say where and how the public may object.")]
    if errors:
        raise ValidationError(errors)
    return {"title": title, "contact": contact, "intro": intro}


@transaction.atomic
def batch_create(
    *, actor, title: str, contact: str, intro: str = "", applications: list[GradingApplication]
) -> PublicityBatch:
    """The city officer drafts a publicity batch from applications awaiting result confirmation."""
    require(is_city_staff(actor))
    fields = _batch_fields(title, contact, intro)
    if not applications:
        raise ValidationError({"applications": [_("Choose at least one application.")]})
    applications = list(
        GradingApplication.objects.select_for_update(of=("self",))
        .select_related("enterprise__region", "site_review")
        .filter(pk__in=[a.pk for a in applications])
    )
    _check_candidates(applications, None)
    batch = PublicityBatch.objects.create(created_by=actor, **fields)
    PublicityEntry.objects.bulk_create([_entry_from(a, batch) for a in applications])
    audit_record(
        actor=actor,
        action="publicity.create",
        target=batch,
        data={"applications": [a.number for a in applications]},
    )
    return batch


@transaction.atomic
def batch_update(
    *, actor, batch: PublicityBatch, title: str, contact: str, intro: str = "", applications=None
) -> PublicityBatch:
    """Edit a draft batch; ``applications`` (if given) replaces its list."""
    require(is_city_staff(actor))
    batch = PublicityBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != B.DRAFT:
        raise TransitionError(_("Only a draft publicity can be edited."))
    fields = _batch_fields(title, contact, intro)
    PublicityBatch.objects.filter(pk=batch.pk).update(**fields)
    if applications is not None:
        if not applications:
            raise ValidationError({"applications": [_("Choose at least one application.")]})
        applications = list(
            GradingApplication.objects.select_related("enterprise__region", "site_review").filter(
                pk__in=[a.pk for a in applications]
            )
        )
        _check_candidates(applications, batch)
        batch.entries.all().delete()
        PublicityEntry.objects.bulk_create([_entry_from(a, batch) for a in applications])
    audit_record(actor=actor, action="publicity.update", target=batch, data=fields)
    batch.refresh_from_db()
    return batch


def _batch_move(batch: PublicityBatch, name: str, *, actor, comment: str = "", extra=None, guards=()):
    log = apply_transition(
        batch, PUBLICITY_FLOW, name, actor=actor, comment=comment, extra_updates=extra, check_guards=guards
    )
    audit_record(
        actor=actor,
        action=f"publicity.{name}",
        target=batch,
        data={"from": log.from_state, "to": log.to_state, "comment": comment[:500]},
    )
    return log


@transaction.atomic
def batch_submit(*, actor, batch: PublicityBatch, comment: str = ""):
    require(is_city_staff(actor))
    batch = PublicityBatch.objects.select_for_update().get(pk=batch.pk)
    if not batch.entries.exists():
        raise ValidationError(_("The publicity lists no application."))
    log = _batch_move(
        batch, "submit", actor=actor, comment=_text(comment), extra={"submitted_at": timezone.now()}
    )
    notify(
        recipients=_chiefs(_batch_region(batch)),
        title=_("Publicity %(title)s awaits your approval") % {"title": batch.title},
        url=reverse("results:batch", args=[batch.pk]),
        category="publicity",
    )
    return log


@transaction.atomic
def batch_send_back(*, actor, batch: PublicityBatch, comment: str):
    require(is_city_chief(actor))
    comment = _text(comment)
    if not comment:
        raise ValidationError({"comment": [_("Say what is to be changed.")]})
    batch = PublicityBatch.objects.select_for_update().get(pk=batch.pk)
    log = _batch_move(batch, "send_back", actor=actor, comment=comment, extra={"return_comment": comment})
    notify(
        recipients=[batch.created_by],
        title=_("Publicity %(title)s was sent back") % {"title": batch.title},
        body=comment,
        url=reverse("results:batch", args=[batch.pk]),
        category="publicity",
    )
    return log


def publicity_window(start: date) -> tuple[int, date]:
    """(working days, last day) of a publicity starting on ``start`` (the start day not counted)."""
    days = param_int("publicity_min", start)
    try:
        return days, add_working_days(start, days, work_calendar())
    except CalendarMissing as exc:
        raise DomainError(
            _(
                "The working-day calendar does not reach the end of the publicity; record next year's holidays first."
            )
        ) from exc


@transaction.atomic
def batch_approve(*, actor, batch: PublicityBatch, comment: str = ""):
    """The 科长 approves: the batch is published for ``publicity_min`` working days and every
    listed application moves to publicity (each re-checked: eligibility, no open 重大 hazard)."""
    require(is_city_chief(actor))
    batch = PublicityBatch.objects.select_for_update().get(pk=batch.pk)
    today = _today()
    entries = list(
        batch.entries.filter(outcome=PublicityEntry.Outcome.LISTED).select_related("application__enterprise")
    )
    problems = []
    for entry in entries:
        problems += application_problems(entry.application, today)
    if problems:
        raise ValidationError(problems)
    days, ends_on = publicity_window(today)
    number = next_number("publicity", on=today)
    log = _batch_move(
        batch,
        "approve",
        actor=actor,
        comment=_text(comment),
        extra={
            "approved_by": actor,
            "approved_at": timezone.now(),
            "starts_on": today,
            "ends_on": ends_on,
            "working_days": days,
            "number": number,
        },
    )
    for entry in entries:
        application = GradingApplication.objects.select_for_update(of=("self",)).get(pk=entry.application_id)
        apply_transition(
            application,
            APPLICATION_FLOW,
            "start_publicity",
            actor=actor,
            comment=number,
            data={"batch": batch.pk},
            extra_updates={"status_changed_at": timezone.now()},
        )
        audit_record(
            actor=actor, action="application.start_publicity", target=application, data={"batch": number}
        )
        notify(
            recipients=grading_services.enterprise_people(application),
            title=_("%(enterprise)s is on publicity until %(date)s")
            % {"enterprise": application.enterprise.name, "date": ends_on.isoformat()},
            url=reverse("grading:detail", args=[application.pk]),
            category="publicity",
        )
    return log


# --- Objections ------------------------------------------------------------------------------


class ObjectionThrottled(DomainError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Too many objections have been sent from your network in the last hour; please try again later."
            ),
            code="throttled",
        )


def objection_limit_per_hour() -> int:
    return int(getattr(settings, "ANBIAO_OBJECTIONS_PER_HOUR", 5))


@dataclass(frozen=True)
class ObjectionIn:
    name: str
    contact: str
    content: str


def _clean_objection(data: ObjectionIn, files) -> tuple[dict, list]:
    errors: dict[str, list[str]] = {}
    name, contact, content = _text(data.name, 60), _text(data.contact, 100), _text(data.content, 5000)
    if not name:
        errors["name"] = [_("Give your name (it is kept confidential).")]
    if len(contact) < 5:
        errors["contact"] = [_("Give a telephone number or an address where the bureau can reach you.")]
    if len(content) < 10:
        errors["content"] = [_("Describe the objection and its facts (at least 10 characters).")]
    checked = []
    files = list(files or [])
    if len(files) > OBJECTION_MAX_FILES:
        errors["files"] = [_("Attach at most %(n)s files.") % {"n": OBJECTION_MAX_FILES}]
    else:
        for f in files:
            try:
                checked.append((f, check_upload(f, max_bytes=OBJECTION_MAX_BYTES)))
            except ValidationError as exc:
                errors.setdefault("files", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return {"objector_name": name, "objector_contact": contact, "content": content}, checked


def _throttled(ip: str | None, now) -> bool:
    if not ip:
        return False
    since = now - timedelta(hours=1)
    return Objection.objects.filter(ip=ip, received_at__gte=since).count() >= objection_limit_per_hour()


@transaction.atomic
def objection_file(*, entry: PublicityEntry, data: ObjectionIn, files=(), ip: str | None = None) -> Objection:
    """Anyone files an objection to a listed enterprise; answered with a receipt number.

    Throttled per IP (``ANBIAO_OBJECTIONS_PER_HOUR``). One filed after the window is kept and
    logged only (domain.md §9). The objector's name and contact are read by the city only and
    never written to the audit log.
    """
    entry = PublicityEntry.objects.select_related("batch", "application__enterprise").get(pk=entry.pk)
    batch = entry.batch
    if batch.status not in (B.PUBLISHED, B.ANNOUNCED) or entry.outcome == PublicityEntry.Outcome.WITHDRAWN:
        raise DomainError(_("This enterprise is not on publicity."), code="not_found")
    now = timezone.now()
    if _throttled(ip, now):
        raise ObjectionThrottled
    fields, checked = _clean_objection(data, files)
    today = timezone.localdate(now)
    late = batch.status == B.ANNOUNCED or domain.objection_is_late(batch.ends_on, today)
    due_on = None
    if not late:
        try:
            due_on = add_working_days(today, param_int("objection_check_limit", today), work_calendar())
        except CalendarMissing:
            due_on = None
    objection = Objection.objects.create(
        receipt_number=next_number("objection", on=today),
        entry=entry,
        ip=ip,
        status=Objection.Status.LOGGED if late else Objection.Status.OPEN,
        due_on=due_on,
        **fields,
    )
    for upload, info in checked:
        upload.seek(0)
        row = ObjectionAttachment(
            objection=objection,
            original_name=info.name[:200],
            content_type=info.kind.code,
            size=info.size,
            sha256=info.sha256,
        )
        row.file.save(f"{info.sha256}{info.kind.extensions[0]}", ContentFile(upload.read()), save=False)
        row.save()
    audit_record(
        actor=None,
        action="objection.file",
        target=objection,
        data={
            "entry": entry.pk,
            "application": entry.application.number,
            "late": late,
            "files": len(checked),
        },
        ip=ip,
    )
    notify(
        recipients=_city_people(entry.application.enterprise.region_path),
        title=(
            _("Late objection %(receipt)s about %(enterprise)s (logged only)")
            if late
            else _("Objection %(receipt)s about %(enterprise)s: check it by %(date)s")
        )
        % {
            "receipt": objection.receipt_number,
            "enterprise": entry.enterprise_name,
            "date": due_on.isoformat() if due_on else "—",
        },
        url=reverse("results:objection", args=[objection.pk]),
        category="publicity",
    )
    return objection


@transaction.atomic
def objection_decide(*, actor, objection: Objection, upheld: bool, note: str) -> Objection:
    """The city records the check of an objection: 成立 or 不成立 (compare-and-set).

    An upheld objection takes the enterprise off the list and sends its application back to
    result confirmation with the findings as reasons; the 科长 then decides (not passed, or a new
    publicity once the matter is put right).
    """
    require(is_city_staff(actor))
    note = _text(note, 4000)
    if not note:
        raise ValidationError({"note": [_("Record what the check found.")]})
    now = timezone.now()
    outcome = Objection.Outcome.UPHELD if upheld else Objection.Outcome.REJECTED
    changed = Objection.objects.filter(pk=objection.pk, status=Objection.Status.OPEN).update(
        status=Objection.Status.CLOSED, outcome=outcome, check_note=note, checked_by=actor, checked_at=now
    )
    if changed != 1:
        raise StaleState(_("This objection has already been decided; reload the page."))
    objection.refresh_from_db()
    entry = objection.entry
    application = GradingApplication.objects.select_for_update(of=("self",)).get(pk=entry.application_id)
    audit_record(
        actor=actor,
        action="objection.decide",
        target=objection,
        data={"outcome": outcome, "application": application.number},
    )
    if upheld and entry.outcome == PublicityEntry.Outcome.LISTED:
        PublicityEntry.objects.filter(pk=entry.pk).update(
            outcome=PublicityEntry.Outcome.WITHDRAWN, outcome_reason=note
        )
        apply_transition(
            application,
            APPLICATION_FLOW,
            "objection_return",
            actor=actor,
            comment=note,
            data={"objection": objection.receipt_number},
            extra_updates={"status_changed_at": now},
        )
        audit_record(
            actor=actor,
            action="application.objection_return",
            target=application,
            data={"objection": objection.receipt_number},
        )
        notify(
            recipients=grading_services.enterprise_people(application),
            title=_(
                "An objection to %(enterprise)s was upheld; the application is back for the city's decision"
            )
            % {"enterprise": application.enterprise.name},
            body=note,
            url=reverse("grading:detail", args=[application.pk]),
            category="publicity",
        )
    return objection


@transaction.atomic
def publicity_windows_close(*, today: date | None = None) -> int:
    """After a window: applications with an objection still open move to objection_check; the
    科长 hears that the batch can be announced. Idempotent; returns the applications moved."""
    today = today or _today()
    moved = 0
    for batch in PublicityBatch.objects.filter(status=B.PUBLISHED, ends_on__lt=today):
        for entry in batch.entries.filter(outcome=PublicityEntry.Outcome.LISTED).select_related(
            "application"
        ):
            application = entry.application
            open_objections = entry.objections.filter(status=Objection.Status.OPEN).exists()
            if application.status == Status.PUBLICITY and open_objections:
                apply_transition(
                    application,
                    APPLICATION_FLOW,
                    "open_objection_check",
                    actor=None,
                    role=SYSTEM,
                    data={"batch": batch.pk},
                    extra_updates={"status_changed_at": timezone.now()},
                )
                audit_record(actor=None, action="application.open_objection_check", target=application)
                moved += 1
        notify(
            recipients=_chiefs(_batch_region(batch)),
            title=_("The publicity %(number)s has ended") % {"number": batch.number},
            url=reverse("results:batch", args=[batch.pk]),
            category="publicity",
            dedupe_key=f"publicity-ended:{batch.pk}",
            email=False,
        )
    return moved


# --- Announcement and certificates -------------------------------------------------------------


def announce_problems(batch: PublicityBatch, today: date) -> list[str]:
    """What stops the 科长 from announcing ``batch`` today (#15)."""
    problems = []
    if batch.status != B.PUBLISHED:
        return [_("Only a published publicity can be announced.")]
    if batch.ends_on is None or today <= batch.ends_on:
        problems.append(
            _("The publicity runs until %(date)s; it can be announced from the next day.")
            % {"date": batch.ends_on.isoformat() if batch.ends_on else "—"}
        )
    open_count = Objection.objects.filter(entry__batch=batch, status=Objection.Status.OPEN).count()
    if open_count:
        problems.append(_("%(n)s objections are still being checked.") % {"n": open_count})
    entries = batch.entries.filter(outcome=PublicityEntry.Outcome.LISTED).select_related(
        "application__enterprise"
    )
    if not entries:
        problems.append(_("No enterprise is left on the list."))
    for entry in entries:
        problems += application_problems(entry.application, today)
    return problems


def _cc_names() -> list[str]:
    return list(CcRecipient.objects.filter(active=True).values_list("name", flat=True))


def _validity_end(issued_on: date) -> date:
    return domain.certificate_expiry(issued_on, param_int("validity", issued_on))


def certificate_issue(*, actor, application: GradingApplication, announcement: Announcement, on: date):
    """Issue the certificate of an announced application (inside ``batch_announce``)."""
    enterprise = application.enterprise
    number = next_number("certificate", on=on, industry=enterprise.industry, level=application.grade_level)
    certificate = Certificate.objects.create(
        number=number,
        enterprise=enterprise,
        application=application,
        announcement=announcement,
        enterprise_name=enterprise.name,
        uscc=enterprise.uscc,
        region_path=enterprise.region_path,
        industry=enterprise.industry,
        grade_level=application.grade_level,
        issued_on=on,
        expires_on=_validity_end(on),
    )
    # A renewal supersedes the certificate it renews.
    previous = (
        Certificate.objects.filter(enterprise=enterprise, status=Certificate.Status.ACTIVE)
        .exclude(pk=certificate.pk)
        .select_for_update()
    )
    for old in previous:
        Certificate.objects.filter(pk=old.pk, status=Certificate.Status.ACTIVE).update(
            status=Certificate.Status.SUPERSEDED, superseded_by=certificate
        )
        audit_record(actor=actor, action="certificate.supersede", target=old, data={"by": number})
    audit_record(
        actor=actor,
        action="certificate.issue",
        target=certificate,
        data={"application": application.number, "expires_on": certificate.expires_on.isoformat()},
    )
    return certificate


@transaction.atomic
def batch_announce(*, actor, batch: PublicityBatch, title: str = "", body: str = "") -> Announcement:
    """The 科长 issues the announcement: a numbered 公告 with its 抄送 list; every listed
    application becomes 已公告 and gets its certificate. The PDFs are made in the background."""
    require(is_city_chief(actor))
    batch = PublicityBatch.objects.select_for_update().get(pk=batch.pk)
    today = _today()
    problems = announce_problems(batch, today)
    if problems:
        raise ValidationError(problems)
    document_number = next_number("announcement", on=today)
    announcement = Announcement.objects.create(
        kind=Announcement.Kind.GRADING,
        document_number=document_number,
        title=_text(title, 200)
        or _("Announcement of the enterprises graded in work-safety standardisation (%(number)s)")
        % {"number": document_number},
        body=_text(body, 8000),
        issued_on=today,
        issued_by=actor,
        cc_recipients=_cc_names(),
        batch=batch,
    )
    _batch_move(batch, "announce", actor=actor, comment=document_number)
    certificates = []
    entries = batch.entries.filter(outcome=PublicityEntry.Outcome.LISTED).select_related(
        "application__enterprise"
    )
    for entry in entries:
        application = GradingApplication.objects.select_for_update(of=("self",)).get(pk=entry.application_id)
        apply_transition(
            application,
            APPLICATION_FLOW,
            "announce",
            actor=actor,
            comment=document_number,
            data={"announcement": announcement.pk},
            extra_updates={"status_changed_at": timezone.now(), "decided_at": timezone.now()},
        )
        audit_record(
            actor=actor, action="application.announce", target=application, data={"number": document_number}
        )
        certificates.append(
            certificate_issue(actor=actor, application=application, announcement=announcement, on=today)
        )
        notify(
            recipients=grading_services.enterprise_people(application),
            title=_("%(enterprise)s is announced as graded; certificate %(number)s")
            % {"enterprise": application.enterprise.name, "number": certificates[-1].number},
            url=reverse("results:certificate", args=[certificates[-1].pk]),
            category="publicity",
        )
    PublicityEntry.objects.filter(pk__in=[e.pk for e in entries]).update(
        outcome=PublicityEntry.Outcome.ANNOUNCED
    )
    audit_record(
        actor=actor,
        action="announcement.issue",
        target=announcement,
        data={"batch": batch.pk, "certificates": [c.number for c in certificates]},
    )
    _render_later("announcement", announcement.pk)
    for certificate in certificates:
        _render_later("certificate", certificate.pk)
    return announcement


def _render_later(kind: str, pk: int) -> None:
    from results.tasks import render_result_pdf

    transaction.on_commit(lambda: render_result_pdf.enqueue(kind, pk))


def pdf_store(obj, content: bytes, filename: str) -> None:
    """Keep a rendered PDF on its announcement or certificate, with its SHA-256."""
    digest = hashlib.sha256(content).hexdigest()
    obj.pdf.save(filename, ContentFile(content), save=False)
    type(obj).objects.filter(pk=obj.pk).update(pdf=obj.pdf.name, pdf_sha256=digest)
    obj.pdf_sha256 = digest


@transaction.atomic
def result_fail(*, actor, application: GradingApplication, reason: str):
    """The 科长 decides an application back from publicity (or awaiting it) has not passed (#12)."""
    require(is_city_chief(actor))
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": [_("Give the reasons for the decision.")]})
    application = GradingApplication.objects.select_for_update(of=("self",)).get(pk=application.pk)
    updates = grading_services.not_passed_updates(reason)
    log = apply_transition(
        application, APPLICATION_FLOW, "fail_result", actor=actor, comment=reason, extra_updates=updates
    )
    ban = updates["ban_until"]
    audit_record(
        actor=actor,
        action="application.fail_result",
        target=application,
        data={"ban_until": ban.isoformat() if ban else None},
    )
    grading_services.not_passed_notice_after_commit(application, actor)
    notify(
        recipients=grading_services.enterprise_people(application),
        title=_("%(enterprise)s has not passed the grading") % {"enterprise": application.enterprise.name},
        body=reason,
        url=reverse("grading:detail", args=[application.pk]),
        category="publicity",
    )
    return log


@transaction.atomic
def certificate_record_legacy(
    *, actor, enterprise, number: str, grade_level: int, issued_on: date, expires_on: date | None = None
) -> Certificate:
    """Record a certificate issued before the system (paper records), so lookups, reminders,
    revocation and statistics cover it. The city only; the number must be new."""
    require(is_city_staff(actor))
    errors = {}
    number = _text(number, 64)
    if not number:
        errors["number"] = [_("Give the certificate number.")]
    elif Certificate.objects.filter(number=number).exists():
        errors["number"] = [_("Certificate %(number)s is already recorded.") % {"number": number}]
    if grade_level not in (1, 2, 3):
        errors["grade_level"] = [_("Choose a valid grade.")]
    expires_on = expires_on or _validity_end(issued_on)
    if expires_on <= issued_on:
        errors["expires_on"] = [_("The certificate must expire after it was issued.")]
    if errors:
        raise ValidationError(errors)
    today = _today()
    certificate = Certificate.objects.create(
        number=number,
        enterprise=enterprise,
        legacy=True,
        enterprise_name=enterprise.name,
        uscc=enterprise.uscc,
        region_path=enterprise.region_path,
        industry=enterprise.industry,
        grade_level=grade_level,
        issued_on=issued_on,
        expires_on=expires_on,
        status=Certificate.Status.ACTIVE,
    )
    audit_record(
        actor=actor,
        action="certificate.record_legacy",
        target=certificate,
        data={
            "issued_on": issued_on.isoformat(),
            "expires_on": expires_on.isoformat(),
            "today": today.isoformat(),
        },
    )
    return certificate


# --- Revocation --------------------------------------------------------------------------------


def _accident_facts(enterprise_id: int) -> list[domain.AccidentFacts]:
    from accidents.models import Accident

    rows = Accident.objects.filter(enterprise_id=enterprise_id).values(
        "pk", "occurred_at", "deaths", "serious_injuries", "direct_loss_yuan", "reporting_violation"
    )
    return [
        domain.AccidentFacts(
            pk=r["pk"],
            occurred_on=timezone.localdate(r["occurred_at"]),
            deaths=r["deaths"],
            serious_injuries=r["serious_injuries"],
            direct_loss_yuan=r["direct_loss_yuan"],
            reporting_violation=r["reporting_violation"] not in ("", "none"),
        )
        for r in rows
    ]


def _overdue_major_hazards(enterprise_id: int, today: date) -> list[tuple[int, date]]:
    from rectification.models import Hazard

    return list(
        Hazard.objects.filter(
            enterprise_id=enterprise_id,
            level=Hazard.Level.MAJOR,
            status__in=[Hazard.Status.PENDING, Hazard.Status.IN_PROGRESS],
            deadline__lt=today,
        ).values_list("pk", "deadline")
    )


def _flag_detail(ground: str, facts: dict) -> str:
    if ground == RevocationCase.Ground.DEATH:
        return _("%(deaths)s deaths in an accident on %(date)s.") % facts
    if ground == RevocationCase.Ground.REPORTING:
        return _("The accident of %(date)s was concealed, falsely, late or not reported.") % facts
    if ground == RevocationCase.Ground.ACCIDENT_TOTALS:
        return (
            _(
                "In the 12 months up to %(until)s: %(serious_injuries)s serious injuries, direct loss %(direct_loss_yuan)s yuan."
            )
            % facts
        )
    if ground == RevocationCase.Ground.MAJOR_HAZARD:
        return _("A major hazard due on %(deadline)s is overdue.") % facts
    if ground == RevocationCase.Ground.BLACKLIST:
        return _("The enterprise is on the credit blacklist.")
    return ""


def revocation_scan(*, enterprise_id: int | None = None, today: date | None = None) -> list[RevocationCase]:
    """Flag valid certificates the records say should be reviewed for revocation (the system's
    part of domain.md §9); each ground from each source once. Returns the new cases."""
    today = today or _today()
    certificates = Certificate.objects.filter(status=Certificate.Status.ACTIVE, expires_on__gte=today)
    if enterprise_id is not None:
        certificates = certificates.filter(enterprise_id=enterprise_id)
    created = []
    for certificate in certificates.select_related("enterprise"):
        limits = domain.RevocationLimits(
            window_months=param_int("revocation_window", today),
            serious_injuries=param_int("revocation_serious_injury", today),
            loss_yuan=param_decimal("revocation_loss", today),
        )
        flags = domain.revocation_flags(
            issued_on=certificate.issued_on,
            today=today,
            accidents=_accident_facts(certificate.enterprise_id),
            limits=limits,
            overdue_major_hazards=_overdue_major_hazards(certificate.enterprise_id, today),
            on_blacklist=certificate.enterprise.on_credit_blacklist,
        )
        for ground, source, facts in flags:
            with transaction.atomic():
                case, made = RevocationCase.objects.get_or_create(
                    certificate=certificate,
                    ground=ground,
                    source=source,
                    flagged_by_system=True,
                    defaults={"detail": _flag_detail(ground, facts)},
                )
                if not made:
                    continue
                audit_record(
                    actor=None,
                    action="revocation.flag",
                    target=case,
                    data={"ground": ground, "source": source},
                )
                notify(
                    recipients=_city_people(certificate.region_path),
                    title=_("Certificate %(number)s of %(enterprise)s is flagged for revocation: %(ground)s")
                    % {
                        "number": certificate.number,
                        "enterprise": certificate.enterprise_name,
                        "ground": case.get_ground_display(),
                    },
                    body=case.detail,
                    url=reverse("results:revocation", args=[case.pk]),
                    category="certificate",
                )
                created.append(case)
    return created


def on_accident_saved(*, actor, accident) -> None:
    """Hook of accidents.services: each saved accident re-runs the revocation checks (domain.md §10)."""
    revocation_scan(enterprise_id=accident.enterprise_id)


@transaction.atomic
def revocation_flag(*, actor, certificate: Certificate, ground: str, detail: str) -> RevocationCase:
    """The city flags a certificate for revocation on any ground (fraud, social impact…)."""
    require(is_city_staff(actor))
    errors = {}
    detail = _text(detail, 4000)
    if ground not in RevocationCase.Ground.values:
        errors["ground"] = [_("Choose a ground.")]
    if not detail:
        errors["detail"] = [_("Set out the facts.")]
    if errors:
        raise ValidationError(errors)
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status != Certificate.Status.ACTIVE:
        raise TransitionError(_("Only a valid certificate can be revoked."))
    case = RevocationCase.objects.create(
        certificate=certificate, ground=ground, detail=detail, flagged_by=actor
    )
    audit_record(actor=actor, action="revocation.flag", target=case, data={"ground": ground})
    notify(
        recipients=_chiefs(certificate.region_path),
        title=_("Certificate %(number)s is proposed for revocation") % {"number": certificate.number},
        body=detail,
        url=reverse("results:revocation", args=[case.pk]),
        category="certificate",
    )
    return case


@transaction.atomic
def revocation_decide(*, actor, case: RevocationCase, revoke: bool, reason: str) -> RevocationCase:
    """The 科长 revokes (the certificate is revoked, the ban starts, a 撤销公告 is issued) or dismisses."""
    require(is_city_chief(actor))
    reason = _text(reason, 4000)
    if not reason:
        raise ValidationError({"reason": [_("Give the reasons for the decision.")]})
    case = RevocationCase.objects.select_for_update().select_related("certificate").get(pk=case.pk)
    today = _today()
    now = timezone.now()
    if not revoke:
        apply_transition(
            case,
            REVOCATION_FLOW,
            "dismiss",
            actor=actor,
            comment=reason,
            extra_updates={"decision_reason": reason, "decided_by": actor, "decided_at": now},
        )
        audit_record(actor=actor, action="revocation.dismiss", target=case)
        return case
    certificate = Certificate.objects.select_for_update().get(pk=case.certificate_id)
    if certificate.status != Certificate.Status.ACTIVE:
        raise TransitionError(_("The certificate is no longer valid; dismiss the flag instead."))
    months = param_int("ban_revocation", today)
    ban = today + relativedelta(months=months) if months > 0 else None
    number = next_number("revocation", on=today)
    announcement = Announcement.objects.create(
        kind=Announcement.Kind.REVOCATION,
        document_number=number,
        title=_("Announcement of the revocation of the grade of %(enterprise)s")
        % {"enterprise": certificate.enterprise_name},
        body=reason,
        issued_on=today,
        issued_by=actor,
        cc_recipients=_cc_names(),
    )
    apply_transition(
        case,
        REVOCATION_FLOW,
        "revoke",
        actor=actor,
        comment=reason,
        extra_updates={
            "decision_reason": reason,
            "decided_by": actor,
            "decided_at": now,
            "ban_until": ban,
            "announcement": announcement,
        },
    )
    Certificate.objects.filter(pk=certificate.pk).update(status=Certificate.Status.REVOKED, revoked_on=today)
    # The other open flags of the certificate end with it.
    for other in RevocationCase.objects.filter(
        certificate=certificate, status=RevocationCase.Status.FLAGGED
    ).exclude(pk=case.pk):
        apply_transition(
            other,
            REVOCATION_FLOW,
            "dismiss",
            actor=actor,
            comment=_("Revoked on another ground (%(number)s).") % {"number": number},
            extra_updates={"decision_reason": number, "decided_by": actor, "decided_at": now},
        )
    audit_record(
        actor=actor,
        action="certificate.revoke",
        target=certificate,
        data={
            "case": case.pk,
            "ground": case.ground,
            "ban_until": ban.isoformat() if ban else None,
            "number": number,
        },
    )
    notify(
        recipients=enterprise_users(certificate.enterprise.organisation_id),
        title=_("Certificate %(number)s has been revoked") % {"number": certificate.number},
        body=reason,
        url=reverse("results:certificate", args=[certificate.pk]),
        category="certificate",
    )
    _render_later("announcement", announcement.pk)
    return case


def revocation_bans(application: GradingApplication) -> list[tuple[str, date, str]]:
    """Ban source for grading's eligibility (E9): revocations of the enterprise's certificates."""
    rows = RevocationCase.objects.filter(
        certificate__enterprise_id=application.enterprise_id,
        status=RevocationCase.Status.REVOKED,
        ban_until__isnull=False,
    ).values_list("ban_until", "certificate__number")
    return [("revocation", until, number) for until, number in rows]


# --- Reminders, renewal, the yearly self-assessment -----------------------------------------------


def send_certificate_reminders(*, today: date | None = None) -> int:
    """Tell enterprises about expiry (T−``renewal_reminders`` days) and the yearly
    self-assessment (``self_assessment_reminder_lead`` days before each anniversary); each once."""
    today = today or _today()
    sent = 0
    days_before = [int(d) for d in param_list("renewal_reminders", today)]
    lead = param_int("self_assessment_reminder_lead", today)
    for certificate in Certificate.objects.filter(
        status=Certificate.Status.ACTIVE, expires_on__gte=today
    ).select_related("enterprise"):
        keys = []
        for n in domain.reminder_due(certificate.expires_on, today, days_before)[-1:]:
            keys.append(
                (
                    f"expiry:{n}",
                    _("Certificate %(number)s expires on %(date)s: apply for renewal now")
                    % {"number": certificate.number, "date": certificate.expires_on.isoformat()},
                )
            )
        anniversary = domain.assessment_due(certificate.issued_on, today, lead)
        if anniversary is not None:
            year = anniversary.year
            filed = AnnualSelfAssessment.objects.filter(
                certificate=certificate, year=year, status=AnnualSelfAssessment.Status.SUBMITTED
            ).exists()
            if not filed:
                keys.append(
                    (
                        f"self_assessment:{year}",
                        _("File the %(year)s self-assessment of certificate %(number)s by %(date)s")
                        % {"year": year, "number": certificate.number, "date": anniversary.isoformat()},
                    )
                )
        for key, title in keys:
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        CertificateReminder.objects.create(certificate=certificate, key=key)
                except IntegrityError:
                    continue
                notify(
                    recipients=enterprise_users(certificate.enterprise.organisation_id),
                    title=title,
                    url=reverse("results:certificate", args=[certificate.pk]),
                    category="certificate",
                )
                sent += 1
    return sent


def renewal_problems(certificate: Certificate, today: date) -> list[str]:
    problems = []
    if certificate.status != Certificate.Status.ACTIVE:
        problems.append(_("Only a valid certificate can be renewed."))
        return problems
    opens = domain.renewal_window_opens(certificate.expires_on, param_int("renewal_window", today))
    if today < opens:
        problems.append(_("Renewal opens on %(date)s.") % {"date": opens.isoformat()})
    return problems


@transaction.atomic
def renewal_start(*, actor, certificate: Certificate) -> GradingApplication:
    """The enterprise opens its renewal (复评): a new application pre-filled from the last one."""
    if actor.role not in ENTERPRISE_ROLES or certificate.enterprise.organisation_id != actor.organisation_id:
        raise PermissionDenied
    problems = renewal_problems(certificate, _today())
    if problems:
        raise ValidationError(problems)
    last = certificate.application  # None for a certificate issued before the system
    standards = grading_services.standards_for(certificate.enterprise)
    preferred = last.standard if last is not None else None
    standard = preferred if preferred in standards else (standards[0] if standards else None)
    application = grading_services.application_create(
        actor=actor,
        enterprise=certificate.enterprise,
        standard=standard,
        grade_level=certificate.grade_level,
        kind=Kind.RENEWAL,
    )
    if last is not None:
        GradingApplication.objects.filter(pk=application.pk).update(
            summary=last.summary,
            internal_publicity_place=last.internal_publicity_place,
        )
        application.team.all().delete()
        TeamMember.objects.bulk_create(
            [
                TeamMember(
                    application=application, name=m.name, role=m.role, position=m.position, phone=m.phone
                )
                for m in last.team.all()
            ]
        )
    audit_record(
        actor=actor,
        action="certificate.renewal_start",
        target=certificate,
        data={"application": application.number, "from": last.number if last is not None else None},
    )
    application.refresh_from_db()
    return application


@transaction.atomic
def annual_assessment_start(
    *, actor, certificate: Certificate, year: int | None = None
) -> AnnualSelfAssessment:
    """Open this year's self-assessment on a sheet of the standard the enterprise was graded on."""
    from standards.models import ScoreSheet
    from standards.services import sheet_create

    if actor.role not in ENTERPRISE_ROLES or certificate.enterprise.organisation_id != actor.organisation_id:
        raise PermissionDenied
    if certificate.status != Certificate.Status.ACTIVE:
        raise TransitionError(_("Only a valid certificate has a yearly self-assessment."))
    if year is None:
        today = _today()
        lead = param_int("self_assessment_reminder_lead", today)
        year = domain.due_anniversary(certificate.issued_on, today, lead).year
    existing = AnnualSelfAssessment.objects.filter(certificate=certificate, year=year).first()
    if existing is not None:
        return existing
    if certificate.application is not None:
        standard = certificate.application.standard
    else:
        candidates = grading_services.standards_for(certificate.enterprise)
        if not candidates:
            raise ValidationError(
                _("No scoring standard is published for this industry yet; ask the city bureau.")
            )
        standard = candidates[0]
    sheet = sheet_create(
        actor=actor,
        standard=standard,
        kind=ScoreSheet.Kind.SELF_ASSESSMENT,
        title=_("%(year)s self-assessment of %(name)s") % {"year": year, "name": certificate.enterprise_name},
    )
    assessment = AnnualSelfAssessment.objects.create(
        certificate=certificate, year=year, sheet=sheet, created_by=actor
    )
    audit_record(actor=actor, action="annual_assessment.start", target=assessment, data={"year": year})
    return assessment


@transaction.atomic
def annual_assessment_submit(*, actor, assessment: AnnualSelfAssessment) -> AnnualSelfAssessment:
    """The principal files the yearly self-assessment once every item is scored; the sheet locks."""
    from standards.models import ScoreSheet
    from standards.selectors import sheet_result
    from standards.services import sheet_set_status

    certificate = assessment.certificate
    if (
        actor.role != Role.ENTERPRISE_PRINCIPAL
        or certificate.enterprise.organisation_id != actor.organisation_id
    ):
        raise PermissionDenied
    sheet = assessment.sheet
    missing = sheet.standard.items.count() - sheet.entries.count()
    if missing > 0:
        raise ValidationError(_("%(n)s items are not scored yet.") % {"n": missing})
    result = sheet_result(sheet)
    changed = AnnualSelfAssessment.objects.filter(
        pk=assessment.pk, status=AnnualSelfAssessment.Status.DRAFT
    ).update(
        status=AnnualSelfAssessment.Status.SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=actor,
        percentage=result.percentage,
    )
    if changed != 1:
        raise StaleState(_("This self-assessment has already been filed."))
    sheet_set_status(
        actor=actor, sheet=sheet, status=ScoreSheet.Status.LOCKED, reason="annual self-assessment filed"
    )
    assessment.refresh_from_db()
    audit_record(
        actor=actor,
        action="annual_assessment.submit",
        target=assessment,
        data={"percentage": str(result.percentage)},
    )
    return assessment
