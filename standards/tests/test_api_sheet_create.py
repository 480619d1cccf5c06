"""POST /api/v1/sheets/: start a sheet on a published standard version."""

import pytest

from accounts.tests.api_helpers import assert_error, bearer
from audit.models import AuditEvent
from standards.models import ScoreSheet, ScoringStandard
from standards.tests.factories import published_warehousing

URL = "/api/v1/sheets/"


@pytest.fixture
def standard(personas):
    return published_warehousing(personas.city_officer)


def _post(client, user, body):
    return client.post(URL, body, content_type="application/json", headers=bearer(user))


@pytest.mark.parametrize("persona", ["enterprise_user", "expert", "county_officer", "city_officer", "admin"])
def test_create_a_trial_sheet(client, personas, standard, persona):
    response = _post(client, personas[persona], {"standard": standard.pk, "title": " 自评试算 "})
    assert response.status_code == 201, response.content[:300]
    body = response.json()
    sheet = ScoreSheet.objects.get(pk=body["id"])
    assert sheet.created_by == personas[persona]
    assert body["kind"] == "preview" and body["status"] == "draft" and body["title"] == "自评试算"
    assert body["standard"] == {"id": standard.pk, "code": "CCWL", "name": "仓储物流", "version": 1}
    assert body["can_edit"] is True
    assert body["entries"] == [] and body["result"]["percentage"] == "100.0"
    assert AuditEvent.objects.filter(action="sheet.create", target_id=str(sheet.pk)).exists()


def test_kind_can_be_given(client, personas, standard):
    body = _post(
        client, personas.enterprise_user, {"standard": standard.pk, "kind": "self_assessment"}
    ).json()
    assert body["kind"] == "self_assessment" and body["kind_label"]


def test_the_read_only_bureau_leader_cannot_create(client, personas, standard):
    assert_error(_post(client, personas.bureau_leader, {"standard": standard.pk}), 403, "forbidden")
    assert not ScoreSheet.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"standard": 98765}, "standard"),
        ({"standard": 1, "kind": "nonsense"}, "kind"),
        ({"standard": 1, "title": "长" * 201}, "title"),
        ({}, "standard"),
    ],
)
def test_bad_input_is_422_by_field(client, personas, standard, body, field):
    if body.get("standard") == 1:
        body["standard"] = standard.pk
    response = _post(client, personas.enterprise_user, body)
    assert list(assert_error(response, 422, "invalid")["details"]) == [field]
    assert not ScoreSheet.objects.exists()


def test_no_sheet_on_a_draft_standard(client, personas, standard):
    ScoringStandard.objects.filter(pk=standard.pk).update(status=ScoringStandard.Status.DRAFT)
    # The city sees the draft, and is told why; an enterprise does not even see it.
    body = assert_error(_post(client, personas.city_officer, {"standard": standard.pk}), 422, "invalid")
    assert list(body["details"]) == ["standard"]
    body = assert_error(_post(client, personas.enterprise_user, {"standard": standard.pk}), 422, "invalid")
    assert list(body["details"]) == ["standard"]
    assert not ScoreSheet.objects.exists()


def test_anonymous_gets_401(client, standard):
    response = client.post(URL, {"standard": standard.pk}, content_type="application/json")
    assert_error(response, 401, "unauthenticated")
