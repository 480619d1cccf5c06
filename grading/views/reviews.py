"""The regulators' side of an application: guidance, the county opinion, the city decision.

The county officer drafts the 初审意见 (or returns the file with an itemised notice) and the
county chief approves it, which forwards the application to the city; the 制造业科 officer
proposes the re-review decision and the 科长 approves it (or terminates the case for a false
commitment). Every view starts from ``get_application_for_user``; a reviewer whose case has
moved on meanwhile (a second click, another user) gets an error alert, not a 403, and no
second move. ``review_context`` gives the detail page's two panels what they show.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import COUNTY_ROLES, ENTERPRISE_ROLES, Role
from grading import domain, eligibility
from grading.models import (
    CityDecision,
    CorrectionItem,
    CorrectionRequest,
    CountyOpinion,
    GeneratedDocument,
    GradingApplication,
    OpinionStatus,
)
from grading.permissions import (
    CITY_REVIEWERS,
    can_city_review,
    can_county_review,
    can_guide,
    get_application_for_user,
)
from grading.review_forms import (
    CityDecisionForm,
    CommentForm,
    CorrectionAnswerForm,
    CorrectionCheckForm,
    CountyOpinionForm,
    CountyReturnForm,
    GuidanceForm,
    TerminateForm,
    correction_formset,
    correction_rows,
)
from grading.services import (
    application_county_return,
    application_terminate_false_commitment,
    city_decision_approve,
    city_decision_save,
    city_decision_send_back,
    city_decision_submit,
    correction_answer,
    correction_check,
    county_opinion_approve,
    county_opinion_save,
    county_opinion_send_back,
    county_opinion_submit,
    current_city_decision,
    current_county_opinion,
    guidance_add,
)
from grading.workflow import APPLICATION_FLOW, CITY_DECISION_FLOW, COUNTY_OPINION_FLOW
from lib.forms import add_service_errors
from lib.workflow import TransitionError, available_transitions, refusal
from regulation.selectors import param_int

GET_POST = require_http_methods(["GET", "POST"])
OVERSEERS = frozenset({Role.BUREAU_LEADER, Role.SYSTEM_ADMIN})
STAGE_ROLES = {"county_review": COUNTY_ROLES, "city_review": CITY_REVIEWERS}
TERMINATE = "terminate_false_commitment"


# --- What the panels show ---------------------------------------------------------------------


@dataclass
class Link:
    label: str
    url: str = ""
    note: str = ""


@dataclass
class ConditionRow:
    code: str
    label: str
    ok: bool
    note: str


@dataclass
class Paper:
    """One county opinion or city decision as a panel shows it."""

    obj: CountyOpinion | CityDecision
    conditions: list[ConditionRow]
    transitions: list = field(default_factory=list)  # OpinionTransition rows (internal; empty if hidden)


@dataclass
class Panel:
    """One stage's card: what the user sees there and which buttons they get."""

    show: bool = False
    current: Paper | None = None  # the opinion or decision being worked on (not yet approved)
    history: list[Paper] = field(default_factory=list)  # approved ones, newest first
    can_review: bool = False  # the stage's regulator, the case in that stage
    can_edit: bool = False
    moves: frozenset[str] = frozenset()  # the opinion flow's available transitions
    can_return: bool = False
    can_guide: bool = False
    can_terminate: bool = False
    ban_months: int | None = None
    requests: list[CorrectionRequest] = field(default_factory=list)  # this stage's correction notices
    to_county: list[CorrectionRequest] = field(default_factory=list)  # the city's notices to the county
    can_check: bool = False
    can_answer: bool = False
    package: list[Link] = field(default_factory=list)

    @property
    def can_submit(self) -> bool:
        return "submit_for_approval" in self.moves

    @property
    def can_approve(self) -> bool:
        return "approve" in self.moves

    @property
    def can_send_back(self) -> bool:
        return "send_back" in self.moves


