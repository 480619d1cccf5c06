"""Transitions tables of results (domain.md §3 #12–15, §9).

- ``PUBLICITY_FLOW``: a batch is drafted and submitted by the city officer, approved (published)
  or sent back by the 科长, and announced by the 科长.
- ``REVOCATION_FLOW``: a flagged certificate is revoked or the flag dismissed, by the 科长.
- The application gains ``start_publicity`` (result_confirmation → publicity, when the batch is
  approved), ``open_objection_check`` (publicity → objection_check, by the system when the window
  ends with an objection open), ``objection_return`` (an upheld objection sends it back to
  result_confirmation with the reasons), ``fail_result`` (result_confirmation → not_passed, the
  科长) and ``announce`` (→ announced, the 科长).

Moves the system makes (the periodic command) pass ``role=SYSTEM``.
"""

from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from grading.models import Status
from grading.workflow import APPLICATION_FLOW
from lib.workflow import T, flow
from results.models import PublicityBatch, PublicityTransition, RevocationCase, RevocationTransition

SYSTEM = "system"
CITY = {Role.CITY_OFFICER, Role.CITY_CHIEF}
CHIEF = {Role.CITY_CHIEF}
B = PublicityBatch.Status
R = RevocationCase.Status

PUBLICITY_FLOW = flow(
    T("submit", [B.DRAFT], B.SUBMITTED, roles=CITY, label=_("Submit to the chief")),
    T("send_back", [B.SUBMITTED], B.DRAFT, roles=CHIEF, label=_("Send back")),
    T("approve", [B.SUBMITTED], B.PUBLISHED, roles=CHIEF, label=_("Approve and publish")),
    T("announce", [B.PUBLISHED], B.ANNOUNCED, roles=CHIEF, label=_("Issue the announcement")),
    log_model=PublicityTransition,
    log_fk="batch",
)

REVOCATION_FLOW = flow(
    T("revoke", [R.FLAGGED], R.REVOKED, roles=CHIEF, label=_("Revoke the certificate")),
    T("dismiss", [R.FLAGGED], R.DISMISSED, roles=CHIEF, label=_("Dismiss the flag")),
    log_model=RevocationTransition,
    log_fk="case",
)

RESULT_TRANSITIONS = (
    T(
        "start_publicity",
        [Status.RESULT_CONFIRMATION],
        Status.PUBLICITY,
        roles=CHIEF,
        label=_("Put on publicity"),
    ),
    T(
        "open_objection_check",
        [Status.PUBLICITY],
        Status.OBJECTION_CHECK,
        roles={SYSTEM},
        label=_("Check the objections"),
    ),
    T(
        "objection_return",
        [Status.PUBLICITY, Status.OBJECTION_CHECK],
        Status.RESULT_CONFIRMATION,
        roles=CITY,
        label=_("Objection upheld: take off the list"),
    ),
    T(
        "fail_result",
        [Status.RESULT_CONFIRMATION],
        Status.NOT_PASSED,
        roles=CHIEF,
        label=_("Decide on the result: not passed"),
    ),
    T(
        "announce",
        [Status.PUBLICITY, Status.OBJECTION_CHECK],
        Status.ANNOUNCED,
        roles=CHIEF,
        label=_("Announce"),
    ),
)


def extend_application_flow() -> None:
    """Add the publicity moves once (idempotent)."""
    if "start_publicity" in APPLICATION_FLOW.transitions:
        return
    APPLICATION_FLOW.extend(*RESULT_TRANSITIONS)
    APPLICATION_FLOW.add_sources("terminate_false_commitment", Status.PUBLICITY, Status.OBJECTION_CHECK)
