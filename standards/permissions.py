"""Who reads and manages scoring standards.

Standards are reference data every logged-in user may read (enterprises score themselves
against them); only the city bureau and system admins import, publish and retire them.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.roles import READ_ONLY_ROLES, Role
from standards.models import ScoringStandard

MANAGER_ROLES = frozenset({Role.CITY_OFFICER, Role.CITY_CHIEF, Role.SYSTEM_ADMIN})


def visible_to(user) -> QuerySet[ScoringStandard]:
    """Managers see every version; everyone else sees published and retired ones."""
    if not getattr(user, "is_authenticated", False):
        return ScoringStandard.objects.none()
    if user.role in MANAGER_ROLES:
        return ScoringStandard.objects.all()
    return ScoringStandard.objects.exclude(status=ScoringStandard.Status.DRAFT)


def can_manage_standards(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.role in MANAGER_ROLES)


def require_standard_manager(user) -> None:
    if not can_manage_standards(user):
        raise PermissionDenied


def get_standard_for_user(user, pk: int, action: str = "view") -> ScoringStandard:
    try:
        standard = visible_to(user).get(pk=pk)
    except (ScoringStandard.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if action != "view":
        require_standard_manager(user)
    return standard


# --- Score sheets -------------------------------------------------------------
# A trial sheet belongs to whoever created it. Apps that attach sheets to their cases (the
# application's self-assessment, later the panel's sheets) register who else may read and
# edit them; standards cannot import those apps, so they plug in here.

SheetVisibility = Callable[[Any], Q]  # user -> Q over ScoreSheet
SheetEditRule = Callable[[Any, Any], bool | None]  # (user, sheet) -> decision, or None: not mine
SheetManaged = Callable[[Any], bool]  # sheet -> True when its case submits and reopens it
_SHEET_ACCESS: list[tuple[SheetVisibility, SheetEditRule]] = []
_SHEET_MANAGERS: list[SheetManaged] = []


def register_sheet_access(visible: SheetVisibility, can_edit: SheetEditRule, managed: SheetManaged) -> None:
    """Called from an AppConfig.ready(): widen who sees a sheet, decide who edits it, and say
    which sheets their case submits (the scoring page then offers no submit button)."""
    if (visible, can_edit) not in _SHEET_ACCESS:
        _SHEET_ACCESS.append((visible, can_edit))
        _SHEET_MANAGERS.append(managed)


SheetLinks = Callable[[Any, Any], dict | None]  # (user, sheet) -> {"url", "number", "assigned"} or None
_SHEET_LINKS: list[SheetLinks] = []


def register_sheet_links(links: SheetLinks) -> None:
    """Called from an AppConfig.ready(): tell the scoring page which case a sheet belongs to
    (a link back to it) and which items the user is to score on it."""
    if links not in _SHEET_LINKS:
        _SHEET_LINKS.append(links)


def sheet_links(user, sheet) -> dict | None:
    for links in _SHEET_LINKS:
        found = links(user, sheet)
        if found is not None:
            return found
    return None


def sheet_is_managed(sheet) -> bool:
    return any(managed(sheet) for managed in _SHEET_MANAGERS)


def sheets_visible_to(user):
    from standards.models import ScoreSheet

    if not getattr(user, "is_authenticated", False):
        return ScoreSheet.objects.none()
    if user.role in MANAGER_ROLES or user.role == Role.BUREAU_LEADER:
        return ScoreSheet.objects.all()
    q = Q(created_by=user)
    for visible, _edit in _SHEET_ACCESS:
        q |= visible(user)
    return ScoreSheet.objects.filter(q)


def _owner_may_edit(user, sheet) -> bool:
    for _visible, can_edit in _SHEET_ACCESS:
        decision = can_edit(user, sheet)
        if decision is not None:
            return decision
    return sheet.created_by_id == getattr(user, "pk", None)


def get_sheet_for_user(user, pk: int, action: str = "view"):
    """Return sheet ``pk``; 404 when not visible, 403 when visible but not editable by the user."""
    from standards.models import ScoreSheet

    try:
        sheet = sheets_visible_to(user).select_related("standard").get(pk=pk)
    except (ScoreSheet.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if action == "edit" and not _owner_may_edit(user, sheet):
        raise PermissionDenied
    return sheet


def can_create_sheet(user) -> bool:
    """Everyone but the read-only bureau leader may start a trial sheet."""
    return bool(getattr(user, "is_authenticated", False) and user.role not in READ_ONLY_ROLES)


def require_sheet_creator(user) -> None:
    if not can_create_sheet(user):
        raise PermissionDenied


def can_edit_sheet(user, sheet) -> bool:
    """The sheet's owner (its author, or whom its case names) edits it while it is being filled."""
    return sheet.status == sheet.Status.DRAFT and _owner_may_edit(user, sheet)


def get_evidence_for_user(user, pk: int, evidence_id: int, action: str = "view"):
    """Return (sheet ``pk``, its evidence ``evidence_id``) under the sheet's rules.

    404 when the sheet is not visible or the evidence is not on it; 403 for ``edit`` by anyone
    but the author.
    """
    from standards.models import SheetEvidence

    sheet = get_sheet_for_user(user, pk, action)
    evidence = (
        SheetEvidence.objects.select_related("entry__item").filter(pk=evidence_id, entry__sheet=sheet).first()
    )
    if evidence is None:
        raise Http404
    return sheet, evidence