def _reverse(name: str, *args) -> str:
    """A URL another helper's module provides, or "" while it does not exist (links degrade to text)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _conditions(paper, labels: dict[str, str]) -> list[ConditionRow]:
    """The paper's confirmations in checklist order (E2 before E11), labelled when the checklist ran."""

    def order(code: str) -> tuple[int, str]:
        digits = code.lstrip("E")
        return (int(digits) if digits.isdigit() else 999, code)

    saved = paper.condition_checks or {}
    return [
        ConditionRow(c, labels.get(c, ""), bool(saved[c].get("ok")), saved[c].get("note", ""))
        for c in sorted(saved, key=order)
    ]


def _papers(rows, labels, *, internal: bool) -> list[Paper]:
    return [Paper(r, _conditions(r, labels), list(r.transitions.all()) if internal else []) for r in rows]


def _package(application: GradingApplication) -> list[Link]:
    """Links to what the city re-reviews: the self-assessment report, the county opinion, attachments."""
    links = []
    documents = application.documents.order_by("kind", "-version")
    for kind in (GeneratedDocument.Kind.SELF_ASSESSMENT_REPORT, GeneratedDocument.Kind.COUNTY_OPINION):
        doc = next((d for d in documents if d.kind == kind), None)
        label = str(GeneratedDocument.Kind(kind).label)
        if doc is None:
            links.append(
                Link(
                    label, _reverse("grading:document_preview", application.pk, kind), _("not generated yet")
                )
            )
        else:
            links.append(
                Link(
                    label,
                    _reverse("grading:document", application.pk, doc.pk),
                    _("version %(v)s") % {"v": doc.version},
                )
            )
    for a in application.attachments.filter(superseded_at__isnull=True).select_related("document"):
        links.append(
            Link(
                f"{a.document.name}：{a.original_name}",
                _reverse("grading:attachment", application.pk, a.pk),
                _("version %(v)s") % {"v": a.version},
            )
        )
    return links


def _requests(application: GradingApplication, **filters) -> list[CorrectionRequest]:
    return list(
        application.correction_requests.filter(**filters)
        .select_related("created_by")
        .prefetch_related("items__checked_by")
        .order_by("-created_at", "-pk")
    )


def _county_panel(user, application, labels, *, side: str) -> Panel:
    opinions = list(
        application.county_opinions.select_related("drafted_by", "approved_by").prefetch_related(
            "transitions__actor"
        )
    )
    approved = [o for o in opinions if o.status == OpinionStatus.APPROVED]
    insider = side in ("county", "overseer")
    panel = Panel(history=_papers(approved, labels, internal=insider))
    reached = application.submitted_at is not None or bool(opinions)
    panel.show = {
        "county": reached,
        "overseer": reached,
        "city": bool(approved),
        "enterprise": bool(approved),
    }.get(side, False)
    if not panel.show:
        return panel
    current = current_county_opinion(application)
    if insider and current is not None:
        current = next(o for o in opinions if o.pk == current.pk)
        panel.current = _papers([current], labels, internal=True)[0]
    if side == "county":
        panel.can_review = can_county_review(user, application)
        panel.can_guide = can_guide(user, application)
    if panel.can_review:
        panel.can_edit = current is None or current.status in (OpinionStatus.DRAFT, OpinionStatus.SENT_BACK)
        if current is not None:
            panel.moves = frozenset(t.name for t in available_transitions(current, COUNTY_OPINION_FLOW, user))
        panel.can_return = refusal(application, APPLICATION_FLOW["county_return"], user) is None
        # The case page lists every notice; the panel repeats those its reviewer acts on.
        panel.can_check = panel.can_answer = True
        panel.requests = _requests(application, stage=CorrectionRequest.Stage.COUNTY, closed_at__isnull=True)
        panel.to_county = _requests(
            application, addressee=CorrectionRequest.Addressee.COUNTY, closed_at__isnull=True
        )
    return panel


