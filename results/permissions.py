"""Who sees and does what in results. Every read starts from a ``*_visible_to`` function.

- Publicity batches, objections and revocation cases are the city's work: the 制造业科 and the
  bureau leader (read-only) see them; a county bureau sees the revocation cases and certificates
  of its division; an enterprise sees its own certificates. Everyone else gets 404.
- The public sees published batches, announcements and certificates through the ``public_*``
  selectors, never these.
- Objectors' names and contacts are read by the city section only.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from accounts.permissions import NO_REGION, region_scope_path
from accounts.roles import COUNTY_ROLES, ENTERPRISE_ROLES, Role
from results.models import Announcement, Certificate, Objection, PublicityBatch, RevocationCase

CITY_STAFF = frozenset({Role.CITY_OFFICER, Role.CITY_CHIEF})
CITY_READERS = CITY_STAFF | {Role.BUREAU_LEADER}
CERTIFICATE_READERS = CITY_READERS | set(COUNTY_ROLES) | {Role.SYSTEM_ADMIN}


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def certificates_visible_to(user) -> QuerySet[Certificate]:
    if not _active(user):
        return Certificate.objects.none()
    if user.role in ENTERPRISE_ROLES:
        if user.organisation_id is None:
            return Certificate.objects.none()
        return Certificate.objects.filter(enterprise__organisation_id=user.organisation_id)
    if user.role not in CERTIFICATE_READERS:
        return Certificate.objects.none()
    path = region_scope_path(user)
    if path == NO_REGION:
        return Certificate.objects.none()
    return Certificate.objects.filter(region_path__startswith=path)


def batches_visible_to(user) -> QuerySet[PublicityBatch]:
    if not _active(user) or user.role not in CITY_READERS:
        return PublicityBatch.objects.none()
    return PublicityBatch.objects.all()


def objections_visible_to(user) -> QuerySet[Objection]:
    if not _active(user) or user.role not in CITY_READERS:
        return Objection.objects.none()
    return Objection.objects.all()


def announcements_visible_to(user) -> QuerySet[Announcement]:
    if not _active(user) or user.role not in CITY_READERS:
        return Announcement.objects.none()
    return Announcement.objects.all()


def revocations_visible_to(user) -> QuerySet[RevocationCase]:
    if not _active(user) or user.role not in CERTIFICATE_READERS - {Role.SYSTEM_ADMIN}:
        return RevocationCase.objects.none()
    return RevocationCase.objects.filter(certificate__in=certificates_visible_to(user))


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_certificate_for_user(user, pk) -> Certificate:
    return _get(certificates_visible_to(user).select_related("enterprise", "announcement"), pk)


def get_batch_for_user(user, pk) -> PublicityBatch:
    return _get(batches_visible_to(user), pk)


def get_objection_for_user(user, pk) -> Objection:
    return _get(objections_visible_to(user).select_related("entry__batch", "entry__application"), pk)


def get_announcement_for_user(user, pk) -> Announcement:
    return _get(announcements_visible_to(user), pk)


def get_revocation_for_user(user, pk) -> RevocationCase:
    return _get(revocations_visible_to(user).select_related("certificate__enterprise"), pk)


def is_city_staff(user) -> bool:
    return _active(user) and user.role in CITY_STAFF


def is_city_chief(user) -> bool:
    return _active(user) and user.role == Role.CITY_CHIEF


def require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied
