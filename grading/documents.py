"""Rendering the case's PDFs from its data (domain.md §13).

``render_document(application, kind)`` builds the context of one ``GeneratedDocument.Kind``
and renders ``templates/grading/pdf/<kind>.html`` through ``lib.pdf``. Each builder reads the
case as it is now; ``grading.tasks.generate_document`` stores the result as a new version after
the move that calls for it. A document whose data does not exist yet (no approved opinion, no
decision, no correction notice) raises ``DocumentUnavailable``.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from accounts.roles import ENTERPRISE_ROLES
from grading import domain, eligibility
from grading.models import (
    CityDecision,
    CorrectionRequest,
    GeneratedDocument,
    GradingApplication,
    OpinionStatus,
)
from grading.permissions import REGULATORS
from grading.selectors import regulator_organisation
from grading.services import commitment_text_for, current_county_opinion
from lib.pdf import render_pdf
from standards.selectors import sheet_entries, sheet_result

Kind = GeneratedDocument.Kind

TEMPLATES = {
    Kind.SELF_ASSESSMENT_REPORT: "grading/pdf/self_assessment_report.html",
    Kind.COUNTY_OPINION: "grading/pdf/county_review_opinion.html",
    Kind.DECISION_NOTICE: "grading/pdf/decision_notice.html",
    Kind.CORRECTION_NOTICE: "grading/pdf/correction_notice.html",
    Kind.NOT_PASSED_NOTICE: "grading/pdf/not_passed_notice.html",
}

RESULT_LABELS = {
    domain.PASS: _("Met"),
    domain.FAIL: _("Not met"),
    domain.UNKNOWN: _("To be confirmed"),
}

CITY_BUREAU_FALLBACK = "营口市应急管理局"
EXCERPT_CHARS = 60


class DocumentUnavailable(LookupError):
    """The case has no data for this document yet."""


def _who(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _excerpt(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(EXCERPT_CHARS)


def _division(application: GradingApplication) -> str:
    region = application.enterprise.region
    parent = region.parent.name if region.parent_id else ""
    town = application.enterprise.town.name if application.enterprise.town_id else ""
    return f"{parent}{region.name}{town}"


def _organisation_name(application: GradingApplication, kind: str, fallback: str) -> str:
    organisation = regulator_organisation(application, kind)
    return organisation.name if organisation is not None else fallback


def city_bureau_name(application: GradingApplication) -> str:
    return _organisation_name(application, "city_bureau", CITY_BUREAU_FALLBACK)


def county_bureau_name(application: GradingApplication) -> str:
    return _organisation_name(application, "county_bureau", application.enterprise.region.name)


# --- 自评报告 ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeductionRow:
    code: str
    requirement: str
    points: Decimal
    reason: str
    is_hazard: bool = False
    extra: bool = False


@dataclass(frozen=True)
class NotApplicableRow:
    code: str
    requirement: str
    points: Decimal
    reason: str


def _self_assessment_context(application: GradingApplication, **options) -> dict:
    sheet = application.self_sheet
    entries = list(sheet_entries(sheet))
    result = sheet_result(sheet, entries=entries)
    deductions: list[DeductionRow] = []
    not_applicable: list[NotApplicableRow] = []
    for entry in entries:
        item = entry.item
        requirement = _excerpt(item.requirement)
        if not entry.applicable:
            not_applicable.append(NotApplicableRow(item.code, requirement, item.points, entry.na_reason))
            continue
        deductions.extend(
            DeductionRow(item.code, requirement, d.points, d.reason, d.is_hazard)
            for d in entry.deductions.all()
        )
        if entry.extra_deduction:
            deductions.append(
                DeductionRow(item.code, requirement, entry.extra_deduction, entry.extra_reason, extra=True)
            )
    signed_at = application.commitment_signed_at
    commitment_on = timezone.localdate(signed_at) if signed_at else None
    return {
        "title": _("Work safety standardization self-assessment report"),
        "team": list(application.team.all()),
        "result": result,
        "deductions": deductions,
        "deducted_total": sum((d.points for d in deductions), Decimal("0")),
        "not_applicable": not_applicable,
        "problems": [p for p in application.self_found_problems or [] if isinstance(p, dict)],
        "commitment_text": commitment_text_for(application, on=commitment_on),
        "commitment_signed_by": _who(application.commitment_signed_by),
    }


# --- 初审意见 ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConditionRow:
    code: str
    label: str
    result: str
    result_label: str
    reason: str
    confirmed: bool | None  # None: the county did not record a confirmation
    note: str


def latest_county_opinion(application: GradingApplication, *, drafts: bool = False):
    """The latest approved county opinion, else the one being worked on (None if neither).

    With ``drafts`` the one being worked on comes first: the reviewers' preview of their draft.
    """
    current = current_county_opinion(application)
    if drafts and current is not None:
        return current
    approved = (
        application.county_opinions.filter(status=OpinionStatus.APPROVED)
        .select_related("drafted_by", "approved_by")
        .order_by("-round")
        .first()
    )
    return approved or current


def _county_opinion_context(application: GradingApplication, *, drafts: bool = False, **options) -> dict:
    opinion = latest_county_opinion(application, drafts=drafts)
    if opinion is None:
        raise DocumentUnavailable(Kind.COUNTY_OPINION)
    confirmations = opinion.condition_checks or {}
    conditions = []
    for check in eligibility.evaluate(application):
        confirmation = confirmations.get(check.code)
        recorded = isinstance(confirmation, dict)
        conditions.append(
            ConditionRow(
                code=check.code,
                label=check.label,
                result=check.result,
                result_label=str(RESULT_LABELS.get(check.result, check.result)),
                reason=check.reason,
                confirmed=bool(confirmation.get("ok")) if recorded else None,
                note=str(confirmation.get("note") or "") if recorded else "",
            )
        )
    return {
        "title": _(
            "Preliminary review opinion on the work safety standardization of an industry and trade enterprise"
        ),
        "opinion": opinion,
        "conditions": conditions,
        "drafted_by": _who(opinion.drafted_by),
        "approved_by": _who(opinion.approved_by),
        "guidance": list(application.guidance.select_related("author")),
        "issuer": county_bureau_name(application),
    }


# --- 受理通知书 / 不予受理告知书 ------------------------------------------------------------------


def latest_decision(application: GradingApplication) -> CityDecision | None:
    """The latest approved decision that accepted or declined the application."""
    return (
        application.city_decisions.filter(
            status=OpinionStatus.APPROVED,
            proposal__in=[CityDecision.Proposal.ACCEPT, CityDecision.Proposal.NOT_ACCEPT],
        )
        .select_related("approved_by")
        .order_by("-round")
        .first()
    )


def _decision_context(application: GradingApplication, **options) -> dict:
    decision = latest_decision(application)
    if decision is None:
        raise DocumentUnavailable(Kind.DECISION_NOTICE)
    accepted = decision.proposal == CityDecision.Proposal.ACCEPT
    decided_at = decision.approved_at or application.decided_at
    return {
        "title": _("Notice of acceptance") if accepted else _("Notice of non-acceptance"),
        "decision": decision,
        "accepted": accepted,
        "decided_on": timezone.localdate(decided_at) if decided_at else timezone.localdate(),
        "submitted_on": timezone.localdate(application.submitted_at) if application.submitted_at else None,
        "ban_until": None if accepted else application.ban_until,
        "issuer": city_bureau_name(application),
    }


# --- 未通过告知书 -------------------------------------------------------------------------------

# The move into not_passed says at which stage the application failed (domain.md §13).
NOT_PASSED_STAGES = {
    "fail_review": _("the on-site review"),
    "fail_rectification": _("the rectification"),
    "fail_result": _("the confirmation of the result and the publicity"),
}


def _not_passed_context(application: GradingApplication, **options) -> dict:
    from grading.models import Status

    if application.status != Status.NOT_PASSED:
        raise DocumentUnavailable(Kind.NOT_PASSED_NOTICE)
    move = application.transitions.filter(to_state=Status.NOT_PASSED).order_by("-created_at", "-pk").first()
    decided_at = application.decided_at or (move.created_at if move else None)
    return {
        "title": _("Notice of not passing the grading"),
        "stage": NOT_PASSED_STAGES.get(move.transition if move else "", _("the grading")),
        "reasons": application.closing_reason or (move.comment if move else ""),
        "decided_on": timezone.localdate(decided_at) if decided_at else timezone.localdate(),
        "ban_until": application.ban_until,
        "issuer": city_bureau_name(application),
    }


# --- 补正告知书 --------------------------------------------------------------------------------


def latest_correction_request(
    application: GradingApplication, *, enterprise_only: bool = False
) -> CorrectionRequest | None:
    """The latest correction notice (``enterprise_only``: the latest addressed to the enterprise)."""
    rows = application.correction_requests.select_related("created_by")
    if enterprise_only:
        rows = rows.filter(addressee=CorrectionRequest.Addressee.ENTERPRISE)
    return rows.order_by("-created_at", "-pk").first()


def _correction_context(application: GradingApplication, *, enterprise: bool = False, **options) -> dict:
    request = latest_correction_request(application, enterprise_only=enterprise)
    if request is None:
        raise DocumentUnavailable(Kind.CORRECTION_NOTICE)
    county = county_bureau_name(application)
    to_county = request.addressee == CorrectionRequest.Addressee.COUNTY
    return {
        "title": _("Notice of corrections required"),
        "request": request,
        "items": list(request.items.all()),
        "addressee_name": county if to_county else application.enterprise.name,
        "issuer": county
        if request.stage == CorrectionRequest.Stage.COUNTY
        else city_bureau_name(application),
        "issued_by": _who(request.created_by),
        "issued_on": timezone.localdate(request.created_at),
    }


BUILDERS = {
    Kind.SELF_ASSESSMENT_REPORT: _self_assessment_context,
    Kind.COUNTY_OPINION: _county_opinion_context,
    Kind.DECISION_NOTICE: _decision_context,
    Kind.CORRECTION_NOTICE: _correction_context,
    Kind.NOT_PASSED_NOTICE: _not_passed_context,
}


def register_document(kind: str, template: str, builder) -> None:
    """Called from an AppConfig.ready(): a later app (reviews, rectification) adds a document
    kind of the case, with its template and context builder."""
    TEMPLATES[kind] = template
    BUILDERS[kind] = builder


def document_context(
    application: GradingApplication, kind: str, *, today: date | None = None, viewer=None
) -> dict:
    """The template context of document ``kind`` (raises DocumentUnavailable, or ValueError).

    ``viewer`` (a live preview): county and city reviewers see the county opinion being
    drafted rather than the last approved one; enterprise users see only the correction
    notices addressed to the enterprise. Without a viewer (the stored versions) the latest of
    each is used.
    """
    builder = BUILDERS.get(kind)
    if builder is None:
        raise ValueError(f"Unknown document kind: {kind}")
    return {
        "application": application,
        "enterprise": application.enterprise,
        "division": _division(application),
        "kind": kind,
        "today": today or timezone.localdate(),
        **builder(application, **_viewer_options(viewer)),
    }


def _viewer_options(viewer) -> dict:
    role = getattr(viewer, "role", None)
    return {"drafts": role in REGULATORS, "enterprise": role in ENTERPRISE_ROLES}


def render_document(application: GradingApplication, kind: str, *, viewer=None) -> bytes:
    """Render document ``kind`` of the application as PDF bytes, in the site's language.

    ``viewer``: the user of a live preview (see ``document_context``); None for stored versions.
    """
    with translation.override(settings.LANGUAGE_CODE):
        context = document_context(application, kind, viewer=viewer)
        return render_pdf(TEMPLATES[kind], context)


def document_filename(document: GeneratedDocument) -> str:
    """A download name such as ``DJ20260001-自评报告-v2.pdf`` (in the site's language)."""
    with translation.override(settings.LANGUAGE_CODE):
        label = str(Kind(document.kind).label)
    return f"{document.application.number}-{label}-v{document.version}.pdf"


def preview_filename(application: GradingApplication, kind: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        label = str(Kind(kind).label)
    return f"{application.number}-{label}.pdf"
