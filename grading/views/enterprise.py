"""The enterprise's side of an application: its file, team, attachments, commitment and moves.

Each view: access function (404 outside the case's scope, 403 for a regulator or a role that
may not do it), form, one service call, then redirect or the same page with the user's
input and the service's message. A move posts the state the user saw; a repeated click
finds the case moved on and gets the stale-state message instead of a second move.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from enterprises.permissions import visible_to as enterprises_visible_to
from grading import selectors, services
from grading.forms import (
    ApplicationCreateForm,
    ApplicationFileForm,
    AttachmentForm,
    CommitmentSignForm,
    CorrectionAnswerForm,
    MoveForm,
    ProblemFormSet,
    PublicityForm,
    TeamFormSet,
    WithdrawForm,
    formset_rows,
)
from grading.models import CorrectionItem, GradingApplication
from grading.permissions import (
    can_create_application,
    can_sign_commitment,
    get_application_for_user,
    is_own_enterprise,
)
from grading.views.cases import commitment_text, correction_rows, detail_context, unanswered_items
from grading.workflow import APPLICATION_FLOW
from lib.forms import add_service_errors
from lib.workflow import TransitionError, refusal

GET_POST = require_http_methods(["GET", "POST"])


def _redirect_after_post(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect a plain POST; tell htmx to navigate instead (HX-Redirect, not a 302)."""
    if request.htmx:
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


def _detail_url(application: GradingApplication, anchor: str = "") -> str:
    url = reverse("grading:detail", args=[application.pk])
    return f"{url}#{anchor}" if anchor else url


def _owned(request: HttpRequest, pk: int, action: str = "view") -> GradingApplication:
    """The application if it is the user's own enterprise's: 404 unseen, 403 for regulators."""
    application = get_application_for_user(request.user, pk, action)
    if not is_own_enterprise(request.user, application):
        raise PermissionDenied
    return application


def _stale_message() -> str:
    # The same message lib.workflow gives when another request moved the case first.
    return _("Someone else changed this case a moment ago; reload the page and try again.")


# --- Starting an application ---------------------------------------------------------------


