"""A published 仓储物流 standard for tests that need one in the database."""

from standards.models import ScoringStandard
from standards.services import standard_import
from standards.tests.helpers import warehousing_parsed


def published_warehousing(actor) -> ScoringStandard:
    existing = ScoringStandard.objects.filter(code="CCWL", status=ScoringStandard.Status.PUBLISHED).first()
    if existing:
        return existing
    return standard_import(
        actor=actor,
        parsed=warehousing_parsed(),
        code="CCWL",
        name="仓储物流",
        industries=["commerce_trade"],
        publish=True,
    )
