"""The on-site review API: schedule, open, attendance, supervision — the services' permissions."""

import pytest

from grading.tests.api_helpers import call
from reviews.tests.test_site_review import _leader

pytestmark = pytest.mark.django_db
BASE = "/api/v1/panels/"
PLAN = [{"starts_at": "08:30", "ends_at": "09:00", "activity": "首次会议"}]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("city_officer", 200),
        ("county_officer", 403),
        ("enterprise_principal", 403),
        ("bureau_leader", 403),
        ("other_county_officer", 404),
        ("other_enterprise_user", 404),
        ("expert", 404),
        ("anonymous", 401),
    ],
)
def test_the_city_schedules(client, personas, scheduled, persona, status):
    application = scheduled[0]
    user = getattr(personas, persona, None) if persona != "anonymous" else None
    body = {"place": "会议室", "plan": PLAN}
    response = call(client, user, "put", f"{BASE}{application.pk}/schedule", body)
    assert response.status_code == status
    if status == 200:
        assert response.json()["plan"][0]["activity"] == "首次会议"
        read = call(client, personas.enterprise_principal, "get", f"{BASE}{application.pk}/schedule")
        assert read.status_code == 200 and read.json()["place"] == "会议室"


def test_the_leader_opens_and_the_sheet_is_kept(client, personas, scheduled):
    application, panel, _experts = scheduled
    call(client, personas.city_officer, "put", f"{BASE}{application.pk}/schedule", {"place": "会议室"})
    url = f"{BASE}{application.pk}/open"
    assert call(client, personas.city_officer, "post", url, {}).status_code == 403
    leader = _leader(panel)
    response = call(client, leader, "post", url, {})
    assert response.status_code == 200 and response.json()["opened_at"]
    sheet = f"{BASE}{application.pk}/attendance"
    me = {"meeting": "opening", "sign_myself": True}
    assert call(client, personas.county_officer, "post", sheet, me).status_code == 201
    assert call(client, personas.other_county_officer, "post", sheet, me).status_code == 404
    row = {"meeting": "opening", "name": "张三", "role": "enterprise"}
    assert call(client, leader, "post", sheet, row).status_code == 201
    read = call(client, personas.city_officer, "get", sheet).json()
    assert len(read["rows"]) == 2 and len(read["finalise_blockers"]) == 3


def test_supervision_is_for_regulators_and_read_by_the_city(client, personas, on_site):
    application, panel, _review = on_site
    url = f"{BASE}{application.pk}/supervision"
    body = {"punctuality": 5, "thoroughness": 4, "impartiality": 5, "irregularity": ""}
    assert call(client, personas.county_officer, "post", url, body).status_code == 201
    assert call(client, _leader(panel), "post", url, body).status_code == 403
    assert call(client, personas.enterprise_principal, "post", url, body).status_code == 403
    assert call(client, personas.city_officer, "post", url, {**body, "punctuality": 9}).status_code == 422
    assert len(call(client, personas.city_officer, "get", url).json()) == 1
    assert call(client, personas.bureau_leader, "get", url).status_code == 200
    for persona in ("county_officer", "enterprise_principal"):
        assert call(client, getattr(personas, persona), "get", url).status_code == 403
    assert call(client, _leader(panel), "get", url).status_code == 403
