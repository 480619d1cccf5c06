"""E7: an enterprise on the credit blacklist fails the eligibility checklist and cannot submit."""

import pytest
from django.utils.translation import gettext

from grading import domain, services
from grading.eligibility import evaluate
from grading.models import Status
from grading.tests.factories import advance, file_everything, make_application
from lib.workflow import TransitionError

pytestmark = pytest.mark.django_db


def _e7(application) -> domain.Check:
    [check] = [c for c in evaluate(application) if c.code == "E7"]
    return check


def test_an_enterprise_on_the_blacklist_fails_e7(personas):
    application = make_application(personas)
    assert _e7(application).result == domain.PASS
    enterprise = application.enterprise
    enterprise.on_credit_blacklist = True
    enterprise.credit_blacklist_note = "2026年2月列入失信惩戒名单"
    enterprise.save()
    application.refresh_from_db()
    check = _e7(application)
    assert check.result == domain.FAIL
    assert "2026年2月列入失信惩戒名单" in check.reason
    assert check in domain.blocking(evaluate(application))


def test_a_blacklisted_enterprise_cannot_submit(personas):
    application = advance(make_application(personas), personas, Status.INTERNAL_PUBLICITY)
    enterprise = application.enterprise
    enterprise.on_credit_blacklist = True
    enterprise.save()
    file_everything(application, personas)
    with pytest.raises(TransitionError) as refused:  # the submit guard
        services.application_submit(actor=personas.enterprise_principal, application=application)
    assert gettext("Not on the credit blacklist") in refused.value.message
    application.refresh_from_db()
    assert application.status == Status.INTERNAL_PUBLICITY
