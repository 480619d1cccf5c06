"""The rectification API (/api/v1/rectification): each operation's permissions (401 anonymous,
404 outsiders — another division's county officer among them —, 403 a wrong role), the hazard's
loop through the API (evidence required, verifier ≠ rectifier, extensions keep the original
deadline), 督办, the ledger with its filters and its Excel export, the plan with its gate and
the application's rectification moves.

Most tests use hazards the enterprise or the county records itself (cheap); the plan's tests use
the ``plan`` fixture (rectification/tests/conftest.py: a finalised review with two hazards).
"""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from openpyxl import load_workbook

from accounts.tests.api_helpers import assert_error, bearer
from accounts.tests.factories import region
from experts.models import Expert
from grading.models import Status
from grading.tests.api_helpers import INSIDERS, PERSONAS, assert_battery, expected, zh
from grading.tests.api_helpers import call as json_call
from grading.tests.factories import PDF_BYTES
from rectification import services
from rectification.exports import LEDGER_COLUMNS
from rectification.models import EscalationOrder, ExtensionRequest, Hazard, MajorHazardClause
from reviews.models import PanelMember

pytestmark = pytest.mark.django_db

BASE = "/api/v1/rectification"
ERROR_CODES = {401: "unauthenticated", 403: "forbidden", 404: "not_found"}
ENTERPRISE = ("enterprise_user", "enterprise_principal")
REGULATORS_OF_THE_DIVISION = ("county_officer", "county_chief", "city_officer", "city_chief")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def call(client, user, method: str, path: str, body=None):
    """Call the API as ``user``; a write without a body sends ``{}`` (a JSON body, as clients do)."""
    if body is None and method != "get":
        body = {}
    return json_call(client, user, method, path, body)


def today():
    return timezone.localdate()


def h_url(hazard, suffix: str = "") -> str:
    return f"{BASE}/hazards/{hazard.pk}{suffix}"


def who(user) -> str:
    return user.get_full_name() or user.get_username()


def clause(article: int = 3, item: int | None = 2) -> MajorHazardClause:
    return MajorHazardClause.objects.get(article=article, item=item, active=True)


def record(personas, *, actor=None, enterprise=None, **fields) -> Hazard:
    """A hazard recorded through the service: by default the enterprise's own (自查), due in 30 days."""
    data = {
        "description": "配电箱门未关闭",
        "deadline": today() + timedelta(days=30),
        "responsible_name": "李四",
        "responsible_phone": "13900000000",
        **fields,
    }
    return services.hazard_create(
        actor=actor or personas.enterprise_user,
        enterprise=enterprise or personas.enterprise,
        data=services.HazardIn(**data),
    )


def upload(client, user, hazard, kind: str = "after", name: str = "整改后照片.pdf"):
    file = SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")
    headers = bearer(user) if user is not None else {}
    return client.post(h_url(hazard, "/evidence"), {"kind": kind, "file": file}, headers=headers)


def submitted(client, personas, hazard, *, uploader=None, submitter=None) -> Hazard:
    """The hazard with an "after" photo and submitted for verification, through the API."""
    assert upload(client, uploader or personas.enterprise_user, hazard).status_code == 201
    response = call(client, submitter or personas.enterprise_user, "post", h_url(hazard, "/submit"))
    assert response.status_code == 200, response.content
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.AWAITING_VERIFICATION
    return hazard


# --- Reading and changing one hazard -------------------------------------------------------------


def test_a_hazard_is_read_by_its_scope_only(client, personas):
    hazard = record(personas)
    response = assert_battery(client, personas, "get", h_url(hazard), None, INSIDERS)
    body = response.json()
    assert body["id"] == hazard.pk and body["description"] == "配电箱门未关闭"
    assert body["source"] == "self_check" and body["status"] == "pending" and body["is_overdue"] is False
    assert body["deadline"] == body["original_deadline"] == hazard.deadline.isoformat()
    # The enterprise may work on it; the county officer (a regulator of the division) may not.
    actions = call(client, personas.enterprise_user, "get", h_url(hazard)).json()["actions"]
    assert actions["rectify"] is True and actions["verify"] is False and actions["escalate"] is False
    actions = call(client, personas.county_officer, "get", h_url(hazard)).json()["actions"]
    assert actions["rectify"] is False and actions["edit"] is True
    # An id that does not exist reads like one out of scope.
    assert_error(call(client, personas.city_officer, "get", f"{BASE}/hazards/999999"), 404, "not_found")


