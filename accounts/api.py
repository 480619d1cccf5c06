"""REST operations for the current user, regions and personal API tokens (/api/v1/).

The operations call the same permission functions and services as the HTML views, so both
front doors enforce the same rules. Errors leave in the one shape (lib/api.py).
"""

from datetime import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status

from accounts.models import ApiToken, Region, User
from accounts.permissions import (
    can_manage_accounts,
    get_token_for_user,
    get_user_for_user,
    regions_visible_to,
    require_account_manager,
    tokens_visible_to,
)
from accounts.services import api_token_create, api_token_revoke, region_save
from lib.api import ERRORS

router = Router(tags=["accounts"])

# Region codes become path segments ("210000/210800/…"), so a slash or space would break scoping.
REGION_CODE_PATTERN = r"^[0-9A-Za-z]{2,12}$"
LevelCode = Literal[tuple(Region.Level.values)]  # inline values in the OpenAPI document


# --- Schemas --------------------------------------------------------------


class OrganisationBriefOut(Schema):
    id: int
    name: str
    kind: str


class RegionBriefOut(Schema):
    code: str
    name: str


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    role_label: str = Field(description=gettext_lazy("The role's name in the user's language."))
    organisation: OrganisationBriefOut | None
    region: RegionBriefOut | None = Field(description=gettext_lazy("The region of the user's organisation."))


class RegionOut(Schema):
    id: int
    code: str = Field(description=gettext_lazy("Administrative division code, e.g. 210802."))
    name: str
    level: LevelCode
    parent_code: str | None
    path: str = Field(description=gettext_lazy("Codes from the root, each followed by a slash."))
    sort_order: int
    is_active: bool

    @staticmethod
    def resolve_parent_code(obj: Region) -> str | None:
        return obj.parent.code if obj.parent_id else None


class RegionFilters(Schema):
    level: LevelCode | None = None
    parent: str | None = Field(None, max_length=12, description=gettext_lazy("Code of the parent region."))


class RegionCreateIn(Schema):
    code: str = Field(pattern=REGION_CODE_PATTERN)
    name: str = Field(min_length=1, max_length=64)
    level: LevelCode
    parent: str | None = Field(None, max_length=12, description=gettext_lazy("Code of the parent region."))
    sort_order: int = Field(0, ge=0, le=32767)
    is_active: bool = True


class RegionUpdateIn(Schema):
    code: str | None = Field(None, pattern=REGION_CODE_PATTERN)
    name: str | None = Field(None, min_length=1, max_length=64)
    level: LevelCode | None = None
    parent: str | None = Field(
        None, max_length=12, description=gettext_lazy("Code of the parent region; null makes it a root.")
    )
    sort_order: int | None = Field(None, ge=0, le=32767)
    is_active: bool | None = None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description=gettext_lazy("The first characters of the secret, to tell tokens apart."))
    user_id: int
    username: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    is_valid: bool = Field(description=gettext_lazy("Neither revoked nor expired."))

    @staticmethod
    def resolve_username(obj: ApiToken) -> str:
        return obj.user.username

    @staticmethod
    def resolve_is_valid(obj: ApiToken) -> bool:
        return obj.revoked_at is None and obj.expires_at > timezone.now()


class TokenCreatedOut(TokenOut):
    secret: str = Field(
        description=gettext_lazy("The token itself. It is shown only in this response; store it now.")
    )


class TokenCreateIn(Schema):
    name: str = Field(min_length=1, max_length=64)
    days: int | None = Field(None, description=gettext_lazy("Days until the token expires (1 to 3650)."))
    user_id: int | None = Field(
        None, description=gettext_lazy("Create the token for this user; only system administrators may.")
    )


# --- Helpers --------------------------------------------------------------


def _regions_for(user) -> QuerySet[Region]:
    # Admins manage the whole tree, inactive regions included; others see what pickers show.
    qs = Region.objects.all() if can_manage_accounts(user) else regions_visible_to(user)
    return qs.select_related("parent")


def _get_region(user, code: str) -> Region:
    try:
        return _regions_for(user).get(code=code)
    except Region.DoesNotExist as exc:
        raise Http404 from exc


def _parent_by_code(code: str | None) -> Region | None:
    if code is None:
        return None
    parent = Region.objects.filter(code=code).first()
    if parent is None:
        raise ValidationError({"parent": _("There is no region with the code %(code)s.") % {"code": code}})
    return parent


