"""Reads of applications, always from ``permissions.visible_to(user)``: list, deadline, timeline."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import ENTERPRISE_ROLES
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
    Submission,
)
from grading.permissions import visible_to
from grading.workflow import APPLICATION_FLOW
from lib.dates import CalendarMissing, add_working_days, working_days_between
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
    if due is None:  # the calendar may have reached it since the timer started
        try:
            due = add_working_days(application.timer_started_on, days, work_calendar())
        except CalendarMissing:
            due = None
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
    kind: str  # "transition", "submission", "document", "attachment", "guidance", "correction"
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
    for sub in Submission.objects.filter(application=application).select_related("submitted_by"):
        score = (sub.snapshot.get("score") or {}).get("percentage")
        entries.append(
            TimelineEntry(
                at=sub.submitted_at,
                kind="submission",
                title=_("Filing version %(seq)s submitted") % {"seq": sub.seq},
                actor=_who(sub.submitted_by),
                details=[_("Self-assessment score: %(score)s") % {"score": score}] if score else [],
            )
        )
    for g in Guidance.objects.filter(application=application).select_related("author"):
        entries.append(
            TimelineEntry(
                at=g.created_at, kind="guidance", title=_("Guidance"), actor=_who(g.author), comment=g.text
            )
        )
    notices = CorrectionRequest.objects.filter(application=application)
    if user.role in ENTERPRISE_ROLES:  # a city return to the county stays between regulators
        notices = notices.filter(addressee=CorrectionRequest.Addressee.ENTERPRISE)
    for r in notices.select_related("created_by").prefetch_related("items"):
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


# --- Generated documents and attachments (downloads) -------------------------------------------


@dataclass(frozen=True)
class DocumentsPanel:
    """What the detail page's documents card shows: the stored versions and the live previews."""

    documents: list[GeneratedDocument]
    preview_kinds: list[tuple[str, str]]  # (kind, label)


def _hidden_documents(application: GradingApplication, user) -> set[str]:
    """The ``reason`` of correction notices the user may not read (enterprise users: those the
    city addressed to the county, which stay between regulators)."""
    if user is None or getattr(user, "role", None) not in ENTERPRISE_ROLES:
        return set()
    county = application.correction_requests.filter(addressee=CorrectionRequest.Addressee.COUNTY)
    # document_store is called with reason "<stage>:<round>" for correction notices.
    return {f"{stage}:{number}" for stage, number in county.values_list("stage", "round")}


def _readable(documents, hidden: set[str]) -> list[GeneratedDocument]:
    kind = GeneratedDocument.Kind.CORRECTION_NOTICE
    return [d for d in documents if not (d.kind == kind and d.reason in hidden)]


def application_documents(application: GradingApplication, *, user=None) -> list[GeneratedDocument]:
    """The application's generated PDFs the user may read, newest first.

    The caller checked that the user sees the application; ``user=None`` lists them all.
    """
    rows = (
        GeneratedDocument.objects.filter(application=application)
        .select_related("created_by")
        .order_by("-created_at", "-pk")
    )
    return _readable(rows, _hidden_documents(application, user))


def application_document(application: GradingApplication, doc_id, *, user=None) -> GeneratedDocument | None:
    """Generated document ``doc_id`` if it belongs to the application and the user may read it."""
    rows = GeneratedDocument.objects.filter(application=application, pk=doc_id).select_related("application")
    return next(iter(_readable(rows, _hidden_documents(application, user))), None)


def application_attachment(application: GradingApplication, attachment_id) -> Attachment | None:
    """Uploaded attachment ``attachment_id`` if it belongs to the application."""
    return Attachment.objects.filter(application=application, pk=attachment_id).first()


def previewable_kinds(application: GradingApplication, documents=None, *, user=None) -> list[str]:
    """The self-assessment report always; the other documents once a version the user may read
    exists (``documents``: those versions, if the caller has them).

    Regulators (county and city reviewers) may also preview the county opinion as soon as one
    is being drafted; the enterprise sees it only once it is approved and stored.
    """
    from grading.permissions import REGULATORS

    if documents is None:
        documents = application_documents(application, user=user)
    stored = {d.kind for d in documents}
    Kind = GeneratedDocument.Kind
    if (
        user is not None
        and getattr(user, "role", None) in REGULATORS
        and Kind.COUNTY_OPINION not in stored
        and application.county_opinions.exists()
    ):
        stored.add(Kind.COUNTY_OPINION)
    return [k for k in Kind.values if k == Kind.SELF_ASSESSMENT_REPORT or k in stored]


def documents_panel(application: GradingApplication, *, user=None) -> DocumentsPanel:
    documents = application_documents(application, user=user)
    labels = dict(GeneratedDocument.Kind.choices)
    return DocumentsPanel(
        documents=documents,
        preview_kinds=[(k, labels[k]) for k in previewable_kinds(application, documents, user=user)],
    )


def regulator_organisation(application: GradingApplication, kind: str):
    """The active bureau of ``kind`` ("city_bureau", "county_bureau") over the enterprise's region.

    The nearest one wins: the organisation whose region path is the longest prefix of the
    enterprise's region path. None when no such bureau is registered.
    """
    from accounts.models import Organisation

    path = application.enterprise.region_path
    candidates = [
        o
        for o in Organisation.objects.filter(kind=kind, is_active=True).select_related("region")
        if o.region.path and path.startswith(o.region.path)
    ]
    return max(candidates, key=lambda o: len(o.region.path), default=None)
