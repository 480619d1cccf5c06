"""Writes to the registry: create, edit and import enterprises. Every write is audited.

``enterprise_clean`` is the single validation used by the HTML form, the API and the Excel
import, so all three refuse the same input with the same Chinese messages.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Region
from accounts.permissions import region_scope_path
from audit.services import audit_record, diff_fields
from enterprises.domain import UsccError, derive_industry, is_valid_gb4754_code, normalise_uscc, validate_uscc
from enterprises.models import Enterprise, RiskTag
from enterprises.permissions import can_edit_enterprise, require_enterprise_creator
from enterprises.selectors import industry_mappings

PHONE_RE = re.compile(r"^[0-9+\-() ]{7,20}$")
PROGRESS_EVERY = 25  # import rows between progress reports

EDITABLE_FIELDS = (
    "uscc",
    "name",
    "short_name",
    "region",
    "town",
    "address",
    "legal_representative",
    "principal_name",
    "principal_phone",
    "safety_manager_name",
    "safety_manager_phone",
    "employee_count",
    "scale",
    "gb4754_code",
    "status",
    "on_credit_blacklist",
    "credit_blacklist_note",
)
BLACKLIST_NOTE_MAX = 200


@dataclass
class CleanContext:
    """Look-ups shared across many rows of one import, so validation is not a query per row."""

    mappings: list[tuple[str, str]] = field(default_factory=industry_mappings)
    # When set, the USCCs already registered among those being checked (one query for a file).
    taken_usccs: set[str] | None = None


def enterprise_clean(
    *, actor, data: dict[str, Any], instance: Enterprise | None = None, context: CleanContext | None = None
) -> dict[str, Any]:
    """Return validated, normalised enterprise data, or raise ValidationError keyed by field.

    ``data`` holds the EDITABLE_FIELDS (region and town as Region objects) plus ``risk_tags``
    (RiskTag objects). The industry is derived from the GB/T 4754 code, never typed in.
    """
    context = context or CleanContext()
    errors: dict[str, list[str]] = {}
    cleaned = dict(data)

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    try:
        cleaned["uscc"] = validate_uscc(data.get("uscc") or "")
    except UsccError as exc:
        fail("uscc", str(exc))
    else:
        if context.taken_usccs is not None and instance is None:
            is_taken = cleaned["uscc"] in context.taken_usccs
        else:
            taken = Enterprise.objects.filter(uscc=cleaned["uscc"])
            if instance is not None:
                taken = taken.exclude(pk=instance.pk)
            is_taken = taken.exists()
        if is_taken:
            fail("uscc", _("An enterprise with this unified social credit code is already registered."))

    cleaned["name"] = (data.get("name") or "").strip()
    if not cleaned["name"]:
        fail("name", _("Enter the enterprise's name."))
    for text_field in (
        "short_name",
        "address",
        "legal_representative",
        "principal_name",
        "safety_manager_name",
    ):
        cleaned[text_field] = (data.get(text_field) or "").strip()

    region: Region | None = data.get("region")
    if region is None:
        fail("region", _("Choose the county-level division."))
    elif region.level != Region.Level.COUNTY:
        fail("region", _("The division must be a county-level division."))
    elif not region.path.startswith(region_scope_path(actor)):
        fail("region", _("You may only register enterprises in your own division."))
    town: Region | None = data.get("town")
    if town is not None and (region is None or town.parent_id != region.pk):
        fail("town", _("The town must lie within the chosen division."))

    for phone_field in ("principal_phone", "safety_manager_phone"):
        phone = (data.get(phone_field) or "").strip()
        cleaned[phone_field] = phone
        if phone and not PHONE_RE.match(phone):
            fail(phone_field, _("Enter a phone number of 7 to 20 digits."))

    count = data.get("employee_count")
    if count not in (None, ""):
        try:
            cleaned["employee_count"] = int(count)
            if cleaned["employee_count"] < 0:
                raise ValueError
        except (TypeError, ValueError):
            fail("employee_count", _("The number of employees must be a whole number, 0 or more."))
    else:
        cleaned["employee_count"] = None

    if (data.get("scale") or "") not in Enterprise.Scale.values:
        fail("scale", _("Choose the scale: above or below designated size."))
    if (data.get("status") or Enterprise.Status.NORMAL) not in Enterprise.Status.values:
        fail("status", _("Choose a valid status."))
    cleaned["status"] = data.get("status") or Enterprise.Status.NORMAL

    code = (str(data.get("gb4754_code") or "")).strip()
    cleaned["gb4754_code"] = code
    if not is_valid_gb4754_code(code):
        fail("gb4754_code", _("Enter a GB/T 4754-2017 industry code of 2 to 4 digits, e.g. 3130."))
    else:
        industry = derive_industry(code, context.mappings)
        if industry is None:
            fail(
                "gb4754_code",
                _("Industry code %(code)s is not one of the industry and trade sectors.") % {"code": code},
            )
        cleaned["industry"] = industry

    # E7 (domain.md §4): on the 失信惩戒名单, recorded by regulators; the note says which list and since when.
    cleaned["on_credit_blacklist"] = bool(data.get("on_credit_blacklist"))
    cleaned["credit_blacklist_note"] = (data.get("credit_blacklist_note") or "").strip()
    if len(cleaned["credit_blacklist_note"]) > BLACKLIST_NOTE_MAX:
        fail(
            "credit_blacklist_note",
            _("Keep the note under %(n)d characters.") % {"n": BLACKLIST_NOTE_MAX},
        )

    cleaned["risk_tags"] = list(data.get("risk_tags") or [])
    if errors:
        raise ValidationError(errors)
    return cleaned


def _snapshot(enterprise: Enterprise, tags: list[RiskTag] | None = None) -> dict[str, Any]:
    values = {f: getattr(enterprise, f) for f in (*EDITABLE_FIELDS, "industry")}
    if tags is None:
        tags = list(enterprise.risk_tags.all()) if enterprise.pk else []
    values["risk_tags"] = sorted(t.code for t in tags)
    return values


def _apply(enterprise: Enterprise, cleaned: dict[str, Any]) -> None:
    for name in (*EDITABLE_FIELDS, "industry"):
        setattr(enterprise, name, cleaned.get(name))


@transaction.atomic
def enterprise_create(*, actor, data: dict[str, Any]) -> Enterprise:
    """Register an enterprise in the actor's scope."""
    require_enterprise_creator(actor)
    cleaned = enterprise_clean(actor=actor, data=data)
    enterprise = Enterprise()
    _apply(enterprise, cleaned)
    enterprise.save()
    enterprise.risk_tags.set(cleaned["risk_tags"])
    audit_record(
        actor=actor, action="enterprise.create", target=enterprise, data={"after": _snapshot(enterprise)}
    )
    return enterprise


