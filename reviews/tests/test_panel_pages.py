"""The panel card, the draw and approval posts, the expert's invitations and the draw record."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grading.models import Status
from grading.tests.factories import advance, make_application
from reviews.models import Panel, PanelDraw, PanelMember
from reviews.tests.test_panel_services import pool, seated

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(personas):
    return advance(make_application(personas), personas, Status.ACCEPTED)


def _day() -> str:
    return (timezone.localdate() + timedelta(days=14)).isoformat()


def test_city_officer_draws_from_the_case_page(personas, accepted, login):
    pool()
    client = login(personas.city_officer)
    page = client.get(reverse("grading:detail", args=[accepted.pk]))
    assert b'data-testid="panel-draw-form"' in page.content
    response = client.post(reverse("reviews:draw", args=[accepted.pk]), {"review_date": _day()})
    assert response.status_code == 302
    accepted.refresh_from_db()
    assert accepted.status == Status.PANEL_FORMING
    page = client.get(reverse("grading:detail", args=[accepted.pk]))
    assert page.content.count(b'data-testid="panel-member"') == 5


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("county_officer", 403),
        ("enterprise_principal", 403),
        ("bureau_leader", 403),
        ("other_county_officer", 404),
        ("other_enterprise_user", 404),
        ("expert", 404),
    ],
)
def test_only_the_city_may_draw(personas, accepted, login, persona, status):
    pool()
    client = login(personas[persona])
    response = client.post(reverse("reviews:draw", args=[accepted.pk]), {"review_date": _day()})
    if response.status_code == 302:  # a view that refuses by message must not have drawn
        assert not PanelDraw.objects.exists()
    else:
        assert response.status_code == status
    assert not Panel.objects.exists()


def test_anonymous_is_sent_to_login(client, accepted):
    response = client.post(reverse("reviews:draw", args=[accepted.pk]), {"review_date": _day()})
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_expert_confirms_on_his_page(personas, accepted, login):
    pool()
    login(personas.city_officer).post(reverse("reviews:draw", args=[accepted.pk]), {"review_date": _day()})
    panel = Panel.objects.get(application=accepted)
    member = seated(panel).select_related("expert__user").first()
    client = login(member.expert.user)
    page = client.get(reverse("reviews:my_panels"))
    assert accepted.enterprise.name in page.content.decode()
    client.post(
        reverse("reviews:member_respond", args=[member.pk]), {"answer": "accept", "no_conflict": "on"}
    )
    member.refresh_from_db()
    assert member.state == "confirmed"
    # Another expert's seat is not his to answer.
    other = seated(panel).exclude(pk=member.pk).first()
    response = client.post(
        reverse("reviews:member_respond", args=[other.pk]), {"answer": "accept", "no_conflict": "on"}
    )
    assert response.status_code == 404


def test_my_panels_is_for_experts(personas, login):
    assert login(personas.city_officer).get(reverse("reviews:my_panels")).status_code == 403


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("city_officer", 200),
        ("city_chief", 200),
        ("bureau_leader", 200),
        ("county_officer", 403),
        ("enterprise_user", 403),
        ("other_county_officer", 404),
        ("expert", 404),
    ],
)
def test_draw_record_page(personas, accepted, login, persona, status):
    pool()
    login(personas.city_officer).post(reverse("reviews:draw", args=[accepted.pk]), {"review_date": _day()})
    record = PanelDraw.objects.get()
    response = login(personas[persona]).get(reverse("reviews:draw_record", args=[accepted.pk, record.pk]))
    assert response.status_code == status
    if status == 200:
        assert record.result_hash in response.content.decode()
        assert b'data-testid="replay"' in response.content
        leader = PanelMember.objects.get(role="leader").expert.name
        assert f"：{leader}）" in response.content.decode()
