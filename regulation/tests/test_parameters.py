from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from regulation.models import RegulationParameter
from regulation.selectors import param_decimal, param_int, param_list, parameter
from regulation.services import parameter_set


def test_domain_parameters_are_seeded_with_their_confidence(db):
    assert param_int("publicity_min") == 7
    assert parameter("publicity_min").confidence == "M"
    assert param_list("renewal_reminders") == [Decimal(120), Decimal(90)]
    assert param_decimal("deadline_alert_fraction") == Decimal("0.8")
    assert param_int("eligibility_loss_block") == 1_000_000


def test_a_new_value_keeps_the_history_and_old_dates_read_the_old_value(personas):
    parameter_set(
        actor=personas.admin,
        key="publicity_min",
        value="5",
        effective_from=date(2027, 1, 1),
        source_note="省厅通知（示例）",
    )
    assert param_int("publicity_min", on=date(2026, 12, 31)) == 7  # a running timer keeps its value
    assert param_int("publicity_min", on=date(2027, 1, 1)) == 5
    assert RegulationParameter.objects.filter(key="publicity_min").count() == 2
    assert AuditEvent.objects.filter(action="parameter.set").exists()


def test_bad_changes_are_refused(personas):
    with pytest.raises(PermissionDenied):
        parameter_set(
            actor=personas.city_chief,
            key="publicity_min",
            value="5",
            effective_from=date(2027, 1, 1),
            source_note="x",
        )
    for kwargs in (
        {"value": "five", "effective_from": date(2027, 1, 1), "source_note": "x"},
        {"value": "-1", "effective_from": date(2027, 1, 1), "source_note": "x"},
        {"value": "5", "effective_from": date(2020, 1, 1), "source_note": "x"},  # before the current one
        {"value": "5", "effective_from": date(2027, 1, 1), "source_note": " "},
    ):
        with pytest.raises(ValidationError):
            parameter_set(actor=personas.admin, key="publicity_min", **kwargs)
    assert RegulationParameter.objects.filter(key="publicity_min").count() == 1
