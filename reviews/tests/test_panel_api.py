"""The panels API: draw, read, replay, answer, approve — with the pages' permissions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from grading.models import Status
from grading.tests.api_helpers import call
from grading.tests.factories import advance, make_application
from reviews.models import Panel, PanelDraw
from reviews.tests.test_panel_services import pool, seated

pytestmark = pytest.mark.django_db
BASE = "/api/v1/panels/"


@pytest.fixture
def accepted(personas):
    return advance(make_application(personas), personas, Status.ACCEPTED)


def _body():
    return {"review_date": (timezone.localdate() + timedelta(days=14)).isoformat()}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("county_officer", 403),
        ("enterprise_principal", 403),
        ("bureau_leader", 403),
        ("other_county_officer", 404),
        ("other_enterprise_user", 404),
        ("expert", 404),
        ("anonymous", 401),
    ],
)
def test_only_the_city_draws(client, personas, accepted, persona, status):
    pool()
    response = call(client, personas[persona], "post", f"{BASE}{accepted.pk}/draw", _body())
    assert response.status_code == status
    assert not PanelDraw.objects.exists()


def test_draw_read_replay_and_the_seed_is_not_the_callers(client, personas, accepted):
    pool()
    body = {**_body(), "seed": 1}  # ignored: the service draws its own seed
    response = call(client, personas.city_officer, "post", f"{BASE}{accepted.pk}/draw", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["ok"] and len(data["members"]) == 5 and data["leader_id"] in data["members"]
    assert data["seed"] != "1"
    panel = call(client, personas.county_officer, "get", f"{BASE}{accepted.pk}").json()
    assert len(panel["members"]) == 5 and panel["reserves"] == []  # the county sees no reserves
    # The enterprise sees the panel only once the chief approved it.
    assert call(client, personas.enterprise_user, "get", f"{BASE}{accepted.pk}").status_code == 404
    replay = call(client, personas.bureau_leader, "post", f"{BASE}{accepted.pk}/draws/{data['id']}/replay")
    assert replay.json() == {
        "matches": True,
        "stored_hash": data["result_hash"],
        "recomputed_hash": data["result_hash"],
    }
    assert call(client, personas.county_officer, "get", f"{BASE}{accepted.pk}/draws").status_code == 403


def test_experts_answer_and_the_chief_approves(client, personas, accepted):
    pool()
    call(client, personas.city_officer, "post", f"{BASE}{accepted.pk}/draw", _body())
    panel = Panel.objects.get(application=accepted)
    for member in seated(panel).select_related("expert__user"):
        mine = call(client, member.expert.user, "get", f"{BASE}mine").json()
        assert [s["id"] for s in mine] == [member.pk]
        refused = call(
            client, member.expert.user, "post", f"{BASE}seats/{member.pk}/answer", {"accept": True}
        )
        assert refused.status_code == 422  # no no-conflict declaration
        answer = {"accept": True, "no_conflict": True}
        assert (
            call(client, member.expert.user, "post", f"{BASE}seats/{member.pk}/answer", answer).status_code
            == 200
        )
    assert call(client, personas.city_officer, "post", f"{BASE}{accepted.pk}/approve", {}).status_code == 403
    response = call(client, personas.city_chief, "post", f"{BASE}{accepted.pk}/approve", {})
    assert response.status_code == 200 and response.json()["status"] == "approved"
    accepted.refresh_from_db()
    assert accepted.status == Status.REVIEW_SCHEDULED
    assert call(client, personas.enterprise_user, "get", f"{BASE}{accepted.pk}").status_code == 200
