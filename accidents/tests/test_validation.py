"""accident_clean: one validation for the form and the API, messages keyed by field."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from accidents.models import Accident
from accidents.services import accident_clean
from accidents.tests.factories import _DEFAULTS, beijing


def _data(enterprise, **overrides) -> dict:
    return {**_DEFAULTS, "enterprise": enterprise, "occurred_at": beijing(2026, 3, 2), **overrides}


def _errors(actor, data) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as info:
        accident_clean(actor=actor, data=data)
    return info.value.message_dict


def test_valid_data_is_normalised_and_graded(personas, zhanqian_enterprise):
    cleaned = accident_clean(
        actor=personas.county_officer,
        data=_data(zhanqian_enterprise, place="  炼钢车间 ", deaths="3", direct_loss_yuan="12.5"),
    )
    assert cleaned["place"] == "炼钢车间"
    assert cleaned["deaths"] == 3
    assert cleaned["direct_loss_yuan"] == Decimal("12.50")
    assert cleaned["grade"] == "relatively_major"


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("deaths", "The number of deaths cannot be negative."),
        ("serious_injuries", "The number of serious injuries cannot be negative."),
        ("minor_injuries", "The number of minor injuries cannot be negative."),
    ],
)
def test_negative_counts_are_refused(personas, zhanqian_enterprise, field, message):
    errors = _errors(personas.county_officer, _data(zhanqian_enterprise, **{field: -1}))
    assert errors == {field: [gettext(message)]}


def test_negative_or_too_precise_loss_is_refused(personas, zhanqian_enterprise):
    officer = personas.county_officer
    assert _errors(officer, _data(zhanqian_enterprise, direct_loss_yuan="-0.01")) == {
        "direct_loss_yuan": [gettext("The direct economic loss cannot be negative.")]
    }
    assert _errors(officer, _data(zhanqian_enterprise, direct_loss_yuan="1.005")) == {
        "direct_loss_yuan": [gettext("Give the loss in yuan with at most 2 decimal places.")]
    }
    assert _errors(officer, _data(zhanqian_enterprise, direct_loss_yuan="1e13")) == {
        "direct_loss_yuan": [gettext("The direct economic loss is too large.")]
    }
    assert "direct_loss_yuan" in _errors(officer, _data(zhanqian_enterprise, direct_loss_yuan="abc"))
    assert "direct_loss_yuan" in _errors(officer, _data(zhanqian_enterprise, direct_loss_yuan="NaN"))


def test_an_accident_cannot_occur_in_the_future(personas, zhanqian_enterprise):
    future = timezone.now() + timedelta(minutes=5)
    assert _errors(personas.county_officer, _data(zhanqian_enterprise, occurred_at=future)) == {
        "occurred_at": [gettext("The accident cannot have occurred in the future.")]
    }


def test_it_cannot_be_reported_before_it_occurred_or_in_the_future(personas, zhanqian_enterprise):
    officer = personas.county_officer
    early = _data(zhanqian_enterprise, reported_at=beijing(2026, 3, 2, 9, 59))
    assert _errors(officer, early) == {
        "reported_at": [gettext("The accident cannot have been reported before it occurred.")]
    }
    late = _data(zhanqian_enterprise, reported_at=timezone.now() + timedelta(hours=1))
    assert _errors(officer, late) == {"reported_at": [gettext("The report time cannot be in the future.")]}
    same_time = _data(zhanqian_enterprise, reported_at=beijing(2026, 3, 2))
    assert accident_clean(actor=officer, data=same_time)["reported_at"] == beijing(2026, 3, 2)


def test_an_enterprise_outside_the_scope_is_refused(personas, bayuquan_enterprise):
    assert _errors(personas.county_officer, _data(bayuquan_enterprise)) == {
        "enterprise": [gettext("You may only record accidents of enterprises in your own division.")]
    }


def test_required_fields(personas):
    errors = _errors(
        personas.county_officer,
        {"enterprise": None, "occurred_at": None, "place": " ", "accident_type": "explosion"},
    )
    assert errors == {
        "enterprise": [gettext("Choose the enterprise.")],
        "occurred_at": [gettext("Enter when the accident occurred.")],
        "place": [gettext("Enter where the accident occurred.")],
        "accident_type": [gettext("Choose one of the 20 accident types of GB 6441.")],
    }


def test_an_override_needs_a_reason_and_a_valid_grade(personas, zhanqian_enterprise):
    officer = personas.county_officer
    assert _errors(officer, _data(zhanqian_enterprise, grade_override="major")) == {
        "grade_override_reason": [gettext("Give the reason for setting the grade by hand.")]
    }
    assert _errors(officer, _data(zhanqian_enterprise, grade_override="huge", grade_override_reason="x")) == {
        "grade_override": [gettext("Choose one of the four accident grades.")]
    }
    cleaned = accident_clean(
        actor=officer, data=_data(zhanqian_enterprise, grade_override="", grade_override_reason="x")
    )
    assert (cleaned["grade_override"], cleaned["grade_override_reason"]) == (None, "")


def test_naive_times_are_taken_as_beijing_time(personas, zhanqian_enterprise):
    cleaned = accident_clean(
        actor=personas.county_officer,
        data=_data(zhanqian_enterprise, occurred_at=beijing(2026, 3, 2, 10, 0).replace(tzinfo=None)),
    )
    assert cleaned["occurred_at"] == beijing(2026, 3, 2, 10, 0)


def test_the_database_refuses_what_the_service_would(personas, zhanqian_accident):
    from django.db import IntegrityError, transaction

    for change in (
        {"direct_loss_yuan": Decimal("-1")},
        {"grade_override": "major", "grade_override_reason": ""},
        {"reported_at": zhanqian_accident.occurred_at - timedelta(hours=1)},
        {"grade": "huge"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Accident.objects.filter(pk=zhanqian_accident.pk).update(**change)
