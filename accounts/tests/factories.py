"""Factories for users and organisations. Regions and bureaus come from the data migration."""

import factory

from accounts.models import Organisation, Region, User
from accounts.roles import OrganisationKind, Role

DEFAULT_PASSWORD = "Anbiao-Test-2026"


def region(name: str) -> Region:
    return Region.objects.get(name=name)


def city_bureau() -> Organisation:
    return Organisation.objects.get(kind=OrganisationKind.CITY_BUREAU, region__code="210800")


def county_bureau(division: str) -> Organisation:
    return Organisation.objects.get(kind=OrganisationKind.COUNTY_BUREAU, region__name=division)


def admin_org() -> Organisation:
    return Organisation.objects.get(kind=OrganisationKind.ADMINISTRATION, region__code="210800")


def expert_pool() -> Organisation:
    return Organisation.objects.get(kind=OrganisationKind.EXPERT_POOL, region__code="210800")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")
    role = Role.CITY_OFFICER
    organisation = factory.LazyFunction(city_bureau)
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.is_staff = obj.is_superuser = obj.role == Role.SYSTEM_ADMIN
            obj.save()
