"""/api/v1/experts: the same scope and rules as the pages, ID numbers masked, one error shape."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.api_helpers import assert_error, bearer
from accounts.tests.factories import region
from experts.models import Expert, ExpertCertificate, ExpertChangeRequest, ExpertRating, ExpertRelation
from experts.services import (
    expert_certificate_add,
    expert_rate,
    expert_relation_add,
    expert_self_update,
    expert_unavailability_add,
)
from experts.tests.conftest import OWN_ID, TARGET_ID
from experts.tests.factories import make_id_number

BASE = "/api/v1/experts"
PERSONAS = (
    "admin",
    "city_officer",
    "city_chief",
    "bureau_leader",
    "county_officer",
    "enterprise_user",
    "expert",
    "anonymous",
)


def call(client, personas, persona, method, url, body=None):
    headers = bearer(personas[persona]) if persona != "anonymous" else {}
    kwargs = {"headers": headers}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(url, **kwargs)


def expected(
    persona: str, ok: int, *, leader: int | None = None, admin: int | None = None, chief: int | None = None
):
    table = {
        "admin": ok if admin is None else admin,
        "city_officer": ok,
        "city_chief": ok if chief is None else chief,
        "bureau_leader": ok if leader is None else leader,
        "county_officer": 404,
        "enterprise_user": 404,
        "expert": 404,
        "anonymous": 401,
    }
    return table[persona]


@pytest.fixture
def things(personas, target, own):
    today = timezone.localdate()
    officer = personas.city_officer
    return {
        "relation": expert_relation_add(actor=officer, expert=target, kind="other", enterprise_name="甲"),
        "certificate": expert_certificate_add(actor=officer, expert=target, name="证书"),
        "unavailability": expert_unavailability_add(
            actor=officer, expert=target, start=today, end=today + timedelta(days=1)
        ),
        "request": expert_self_update(
            actor=personas.expert, expert=own, data={"title": "正高级工程师"}
        ).change_request,
    }


def _check(response, status):
    if status >= 400:
        code = {401: "unauthenticated", 403: "forbidden", 404: "not_found", 422: "invalid"}[status]
        assert_error(response, status, code)
    else:
        assert response.status_code == status, response.content


# --- Batteries -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_read_endpoints_battery(client, personas, target, things, persona):
    reads = [
        (f"{BASE}/", 200, {}),
        (f"{BASE}/change-requests", 200, {}),
        (f"{BASE}/{target.pk}", 200, {}),
        (f"{BASE}/{target.pk}/relations", 200, {}),
        (f"{BASE}/{target.pk}/certificates", 200, {}),
        (f"{BASE}/{target.pk}/unavailability", 200, {}),
        (f"{BASE}/{target.pk}/change-requests", 200, {}),
        (f"{BASE}/{target.pk}/ratings", 200, {}),
    ]
    for url, ok, extra in reads:
        _check(call(client, personas, persona, "get", url), expected(persona, ok, **extra))


@pytest.mark.parametrize("persona", PERSONAS)
def test_write_endpoints_battery(client, personas, target, things, persona):
    today = timezone.localdate()
    writes = [
        ("patch", f"{BASE}/{target.pk}", {"phone": "13900000009"}, 200, {"leader": 403}),
        (
            "post",
            f"{BASE}/{target.pk}/status",
            {"status": "suspended", "reason": "测试"},
            200,
            {"leader": 403},
        ),
        (
            "post",
            f"{BASE}/{target.pk}/relations",
            {"kind": "other", "enterprise_name": "乙"},
            201,
            {"leader": 403},
        ),
        (
            "patch",
            f"{BASE}/{target.pk}/relations/{things['relation'].pk}",
            {"note": "n"},
            200,
            {"leader": 403},
        ),
        ("post", f"{BASE}/{target.pk}/certificates", {"name": "新证书"}, 201, {"leader": 403}),
        (
            "post",
            f"{BASE}/{target.pk}/unavailability",
            {
                "start": (today + timedelta(days=30)).isoformat(),
                "end": (today + timedelta(days=31)).isoformat(),
            },
            201,
            {"leader": 403},
        ),
        (
            "post",
            f"{BASE}/{target.pk}/ratings",
            {"professional": 90, "discipline": 90, "ethics": 90, "integrity": 90},
            201,
            {"leader": 403, "admin": 403, "chief": 403},
        ),
        ("delete", f"{BASE}/{target.pk}/relations/{things['relation'].pk}", None, 204, {"leader": 403}),
        ("delete", f"{BASE}/{target.pk}/certificates/{things['certificate'].pk}", None, 204, {"leader": 403}),
        (
            "delete",
            f"{BASE}/{target.pk}/unavailability/{things['unavailability'].pk}",
            None,
            204,
            {"leader": 403},
        ),
    ]
    for method, url, body, ok, extra in writes:
        response = call(client, personas, persona, method, url, body)
        _check(response, expected(persona, ok, **extra))
        if method == "post" and url.endswith("/status") and response.status_code == 200:
            Expert.objects.filter(pk=target.pk).update(status="active")  # so the next persona can change it


@pytest.mark.parametrize("persona", PERSONAS)
def test_create_battery(client, personas, persona):
    body = {"name": "接口专家", "gender": "male", "id_number": make_id_number(650 + PERSONAS.index(persona))}
    response = call(client, personas, persona, "post", f"{BASE}/", body)
    _check(response, expected(persona, 201, leader=403))
    assert Expert.objects.filter(name="接口专家").exists() == (response.status_code == 201)


@pytest.mark.parametrize("persona", PERSONAS)
def test_decide_battery(client, personas, things, persona):
    url = f"{BASE}/change-requests/{things['request'].pk}/decide"
    response = call(client, personas, persona, "post", url, {"approve": False, "reason": "资料不全"})
    _check(response, expected(persona, 200, leader=403, admin=403))


@pytest.mark.parametrize(
    ("persona", "status"),
    [("expert", 200), ("city_officer", 404), ("admin", 404), ("county_officer", 404), ("anonymous", 401)],
)
def test_me_battery(client, personas, own, persona, status):
    _check(call(client, personas, persona, "get", f"{BASE}/me"), status)
    _check(call(client, personas, persona, "patch", f"{BASE}/me", {"phone": "13900000003"}), status)


def test_expert_reaches_his_own_profile_and_not_another(client, personas, own, target):
    for url in (f"{BASE}/{own.pk}", f"{BASE}/{own.pk}/relations", f"{BASE}/{own.pk}/certificates"):
        _check(call(client, personas, "expert", "get", url), 200)
    _check(call(client, personas, "expert", "get", f"{BASE}/{own.pk}/ratings"), 403)
    _check(call(client, personas, "expert", "patch", f"{BASE}/{own.pk}", {"phone": "1"}), 403)
    for url in (f"{BASE}/{target.pk}", f"{BASE}/{target.pk}/relations"):
        _check(call(client, personas, "expert", "get", url), 404)
    body = {"kind": "employment", "enterprise_name": "丙", "start": "2010-01-01"}
    _check(call(client, personas, "expert", "post", f"{BASE}/{own.pk}/relations", body), 201)
    _check(call(client, personas, "expert", "post", f"{BASE}/{target.pk}/relations", body), 404)


# --- Behaviour ----------------------------------------------------------------------------


def test_id_numbers_leave_the_api_masked(client, personas, target, own):
    listed = call(client, personas, "city_officer", "get", f"{BASE}/").json()
    assert {item["id_number"] for item in listed["items"]} == {target.masked_id_number, own.masked_id_number}
    detail = call(client, personas, "city_officer", "get", f"{BASE}/{target.pk}")
    assert detail.json()["id_number"] == target.masked_id_number
    me = call(client, personas, "expert", "get", f"{BASE}/me")
    for response in (detail, me):
        assert TARGET_ID not in response.content.decode() and OWN_ID not in response.content.decode()
    created = call(
        client,
        personas,
        "city_officer",
        "post",
        f"{BASE}/",
        {"name": "新", "gender": "male", "id_number": make_id_number(651)},
    )
    assert created.json()["id_number"] == Expert.objects.get(name="新").masked_id_number


def test_list_filters_and_count(client, personas, target, own):
    body = call(client, personas, "city_officer", "get", f"{BASE}/?skill=dust_explosion").json()
    assert [i["name"] for i in body["items"]] == ["王目标"]
    assert body["count"] == 1
    body = call(client, personas, "city_officer", "get", f"{BASE}/?q=wmb").json()
    assert [i["name"] for i in body["items"]] == ["王目标"]


def test_create_validation_errors_are_keyed_by_field(client, personas):
    good = make_id_number(652)
    body = {"name": "坏", "gender": "male", "id_number": good[:-1] + ("0" if good[-1] != "0" else "1")}
    response = call(client, personas, "city_officer", "post", f"{BASE}/", body)
    assert set(assert_error(response, 422, "invalid")["details"]) == {"id_number"}
    response = call(
        client, personas, "city_officer", "post", f"{BASE}/", {**body, "id_number": good, "region": 999999}
    )
    assert set(assert_error(response, 422, "invalid")["details"]) == {"region"}
    response = call(
        client, personas, "city_officer", "post", f"{BASE}/", {**body, "specialties": ["astrology"]}
    )
    assert "specialties.0" in assert_error(response, 422, "invalid")["details"]
    assert not Expert.objects.exists()


def test_update_keeps_the_id_and_resolves_the_region(client, personas, target):
    body = {"region": region("鲅鱼圈区").pk, "term_until": "2029-06-30"}
    response = call(client, personas, "city_chief", "patch", f"{BASE}/{target.pk}", body)
    assert response.status_code == 200, response.content
    target.refresh_from_db()
    assert (target.region.name, target.id_number) == ("鲅鱼圈区", TARGET_ID)
    response = call(client, personas, "city_chief", "patch", f"{BASE}/{target.pk}", {"name": None})
    assert assert_error(response, 422, "invalid")["details"] == {
        "name": [response.json()["details"]["name"][0]]
    }


def test_patch_me_applies_contact_and_files_qualifications(client, personas, own):
    response = call(
        client, personas, "expert", "patch", f"{BASE}/me", {"phone": "13900000004", "title": "正高级工程师"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["applied"] == ["phone"]
    assert body["expert"]["phone"] == "13900000004"
    assert body["expert"]["title"] == "高级工程师"
    assert body["change_request"]["changes"] == {"title": "正高级工程师"}
    assert body["change_request"]["status"] == "pending"
    # Fields that are not the expert's to change are not part of the schema: ignored.
    response = call(client, personas, "expert", "patch", f"{BASE}/me", {"name": "改名"})
    assert response.status_code == 200
    own.refresh_from_db()
    assert own.name == "陈本人"


def test_decide_through_the_api_applies_or_keeps(client, personas, own):
    request = expert_self_update(
        actor=personas.expert, expert=own, data={"years_of_experience": 30}
    ).change_request
    url = f"{BASE}/change-requests/{request.pk}/decide"
    response = call(client, personas, "city_officer", "post", url, {"approve": False})
    assert assert_error(response, 422, "invalid")["details"]["reason"]
    response = call(client, personas, "city_officer", "post", url, {"approve": True})
    assert response.status_code == 200 and response.json()["status"] == "approved"
    own.refresh_from_db()
    assert own.years_of_experience == 30
    assert ExpertChangeRequest.objects.get().decided_by == personas.city_officer
    listed = call(client, personas, "city_chief", "get", f"{BASE}/change-requests?status=approved").json()
    assert [r["id"] for r in listed] == [request.pk]


def test_ratings_list_and_create(client, personas, target):
    expert_rate(
        actor=personas.city_officer, expert=target, professional=80, discipline=90, ethics=100, integrity=70
    )
    response = call(
        client,
        personas,
        "city_officer",
        "post",
        f"{BASE}/{target.pk}/ratings",
        {"professional": 101, "discipline": 90, "ethics": 90, "integrity": 90},
    )
    assert set(assert_error(response, 422, "invalid")["details"]) == {"professional"}
    body = call(client, personas, "bureau_leader", "get", f"{BASE}/{target.pk}/ratings").json()
    assert body["summary"]["count"] == 1 and body["summary"]["average"] == "85.00"
    assert body["items"][0]["average"] == "85.00"
    assert ExpertRating.objects.count() == 1


def test_relation_uscc_links_through_the_api(client, personas, own):
    from enterprises.tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory()
    body = {
        "kind": "relative",
        "enterprise_name": "某企业",
        "enterprise_uscc": enterprise.uscc,
        "relative_relationship": "sibling",
    }
    response = call(client, personas, "expert", "post", f"{BASE}/{own.pk}/relations", body)
    assert response.status_code == 201, response.content
    assert response.json()["enterprise"] == enterprise.pk
    assert ExpertRelation.objects.get().enterprise == enterprise


def test_expert_certificate_through_the_api_waits_for_approval(client, personas, own):
    response = call(
        client,
        personas,
        "expert",
        "post",
        f"{BASE}/{own.pk}/certificates",
        {"name": "新证书", "expires_on": "2030-01-01"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "pending"
    assert ExpertCertificate.objects.get().state == "pending"
    assert ExpertChangeRequest.objects.get().changes == {"certificates_add": [response.json()["id"]]}


def test_unavailability_overlap_through_the_api(client, personas, own):
    today = timezone.localdate()
    body = {"start": (today + timedelta(days=5)).isoformat(), "end": (today + timedelta(days=8)).isoformat()}
    assert (
        call(client, personas, "expert", "post", f"{BASE}/{own.pk}/unavailability", body).status_code == 201
    )
    response = call(client, personas, "expert", "post", f"{BASE}/{own.pk}/unavailability", body)
    assert set(assert_error(response, 422, "invalid")["details"]) == {"start"}
