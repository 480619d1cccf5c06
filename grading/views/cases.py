"""The application list, its Excel export, the case page and its printable timeline.

Every read goes through ``grading.selectors`` (scoped by ``permissions.visible_to``) or
``get_application_for_user``, so an outsider gets 404. The case page shows the enterprise's
file, the eligibility checklist, corrections, guidance and the timeline to everyone who sees
the case; the enterprise's own forms post to ``grading.views.enterprise`` and the regulators'
to ``grading.views.reviews`` (their panels are included here).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from accounts.roles import ENTERPRISE_ROLES
from grading import eligibility, selectors, services
from grading.forms import (
    ApplicationFilterForm,
    AttachmentForm,
    CorrectionAnswerForm,
    PublicityForm,
    WithdrawForm,
)
from grading.models import CorrectionItem, CorrectionRequest, GradingApplication, Status
from grading.permissions import (
    can_create_application,
    can_edit_file,
    can_file_documents,
    can_sign_commitment,
    get_application_for_user,
    is_own_enterprise,
)
from grading.views import reviews
from grading.workflow import APPLICATION_FLOW, ENTERPRISE_TRANSITIONS
from lib.casepanels import render_case_panels
from lib.pagination import paginate
from lib.workflow import available_transitions
from lib.xlsx import build_workbook, xlsx_response

# --- Deadlines -----------------------------------------------------------------------------

DEADLINE_LABELS = {
    "internal_publicity_min": gettext_lazy("Earliest submission date"),
    "county_review_limit": gettext_lazy("County preliminary review deadline"),
    "city_review_limit": gettext_lazy("City re-review deadline"),
    "site_review_limit": gettext_lazy("On-site review deadline"),
}


def _long_date(day: date) -> str:
    return date_format(day, "DATE_FORMAT")


def deadline_text(param: str, kind: str, due_on: date | None, working_days: int) -> str:
    """Return e.g. "County preliminary review deadline: <date> (10 working days)" for the user."""
    label = DEADLINE_LABELS.get(param, param)
    if due_on is None:
        return _(
            "%(label)s: not yet known, the working-day calendar does not reach it (%(n)s working days)"
        ) % {"label": label, "n": working_days}
    if kind == "minimum":
        return _("%(label)s: %(date)s (after %(n)s working days)") % {
            "label": label,
            "date": _long_date(due_on),
            "n": working_days,
        }
    return _("%(label)s: %(date)s (%(n)s working days)") % {
        "label": label,
        "date": _long_date(due_on),
        "n": working_days,
    }


@dataclass(frozen=True)
class RowDeadline:
    """What a list row shows of the running timer, from the row's own fields (no queries)."""

    kind: str
    due_on: date | None
    overdue: bool
    calendar_missing: bool
    label: str


def row_deadline(application: GradingApplication, today: date) -> RowDeadline | None:
    if not application.timer_param or application.timer_started_on is None:
        return None
    due = application.timer_due_on
    return RowDeadline(
        kind=application.timer_kind,
        due_on=due,
        overdue=bool(application.timer_kind == "limit" and due is not None and today > due),
        calendar_missing=due is None,
        label=str(DEADLINE_LABELS.get(application.timer_param, application.timer_param)),
    )


# --- List and export -----------------------------------------------------------------------


@require_GET
def application_list_view(request: HttpRequest) -> HttpResponse:
    """The applications in the user's scope: filters and pages on the server (htmx swaps the table)."""
    form = ApplicationFilterForm(request.GET, user=request.user)
    applications = selectors.application_list(user=request.user, filters=form.filters())
    page_obj = paginate(request, applications)
    today = timezone.localdate()
    context = {
        "form": form,
        "page_obj": page_obj,
        "rows": [(a, row_deadline(a, today)) for a in page_obj],
        "can_create": can_create_application(request.user),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "grading/_list_table.html", context)
    return render(request, "grading/application_list.html", context)


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a lazy translation
    text: bool = False  # codes: keep as text in Excel


