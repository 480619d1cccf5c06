"""Pages of the expert pool: list, detail, create and edit, status, the expert's own profile,
declarations, certificates, ratings, change-request decisions, export and import.

Every page goes through get_expert_for_user / get_own_expert / require_pool_viewer, so
county and enterprise users get 404 and an expert sees only his own profile.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from experts.exports import render_expert_list_xlsx, render_import_template_xlsx
from experts.forms import (
    CertificateForm,
    DecisionForm,
    ExpertFilterForm,
    ExpertProfileForm,
    ExpertSelfForm,
    ImportForm,
    RatingForm,
    RelationForm,
    StatusForm,
    UnavailabilityForm,
)
from experts.imports import IMPORT_JOB_KIND
from experts.models import Expert
from experts.permissions import (
    can_act,
    can_decide_changes,
    can_manage_experts,
    can_see_ratings,
    get_expert_for_user,
    get_own_expert,
    is_expert_user,
    is_own_profile,
    require_expert_manager,
    require_pool_viewer,
)
from experts.selectors import (
    change_request_lines,
    change_request_queue,
    expert_certificates,
    expert_change_requests,
    expert_history,
    expert_list,
    expert_ratings,
    expert_relations,
    expert_unavailabilities,
    import_template_values,
    pending_change_request,
    rating_summary,
)
from experts.services import (
    expert_certificate_add,
    expert_certificate_remove,
    expert_change_request_decide,
    expert_create,
    expert_rate,
    expert_relation_add,
    expert_relation_remove,
    expert_relation_update,
    expert_self_update,
    expert_set_status,
    expert_unavailability_add,
    expert_unavailability_remove,
    expert_update,
)
from jobs.services import job_create
from lib.forms import add_service_errors
from lib.uploads import stored_file_response
from lib.xlsx import xlsx_response


def _back(request: HttpRequest, expert: Expert) -> HttpResponse:
    """After a change: the expert returns to his own page, the section to the expert's."""
    if is_own_profile(request.user, expert):
        return redirect("experts:me")
    return redirect("experts:detail", pk=expert.pk)


def _profile_context(user, expert: Expert) -> dict[str, Any]:
    """What the detail page and "My profile" show about one expert the user may see."""
    today = timezone.localdate()
    see_ratings = can_see_ratings(user)
    requests = list(expert_change_requests(expert)[:20])
    return {
        "expert": expert,
        "today": today,
        "certificates": expert_certificates(expert, today=today),
        "relations": expert_relations(expert),
        "unavailabilities": expert_unavailabilities(expert, today=today),
        "summary": rating_summary(expert),
        "ratings": expert_ratings(expert) if see_ratings else None,
        "change_requests": [(r, change_request_lines(r)) for r in requests],
        "history": expert_history(expert=expert, include_ratings=see_ratings),
        "own": is_own_profile(user, expert),
        "can_edit": can_act(user, expert, "edit"),
        "can_declare": can_act(user, expert, "declare"),
        "can_certify": can_act(user, expert, "certify"),
        "can_rate": can_act(user, expert, "rate"),
        "can_decide": can_decide_changes(user),
        "decision_form": DecisionForm() if can_decide_changes(user) else None,
    }


# --- The pool ---------------------------------------------------------------------


@require_GET
def expert_list_view(request: HttpRequest) -> HttpResponse:
    """The pool: filters and pages on the server; htmx gets only the table fragment."""
    if is_expert_user(request.user):
        return redirect("experts:me")
    require_pool_viewer(request.user)
    form = ExpertFilterForm(request.GET, user=request.user)
    experts = expert_list(user=request.user, filters=form.filters())
    context = {
        "form": form,
        "page_obj": Paginator(experts, settings.LIST_PAGE_SIZE).get_page(request.GET.get("page")),
        "can_manage": can_manage_experts(request.user),
        "pending_count": change_request_queue(user=request.user).count()
        if can_decide_changes(request.user)
        else 0,
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "experts/_list_table.html", context)
    return render(request, "experts/expert_list.html", context)


@require_GET
def expert_export(request: HttpRequest) -> HttpResponse:
    """Excel of the filtered list in the user's scope, ID numbers masked."""
    require_pool_viewer(request.user)
    form = ExpertFilterForm(request.GET, user=request.user)
    experts = expert_list(user=request.user, filters=form.filters())
    workbook = render_expert_list_xlsx(experts.iterator(chunk_size=1000))
    filename = _("Experts %(date)s.xlsx") % {"date": timezone.localdate().strftime("%Y%m%d")}
    return xlsx_response(workbook, filename)