@transaction.atomic
def enterprise_update(*, actor, enterprise: Enterprise, data: dict[str, Any]) -> Enterprise:
    """Change an enterprise the actor may edit; record what changed."""
    if not can_edit_enterprise(actor, enterprise):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    merged = {**_snapshot(enterprise), "risk_tags": list(enterprise.risk_tags.all()), **data}
    cleaned = enterprise_clean(actor=actor, data=merged, instance=enterprise)
    before = _snapshot(enterprise)
    _apply(enterprise, cleaned)
    enterprise.save()
    enterprise.risk_tags.set(cleaned["risk_tags"])
    after = _snapshot(enterprise)
    audit_record(
        actor=actor,
        action="enterprise.update",
        target=enterprise,
        data={"changes": diff_fields(before, after)},
    )
    return enterprise


@dataclass(frozen=True)
class RowError:
    """One problem in an import file: the spreadsheet row, the column heading and the message."""

    row: int
    column: str
    message: str


class ImportRejected(Exception):
    """The file had at least one bad row; nothing was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def _taken_usccs(rows: list[tuple[int, dict[str, Any]]]) -> set[str]:
    """Return which of the rows' USCCs are already registered, in a few queries for a whole file."""
    codes = sorted({normalise_uscc(str(data.get("uscc") or "")) for _row, data in rows} - {""})
    taken: set[str] = set()
    for start in range(0, len(codes), 500):
        taken.update(
            Enterprise.objects.filter(uscc__in=codes[start : start + 500]).values_list("uscc", flat=True)
        )
    return taken


