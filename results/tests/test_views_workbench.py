"""The results to-dos on the workbench: the city officer's, the chief's and the enterprise's."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lib.workbench import todos_for
from results import services
from results.models import AnnualSelfAssessment, Objection, PublicityBatch
from results.tests.conftest import beijing
from results.tests.factories import (
    file_objection,
    make_batch,
    make_certificate,
    make_result_ready,
    other_enterprise,
    persona_certificate,
)
from results.tests.page_helpers import zh

pytestmark = pytest.mark.django_db

B = PublicityBatch.Status


def todo(user, msgid: str, **values):
    """The user's to-do titled ``msgid`` (or None)."""
    title = zh(msgid, **values)
    return next((t for t in todos_for(user) if t.title == title), None)


def test_the_city_officer_sees_what_awaits_publicity_and_the_objections(personas, published, media):
    batch, _application = published
    for _ in range(2):
        make_result_ready(personas, enterprise=other_enterprise())
    item = todo(personas.city_officer, "Applications awaiting publicity")
    assert item.count == 2 and item.url == reverse("results:batch_create")
    first = file_objection(batch.entries.get())
    file_objection(batch.entries.get(), name="赵六")
    Objection.objects.filter(pk=first.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    item = todo(personas.city_officer, "Objections to check")
    assert item.count == 2 and item.due == timezone.localdate() - timedelta(days=1) and item.urgency == 2
    assert item.url == reverse("results:objections") + "?status=open"
    # The county and the bureau leader have none of these.
    assert todo(personas.county_officer, "Applications awaiting publicity") is None
    assert todo(personas.bureau_leader, "Objections to check") is None


def test_the_chief_sees_approvals_announcements_and_revocation_flags(personas, results_clock, published):
    batch, _application = published
    make_batch(personas, [make_result_ready(personas, enterprise=other_enterprise())], status=B.SUBMITTED)
    item = todo(personas.city_chief, "Publicity batches awaiting your approval")
    assert item.count == 1 and item.url.endswith("?status=submitted")
    assert todo(personas.city_chief, "Publicity ended: issue the announcement") is None
    day = batch.ends_on + timedelta(days=1)
    results_clock.move_to(beijing(day.year, day.month, day.day))
    item = todo(personas.city_chief, "Publicity ended: issue the announcement")
    assert item.count == 1 and item.url == reverse("results:batch", args=[batch.pk])
    services.revocation_flag(
        actor=personas.city_officer,
        certificate=make_certificate(enterprise=other_enterprise()),
        ground="fraud",
        detail="材料造假",
    )
    item = todo(personas.city_chief, "Certificates flagged for revocation")
    assert item.count == 1 and item.url.endswith("?status=flagged")
    assert todo(personas.city_officer, "Certificates flagged for revocation") is None


def test_the_enterprise_sees_expiry_and_the_yearly_self_assessment(personas, results_clock):
    # Today is 2026-06-01: issued 2023-07-01 expires 2026-06-30 (inside the renewal window).
    expiring = persona_certificate(personas, issued_on=date(2023, 7, 1))
    user = personas.enterprise_user
    item = todo(
        user,
        "Certificate %(number)s expires on %(date)s: apply for renewal",
        number=expiring.number,
        date="2026-06-30",
    )
    assert item.url == reverse("results:certificate", args=[expiring.pk])
    # Its anniversary (1 July) is within the 30 days' lead: the 2026 self-assessment is due.
    title = "File the %(year)s self-assessment of certificate %(number)s"
    item = todo(user, title, year=2026, number=expiring.number)
    assert item.due == date(2026, 7, 1)
    # Not for another enterprise, nor for a certificate whose anniversary is far.
    assert todo(personas.other_enterprise_user, title, year=2026, number=expiring.number) is None
    far = make_certificate(enterprise=other_enterprise(), issued_on=date(2025, 12, 1))
    assert not [t for t in todos_for(user) if far.number in t.title]
    # Filed: the to-do goes.
    assessment = services.annual_assessment_start(actor=user, certificate=expiring)
    AnnualSelfAssessment.objects.filter(pk=assessment.pk).update(status=AnnualSelfAssessment.Status.SUBMITTED)
    assert todo(user, title, year=2026, number=expiring.number) is None
    # The workbench page shows the enterprise's to-dos.
    from django.test import Client

    client = Client()
    client.force_login(user)
    body = client.get(reverse("workbench:home")).content.decode()
    assert expiring.number in body