@require_GET
def change_request_list(request: HttpRequest) -> HttpResponse:
    """The pending qualification changes of the pool, oldest first."""
    require_pool_viewer(request.user)
    queue = [(r, change_request_lines(r)) for r in change_request_queue(user=request.user)[:200]]
    return render(
        request,
        "experts/change_request_list.html",
        {"queue": queue, "can_decide": can_decide_changes(request.user), "decision_form": DecisionForm()},
    )


@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    require_pool_viewer(request.user)
    require_expert_manager(request.user)
    workbook = render_import_template_xlsx(**import_template_values(user=request.user))
    return xlsx_response(workbook, _("Expert import template.xlsx"))


@require_http_methods(["GET", "POST"])
def expert_import_view(request: HttpRequest) -> HttpResponse:
    """Upload a filled-in template; the import runs as a background job with its own page."""
    require_pool_viewer(request.user)
    require_expert_manager(request.user)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        job = job_create(actor=request.user, kind=IMPORT_JOB_KIND, input_file=form.cleaned_data["file"])
        return redirect("jobs:detail", pk=job.pk)
    return render(request, "experts/expert_import.html", {"form": form})


# --- One expert --------------------------------------------------------------------


@require_GET
def expert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    expert = get_expert_for_user(request.user, pk, "view")
    return render(request, "experts/expert_detail.html", _profile_context(request.user, expert))


@require_http_methods(["GET", "POST"])
def expert_create_view(request: HttpRequest) -> HttpResponse:
    require_pool_viewer(request.user)
    require_expert_manager(request.user)
    form = ExpertProfileForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        expert = expert_create(actor=request.user, **form.service_data())
        messages.success(request, _("Added %(name)s to the pool.") % {"name": expert.name})
        return redirect("experts:detail", pk=expert.pk)
    return render(request, "experts/expert_form.html", {"form": form, "expert": None})


@require_http_methods(["GET", "POST"])
def expert_edit(request: HttpRequest, pk: int) -> HttpResponse:
    expert = get_expert_for_user(request.user, pk, "edit")
    form = ExpertProfileForm(
        request.POST if request.method == "POST" else None, user=request.user, instance=expert
    )
    if request.method == "POST" and form.is_valid():
        expert_update(actor=request.user, expert=expert, data=form.service_data())
        messages.success(request, _("Saved the changes to %(name)s.") % {"name": expert.name})
        return redirect("experts:detail", pk=expert.pk)
    return render(request, "experts/expert_form.html", {"form": form, "expert": expert})


@require_http_methods(["GET", "POST"])
def expert_status(request: HttpRequest, pk: int) -> HttpResponse:
    expert = get_expert_for_user(request.user, pk, "status")
    form = StatusForm(request.POST or None, initial={"status": expert.status})
    if request.method == "POST" and form.is_valid():
        try:
            expert_set_status(actor=request.user, expert=expert, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changed the status of %(name)s.") % {"name": expert.name})
            return redirect("experts:detail", pk=expert.pk)
    return _subform(request, expert, form, _("Change the status"), "status")


@require_http_methods(["GET", "POST"])
def expert_me(request: HttpRequest) -> HttpResponse:
    """The expert's own profile: contact changes apply at once, qualifications go to the city."""
    expert = get_own_expert(request.user)
    form = ExpertSelfForm(request.POST or None, expert=expert, pending=pending_change_request(expert))
    if request.method == "POST" and form.is_valid():
        result = expert_self_update(actor=request.user, expert=expert, data=form.service_data())
        if result.change_request is not None:
            messages.info(request, _("Saved. Your qualification changes wait for the city's approval."))
        else:
            messages.success(request, _("Saved your profile."))
        return redirect("experts:me")
    context = {**_profile_context(request.user, expert), "form": form}
    return render(request, "experts/expert_me.html", context)


def _subform(request: HttpRequest, expert: Expert, form, title: str, kind: str, **extra: Any) -> HttpResponse:
    context = {
        "expert": expert,
        "form": form,
        "title": title,
        "kind": kind,
        "own": is_own_profile(request.user, expert),
    }
    return render(request, "experts/expert_subform.html", {**context, **extra})


def _save(request: HttpRequest, form, call) -> bool:
    """Run the service if the form is valid; show its refusal on the form. Return success."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True


# --- Declarations ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def unavailability_add(request: HttpRequest, pk: int) -> HttpResponse:
    expert = get_expert_for_user(request.user, pk, "declare")
    form = UnavailabilityForm(request.POST or None)
    if _save(request, form, lambda d: expert_unavailability_add(actor=request.user, expert=expert, **d)):
        messages.success(request, _("Recorded the unavailable period."))
        return _back(request, expert)
    return _subform(request, expert, form, _("Add unavailable dates"), "unavailability")


@require_POST
def unavailability_remove(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    expert = get_expert_for_user(request.user, pk, "declare")
    period = get_object_or_404(expert.unavailabilities.all(), pk=item_id)
    expert_unavailability_remove(actor=request.user, unavailability=period)
    messages.success(request, _("Removed the unavailable period."))
    return _back(request, expert)


@require_http_methods(["GET", "POST"])
def relation_add(request: HttpRequest, pk: int) -> HttpResponse:
    expert = get_expert_for_user(request.user, pk, "declare")
    form = RelationForm(request.POST or None)
    if _save(request, form, lambda d: expert_relation_add(actor=request.user, expert=expert, **d)):
        messages.success(request, _("Recorded the declared relation."))
        return _back(request, expert)
    return _subform(request, expert, form, _("Declare a relation"), "relation")


@require_http_methods(["GET", "POST"])
def relation_edit(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    expert = get_expert_for_user(request.user, pk, "declare")
    relation = get_object_or_404(expert.relations.all(), pk=item_id)
    form = RelationForm(request.POST or None, instance=relation)
    if _save(request, form, lambda d: expert_relation_update(actor=request.user, relation=relation, data=d)):
        messages.success(request, _("Saved the declared relation."))
        return _back(request, expert)
    return _subform(request, expert, form, _("Change a declared relation"), "relation")


@require_POST
def relation_remove(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    expert = get_expert_for_user(request.user, pk, "declare")
    relation = get_object_or_404(expert.relations.all(), pk=item_id)
    expert_relation_remove(actor=request.user, relation=relation)
    messages.success(request, _("Removed the declared relation."))
    return _back(request, expert)


# --- Certificates -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def certificate_add(request: HttpRequest, pk: int) -> HttpResponse:
    expert = get_expert_for_user(request.user, pk, "certify")
    form = CertificateForm(request.POST or None, request.FILES or None)
    if _save(request, form, lambda d: expert_certificate_add(actor=request.user, expert=expert, **d)):
        if is_own_profile(request.user, expert):
            messages.info(request, _("Added the certificate; it counts once the city approves it."))
        else:
            messages.success(request, _("Recorded the certificate."))
        return _back(request, expert)
    return _subform(request, expert, form, _("Add a certificate"), "certificate", multipart=True)


@require_POST
def certificate_remove(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    expert = get_expert_for_user(request.user, pk, "certify")
    certificate = get_object_or_404(expert.certificates.all(), pk=item_id)
    try:
        certificate = expert_certificate_remove(actor=request.user, certificate=certificate)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(request, expert)
    if certificate.state == certificate.State.REMOVED:
        messages.success(request, _("Removed the certificate."))
    else:
        messages.info(request, _("Asked to remove the certificate; the city decides."))
    return _back(request, expert)


@require_GET
def certificate_file(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    expert = get_expert_for_user(request.user, pk, "view")
    certificate = get_object_or_404(expert.certificates.all(), pk=item_id)
    if not certificate.file:
        raise Http404
    return stored_file_response(certificate.file, certificate.original_name or certificate.file.name)


# --- Ratings and decisions ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def expert_rate_view(request: HttpRequest, pk: int) -> HttpResponse:
    expert = get_expert_for_user(request.user, pk, "rate")
    form = RatingForm(request.POST or None)
    if _save(request, form, lambda d: expert_rate(actor=request.user, expert=expert, **d)):
        messages.success(request, _("Recorded the rating of %(name)s.") % {"name": expert.name})
        return redirect("experts:detail", pk=expert.pk)
    return _subform(request, expert, form, _("Rate the expert"), "rating")


@require_POST
def change_request_decide(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    expert = get_expert_for_user(request.user, pk, "decide")
    change_request = get_object_or_404(expert.change_requests.all(), pk=request_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect("experts:detail", pk=expert.pk)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        expert_change_request_decide(
            actor=request.user,
            change_request=change_request,
            approve=approve,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Approved the changes.") if approve else _("Rejected the changes."))
    if request.POST.get("next") == "queue":
        return redirect("experts:change_requests")
    return redirect("experts:detail", pk=expert.pk)