def enterprise_import_check(
    *,
    actor,
    rows: list[tuple[int, dict[str, Any]]],
    column_labels: dict[str, str],
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[dict[str, Any]], list[RowError]]:
    """Validate import rows without writing; return (cleaned rows, problems).

    Checks each row with enterprise_clean and the file for repeated USCCs. ``progress``
    is called with (rows checked, total) every PROGRESS_EVERY rows and at the end, so a
    background job can show how far it got. enterprise_import runs the same check again
    inside its transaction; this one lets a caller report progress and problems early.
    """
    require_enterprise_creator(actor)
    context = CleanContext(taken_usccs=_taken_usccs(rows))
    errors: list[RowError] = []
    cleaned_rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    total = len(rows)
    for index, (row_no, data) in enumerate(rows, start=1):
        if progress is not None and (index - 1) % PROGRESS_EVERY == 0:
            progress(index - 1, total)
        try:
            cleaned = enterprise_clean(actor=actor, data=data, context=context)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.extend(RowError(row_no, column_labels.get(name, name), m) for m in messages)
            continue
        if cleaned["uscc"] in seen:
            errors.append(
                RowError(
                    row_no,
                    column_labels.get("uscc", "uscc"),
                    _("The same unified social credit code is already in row %(row)d of this file.")
                    % {"row": seen[cleaned["uscc"]]},
                )
            )
            continue
        seen[cleaned["uscc"]] = row_no
        cleaned_rows.append(cleaned)
    if progress is not None:
        progress(total, total)
    return cleaned_rows, errors


@transaction.atomic
def enterprise_import(
    *, actor, rows: list[tuple[int, dict[str, Any]]], column_labels: dict[str, str], filename: str = ""
) -> list[Enterprise]:
    """Import parsed rows all-or-nothing: either every row is valid and all are created, or none.

    ``rows`` pairs each spreadsheet row number with its data (as for enterprise_clean); the
    caller (the Excel parser) has already turned names into Region and RiskTag objects and
    reported what it could not resolve. Raises ImportRejected with every row's problems.
    Each new enterprise gets its own "enterprise.create" audit event (its history), and the
    file one "enterprise.import" event.
    """
    cleaned_rows, errors = enterprise_import_check(actor=actor, rows=rows, column_labels=column_labels)
    if errors:
        raise ImportRejected(errors)
    created = []
    for cleaned in cleaned_rows:
        enterprise = Enterprise()
        _apply(enterprise, cleaned)
        enterprise.save()
        enterprise.risk_tags.set(cleaned["risk_tags"])
        after = _snapshot(enterprise, tags=cleaned["risk_tags"])
        audit_record(
            actor=actor,
            action="enterprise.create",
            target=enterprise,
            data={"after": after, "import": filename},
        )
        created.append(enterprise)
    audit_record(
        actor=actor,
        action="enterprise.import",
        target=None,
        data={"file": filename, "count": len(created), "ids": [e.pk for e in created]},
    )
    return created


def risk_tags_by_name() -> dict[str, RiskTag]:
    """Return risk tags keyed by both their Chinese name and their code (for imports)."""
    tags = {}
    for tag in RiskTag.objects.all():
        tags[tag.name] = tag
        tags[tag.code] = tag
    return tags
