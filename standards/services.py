"""Writes of standards: import a version, publish it, retire it, start a new version."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from lib.uploads import check_upload
from standards.domain import ScoringInputError, default_specialty, parse_points
from standards.formats import ParsedStandard
from standards.models import (
    Element,
    Item,
    ScoreSheet,
    ScoringStandard,
    SheetDeduction,
    SheetEvidence,
    SheetItem,
    Specialty,
    SubElement,
)
from standards.permissions import can_edit_sheet, require_standard_manager, sheet_is_managed

VETO_TRUE = {"1", "true", "yes", "y", "是"}


@transaction.atomic
def standard_import(
    *,
    actor,
    parsed: ParsedStandard,
    code: str,
    name: str,
    industries: list[str] | None = None,
    source_note: str = "",
    effective_from=None,
    publish: bool = False,
) -> ScoringStandard:
    """Create the next version of ``code`` from checked data, as a draft (or published).

    The previous versions are untouched: sheets keep pointing at the version they were made on.
    """
    require_standard_manager(actor)
    if not code.strip() or not name.strip():
        raise ValidationError({"code": _("Enter the standard's code and name.")})
    last = ScoringStandard.objects.filter(code=code).order_by("-version").first()
    standard = ScoringStandard.objects.create(
        code=code,
        name=name,
        version=(last.version + 1) if last else 1,
        industries=list(industries or []),
        source_note=source_note,
        effective_from=effective_from,
    )
    element_count = len(parsed.elements)
    elements = {
        no: Element.objects.create(standard=standard, no=no, name=el_name, points=points)
        for no, el_name, points in parsed.elements
    }
    subelements: dict[str, SubElement] = {}
    items = []
    for order, item in enumerate(parsed.items):
        sub = subelements.get(item.subelement_no)
        if sub is None:
            sub = SubElement.objects.create(
                element=elements[item.element_no],
                no=item.subelement_no,
                name=item.subelement,
                sort_order=len(subelements),
            )
            subelements[item.subelement_no] = sub
        specialty = (item.extra.get("specialty") or "").strip()
        if specialty not in Specialty.values:
            specialty = default_specialty(item.element_no, item.subelement_no, element_count)
        items.append(
            Item(
                standard=standard,
                subelement=sub,
                code=item.code,
                item_no=item.item_no,
                requirement=item.requirement,
                points=item.points,
                method_text=item.method,
                is_veto=str(item.extra.get("is_veto", "")).strip().lower() in VETO_TRUE,
                guidance=item.extra.get("guidance", "") or "",
                specialty=specialty,
                sort_order=order,
            )
        )
    Item.objects.bulk_create(items)
    audit_record(
        actor=actor,
        action="standard.import",
        target=standard,
        data={"items": len(items), "total": str(sum(i.points for i in items))},
    )
    if publish:
        standard_publish(actor=actor, standard=standard)
    return standard


@transaction.atomic
def standard_publish(*, actor, standard: ScoringStandard) -> ScoringStandard:
    """Publish a draft; from now on it is immutable. A second publish changes nothing."""
    require_standard_manager(actor)
    updated = ScoringStandard.objects.filter(pk=standard.pk, status=ScoringStandard.Status.DRAFT).update(
        status=ScoringStandard.Status.PUBLISHED, published_at=timezone.now()
    )
    standard.refresh_from_db()
    if updated:
        audit_record(actor=actor, action="standard.publish", target=standard)
    elif standard.status != ScoringStandard.Status.PUBLISHED:
        raise ValidationError(_("Only a draft can be published."))
    return standard


@transaction.atomic
def standard_retire(*, actor, standard: ScoringStandard) -> ScoringStandard:
    """Retire a published version: no new sheets on it; existing sheets keep it."""
    require_standard_manager(actor)
    updated = ScoringStandard.objects.filter(pk=standard.pk, status=ScoringStandard.Status.PUBLISHED).update(
        status=ScoringStandard.Status.RETIRED
    )
    standard.refresh_from_db()
    if not updated:
        raise ValidationError(_("Only a published standard can be retired."))
    audit_record(actor=actor, action="standard.retire", target=standard)
    return standard


# --- Score sheets -------------------------------------------------------------------


@dataclass(frozen=True)
class DeductionIn:
    points: object  # validated by the engine's parse_points: str, int or Decimal
    reason: str
    is_hazard: bool = False


@dataclass(frozen=True)
class EntryIn:
    """What a scorer submits for one item, keyed by the item's code."""

    code: str
    applicable: bool = True
    deductions: tuple[DeductionIn, ...] = ()
    extra_deduction: object = "0"
    extra_reason: str = ""
    na_reason: str = ""
    description: str = ""