def _city_panel(user, application, labels, *, side: str) -> Panel:
    decisions = list(
        application.city_decisions.select_related("drafted_by", "approved_by").prefetch_related(
            "transitions__actor"
        )
    )
    approved = [d for d in decisions if d.status == OpinionStatus.APPROVED]
    insider = side in ("city", "overseer")
    panel = Panel(history=_papers(approved, labels, internal=insider))
    reached = bool(decisions) or application.county_opinions.filter(status=OpinionStatus.APPROVED).exists()
    if side == "city":
        panel.can_terminate = refusal(application, APPLICATION_FLOW[TERMINATE], user) is None
    panel.show = {
        "city": reached or panel.can_terminate,
        "overseer": reached,
        "county": bool(approved),
        "enterprise": bool(approved),
    }.get(side, False)
    if not panel.show:
        return panel
    current = current_city_decision(application)
    if insider and current is not None:
        current = next(d for d in decisions if d.pk == current.pk)
        panel.current = _papers([current], labels, internal=True)[0]
    if insider:
        panel.package = _package(application)
    if side == "city":
        panel.can_review = can_city_review(user, application)
        panel.can_guide = can_guide(user, application)
    if panel.can_review:
        panel.can_edit = current is None or current.status in (OpinionStatus.DRAFT, OpinionStatus.SENT_BACK)
        if current is not None:
            panel.moves = frozenset(t.name for t in available_transitions(current, CITY_DECISION_FLOW, user))
        panel.can_check = True
        panel.requests = _requests(
            application,
            stage=CorrectionRequest.Stage.CITY,
            addressee=CorrectionRequest.Addressee.ENTERPRISE,
            closed_at__isnull=True,
        )
    if panel.can_terminate:
        panel.ban_months = param_int("ban_false_commitment")
    return panel


def _side(user) -> str:
    role = getattr(user, "role", None)
    if role in COUNTY_ROLES:
        return "county"
    if role in CITY_REVIEWERS:
        return "city"
    if role in OVERSEERS:
        return "overseer"
    if role in ENTERPRISE_ROLES:
        return "enterprise"
    return ""


def review_context(request, application: GradingApplication) -> dict:
    """What the detail page's county and city panels need for the current user.

    Enterprise users see only approved opinions and decisions (never a draft or the city's
    internal proposal); the county and the city see their own stage's work in progress and
    the other stage's approved papers; bureau leaders and admins see everything, read-only.
    """
    user = request.user
    side = _side(user)
    if not side:
        return {"review": {"county": Panel(), "city": Panel(), "checks": [], "unknown": []}}
    checks: list[domain.Check] = []
    if side != "enterprise":
        checks = eligibility.evaluate(application)
    labels = {c.code: c.label for c in checks}
    county = _county_panel(user, application, labels, side=side)
    city = _city_panel(user, application, labels, side=side)
    return {
        "review": {
            "county": county,
            "city": city,
            "checks": checks,
            "unknown": [c for c in checks if c.result == domain.UNKNOWN],
        }
    }


# --- Helpers of the views -----------------------------------------------------------------------


def _detail_url(application: GradingApplication, anchor: str = "") -> str:
    url = reverse("grading:detail", args=[application.pk])
    return f"{url}#{anchor}" if anchor else url


def _back(request: HttpRequest, application: GradingApplication, anchor: str = "") -> HttpResponse:
    """Back to the case after a POST (htmx gets HX-Redirect, not a 302)."""
    url = _detail_url(application, anchor)
    if getattr(request, "htmx", False):
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


def _for_stage(request: HttpRequest, pk: int, action: str):
    """Return (application, None) if the user may review it now, else (None, a response).

    Outsiders get 404 and other roles 403 (``get_application_for_user``); the stage's own
    regulator whose case has meanwhile left the stage gets an error alert and the case page.
    """
    try:
        return get_application_for_user(request.user, pk, action), None
    except PermissionDenied:
        if request.user.role not in STAGE_ROLES[action]:
            raise
    application = get_application_for_user(request.user, pk, "view")
    messages.error(
        request,
        _("This can no longer be done: the application is now at '%(status)s'.")
        % {"status": application.get_status_display()},
    )
    return None, _back(request, application)


