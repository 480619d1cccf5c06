"""Factories for experts with valid resident ID numbers."""

import factory
from stdnum.cn import ric

from experts.models import Expert, Specialty


def make_id_number(n: int, birth: str = "19800101", division: str = "210800") -> str:
    """Return a valid 18-digit ID number: division code, birth date, 3-digit sequence, check digit."""
    body = f"{division}{birth}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    name = factory.Sequence(lambda n: f"测试专家{n}")
    gender = Expert.Gender.MALE
    id_number = factory.Sequence(lambda n: make_id_number(n))
    phone = "13800000000"
    employer = "营口示例安全技术咨询有限公司"
    title = "高级工程师"
    years_of_experience = 12
    specialties = factory.LazyFunction(lambda: [Specialty.SAFETY_MANAGEMENT.value])
    industries = factory.LazyFunction(lambda: ["machinery"])
    skills = factory.LazyFunction(list)
    region = None