@transaction.atomic
def sheet_create(*, actor, standard: ScoringStandard, kind: str, title: str = "") -> ScoreSheet:
    """Start a sheet on a published standard version."""
    if standard.status != ScoringStandard.Status.PUBLISHED:
        raise ValidationError({"standard": _("Sheets can only be made on a published standard.")})
    if kind not in ScoreSheet.Kind.values:
        raise ValidationError({"kind": _("Choose a valid kind of sheet.")})
    sheet = ScoreSheet.objects.create(
        standard=standard, kind=kind, title=title, created_by=actor, updated_by=actor
    )
    audit_record(
        actor=actor, action="sheet.create", target=sheet, data={"standard": standard.key, "kind": kind}
    )
    return sheet


def _clean_entry(entry: EntryIn, item: Item) -> tuple[Decimal, list[tuple[Decimal, str, bool]]]:
    """Return (extra deduction, deductions) checked as the engine will read them, or raise."""
    code = item.code
    errors: list[str] = []
    deductions = []
    for d in entry.deductions:
        try:
            points = parse_points(d.points, what=_("The deduction"), code=code)
        except ScoringInputError as exc:
            errors.append(exc.message)
            continue
        if points == 0:
            errors.append(_("A deduction must take at least 0.1 points."))
        if not (d.reason or "").strip():
            errors.append(_("Give the reason for each deduction."))
        deductions.append((points, (d.reason or "").strip()[:500], bool(d.is_hazard)))
    try:
        extra = parse_points(entry.extra_deduction or "0", what=_("The extra deduction"), code=code)
    except ScoringInputError as exc:
        errors.append(exc.message)
        extra = Decimal(0)
    if extra > 0 and not entry.extra_reason.strip():
        errors.append(_("Give the reason for the extra deduction."))
    if not entry.applicable:
        if deductions or extra > 0:
            errors.append(_("An item marked not applicable cannot have deductions."))
        if not entry.na_reason.strip():
            errors.append(_("Give the reason why the item does not apply."))
    if errors:
        raise ValidationError({code: errors})
    return extra, deductions


def _save_entry(*, actor, sheet: ScoreSheet, item: Item, entry: EntryIn, now) -> SheetItem:
    extra, deductions = _clean_entry(entry, item)
    row, _created = SheetItem.objects.update_or_create(
        sheet=sheet,
        item=item,
        defaults={
            "applicable": entry.applicable,
            "na_reason": entry.na_reason.strip()[:255] if not entry.applicable else "",
            "extra_deduction": extra,
            "extra_reason": entry.extra_reason.strip()[:255] if extra > 0 else "",
            "description": entry.description.strip(),
            "scored_by": actor,
            "scored_at": now,
        },
    )
    row.deductions.all().delete()
    SheetDeduction.objects.bulk_create(
        SheetDeduction(entry=row, points=p, reason=r, is_hazard=h, sort_order=n)
        for n, (p, r, h) in enumerate(deductions)
    )
    return row


def _lock_editable_sheet(actor, sheet: ScoreSheet) -> ScoreSheet:
    locked = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    if locked.status != ScoreSheet.Status.DRAFT:
        raise ValidationError(_("This sheet has been submitted and can no longer be changed."))
    if not can_edit_sheet(actor, locked):
        raise PermissionDenied
    return locked


