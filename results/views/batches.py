"""Publicity batches (公示): the list, the new and edit forms, and the batch page with its moves.

The city section (科员 and 科长) and the bureau leader read them; everyone else gets 404. The 科员
drafts a batch from the applications awaiting publicity and submits it; the 科长 sends it back
(with what to change), approves it (the window starts) and, once the window has ended with no
objection open, announces it. Each move posts to a view here, which checks the role (403), calls
the service and either redirects with a message or shows the page again with the Chinese
message on the move's form.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grading.permissions import visible_to as applications_visible_to
from lib.workflow import available_transitions
from results import services
from results.forms import AnnounceForm, BatchFilterForm, BatchForm, CommentForm, SendBackForm
from results.models import Announcement, PublicityBatch
from results.permissions import get_batch_for_user
from results.selectors import awaiting_publicity, batch_entries, batch_list
from results.views.common import (
    call_service,
    history,
    is_city_staff,
    redirect_after_post,
    require,
    require_city_reader,
)
from results.workflow import PUBLICITY_FLOW

B = PublicityBatch.Status
# Each move: its form class and prefix (the page holds all four forms).
MOVE_FORMS: dict[str, type] = {
    "submit": CommentForm,
    "send_back": SendBackForm,
    "approve": CommentForm,
    "announce": AnnounceForm,
}


def _url(batch: PublicityBatch) -> str:
    return reverse("results:batch", args=[batch.pk])


# --- The list --------------------------------------------------------------------------------


@require_GET
def batch_list_view(request: HttpRequest) -> HttpResponse:
    require_city_reader(request.user)
    form = BatchFilterForm(request.GET)
    rows = batch_list(user=request.user).select_related("announcement")
    if form.is_valid() and form.cleaned_data["status"]:
        rows = rows.filter(status=form.cleaned_data["status"])
    page_obj = Paginator(rows.order_by("-created_at", "-pk"), settings.LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page_obj": page_obj,
        "rows": list(page_obj),
        "can_create": is_city_staff(request.user),
        "awaiting": awaiting_publicity(user=request.user).count() if is_city_staff(request.user) else 0,
    }
    return render(request, "results/batch_list.html", context)


# --- New and edit ----------------------------------------------------------------------------


def _selected(form: BatchForm) -> set[str]:
    """The applications ticked (the posted ones, so a refused form keeps them)."""
    if form.is_bound:
        return set(form.data.getlist("applications"))
    return {str(pk) for pk in form.initial.get("applications", [])}


def _form_page(request: HttpRequest, form: BatchForm, batch: PublicityBatch | None) -> HttpResponse:
    context = {
        "form": form,
        "batch": batch,
        "candidates": list(form.fields["applications"].queryset),
        "selected": _selected(form),
    }
    return render(request, "results/batch_form.html", context)


@require_http_methods(["GET", "POST"])
def batch_create_view(request: HttpRequest) -> HttpResponse:
    """The city officer drafts a publicity batch from the applications awaiting publicity."""
    require_city_reader(request.user)
    require(is_city_staff(request.user))
    candidates = awaiting_publicity(user=request.user)
    if request.method != "POST":
        return _form_page(request, BatchForm(candidates=candidates), None)
    form = BatchForm(request.POST, candidates=candidates)
    if form.is_valid():
        data = form.cleaned_data
        ok, batch = call_service(
            request,
            form,
            lambda: services.batch_create(
                actor=request.user,
                title=data["title"],
                contact=data["contact"],
                intro=data["intro"],
                applications=list(data["applications"]),
            ),
        )
        if ok:
            messages.success(request, _("The publicity draft is saved; submit it to the chief when ready."))
            return redirect_after_post(request, _url(batch))
    return _form_page(request, form, None)


@require_http_methods(["GET", "POST"])
def batch_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft batch: its texts and its list (the applications awaiting publicity and its own)."""
    batch = get_batch_for_user(request.user, pk)
    require(is_city_staff(request.user))
    if batch.status != B.DRAFT and request.method != "POST":
        messages.error(request, _("Only a draft publicity can be edited."))
        return redirect(_url(batch))
    own = batch.entries.values("application_id")
    candidates = (
        applications_visible_to(request.user)
        .filter(Q(pk__in=awaiting_publicity(user=request.user).values("pk")) | Q(pk__in=own))
        .select_related("enterprise__region", "site_review")
        .order_by("status_changed_at", "pk")
    )
    if request.method != "POST":
        initial = {
            "title": batch.title,
            "contact": batch.contact,
            "intro": batch.intro,
            "applications": list(batch.entries.values_list("application_id", flat=True)),
        }
        return _form_page(request, BatchForm(initial=initial, candidates=candidates), batch)
    form = BatchForm(request.POST, candidates=candidates)
    if form.is_valid():
        data = form.cleaned_data
        ok, _batch = call_service(
            request,
            form,
            lambda: services.batch_update(
                actor=request.user,
                batch=batch,
                title=data["title"],
                contact=data["contact"],
                intro=data["intro"],
                applications=list(data["applications"]),
            ),
        )
        if ok:
            messages.success(request, _("The publicity draft is saved."))
            return redirect_after_post(request, _url(batch))
    return _form_page(request, form, batch)


