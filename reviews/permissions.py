"""Who may do what on panels and on-site reviews, and who reads which score sheet.

The case itself is scoped by ``grading.permissions`` (experts see the cases of their confirmed
seats through ``services.expert_visibility``). The review's sheets plug into
``standards.permissions.register_sheet_access`` from ``ReviewsConfig.ready``:

- a member reads and edits only his own sheet, while the review is on site and until he
  submits it (scoring is blind: he never sees another member's sheet);
- the leader reads every member's sheet and edits the panel sheet until he finalises;
- everyone who sees the case reads the panel sheet once the review is finalised (the
  enterprise receives the nonconformity list then); the city reads everything (standards'
  manager roles).
"""

from django.db.models import Q

from accounts.roles import Role
from grading.models import Status
from grading.permissions import visible_to as applications_visible_to
from reviews.models import PanelMember

CITY_STAFF = frozenset({Role.CITY_OFFICER, Role.CITY_CHIEF})
# Who reads the draw record (its exclusions and seed): the city and the bureau (纪检 included).
DRAW_READERS = CITY_STAFF | {Role.BUREAU_LEADER, Role.SYSTEM_ADMIN}

_LEADER = {"role": PanelMember.Role.LEADER, "state": PanelMember.State.CONFIRMED}


def sheets_visible_q(user) -> Q:
    """The review sheets the user reads beyond his own (plugged into standards)."""
    finalised_panel = Q(
        review_as_panel__finalised_at__isnull=False,
        review_as_panel__application__in=applications_visible_to(user).values("pk"),
    )
    if getattr(user, "role", None) != Role.EXPERT:
        return finalised_panel
    leads = PanelMember.objects.filter(expert__user=user, **_LEADER).values("panel__application_id")
    return (
        finalised_panel
        | Q(review_member__member__expert__user=user)
        | Q(review_member__review__application_id__in=leads)
        | Q(review_as_panel__application_id__in=leads)
    )


def _review_of(sheet):
    """(review, member sheet or None) of a review sheet; (None, None) for other sheets."""
    if not hasattr(sheet, "_review_link"):
        link = (None, None)
        if sheet.kind == "expert":
            from reviews.models import MemberSheet

            row = (
                MemberSheet.objects.select_related("review__application", "member__expert")
                .filter(sheet_id=sheet.pk)
                .first()
            )
            if row is not None:
                link = (row.review, row)
        elif sheet.kind == "consolidated":
            from reviews.models import SiteReview

            review = SiteReview.objects.select_related("application").filter(panel_sheet_id=sheet.pk).first()
            link = (review, None)
        sheet._review_link = link
    return sheet._review_link


def _scoring_open(review) -> bool:
    return review.application.status == Status.ON_SITE_REVIEW and review.finalised_at is None


def can_edit_review_sheet(user, sheet) -> bool | None:
    """A member edits his own sheet until he submits it; the leader edits the panel sheet."""
    review, member_sheet = _review_of(sheet)
    if review is None:
        return None
    if not _scoring_open(review):
        return False
    if member_sheet is not None:
        return member_sheet.submitted_at is None and member_sheet.member.expert.user_id == user.pk
    return PanelMember.objects.filter(
        panel__application_id=review.application_id, expert__user=user, **_LEADER
    ).exists()


def sheet_is_review_sheet(sheet) -> bool:
    """A review sheet is submitted and locked through the review, not on the scoring page."""
    return _review_of(sheet)[0] is not None


def review_sheet_links(user, sheet) -> dict | None:
    """What the scoring page of a review sheet shows about its case: back link, my items."""
    review, member_sheet = _review_of(sheet)
    if review is None:
        return None
    from django.urls import reverse

    assigned = set()
    if member_sheet is not None:
        assigned = set(
            member_sheet.member.assignments.filter(review=review).values_list("item__code", flat=True)
        )
    return {
        "url": reverse("reviews:scoring", args=[review.application_id]),
        "number": review.application.number,
        "assigned": assigned
        if member_sheet is not None and member_sheet.member.expert.user_id == user.pk
        else set(),
    }
