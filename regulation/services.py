"""Changing parameters and calendar days (system administrators only), with history and audit."""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from regulation.models import CalendarDay, RegulationParameter, Unit


def _require_admin(actor) -> None:
    if getattr(actor, "role", None) != "system_admin":
        raise PermissionDenied


def _check_value(value: str, unit: str) -> str:
    value = value.strip()
    if unit == Unit.TEXT:
        if not value:
            raise ValidationError({"value": _("Enter a value.")})
        return value
    try:
        numbers = [Decimal(part.strip()) for part in value.split(",")]
    except InvalidOperation as exc:
        raise ValidationError({"value": _("Enter a number, or numbers separated by commas.")}) from exc
    if any(not n.is_finite() or n < 0 for n in numbers):
        raise ValidationError({"value": _("Enter a number, or numbers separated by commas.")})
    return ", ".join(str(n) for n in numbers)


@transaction.atomic
def parameter_set(
    *, actor, key: str, value: str, effective_from: date, source_note: str, confidence: str | None = None
) -> RegulationParameter:
    """Record a new value of a parameter from ``effective_from``; the previous version ends the day before.

    The history is never rewritten: a new value must start after the current one started.
    """
    _require_admin(actor)
    current = (
        RegulationParameter.objects.select_for_update().filter(key=key, effective_to__isnull=True).first()
    )
    if current is None:
        raise ValidationError({"key": _("Unknown parameter.")})
    if effective_from <= current.effective_from:
        raise ValidationError(
            {
                "effective_from": _(
                    "The new value must take effect after %(date)s, when the current one did."
                )
                % {"date": current.effective_from}
            }
        )
    if not source_note.strip():
        raise ValidationError({"source_note": _("Say where the new value comes from.")})
    clean = _check_value(value, current.unit)
    current.effective_to = effective_from - timedelta(days=1)
    current.save(update_fields=["effective_to"])
    new = RegulationParameter.objects.create(
        key=key,
        label=current.label,
        value=clean,
        unit=current.unit,
        effective_from=effective_from,
        confidence=confidence or current.confidence,
        source_note=source_note.strip(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="parameter.set",
        target=new,
        data={"key": key, "old": current.value, "new": clean, "from": effective_from},
    )
    return new


@transaction.atomic
def calendar_day_save(*, actor, day: date, kind: str, name: str, source: str = "") -> CalendarDay:
    """Record or change a holiday or make-up working day."""
    _require_admin(actor)
    if kind not in CalendarDay.Kind.values:
        raise ValidationError({"kind": _("Choose holiday or make-up working day.")})
    if kind == CalendarDay.Kind.MAKEUP_WORKDAY and day.weekday() < 5:
        raise ValidationError({"date": _("A make-up working day falls on a Saturday or Sunday.")})
    row, created = CalendarDay.objects.update_or_create(
        date=day, defaults={"kind": kind, "name": name.strip(), "source": source.strip(), "created_by": actor}
    )
    audit_record(actor=actor, action="calendar.save", target=row, data={"kind": kind, "created": created})
    return row


@transaction.atomic
def calendar_day_delete(*, actor, row: CalendarDay) -> None:
    _require_admin(actor)
    audit_record(actor=actor, action="calendar.delete", target=row, data={"date": row.date, "kind": row.kind})
    row.delete()