@transaction.atomic
def sheet_entries_save(*, actor, sheet: ScoreSheet, entries: list[EntryIn]) -> ScoreSheet:
    """Save several items' scoring at once, all or nothing; errors are keyed by item code."""
    sheet = _lock_editable_sheet(actor, sheet)
    items = {i.code: i for i in sheet.standard.items.all()}
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for entry in entries:
        if entry.code not in items:
            errors.setdefault(entry.code, []).append(
                _("Item %(code)s is not in this standard.") % {"code": entry.code}
            )
        elif entry.code in seen:
            errors.setdefault(entry.code, []).append(_("Item %(code)s appears twice.") % {"code": entry.code})
        seen.add(entry.code)
    now = timezone.now()
    for entry in entries:
        if entry.code in errors:
            continue
        try:
            _save_entry(actor=actor, sheet=sheet, item=items[entry.code], entry=entry, now=now)
        except ValidationError as exc:
            for code, messages in exc.message_dict.items():
                errors.setdefault(code, []).extend(messages)
    if errors:
        transaction.set_rollback(True)
        raise ValidationError(errors)
    sheet.updated_by = actor
    sheet.save(update_fields=["updated_by", "updated_at"])
    audit_record(actor=actor, action="sheet.score", target=sheet, data={"items": sorted(seen)})
    return sheet


@transaction.atomic
def sheet_entry_clear(*, actor, sheet: ScoreSheet, code: str) -> ScoreSheet:
    """Return one item to "not scored yet" (full marks); its evidence files are deleted too."""
    sheet = _lock_editable_sheet(actor, sheet)
    evidence = list(SheetEvidence.objects.filter(entry__sheet=sheet, entry__item__code=code))
    deleted, _ = SheetItem.objects.filter(sheet=sheet, item__code=code).delete()
    if deleted:
        data: dict = {"item": code}
        if evidence:
            # The evidence rows went with the entry (cascade); their files go once this commits.
            data["evidence"] = [{"file": e.original_name, "sha256": e.sha256} for e in evidence]
            _delete_files_on_commit([e.file.name for e in evidence])
        audit_record(actor=actor, action="sheet.clear_item", target=sheet, data=data)
    return sheet


@transaction.atomic
def sheet_set_status(*, actor, sheet: ScoreSheet, status: str, reason: str) -> bool:
    """Lock or reopen a sheet on behalf of the case that owns it (compare-and-set; audited).

    Returns False when the sheet already had that status. The calling service has checked
    the actor's right through its own case.
    """
    if status not in ScoreSheet.Status.values:
        raise ValueError(status)
    updated = (
        ScoreSheet.objects.filter(pk=sheet.pk)
        .exclude(status=status)
        .update(status=status, updated_by=actor, updated_at=timezone.now())
    )
    if updated:
        sheet.status = status
        audit_record(
            actor=actor, action="sheet.status", target=sheet, data={"status": status, "reason": reason}
        )
    return bool(updated)


@transaction.atomic
def sheet_submit(*, actor, sheet: ScoreSheet) -> ScoreSheet:
    """Submit a draft sheet; a second click changes nothing. A case's sheet goes with its case."""
    if sheet.created_by_id != actor.pk:
        raise PermissionDenied
    if sheet_is_managed(sheet):
        raise ValidationError(_("This sheet is submitted with its application."))
    updated = ScoreSheet.objects.filter(pk=sheet.pk, status=ScoreSheet.Status.DRAFT).update(
        status=ScoreSheet.Status.SUBMITTED, updated_by=actor, updated_at=timezone.now()
    )
    sheet.refresh_from_db()
    if updated:
        audit_record(actor=actor, action="sheet.submit", target=sheet)
    return sheet