# --- The batch page --------------------------------------------------------------------------


def batch_context(request: HttpRequest, batch: PublicityBatch, **bound) -> dict[str, Any]:
    """Everything the batch page shows; ``bound`` holds a move's form that came back refused."""
    user = request.user
    today = timezone.localdate()
    moves = {t.name for t in available_transitions(batch, PUBLICITY_FLOW, user)}
    moves |= set(bound)  # a refused form stays on the page with its message and the input
    context: dict[str, Any] = {
        "batch": batch,
        "entries": list(batch_entries(batch)),
        "history": history(batch.transitions.select_related("actor"), PUBLICITY_FLOW),
        "moves": moves,
        "labels": {name: PUBLICITY_FLOW[name].label for name in MOVE_FORMS},
        "can_edit": batch.status == B.DRAFT and is_city_staff(user),
        "announcement": Announcement.objects.filter(batch=batch).first(),
        "announce_problems": services.announce_problems(batch, today) if "announce" in moves else [],
        "today": today,
    }
    for name, form_class in MOVE_FORMS.items():
        context[f"{name}_form"] = bound.get(name) or form_class(prefix=name, initial={"state": batch.status})
    return context


def render_batch(request: HttpRequest, batch: PublicityBatch, **bound) -> HttpResponse:
    return render(request, "results/batch_detail.html", batch_context(request, batch, **bound))


@require_GET
def batch_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return render_batch(request, get_batch_for_user(request.user, pk))


def _move(
    request: HttpRequest,
    pk: int,
    name: str,
    call: Callable[[PublicityBatch, dict], object],
    success: Callable[[PublicityBatch, object], tuple[str, str]],
    *,
    default_field: str | None = None,
) -> HttpResponse:
    """Check the role, validate the move's form, call its service, report (the four moves' body)."""
    batch = get_batch_for_user(request.user, pk)
    require(request.user.role in PUBLICITY_FLOW[name].roles)
    form = MOVE_FORMS[name](request.POST, prefix=name)
    if form.is_valid():
        data = form.cleaned_data
        ok, result = call_service(
            request,
            form,
            lambda: call(batch, data),
            default_field=default_field,
            seen_state=data.get("state"),
            current_state=batch.status,
        )
        if ok:
            message, url = success(batch, result)
            messages.success(request, message)
            return redirect_after_post(request, url)
    return render_batch(request, batch, **{name: form})


@require_POST
def batch_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(
        request,
        pk,
        "submit",
        lambda batch, data: services.batch_submit(actor=request.user, batch=batch, comment=data["comment"]),
        lambda batch, _r: (_("The publicity is submitted to the chief for approval."), _url(batch)),
    )


@require_POST
def batch_send_back_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(
        request,
        pk,
        "send_back",
        lambda batch, data: services.batch_send_back(
            actor=request.user, batch=batch, comment=data["comment"]
        ),
        lambda batch, _r: (_("The publicity is sent back to the officer."), _url(batch)),
        default_field="comment",
    )


@require_POST
def batch_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    def success(batch, _result):
        batch.refresh_from_db()
        return (
            _("The publicity is approved and published until %(date)s.")
            % {"date": batch.ends_on.isoformat() if batch.ends_on else "—"},
            _url(batch),
        )

    return _move(
        request,
        pk,
        "approve",
        lambda batch, data: services.batch_approve(actor=request.user, batch=batch, comment=data["comment"]),
        success,
    )


@require_POST
def batch_announce_view(request: HttpRequest, pk: int) -> HttpResponse:
    def success(_batch, announcement):
        return (
            _("The announcement %(number)s is issued and the certificates are made.")
            % {"number": announcement.document_number},
            reverse("results:announcement", args=[announcement.pk]),
        )

    return _move(
        request,
        pk,
        "announce",
        lambda batch, data: services.batch_announce(
            actor=request.user, batch=batch, title=data["title"], body=data["body"]
        ),
        success,
    )
