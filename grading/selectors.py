"""Reads of applications, always from ``permissions.visible_to(user)``: list, deadline, timeline."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from grading.models import (
    TERMINAL_STATES,
    ApplicationTransition,
    Attachment,
    CorrectionRequest,
    GeneratedDocument,
    GradingApplication,
    Guidance,
    RequiredDocument,
    Status,
)
from grading.permissions import visible_to
from grading.workflow import APPLICATION_FLOW
from lib.dates import CalendarMissing, working_days_between
from regulation.selectors import param_decimal, work_calendar


@dataclass(frozen=True)
class ApplicationFilters:
    status: str = ""
    region: int | None = None
    overdue: bool = False
    q: str = ""
    open_only: bool = False


def application_list(*, user, filters: ApplicationFilters | None = None) -> QuerySet[GradingApplication]:
    """The applications the user sees, filtered, newest first, with what a list row shows."""
    f = filters or ApplicationFilters()
    rows = visible_to(user).select_related("enterprise", "enterprise__region", "standard")
    if f.status:
        rows = rows.filter(status=f.status)
    if f.open_only:
        rows = rows.exclude(status__in=TERMINAL_STATES)
    if f.region:
        rows = rows.filter(enterprise__region_id=f.region)
    if f.overdue:
        rows = rows.filter(timer_kind="limit", timer_due_on__lt=timezone.localdate())
    if f.q:
        q = f.q.strip()
        rows = rows.filter(
            Q(number__icontains=q)
            | Q(enterprise__name__icontains=q)
            | Q(enterprise__uscc__icontains=q.upper())
            | Q(enterprise__name_initials__icontains=q.lower())
        )
    return rows.order_by("-created_at", "-pk")


@dataclass(frozen=True)
class Deadline:
    """The running timer of a case, as a page or the API shows it."""

    param: str
    kind: str  # "limit": the authority's deadline; "minimum": the earliest next step
    started_on: date
    working_days: int
    due_on: date | None  # None: the working-day calendar does not reach it yet
    elapsed: int | None
    overdue: bool
    alert: bool  # past the alert fraction (80 %) of a limit

    @property
    def calendar_missing(self) -> bool:
        return self.due_on is None


def deadline_for(application: GradingApplication, today: date | None = None) -> Deadline | None:
    if not application.timer_param or application.timer_started_on is None:
        return None
    today = today or timezone.localdate()
    due = application.timer_due_on
    elapsed = None
    try:
        elapsed = working_days_between(application.timer_started_on, today, work_calendar())
    except CalendarMissing:
        elapsed = None
    days = application.timer_working_days or 0
    limit = application.timer_kind == "limit"
    overdue = bool(limit and due is not None and today > due)
    fraction = param_decimal("deadline_alert_fraction", today) if limit else None
    alert = bool(limit and elapsed is not None and days and elapsed >= fraction * days)
    return Deadline(
        param=application.timer_param,
        kind=application.timer_kind,
        started_on=application.timer_started_on,
        working_days=days,
        due_on=due,
        elapsed=elapsed,
        overdue=overdue,
        alert=alert,
    )


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # "transition", "document", "attachment", "guidance", "correction"
    title: str
    actor: str = ""
    comment: str = ""
    from_state: str = ""
    to_state: str = ""
    url_name: str = ""
    url_args: tuple = ()
    details: list[str] = field(default_factory=list)


def _who(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


STATUS_LABELS = dict(Status.choices)


def application_timeline(application: GradingApplication, *, user) -> list[TimelineEntry]:
    """Every move, generated document, attachment version, guidance and correction notice, in time order.

    Everyone who may see the application reads its timeline (the caller checked that).
    """
    entries: list[TimelineEntry] = []
    for t in ApplicationTransition.objects.filter(application=application).select_related("actor"):
        label = (
            _("Application created")
            if t.transition == "create"
            else str(APPLICATION_FLOW.transitions[t.transition].label)
            if t.transition in APPLICATION_FLOW.transitions
            else t.transition
        )
        entries.append(
            TimelineEntry(
                at=t.created_at,
                kind="transition",
                title=label,
                actor=_who(t.actor),
                comment=t.comment,
                from_state=str(STATUS_LABELS.get(t.from_state, t.from_state)),
                to_state=str(STATUS_LABELS.get(t.to_state, t.to_state)),
            )
        )
    for d in GeneratedDocument.objects.filter(application=application).select_related("created_by"):
        entries.append(
            TimelineEntry(
                at=d.created_at,
                kind="document",
                title=_("%(document)s generated (version %(version)s)")
                % {"document": d.get_kind_display(), "version": d.version},
                actor=_who(d.created_by),
                url_name="grading:document",
                url_args=(application.pk, d.pk),
            )
        )
    for a in Attachment.objects.filter(application=application).select_related("document", "uploaded_by"):
        entries.append(
            TimelineEntry(
                at=a.uploaded_at,
                kind="attachment",
                title=_("%(document)s uploaded (version %(version)s): %(name)s")
                % {"document": a.document.name, "version": a.version, "name": a.original_name},
                actor=_who(a.uploaded_by),
                url_name="grading:attachment",
                url_args=(application.pk, a.pk),
            )
        )
    for g in Guidance.objects.filter(application=application).select_related("author"):
        entries.append(
            TimelineEntry(
                at=g.created_at, kind="guidance", title=_("Guidance"), actor=_who(g.author), comment=g.text
            )
        )
    for r in (
        CorrectionRequest.objects.filter(application=application)
        .select_related("created_by")
        .prefetch_related("items")
    ):
        entries.append(
            TimelineEntry(
                at=r.created_at,
                kind="correction",
                title=_("Correction notice %(round)s (%(stage)s, to the %(addressee)s)")
                % {"round": r.round, "stage": r.get_stage_display(), "addressee": r.get_addressee_display()},
                actor=_who(r.created_by),
                comment=r.note,
                details=[f"{i.seq}. {i.subject}：{i.problem}" for i in r.items.all()],
            )
        )
    return sorted(entries, key=lambda e: e.at)


def current_attachments(application: GradingApplication) -> list[tuple[RequiredDocument, list[Attachment]]]:
    """Each applicable document kind with its versions (current first)."""
    from grading.eligibility import required_documents

    versions: dict[int, list[Attachment]] = {}
    for a in application.attachments.select_related("uploaded_by").order_by("document_id", "-version"):
        versions.setdefault(a.document_id, []).append(a)
    return [(d, versions.get(d.pk, [])) for d in required_documents(application)]


def open_statuses() -> list[str]:
    return [s for s in Status.values if s not in TERMINAL_STATES]