EXPORT_COLUMNS = [
    Column("number", gettext_lazy("Application number"), text=True),
    Column("enterprise", gettext_lazy("Enterprise name")),
    Column("uscc", gettext_lazy("Unified social credit code"), text=True),
    Column("region", gettext_lazy("County-level division")),
    Column("kind", gettext_lazy("Kind")),
    Column("grade_level", gettext_lazy("Grade applied for")),
    Column("standard", gettext_lazy("Scoring standard")),
    Column("status", gettext_lazy("Status")),
    Column("deadline", gettext_lazy("Due date")),
    Column("overdue", gettext_lazy("Overdue")),
    Column("submitted_at", gettext_lazy("Submitted at")),
    Column("created_at", gettext_lazy("Created at")),
    Column("updated_at", gettext_lazy("Updated at")),
]


def _local(value):
    return timezone.localtime(value) if value else None


def export_row(application: GradingApplication, today: date) -> list[Any]:
    """Return one row of the export; uses the selector's select_related only."""
    enterprise = application.enterprise
    deadline = row_deadline(application, today)
    return [
        application.number,
        enterprise.name,
        enterprise.uscc,
        enterprise.region.name,
        application.get_kind_display(),
        application.get_grade_level_display(),
        str(application.standard),
        application.get_status_display(),
        deadline.due_on if deadline else None,
        _("Yes") if deadline and deadline.overdue else "",
        _local(application.submitted_at),
        _local(application.created_at),
        _local(application.updated_at),
    ]


def render_application_list_xlsx(applications: Iterable[GradingApplication]):
    today = timezone.localdate()
    workbook = build_workbook(
        [c.label for c in EXPORT_COLUMNS],
        (export_row(a, today) for a in applications),
        title=_("Grading applications"),
        text_columns=[i for i, c in enumerate(EXPORT_COLUMNS) if c.text],
    )
    sheet = workbook.active
    formats = {"deadline": "yyyy-mm-dd", "submitted_at": "yyyy-mm-dd hh:mm", "created_at": "yyyy-mm-dd hh:mm"}
    formats["updated_at"] = "yyyy-mm-dd hh:mm"
    keys = [c.key for c in EXPORT_COLUMNS]
    for key, number_format in formats.items():
        for cell in sheet.iter_rows(min_row=2, min_col=keys.index(key) + 1, max_col=keys.index(key) + 1):
            cell[0].number_format = number_format
    return workbook


@require_GET
def application_export(request: HttpRequest) -> HttpResponse:
    """Excel of the filtered list, in the user's scope (same query string as the list)."""
    form = ApplicationFilterForm(request.GET, user=request.user)
    applications = selectors.application_list(user=request.user, filters=form.filters())
    workbook = render_application_list_xlsx(applications.iterator(chunk_size=1000))
    filename = _("Grading applications %(date)s.xlsx") % {"date": timezone.localdate().strftime("%Y%m%d")}
    return xlsx_response(workbook, filename)


# --- The case page -------------------------------------------------------------------------

STEPS = [
    (Status.DRAFT, gettext_lazy("Draft")),
    (Status.INTERNAL_PUBLICITY, gettext_lazy("Internal publicity")),
    (Status.COUNTY_REVIEW, gettext_lazy("County preliminary review")),
    (Status.CITY_REVIEW, gettext_lazy("City re-review")),
    (Status.ACCEPTED, gettext_lazy("Accepted")),
]
STEP_OF = {Status.COUNTY_RETURNED: Status.COUNTY_REVIEW, Status.CITY_RETURNED: Status.CITY_REVIEW}
PARTIALS = {
    "documents": "grading/_documents.html",
    "county_panel": "grading/_county_panel.html",
    "city_panel": "grading/_city_panel.html",
}


def steps_for(application: GradingApplication) -> list[dict[str, Any]]:
    """The step indicator: each main state done, current (returned: with a warning) or to come."""
    current = STEP_OF.get(application.status, application.status)
    states = [s for s, _label in STEPS]
    index = states.index(current) if current in states else None
    steps = []
    for n, (state, label) in enumerate(STEPS):
        if index is None:
            where = "closed"
        elif n < index:
            where = "done"
        elif n == index:
            where = "returned" if application.status in STEP_OF else "current"
        else:
            where = "todo"
        steps.append({"state": state, "label": label, "where": where, "n": n + 1})
    return steps