@transaction.atomic
def sheet_evidence_add(
    *, actor, sheet: ScoreSheet, code: str, file, deduction_index: int | None = None
) -> SheetEvidence:
    """Attach a checked photo or PDF to an item of a draft sheet (the item must have been scored).

    ``deduction_index`` (from 0, in the item's order) ties the file to one of its deductions.
    Raises ValidationError (Chinese) for an unscored item, a deduction the item does not have,
    or a file refused by ``check_upload``; PermissionDenied for anyone but the author.
    Nothing is stored then.
    """
    sheet = _lock_editable_sheet(actor, sheet)
    entry = SheetItem.objects.filter(sheet=sheet, item__code=code).first()
    if entry is None:
        raise ValidationError({code: [_("Score the item before attaching evidence to it.")]})
    deduction = None
    if deduction_index is not None:
        deductions = list(entry.deductions.order_by("sort_order", "pk"))
        if not 0 <= deduction_index < len(deductions):
            raise ValidationError(
                {
                    code: [
                        _("Item %(code)s has no deduction %(number)s.")
                        % {"code": code, "number": deduction_index + 1}
                    ]
                }
            )
        deduction = deductions[deduction_index]
    checked = check_upload(file)
    evidence = SheetEvidence(
        entry=entry,
        deduction=deduction,
        extension=checked.kind.extensions[0],
        original_name=checked.name[:200],
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    evidence.file.save(checked.name, file, save=False)
    try:
        evidence.save()
        audit_record(
            actor=actor,
            action="sheet.evidence_add",
            target=sheet,
            data={"item": code, "file": checked.name, "sha256": checked.sha256},
        )
    except BaseException:
        evidence.file.storage.delete(evidence.file.name)  # the row rolls back: leave no stray file
        raise
    return evidence


@transaction.atomic
def sheet_evidence_remove(*, actor, sheet: ScoreSheet, evidence: SheetEvidence) -> None:
    """Remove an evidence file from a draft sheet; the stored file is deleted once this commits.

    Raises ValidationError once the sheet is submitted and PermissionDenied for anyone but the
    author. Evidence already removed (a second click) changes nothing.
    """
    sheet = _lock_editable_sheet(actor, sheet)
    row = (
        SheetEvidence.objects.select_related("entry__item").filter(pk=evidence.pk, entry__sheet=sheet).first()
    )
    if row is None:
        return
    name = row.file.name
    row.delete()
    audit_record(
        actor=actor,
        action="sheet.evidence_remove",
        target=sheet,
        data={"item": row.entry.item.code, "file": row.original_name, "sha256": row.sha256},
    )
    _delete_files_on_commit([name])


def _delete_files_on_commit(names: list[str]) -> None:
    """Delete stored evidence files after the commit, keeping any another record still uses.

    After, not before: a rolled-back removal must still find its file.
    """
    storage = SheetEvidence._meta.get_field("file").storage

    def delete() -> None:
        in_use = set(SheetEvidence.objects.filter(file__in=names).values_list("file", flat=True))
        for name in names:
            if name and name not in in_use:
                storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def sheet_entries_replace(*, actor, sheet: ScoreSheet, entries: list[EntryIn]) -> ScoreSheet:
    """Make the sheet record exactly ``entries`` (an import), all or nothing.

    The entries are saved as by ``sheet_entries_save`` (errors keyed by item code). Items the
    sheet had scored but ``entries`` leaves out go back to full marks: their rows are deleted,
    except rows with evidence attached, which are reset instead so no uploaded file is lost.
    """
    sheet = sheet_entries_save(actor=actor, sheet=sheet, entries=entries)
    keep = {entry.code for entry in entries}
    dropped = SheetItem.objects.filter(sheet=sheet).exclude(item__code__in=keep)
    with_evidence = dropped.filter(evidence__isnull=False).distinct()
    reset = list(with_evidence.values_list("item__code", flat=True))
    SheetDeduction.objects.filter(entry__in=with_evidence).delete()
    SheetItem.objects.filter(pk__in=with_evidence.values("pk")).update(
        applicable=True,
        na_reason="",
        extra_deduction=Decimal(0),
        extra_reason="",
        description="",
        scored_by=actor,
        scored_at=timezone.now(),
    )
    cleared = sorted(dropped.exclude(item__code__in=reset).values_list("item__code", flat=True))
    SheetItem.objects.filter(sheet=sheet, item__code__in=cleared).delete()
    audit_record(
        actor=actor,
        action="sheet.import",
        target=sheet,
        data={"items": len(keep), "cleared": cleared, "reset": sorted(reset)},
    )
    return sheet
