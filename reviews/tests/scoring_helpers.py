"""Driving an on-site review to its end through the real services, for tests that need one.

Start from the ``on_site`` fixture (``reviews/tests/conftest.py``) and call
``finalise_review(personas, application, panel, review, deductions={"1.1.1": 1})``: the city and
county officers sign in to both meetings, each item's assigned member scores it on his own
sheet, every member records the rest of his items as conforming and submits (a member cannot
hand in while an item assigned to him has no entry), the leader consolidates, gives a reason
wherever one is owed and finalises. The review comes back refreshed (conclusion, score, failed vetoes stored).

Smaller steps (``sign_in``, ``score``, ``submit_all``, ``consolidate``) are public too, for tests
that stop half way.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal

from reviews.models import ItemAssignment, MemberSheet, PanelMember, SiteReview
from reviews.services import (
    attendance_record,
    consolidation_build,
    consolidation_reason_set,
    member_sheet_fill_conforming,
    member_sheet_submit,
    reasons_needed,
    review_finalise,
)
from reviews.tests.test_site_review import _leader
from standards.services import DeductionIn, EntryIn, sheet_entries_save

# What an item's scoring may be given as: points alone, one DeductionIn, several, or a whole
# EntryIn (for extra deductions or "not applicable").
DeductionSpec = object

CONSOLIDATION_REASON = "组长核实现场证据后确定"


def leader_of(panel):
    """The user of the panel's leader."""
    return _leader(panel)


def default_reason(code: str) -> str:
    return f"{code}项现场核查不符合要求"


def as_deductions(code: str, spec: DeductionSpec, *, hazard: bool = False) -> tuple[DeductionIn, ...]:
    """``spec`` as the deductions of item ``code`` (points alone get a default reason)."""
    if isinstance(spec, EntryIn):
        return spec.deductions
    if isinstance(spec, DeductionIn):
        return (spec,)
    if isinstance(spec, list | tuple):
        return tuple(spec)
    return (DeductionIn(Decimal(str(spec)), default_reason(code), hazard),)


def sign_in(personas, review: SiteReview, *, principal: bool = True) -> None:
    """The city and county officers sign themselves in to both meetings (what finalising needs);
    with ``principal`` the leader also records the enterprise's principal at both."""
    leader = leader_of(review.application.panel)
    for meeting in ("opening", "closing"):
        for officer in (personas.city_officer, personas.county_officer):
            attendance_record(actor=officer, review=review, meeting=meeting, user=officer)
        if principal:
            attendance_record(
                actor=leader,
                review=review,
                meeting=meeting,
                name=review.application.enterprise.principal_name or "企业主要负责人",
                organisation=review.application.enterprise.name,
                role="enterprise",
            )


def member_sheets(review: SiteReview) -> dict[int, MemberSheet]:
    """The review's member sheets by PanelMember id."""
    return {
        row.member_id: row for row in review.member_sheets.select_related("member__expert__user", "sheet")
    }


def assigned_member(review: SiteReview, code: str) -> PanelMember:
    return (
        ItemAssignment.objects.select_related("member__expert__user")
        .get(review=review, item__code=code)
        .member
    )


def score(
    review: SiteReview,
    deductions: Mapping[str, DeductionSpec],
    *,
    hazards: Iterable[str] = (),
    by: Mapping[str, PanelMember] | None = None,
) -> None:
    """Each item's member (its assignee unless ``by`` names another) saves its deductions on his sheet.

    ``hazards``: codes whose point-only deductions constitute a hazard.
    """
    hazards = set(hazards)
    sheets = member_sheets(review)
    per_member: dict[int, list[EntryIn]] = defaultdict(list)
    for code, spec in deductions.items():
        member = (by or {}).get(code) or assigned_member(review, code)
        entry = (
            spec
            if isinstance(spec, EntryIn)
            else EntryIn(code=code, deductions=as_deductions(code, spec, hazard=code in hazards))
        )
        per_member[member.pk].append(entry)
    for member_id, entries in per_member.items():
        row = sheets[member_id]
        sheet_entries_save(actor=row.member.expert.user, sheet=row.sheet, entries=entries)


def submit_all(review: SiteReview) -> None:
    """Every member records his unscored assigned items as conforming, then hands his sheet in."""
    for row in member_sheets(review).values():
        user = row.member.expert.user
        member_sheet_fill_conforming(actor=user, member_sheet=row)
        member_sheet_submit(actor=user, member_sheet=row)


def consolidate(review: SiteReview, *, reason: str = CONSOLIDATION_REASON) -> list[str]:
    """The leader builds the panel sheet and gives a reason for every item that needs one.

    Returns the codes he gave reasons for.
    """
    leader = leader_of(review.application.panel)
    consolidation_build(actor=leader, review=review)
    review.refresh_from_db()
    codes = [need.code for need in reasons_needed(review)]
    for code in codes:
        consolidation_reason_set(actor=leader, review=review, code=code, reason=reason)
    return codes


def other_member(review: SiteReview, code: str) -> PanelMember:
    """A seated member other than item ``code``'s assignee (to make the sheets diverge)."""
    assignee = assigned_member(review, code)
    return next(row.member for row in member_sheets(review).values() if row.member_id != assignee.pk)


def finalise_review(
    personas,
    application,
    panel,
    review: SiteReview,
    deductions: Mapping[str, DeductionSpec] | None = None,
    *,
    hazards: Iterable[str] = (),
    second_opinions: Mapping[str, DeductionSpec] | None = None,
    comment: str = "",
) -> SiteReview:
    """Take an opened review (fixture ``on_site``) to its finalisation by the leader.

    ``deductions``: item code → points (or a DeductionIn, a sequence of them, or an EntryIn),
    scored by the item's assigned member. ``hazards``: codes whose point-only deductions are hazards.
    ``second_opinions``: deductions another member records on the same items, so the sheets
    diverge and the leader owes (and gives) reasons. Returns the review, refreshed.
    """
    assert review.application_id == application.pk and panel.application_id == application.pk
    sign_in(personas, review)
    score(review, deductions or {}, hazards=hazards)
    if second_opinions:
        others = {code: other_member(review, code) for code in second_opinions}
        score(review, second_opinions, by=others)
    submit_all(review)
    consolidate(review)
    review_finalise(actor=leader_of(panel), application=application, comment=comment)
    review.refresh_from_db()
    application.refresh_from_db()
    return review
