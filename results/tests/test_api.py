"""The results API (/api/v1/results): each operation's permissions (401 anonymous, 404 who may not
see, 403 a reader without the right — the bureau leader never acts), the certificate list's
filters and scope, a batch walked through its moves, objections with the objector kept
confidential, revocation and renewal, each refusal in the error shape."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from accounts.tests.api_helpers import assert_error
from grading.models import GradingApplication, Kind, Status
from grading.tests.api_helpers import PERSONAS, zh
from grading.tests.api_helpers import call as json_call
from results.models import Announcement, Certificate, Objection, PublicityBatch, RevocationCase
from results.tests.conftest import beijing
from results.tests.factories import (
    file_objection,
    make_batch,
    make_certificate,
    make_result_ready,
    other_enterprise,
    persona_certificate,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/results"
B = PublicityBatch.Status
CODES = {401: "unauthenticated", 403: "forbidden", 404: "not_found"}
CITY_READERS = ("city_officer", "city_chief", "bureau_leader")
SEEING = (
    "admin",
    "city_officer",
    "city_chief",
    "bureau_leader",
    "county_officer",
    "county_chief",
    "enterprise_user",
    "enterprise_principal",
)


def call(client, user, method: str, path: str, body=None):
    """Call as ``user`` (bearer token); a write without a body sends ``{}``."""
    if body is None and method != "get":
        body = {}
    return json_call(client, user, method, path, body)


def battery(client, personas, method: str, path: str, expected: dict, body=None, default: int = 404) -> list:
    """Every persona (anonymous included) with its expected status; ``None`` skips one. The
    refusals must be in the error shape. Returns the failures."""
    failures = []
    for name in PERSONAS:
        status = 401 if name == "anonymous" else expected.get(name, default)
        if status is None:
            continue
        response = call(client, personas[name], method, path, body)
        if response.status_code != status:
            failures.append((method, path, name, response.status_code, status))
        elif status in CODES:
            assert_error(response, status, CODES[status])
    return failures


def ok(names, status: int = 200, **others) -> dict:
    return {**{n: status for n in names}, **others}


# --- Certificates ----------------------------------------------------------------------------


def test_certificates_are_read_within_scope(client, personas, results_clock):
    own = persona_certificate(personas, issued_on=date(2023, 7, 1))  # expiring: 2026-06-30
    other = make_certificate(enterprise=other_enterprise(division="鲅鱼圈区"), issued_on=date(2022, 1, 1))
    failures = battery(
        client, personas, "get", f"{BASE}/certificates", ok([p for p in PERSONAS if p != "expert"])
    )
    failures += battery(client, personas, "get", f"{BASE}/certificates/{own.pk}", ok(SEEING))
    assert failures == []

    def ids(user, **query):
        path = f"{BASE}/certificates?" + "&".join(f"{k}={v}" for k, v in query.items())
        return [row["id"] for row in call(client, user, "get", path).json()["items"]]

    assert ids(personas.county_officer) == [own.pk]
    assert ids(personas.other_county_officer) == [other.pk]
    assert ids(personas.other_enterprise_user) == []
    assert ids(personas.city_officer) == [own.pk, other.pk]
    assert ids(personas.city_officer, state="expired") == [other.pk]
    assert ids(personas.city_officer, year=2023) == [own.pk]
    assert ids(personas.city_officer, q=own.uscc) == [own.pk]
    assert ids(personas.city_officer, division=other.enterprise.region.code) == [other.pk]
    assert ids(personas.county_officer, division=other.enterprise.region.code) == []  # outside his scope
    assert ids(personas.city_officer, limit=1, offset=1) == [other.pk]
    body = call(client, personas.city_officer, "get", f"{BASE}/certificates?limit=1").json()
    assert body["count"] == 2 and len(body["items"]) == 1
    row = body["items"][0]
    assert row["number"] == own.number and row["state"] == "expiring"
    assert row["state_label"] == zh("Expiring soon") and row["division"] == own.enterprise.region.name
    assert row["pdf_url"] is None
    assert_error(
        call(client, personas.city_officer, "get", f"{BASE}/certificates?state=nope"), 422, "invalid"
    )
    # The detail: the enterprise learns whether a renewal can be opened today.
    detail = call(client, personas.enterprise_user, "get", f"{BASE}/certificates/{own.pk}").json()
    assert detail["renewal_problems"] == [] and detail["revocations"] == []
    assert (
        call(client, personas.city_officer, "get", f"{BASE}/certificates/{own.pk}").json()["renewal_problems"]
        == []
    )
    assert_error(
        call(client, personas.county_officer, "get", f"{BASE}/certificates/{other.pk}"), 404, "not_found"
    )


@pytest.mark.parametrize("count", [3, 30])
def test_certificate_list_queries_do_not_grow(
    client, personas, results_clock, django_assert_max_num_queries, count
):
    for _ in range(count):
        make_certificate(enterprise=other_enterprise())
    from accounts.tests.api_helpers import bearer

    headers = bearer(personas.city_officer)
    with django_assert_max_num_queries(8):
        response = client.get(f"{BASE}/certificates?limit=200", headers=headers)
    assert len(response.json()["items"]) == count


# --- Publicity batches -----------------------------------------------------------------------


def test_batches_are_the_city_s_and_the_bureau_leader_only_reads(client, personas, results_clock):
    application = make_result_ready(personas, enterprise=other_enterprise())
    batch = make_batch(personas, [application])
    staff = ok(("city_officer", "city_chief"), 422, bureau_leader=403)  # an empty body: refused by field
    failures = battery(client, personas, "get", f"{BASE}/batches", ok(CITY_READERS))
    failures += battery(client, personas, "get", f"{BASE}/batches/{batch.pk}", ok(CITY_READERS))
    empty = {"title": "", "contact": "", "applications": []}
    failures += battery(client, personas, "post", f"{BASE}/batches", staff, body=empty)
    for move in ("approve", "send-back", "announce"):
        # The chief's moves on a draft: refused (422/409) for him, 403 for the officer and the leader.
        expected = {"city_chief": None, "city_officer": 403, "bureau_leader": 403}
        failures += battery(
            client, personas, "post", f"{BASE}/batches/{batch.pk}/{move}", expected, body={"comment": ""}
        )
    failures += battery(
        client,
        personas,
        "post",
        f"{BASE}/batches/{batch.pk}/submit",
        {"city_officer": None, "city_chief": None, "bureau_leader": 403},
    )
    assert failures == []
    batch.refresh_from_db()
    assert batch.status == B.DRAFT


def test_a_batch_through_its_moves(client, personas, ready, results_clock):
    officer, chief = personas.city_officer, personas.city_chief
    # Refused: an application outside the candidates, no title.
    response = call(
        client, officer, "post", f"{BASE}/batches", {"title": "", "contact": "c", "applications": [ready.pk]}
    )
    assert set(assert_error(response, 422, "invalid")["details"]) == {"title"}
    response = call(
        client, officer, "post", f"{BASE}/batches", {"title": "t", "contact": "c", "applications": [999999]}
    )
    assert set(assert_error(response, 422, "invalid")["details"]) == {"applications"}
    response = call(
        client,
        officer,
        "post",
        f"{BASE}/batches",
        {"title": "2026年第一批公示", "contact": "电话 0417-2800000", "applications": [ready.pk]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    path = f"{BASE}/batches/{body['id']}"
    assert body["status"] == "draft" and body["actions"] == ["submit"] and body["entry_count"] == 1
    entry = body["entries"][0]
    assert entry["application_id"] == ready.pk and entry["percentage"] == "92.5"
    # Submit once; the second is refused (409).
    assert call(client, officer, "post", f"{path}/submit", {"comment": "请审核"}).status_code == 200
    assert_error(call(client, officer, "post", f"{path}/submit"), 409, "transition_refused")
    # Send back needs its comment.
    response = call(client, chief, "post", f"{path}/send-back", {"comment": ""})
    assert set(assert_error(response, 422, "invalid")["details"]) == {"comment"}
    response = call(client, chief, "post", f"{path}/send-back", {"comment": "补充邮箱"})
    assert response.json()["status"] == "draft" and response.json()["return_comment"] == "补充邮箱"
    call(client, officer, "post", f"{path}/submit")
    response = call(client, chief, "post", f"{path}/approve")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "published" and body["starts_on"] == "2026-06-01" and body["working_days"] == 7
    assert body["actions"] == ["announce"] and body["announce_problems"]
    ready.refresh_from_db()
    assert ready.status == Status.PUBLICITY
    # Announce: not before the window ends (422 with the reason), then done.
    response = call(client, chief, "post", f"{path}/announce")
    message = zh("The publicity runs until %(date)s; it can be announced from the next day.") % {
        "date": body["ends_on"]
    }
    assert message in assert_error(response, 422, "invalid")["details"]["__all__"]
    day = date.fromisoformat(body["ends_on"]) + timedelta(days=1)
    results_clock.move_to(beijing(day.year, day.month, day.day))
    response = call(client, chief, "post", f"{path}/announce", {"title": "", "body": ""})
    assert response.status_code == 200, response.content
    body = response.json()
    announcement = Announcement.objects.get()
    assert body["status"] == "announced" and body["announcement_number"] == announcement.document_number
    assert Certificate.objects.filter(application=ready).exists()
    listed = call(client, personas.bureau_leader, "get", f"{BASE}/batches?status=announced").json()
    assert listed["count"] == 1 and listed["items"][0]["announcement_id"] == announcement.pk


# --- Objections ------------------------------------------------------------------------------


def test_objections_keep_the_objector_confidential_and_are_decided_once(client, personas, published, media):
    batch, application = published
    objection = file_objection(batch.entries.get())
    path = f"{BASE}/objections/{objection.pk}/decide"
    failures = battery(client, personas, "get", f"{BASE}/objections", ok(CITY_READERS))
    failures += battery(
        client,
        personas,
        "post",
        path,
        {"city_officer": 422, "city_chief": 422, "bureau_leader": 403},
        body={"upheld": True, "note": ""},
    )
    assert failures == []
    row = call(client, personas.city_officer, "get", f"{BASE}/objections").json()["items"][0]
    assert row["objector_name"] == "王五" and row["objector_contact"] == "13812345678"
    row = call(client, personas.bureau_leader, "get", f"{BASE}/objections").json()["items"][0]
    assert row["objector_name"] is None and row["objector_contact"] is None
    assert row["receipt_number"] == objection.receipt_number and row["status"] == "open"
    response = call(client, personas.city_officer, "post", path, {"upheld": False, "note": ""})
    assert set(assert_error(response, 422, "invalid")["details"]) == {"note"}
    response = call(client, personas.city_officer, "post", path, {"upheld": False, "note": "经核查不属实"})
    assert response.status_code == 200
    assert response.json()["status"] == "closed" and response.json()["outcome"] == "rejected"
    body = assert_error(
        call(client, personas.city_chief, "post", path, {"upheld": True, "note": "x"}), 409, "stale_state"
    )
    assert body["message"] == zh("This objection has already been decided; reload the page.")
    assert Objection.objects.get().outcome == "rejected"
    application.refresh_from_db()
    assert application.status == Status.PUBLICITY
    query = f"{BASE}/objections?status=open"
    assert call(client, personas.city_officer, "get", query).json()["count"] == 0


# --- Revocation and renewal --------------------------------------------------------------------


def test_revocation_is_flagged_by_the_city_and_decided_by_the_chief(client, personas, results_clock):
    certificate = persona_certificate(personas)
    flag = f"{BASE}/certificates/{certificate.pk}/revocations"
    refused = {name: 403 for name in SEEING}
    failures = battery(
        client,
        personas,
        "post",
        flag,
        {**refused, "city_officer": 422, "city_chief": 422},
        body={"ground": "fraud", "detail": ""},
    )
    assert failures == []
    response = call(client, personas.city_officer, "post", flag, {"ground": "fraud", "detail": "材料造假"})
    assert response.status_code == 201, response.content
    case = response.json()
    assert case["status"] == "flagged" and case["flagged_by"] and not case["flagged_by_system"]
    decide = f"{BASE}/revocations/{case['id']}/decide"
    county = ("county_officer", "county_chief")
    failures = battery(
        client, personas, "get", f"{BASE}/revocations", ok((*CITY_READERS, *county, "other_county_officer"))
    )
    failures += battery(
        client,
        personas,
        "post",
        decide,
        {
            "city_chief": 422,
            "city_officer": 403,
            "bureau_leader": 403,
            "county_officer": 403,
            "county_chief": 403,
        },
        body={"revoke": True, "reason": ""},
    )
    assert failures == []
    assert call(client, personas.other_county_officer, "get", f"{BASE}/revocations").json()["count"] == 0
    assert call(client, personas.county_officer, "get", f"{BASE}/revocations").json()["count"] == 1
    response = call(client, personas.city_chief, "post", decide, {"revoke": True, "reason": "经查属实"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "revoked" and body["announcement_number"] and body["ban_until"]
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert_error(
        call(client, personas.city_chief, "post", decide, {"revoke": False, "reason": "撤回"}),
        409,
        "transition_refused",
    )
    # A revoked certificate cannot be flagged again.
    response = call(client, personas.city_officer, "post", flag, {"ground": "fraud", "detail": "再次"})
    body = assert_error(response, 409, "transition_refused")
    assert body["message"] == zh("Only a valid certificate can be revoked.")
    assert RevocationCase.objects.count() == 1


def test_renewal_is_opened_by_the_enterprise_inside_the_window(client, personas, results_clock):
    early = persona_certificate(personas, issued_on=date(2025, 1, 10))
    path = f"{BASE}/certificates/{early.pk}/renewal"
    refused = {name: 403 for name in SEEING}
    failures = battery(
        client, personas, "post", path, {**refused, "enterprise_user": 422, "enterprise_principal": 422}
    )
    assert failures == []
    body = assert_error(call(client, personas.enterprise_user, "post", path), 422, "invalid")
    assert zh("Renewal opens on %(date)s.") % {"date": "2027-10-10"} in body["details"]["__all__"]
    Certificate.objects.filter(pk=early.pk).update(status=Certificate.Status.SUPERSEDED)
    due = persona_certificate(personas, issued_on=date(2023, 7, 1))
    response = call(client, personas.enterprise_user, "post", f"{BASE}/certificates/{due.pk}/renewal")
    assert response.status_code == 201, response.content
    application = GradingApplication.objects.get(kind=Kind.RENEWAL)
    assert response.json() == {
        "application_id": application.pk,
        "application_number": application.number,
        "status": "draft",
    }


def test_the_schema_lists_the_operations(client):
    paths = client.get(reverse("api:openapi-json")).json()["paths"]
    for path in (
        "/api/v1/results/certificates",
        "/api/v1/results/certificates/{certificate_id}",
        "/api/v1/results/certificates/{certificate_id}/revocations",
        "/api/v1/results/certificates/{certificate_id}/renewal",
        "/api/v1/results/batches",
        "/api/v1/results/batches/{batch_id}",
        "/api/v1/results/batches/{batch_id}/submit",
        "/api/v1/results/batches/{batch_id}/send-back",
        "/api/v1/results/batches/{batch_id}/approve",
        "/api/v1/results/batches/{batch_id}/announce",
        "/api/v1/results/objections",
        "/api/v1/results/objections/{objection_id}/decide",
        "/api/v1/results/revocations",
        "/api/v1/results/revocations/{revocation_id}/decide",
    ):
        assert path in paths, path
    assert "post" in paths["/api/v1/results/batches"] and "get" in paths["/api/v1/results/batches"]