def test_patch_changes_a_hazard_for_its_recorder_and_the_division_regulators(client, personas):
    hazard = record(personas)
    allowed = (*ENTERPRISE, *REGULATORS_OF_THE_DIVISION)
    response = assert_battery(client, personas, "patch", h_url(hazard), {"location": "二号车间"}, allowed)
    assert response.json()["location"] == "二号车间"
    # The enterprise sets how it fixes it (funds as a string, two decimals).
    response = call(
        client, personas.enterprise_user, "patch", h_url(hazard), {"measures": "更换门锁", "funds": "1200.5"}
    )
    assert response.status_code == 200
    assert response.json()["measures"] == "更换门锁" and response.json()["funds"] == "1200.50"
    hazard.refresh_from_db()
    assert hazard.funds == Decimal("1200.50")
    # A null for a field that cannot be empty, and a major level without its clause: 422 by field.
    body = assert_error(
        call(client, personas.enterprise_user, "patch", h_url(hazard), {"description": None}), 422, "invalid"
    )
    assert set(body["details"]) == {"description"}
    body = assert_error(
        call(client, personas.county_officer, "patch", h_url(hazard), {"level": "major"}), 422, "invalid"
    )
    assert "basis_clause" in body["details"]
    hazard.refresh_from_db()
    assert hazard.level == Hazard.Level.GENERAL and hazard.location == "二号车间"


