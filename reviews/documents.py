"""The review report (评审报告) as PDF: its context, rendered by ``grading.documents``.

Registered from ``ReviewsConfig.ready`` as the case's document kind ``review_report``. The
layout follows the Xiamen 三级 template (domain.md §7): the cover, the panel with each
member's signature line, the review plan, the opening and closing sign-in sheets, the element
score table, the deductions with their reasons, the nonconformities per element, the veto
result, the conclusion, the rectification requirements and the closing signatures. Everything
comes from the finalised review: the locked panel sheet and the result stored on the review.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from experts.models import Specialty
from grading.documents import EXCERPT_CHARS, DocumentUnavailable
from grading.models import GradeLevel, GradingApplication
from reviews.models import Attendance, Conclusion, PanelMember, ReviewPlanRow, SiteReview
from reviews.services.scoring import seated_members
from standards.domain import score_sheet
from standards.selectors import sheet_entries, sheet_input, standard_spec_cached

ZERO = Decimal("0")


def _excerpt(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(EXCERPT_CHARS)


def _who(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


@dataclass(frozen=True)
class PanelRow:
    """A seated member of the panel as the report lists him (with a line for his signature)."""

    name: str
    role: str
    is_leader: bool
    specialties: str
    employer: str
    title: str
    certificate: str


@dataclass(frozen=True)
class PlanRow:
    starts_at: object
    ends_at: object
    activity: str
    element: str
    experts: str


@dataclass(frozen=True)
class FindingRow:
    """One deduction of the panel sheet (or an item's extra deduction): a nonconformity."""

    element_no: int
    code: str
    requirement: str
    points: Decimal
    reason: str
    is_hazard: bool = False
    extra: bool = False


@dataclass(frozen=True)
class ElementFindings:
    no: int
    name: str
    rows: tuple[FindingRow, ...]

    @property
    def deducted(self) -> Decimal:
        return sum((r.points for r in self.rows), ZERO)


@dataclass(frozen=True)
class VetoRow:
    code: str
    requirement: str


def _review(application: GradingApplication) -> SiteReview:
    review = (
        SiteReview.objects.filter(application=application)
        .select_related("panel_sheet__standard", "finalised_by")
        .prefetch_related(
            Prefetch(
                "plan_rows",
                queryset=ReviewPlanRow.objects.order_by("order", "starts_at", "pk").prefetch_related(
                    "experts"
                ),
            ),
            Prefetch("attendance", queryset=Attendance.objects.order_by("meeting", "signed_at", "pk")),
        )
        .first()
    )
    if review is None or review.finalised_at is None or review.panel_sheet is None:
        raise DocumentUnavailable("review_report")
    return review


def _specialty_labels(codes) -> str:
    labels = []
    for code in codes or ():
        try:
            labels.append(str(Specialty(code).label))
        except ValueError:
            labels.append(str(code))
    return "、".join(labels)


def _panel_rows(application: GradingApplication) -> list[PanelRow]:
    members = sorted(
        seated_members(application), key=lambda m: (m.role != PanelMember.Role.LEADER, m.order, m.pk)
    )
    return [
        PanelRow(
            name=m.expert.name,
            role=m.get_role_display(),
            is_leader=m.role == PanelMember.Role.LEADER,
            specialties=_specialty_labels(m.expert.specialties),
            employer=m.expert.employer,
            title=m.expert.title,
            certificate=m.expert.training_certificate_number,
        )
        for m in members
    ]


def _plan_rows(review: SiteReview) -> list[PlanRow]:
    return [
        PlanRow(
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            activity=row.activity,
            element=row.element,
            experts=row.expert_names or "、".join(e.name for e in row.experts.all()),
        )
        for row in review.plan_rows.all()
    ]


def _findings(entries, element_of: dict[str, int]) -> list[FindingRow]:
    rows: list[FindingRow] = []
    for entry in entries:
        item = entry.item
        if not entry.applicable:
            continue
        element_no = element_of.get(item.code, 0)
        requirement = _excerpt(item.requirement)
        rows.extend(
            FindingRow(element_no, item.code, requirement, d.points, d.reason, d.is_hazard)
            for d in entry.deductions.all()
        )
        if entry.extra_deduction:
            rows.append(
                FindingRow(
                    element_no, item.code, requirement, entry.extra_deduction, entry.extra_reason, extra=True
                )
            )
    return rows


def _level_label(level: int | None) -> str:
    return str(GradeLevel(level).label) if level in GradeLevel.values else ""


def review_report_context(application: GradingApplication, **options) -> dict:
    """The review report's context; DocumentUnavailable until the leader has finalised the review."""
    review = _review(application)
    standard = application.standard
    spec = standard_spec_cached(standard)
    entries = list(sheet_entries(review.panel_sheet))
    result = score_sheet(
        spec, sheet_input(review.panel_sheet, entries=entries, applied_level=application.grade_level)
    )
    element_of = {item.code: item.element_no for item in spec.items}
    findings = _findings(entries, element_of)
    by_element: dict[int, list[FindingRow]] = defaultdict(list)
    for row in findings:
        by_element[row.element_no].append(row)
    nonconformities = [
        ElementFindings(element.no, element.name, tuple(by_element[element.no]))
        for element in spec.elements
        if by_element.get(element.no)
    ]
    failed_codes = list(review.failed_vetoes or [])
    requirements = dict(standard.items.filter(code__in=failed_codes).values_list("code", "requirement"))
    vetoes = [VetoRow(code, _excerpt(requirements.get(code, ""))) for code in failed_codes]
    attendance = list(review.attendance.all())
    panel = _panel_rows(application)
    leader = next((row for row in panel if row.is_leader), None)
    finalised_on = timezone.localdate(review.finalised_at)
    return {
        "title": _("Work safety standardization on-site review report"),
        "review": review,
        "passed": review.conclusion == Conclusion.PASS,
        "panel": panel,
        "leader": leader,
        "plan": _plan_rows(review),
        "sign_in_sheets": [
            (meeting.label, [row for row in attendance if row.meeting == meeting])
            for meeting in (Attendance.Meeting.OPENING, Attendance.Meeting.CLOSING)
        ],
        "result": result,
        "findings": findings,
        "deducted_total": sum((row.points for row in findings), ZERO),
        "nonconformities": nonconformities,
        "vetoes": vetoes,
        "hazards": [row for row in findings if row.is_hazard],
        "level_reached": _level_label(review.final_level),
        "level_applied": _level_label(application.grade_level),
        "finalised_by": _who(review.finalised_by),
        "finalised_on": finalised_on,
        "issuer": leader.name if leader else "",
    }
