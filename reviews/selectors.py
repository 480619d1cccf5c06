"""Reads of the reviews app: what the scoring page shows each user.

The case is already scoped by ``grading.permissions.get_application_for_user``; here the
rules of domain.md §5.4 decide what inside it each person reads: a member his own sheet and
items, the leader everything of his panel, the city everything, the county and the enterprise
the result once the review is finalised.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from experts.models import ExpertRating
from experts.permissions import can_rate
from grading.models import GradingApplication, Status
from grading.permissions import in_scope
from reviews import domain
from reviews.models import Conclusion, ItemAssignment, MemberSheet, SiteReview
from reviews.permissions import CITY_STAFF
from reviews.services import finalise_blockers, is_panel_leader, scoring_blockers, seated_members
from reviews.services.scoring import member_inputs, reasons_needed, unscored_assigned
from standards.domain import plain
from standards.selectors import sheet_input, standard_spec_cached


@dataclass
class MemberRow:
    member_sheet: MemberSheet
    assigned: int
    scored: int

    @property
    def member(self):
        return self.member_sheet.member

    @property
    def submitted(self) -> bool:
        return self.member_sheet.submitted_at is not None


@dataclass
class ReasonRow:
    """An item of the panel sheet that needs the leader's reason, with everyone's value."""

    code: str
    requirement: str
    divergent: bool
    values: list[tuple[str, str]]  # (member name, value)
    panel_value: str
    reason: str


@dataclass
class ScoringOverview:
    application: GradingApplication
    review: SiteReview
    is_leader: bool
    is_city: bool
    scoring_open: bool
    my_sheet: MemberSheet | None = None
    my_assigned: int = 0
    my_unscored: int = 0
    members: list[MemberRow] = field(default_factory=list)
    assignments: list[ItemAssignment] = field(default_factory=list)
    reasons: list[ReasonRow] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)
    can_finalise: bool = False
    can_decide_fail: bool = False
    rateable: list = field(default_factory=list)  # (member, rating or None) for the city officer

    @property
    def finalised(self) -> bool:
        return self.review.finalised_at is not None

    @property
    def failed(self) -> bool:
        return self.review.conclusion == Conclusion.FAIL


def value_label(entry) -> str:
    """How the page shows an entry's value: 不适用, 满分 or −x."""
    applicable, deducted = domain.entry_value(entry)
    if not applicable:
        return _("N/A")
    if deducted == Decimal(0):
        return _("Full marks")
    return "−" + plain(deducted)


def _reason_rows(review: SiteReview, needed, rows) -> list[ReasonRow]:
    if not needed:
        return []
    spec = standard_spec_cached(review.application.standard)
    requirements = {item.code: item.requirement for item in spec.items}
    names = {row.member_id: row.member.expert.name for row, _data in rows}
    entries = {row.member_id: {e.code: e for e in data.entries} for row, data in rows}
    panel = {e.code: e for e in sheet_input(review.panel_sheet).entries}
    given = dict(review.consolidation_reasons.values_list("item__code", "reason"))
    assignment = dict(review.assignments.values_list("item__code", "member_id"))
    result = []
    for need in needed:
        voices = [key for key in names if need.code in entries[key] or assignment.get(need.code) == key]
        result.append(
            ReasonRow(
                code=need.code,
                requirement=requirements.get(need.code, ""),
                divergent=need.divergent,
                values=[(names[key], value_label(entries[key].get(need.code))) for key in voices],
                panel_value=value_label(panel.get(need.code)),
                reason=given.get(need.code, ""),
            )
        )
    return result


def scoring_overview(user, application: GradingApplication) -> ScoringOverview | None:
    """What the scoring page shows ``user`` (who already sees the case); None: nothing yet."""
    review = (
        SiteReview.objects.select_related("application__standard", "application__enterprise", "panel_sheet")
        .filter(application=application, opened_at__isnull=False)
        .first()
    )
    if review is None:
        return None
    leader = is_panel_leader(user, application)
    city = user.role in CITY_STAFF and in_scope(user, application)
    scoring_open = application.status == Status.ON_SITE_REVIEW and review.finalised_at is None
    overview = ScoringOverview(application, review, is_leader=leader, is_city=city, scoring_open=scoring_open)
    overview.my_sheet = (
        review.member_sheets.select_related("sheet", "member__expert")
        .filter(member__expert__user=user)
        .first()
    )
    if overview.my_sheet is not None:
        overview.my_assigned = review.assignments.filter(member=overview.my_sheet.member).count()
        if overview.scoring_open and overview.my_sheet.submitted_at is None:
            overview.my_unscored = len(unscored_assigned(overview.my_sheet))
    if leader or city:
        sheets = review.member_sheets.select_related("sheet", "member__expert").annotate(
            n_scored=Count("sheet__entries", distinct=True),
        )
        assigned = dict(
            review.assignments.values("member_id").annotate(n=Count("pk")).values_list("member_id", "n")
        )
        overview.members = [MemberRow(row, assigned.get(row.member_id, 0), row.n_scored) for row in sheets]
        # The members' sheets are read once; the reasons and the blockers reuse them.
        inputs = member_inputs(review) if review.panel_sheet_id else []
        needed = reasons_needed(review, inputs=inputs)
        overview.reasons = _reason_rows(review, needed, inputs)
    if leader and scoring_open:
        overview.assignments = list(
            review.assignments.select_related("item", "member__expert").order_by("item__sort_order")
        )
    if scoring_open and (leader or city):
        overview.blockers = finalise_blockers(review) + scoring_blockers(review, needed=needed)
        overview.can_finalise = leader and not overview.blockers
    overview.can_decide_fail = (
        user.role == "city_chief"
        and city
        and application.status == Status.ON_SITE_REVIEW
        and review.conclusion == Conclusion.FAIL
    )
    if review.finalised_at is not None and can_rate(user) and in_scope(user, application):
        ratings = {
            r.expert_id: r
            for r in ExpertRating.objects.filter(application=application).filter(~Q(expert_id=None))
        }
        overview.rateable = [(m, ratings.get(m.expert_id)) for m in seated_members(application)]
    return overview
