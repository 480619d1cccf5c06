"""The hazard's transitions table (domain.md §8) and the application's rectification moves.

A hazard: 待整改 → 整改中 → 待验收 → 已销号, and a rejected verification (退回) back to
整改中. The enterprise starts and submits; verification is by the panel leader for a review's
hazards, the county bureau for the enterprise's own (whose exact person is a guard in the
services: the one who submitted the fix can never verify it). Overdue is derived.

The application's moves (domain.md §3 #10–12) extend ``grading.workflow.APPLICATION_FLOW``:
the principal submits the rectification report (rectifying → rectification_check), the leader
confirms it (→ result_confirmation, gated on the plan: ``rectification.domain.gate``), the
科长 decides a failed or missed rectification (→ not_passed).
"""

from django.utils.translation import gettext_lazy as _

from accounts.roles import COUNTY_ROLES, ENTERPRISE_ROLES, Role
from grading.models import Status
from grading.workflow import APPLICATION_FLOW
from lib.workflow import T, flow
from rectification.models import Hazard, HazardTransition

H = Hazard.Status
# The panel leader (a review's hazards), the county bureau, and the principal for a 一般 hazard
# the enterprise found itself (``rectification.permissions.may_verify`` says which one).
VERIFIERS = {Role.EXPERT, *COUNTY_ROLES, Role.ENTERPRISE_PRINCIPAL}

HAZARD_FLOW = flow(
    T("start", [H.PENDING], H.IN_PROGRESS, roles=ENTERPRISE_ROLES, label=_("Start the rectification")),
    T(
        "submit",
        [H.PENDING, H.IN_PROGRESS],
        H.AWAITING_VERIFICATION,
        roles=ENTERPRISE_ROLES,
        label=_("Submit for verification"),
    ),
    T("verify", [H.AWAITING_VERIFICATION], H.CLOSED, roles=VERIFIERS, label=_("Verify and close")),
    T("reject", [H.AWAITING_VERIFICATION], H.IN_PROGRESS, roles=VERIFIERS, label=_("Send back")),
    log_model=HazardTransition,
    log_fk="hazard",
)

RECTIFICATION_TRANSITIONS = (
    T(
        "submit_rectification",
        [Status.RECTIFYING],
        Status.RECTIFICATION_CHECK,
        roles={Role.ENTERPRISE_PRINCIPAL},
        label=_("Submit the rectification report"),
    ),
    T(
        "confirm_rectification",
        [Status.RECTIFICATION_CHECK],
        Status.RESULT_CONFIRMATION,
        roles={Role.EXPERT},
        label=_("Confirm the rectification"),
    ),
    T(
        "return_rectification",
        [Status.RECTIFICATION_CHECK],
        Status.RECTIFYING,
        roles={Role.EXPERT},
        label=_("Send the rectification back"),
    ),
    T(
        "fail_rectification",
        [Status.RECTIFYING, Status.RECTIFICATION_CHECK],
        Status.NOT_PASSED,
        roles={Role.CITY_CHIEF},
        label=_("Decide: rectification failed"),
    ),
)


def extend_application_flow() -> None:
    """Add the rectification moves once (idempotent)."""
    if "submit_rectification" in APPLICATION_FLOW.transitions:
        return
    APPLICATION_FLOW.extend(*RECTIFICATION_TRANSITIONS)
    APPLICATION_FLOW.add_sources("terminate_false_commitment", Status.RECTIFICATION_CHECK)


__all__ = ["ENTERPRISE_ROLES", "HAZARD_FLOW", "extend_application_flow"]
