"""A hazard's page and its loop: edit, progress, evidence, submit, verify, extensions, 督办.

Every view finds the hazard through ``get_hazard_for_user`` (404 outside scope), checks that
the person may do that kind of thing at all (403 otherwise, the service checks again), then
makes one service call. A refusal (a ValidationError, a move the state does not allow, a
second click) shows the hazard page again with the Chinese message on the form and the
input kept; success redirects to the page with a message.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lib.forms import add_service_errors
from lib.uploads import stored_file_response
from lib.workflow import TransitionError
from rectification.forms import (
    APPROVE,
    PASS,
    EscalationCloseForm,
    EscalationOpenForm,
    EvidenceForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    HazardForm,
    ProgressForm,
    SubmitForm,
    VerifyForm,
)
from rectification.models import EscalationOrder, ExtensionRequest, Hazard
from rectification.permissions import (
    CITY_STAFF,
    get_hazard_for_user,
    may_decide_extension,
    may_edit_plan_hazard,
    may_rectify,
    may_verify,
)
from rectification.selectors import enterprise_flagged, hazard_history
from rectification.services import (
    escalation_close,
    escalation_open,
    extension_decide,
    extension_request,
    five_assurances_missing,
    hazard_evidence_add,
    hazard_is_overdue,
    hazard_progress_add,
    hazard_start,
    hazard_submit,
    hazard_update,
    hazard_verify,
)
from rectification.views.common import redirect_after_post

H = Hazard.Status
WORKING = (H.PENDING, H.IN_PROGRESS)
FORMS: dict[str, type[forms.Form]] = {
    "progress_form": ProgressForm,
    "evidence_form": EvidenceForm,
    "submit_form": SubmitForm,
    "verify_form": VerifyForm,
    "extension_form": ExtensionRequestForm,
    "decision_form": ExtensionDecisionForm,
    "escalate_form": EscalationOpenForm,
    "deescalate_form": EscalationCloseForm,
}
ACTION_OF = {
    "progress_form": "progress",
    "evidence_form": "evidence",
    "submit_form": "submit",
    "verify_form": "verify",
    "extension_form": "extension",
    "decision_form": "decide",
    "escalate_form": "escalate",
    "deescalate_form": "deescalate",
}


def _url(hazard: Hazard, anchor: str = "") -> str:
    url = reverse("rectification:hazard", args=[hazard.pk])
    return f"{url}#{anchor}" if anchor else url


def actions(user, hazard: Hazard, pending: ExtensionRequest | None, order: EscalationOrder | None) -> dict:
    """What this person may do to the hazard now (the buttons; the services decide again)."""
    fixing = may_rectify(user, hazard)
    finding = may_edit_plan_hazard(user, hazard)
    is_open = hazard.status != H.CLOSED
    city = user.role in CITY_STAFF
    return {
        "edit": is_open and (fixing or finding),
        "start": fixing and hazard.status == H.PENDING,
        "progress": fixing and hazard.status in WORKING,
        "evidence": fixing and hazard.status in WORKING,
        "submit": fixing and hazard.status in WORKING,
        "verify": hazard.status == H.AWAITING_VERIFICATION and may_verify(user, hazard),
        "extension": fixing and is_open and pending is None,
        "decide": pending is not None and may_decide_extension(user, hazard),
        "escalate": city and is_open and order is None,
        "deescalate": city and order is not None,
    }


def hazard_context(request: HttpRequest, hazard: Hazard, **bound) -> dict[str, Any]:
    """Everything the hazard page shows; ``bound`` replaces a form that came back refused."""
    today = timezone.localdate()
    extensions = list(hazard.extensions.select_related("requested_by", "decided_by"))
    pending = next((x for x in extensions if x.status == ExtensionRequest.Status.PENDING), None)
    escalations = list(hazard.escalations.select_related("opened_by", "closed_by"))
    order = next((o for o in escalations if o.status == EscalationOrder.Status.OPEN), None)
    can = actions(request.user, hazard, pending, order)
    for key, form in bound.items():
        # A refused form stays on the page with its message and the input, even when the
        # state no longer offers the action; one whose target is gone reports by message.
        if (key == "decision_form" and pending is None) or (key == "deescalate_form" and order is None):
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        else:
            can[ACTION_OF[key]] = True
    context: dict[str, Any] = {
        "hazard": hazard,
        "enterprise": hazard.enterprise,
        "plan": hazard.plan,
        "overdue": hazard_is_overdue(hazard, today),
        "flagged": enterprise_flagged(hazard.enterprise_id),
        "evidence": list(hazard.evidence.select_related("uploaded_by")),
        "progress_reports": list(hazard.progress.select_related("author")),
        "extensions": extensions,
        "pending_extension": pending,
        "escalations": escalations,
        "open_order": order,
        "history": hazard_history(hazard),
        "five_missing": five_assurances_missing(hazard),
        "can": can,
    }
    for key, form_class in FORMS.items():
        context[key] = bound.get(key) or form_class()
    return context


def render_hazard(request: HttpRequest, hazard: Hazard, **bound) -> HttpResponse:
    return render(request, "rectification/hazard_detail.html", hazard_context(request, hazard, **bound))


@require_GET
def hazard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_hazard(request, get_hazard_for_user(request.user, pk))


@require_GET
def hazard_history_fragment(request: HttpRequest, pk: int) -> HttpResponse:
    """A hazard's history alone (the plan page unfolds it with htmx)."""
    hazard = get_hazard_for_user(request.user, pk)
    return render(
        request, "rectification/_history.html", {"hazard": hazard, "history": hazard_history(hazard)}
    )


