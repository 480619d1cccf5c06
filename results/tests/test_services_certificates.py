"""Certificates after issue: reminders, renewal, the yearly self-assessment, legacy records."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from grading.models import Kind, Status
from grading.tests.factories import commerce_enterprise
from notifications.models import Notification
from results import services
from results.models import AnnualSelfAssessment, Certificate
from results.selectors import certificate_state
from results.tests.service_helpers import beijing
from standards.services import EntryIn, sheet_entries_save
from standards.tests.factories import published_warehousing

pytestmark = pytest.mark.django_db


def _legacy(personas, issued_on=date(2024, 1, 10), number="AQBⅢSM辽20240001"):
    enterprise = commerce_enterprise(personas)
    published_warehousing(personas.admin)
    return services.certificate_record_legacy(
        actor=personas.city_officer, enterprise=enterprise, number=number, grade_level=3, issued_on=issued_on
    )


def test_a_legacy_certificate_is_recorded_once_and_by_the_city_only(personas):
    certificate = _legacy(personas)
    assert certificate.legacy and certificate.application is None
    assert certificate.expires_on == date(2027, 1, 9)
    with pytest.raises(ValidationError) as exc:
        _legacy(personas)
    assert "number" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.certificate_record_legacy(
            actor=personas.county_officer,
            enterprise=certificate.enterprise,
            number="X1",
            grade_level=3,
            issued_on=date(2024, 1, 1),
        )


def test_expiry_reminders_go_once_each_at_120_and_90_days(personas):
    user = personas.enterprise_user  # the enterprise's user to be reminded
    certificate = _legacy(personas)  # expires 2027-01-09

    def expiry_notices():
        return Notification.objects.filter(recipient=user, title__contains=certificate.expires_on.isoformat())

    with time_machine.travel(beijing(2026, 9, 10), tick=False):  # T−121
        services.send_certificate_reminders()
    assert not expiry_notices().exists()
    with time_machine.travel(beijing(2026, 9, 11), tick=False):  # T−120
        services.send_certificate_reminders()
        services.send_certificate_reminders()
    assert expiry_notices().count() == 1
    assert set(certificate.reminders.values_list("key", flat=True)) >= {"expiry:120"}
    with time_machine.travel(beijing(2026, 10, 11), tick=False):  # T−90
        services.send_certificate_reminders()
    assert expiry_notices().count() == 2


def test_the_yearly_self_assessment_is_reminded_until_filed(personas):
    principal = personas.enterprise_principal
    certificate = _legacy(personas, issued_on=date(2025, 12, 20), number="AQBⅢSM辽20250009")
    with time_machine.travel(beijing(2026, 11, 25), tick=False):  # 25 days before the anniversary
        services.send_certificate_reminders()
    reminded = Notification.objects.filter(recipient=principal, title__contains="2026")
    assert reminded.count() == 1
    with time_machine.travel(beijing(2026, 11, 26), tick=False):
        assessment = services.annual_assessment_start(actor=personas.enterprise_user, certificate=certificate)
        assert (
            services.annual_assessment_start(actor=personas.enterprise_user, certificate=certificate)
            == assessment
        )
        with pytest.raises(ValidationError):  # nothing scored yet
            services.annual_assessment_submit(actor=principal, assessment=assessment)
        codes = list(assessment.sheet.standard.items.values_list("code", flat=True))
        sheet_entries_save(
            actor=personas.enterprise_user, sheet=assessment.sheet, entries=[EntryIn(code=c) for c in codes]
        )
        with pytest.raises(PermissionDenied):  # staff score; the principal files
            services.annual_assessment_submit(actor=personas.enterprise_user, assessment=assessment)
        services.annual_assessment_submit(actor=principal, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == AnnualSelfAssessment.Status.SUBMITTED
    assert assessment.percentage == 100
    assert assessment.sheet.status == "locked"


def test_renewal_opens_in_the_last_three_months_prefilled(personas):
    certificate = _legacy(personas)  # expires 2027-01-09
    with time_machine.travel(beijing(2026, 10, 9), tick=False):
        assert services.renewal_problems(certificate, date(2026, 10, 9))
        with pytest.raises(ValidationError):
            services.renewal_start(actor=personas.enterprise_user, certificate=certificate)
    with time_machine.travel(beijing(2026, 10, 10), tick=False):
        assert certificate_state(certificate, date(2026, 10, 10)) == "expiring"
        with pytest.raises(PermissionDenied):
            services.renewal_start(actor=personas.other_enterprise_user, certificate=certificate)
        application = services.renewal_start(actor=personas.enterprise_user, certificate=certificate)
    assert application.kind == Kind.RENEWAL and application.status == Status.DRAFT
    assert application.grade_level == certificate.grade_level


def test_the_state_label_of_each_stored_status(personas):
    certificate = _legacy(personas)
    Certificate.objects.filter(pk=certificate.pk).update(status=Certificate.Status.REVOKED)
    certificate.refresh_from_db()
    assert certificate_state(certificate, date(2025, 1, 1)) == "revoked"


def test_a_valid_grade_outside_the_renewal_window_fails_e12(personas):
    from grading import eligibility
    from grading.tests.factories import make_application

    certificate = _legacy(personas)  # expires 2027-01-09; renewal opens 2026-10-10
    application = make_application(personas)

    def e12_lines(on):
        return [c for c in eligibility.evaluate(application, on) if c.code == "E12" and c.failed]

    outside = e12_lines(date(2026, 10, 9))
    assert len(outside) == 1 and certificate.number in outside[0].reason
    assert e12_lines(date(2026, 10, 10)) == []  # inside the window: a renewal may be filed
    Certificate.objects.filter(pk=certificate.pk).update(status=Certificate.Status.REVOKED)
    assert e12_lines(date(2026, 10, 9)) == []
