"""Fixtures for the accident ledger's tests: one accident in 站前区 and one in 鲅鱼圈区."""

import pytest

from accidents.tests.factories import beijing, record_accident
from accounts.tests.factories import region
from enterprises.tests.factories import EnterpriseFactory


@pytest.fixture
def zhanqian_enterprise(db):
    """An enterprise in 站前区 that no persona's organisation owns."""
    return EnterpriseFactory(
        name="营口钢铁有限公司", short_name="营钢", gb4754_code="3120", industry="metallurgy"
    )


@pytest.fixture
def bayuquan_enterprise(db):
    return EnterpriseFactory(name="鲅鱼圈港口机械有限公司", region=region("鲅鱼圈区"))


@pytest.fixture
def zhanqian_accident(personas, zhanqian_enterprise):
    return record_accident(
        personas.county_officer,
        zhanqian_enterprise,
        beijing(2026, 3, 2, 9, 30),
        place="炼钢车间",
        serious_injuries=1,
    )


@pytest.fixture
def bayuquan_accident(personas, bayuquan_enterprise):
    return record_accident(
        personas.other_county_officer, bayuquan_enterprise, beijing(2026, 4, 8), place="三号码头"
    )


@pytest.fixture
def own_accident(personas):
    """An accident of the enterprise the enterprise personas belong to (站前区)."""
    return record_accident(
        personas.county_officer, personas.enterprise, beijing(2026, 5, 6), place="装配车间"
    )
