"""Revocation cases (撤销): the list and one case with its history and the 科长's decision.

The city roles read every case, a county bureau those of its division's certificates
(``permissions.revocations_visible_to``); everyone else gets 404. Only the 科长 decides: revoke
(the certificate is revoked, the ban starts, a revocation announcement is issued) or dismiss,
with the reasons.
"""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import COUNTY_ROLES, Role
from lib.workflow import available_transitions
from results import services
from results.forms import REVOKE, RevocationDecideForm, RevocationFilterForm
from results.models import RevocationCase
from results.permissions import CITY_READERS, get_revocation_for_user
from results.selectors import revocation_list
from results.views.common import call_service, history, redirect_after_post, require, require_reader
from results.workflow import REVOCATION_FLOW

REVOCATION_READERS = CITY_READERS | COUNTY_ROLES


def _url(case: RevocationCase) -> str:
    return reverse("results:revocation", args=[case.pk])


@require_GET
def revocation_list_view(request: HttpRequest) -> HttpResponse:
    require_reader(request.user, REVOCATION_READERS)
    form = RevocationFilterForm(request.GET)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    rows = revocation_list(user=request.user, status=status).select_related("flagged_by")
    page_obj = Paginator(rows, settings.LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page_obj, "rows": list(page_obj)}
    return render(request, "results/revocation_list.html", context)


def render_case(request: HttpRequest, case: RevocationCase, form=None) -> HttpResponse:
    can_decide = bool(available_transitions(case, REVOCATION_FLOW, request.user))
    context = {
        "case": case,
        "certificate": case.certificate,
        "history": history(case.transitions.select_related("actor"), REVOCATION_FLOW),
        "can_decide": can_decide or form is not None,
        "form": form or RevocationDecideForm(initial={"state": case.status}),
    }
    return render(request, "results/revocation_detail.html", context)


@require_GET
def revocation_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_revocation_for_user(request.user, pk)
    return render_case(request, case)


@require_POST
def revocation_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_revocation_for_user(request.user, pk)
    require(request.user.role == Role.CITY_CHIEF)
    form = RevocationDecideForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        revoke = data["decision"] == REVOKE
        ok, _result = call_service(
            request,
            form,
            lambda: services.revocation_decide(
                actor=request.user, case=case, revoke=revoke, reason=data["reason"]
            ),
            default_field="reason",
            seen_state=data.get("state"),
            current_state=case.status,
        )
        if ok:
            messages.success(
                request,
                _("The certificate is revoked and the revocation announcement is issued.")
                if revoke
                else _("The flag is dismissed."),
            )
            return redirect_after_post(request, _url(case))
    return render_case(request, case, form)
