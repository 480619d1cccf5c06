"""The main path end to end through the services: draft → accepted, and the returns."""

import pytest

from grading.models import Status
from grading.tests.factories import advance, make_application

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "to",
    [
        Status.COUNTY_REVIEW,
        Status.COUNTY_RETURNED,
        Status.CITY_REVIEW,
        Status.CITY_RETURNED,
        Status.ACCEPTED,
        Status.NOT_ACCEPTED,
    ],
)
def test_walk_to(personas, to):
    application = advance(make_application(personas), personas, to)
    assert application.status == to
    assert application.transitions.count() >= 2
