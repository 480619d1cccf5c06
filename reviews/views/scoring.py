"""Pages of the on-site scoring: the scoring page, its card on the case page, and its forms.

Every view first finds the case through ``get_application_for_user`` (404 for anyone who does
not see it: an expert off the panel, another division's county officer); what each person may
do inside it is the services' decision (403 for the rest).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from experts.services import expert_rate
from grading.permissions import get_application_for_user
from lib import casepanels
from lib.workflow import TransitionError
from reviews.models import MemberSheet, PanelMember, SiteReview
from reviews.selectors import ScoringOverview, scoring_overview
from reviews.services import (
    assignment_change,
    consolidation_build,
    consolidation_reason_set,
    member_sheet_fill_conforming,
    member_sheet_reopen,
    member_sheet_submit,
    review_fail,
    review_finalise,
    seated_members,
)
from reviews.views.panel import _errors


def _page(application) -> HttpResponse:
    return redirect("reviews:scoring", application.pk)


def _review(application) -> SiteReview:
    review = SiteReview.objects.filter(application=application, opened_at__isnull=False).first()
    if review is None:
        raise Http404
    return review


def _shows_scoring(overview: ScoringOverview | None) -> bool:
    """Who reads the scoring: the panel and the city while it runs, everyone on the case after."""
    return overview is not None and bool(
        overview.finalised or overview.is_leader or overview.is_city or overview.my_sheet
    )


def _progress(overview: ScoringOverview) -> dict:
    """The counts the page and the card show at a glance (no queries: the overview holds them)."""
    reasons_given = sum(1 for row in overview.reasons if row.reason.strip())
    return {
        "sheets": len(overview.members),
        "handed_in": sum(1 for row in overview.members if row.submitted),
        "reasons": len(overview.reasons),
        "reasons_given": reasons_given,
        "reasons_missing": len(overview.reasons) - reasons_given,
    }


@casepanels.register("grading_application", order=65)
def scoring_card(request: HttpRequest, application) -> str | None:
    """The scoring's state on the case page, with the way to the scoring page."""
    overview = scoring_overview(request.user, application)
    if not _shows_scoring(overview):
        return None
    context = {"o": overview, "progress": _progress(overview)}
    return render_to_string("reviews/_scoring_card.html", context, request=request)


@require_GET
def scoring_page(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk, "view")
    overview = scoring_overview(request.user, application)
    if not _shows_scoring(overview):
        raise Http404
    members = list(seated_members(application)) if overview.is_leader and overview.scoring_open else []
    context = {"o": overview, "application": application, "members": members, "progress": _progress(overview)}
    return render(request, "reviews/scoring.html", context)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_POST
def assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk, "view")
    review = _review(application)
    member = PanelMember.objects.filter(
        pk=_int(request.POST.get("member")) or 0, panel__application=application
    ).first()
    if member is None:
        messages.error(request, _("Only a seated member of the panel can score items."))
        return _page(application)
    try:
        assignment_change(actor=request.user, review=review, code=request.POST.get("code", ""), member=member)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The item is reassigned."))
    return _page(application)


@require_POST
def submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk, "view")
    review = _review(application)
    member_sheet = review.member_sheets.filter(member__expert__user=request.user).first()
    if member_sheet is None:
        raise Http404
    try:
        changed = member_sheet_submit(actor=request.user, member_sheet=member_sheet)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        if changed:
            messages.success(request, _("Your sheet is handed in to the leader."))
        else:
            messages.info(request, _("Your sheet had already been handed in."))
    return _page(application)


@require_POST
def conforming_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The member records his remaining assigned items as conforming (full marks), explicitly."""
    application = get_application_for_user(request.user, pk, "view")
    review = _review(application)
    member_sheet = review.member_sheets.filter(member__expert__user=request.user).first()
    if member_sheet is None:
        raise Http404
    try:
        count = member_sheet_fill_conforming(actor=request.user, member_sheet=member_sheet)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        if count:
            messages.success(
                request,
                ngettext(
                    "%(n)s item is recorded as conforming.", "%(n)s items are recorded as conforming.", count
                )
                % {"n": count},
            )
        else:
            messages.info(request, _("Every item assigned to you is already scored."))
    return _page(application)


@require_POST
def reopen_view(request: HttpRequest, pk: int, sheet_pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk, "view")
    review = _review(application)
    member_sheet = MemberSheet.objects.filter(pk=sheet_pk, review=review).first()
    if member_sheet is None:
        raise Http404
    try:
        member_sheet_reopen(
            actor=request.user, member_sheet=member_sheet, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The sheet is handed back to its member."))
    return _page(application)


@require_POST
def consolidate_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk, "view")
    review = _review(application)
    try:
        consolidation_build(actor=request.user, review=review)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The members' sheets are consolidated into the panel sheet."))
    return _page(application)


@require_POST
def reason_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk, "view")
    review = _review(application)
    pairs = list(zip(request.POST.getlist("code"), request.POST.getlist("reason"), strict=False))
    try:
        with transaction.atomic():  # all the reasons of the form, or none
            for code, reason in pairs:
                consolidation_reason_set(actor=request.user, review=review, code=code, reason=reason)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        if pairs:
            messages.success(request, _("The reasons are saved."))
    return _page(application)


@require_POST
def finalise_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk, "view")
    try:
        log = review_finalise(
            actor=request.user, application=application, comment=request.POST.get("comment", "")
        )
    except (ValidationError, TransitionError) as exc:
        _errors(request, exc)
        return _page(application)
    messages.success(
        request, _("The review is finalised; the sheets are locked and the report is being prepared.")
    )
    if log is None:  # a failed review: the section chief decides on the case
        messages.warning(request, _("The review did not pass; the section chief decides on the case."))
    return _page(application)


@require_POST
def fail_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_user(request.user, pk, "view")
    try:
        review_fail(actor=request.user, application=application, reason=request.POST.get("reason", ""))
    except (ValidationError, TransitionError) as exc:
        _errors(request, exc)
        return _page(application)
    messages.success(request, _("The decision is recorded: not passed."))
    return redirect("grading:detail", application.pk)


@require_POST
def rate_view(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """The city officer rates a member of a finalised review (once per expert and application)."""
    application = get_application_for_user(request.user, pk, "view")
    review = _review(application)
    if review.finalised_at is None:
        raise Http404
    member = seated_members(application).filter(pk=member_pk).first()
    if member is None:
        raise Http404
    post = request.POST
    try:
        expert_rate(
            actor=request.user,
            expert=member.expert,
            professional=_int(post.get("professional")),
            discipline=_int(post.get("discipline")),
            ethics=_int(post.get("ethics")),
            integrity=_int(post.get("integrity")),
            comment=post.get("comment", ""),
            source=_("On-site review %(number)s") % {"number": application.number},
            application=application,
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The rating of %(name)s is recorded.") % {"name": member.expert.name})
    return _page(application)