def _stale_round(request: HttpRequest, paper, application: GradingApplication) -> HttpResponse | None:
    """Refuse a click on a page that showed another round (or none) than the one now current."""
    posted = request.POST.get("round")
    if paper is None:
        messages.error(request, _("Nothing awaits this step now; reload the page to see where the case is."))
        return _back(request, application)
    if posted and posted != str(paper.round):
        messages.error(
            request, _("Someone else changed this case a moment ago; reload the page and try again.")
        )
        return _back(request, application)
    return None


def _action_page(request, application, *, title, form, action, button, intro="", summary=None, danger=False):
    """A one-form page: a refused comment, reason or answer comes back here with its input."""
    context = {
        "application": application,
        "title": title,
        "intro": intro,
        "form": form,
        "action": action,
        "button": button,
        "danger": danger,
        "summary": summary,
    }
    return render(request, "grading/review/action.html", context)


# --- The county opinion (初审意见) ----------------------------------------------------------------


def _opinion_page(request, application, form, *, opinion, alerts=()) -> HttpResponse:
    context = {
        "application": application,
        "form": form,
        "opinion": opinion,
        "alerts": list(alerts),
        "checks": form.checks,
        "preview_url": _reverse(
            "grading:document_preview", application.pk, GeneratedDocument.Kind.COUNTY_OPINION
        ),
    }
    return render(request, "grading/review/county_opinion.html", context)


def _opinion_form(request, application, opinion) -> CountyOpinionForm:
    checks = eligibility.evaluate(application)
    data = request.POST if request.method == "POST" and "basic_info_check" in request.POST else None
    form = CountyOpinionForm(data, checks=checks, opinion=opinion)
    form.checks = checks
    return form


def _save_opinion(request, application, form) -> CountyOpinion | None:
    try:
        return county_opinion_save(actor=request.user, application=application, data=form.service_data())
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


@GET_POST
def county_opinion_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The officer drafts or changes the 初审意见 (not while it is with the chief)."""
    application, moved = _for_stage(request, pk, "county_review")
    if moved:
        return moved
    opinion = current_county_opinion(application)
    if opinion is not None and opinion.status == OpinionStatus.SUBMITTED:
        messages.info(request, _("The opinion is with the chief; it can be changed once it is sent back."))
        return _back(request, application, "review-county")
    form = _opinion_form(request, application, opinion)
    if form.is_bound and form.is_valid() and _save_opinion(request, application, form):
        messages.success(request, _("Saved the draft opinion."))
        return _back(request, application, "review-county")
    return _opinion_page(request, application, form, opinion=opinion)


@require_POST
def county_opinion_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the opinion to the county chief; from the form page its fields are saved first."""
    application, moved = _for_stage(request, pk, "county_review")
    if moved:
        return moved
    opinion = current_county_opinion(application)
    form = _opinion_form(request, application, opinion)
    if form.is_bound:
        if not form.is_valid():
            return _opinion_page(request, application, form, opinion=opinion)
        opinion = _save_opinion(request, application, form)
        if opinion is None:
            return _opinion_page(request, application, form, opinion=opinion)
    elif (stale := _stale_round(request, opinion, application)) is not None:
        return stale
    try:
        county_opinion_submit(actor=request.user, opinion=opinion, comment=request.POST.get("comment", ""))
    except ValidationError as exc:
        if form.is_bound:
            add_service_errors(form, exc)
            return _opinion_page(request, application, form, opinion=opinion)
        return _opinion_page(request, application, form, opinion=opinion, alerts=exc.messages)
    except TransitionError as exc:
        messages.error(request, exc.message)
        return _back(request, application, "review-county")
    messages.success(request, _("The opinion went to the chief for approval."))
    return _back(request, application, "review-county")