def url_or_none(name: str, args: tuple) -> str | None:
    """Reverse ``name`` if that page exists (documents come from a sibling module)."""
    if not name:
        return None
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _partials() -> dict[str, bool]:
    found = {}
    for key, name in PARTIALS.items():
        try:
            get_template(name)
        except TemplateDoesNotExist:
            found[key] = False
        else:
            found[key] = True
    return found


MOVE_URLS = {
    "start_internal_publicity": "grading:start_publicity",
    "back_to_draft": "grading:back_to_draft",
    "submit": "grading:submit",
    "county_resubmit": "grading:county_resubmit",
    "city_resubmit": "grading:city_resubmit",
    "withdraw": "grading:withdraw",
}
MOVE_CONFIRMS = {
    "back_to_draft": gettext_lazy(
        "Stop the internal publicity? It starts over when you post the file again."
    ),
    "submit": gettext_lazy("Submit the application to the county? The file can no longer be changed."),
    "county_resubmit": gettext_lazy("Resubmit the corrected application to the county?"),
    "city_resubmit": gettext_lazy("Resubmit the corrected application to the city?"),
}


def enterprise_moves(application: GradingApplication, user) -> list[dict[str, Any]]:
    """The enterprise's own moves the user may make now (the regulators' are in their panels)."""
    return [
        {
            "name": t.name,
            "label": t.label,
            "url": reverse(MOVE_URLS[t.name], args=[application.pk]),
            "confirm": MOVE_CONFIRMS.get(t.name, ""),
        }
        for t in available_transitions(application, APPLICATION_FLOW, user)
        if t.name in ENTERPRISE_TRANSITIONS and t.name in MOVE_URLS
    ]


def unanswered_items(corrections: list[dict]) -> int:
    """Lines of the open notice to the enterprise not answered yet (resubmitting waits for them)."""
    return sum(
        1
        for c in corrections
        if c["request"].closed_at is None and c["request"].addressee == CorrectionRequest.Addressee.ENTERPRISE
        for row in c["items"]
        if row["item"].state not in (CorrectionItem.State.ANSWERED, CorrectionItem.State.ACCEPTED)
    )


def attachment_rows(application: GradingApplication) -> list[dict[str, Any]]:
    rows = []
    for document, versions in selectors.current_attachments(application):
        current = versions[0] if versions and versions[0].superseded_at is None else None
        rows.append(
            {
                "document": document,
                "current": current,
                "current_url": current and url_or_none("grading:attachment", (application.pk, current.pk)),
                "older": [
                    (a, url_or_none("grading:attachment", (application.pk, a.pk)))
                    for a in versions
                    if a is not current
                ],
            }
        )
    return rows


def correction_rows(application: GradingApplication, user, forms: dict | None = None) -> list[dict]:
    """The correction notices with, per item, the enterprise's answer form while it may answer."""
    may_answer = can_edit_file(user, application)
    requests = (
        application.correction_requests.select_related("created_by")
        .prefetch_related("items", "items__checked_by")
        .order_by("-created_at", "-pk")
    )
    if user.role in ENTERPRISE_ROLES:  # a city return to the county stays between regulators
        requests = requests.filter(addressee=CorrectionRequest.Addressee.ENTERPRISE)
    rows = []
    for request in requests:
        answerable = (
            may_answer
            and request.closed_at is None
            and request.addressee == CorrectionRequest.Addressee.ENTERPRISE
        )
        items = []
        for item in request.items.all():
            form = None
            if answerable and item.state != CorrectionItem.State.ACCEPTED:
                form = (forms or {}).get(item.pk) or CorrectionAnswerForm(
                    initial={"answer": item.answer}, prefix=f"item{item.pk}"
                )
            items.append({"item": item, "form": form})
        rows.append({"request": request, "items": items})
    return rows


