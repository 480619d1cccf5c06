"""The rectification PDFs: 整改通知书 (the 一企一策, issued with the plan) and 整改复查意见.

Registered from ``RectificationConfig.ready`` as the case's document kinds
``rectification_notice`` and ``rectification_check_opinion`` and rendered by
``grading.documents`` (domain.md §13):

- 整改通知书 / 一企一策: each hazard with its requirement, measures, responsible person,
  deadline, funds and verification; the 五落实 of every major hazard; the receipt (回执).
  Generated on commit when the finalised review makes the plan; a re-render shows the plan
  as it is now (measures and people filled in, extensions granted).
- 整改复查意见: per hazard the evidence, the method, the result, the verifier and the date;
  the leader's conclusion. Generated when the leader confirms the rectification.

Each builder reads the plan as it is now and raises ``DocumentUnavailable`` when there is
nothing to say yet (no plan; no verified hazard).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from grading.documents import DocumentUnavailable, city_bureau_name
from grading.models import GradingApplication
from rectification import domain
from rectification.models import Hazard, HazardEvidence, RectificationPlan
from rectification.services import five_assurances_missing, plan_gate
from reviews.models import PanelMember

NOTICE = "rectification_notice"
CHECK_OPINION = "rectification_check_opinion"


def _who(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _plan(application: GradingApplication, kind: str) -> RectificationPlan:
    plan = (
        RectificationPlan.objects.filter(application=application)
        .select_related("issued_by", "enterprise")
        .first()
    )
    if plan is None:
        raise DocumentUnavailable(kind)
    return plan


def _hazards(plan: RectificationPlan) -> list[Hazard]:
    return list(
        plan.hazards.select_related("item", "basis_clause", "verified_by", "submitted_by")
        .prefetch_related("evidence")
        .order_by("item__sort_order", "pk")
    )


def _leader_name(application: GradingApplication) -> str:
    member = (
        PanelMember.objects.filter(
            panel__application=application, role=PanelMember.Role.LEADER, state=PanelMember.State.CONFIRMED
        )
        .select_related("expert")
        .first()
    )
    return member.expert.name if member else ""


def _clause(hazard: Hazard) -> str:
    clause = hazard.basis_clause
    if clause is None:
        return ""
    return f"{clause.version} {clause}：{clause.text}"


def _responsible(hazard: Hazard) -> str:
    return " ".join(part for part in (hazard.responsible_name, hazard.responsible_phone) if part)


def _local_day(moment) -> date | None:
    return timezone.localdate(moment) if moment else None


# --- 整改通知书 / 一企一策 ------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeRow:
    no: int
    code: str
    description: str
    location: str
    level: str
    is_major: bool
    clause: str
    requirement: str
    measures: str
    responsible: str
    deadline: date
    original_deadline: date
    funds: Decimal | None
    status: str
    verified_by: str
    verified_on: date | None

    @property
    def extended(self) -> bool:
        return self.deadline != self.original_deadline


@dataclass(frozen=True)
class AssuranceRow:
    """The 五落实 of one major hazard (and its 治理方案)."""

    no: int
    description: str
    clause: str
    responsibility: str
    measures: str
    funds: Decimal | None
    deadline: date
    contingency_plan: str
    governance_plan: str
    missing: tuple[str, ...]


def rectification_notice_context(application: GradingApplication, **options) -> dict:
    """整改通知书: the plan's hazards as they stand; DocumentUnavailable without a plan."""
    plan = _plan(application, NOTICE)
    hazards = _hazards(plan)
    rows = [
        NoticeRow(
            no=no,
            code=h.item.code if h.item_id else "",
            description=h.description,
            location=h.location,
            level=h.get_level_display(),
            is_major=h.level == Hazard.Level.MAJOR,
            clause=_clause(h),
            requirement=h.requirement,
            measures=h.measures,
            responsible=_responsible(h),
            deadline=h.deadline,
            original_deadline=h.original_deadline,
            funds=h.funds,
            status=h.get_status_display(),
            verified_by=_who(h.verified_by),
            verified_on=_local_day(h.verified_at),
        )
        for no, h in enumerate(hazards, start=1)
    ]
    assurances = [
        AssuranceRow(
            no=row.no,
            description=h.description,
            clause=row.clause,
            responsibility=h.responsibility or _responsible(h),
            measures=h.measures,
            funds=h.funds,
            deadline=h.deadline,
            contingency_plan=h.contingency_plan,
            governance_plan=h.governance_plan,
            missing=tuple(str(m) for m in five_assurances_missing(h)),
        )
        for row, h in zip(rows, hazards, strict=True)
        if row.is_major
    ]
    deadlines = [row.deadline for row in rows]
    return {
        "title": _("Rectification notice"),
        "subtitle": _("One plan per enterprise"),
        "plan": plan,
        "rows": rows,
        "assurances": assurances,
        "major_count": len(assurances),
        "general_count": len(rows) - len(assurances),
        "funds_total": sum((row.funds for row in rows if row.funds is not None), Decimal("0")),
        "last_deadline": max(deadlines) if deadlines else None,
        "leader": _leader_name(application),
        "issued_by": _who(plan.issued_by),
        "issued_on": timezone.localdate(plan.issued_at),
        "issuer": city_bureau_name(application),
    }


