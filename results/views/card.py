"""The result card on the grading case page, and the 科长's "not passed" decision.

The card (``lib.casepanels``, order 80, after the rectification plan's) shows an application in
result confirmation, on publicity, in objection check or announced: the publicity batches it
was listed in with their windows, its objections (counted for the city only: objections are the
city's work), and its certificate. For the 科长, while the result awaits confirmation, it holds
the "decide: not passed" form (reasons required).
"""

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.roles import Role
from grading.models import GradingApplication, Status
from grading.permissions import get_application_for_user
from grading.workflow import APPLICATION_FLOW
from lib import casepanels
from lib.workflow import refusal
from results import services
from results.forms import ResultFailForm
from results.models import Certificate, PublicityEntry
from results.permissions import CITY_READERS, certificates_visible_to
from results.views.common import call_service, is_city_staff, redirect_after_post, require

CARD_STATES = {Status.RESULT_CONFIRMATION, Status.PUBLICITY, Status.OBJECTION_CHECK, Status.ANNOUNCED}


def _may_fail(user, application: GradingApplication) -> bool:
    return user.role == Role.CITY_CHIEF and application.status == Status.RESULT_CONFIRMATION


@casepanels.register("grading_application", order=80)
def result_card(request: HttpRequest, application: GradingApplication) -> str | None:
    """Publicity, objections and the certificate of the case, for everyone who sees the case."""
    if application.status not in CARD_STATES:
        return None
    user = request.user
    entries = list(
        PublicityEntry.objects.filter(application=application)
        .select_related("batch")
        .annotate(objection_count=Count("objections"))
        .order_by("batch__created_at", "pk")
    )
    certificate = Certificate.objects.filter(application=application).first()
    context = {
        "application": application,
        "entries": entries,
        "city_reader": user.role in CITY_READERS,
        "certificate": certificate,
        "certificate_visible": certificate is not None
        and certificates_visible_to(user).filter(pk=certificate.pk).exists(),
        "can_list": is_city_staff(user) and application.status == Status.RESULT_CONFIRMATION,
        "can_fail": _may_fail(user, application),
        "fail_form": ResultFailForm(prefix="fail", initial={"state": application.status}),
    }
    return render_to_string("results/_result_card.html", context, request=request)


@require_http_methods(["GET", "POST"])
def result_fail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The 科长 decides the result: not passed (result confirmation → not passed; the ban starts)."""
    application = get_application_for_user(request.user, pk)
    require(request.user.role == Role.CITY_CHIEF)
    transition = APPLICATION_FLOW["fail_result"]
    detail = reverse("grading:detail", args=[application.pk])
    if request.method == "GET":
        form = ResultFailForm(prefix="fail", initial={"state": application.status})
    else:
        form = ResultFailForm(request.POST, prefix="fail")
        if form.is_valid():
            data = form.cleaned_data
            ok, _result = call_service(
                request,
                form,
                lambda: services.result_fail(
                    actor=request.user, application=application, reason=data["reason"]
                ),
                default_field="reason",
                seen_state=data.get("state"),
                current_state=application.status,
            )
            if ok:
                messages.success(request, _("The decision is recorded: not passed."))
                return redirect_after_post(request, detail)
    context = {
        "application": application,
        "form": form,
        "transition": transition,
        "refused": refusal(application, transition, request.user) if request.method == "GET" else None,
        "detail_url": detail,
    }
    return render(request, "results/result_fail.html", context)
