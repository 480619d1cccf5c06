"""The application's moves through the panel and the on-site review (domain.md §3 #7–9, #12).

They extend ``grading.workflow.APPLICATION_FLOW`` when this module is imported (from
``ReviewsConfig.ready``): the table stays one table, and grading knows nothing of panels.
Moves made by the panel leader carry the ``expert`` role; that the expert leads *this*
panel is a guard in the services.
"""

from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from grading.models import Status
from grading.workflow import APPLICATION_FLOW
from lib.workflow import T

CITY_OFFICER = {Role.CITY_OFFICER, Role.CITY_CHIEF}
CITY_CHIEF = {Role.CITY_CHIEF}
LEADER = {Role.EXPERT}

REVIEW_TRANSITIONS = (
    T("form_panel", [Status.ACCEPTED], Status.PANEL_FORMING, roles=CITY_OFFICER, label=_("Draw the panel")),
    T(
        "approve_panel",
        [Status.PANEL_FORMING],
        Status.REVIEW_SCHEDULED,
        roles=CITY_CHIEF,
        label=_("Approve the panel and schedule the review"),
    ),
    T(
        "open_review",
        [Status.REVIEW_SCHEDULED],
        Status.ON_SITE_REVIEW,
        roles=LEADER,
        label=_("Open the on-site review"),
    ),
    T(
        "finalise_with_rectification",
        [Status.ON_SITE_REVIEW],
        Status.RECTIFYING,
        roles=LEADER,
        label=_("Finalise the review: rectification needed"),
    ),
    T(
        "finalise_without_findings",
        [Status.ON_SITE_REVIEW],
        Status.RESULT_CONFIRMATION,
        roles=LEADER,
        label=_("Finalise the review: nothing to rectify"),
    ),
    T(
        "fail_review",
        [Status.ON_SITE_REVIEW],
        Status.NOT_PASSED,
        roles=CITY_CHIEF,
        label=_("Decide: not passed"),
    ),
)


def extend_application_flow() -> None:
    """Add the review moves once (idempotent: ready() may run more than once in tests)."""
    if "form_panel" in APPLICATION_FLOW.transitions:
        return
    APPLICATION_FLOW.extend(*REVIEW_TRANSITIONS)
    APPLICATION_FLOW.add_sources("withdraw", Status.PANEL_FORMING, Status.REVIEW_SCHEDULED)
    APPLICATION_FLOW.add_sources(
        "terminate_false_commitment",
        Status.PANEL_FORMING,
        Status.REVIEW_SCHEDULED,
        Status.ON_SITE_REVIEW,
        Status.RECTIFYING,
        Status.RESULT_CONFIRMATION,
    )
