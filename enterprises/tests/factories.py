"""Factories for enterprises with valid USCCs."""

import factory
from stdnum.cn import uscc as stdnum_uscc

from accounts.models import Organisation, Region
from accounts.roles import OrganisationKind
from enterprises.models import Enterprise


def make_uscc(n: int, region_code: str = "210802") -> str:
    """Return a valid USCC: 91 (enterprise), the division code, a 9-character body, the check digit."""
    body = f"91{region_code}{n:08d}M"[:17]
    return body + stdnum_uscc.calc_check_digit(body)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"营口测试{n}号机械制造有限公司")
    region = factory.LazyFunction(lambda: Region.objects.get(name="站前区"))
    uscc = factory.LazyAttributeSequence(lambda o, n: make_uscc(n, o.region.code))
    gb4754_code = "3484"
    industry = "machinery"
    scale = Enterprise.Scale.BELOW
    principal_name = "张三"
    principal_phone = "13800000000"
    employee_count = 120

    @factory.post_generation
    def with_organisation(obj, create, extracted, **kwargs):  # noqa: N805
        """Pass with_organisation=True to give the enterprise an organisation for its users."""
        if create and extracted:
            obj.organisation = Organisation.objects.create(
                name=obj.name, kind=OrganisationKind.ENTERPRISE, region=obj.region
            )
            obj.save(update_fields=["organisation"])
