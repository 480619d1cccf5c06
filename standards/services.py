"""Writes of standards: import a version, publish it, retire it, start a new version."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from standards.domain import default_specialty
from standards.formats import ParsedStandard
from standards.models import Element, Item, ScoringStandard, Specialty, SubElement
from standards.permissions import require_standard_manager

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
