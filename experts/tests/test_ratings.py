"""expert_rate (the reviews issue calls it after each review) and rating_summary."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from experts.models import ExpertRating
from experts.selectors import rating_summary
from experts.services import expert_rate


def rate(personas, expert, scores=(90, 80, 100, 95), **kwargs):
    p, d, e, i = scores
    return expert_rate(
        actor=personas.city_officer,
        expert=expert,
        professional=p,
        discipline=d,
        ethics=e,
        integrity=i,
        **kwargs,
    )


def test_rating_is_stored_with_its_average_and_audited(personas, target):
    rating = rate(personas, target, source="DJ20260001", comment="认真负责")
    assert rating.average == Decimal("91.25")
    assert rating.rated_by == personas.city_officer
    event = AuditEvent.objects.get(action="expert.rate")
    assert event.target_id == str(target.pk)
    assert event.data["average"] == "91.25"


@pytest.mark.parametrize("bad", [0, 101, -5, True, "90", 90.5, None])
def test_scores_must_be_whole_numbers_from_1_to_100(personas, target, bad):
    with pytest.raises(ValidationError) as exc:
        rate(personas, target, scores=(bad, 80, 80, 80))
    assert set(exc.value.message_dict) == {"professional"}
    assert not ExpertRating.objects.exists()


@pytest.mark.parametrize("edge", [1, 100])
def test_the_bounds_are_allowed(personas, target, edge):
    assert rate(personas, target, scores=(edge, edge, edge, edge)).average == Decimal(edge)


@pytest.mark.parametrize("persona", ["city_chief", "bureau_leader", "admin", "county_officer", "expert"])
def test_only_city_officers_rate(personas, target, persona):
    with pytest.raises(PermissionDenied):
        expert_rate(
            actor=personas[persona], expert=target, professional=90, discipline=90, ethics=90, integrity=90
        )


def test_summary_counts_averages_and_names_the_last(personas, target):
    assert rating_summary(target).count == 0
    assert rating_summary(target).average is None
    rate(personas, target, scores=(90, 80, 100, 95))  # 91.25
    last = rate(personas, target, scores=(60, 70, 80, 91))  # 75.25
    summary = rating_summary(target)
    assert summary.count == 2
    assert summary.average == Decimal("83.25")
    assert summary.last == last


def test_one_rating_per_application(personas, target):
    from grading.tests.factories import make_application

    application = make_application(personas)
    rating = rate(personas, target, application=application)
    assert rating.source == application.number
    with pytest.raises(ValidationError) as exc:
        rate(personas, target, application=application)
    assert "application" in exc.value.message_dict


def test_rate_page_and_ratings_hidden_from_the_expert(login, personas, own):
    client = login(personas.city_officer)
    url = reverse("experts:rate", args=[own.pk])
    response = client.post(url, {"professional": 0, "discipline": 80, "ethics": 80, "integrity": 80})
    assert response.status_code == 200 and response.context["form"].errors["professional"]
    response = client.post(
        url, {"professional": 88, "discipline": 80, "ethics": 80, "integrity": 80, "comment": "仅内部可见"}
    )
    assert response.status_code == 302
    html = client.get(reverse("experts:detail", args=[own.pk])).content.decode()
    assert 'data-testid="ratings"' in html and "仅内部可见" in html
    response = login(personas.expert).get(reverse("experts:me"))
    html = response.content.decode()
    assert response.context["summary"].count == 1  # he sees his summary
    assert "仅内部可见" not in html and 'data-testid="ratings"' not in html
    assert all(event.action != "expert.rate" for event, _lines in response.context["history"])
