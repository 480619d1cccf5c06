"""Writes for users, regions, organisations and API tokens. Every write is audited."""

import hashlib
import secrets
from datetime import timedelta

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ApiToken, Organisation, Region, User
from accounts.roles import ROLE_ORGANISATION_KIND, OrganisationKind, Role
from audit.services import audit_record, diff_fields

TOKEN_PREFIX = "ab_"  # noqa: S105 - a public marker, not a secret


def _check_role_organisation(role: str, organisation: Organisation | None) -> None:
    expected = ROLE_ORGANISATION_KIND[Role(role)]
    if organisation is None or organisation.kind != expected:
        raise ValidationError(
            {
                "organisation": _("A user with the role %(role)s must belong to a %(kind)s.")
                % {"role": Role(role).label, "kind": OrganisationKind(expected).label}
            }
        )


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str,
    role: str,
    organisation: Organisation | None,
    full_name: str = "",
    phone: str = "",
    email: str = "",
    must_change_password: bool = True,
) -> User:
    """Create a user with a role in an organisation; the password must satisfy the rules."""
    _check_role_organisation(role, organisation)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is already taken.")})
    user = User(
        username=username,
        role=role,
        organisation=organisation,
        full_name=full_name,
        phone=phone,
        email=email,
        must_change_password=must_change_password,
        is_staff=role == Role.SYSTEM_ADMIN,
        is_superuser=role == Role.SYSTEM_ADMIN,
    )
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save()
    audit_record(
        actor=actor,
        action="user.create",
        target=user,
        data={"role": role, "organisation": str(organisation) if organisation else None},
    )
    return user


@transaction.atomic
def user_update(
    *,
    actor,
    user: User,
    role: str,
    organisation: Organisation | None,
    full_name: str,
    phone: str,
    email: str,
    is_active: bool,
) -> User:
    """Change a user's role, organisation, contact details or active flag.

    An administrator cannot demote or deactivate themselves: that is how the last admin
    locks everyone out of configuration.
    """
    _check_role_organisation(role, organisation)
    if (
        getattr(actor, "pk", None) == user.pk
        and (role != Role.SYSTEM_ADMIN or not is_active)
        and user.is_system_admin
    ):
        raise ValidationError(
            {"role": _("You cannot remove your own administrator role or deactivate yourself.")}
        )
    fields = ["role", "organisation", "full_name", "phone", "email", "is_active"]
    before = {f: getattr(user, f) for f in fields}
    user.role, user.organisation, user.full_name = role, organisation, full_name
    user.phone, user.email, user.is_active = phone, email, is_active
    user.is_staff = user.is_superuser = role == Role.SYSTEM_ADMIN
    user.save(update_fields=[*fields, "is_staff", "is_superuser"])
    after = {f: getattr(user, f) for f in fields}
    audit_record(actor=actor, action="user.update", target=user, data={"changes": diff_fields(before, after)})
    return user


@transaction.atomic
def user_set_password(*, actor, user: User, password: str, must_change: bool) -> User:
    """Set a new password (by the user or an admin); the rules apply to both."""
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.must_change_password = must_change
    user.save(update_fields=["password", "must_change_password"])
    audit_record(actor=actor, action="user.password", target=user, data={"by_self": actor == user})
    return user


@transaction.atomic
def user_password_reset(*, actor, user: User, password: str) -> User:
    """Set a password chosen by an administrator; the user must change it at next login.

    Also lifts any login lockout on the account: resetting the password is how an admin
    helps a user who locked themselves out.
    """
    user_set_password(actor=actor, user=user, password=password, must_change=True)
    unlocked = axes_reset(username=user.get_username())
    if unlocked:
        audit_record(actor=actor, action="user.unlock", target=user, data={"attempts_cleared": unlocked})
    return user


@transaction.atomic
def region_save(
    *,
    actor,
    region: Region | None,
    code: str,
    name: str,
    level: str,
    parent: Region | None,
    sort_order: int = 0,
    is_active: bool = True,
) -> Region:
    """Create or edit a region; the path follows the parent chain, and children follow a moved region."""
    if parent is not None and region is not None and parent.path.startswith(region.path):
        raise ValidationError(
            {"parent": _("A region cannot be placed under itself or its own subdivisions.")}
        )
    clash = Region.objects.filter(code=code).exclude(pk=region.pk if region else None)
    if clash.exists():
        raise ValidationError({"code": _("Another region already has this code.")})
    creating = region is None
    region = region or Region()
    fields = ["code", "name", "level", "parent", "sort_order", "is_active"]
    before = {f: getattr(region, f, None) for f in fields} if not creating else {}
    old_path = region.path
    region.code, region.name, region.level, region.parent = code, name, level, parent
    region.sort_order, region.is_active = sort_order, is_active
    region.save()
    if not creating and old_path != region.path:
        for child in Region.objects.filter(path__startswith=old_path).exclude(pk=region.pk).order_by("path"):
            child.save()  # recomputes from the (already updated) parent, top-down by path order
    after = {f: getattr(region, f) for f in fields}
    audit_record(
        actor=actor,
        action="region.create" if creating else "region.update",
        target=region,
        data={"changes": diff_fields(before, after)},
    )
    return region


@transaction.atomic
def organisation_save(
    *,
    actor,
    organisation: Organisation | None,
    name: str,
    kind: str,
    region: Region,
    section: str = "",
    is_active: bool = True,
) -> Organisation:
    """Create or edit an organisation; two organisations of one kind in one region need different names."""
    clash = Organisation.objects.filter(kind=kind, region=region, name=name)
    if organisation is not None:
        clash = clash.exclude(pk=organisation.pk)
    if clash.exists():
        raise ValidationError(
            {"name": _("An organisation of this kind with this name already exists in this region.")}
        )
    creating = organisation is None
    organisation = organisation or Organisation()
    fields = ["name", "kind", "region", "section", "is_active"]
    before = {f: getattr(organisation, f, None) for f in fields} if not creating else {}
    organisation.name, organisation.kind, organisation.region, organisation.section = (
        name,
        kind,
        region,
        section,
    )
    organisation.is_active = is_active
    organisation.save()
    after = {f: getattr(organisation, f) for f in fields}
    audit_record(
        actor=actor,
        action="organisation.create" if creating else "organisation.update",
        target=organisation,
        data={"name": name, "kind": kind, "region": region.code, "changes": diff_fields(before, after)},
    )
    return organisation


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


@transaction.atomic
def api_token_create(*, actor, user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token for ``user`` and return it with its secret, which is never shown again."""
    days = days or settings.API_TOKEN_DEFAULT_DAYS
    if days < 1 or days > 3650:
        raise ValidationError({"days": _("A token must be valid for 1 to 3650 days.")})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[:10],
        digest=_digest(secret),
        expires_at=timezone.now() + timedelta(days=days),
        created_by=actor,
    )
    audit_record(
        actor=actor, action="api_token.create", target=token, data={"user": user.username, "days": days}
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke a token; a second revoke changes nothing."""
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db()
    if updated:
        audit_record(actor=actor, action="api_token.revoke", target=token, data={"user": token.user.username})
    return token


def api_token_authenticate(secret: str) -> User | None:
    """Return the active user owning a valid, unrevoked, unexpired token, or None."""
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user", "user__organisation", "user__organisation__region")
        .filter(digest=_digest(secret), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    # Record use at most once a minute so a busy client does not write on every call.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
