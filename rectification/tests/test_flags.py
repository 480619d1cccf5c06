"""The enterprise flag: an open 督办 on a major hazard shows on the enterprise's page and its case page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grading.tests.factories import make_application
from rectification.models import Hazard
from rectification.services import escalation_close, escalation_open
from rectification.tests.factories import make_hazard

pytestmark = pytest.mark.django_db


def _flagged(client, user, url) -> bool:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return 'data-testid="enterprise-flag"' in response.content.decode()


def test_an_open_supervision_order_on_a_major_hazard_flags_the_enterprise(client, personas):
    application = make_application(personas)
    enterprise = application.enterprise
    pages = [
        reverse("enterprises:detail", args=[enterprise.pk]),
        reverse("grading:detail", args=[application.pk]),
    ]
    assert not any(_flagged(client, personas.city_officer, url) for url in pages)

    past = timezone.localdate() - timedelta(days=3)
    hazard = make_hazard(
        enterprise, level=Hazard.Level.MAJOR, deadline=past, found_on=past - timedelta(days=20)
    )
    assert not any(_flagged(client, personas.city_officer, url) for url in pages)  # overdue, no 督办 yet

    order = escalation_open(actor=None, hazard=hazard, reason="逾期")
    assert all(_flagged(client, personas.city_officer, url) for url in pages)

    Hazard.objects.filter(pk=hazard.pk).update(status=Hazard.Status.AWAITING_VERIFICATION)
    escalation_close(actor=personas.city_officer, order=order, assessment="已整改", resume_request="申请复产")
    assert not any(_flagged(client, personas.city_officer, url) for url in pages)
