"""E11 from the hazard ledger (domain.md §4): an open 重大 hazard of the enterprise fails it.

The ledger replaces the county's manual confirmation: ``grading.eligibility.evaluate`` asks the
provider ``rectification.eligibility.major_hazards_check`` (registered in the app's ready()).
"""

from datetime import date

import pytest
from django.utils.translation import gettext

from grading import domain, eligibility
from grading.tests.factories import make_application
from rectification.models import Hazard
from rectification.tests.factories import make_hazard, walk

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rectification_clock")]

H = Hazard.Status
MAJOR = Hazard.Level.MAJOR


def e11(application):
    found = [c for c in eligibility.evaluate(application) if c.code == "E11"]
    assert len(found) == 1, found
    return found[0]


@pytest.fixture
def application(personas):
    return make_application(personas)


def test_e11_passes_without_an_open_major_hazard(personas, application):
    check = e11(application)
    assert (check.result, check.reason) == (domain.PASS, gettext("No open major hazard in the ledger."))
    assert check.label == gettext("Hazards screened; no open major hazard")
    # Open 一般 hazards, a closed 重大 one, and another enterprise's 重大 one do not count.
    make_hazard(personas.enterprise, status=H.IN_PROGRESS)
    make_hazard(personas.enterprise, level=MAJOR, status=H.CLOSED, verifier=personas.county_officer)
    make_hazard(personas.other_enterprise, level=MAJOR)
    assert e11(application).result == domain.PASS


@pytest.mark.parametrize("status", [H.PENDING, H.IN_PROGRESS, H.AWAITING_VERIFICATION])
def test_e11_fails_with_an_open_major_hazard(personas, application, status):
    make_hazard(personas.enterprise, level=MAJOR, status=status, deadline=date(2026, 6, 20))
    make_hazard(personas.enterprise, level=MAJOR, deadline=date(2026, 6, 12), description="粉尘区非防爆电气")
    check = e11(application)
    assert check.result == domain.FAIL
    assert check.reason == gettext(
        "%(n)s major hazards are open in the ledger, the first due %(date)s: %(text)s"
    ) % {"n": 2, "date": "2026-06-12", "text": "粉尘区非防爆电气"}
    # The blocking line blocks the submission like any failed condition.
    assert "E11" in [c.code for c in eligibility.evaluate(application) if c.failed]


def test_e11_passes_again_once_the_major_hazard_is_closed(personas, application):
    hazard = make_hazard(personas.enterprise, level=MAJOR, status=H.AWAITING_VERIFICATION)
    assert e11(application).result == domain.FAIL
    walk(hazard, H.CLOSED, verifier=personas.county_officer)
    assert e11(application).result == domain.PASS
