"""A whole case through the API only: started, filed, returned once by the county, forwarded, accepted."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.tests.api_helpers import bearer
from grading.models import ApplicationTransition, RequiredDocument, Status
from grading.tests.api_helpers import BASE
from grading.tests.factories import PDF_BYTES, commerce_enterprise, confirm_all
from standards.tests.factories import published_warehousing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


class Caller:
    """One bearer token per persona, reused for every call of the journey."""

    def __init__(self, client, personas) -> None:
        self.client = client
        self.personas = personas
        self.headers: dict[str, dict] = {}

    def __call__(self, persona: str, method: str, path: str, body=None, *, status: int = 200):
        if persona not in self.headers:
            self.headers[persona] = bearer(self.personas[persona])
        fn = getattr(self.client, method)
        if isinstance(body, dict) and any(isinstance(v, SimpleUploadedFile) for v in body.values()):
            response = fn(path, body, headers=self.headers[persona])
        else:
            response = fn(
                path,
                {} if body is None else body,
                content_type="application/json",
                headers=self.headers[persona],
            )
        assert response.status_code == status, (method, path, response.content[:500])
        return response.json() if response.content else None


def test_journey_from_create_to_accepted(client, personas):
    commerce_enterprise(personas)
    standard = published_warehousing(personas.admin)
    api = Caller(client, personas)
    today = timezone.localdate()

    # The enterprise starts the application and scores its self-assessment (every item met).
    app = api("enterprise_user", "post", BASE, {"standard": standard.pk, "grade_level": 3}, status=201)
    assert app["status"] == "draft"
    path = f"{BASE}{app['id']}"
    tree = api("enterprise_user", "get", f"/api/v1/standards/{standard.pk}")
    codes = [i["code"] for e in tree["elements"] for s in e["subelements"] for i in s["items"]]
    assert len(codes) == standard.items.count()
    api(
        "enterprise_user",
        "put",
        f"/api/v1/sheets/{app['self_sheet']}/items",
        {"items": [{"code": c} for c in codes]},
    )

    api(
        "enterprise_user",
        "patch",
        path,
        {
            "summary": "按标准逐项自评，得分满足三级要求",
            "assessment_started_on": (today - timedelta(days=45)).isoformat(),
            "assessment_finished_on": (today - timedelta(days=40)).isoformat(),
        },
    )
    api(
        "enterprise_user",
        "put",
        f"{path}/team",
        {
            "members": [
                {"name": "张三", "role": "leader", "position": "总经理"},
                {"name": "李四", "position": "安全员"},
            ]
        },
    )
    for document in RequiredDocument.objects.filter(required=True):
        upload = SimpleUploadedFile(f"{document.code}.pdf", PDF_BYTES)
        api(
            "enterprise_user",
            "post",
            f"{path}/attachments",
            {"document": document.code, "file": upload},
            status=201,
        )
    api("enterprise_principal", "post", f"{path}/commitment")

    # Posted inside the enterprise (backdated past the minimum), then submitted.
    start = (today - timedelta(days=30)).isoformat()
    moved = api(
        "enterprise_principal",
        "post",
        f"{path}/transitions/start_internal_publicity",
        {"start": start, "place": "办公楼一层公告栏"},
    )
    assert moved["status"] == "internal_publicity"
    eligibility = api("enterprise_principal", "get", f"{path}/eligibility")
    assert eligibility["blocking"] is False, eligibility
    moved = api("enterprise_principal", "post", f"{path}/transitions/submit", {"comment": "请予初审"})
    assert moved["status"] == "county_review"
    assert moved["deadline"]["param"] == "county_review_limit"

    # The county returns it once; the enterprise answers, replaces the file and resubmits.
    items = [{"subject": "营业执照", "problem": "扫描件不清晰", "fix": "重新上传清晰的营业执照"}]
    moved = api(
        "county_officer", "post", f"{path}/transitions/county_return", {"items": items, "comment": "请补正"}
    )
    assert moved["status"] == "county_returned"
    item = moved["correction_requests"][0]["items"][0]
    api("enterprise_user", "post", f"{path}/corrections/items/{item['id']}/answer", {"answer": "已重新上传"})
    upload = SimpleUploadedFile("营业执照-清晰.pdf", PDF_BYTES)
    version = api(
        "enterprise_user",
        "post",
        f"{path}/attachments",
        {"document": "business_licence", "file": upload},
        status=201,
    )
    assert version["version"] == 2
    moved = api("enterprise_principal", "post", f"{path}/transitions/county_resubmit")
    assert moved["status"] == "county_review"
    api("county_officer", "post", f"{path}/corrections/items/{item['id']}/check", {"accepted": True})

    # The county opinion: drafted, sent back once by the chief, approved: off to the city.
    opinion = {
        "basic_info_check": "企业基本情况属实",
        "licence_check": "证照齐全有效",
        "score_check": "自评得分复核无误",
        "conclusion": "forward",
        "condition_checks": confirm_all(),
    }
    api("county_officer", "put", f"{path}/county-opinion", opinion)
    api("county_officer", "post", f"{path}/county-opinion/submit")
    api("county_chief", "post", f"{path}/county-opinion/send-back", {"comment": "请补充现场核查情况"})
    api("county_officer", "put", f"{path}/county-opinion", {"site_check": "现场核查未见重大隐患"})
    api("county_officer", "post", f"{path}/county-opinion/submit")
    panel = api("county_chief", "post", f"{path}/county-opinion/approve", {"comment": "同意上报"})
    assert panel["opinion"]["status"] == "approved"
    detail = api("enterprise_user", "get", path)
    assert detail["status"] == "city_review"
    assert detail["county_opinion"]["site_check"] == "现场核查未见重大隐患"

    # The city: proposal, approval: accepted.
    api(
        "city_officer",
        "put",
        f"{path}/city-decision",
        {"package_check": "材料齐全", "proposal": "accept", "condition_checks": confirm_all()},
    )
    api("city_officer", "post", f"{path}/city-decision/submit")
    api("city_chief", "post", f"{path}/city-decision/approve", {"comment": "同意受理"})
    api("enterprise_user", "get", f"{path}/city-decision", status=403)

    detail = api("enterprise_principal", "get", path)
    assert detail["status"] == "accepted"
    assert detail["decided_at"] is not None
    assert detail["deadline"]["param"] == "site_review_limit"
    assert "withdraw" in {t["name"] for t in detail["available_transitions"]}
    moves = list(
        ApplicationTransition.objects.filter(application_id=app["id"]).values_list("transition", flat=True)
    )
    assert moves == [
        "create",
        "start_internal_publicity",
        "submit",
        "county_return",
        "county_resubmit",
        "county_forward",
        "accept",
    ]
    timeline = api("county_officer", "get", f"{path}/timeline")
    assert [e["kind"] for e in timeline].count("transition") == len(moves)
    assert any(e["kind"] == "correction" for e in timeline)
    assert detail["status_label"] == str(Status.ACCEPTED.label)