def timeline_rows(application: GradingApplication, user) -> list[dict[str, Any]]:
    return [
        {"entry": e, "url": url_or_none(e.url_name, e.url_args)}
        for e in selectors.application_timeline(application, user=user)
    ]


def sheet_progress(application: GradingApplication) -> dict[str, Any]:
    total = application.standard.items.count()
    unscored, percentage = eligibility.sheet_progress(application)
    scored = max(total - unscored, 0)
    return {
        "total": total,
        "scored": scored,
        "unscored": unscored,
        "done": round(scored * 100 / total) if total else 0,
        "percentage": percentage,
        "threshold": getattr(application.standard, f"threshold_level{application.grade_level}", None),
    }


def commitment_text(application: GradingApplication) -> str:
    """The commitment as signed (the numbers of the signing day), or as it would be signed today."""
    signed = application.commitment_signed_at
    return services.commitment_text_for(application, timezone.localdate(signed) if signed else None)


def detail_context(request: HttpRequest, application: GradingApplication, **extra) -> dict[str, Any]:
    """Everything the case page shows; ``extra`` replaces a form that came back with errors."""
    user = request.user
    deadline = selectors.deadline_for(application)
    owner = is_own_enterprise(user, application)
    can_file = can_file_documents(user, application)
    attachments = attachment_rows(application)
    corrections = correction_rows(application, user, extra.pop("answer_forms", None))
    moves = enterprise_moves(application, user) if owner else []
    unanswered = unanswered_items(corrections)
    if unanswered:
        # Resubmitting waits for every answer: the button appears once it is allowed.
        moves = [m for m in moves if m["name"] not in ("county_resubmit", "city_resubmit")]
    context: dict[str, Any] = {
        "application": application,
        "enterprise": application.enterprise,
        "deadline": deadline,
        "deadline_text": deadline
        and deadline_text(deadline.param, deadline.kind, deadline.due_on, deadline.working_days),
        "steps": steps_for(application),
        "moves": moves,
        "move_names": {m["name"] for m in moves},
        "unanswered": unanswered,
        "is_owner": owner,
        "can_edit": can_edit_file(user, application),
        "can_file": can_file,
        "can_sign": can_sign_commitment(user, application),
        "progress": sheet_progress(application),
        "team": list(application.team.all()),
        "attachments": attachments,
        "commitment_text": commitment_text(application),
        "checks": eligibility.evaluate(application),
        "corrections": corrections,
        "corrections_open": any(c["request"].closed_at is None for c in corrections),
        "guidance": list(application.guidance.select_related("author")),
        "timeline": timeline_rows(application, user),
        "partials": _partials(),
        "publicity_form": PublicityForm(
            initial={
                "state": application.status,
                "start": timezone.localdate(),
                "place": application.internal_publicity_place,
            }
        ),
        "withdraw_form": WithdrawForm(initial={"state": application.status}),
        "attachment_form": AttachmentForm(documents=[r["document"] for r in attachments])
        if can_file
        else None,
    }
    context["failed_checks"] = [c for c in context["checks"] if c.failed]
    context.update(reviews.review_context(request, application) or {})
    # Panels of later stages (the expert panel, the on-site review…) from higher apps.
    context["case_panels"] = render_case_panels("grading_application", request, application)
    context["enterprise_flags"] = render_case_panels("enterprise_flag", request, application.enterprise)
    context.update(extra)
    return context


@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk, "view")
    return render(request, "grading/application_detail.html", detail_context(request, application))


@require_GET
def application_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's history on its own, for printing."""
    application = get_application_for_user(request.user, pk, "view")
    context = {"application": application, "timeline": timeline_rows(application, request.user)}
    return render(request, "grading/application_timeline.html", context)


urlpatterns = [
    path("", application_list_view, name="list"),
    path("export.xlsx", application_export, name="export"),
    path("<int:pk>/", application_detail, name="detail"),
    path("<int:pk>/timeline/", application_timeline, name="timeline"),
]