@require_GET
def evidence_download(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    """A photo or document of the hazard, for whoever sees the hazard (404 for the rest)."""
    hazard = get_hazard_for_user(request.user, pk)
    evidence = hazard.evidence.filter(pk=evidence_pk).first()
    if evidence is None:
        raise Http404
    return stored_file_response(evidence.file, evidence.original_name)


# --- Editing ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def hazard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The finding side (leader, city; for its own register the enterprise or the county) edits
    the finding; the enterprise the fix."""
    hazard = get_hazard_for_user(request.user, pk)
    finding = may_edit_plan_hazard(request.user, hazard)
    fixing = may_rectify(request.user, hazard)
    if not (finding or fixing):
        raise PermissionDenied
    keep = HazardForm.keep_for(
        finding=finding, fixing=fixing, plan=hazard.plan_id is not None, pending=hazard.status == H.PENDING
    )
    if request.method == "POST":
        form = HazardForm(request.POST, keep=keep)
        if form.is_valid():
            try:
                hazard_update(actor=request.user, hazard=hazard, data=form.hazard_in())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The hazard is saved."))
                return redirect_after_post(request, _url(hazard))
    else:
        form = HazardForm(keep=keep, initial=HazardForm.initial_for(hazard))
    context = {
        "hazard": hazard,
        "form": form,
        "flagged": enterprise_flagged(hazard.enterprise_id),
        "deadline_locked": finding and "deadline" not in form.fields,
    }
    return render(request, "rectification/hazard_edit.html", context)


# --- The loop ---------------------------------------------------------------------------------


def _act(
    request: HttpRequest,
    hazard: Hazard,
    key: str,
    call: Callable[[dict], object],
    success: str,
    *,
    default_field: str | None = None,
    anchor: str = "",
) -> HttpResponse:
    """Validate the action's form, call its service, report: the body of every action view."""
    form = FORMS[key](request.POST, request.FILES or None)
    if form.is_valid():
        try:
            result = call(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc, default_field, keep_existing=True)
        except TransitionError as exc:  # the state does not allow it, or another click moved it first
            form.add_error(None, exc.message)
        else:
            if result is False:  # a compare-and-set that found the work already done
                messages.info(request, _("This was already decided; nothing changed."))
            else:
                messages.success(request, success)
            return redirect_after_post(request, _url(hazard, anchor))
    return render_hazard(request, hazard, **{key: form})


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


@require_POST
def hazard_start_view(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = get_hazard_for_user(request.user, pk)
    _require(may_rectify(request.user, hazard))
    try:
        hazard_start(actor=request.user, hazard=hazard)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except TransitionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The rectification has started."))
    return redirect_after_post(request, _url(hazard))


@require_POST
def progress_view(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = get_hazard_for_user(request.user, pk)
    _require(may_rectify(request.user, hazard))

    def call(data):
        return hazard_progress_add(
            actor=request.user, hazard=hazard, note=data["note"], percent=data.get("percent")
        )

    return _act(request, hazard, "progress_form", call, _("The progress is reported."), anchor="progress")


@require_POST
def evidence_view(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = get_hazard_for_user(request.user, pk)
    _require(may_rectify(request.user, hazard))

    def call(data):
        return hazard_evidence_add(
            actor=request.user, hazard=hazard, file=data["file"], kind=data["kind"], note=data["note"]
        )

    return _act(
        request,
        hazard,
        "evidence_form",
        call,
        _("The file is attached."),
        default_field="file",
        anchor="evidence",
    )


@require_POST
def submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = get_hazard_for_user(request.user, pk)
    _require(may_rectify(request.user, hazard))

    def call(data):
        return hazard_submit(actor=request.user, hazard=hazard, comment=data["comment"])

    return _act(request, hazard, "submit_form", call, _("The rectification is submitted for verification."))


@require_POST
def verify_view(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = get_hazard_for_user(request.user, pk)
    _require(may_verify(request.user, hazard))

    def call(data):
        return hazard_verify(
            actor=request.user, hazard=hazard, passed=data["decision"] == PASS, note=data["note"]
        )

    return _act(request, hazard, "verify_form", call, _("The verification is recorded."))


@require_POST
def extension_request_view(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = get_hazard_for_user(request.user, pk)
    _require(may_rectify(request.user, hazard))

    def call(data):
        return extension_request(
            actor=request.user,
            hazard=hazard,
            requested_deadline=data["requested_deadline"],
            reason=data["reason"],
        )

    return _act(
        request,
        hazard,
        "extension_form",
        call,
        _("The extension is requested; the city decides."),
        anchor="extensions",
    )


@require_POST
def extension_decide_view(request: HttpRequest, pk: int, extension_pk: int) -> HttpResponse:
    hazard = get_hazard_for_user(request.user, pk)
    _require(may_decide_extension(request.user, hazard))
    extension = hazard.extensions.filter(pk=extension_pk).first()
    if extension is None:
        raise Http404

    def call(data):
        return extension_decide(
            actor=request.user, extension=extension, approve=data["decision"] == APPROVE, note=data["note"]
        )

    return _act(request, hazard, "decision_form", call, _("The decision is recorded."), anchor="extensions")


@require_POST
def escalation_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = get_hazard_for_user(request.user, pk)
    _require(request.user.role in CITY_STAFF)

    def call(data):
        return escalation_open(actor=request.user, hazard=hazard, reason=data["reason"])

    return _act(request, hazard, "escalate_form", call, _("The hazard is under supervision (督办)."))


@require_POST
def escalation_close_view(request: HttpRequest, pk: int, order_pk: int) -> HttpResponse:
    hazard = get_hazard_for_user(request.user, pk)
    _require(request.user.role in CITY_STAFF)
    order = hazard.escalations.filter(pk=order_pk).first()
    if order is None:
        raise Http404

    def call(data):
        return escalation_close(
            actor=request.user,
            order=order,
            assessment=data["assessment"],
            resume_request=data["resume_request"],
        )

    return _act(request, hazard, "deescalate_form", call, _("The supervision (督办) is closed."))
