"""The transitions tables of the application and of its two review documents.

The tables say who may make which move from which state; they hold no business checks. The
checks that depend on the case's data (publicity elapsed, eligibility, attachments, an
approved opinion) run in ``grading.services`` through ``check_guards``, so a refused click
gets a precise message instead of a vanished button. Later issues extend
``APPLICATION_FLOW`` with the review, rectification and publicity moves (``Flow.extend``) and
let ``withdraw`` and ``terminate_false_commitment`` start from their new states
(``Flow.add_sources``).
"""

from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from grading.models import ApplicationTransition, OpinionStatus, OpinionTransition, Status
from lib.workflow import T, flow

PRINCIPAL = {Role.ENTERPRISE_PRINCIPAL}
COUNTY = {Role.COUNTY_OFFICER, Role.COUNTY_CHIEF}
COUNTY_CHIEF = {Role.COUNTY_CHIEF}
CITY_CHIEF = {Role.CITY_CHIEF}

BEFORE_ACCEPTANCE = (
    Status.DRAFT,
    Status.INTERNAL_PUBLICITY,
    Status.COUNTY_REVIEW,
    Status.COUNTY_RETURNED,
    Status.CITY_REVIEW,
    Status.CITY_RETURNED,
)

APPLICATION_FLOW = flow(
    T(
        "start_internal_publicity",
        [Status.DRAFT],
        Status.INTERNAL_PUBLICITY,
        roles=PRINCIPAL,
        label=_("Start internal publicity"),
    ),
    T(
        "back_to_draft",
        [Status.INTERNAL_PUBLICITY],
        Status.DRAFT,
        roles=PRINCIPAL,
        label=_("Stop publicity and edit again"),
    ),
    T(
        "submit",
        [Status.INTERNAL_PUBLICITY],
        Status.COUNTY_REVIEW,
        roles=PRINCIPAL,
        label=_("Submit to the county"),
    ),
    T(
        "county_return",
        [Status.COUNTY_REVIEW],
        Status.COUNTY_RETURNED,
        roles=COUNTY,
        label=_("Return for correction"),
    ),
    T(
        "county_resubmit",
        [Status.COUNTY_RETURNED],
        Status.COUNTY_REVIEW,
        roles=PRINCIPAL,
        label=_("Resubmit to the county"),
    ),
    T(
        "county_forward",
        [Status.COUNTY_REVIEW],
        Status.CITY_REVIEW,
        roles=COUNTY_CHIEF,
        label=_("Approve the opinion and forward to the city"),
    ),
    T(
        "city_return",
        [Status.CITY_REVIEW],
        Status.CITY_RETURNED,
        roles=CITY_CHIEF,
        label=_("Return to the enterprise for correction"),
    ),
    T(
        "city_resubmit",
        [Status.CITY_RETURNED],
        Status.CITY_REVIEW,
        roles=PRINCIPAL,
        label=_("Resubmit to the city"),
    ),
    T(
        "city_return_county",
        [Status.CITY_REVIEW],
        Status.COUNTY_REVIEW,
        roles=CITY_CHIEF,
        label=_("Return to the county"),
    ),
    T("accept", [Status.CITY_REVIEW], Status.ACCEPTED, roles=CITY_CHIEF, label=_("Accept")),
    T("not_accept", [Status.CITY_REVIEW], Status.NOT_ACCEPTED, roles=CITY_CHIEF, label=_("Do not accept")),
    T(
        "withdraw",
        [*BEFORE_ACCEPTANCE, Status.ACCEPTED],
        Status.WITHDRAWN,
        roles=PRINCIPAL,
        label=_("Withdraw the application"),
    ),
    T(
        "terminate_false_commitment",
        [s for s in BEFORE_ACCEPTANCE if s != Status.DRAFT] + [Status.ACCEPTED],
        Status.TERMINATED_FALSE_COMMITMENT,
        roles=CITY_CHIEF,
        label=_("Terminate: false commitment"),
    ),
    log_model=ApplicationTransition,
    log_fk="application",
)

# Moves the enterprise makes itself; the others are made by regulators.
ENTERPRISE_TRANSITIONS = frozenset(
    {"start_internal_publicity", "back_to_draft", "submit", "county_resubmit", "city_resubmit", "withdraw"}
)


def _opinion_flow(drafters: set[str], approvers: set[str], log_fk: str):
    return flow(
        T(
            "submit_for_approval",
            [OpinionStatus.DRAFT, OpinionStatus.SENT_BACK],
            OpinionStatus.SUBMITTED,
            roles=drafters,
            label=_("Submit to the chief for approval"),
        ),
        T(
            "send_back",
            [OpinionStatus.SUBMITTED],
            OpinionStatus.SENT_BACK,
            roles=approvers,
            label=_("Send back to the officer"),
        ),
        T("approve", [OpinionStatus.SUBMITTED], OpinionStatus.APPROVED, roles=approvers, label=_("Approve")),
        log_model=OpinionTransition,
        log_fk=log_fk,
    )


COUNTY_OPINION_FLOW = _opinion_flow({Role.COUNTY_OFFICER, Role.COUNTY_CHIEF}, COUNTY_CHIEF, "county_opinion")
CITY_DECISION_FLOW = _opinion_flow({Role.CITY_OFFICER, Role.CITY_CHIEF}, CITY_CHIEF, "city_decision")

# What each state's timer is (domain.md §3 and §12): a "minimum" blocks the next step until it
# has run; a "limit" is the authority's deadline, alerting at 80 % and 100 %. States absent
# here stop the clock (the enterprise's correction time does not count against the authority).
STATE_TIMERS: dict[str, tuple[str, str]] = {
    Status.INTERNAL_PUBLICITY: ("internal_publicity_min", "minimum"),
    Status.COUNTY_REVIEW: ("county_review_limit", "limit"),
    Status.CITY_REVIEW: ("city_review_limit", "limit"),
    Status.ACCEPTED: ("site_review_limit", "limit"),
}