@GET_POST
def application_create(request: HttpRequest) -> HttpResponse:
    """An enterprise user starts an application for the enterprise (one open at a time)."""
    if not can_create_application(request.user):
        raise PermissionDenied
    enterprise = (
        enterprises_visible_to(request.user).filter(organisation_id=request.user.organisation_id).first()
    )
    if enterprise is None:
        raise Http404
    standards = services.standards_for(enterprise)
    form = ApplicationCreateForm(request.POST if request.method == "POST" else None, standards=standards)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                actor=request.user,
                enterprise=enterprise,
                standard=form.cleaned_data["standard"],
                grade_level=form.cleaned_data["grade_level"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Started application %(number)s.") % {"number": application.number})
            return redirect("grading:detail", pk=application.pk)
    context = {"form": form, "enterprise": enterprise, "standards": standards}
    return render(request, "grading/application_create.html", context)


# --- The file ------------------------------------------------------------------------------


@GET_POST
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Grade, dates, summary, the place of publicity and the self-found problems."""
    application = _owned(request, pk, "edit")
    if request.method == "POST":
        form = ApplicationFileForm(request.POST)
        problems = ProblemFormSet(request.POST, prefix="problems")
        if form.is_valid() and problems.is_valid():
            data = {name: form.cleaned_data.get(name) for name in ApplicationFileForm.FIELDS}
            data["self_found_problems"] = formset_rows(problems, ("problem", "fix"))
            try:
                services.application_update(actor=request.user, application=application, data=data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved the self-assessment report."))
                return redirect(_detail_url(application, "report"))
    else:
        form = ApplicationFileForm(initial=ApplicationFileForm.initial_for(application))
        problems = ProblemFormSet(prefix="problems", initial=application.self_found_problems or None)
    context = {"application": application, "form": form, "problems": problems}
    return render(request, "grading/application_edit.html", context)


@GET_POST
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The self-assessment working group: exactly one leader."""
    application = _owned(request, pk, "edit")
    errors: list[str] = []
    if request.method == "POST":
        formset = TeamFormSet(request.POST, prefix="team")
        if formset.is_valid():
            members = [
                services.MemberIn(name=r["name"], position=r["position"], role=r["role"], phone=r["phone"])
                for r in formset_rows(formset, ("name", "position", "role", "phone"))
            ]
            try:
                services.team_save(actor=request.user, application=application, members=members)
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(request, _("Saved the self-assessment group."))
                return redirect(_detail_url(application, "team"))
    else:
        initial = list(application.team.values("name", "position", "role", "phone"))
        formset = TeamFormSet(prefix="team", initial=initial or None)
    context = {"application": application, "formset": formset, "errors": errors}
    return render(request, "grading/team_edit.html", context)


# --- Attachments and the commitment --------------------------------------------------------


def _documents(application: GradingApplication) -> list:
    return [document for document, _versions in selectors.current_attachments(application)]


@GET_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a document of a listed kind; a file of the same kind before it becomes an older version."""
    application = _owned(request, pk, "file")
    documents = _documents(application)
    if request.method == "POST":
        form = AttachmentForm(request.POST, request.FILES, documents=documents)
        if form.is_valid():
            try:
                attachment = services.attachment_add(
                    actor=request.user,
                    application=application,
                    document=form.cleaned_data["document"],
                    file=form.cleaned_data["file"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc, "file")
            else:
                messages.success(
                    request,
                    _("Uploaded %(name)s as version %(version)s of %(document)s.")
                    % {
                        "name": attachment.original_name,
                        "version": attachment.version,
                        "document": attachment.document.name,
                    },
                )
                return redirect(_detail_url(application, "attachments"))
    else:
        form = AttachmentForm(documents=documents, initial={"document": request.GET.get("document")})
    return render(request, "grading/attachment_add.html", {"application": application, "form": form})


@require_POST
def attachment_withdraw(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    """Take the current version of a document off the file (it stays in the history)."""
    application = _owned(request, pk, "file")
    attachment = application.attachments.select_related("document").filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    if attachment.superseded_at is not None:
        messages.error(request, _stale_message())
    else:
        services.attachment_withdraw(actor=request.user, application=application, attachment=attachment)
        messages.success(
            request,
            _("Withdrew version %(version)s of %(document)s.")
            % {"version": attachment.version, "document": attachment.document.name},
        )
    return _redirect_after_post(request, _detail_url(application, "attachments"))


@GET_POST
def commitment(request: HttpRequest, pk: int) -> HttpResponse:
    """The commitment's full text; the principal signs it here."""
    application = _owned(request, pk, "sign" if request.method == "POST" else "view")
    form = CommitmentSignForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if application.commitment_signed_at is not None:
            messages.info(request, _("The commitment is already signed."))
        else:
            services.commitment_sign(actor=request.user, application=application)
            messages.success(request, _("Signed the commitment."))
        return redirect(_detail_url(application, "commitment"))
    context = {
        "application": application,
        "form": form,
        "commitment_text": commitment_text(application),
        "can_sign": application.commitment_signed_at is None
        and can_sign_commitment(request.user, application),
    }
    return render(request, "grading/commitment.html", context)


# --- Moves ---------------------------------------------------------------------------------


def _move(
    request: HttpRequest,
    pk: int,
    name: str,
    form_class: type[MoveForm],
    call: Callable[[GradingApplication, dict], object],
    success: str,
    template: str = "",
) -> HttpResponse:
    """Check the move, call its service, report: the shared body of every move view."""
    application = _owned(request, pk)
    transition = APPLICATION_FLOW[name]
    if request.user.role not in transition.roles:
        raise PermissionDenied
    if request.method == "GET":
        refused = refusal(application, transition, request.user)
        if refused:
            messages.error(request, refused)
            return redirect(_detail_url(application))
        form = form_class(initial=_move_initial(application))
        return render(request, template, {"application": application, "form": form, "transition": transition})
    form = form_class(request.POST)
    seen = request.POST.get("state", "")
    if seen and seen != application.status:
        messages.error(request, _stale_message())
        return _redirect_after_post(request, _detail_url(application))
    refused = refusal(application, transition, request.user)
    if refused:
        messages.error(request, refused)
        return _redirect_after_post(request, _detail_url(application))
    if form.is_valid():
        try:
            call(application, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except TransitionError as exc:  # a failing check, or another request moved it (StaleState)
            if not template:
                messages.error(request, exc.message)
                return _redirect_after_post(request, _detail_url(application))
            form.add_error(None, exc.message)
        else:
            messages.success(request, success)
            return _redirect_after_post(request, _detail_url(application))
    if not template:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _redirect_after_post(request, _detail_url(application))
    return render(request, template, {"application": application, "form": form, "transition": transition})


def _move_initial(application: GradingApplication) -> dict:
    return {
        "state": application.status,
        "start": timezone.localdate(),
        "place": application.internal_publicity_place,
    }


@GET_POST
def start_publicity(request: HttpRequest, pk: int) -> HttpResponse:
    def call(application, data):
        return services.application_start_publicity(
            actor=request.user, application=application, start=data["start"], place=data["place"]
        )

    return _move(
        request,
        pk,
        "start_internal_publicity",
        PublicityForm,
        call,
        _("The internal publicity has started."),
        "grading/move_form.html",
    )


@require_POST
def back_to_draft(request: HttpRequest, pk: int) -> HttpResponse:
    def call(application, data):
        return services.application_back_to_draft(
            actor=request.user, application=application, comment=data.get("comment", "")
        )

    return _move(request, pk, "back_to_draft", MoveForm, call, _("The application is a draft again."))


@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    def call(application, data):
        return services.application_submit(
            actor=request.user, application=application, comment=data.get("comment", "")
        )

    return _move(request, pk, "submit", MoveForm, call, _("Submitted the application to the county."))


@require_POST
def county_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    def call(application, data):
        return services.application_county_resubmit(
            actor=request.user, application=application, comment=data.get("comment", "")
        )

    return _move(
        request,
        pk,
        "county_resubmit",
        MoveForm,
        call,
        _("Resubmitted the corrected application to the county."),
    )


@require_POST
def city_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    def call(application, data):
        return services.application_city_resubmit(
            actor=request.user, application=application, comment=data.get("comment", "")
        )

    return _move(
        request, pk, "city_resubmit", MoveForm, call, _("Resubmitted the corrected application to the city.")
    )


@GET_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    def call(application, data):
        return services.application_withdraw(
            actor=request.user, application=application, reason=data["reason"]
        )

    return _move(
        request, pk, "withdraw", WithdrawForm, call, _("Withdrew the application."), "grading/move_form.html"
    )


# --- Corrections ---------------------------------------------------------------------------


@require_POST
def correction_answer(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    """Answer one line of a correction notice (htmx swaps the line; without htmx, the page)."""
    application = _owned(request, pk, "edit")
    item = (
        CorrectionItem.objects.select_related("request", "request__application")
        .filter(pk=item_id, request__application=application)
        .first()
    )
    if item is None:
        raise Http404
    form = CorrectionAnswerForm(request.POST, prefix=f"item{item.pk}")
    if form.is_valid():
        try:
            item = services.correction_answer(
                actor=request.user, item=item, answer=form.cleaned_data["answer"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc, "answer")
        else:
            if not request.htmx:
                messages.success(request, _("Saved the answer to item %(n)s.") % {"n": item.seq})
                return redirect(_detail_url(application, f"item-{item.pk}"))
            form = CorrectionAnswerForm(initial={"answer": item.answer}, prefix=f"item{item.pk}")
    if request.htmx:
        row = next(
            (
                r
                for c in correction_rows(application, request.user)
                for r in c["items"]
                if r["item"].pk == item.pk
            ),
            {"item": item, "form": None},
        )
        if form.errors:
            row = {**row, "form": form}
        context = {"application": application, "row": row, "saved": not form.errors}
        response = render(request, "grading/_correction_item.html", context)
        if not form.errors and not unanswered_items(correction_rows(application, request.user)):
            # The last line is answered: reload so the resubmit button appears.
            response["HX-Refresh"] = "true"
        return response
    context = detail_context(request, application, answer_forms={item.pk: form})
    return render(request, "grading/application_detail.html", context)


urlpatterns = [
    path("new/", application_create, name="create"),
    path("<int:pk>/edit/", application_edit, name="edit"),
    path("<int:pk>/team/", team_edit, name="team"),
    path("<int:pk>/attachments/new/", attachment_add, name="attachment_add"),
    path(
        "<int:pk>/attachments/<int:attachment_id>/withdraw/",
        attachment_withdraw,
        name="attachment_withdraw",
    ),
    path("<int:pk>/commitment/", commitment, name="commitment"),
    path("<int:pk>/publicity/", start_publicity, name="start_publicity"),
    path("<int:pk>/back-to-draft/", back_to_draft, name="back_to_draft"),
    path("<int:pk>/submit/", submit, name="submit"),
    path("<int:pk>/resubmit-county/", county_resubmit, name="county_resubmit"),
    path("<int:pk>/resubmit-city/", city_resubmit, name="city_resubmit"),
    path("<int:pk>/withdraw/", withdraw, name="withdraw"),
    path("<int:pk>/corrections/<int:item_id>/answer/", correction_answer, name="correction_answer"),
]
