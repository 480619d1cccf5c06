"""The plan's card on the grading case page, and the application's rectification moves.

The card (``lib.casepanels``, order 70) shows the plan's summary, its gate to publicity, the
rectification documents and the moves the person may make: the principal reports the
rectification done, the panel leader confirms it or sends it back (with the opinion), the
科长 decides it failed. Each move posts to a view here; a refusal shows the move's own page
with the Chinese message and the input kept; success goes back to the case page.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.roles import Role
from grading.models import GradingApplication, Status
from grading.permissions import get_application_for_user, is_own_enterprise
from grading.workflow import APPLICATION_FLOW
from lib import casepanels
from lib.forms import add_service_errors
from lib.workflow import TransitionError, refusal
from rectification.forms import PASS, ConfirmForm, FailForm, MoveForm
from rectification.permissions import leads_plan, plans_visible_to
from rectification.selectors import enterprise_flagged, plan_of, plan_progress
from rectification.services import (
    rectification_confirm,
    rectification_fail,
    rectification_submit,
)
from rectification.views.common import redirect_after_post
from rectification.views.plans import gate_view, plan_documents

GET_POST = require_http_methods(["GET", "POST"])
CARD_STATES = {Status.RECTIFYING, Status.RECTIFICATION_CHECK}


def _moves(user, application: GradingApplication, plan) -> dict[str, bool]:
    """Which of the three moves the user may make now (the services decide again)."""
    status = application.status
    return {
        "submit": status == Status.RECTIFYING
        and user.role == Role.ENTERPRISE_PRINCIPAL
        and is_own_enterprise(user, application),
        "confirm": status == Status.RECTIFICATION_CHECK and leads_plan(user, plan),
        "fail": status in CARD_STATES and user.role == Role.CITY_CHIEF,
    }


@casepanels.register("grading_application", order=70)
def plan_card(request: HttpRequest, application: GradingApplication) -> str | None:
    """The 一企一策 on the case page, for everyone who sees the case once there is a plan."""
    plan = plan_of(application)
    if plan is None and application.status not in CARD_STATES:
        return None
    context: dict[str, Any] = {
        "application": application,
        "plan": plan,
        "flagged": enterprise_flagged(application.enterprise_id),
        "moves": _moves(request.user, application, plan),
        "documents": plan_documents(application, request.user),
    }
    if plan is not None:
        context["progress"] = plan_progress(plan)
        context.update(gate_view(application))
        # A panel member who is not the leader sees the case, not the plan's pages.
        context["plan_visible"] = plans_visible_to(request.user).filter(pk=plan.pk).exists()
    return render_to_string("rectification/_plan_card.html", context, request=request)


# --- The moves -------------------------------------------------------------------------------

MOVES = {
    "submit": ("submit_rectification", MoveForm),
    "confirm": ("confirm_rectification", ConfirmForm),
    "fail": ("fail_rectification", FailForm),
}


def _move(
    request: HttpRequest,
    pk: int,
    move: str,
    call: Callable[[GradingApplication, dict], object],
    success: Callable[[dict], str],
) -> HttpResponse:
    """Check the move, call its service, report: the shared body of the three move views."""
    application = get_application_for_user(request.user, pk)
    plan = plan_of(application)
    name, form_class = MOVES[move]
    transition = APPLICATION_FLOW[name]
    allowed = {
        "submit": request.user.role == Role.ENTERPRISE_PRINCIPAL
        and is_own_enterprise(request.user, application),
        "confirm": leads_plan(request.user, plan),
        "fail": request.user.role == Role.CITY_CHIEF,
    }[move]
    if not allowed:
        raise PermissionDenied
    detail = reverse("grading:detail", args=[application.pk])
    if request.method == "GET":
        form = form_class(initial={"state": application.status})
    else:
        form = form_class(request.POST)
        seen = request.POST.get("state", "")
        if seen and seen != application.status:
            form.add_error(
                None, _("Someone else changed this case a moment ago; reload the page and try again.")
            )
        elif form.is_valid():
            try:
                call(application, form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc, keep_existing=True)
            except TransitionError as exc:  # the gate, a wrong state, or another click first
                form.add_error(None, exc.message)
            else:
                messages.success(request, success(form.cleaned_data))
                return redirect_after_post(request, detail)
    context = {
        "application": application,
        "plan": plan,
        "form": form,
        "transition": transition,
        "move": move,
        "refused": refusal(application, transition, request.user) if request.method == "GET" else None,
        "detail_url": detail,
    }
    if plan is not None:
        context["progress"] = plan_progress(plan)
        context.update(gate_view(application))
    return render(request, "rectification/move_form.html", context)


@GET_POST
def submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    def call(application, data):
        return rectification_submit(actor=request.user, application=application, comment=data["comment"])

    return _move(request, pk, "submit", call, lambda data: _("The rectification report is submitted."))


@GET_POST
def confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    def call(application, data):
        return rectification_confirm(
            actor=request.user,
            application=application,
            passed=data["decision"] == PASS,
            comment=data["comment"],
        )

    def success(data):
        if data["decision"] == PASS:
            return _("The rectification is confirmed; the case moves on to the result.")
        return _("The rectification is sent back to the enterprise.")

    return _move(request, pk, "confirm", call, success)


@GET_POST
def fail_view(request: HttpRequest, pk: int) -> HttpResponse:
    def call(application, data):
        return rectification_fail(actor=request.user, application=application, reason=data["reason"])

    return _move(request, pk, "fail", call, lambda data: _("The decision is recorded: not passed."))


@casepanels.register("enterprise_flag", order=10)
def enterprise_flag(request, enterprise) -> str | None:
    """The flag on the enterprise's page and its case pages while a major hazard is under 督办."""
    if not enterprise_flagged(enterprise.pk):
        return None
    return render_to_string("rectification/_flag.html", {"flagged": True}, request=request)