def _chief_action(request, pk: int, *, stage: str, service, title: str, button: str, done: str):
    """Approve or send back the stage's paper with a comment (shared by the four chief views)."""
    application, moved = _for_stage(request, pk, stage)
    if moved:
        return moved
    county = stage == "county_review"
    paper = current_county_opinion(application) if county else current_city_decision(application)
    if (stale := _stale_round(request, paper, application)) is not None:
        return stale
    form = CommentForm(request.POST)
    anchor = "review-county" if county else "review-city"
    if form.is_valid():
        try:
            if county:
                service(actor=request.user, opinion=paper, comment=form.cleaned_data["comment"])
            else:
                service(actor=request.user, decision=paper, comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        except TransitionError as exc:
            messages.error(request, exc.message)
            return _back(request, application, anchor)
        else:
            messages.success(request, done)
            return _back(request, application, anchor)
    summary = {
        "template": "grading/review/_opinion_summary.html"
        if county
        else "grading/review/_decision_summary.html",
        "paper": Paper(paper, _conditions(paper, {})),
    }
    action = request.path
    return _action_page(
        request, application, title=title, form=form, action=action, button=button, summary=summary
    )


@require_POST
def county_opinion_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _chief_action(
        request,
        pk,
        stage="county_review",
        service=county_opinion_approve,
        title=_("Approve the preliminary review opinion"),
        button=_("Approve and forward to the city"),
        done=_("Approved the opinion; the application went to the city."),
    )


@require_POST
def county_opinion_send_back_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _chief_action(
        request,
        pk,
        stage="county_review",
        service=county_opinion_send_back,
        title=_("Send the opinion back to the officer"),
        button=_("Send back"),
        done=_("Sent the opinion back to the officer."),
    )


@GET_POST
def county_return_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Return the file to the enterprise with an itemised correction notice (一次性告知)."""
    application, moved = _for_stage(request, pk, "county_review")
    if moved:
        return moved
    posted = request.POST if request.method == "POST" else None
    form = CountyReturnForm(posted)
    rows = correction_formset(posted)
    if posted is not None and "more_rows" not in posted and form.is_valid() and rows.is_valid():
        try:
            application_county_return(
                actor=request.user,
                application=application,
                items=correction_rows(rows),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except TransitionError as exc:
            messages.error(request, exc.message)
            return _back(request, application, "review-county")
        else:
            messages.success(request, _("Returned the file to the enterprise with the correction notice."))
            return _back(request, application, "review-county")
    context = {"application": application, "form": form, "rows": rows, "stage": "county"}
    return render(request, "grading/review/county_return.html", context)


# --- Guidance, correction items ----------------------------------------------------------------


@GET_POST
def guidance_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A regulator writes guidance the enterprise reads (属地指导)."""
    application = get_application_for_user(request.user, pk, "guide")
    form = GuidanceForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            guidance_add(actor=request.user, application=application, text=form.cleaned_data["text"])
        except ValidationError as exc:
            add_service_errors(form, exc, "text")
        else:
            messages.success(request, _("The guidance was sent to the enterprise."))
            return _back(
                request,
                application,
                "review-city" if request.user.role in CITY_REVIEWERS else "review-county",
            )
    summary = {
        "template": "grading/review/_guidance_list.html",
        "guidance": application.guidance.select_related("author"),
    }
    return _action_page(
        request,
        application,
        title=_("Guidance for the enterprise"),
        intro=_("The enterprise's users read this on the application and are notified."),
        form=form,
        action=reverse("grading:guidance_add", args=[application.pk]),
        button=_("Send the guidance"),
        summary=summary,
    )


def _item(application: GradingApplication, item_pk: int, **filters) -> CorrectionItem:
    item = (
        CorrectionItem.objects.filter(request__application=application, pk=item_pk, **filters)
        .select_related("request__application__enterprise")
        .first()
    )
    if item is None:
        raise Http404
    return item


@require_POST
def correction_check_view(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """The stage's reviewer accepts an answered line of a correction notice, or reopens it."""
    item = _item(get_application_for_user(request.user, pk, "view"), item_pk)
    county = item.request.stage == CorrectionRequest.Stage.COUNTY
    application, moved = _for_stage(request, pk, "county_review" if county else "city_review")
    if moved:
        return moved
    anchor = "review-county" if county else "review-city"
    form = CorrectionCheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to accept the answer or reopen the item."))
        return _back(request, application, anchor)
    try:
        correction_check(actor=request.user, item=item, accepted=form.cleaned_data["accepted"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Item %(seq)s checked.") % {"seq": item.seq})
    return _back(request, application, anchor)


@require_POST
def county_correction_answer_view(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """The county answers a line of the city's notice returning the file to the county."""
    application, moved = _for_stage(request, pk, "county_review")
    if moved:
        return moved
    item = _item(application, item_pk, request__addressee=CorrectionRequest.Addressee.COUNTY)
    form = CorrectionAnswerForm(request.POST)
    if form.is_valid():
        try:
            correction_answer(actor=request.user, item=item, answer=form.cleaned_data["answer"])
        except ValidationError as exc:
            add_service_errors(form, exc, "answer")
        else:
            messages.success(request, _("Item %(seq)s answered.") % {"seq": item.seq})
            return _back(request, application, "review-county")
    return _action_page(
        request,
        application,
        title=_("Answer item %(seq)s of the city's notice") % {"seq": item.seq},
        intro=f"{item.subject}：{item.problem}",
        form=form,
        action=request.path,
        button=_("Save the answer"),
    )


# --- The city decision (再审) ---------------------------------------------------------------------


def _decision_forms(request, application, decision):
    checks = eligibility.evaluate(application)
    posted = request.POST if request.method == "POST" and "package_check" in request.POST else None
    form = CityDecisionForm(posted, checks=checks, decision=decision)
    form.checks = checks
    rows = correction_formset(posted, initial=decision.correction_items if decision else None)
    return form, rows


def _decision_page(request, application, form, rows, *, decision, alerts=()) -> HttpResponse:
    opinion = application.county_opinions.filter(status=OpinionStatus.APPROVED).order_by("-round").first()
    labels = {c.code: c.label for c in form.checks}
    context = {
        "application": application,
        "form": form,
        "rows": rows,
        "decision": decision,
        "alerts": list(alerts),
        "checks": form.checks,
        "county_opinion": Paper(opinion, _conditions(opinion, labels)) if opinion else None,
        "package": _package(application),
    }
    return render(request, "grading/review/city_decision.html", context)


def _save_decision(request, application, form, rows) -> CityDecision | None:
    try:
        return city_decision_save(
            actor=request.user, application=application, data=form.service_data(correction_rows(rows))
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


def _decision_ready(form, rows) -> bool:
    return "more_rows" not in form.data and form.is_valid() and rows.is_valid()


@GET_POST
def city_decision_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The 制造业科 officer drafts the re-review proposal (not while it is with the 科长)."""
    application, moved = _for_stage(request, pk, "city_review")
    if moved:
        return moved
    decision = current_city_decision(application)
    if decision is not None and decision.status == OpinionStatus.SUBMITTED:
        messages.info(request, _("The proposal is with the chief; it can be changed once it is sent back."))
        return _back(request, application, "review-city")
    form, rows = _decision_forms(request, application, decision)
    if form.is_bound and _decision_ready(form, rows) and _save_decision(request, application, form, rows):
        messages.success(request, _("Saved the draft proposal."))
        return _back(request, application, "review-city")
    return _decision_page(request, application, form, rows, decision=decision)


@require_POST
def city_decision_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the proposal to the 科长; from the form page its fields are saved first."""
    application, moved = _for_stage(request, pk, "city_review")
    if moved:
        return moved
    decision = current_city_decision(application)
    form, rows = _decision_forms(request, application, decision)
    if form.is_bound:
        if not _decision_ready(form, rows):
            return _decision_page(request, application, form, rows, decision=decision)
        decision = _save_decision(request, application, form, rows)
        if decision is None:
            return _decision_page(request, application, form, rows, decision=decision)
    elif (stale := _stale_round(request, decision, application)) is not None:
        return stale
    try:
        city_decision_submit(actor=request.user, decision=decision, comment=request.POST.get("comment", ""))
    except ValidationError as exc:
        if form.is_bound:
            add_service_errors(form, exc)
            return _decision_page(request, application, form, rows, decision=decision)
        return _decision_page(request, application, form, rows, decision=decision, alerts=exc.messages)
    except TransitionError as exc:
        messages.error(request, exc.message)
        return _back(request, application, "review-city")
    messages.success(request, _("The proposal went to the chief for approval."))
    return _back(request, application, "review-city")


@require_POST
def city_decision_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _chief_action(
        request,
        pk,
        stage="city_review",
        service=city_decision_approve,
        title=_("Approve the re-review proposal"),
        button=_("Approve"),
        done=_("Approved the proposal; the application moved on and the notice is being generated."),
    )


@require_POST
def city_decision_send_back_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _chief_action(
        request,
        pk,
        stage="city_review",
        service=city_decision_send_back,
        title=_("Send the proposal back to the officer"),
        button=_("Send back"),
        done=_("Sent the proposal back to the officer."),
    )


@GET_POST
def terminate_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The 科长 ends the case for a false commitment; the confirmation names the ban it starts."""
    application = get_application_for_user(request.user, pk, "transition")
    transition = APPLICATION_FLOW[TERMINATE]
    if request.user.role not in transition.roles:
        raise PermissionDenied
    if (refused := refusal(application, transition, request.user)) is not None:
        messages.error(request, refused)
        return _back(request, application)
    form = TerminateForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            application_terminate_false_commitment(
                actor=request.user, application=application, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc, "reason")
        except TransitionError as exc:
            messages.error(request, exc.message)
            return _back(request, application)
        else:
            messages.success(request, _("The application was terminated for a false commitment."))
            return _back(request, application)
    months = param_int("ban_false_commitment")
    intro = _(
        "Terminating %(number)s %(name)s for a false commitment closes the application for good and bars "
        "the enterprise from applying again for %(months)s months. The enterprise and the county are notified."
    ) % {"number": application.number, "name": application.enterprise.name, "months": months}
    return _action_page(
        request,
        application,
        title=_("Terminate the application: false commitment"),
        intro=intro,
        form=form,
        action=reverse("grading:terminate", args=[application.pk]),
        button=_("Terminate the application"),
        danger=True,
    )


urlpatterns = [
    path("<int:pk>/county-opinion/", county_opinion_view, name="county_opinion"),
    path("<int:pk>/county-opinion/submit/", county_opinion_submit_view, name="county_opinion_submit"),
    path("<int:pk>/county-opinion/approve/", county_opinion_approve_view, name="county_opinion_approve"),
    path(
        "<int:pk>/county-opinion/send-back/", county_opinion_send_back_view, name="county_opinion_send_back"
    ),
    path("<int:pk>/county-return/", county_return_view, name="county_return"),
    path("<int:pk>/guidance/", guidance_add_view, name="guidance_add"),
    path("<int:pk>/city-decision/", city_decision_view, name="city_decision"),
    path("<int:pk>/city-decision/submit/", city_decision_submit_view, name="city_decision_submit"),
    path("<int:pk>/city-decision/approve/", city_decision_approve_view, name="city_decision_approve"),
    path("<int:pk>/city-decision/send-back/", city_decision_send_back_view, name="city_decision_send_back"),
    path("<int:pk>/terminate/", terminate_view, name="terminate"),
    path("<int:pk>/corrections/<int:item_pk>/check/", correction_check_view, name="correction_check"),
    path(
        "<int:pk>/corrections/<int:item_pk>/county-answer/",
        county_correction_answer_view,
        name="county_correction_answer",
    ),
]