def test_creating_a_hazard(client, personas):
    url = f"{BASE}/hazards"
    body = {"description": "消防通道堆放杂物", "deadline": (today() + timedelta(days=10)).isoformat()}
    # The enterprise records its own (自查) without naming itself.
    response = call(client, personas.enterprise_user, "post", url, body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["source"] == "self_check" and created["enterprise_id"] == personas.enterprise.pk
    assert created["plan_id"] is None and created["status"] == "pending"
    # A county officer records one found on inspection: a major one needs its clause.
    major = {**body, "enterprise": personas.enterprise.pk, "level": "major"}
    refused = assert_error(call(client, personas.county_officer, "post", url, major), 422, "invalid")
    assert "basis_clause" in refused["details"]
    response = call(client, personas.county_officer, "post", url, {**major, "basis_clause": clause().pk})
    assert response.status_code == 201
    assert response.json()["source"] == "enforcement" and response.json()["basis_clause"]["article"] == 3
    assert response.json()["five_assurances_missing"]  # measures, funds, contingency plan…
    # Another division's enterprise (or another enterprise) is not in the caller's scope.
    for user in (personas.other_county_officer, personas.other_enterprise_user):
        refused = assert_error(
            call(client, user, "post", url, {**body, "enterprise": personas.enterprise.pk}), 422, "invalid"
        )
        assert set(refused["details"]) == {"enterprise"}
    # Roles that record no hazards; and nobody anonymous.
    for persona in ("bureau_leader", "admin", "expert"):
        assert_error(
            call(client, personas[persona], "post", url, {**body, "enterprise": personas.enterprise.pk}),
            403,
            "forbidden",
        )
    assert_error(call(client, None, "post", url, body), 401, "unauthenticated")
    assert Hazard.objects.count() == 2


# --- The loop ------------------------------------------------------------------------------------


def test_only_the_enterprise_works_on_its_hazard(client, personas):
    hazard = record(personas)
    assert_battery(
        client,
        personas,
        "post",
        h_url(hazard, "/start"),
        {},
        ("enterprise_user",),
        skip=("enterprise_principal",),
    )
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.IN_PROGRESS
    # Starting twice is a refused move (409).
    assert_error(
        call(client, personas.enterprise_principal, "post", h_url(hazard, "/start")),
        409,
        "transition_refused",
    )
    progress = {"note": "已采购新配电箱", "percent": 50}
    response = assert_battery(
        client, personas, "post", h_url(hazard, "/progress"), progress, ENTERPRISE, ok=201
    )
    assert response.json()["percent"] == 50 and hazard.progress.count() == 2
    assert_error(
        call(
            client,
            personas.enterprise_user,
            "post",
            h_url(hazard, "/progress"),
            {"note": "x", "percent": 101},
        ),
        422,
        "invalid",
    )
    # Evidence: multipart, the enterprise only.
    for persona in PERSONAS:
        if persona in ENTERPRISE:
            continue
        status = expected(persona, ENTERPRISE)
        assert_error(upload(client, personas[persona], hazard), status, ERROR_CODES[status])
    response = upload(client, personas.enterprise_principal, hazard, kind="before", name="整改前.pdf")
    assert response.status_code == 201, response.content
    evidence = response.json()
    assert (
        evidence["kind"] == "before"
        and evidence["original_name"] == "整改前.pdf"
        and len(evidence["sha256"]) == 64
    )
    # The evidence file is read in the hazard's scope only.
    download = call(client, personas.county_officer, "get", evidence["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    assert_error(call(client, personas.other_county_officer, "get", evidence["url"]), 404, "not_found")
    refused = assert_error(
        client.post(
            h_url(hazard, "/evidence"),
            {"kind": "after", "file": SimpleUploadedFile("x.pdf", b"MZ not a pdf")},
            headers=bearer(personas.enterprise_user),
        ),
        422,
        "invalid",
    )
    assert refused["details"]
    assert hazard.evidence.count() == 1
    # Submitting: the enterprise only, once it has the evidence of the fix.
    assert upload(client, personas.enterprise_user, hazard).status_code == 201
    assert_battery(
        client,
        personas,
        "post",
        h_url(hazard, "/submit"),
        {},
        ("enterprise_user",),
        skip=("enterprise_principal",),
    )
    hazard.refresh_from_db()
    assert (
        hazard.status == Hazard.Status.AWAITING_VERIFICATION
        and hazard.submitted_by == personas.enterprise_user
    )


def test_submitting_without_evidence_of_the_fix_is_refused(client, personas):
    hazard = record(personas)
    message = zh(
        "Attach the evidence of the fix (a photo after rectification or a document) before submitting."
    )
    body = assert_error(
        call(client, personas.enterprise_user, "post", h_url(hazard, "/submit")), 422, "invalid"
    )
    assert body["details"] == {"__all__": [message]}
    # A photo before the fix is no evidence of it.
    assert upload(client, personas.enterprise_user, hazard, kind="before").status_code == 201
    assert_error(call(client, personas.enterprise_user, "post", h_url(hazard, "/submit")), 422, "invalid")
    hazard.refresh_from_db()
    assert hazard.status == Hazard.Status.PENDING and hazard.submitted_at is None
    assert (
        upload(client, personas.enterprise_user, hazard, kind="document", name="验收报告.pdf").status_code
        == 201
    )
    response = call(client, personas.enterprise_user, "post", h_url(hazard, "/submit"), {"comment": "已整改"})
    assert response.status_code == 200 and response.json()["status"] == "awaiting_verification"


def test_the_person_who_rectified_a_hazard_cannot_verify_it(client, personas):
    message = zh("You rectified this hazard, so someone else must verify it.")
    note = {"passed": True, "note": "现场核实已整改"}
    # The principal (who verifies the enterprise's own general hazards) submitted the fix…
    first = submitted(client, personas, record(personas), submitter=personas.enterprise_principal)
    body = assert_error(
        call(client, personas.enterprise_principal, "post", h_url(first, "/verify"), note), 422, "invalid"
    )
    assert message in body["details"]["__all__"]
    # …or added its evidence.
    second = submitted(client, personas, record(personas), uploader=personas.enterprise_principal)
    assert_error(
        call(client, personas.enterprise_principal, "post", h_url(second, "/verify"), note), 422, "invalid"
    )
    for hazard in (first, second):
        hazard.refresh_from_db()
        assert hazard.status == Hazard.Status.AWAITING_VERIFICATION and hazard.verified_by is None
    # Someone else of those who verify it may: the county officer of the division.
    response = assert_battery(
        client,
        personas,
        "post",
        h_url(first, "/verify"),
        note,
        ("county_officer",),
        skip=("county_chief", "enterprise_principal"),
    )
    assert response.json()["status"] == "closed" and response.json()["verified_by"] == who(
        personas.county_officer
    )
    # An opinion is required; a rejection sends it back to being rectified, with the reason.
    assert_error(
        call(client, personas.county_chief, "post", h_url(second, "/verify"), {"passed": False, "note": " "}),
        422,
        "invalid",
    )
    response = call(
        client,
        personas.county_chief,
        "post",
        h_url(second, "/verify"),
        {"passed": False, "note": "照片不清晰"},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "in_progress" and response.json()["verification_note"] == "照片不清晰"
    # Verifying a hazard not awaiting verification is a refused move.
    assert_error(
        call(client, personas.county_chief, "post", h_url(second, "/verify"), note), 409, "transition_refused"
    )


def test_an_approved_extension_keeps_the_original_deadline(client, personas):
    hazard = record(personas)
    original = hazard.deadline
    wanted = original + timedelta(days=15)
    body = {"requested_deadline": wanted.isoformat(), "reason": "设备到货延迟"}
    response = assert_battery(
        client,
        personas,
        "post",
        h_url(hazard, "/extensions"),
        body,
        ("enterprise_user",),
        ok=201,
        skip=("enterprise_principal",),
    )
    extension = response.json()
    assert extension["status"] == "pending" and extension["previous_deadline"] == original.isoformat()
    # A second request while one is pending, and a date not after the deadline: 422.
    assert_error(
        call(client, personas.enterprise_principal, "post", h_url(hazard, "/extensions"), body),
        422,
        "invalid",
    )
    early = {"requested_deadline": original.isoformat(), "reason": "x"}
    refused = assert_error(
        call(client, personas.enterprise_principal, "post", h_url(hazard, "/extensions"), early),
        422,
        "invalid",
    )
    assert "requested_deadline" in refused["details"]
    # The city decides (a general hazard: an officer or the chief).
    decide = f"{BASE}/extensions/{extension['id']}/decide"
    response = assert_battery(
        client,
        personas,
        "post",
        decide,
        {"approve": True, "note": ""},
        ("city_officer",),
        skip=("city_chief",),
    )
    assert response.json()["status"] == "approved" and response.json()["decided_by"] == who(
        personas.city_officer
    )
    assert_error(
        call(client, personas.city_chief, "post", decide, {"approve": False, "note": "不同意"}),
        409,
        "already_decided",
    )
    detail = call(client, personas.enterprise_user, "get", h_url(hazard)).json()
    assert detail["deadline"] == wanted.isoformat() and detail["original_deadline"] == original.isoformat()
    assert [(x["previous_deadline"], x["requested_deadline"]) for x in detail["extensions"]] == [
        (original.isoformat(), wanted.isoformat())
    ]
    # A refusal needs its reason and moves nothing.
    later = {"requested_deadline": (wanted + timedelta(days=5)).isoformat(), "reason": "资金未到位"}
    second = call(client, personas.enterprise_user, "post", h_url(hazard, "/extensions"), later).json()
    decide = f"{BASE}/extensions/{second['id']}/decide"
    assert_error(
        call(client, personas.city_chief, "post", decide, {"approve": False, "note": ""}), 422, "invalid"
    )
    assert (
        call(client, personas.city_chief, "post", decide, {"approve": False, "note": "理由不充分"}).json()[
            "status"
        ]
        == "rejected"
    )
    hazard.refresh_from_db()
    assert (hazard.deadline, hazard.original_deadline) == (wanted, original)
    assert ExtensionRequest.objects.filter(hazard=hazard).count() == 2


def test_the_city_opens_and_closes_a_supervision_order(client, personas):
    hazard = record(
        personas,
        actor=personas.county_officer,
        level="major",
        basis_clause_id=clause().pk,
        description="特种作业人员无证上岗",
        measures="停止无证人员作业并组织取证",
        funds="5000",
        contingency_plan="特种作业应急预案",
    )
    escalate = h_url(hazard, "/escalate")
    response = assert_battery(
        client,
        personas,
        "post",
        escalate,
        {"reason": "市局挂牌督办"},
        ("city_officer",),
        ok=201,
        skip=("city_chief",),
    )
    order = response.json()
    assert order["status"] == "open" and order["opened_by"] == who(personas.city_officer)
    # Asking again returns the open item.
    again = call(client, personas.city_chief, "post", escalate, {"reason": "再次督办"})
    assert again.status_code == 200 and again.json()["id"] == order["id"]
    detail = call(client, personas.enterprise_user, "get", h_url(hazard)).json()
    assert detail["escalated"] is True and detail["enterprise_flagged"] is True
    # The open items in scope.
    for persona, count in (
        ("city_officer", 1),
        ("county_officer", 1),
        ("enterprise_principal", 1),
        ("other_county_officer", 0),
        ("other_enterprise_user", 0),
        ("expert", 0),
    ):
        listed = call(client, personas[persona], "get", f"{BASE}/escalations").json()
        assert listed["count"] == count, persona
    assert_error(call(client, None, "get", f"{BASE}/escalations"), 401, "unauthenticated")
    # Closing needs the fix submitted, the assessment and the written request to resume.
    close = f"{BASE}/escalations/{order['id']}/close"
    body = {"assessment": "已停产整改并验收", "resume_request": "企业书面复产申请"}
    refused = assert_error(call(client, personas.city_officer, "post", close, body), 422, "invalid")
    assert refused["details"] == {
        "__all__": [zh("The hazard has not been rectified yet: its fix must be submitted first.")]
    }
    submitted(client, personas, hazard)
    refused = assert_error(
        call(client, personas.city_officer, "post", close, {"assessment": "", "resume_request": ""}),
        422,
        "invalid",
    )
    assert set(refused["details"]) == {"assessment", "resume_request"}
    response = assert_battery(client, personas, "post", close, body, ("city_officer",), skip=("city_chief",))
    assert response.json()["status"] == "closed" and response.json()["assessment"] == "已停产整改并验收"
    assert_error(call(client, personas.city_chief, "post", close, body), 409, "already_closed")
    assert call(client, personas.city_officer, "get", f"{BASE}/escalations").json()["count"] == 0
    closed = call(client, personas.city_officer, "get", f"{BASE}/escalations?status=closed").json()
    assert [item["id"] for item in closed["items"]] == [order["id"]]
    assert EscalationOrder.objects.get().closed_by == personas.city_officer


# --- The ledger and its export --------------------------------------------------------------------


@pytest.fixture
def ledger_rows(client, personas):
    """Four hazards: a general one of the enterprise, a major one the county found (with its 五落实),
    an overdue one, one verified and closed — and one of another division's enterprise."""
    general = record(personas, description="一般隐患：灭火器过期", deadline=today() + timedelta(days=20))
    major = record(
        personas,
        actor=personas.county_officer,
        description="重大隐患：特种作业人员无证上岗",
        level="major",
        basis_clause_id=clause().pk,
        requirement="立即停止无证人员作业",
        measures="组织培训取证",
        responsible_name="王五",
        responsible_phone="13700000000",
        funds="8000.00",
        deadline=today() + timedelta(days=25),
    )
    overdue = record(
        personas,
        description="逾期隐患：护栏缺失",
        found_on=today() - timedelta(days=30),
        deadline=today() - timedelta(days=1),
    )
    closed = record(personas, description="已销号隐患：地面油污", deadline=today() + timedelta(days=5))
    submitted(client, personas, closed)
    services.hazard_verify(actor=personas.county_officer, hazard=closed, passed=True, note="已清理")
    other = record(
        personas,
        actor=personas.other_enterprise_user,
        enterprise=personas.other_enterprise,
        description="鲅鱼圈企业隐患：叉车未检",
    )
    return {"general": general, "major": major, "overdue": overdue, "closed": closed, "other": other}


def _ids(client, user, query: str = "") -> list[int]:
    response = call(client, user, "get", f"{BASE}/hazards{query}")
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_the_ledger_is_scoped_and_filtered(client, personas, ledger_rows):
    rows = ledger_rows
    mine = {rows[k].pk for k in ("general", "major", "overdue", "closed")}
    assert set(_ids(client, personas.city_officer)) == mine | {rows["other"].pk}
    for persona in ("county_officer", "enterprise_user", "bureau_leader"):
        expected_ids = mine if persona != "bureau_leader" else mine | {rows["other"].pk}
        assert set(_ids(client, personas[persona])) == expected_ids, persona
    assert _ids(client, personas.other_county_officer) == [rows["other"].pk]
    assert _ids(client, personas.other_enterprise_user) == [rows["other"].pk]
    assert _ids(client, personas.expert) == []
    assert_error(call(client, None, "get", f"{BASE}/hazards"), 401, "unauthenticated")
    # In deadline order; the overdue flag computed.
    listed = call(client, personas.city_officer, "get", f"{BASE}/hazards").json()
    assert listed["count"] == 5
    deadlines = [item["deadline"] for item in listed["items"]]
    assert deadlines == sorted(deadlines)
    assert {item["id"] for item in listed["items"] if item["is_overdue"]} == {rows["overdue"].pk}
    # The filters.
    city = personas.city_officer
    assert _ids(client, city, "?level=major") == [rows["major"].pk]
    assert _ids(client, city, "?overdue=true") == [rows["overdue"].pk]
    assert _ids(client, city, "?status=closed") == [rows["closed"].pk]
    assert _ids(client, city, "?source=enforcement") == [rows["major"].pk]
    assert _ids(client, city, f"?division={region('鲅鱼圈区').code}") == [rows["other"].pk]
    assert set(_ids(client, city, f"?division={region('站前区').code}")) == mine
    assert _ids(client, city, "?industry=machinery&q=灭火器") == [rows["general"].pk]
    assert set(_ids(client, city, f"?enterprise={personas.enterprise.pk}")) == mine
    # Pages.
    page = call(client, city, "get", f"{BASE}/hazards?limit=2&offset=1").json()
    assert page["count"] == 5 and [i["id"] for i in page["items"]] == [i["id"] for i in listed["items"][1:3]]
    assert_error(call(client, city, "get", f"{BASE}/hazards?limit=0"), 422, "invalid")
    assert_error(call(client, city, "get", f"{BASE}/hazards?level=severe"), 422, "invalid")


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment;")
    workbook = load_workbook(io.BytesIO(response.content))
    return list(workbook.active.iter_rows(values_only=True))


def test_the_ledger_export_has_the_ledger_columns_and_rows(client, personas, ledger_rows):
    rows = ledger_rows
    url = f"{BASE}/hazards/export.xlsx"
    sheet = _sheet(call(client, personas.city_officer, "get", url))
    # 序号, 隐患描述, 等级, 依据条款, 整改要求, 整改措施, 责任人, 整改期限, 资金, 状态, 验收人, 验收日期
    assert list(sheet[0]) == [
        zh(msgid)
        for msgid in (
            "No.",
            "Hazard description",
            "Hazard level",
            "Basis clause",
            "Rectification requirement",
            "Rectification measures",
            "Responsible person",
            "Rectification deadline",
            "Funds",
            "Status",
            "Verified by",
            "Verification date",
        )
    ]
    assert [str(label) for label in LEDGER_COLUMNS] == list(sheet[0])
    data = sheet[1:]
    assert [row[0] for row in data] == [1, 2, 3, 4, 5]
    by_description = {row[1]: row for row in data}
    assert set(by_description) == {h.description for h in rows.values()}
    # In the ledger's deadline order.
    assert [row[1] for row in data] == [
        h.description for h in sorted(rows.values(), key=lambda h: (h.deadline, h.pk))
    ]
    major = by_description[rows["major"].description]
    the_clause = clause()
    assert major[2] == zh("Major")
    with translation.override("zh-hans"):
        assert major[3] == str(the_clause)
    assert major[4:7] == ("立即停止无证人员作业", "组织培训取证", "王五 13700000000")
    assert major[7].date() == rows["major"].deadline
    assert major[8] == 8000
    assert major[9] == zh("To be rectified") and major[10] is None and major[11] is None
    general = by_description[rows["general"].description]
    assert general[2] == zh("General") and general[3] is None and general[6] == "李四 13900000000"
    overdue = by_description[rows["overdue"].description]
    assert overdue[9] == zh("%(status)s (overdue)") % {"status": zh("To be rectified")}
    closed = by_description[rows["closed"].description]
    assert closed[9] == zh("Closed off")
    assert closed[10] == who(personas.county_officer) and closed[11].date() == today()
    # Scoped and filtered like the list.
    county = _sheet(call(client, personas.county_officer, "get", url))
    assert {row[1] for row in county[1:]} == {h.description for k, h in rows.items() if k != "other"}
    assert [
        row[1] for row in _sheet(call(client, personas.city_officer, "get", f"{url}?level=major"))[1:]
    ] == [rows["major"].description]
    empty = _sheet(call(client, personas.expert, "get", url))
    assert len(empty) == 1  # the header row only
    assert_error(call(client, None, "get", url), 401, "unauthenticated")


def test_the_clause_table(client, personas):
    response = call(client, personas.enterprise_user, "get", f"{BASE}/clauses")
    assert response.status_code == 200
    clauses = response.json()
    assert len(clauses) == MajorHazardClause.objects.filter(active=True).count()
    by_key = {(c["article"], c["item"]): c for c in clauses}
    assert by_key[(3, 2)]["text"] == clause().text and by_key[(3, 2)]["industries"] == []
    machinery = {
        (c["article"], c["item"])
        for c in call(client, personas.enterprise_user, "get", f"{BASE}/clauses?industry=machinery").json()
    }
    assert (3, 1) in machinery and (7, None) in machinery
    assert (3, 3) not in machinery and (4, None) not in machinery  # metal smelting only
    assert_error(call(client, None, "get", f"{BASE}/clauses"), 401, "unauthenticated")


# --- The plan of a finalised review and the application's moves ------------------------------------


def _member_users(application):
    rows = PanelMember.objects.filter(panel__application=application, state=PanelMember.State.CONFIRMED)
    leader = rows.get(role=PanelMember.Role.LEADER).expert.user
    members = [
        m.expert.user for m in rows.exclude(role=PanelMember.Role.LEADER).select_related("expert__user")
    ]
    return leader, members


def test_a_plan_is_read_by_its_scope_and_its_leader(client, personas, plan):
    application, the_plan, leader, _principal = plan
    url = f"{BASE}/plans/{the_plan.pk}"
    response = assert_battery(client, personas, "get", url, None, INSIDERS)
    body = response.json()
    hazards = list(the_plan.hazards.order_by("deadline", "pk"))
    assert len(hazards) == 2
    assert body["application_id"] == application.pk and body["application_status"] == Status.RECTIFYING
    assert [h["id"] for h in body["hazards"]] == [h.pk for h in hazards]
    assert all(h["source"] == "review" and h["plan_id"] == the_plan.pk for h in body["hazards"])
    assert body["progress"] == {
        "total": 2,
        "closed": 0,
        "awaiting": 0,
        "overdue": 0,
        "open_major": 0,
        "percent": 0,
    }
    assert body["gate"]["open"] is False and body["gate"]["rule"] == "blocked"
    assert set(body["gate"]["blocking"]) == {h.pk for h in hazards}
    # The leader reads it; the other members of the panel do not (he verifies, they do not).
    _leader, members = _member_users(application)
    assert call(client, leader, "get", url).status_code == 200
    assert {h["id"] for h in call(client, leader, "get", f"{BASE}/hazards").json()["items"]} == {
        h.pk for h in hazards
    }
    for member in members[:2]:
        assert_error(call(client, member, "get", url), 404, "not_found")
        assert_error(call(client, member, "get", h_url(hazards[0])), 404, "not_found")
    # The ledger filtered by the leader; the application's rectification.
    expert = Expert.objects.get(user=leader)
    assert len(_ids(client, personas.city_officer, f"?leader={expert.pk}")) == 2
    assert (
        _ids(client, personas.city_officer, f"?leader={Expert.objects.exclude(pk=expert.pk).first().pk}")
        == []
    )
    state = call(
        client, personas.enterprise_principal, "get", f"{BASE}/applications/{application.pk}/rectification"
    )
    assert state.status_code == 200 and state.json()["plan"]["id"] == the_plan.pk
    for persona in ("other_county_officer", "other_enterprise_user", "expert"):
        assert_error(
            call(client, personas[persona], "get", f"{BASE}/applications/{application.pk}/rectification"),
            404,
            "not_found",
        )


def test_the_plan_loop_through_the_api(client, personas, plan):
    application, the_plan, leader, principal = plan
    first, second = the_plan.hazards.order_by("pk")
    user = personas.enterprise_user
    # The leader completes a hazard of the plan and adds a major one; the enterprise may not add.
    response = call(client, leader, "patch", h_url(first), {"requirement": "补充安全生产责任制文件"})
    assert response.status_code == 200 and response.json()["requirement"] == "补充安全生产责任制文件"
    new = {
        "plan": the_plan.pk,
        "description": "有限空间作业未审批",
        "level": "major",
        "basis_clause": clause().pk,
    }
    new["deadline"] = (today() + timedelta(days=20)).isoformat()
    assert_error(call(client, user, "post", f"{BASE}/hazards", new), 403, "forbidden")
    assert_error(
        call(client, personas.other_county_officer, "post", f"{BASE}/hazards", new), 404, "not_found"
    )
    response = call(client, leader, "post", f"{BASE}/hazards", new)
    assert response.status_code == 201, response.content
    third = Hazard.objects.get(pk=response.json()["id"])
    assert third.plan == the_plan and third.source == Hazard.Source.REVIEW
    # The enterprise fixes all three; a major one needs its five assurances first.
    for hazard in (first, second, third):
        assert upload(client, user, hazard).status_code == 201
    for hazard in (first, second):
        assert call(client, user, "post", h_url(hazard, "/submit")).status_code == 200
    refused = assert_error(call(client, user, "post", h_url(third, "/submit")), 422, "invalid")
    assert zh("contingency plan") in refused["details"]["__all__"][0]
    fix = {
        "measures": "办理作业审批",
        "funds": "3000",
        "responsible_name": "赵六",
        "contingency_plan": "有限空间应急预案",
    }
    assert call(client, user, "patch", h_url(third), fix).status_code == 200
    assert call(client, user, "post", h_url(third, "/submit")).status_code == 200
    # Only the leader verifies a plan's hazards; the county does not, nor does the enterprise.
    verify = {"passed": True, "note": "资料齐全，现场核实"}
    for persona, status in (
        ("enterprise_principal", 403),
        ("county_officer", 403),
        ("city_officer", 403),
        ("other_county_officer", 404),
    ):
        assert_error(
            call(client, personas[persona], "post", h_url(first, "/verify"), verify),
            status,
            ERROR_CODES[status],
        )
    assert call(client, leader, "post", h_url(first, "/verify"), verify).json()["status"] == "closed"
    assert call(client, leader, "post", h_url(third, "/verify"), verify).json()["status"] == "closed"
    sent_back = call(
        client, leader, "post", h_url(second, "/verify"), {"passed": False, "note": "缺少培训记录"}
    )
    assert sent_back.json()["status"] == "in_progress"
    # The principal cannot report the rectification done while a hazard is back with the enterprise.
    moves = f"{BASE}/applications/{application.pk}/rectification"
    refused = assert_error(call(client, principal, "post", f"{moves}/submit"), 422, "invalid")
    # A fix sent back needs new evidence before it is submitted again.
    assert_error(call(client, user, "post", h_url(second, "/submit")), 422, "invalid")
    assert upload(client, user, second, name="培训记录.pdf").status_code == 201
    assert call(client, user, "post", h_url(second, "/submit")).status_code == 200
    for persona, status in (
        ("enterprise_user", 403),
        ("county_officer", 403),
        ("other_enterprise_user", 404),
    ):
        assert_error(call(client, personas[persona], "post", f"{moves}/submit"), status, ERROR_CODES[status])
    assert_error(call(client, leader, "post", f"{moves}/submit"), 403, "forbidden")
    response = call(client, principal, "post", f"{moves}/submit", {"comment": "全部整改完毕"})
    assert response.status_code == 200 and response.json()["application_status"] == Status.RECTIFICATION_CHECK
    # The gate: the leader cannot confirm while a hazard is open.
    confirm = {"passed": True, "comment": "整改到位"}
    gate = call(client, leader, "get", f"{BASE}/plans/{the_plan.pk}").json()["gate"]
    assert gate["open"] is False and gate["blocking"] == [second.pk]
    assert_error(call(client, leader, "post", f"{moves}/confirm", confirm), 409, "transition_refused")
    for persona in ("enterprise_principal", "city_chief", "county_officer"):
        assert_error(call(client, personas[persona], "post", f"{moves}/confirm", confirm), 403, "forbidden")
    assert call(client, leader, "post", h_url(second, "/verify"), verify).json()["status"] == "closed"
    response = call(client, leader, "post", f"{moves}/confirm", confirm)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["application_status"] == Status.RESULT_CONFIRMATION
    assert body["plan"]["status"] == "closed" and body["plan"]["gate"] == {
        "open": True,
        "rule": "closed",
        "rule_label": zh("Every hazard of the plan is closed."),
        "still_open": [],
        "blocking": [],
    }
    assert body["plan"]["progress"]["closed"] == body["plan"]["progress"]["total"] == 3


def test_the_leader_sends_the_rectification_back_and_the_chief_fails_it(client, personas, plan):
    application, the_plan, leader, principal = plan
    for hazard in the_plan.hazards.all():
        submitted(client, personas, hazard)
    moves = f"{BASE}/applications/{application.pk}/rectification"
    assert call(client, principal, "post", f"{moves}/submit").status_code == 200
    assert_error(
        call(client, leader, "post", f"{moves}/confirm", {"passed": False, "comment": ""}), 422, "invalid"
    )
    response = call(client, leader, "post", f"{moves}/confirm", {"passed": False, "comment": "整改资料不全"})
    assert response.status_code == 200 and response.json()["application_status"] == Status.RECTIFYING
    fail = {"reason": "逾期未完成整改"}
    for persona, status in (
        ("city_officer", 403),
        ("county_chief", 403),
        ("enterprise_principal", 403),
        ("other_county_officer", 404),
        ("anonymous", 401),
    ):
        assert_error(
            call(client, personas[persona], "post", f"{moves}/fail", fail), status, ERROR_CODES[status]
        )
    assert_error(call(client, leader, "post", f"{moves}/fail", fail), 403, "forbidden")
    assert_error(call(client, personas.city_chief, "post", f"{moves}/fail", {}), 422, "invalid")
    response = call(client, personas.city_chief, "post", f"{moves}/fail", fail)
    assert response.status_code == 200 and response.json()["application_status"] == Status.NOT_PASSED
    assert_error(call(client, personas.city_chief, "post", f"{moves}/fail", fail), 409, "transition_refused")


@pytest.mark.parametrize("enterprises", [2, 8])
def test_hazard_list_queries_do_not_grow_with_enterprises(
    client, personas, django_assert_max_num_queries, enterprises
):
    """The flag of each row's enterprise is read for the whole page at once (was one query each)."""
    from enterprises.tests.factories import EnterpriseFactory
    from rectification.tests.factories import make_hazard

    for n in range(enterprises):
        hazard = make_hazard(EnterpriseFactory(), description=f"隐患{n}", level=Hazard.Level.MAJOR)
        if n % 2:
            services.escalation_open(actor=personas.city_officer, hazard=hazard, reason="督办")
    headers = bearer(personas.city_officer)
    client.get(f"{BASE}/hazards", headers=headers)  # warm
    with django_assert_max_num_queries(7):  # token, its last use, page, clauses, flags, count
        listed = client.get(f"{BASE}/hazards", headers=headers).json()
    assert listed["count"] == enterprises
    assert sorted(h["enterprise_flagged"] for h in listed["items"]) == [False] * (enterprises // 2) + [
        True
    ] * (enterprises // 2)