# --- 整改复查意见 ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckRow:
    no: int
    code: str
    description: str
    level: str
    requirement: str
    responsible: str
    evidence: tuple[str, ...]
    method: str
    result: str
    passed: bool
    note: str
    verifier: str
    verified_on: date | None


def _method(evidence: list[HazardEvidence]) -> str:
    """How the fix was checked, from the evidence the verifier examined."""
    kinds = {e.kind for e in evidence}
    methods = []
    if kinds & {HazardEvidence.Kind.BEFORE, HazardEvidence.Kind.AFTER}:
        methods.append(_("comparison of the photos before and after"))
    if HazardEvidence.Kind.DOCUMENT in kinds:
        methods.append(_("review of the documents"))
    if not methods:
        return _("on-site check")
    return "、".join(methods)


def _result(hazard: Hazard) -> str:
    if hazard.status == Hazard.Status.CLOSED:
        return _("Passed, closed")
    if hazard.status == Hazard.Status.AWAITING_VERIFICATION:
        return _("Awaiting verification")
    if hazard.verification_note:
        return _("Sent back: %(status)s") % {"status": hazard.get_status_display()}
    return str(hazard.get_status_display())


def rectification_check_context(application: GradingApplication, **options) -> dict:
    """整改复查意见: each hazard's verification and the leader's conclusion; DocumentUnavailable
    until at least one hazard of the plan has been verified."""
    plan = _plan(application, CHECK_OPINION)
    hazards = _hazards(plan)
    if not any(h.verified_at is not None for h in hazards):
        raise DocumentUnavailable(CHECK_OPINION)
    rows = []
    for no, h in enumerate(hazards, start=1):
        evidence = list(h.evidence.all())
        rows.append(
            CheckRow(
                no=no,
                code=h.item.code if h.item_id else "",
                description=h.description,
                level=h.get_level_display(),
                requirement=h.requirement,
                responsible=_responsible(h),
                evidence=tuple(f"{e.get_kind_display()}：{e.original_name}" for e in evidence),
                method=_method(evidence) if h.verified_at is not None else "",
                result=_result(h),
                passed=h.status == Hazard.Status.CLOSED,
                note=h.verification_note,
                verifier=_who(h.verified_by),
                verified_on=_local_day(h.verified_at),
            )
        )
    confirmation = (
        application.transitions.filter(transition="confirm_rectification")
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
    )
    gate = plan_gate(application)
    open_rows = [row for row, h in zip(rows, hazards, strict=True) if h.status != domain.CLOSED]
    return {
        "title": _("Rectification check opinion"),
        "plan": plan,
        "rows": rows,
        "closed_count": sum(1 for row in rows if row.passed),
        "open_rows": open_rows,
        "gate": gate,
        "all_closed": gate.rule == "closed",
        "confirmed": confirmation is not None,
        "conclusion": confirmation.comment if confirmation else "",
        "confirmed_by": _who(confirmation.actor) if confirmation else "",
        "confirmed_on": _local_day(confirmation.created_at) if confirmation else None,
        "leader": _leader_name(application),
        "issuer": _leader_name(application),
    }
