"""The 一企一策 page of a plan, the enterprise's whole register, and recording a new hazard.

A plan is found through ``get_plan_for_user`` (404 outside scope: another division, an expert
not leading it, another enterprise). Recording a hazard is the service's decision: the leader
(or the city) adds one to a plan; an enterprise records one it found itself (自查); a county
or city officer one found on inspection (执法). Others get 403.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.roles import COUNTY_ROLES, ENTERPRISE_ROLES
from enterprises.models import Enterprise
from enterprises.permissions import visible_to as enterprises_visible_to
from grading.models import GeneratedDocument
from grading.selectors import application_documents
from lib.forms import add_service_errors
from rectification.forms import HazardForm
from rectification.models import Hazard, RectificationPlan
from rectification.permissions import CITY_STAFF, get_plan_for_user, leads_plan, plans_visible_to
from rectification.selectors import (
    LedgerFilters,
    enterprise_flagged,
    ledger,
    plan_progress,
    with_flags,
)
from rectification.services import hazard_create, plan_gate
from rectification.views.common import redirect_after_post

GET_POST = require_http_methods(["GET", "POST"])
RECTIFICATION_DOCUMENTS = (
    GeneratedDocument.Kind.RECTIFICATION_NOTICE,
    GeneratedDocument.Kind.RECTIFICATION_CHECK_OPINION,
)


def plan_documents(application, user) -> list[GeneratedDocument]:
    """The 整改通知书 and 整改复查意见 versions of the case the user may read, newest first."""
    return [d for d in application_documents(application, user=user) if d.kind in RECTIFICATION_DOCUMENTS]


def gate_view(application) -> dict[str, Any]:
    """The gate to publicity as the pages show it: the rule that holds and what is still open."""
    gate = plan_gate(application)
    still_open = with_flags(Hazard.objects.filter(pk__in=gate.still_open)).order_by("deadline", "pk")
    return {
        "gate": gate,
        "blocking": set(gate.blocking),
        "still_open": set(gate.still_open),
        "gate_hazards": list(still_open) if gate.still_open else [],
    }


def may_add_to_plan(user, plan: RectificationPlan) -> bool:
    return plan.status == RectificationPlan.Status.OPEN and (
        leads_plan(user, plan) or user.role in CITY_STAFF
    )


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """一企一策: the plan, its progress and gate, each hazard with its history to unfold."""
    plan = get_plan_for_user(request.user, pk)
    application = plan.application
    hazards = with_flags(
        plan.hazards.select_related("basis_clause", "item", "verified_by"), timezone.localdate()
    ).order_by("deadline", "pk")
    context = {
        "plan": plan,
        "application": application,
        "enterprise": plan.enterprise,
        "hazards": list(hazards),
        "progress": plan_progress(plan),
        "flagged": enterprise_flagged(plan.enterprise_id),
        "documents": plan_documents(application, request.user),
        "can_add": may_add_to_plan(request.user, plan),
        **gate_view(application),
    }
    return render(request, "rectification/plan_detail.html", context)


def _enterprise_for_user(user, pk) -> Enterprise:
    """The enterprise if the user sees it, or leads a plan of it (404 otherwise)."""
    enterprise = enterprises_visible_to(user).select_related("region").filter(pk=pk).first()
    if enterprise is None and plans_visible_to(user).filter(enterprise_id=pk).exists():
        enterprise = Enterprise.objects.select_related("region").filter(pk=pk).first()
    if enterprise is None:
        raise Http404
    return enterprise


def may_record_hazard(user, enterprise: Enterprise) -> bool:
    """Who records a hazard outside a plan: the enterprise itself (自查), its regulators (执法)."""
    if user.role in ENTERPRISE_ROLES:
        return user.organisation_id == enterprise.organisation_id
    return (
        user.role in COUNTY_ROLES | CITY_STAFF
        and enterprises_visible_to(user).filter(pk=enterprise.pk).exists()
    )


@require_GET
def enterprise_register(request: HttpRequest, pk: int) -> HttpResponse:
    """The enterprise's whole register: its plans and every hazard (review, self-check, inspection)."""
    enterprise = _enterprise_for_user(request.user, pk)
    plans = list(plans_visible_to(request.user).filter(enterprise=enterprise).select_related("application"))
    hazards = ledger(user=request.user, filters=LedgerFilters(enterprise=enterprise.pk))
    page_obj = Paginator(hazards, settings.LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "enterprise": enterprise,
        "plans": [(p, plan_progress(p)) for p in plans],
        "page_obj": page_obj,
        "rows": list(page_obj),
        "flagged": enterprise_flagged(enterprise.pk),
        "can_record": may_record_hazard(request.user, enterprise),
    }
    return render(request, "rectification/enterprise_register.html", context)


def _hazard_form_page(request, *, enterprise, plan, keep, cancel_url: str) -> HttpResponse:
    form = HazardForm(request.POST if request.method == "POST" else None, keep=keep)
    if request.method == "POST" and form.is_valid():
        try:
            hazard = hazard_create(
                actor=request.user, enterprise=enterprise, data=form.hazard_in(), plan=plan
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The hazard is recorded in the ledger."))
            return redirect_after_post(request, reverse("rectification:hazard", args=[hazard.pk]))
    context = {"form": form, "enterprise": enterprise, "plan": plan, "cancel_url": cancel_url}
    return render(request, "rectification/hazard_new.html", context)


@GET_POST
def plan_hazard_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The leader (or the city) adds a hazard to the plan."""
    plan = get_plan_for_user(request.user, pk)
    if not (leads_plan(request.user, plan) or request.user.role in CITY_STAFF):
        raise PermissionDenied
    keep = HazardForm.keep_for(finding=True, fixing=False, creating=True, plan=True)
    cancel = reverse("rectification:plan", args=[plan.pk])
    return _hazard_form_page(request, enterprise=plan.enterprise, plan=plan, keep=keep, cancel_url=cancel)


@GET_POST
def enterprise_hazard_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The enterprise records a hazard it found (自查); a county or city officer one found on
    inspection (执法)."""
    enterprise = _enterprise_for_user(request.user, pk)
    if not may_record_hazard(request.user, enterprise):
        raise PermissionDenied
    own = request.user.role in ENTERPRISE_ROLES
    keep = HazardForm.keep_for(finding=True, fixing=own, creating=True)
    cancel = reverse("rectification:enterprise", args=[enterprise.pk])
    return _hazard_form_page(request, enterprise=enterprise, plan=None, keep=keep, cancel_url=cancel)