# --- Operations -----------------------------------------------------------


@router.get("/me", response={200: MeOut, **ERRORS}, summary=gettext_lazy("The current user"))
def me(request: HttpRequest):
    user: User = request.auth
    organisation = user.organisation
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.get_full_name(),
        "role": user.role,
        "role_label": user.get_role_display(),
        "organisation": organisation,
        "region": organisation.region if organisation else None,
    }


@router.get("/regions", response={200: list[RegionOut], **ERRORS}, summary=gettext_lazy("List regions"))
def region_list(request: HttpRequest, filters: Query[RegionFilters]):
    qs = _regions_for(request.auth)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.parent:
        qs = qs.filter(parent__code=filters.parent)
    return qs.order_by("path")


@router.get("/regions/{code}", response={200: RegionOut, **ERRORS}, summary=gettext_lazy("One region"))
def region_detail(request: HttpRequest, code: str):
    return _get_region(request.auth, code)


@router.post(
    "/regions",
    response={201: RegionOut, **ERRORS},
    summary=gettext_lazy("Create a region"),
    description=gettext_lazy("System administrators only."),
)
def region_create(request: HttpRequest, payload: RegionCreateIn):
    require_account_manager(request.auth)
    region = region_save(
        actor=request.auth,
        region=None,
        code=payload.code,
        name=payload.name.strip(),
        level=payload.level,
        parent=_parent_by_code(payload.parent),
        sort_order=payload.sort_order,
        is_active=payload.is_active,
    )
    return Status(201, region)


@router.patch(
    "/regions/{code}",
    response={200: RegionOut, **ERRORS},
    summary=gettext_lazy("Change a region"),
    description=gettext_lazy("System administrators only. Fields left out keep their value."),
)
def region_update(request: HttpRequest, code: str, payload: RegionUpdateIn):
    require_account_manager(request.auth)
    region = _get_region(request.auth, code)
    changes = payload.model_dump(mode="json", exclude_unset=True)
    for required in ("code", "name", "level", "sort_order", "is_active"):
        if required in changes and changes[required] is None:
            raise ValidationError({required: _("This field cannot be empty.")})
    parent = _parent_by_code(changes["parent"]) if "parent" in changes else region.parent
    region = region_save(
        actor=request.auth,
        region=region,
        code=changes.get("code", region.code),
        name=changes.get("name", region.name).strip(),
        level=changes.get("level", region.level),
        parent=parent,
        sort_order=changes.get("sort_order", region.sort_order),
        is_active=changes.get("is_active", region.is_active),
    )
    return region


@router.get(
    "/tokens",
    response={200: list[TokenOut], **ERRORS},
    summary=gettext_lazy("List API tokens"),
    description=gettext_lazy("Your own tokens; system administrators see everyone's."),
)
def token_list(request: HttpRequest):
    return tokens_visible_to(request.auth).order_by("-created_at", "-pk")


@router.post(
    "/tokens",
    response={201: TokenCreatedOut, **ERRORS},
    summary=gettext_lazy("Create an API token"),
    description=gettext_lazy("The response carries the secret; it is never shown again."),
)
def token_create(request: HttpRequest, payload: TokenCreateIn):
    actor: User = request.auth
    owner = actor
    if payload.user_id is not None and payload.user_id != actor.pk:
        owner = get_user_for_user(actor, payload.user_id)  # 403 for non-admins, 404 if absent
    name = payload.name.strip()
    if not name:
        raise ValidationError({"name": _("Enter a name for the token.")})
    if payload.days is not None and payload.days < 1:
        # The service reads 0 as "the default"; over the API an explicit 0 is a mistake.
        raise ValidationError({"days": _("A token must be valid for 1 to 3650 days.")})
    token, secret = api_token_create(actor=actor, user=owner, name=name, days=payload.days)
    token.secret = secret  # only on this in-memory instance, for the one response that shows it
    return Status(201, token)


@router.delete(
    "/tokens/{token_id}",
    response={200: TokenOut, **ERRORS},
    summary=gettext_lazy("Revoke an API token"),
    description=gettext_lazy("Revoking twice changes nothing."),
)
def token_revoke(request: HttpRequest, token_id: int):
    token = get_token_for_user(request.auth, token_id)
    return api_token_revoke(actor=request.auth, token=token)
