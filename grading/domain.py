"""Eligibility (domain.md §4) as a pure function: facts in, a checklist out. No ORM, no clock.

Each line is ``pass``, ``fail`` or ``unknown`` with a reason a user can act on. A ``fail``
blocks submission; an ``unknown`` is confirmed by hand by the county and then the city.
``grading.eligibility`` gathers the facts from the database.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"


@dataclass(frozen=True)
class Check:
    code: str
    label: str
    result: str
    reason: str

    @property
    def failed(self) -> bool:
        return self.result == FAIL

    def as_dict(self) -> dict:
        return {"code": self.code, "label": self.label, "result": self.result, "reason": self.reason}


@dataclass(frozen=True)
class Ban:
    kind: str  # "not_passed", "not_accepted", "revocation", "false_commitment"
    until: date
    source: str  # e.g. the application number


@dataclass(frozen=True)
class EligibilityFacts:
    on: date
    industry_in_scope: bool
    industry_label: str
    in_city: bool
    missing_required_documents: tuple[str, ...]
    safety_manager_recorded: bool
    window_months: int
    deaths: int
    serious_injuries: int
    direct_loss_yuan: Decimal
    accident_count: int
    max_deaths: int
    serious_injury_block: int
    loss_block: Decimal
    on_blacklist: bool
    blacklist_note: str
    bans: tuple[Ban, ...]
    other_open_applications: tuple[str, ...]
    sheet_complete: bool
    sheet_unscored: int
    sheet_percentage: Decimal | None
    sheet_threshold: Decimal | None
    publicity_start: date | None
    publicity_earliest_end: date | None  # None with a start: the calendar does not reach it
    publicity_min_days: int
    commitment_signed: bool
    extra: tuple[Check, ...] = field(default_factory=tuple)


def _d(day: date) -> str:
    return date_format(day, "Y年n月j日")


def evaluate(f: EligibilityFacts) -> list[Check]:
    """Return the checklist E1–E15 in order (plus any checks other apps contribute)."""
    checks: list[Check] = []
    add = checks.append

    if f.industry_in_scope and f.in_city:
        add(
            Check(
                "E1",
                _("Industry and location"),
                PASS,
                _("%(industry)s, located in the city.") % {"industry": f.industry_label},
            )
        )
    elif not f.industry_in_scope:
        add(
            Check(
                "E1",
                _("Industry and location"),
                FAIL,
                _("The enterprise's industry code is not one of the eight industry-and-trade industries."),
            )
        )
    else:
        add(
            Check("E1", _("Industry and location"), FAIL, _("The enterprise is not registered in this city."))
        )

    if f.missing_required_documents:
        add(
            Check(
                "E2",
                _("Licences complete and valid"),
                FAIL,
                _("Missing attachments: %(names)s.") % {"names": "、".join(f.missing_required_documents)},
            )
        )
    else:
        add(
            Check(
                "E2",
                _("Licences complete and valid"),
                UNKNOWN,
                _("All required attachments are uploaded; the county confirms they are valid."),
            )
        )

    if f.safety_manager_recorded:
        add(
            Check(
                "E3",
                _("Safety department or safety managers in place"),
                UNKNOWN,
                _("A safety manager is on record; the county confirms the arrangement."),
            )
        )
    else:
        add(
            Check(
                "E3",
                _("Safety department or safety managers in place"),
                FAIL,
                _("No safety manager is recorded in the enterprise profile."),
            )
        )

    add(
        Check(
            "E4",
            _("Principal, safety managers and special-operation workers certified"),
            UNKNOWN,
            _("The county checks the certificates in the attachments."),
        )
    )

    window = {"months": f.window_months}
    if f.deaths > f.max_deaths:
        add(
            Check(
                "E5",
                _("No serious accident in the last %(months)s months") % window,
                FAIL,
                _("%(n)s death(s) in the last %(months)s months.") % {"n": f.deaths, **window},
            )
        )
    elif f.serious_injuries >= f.serious_injury_block:
        add(
            Check(
                "E5",
                _("No serious accident in the last %(months)s months") % window,
                FAIL,
                _("%(n)s serious injuries in the last %(months)s months (the limit is fewer than %(limit)s).")
                % {"n": f.serious_injuries, "limit": f.serious_injury_block, **window},
            )
        )
    elif f.direct_loss_yuan >= f.loss_block:
        add(
            Check(
                "E5",
                _("No serious accident in the last %(months)s months") % window,
                FAIL,
                _(
                    "Direct loss of %(loss)s yuan in the last %(months)s months (the limit is less than %(limit)s yuan)."
                )
                % {"loss": f"{f.direct_loss_yuan:,.2f}", "limit": f"{f.loss_block:,.0f}", **window},
            )
        )
    else:
        add(
            Check(
                "E5",
                _("No serious accident in the last %(months)s months") % window,
                PASS,
                _(
                    "Accident ledger: %(count)s accident(s), %(deaths)s death(s), %(serious)s serious injuries, %(loss)s yuan direct loss."
                )
                % {
                    "count": f.accident_count,
                    "deaths": f.deaths,
                    "serious": f.serious_injuries,
                    "loss": f"{f.direct_loss_yuan:,.2f}",
                },
            )
        )

    add(Check("E6", _("No event with major adverse social impact"), UNKNOWN, _("Confirmed by the county.")))

    if f.on_blacklist:
        add(
            Check(
                "E7",
                _("Not on the credit blacklist"),
                FAIL,
                _("The enterprise is on the credit blacklist.")
                + (f" {f.blacklist_note}" if f.blacklist_note else ""),
            )
        )
    else:
        add(Check("E7", _("Not on the credit blacklist"), PASS, _("Not on the blacklist.")))

    ban_labels = {
        "not_passed": ("E8", _("Not within a ban after a failed grading")),
        "revocation": ("E9", _("Not within a ban after a revocation")),
        "false_commitment": ("E10", _("Not within a ban after a false commitment")),
        "not_accepted": ("E8", _("Not within a ban after a refused application")),
    }
    active = [b for b in f.bans if b.until > f.on]
    reported = set()
    for ban in sorted(active, key=lambda b: b.until, reverse=True):
        code, label = ban_labels[ban.kind]
        if code in reported:
            continue
        reported.add(code)
        add(
            Check(
                code,
                label,
                FAIL,
                _("No new application before %(date)s (%(source)s).")
                % {"date": _d(ban.until), "source": ban.source},
            )
        )
    if not active:
        add(Check("E8", _("Not within a ban"), PASS, _("No ban in force.")))

    if f.other_open_applications:
        add(
            Check(
                "E12",
                _("No other open application"),
                FAIL,
                _("Application %(numbers)s is still open.")
                % {"numbers": "、".join(f.other_open_applications)},
            )
        )
    else:
        add(Check("E12", _("No other open application"), PASS, _("No other open application.")))

    if not f.sheet_complete:
        add(
            Check(
                "E13",
                _("Self-assessment complete"),
                FAIL,
                _("%(n)s item(s) of the self-assessment are not scored yet.") % {"n": f.sheet_unscored},
            )
        )
    elif (
        f.sheet_threshold is not None
        and f.sheet_percentage is not None
        and f.sheet_percentage < f.sheet_threshold
    ):
        add(
            Check(
                "E13",
                _("Self-assessment complete"),
                FAIL,
                _(
                    "The self-assessment scores %(score)s, below the %(threshold)s needed for the grade applied for."
                )
                % {"score": f.sheet_percentage, "threshold": f.sheet_threshold},
            )
        )
    else:
        add(
            Check(
                "E13",
                _("Self-assessment complete"),
                PASS,
                _("Self-assessment complete: %(score)s.") % {"score": f.sheet_percentage},
            )
        )

    minimum = {"n": f.publicity_min_days}
    if f.publicity_start is None:
        add(
            Check(
                "E14",
                _("Internal publicity of at least %(n)s working days") % minimum,
                FAIL,
                _("The internal publicity has not started."),
            )
        )
    elif f.publicity_earliest_end is None:
        add(
            Check(
                "E14",
                _("Internal publicity of at least %(n)s working days") % minimum,
                FAIL,
                _(
                    "The working-day calendar does not cover the publicity period yet; ask the administrator to record next year's holidays."
                ),
            )
        )
    elif f.on < f.publicity_earliest_end:
        add(
            Check(
                "E14",
                _("Internal publicity of at least %(n)s working days") % minimum,
                FAIL,
                _("Posted from %(start)s; it may be submitted from %(end)s.")
                % {"start": _d(f.publicity_start), "end": _d(f.publicity_earliest_end)},
            )
        )
    else:
        add(
            Check(
                "E14",
                _("Internal publicity of at least %(n)s working days") % minimum,
                PASS,
                _("Posted from %(start)s.") % {"start": _d(f.publicity_start)},
            )
        )

    if f.commitment_signed:
        add(Check("E15", _("Commitment signed"), PASS, _("Signed by the principal.")))
    else:
        add(Check("E15", _("Commitment signed"), FAIL, _("The principal has not signed the commitment.")))

    checks.extend(f.extra)
    return checks


def blocking(checks: list[Check]) -> list[Check]:
    return [c for c in checks if c.failed]


@dataclass(frozen=True)
class CommitmentNumbers:
    """The regulation parameters the commitment quotes, as of the signing day."""

    window_months: int
    serious_injury_block: int
    loss_block: Decimal
    ban_false_commitment_months: int


def commitment_lines(n: CommitmentNumbers) -> list[str]:
    """The conditions the principal commits to (承诺书), in the order of domain.md §4."""
    accidents = _(
        "In the %(months)s months before applying it had no fatal accident, fewer than %(serious)s serious injuries in total and a direct economic loss of less than %(loss)s yuan in total."
    ) % {"months": n.window_months, "serious": n.serious_injury_block, "loss": f"{n.loss_block:,.0f}"}
    truth = _(
        "Everything filed is true; a false commitment ends the application and bars a new one for %(months)s months."
    ) % {"months": n.ban_false_commitment_months}
    return [
        _("The enterprise belongs to an industry-and-trade industry and is located in this city."),
        _("Its licences required by law are complete and valid."),
        _("It has a safety department or full-time or part-time safety managers as required."),
        _("Its principal, safety managers and special-operation workers hold valid certificates."),
        accidents,
        _("It caused no event with a major adverse social impact."),
        _("It is not on the credit blacklist for work safety."),
        _("It is not within a ban after a failed grading, a revocation or a false commitment."),
        _("It has screened its hazards and has no open major accident hazard."),
        _("The self-assessment was done truthfully and posted inside the enterprise."),
        truth,
    ]


def commitment_text(*, enterprise_name: str, uscc: str, grade_label: str, numbers: CommitmentNumbers) -> str:
    """The full text the principal signs; its SHA-256 is stored with the signature."""
    head = _(
        "%(name)s (unified social credit code %(uscc)s) applies for %(grade)s work-safety standardization grading and commits that:"
    ) % {
        "name": enterprise_name,
        "uscc": uscc,
        "grade": grade_label,
    }
    body = "\n".join(f"{n}. {line}" for n, line in enumerate(commitment_lines(numbers), start=1))
    return f"{head}\n{body}"
