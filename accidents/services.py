"""Writes to the accident ledger: record and change accidents. Every write is audited.

``accident_clean`` is the single validation used by the HTML form and the API, so both
refuse the same input with the same Chinese messages, keyed by field.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accidents.domain import AccidentGrade, AccidentType, grade_for
from accidents.models import Accident, ReportingViolation
from accidents.permissions import can_edit_accident, recordable_enterprises, require_accident_recorder
from audit.services import audit_record, diff_fields
from enterprises.models import Enterprise

EDITABLE_FIELDS = (
    "enterprise",
    "occurred_at",
    "place",
    "accident_type",
    "deaths",
    "serious_injuries",
    "minor_injuries",
    "direct_loss_yuan",
    "description",
    "reporting_violation",
    "reported_at",
    "grade_override",
    "grade_override_reason",
)
COUNT_FIELDS = ("deaths", "serious_injuries", "minor_injuries")
MAX_COUNT = 2_147_483_647  # PositiveIntegerField's limit on PostgreSQL
MAX_LOSS = Decimal("999999999999.99")  # DecimalField(max_digits=14, decimal_places=2)
MAX_TEXT = {"place": 200, "description": 5000, "grade_override_reason": 1000}


def _aware(value: Any) -> datetime | None:
    """Return ``value`` as an aware datetime in UTC; a naive one is taken as Beijing time."""
    if value in (None, ""):
        return None
    if not isinstance(value, datetime):
        raise TypeError
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    return value.astimezone(UTC)


def accident_clean(*, actor, data: dict[str, Any], now: datetime | None = None) -> dict[str, Any]:
    """Return validated, normalised accident data, or raise ValidationError keyed by field.

    ``data`` holds the EDITABLE_FIELDS, with ``enterprise`` as an Enterprise. The enterprise
    must be one the actor may record accidents for. Adds the computed ``grade``.
    """
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    enterprise: Enterprise | None = data.get("enterprise")
    cleaned["enterprise"] = enterprise
    if enterprise is None:
        fail("enterprise", _("Choose the enterprise."))
    elif not recordable_enterprises(actor).filter(pk=enterprise.pk).exists():
        fail("enterprise", _("You may only record accidents of enterprises in your own division."))

    for name in ("occurred_at", "reported_at"):
        try:
            cleaned[name] = _aware(data.get(name))
        except TypeError:
            fail(name, _("Enter a valid date and time."))
            cleaned[name] = None
    occurred_at, reported_at = cleaned["occurred_at"], cleaned["reported_at"]
    if occurred_at is None and "occurred_at" not in errors:
        fail("occurred_at", _("Enter when the accident occurred."))
    elif occurred_at is not None and occurred_at > now:
        fail("occurred_at", _("The accident cannot have occurred in the future."))
    if reported_at is not None:
        if reported_at > now:
            fail("reported_at", _("The report time cannot be in the future."))
        elif occurred_at is not None and reported_at < occurred_at:
            fail("reported_at", _("The accident cannot have been reported before it occurred."))

    for name, limit in MAX_TEXT.items():
        cleaned[name] = (data.get(name) or "").strip()
        if len(cleaned[name]) > limit:
            fail(name, _("At most %(n)d characters.") % {"n": limit})
    if not cleaned["place"]:
        fail("place", _("Enter where the accident occurred."))

    cleaned["accident_type"] = data.get("accident_type") or ""
    if cleaned["accident_type"] not in AccidentType.values:
        fail("accident_type", _("Choose one of the 20 accident types of GB 6441."))

    negative = {
        "deaths": _("The number of deaths cannot be negative."),
        "serious_injuries": _("The number of serious injuries cannot be negative."),
        "minor_injuries": _("The number of minor injuries cannot be negative."),
    }
    for name in COUNT_FIELDS:
        value = data.get(name)
        try:
            cleaned[name] = 0 if value in (None, "") else int(value)
        except (TypeError, ValueError):
            fail(name, _("Enter a whole number."))
            cleaned[name] = None
            continue
        if cleaned[name] < 0:
            fail(name, negative[name])
        elif cleaned[name] > MAX_COUNT:
            fail(name, _("This number is too large."))

    loss = data.get("direct_loss_yuan")
    try:
        cleaned["direct_loss_yuan"] = Decimal("0.00") if loss in (None, "") else Decimal(str(loss).strip())
        if not cleaned["direct_loss_yuan"].is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        fail("direct_loss_yuan", _("Enter the direct economic loss in yuan, e.g. 125000.50."))
        cleaned["direct_loss_yuan"] = None
    else:
        amount = cleaned["direct_loss_yuan"]
        if amount < 0:
            fail("direct_loss_yuan", _("The direct economic loss cannot be negative."))
        elif amount > MAX_LOSS:
            fail("direct_loss_yuan", _("The direct economic loss is too large."))
        elif amount != amount.quantize(Decimal("0.01")):
            fail("direct_loss_yuan", _("Give the loss in yuan with at most 2 decimal places."))
        else:
            cleaned["direct_loss_yuan"] = amount.quantize(Decimal("0.01"))

    cleaned["reporting_violation"] = data.get("reporting_violation") or ReportingViolation.NONE
    if cleaned["reporting_violation"] not in ReportingViolation.values:
        fail("reporting_violation", _("Choose how the accident was reported."))

    override = data.get("grade_override") or None
    cleaned["grade_override"] = override
    if override is not None and override not in AccidentGrade.values:
        fail("grade_override", _("Choose one of the four accident grades."))
    elif override is not None and not cleaned["grade_override_reason"]:
        fail("grade_override_reason", _("Give the reason for setting the grade by hand."))
    elif override is None:
        cleaned["grade_override_reason"] = ""

    if errors:
        raise ValidationError(errors)
    cleaned["grade"] = grade_for(cleaned["deaths"], cleaned["serious_injuries"], cleaned["direct_loss_yuan"])
    return cleaned


def _local(value: datetime | None) -> str | None:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else None


def _snapshot(accident: Accident) -> dict[str, Any]:
    """The audited values: readable (enterprise name, Beijing time), stable for diffs."""
    values: dict[str, Any] = {f: getattr(accident, f) for f in EDITABLE_FIELDS if f != "enterprise"}
    values["enterprise"] = accident.enterprise.name if accident.enterprise_id else None
    values["occurred_at"] = _local(accident.occurred_at)
    values["reported_at"] = _local(accident.reported_at)
    values["direct_loss_yuan"] = str(accident.direct_loss_yuan)
    values["grade"] = accident.grade
    return values


def _apply(accident: Accident, cleaned: dict[str, Any]) -> None:
    for name in (*EDITABLE_FIELDS, "grade"):
        setattr(accident, name, cleaned[name])


# Functions (actor, accident) that higher apps run after every saved accident, in its
# transaction: results re-runs the revocation checks (domain.md §10).
_SAVED_HOOKS: list[Callable[..., None]] = []


def register_saved_hook(hook: Callable[..., None]) -> None:
    """Called from an AppConfig.ready(); idempotent."""
    if hook not in _SAVED_HOOKS:
        _SAVED_HOOKS.append(hook)


def _run_saved_hooks(actor, accident: Accident) -> None:
    for hook in _SAVED_HOOKS:
        hook(actor=actor, accident=accident)


@transaction.atomic
def accident_record(*, actor, data: dict[str, Any]) -> Accident:
    """Record an accident of an enterprise in the actor's scope; the grade is computed.

    Raises PermissionDenied for a role that does not record accidents and ValidationError
    (keyed by field) for bad data.
    """
    require_accident_recorder(actor)
    cleaned = accident_clean(actor=actor, data=data)
    accident = Accident(recorded_by=actor)
    _apply(accident, cleaned)
    accident.save()
    audit_record(actor=actor, action="accident.record", target=accident, data={"after": _snapshot(accident)})
    _run_saved_hooks(actor, accident)
    return accident


@transaction.atomic
def accident_update(*, actor, accident: Accident, data: dict[str, Any]) -> Accident:
    """Change an accident the actor may edit; fields left out keep their value. Records the diff.

    The grade is recomputed from the (new) measures; an override stays until it is cleared.
    """
    if not can_edit_accident(actor, accident):
        raise PermissionDenied
    current = {name: getattr(accident, name) for name in EDITABLE_FIELDS}
    cleaned = accident_clean(actor=actor, data={**current, **data})
    before = _snapshot(accident)
    _apply(accident, cleaned)
    accident.save(update_fields=[*EDITABLE_FIELDS, "grade", "updated_at"])
    changes = diff_fields(before, _snapshot(accident))
    if changes:
        audit_record(actor=actor, action="accident.update", target=accident, data={"changes": changes})
    _run_saved_hooks(actor, accident)
    return accident
