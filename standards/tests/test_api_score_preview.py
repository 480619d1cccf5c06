"""POST /api/v1/standards/score-preview: the engine's explained result, nothing saved."""

import pytest

from accounts.tests.api_helpers import assert_error, bearer
from audit.models import AuditEvent
from standards.models import ScoreSheet, ScoringStandard, SheetItem
from standards.tests.factories import published_warehousing
from standards.tests.sheet_examples import example_b_items

URL = "/api/v1/standards/score-preview"
RESULT_FIELDS = {
    "standard_key", "engine_version", "items", "subelements", "elements", "total_points", "na_points",
    "denominator", "earned", "percentage", "failed_vetoes", "score_level", "final_level", "applied_level",
    "passed", "explanation", "message",
}  # fmt: skip


@pytest.fixture
def standard(personas):
    return published_warehousing(personas.city_officer)


def _post(client, body, user):
    return client.post(URL, body, content_type="application/json", headers=bearer(user))


def test_example_b_scores_83_1(client, personas, standard):
    response = _post(client, {"standard": standard.pk, "items": example_b_items()}, personas.enterprise_user)
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == RESULT_FIELDS
    assert body["earned"] == "810.0"
    assert body["na_points"] == "25.0"
    assert body["denominator"] == "975.0"
    assert body["percentage"] == "83.1"
    assert body["score_level"] == 2 and body["passed"] is True
    elements = {e["no"]: e for e in body["elements"]}
    assert elements["2"] == {
        "no": "2", "name": elements["2"]["name"], "points": "20.0", "na_points": "0.0",
        "applicable_points": "20.0", "extra_deduction": "10.0", "earned": "1.0", "rate": "5.0",
    }  # fmt: skip
    assert elements["6"]["earned"] == "170.0"
    assert elements["9"]["applicable_points"] == "15.0" and elements["9"]["earned"] == "14.0"
    item_211 = next(i for i in body["items"] if i["code"] == "2.1.1")
    assert item_211["deducted"] == "6.0" and item_211["score"] == "0.0"
    assert len(body["items"]) == 164
    assert any("6.1.5" in line for line in body["explanation"])
    # Nothing is stored: a preview is not a sheet.
    assert not ScoreSheet.objects.exists() and not SheetItem.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="sheet.").exists()


def test_standard_by_code_and_version(client, personas, standard):
    body = {"standard": {"code": "CCWL", "version": 1}, "items": example_b_items(), "applied_level": 1}
    result = _post(client, body, personas.expert).json()
    assert result["percentage"] == "83.1"
    assert result["applied_level"] == 1 and result["passed"] is False  # 二级 score, 一级 applied


def test_empty_sheet_is_full_marks(client, personas, standard):
    result = _post(client, {"standard": standard.pk}, personas.enterprise_user).json()
    assert result["percentage"] == "100.0" and result["score_level"] == 1


@pytest.mark.parametrize("bad", ["abc", "-1", "1.25", "NaN", 1.25, -2, True, None, [1]])
def test_bad_numbers_are_422_keyed_by_item_code(client, personas, standard, bad):
    items = [
        {"code": "1.1.1", "deductions": [{"points": "1", "reason": "正常"}]},
        {"code": "3.1.1", "deductions": [{"points": bad, "reason": "坏数字"}]},
    ]
    response = _post(client, {"standard": standard.pk, "items": items}, personas.enterprise_user)
    body = assert_error(response, 422, "invalid")
    assert list(body["details"]) == ["3.1.1"]
    assert "3.1.1" in body["details"]["3.1.1"][0]  # the engine's message names the item


def test_every_bad_item_is_reported(client, personas, standard):
    items = [
        {"code": "1.1.1", "deductions": [{"points": "x"}]},
        {"code": "1.1.2", "extra_deduction": "-3"},
    ]
    body = assert_error(
        _post(client, {"standard": standard.pk, "items": items}, personas.enterprise_user), 422, "invalid"
    )
    assert set(body["details"]) == {"1.1.1", "1.1.2"}


@pytest.mark.parametrize(
    ("items", "code"),
    [
        ([{"code": "99.1.1"}], "99.1.1"),
        ([{"code": "1.1.1"}, {"code": "1.1.1"}], "1.1.1"),
        ([{"code": "1.1.1", "applicable": False, "deductions": [{"points": "1"}]}], "1.1.1"),
    ],
)
def test_engine_refusals_are_422_keyed_by_item_code(client, personas, standard, items, code):
    body = assert_error(
        _post(client, {"standard": standard.pk, "items": items}, personas.enterprise_user), 422, "invalid"
    )
    assert list(body["details"]) == [code]


@pytest.mark.parametrize("ref", [98765, {"code": "CCWL", "version": 9}, {"code": "NOPE", "version": 1}])
def test_unknown_standard_is_422(client, personas, standard, ref):
    body = assert_error(_post(client, {"standard": ref}, personas.enterprise_user), 422, "invalid")
    assert list(body["details"]) == ["standard"]


def test_a_draft_is_unknown_to_enterprises_but_previewable_by_the_city(client, personas, standard):
    ScoringStandard.objects.filter(pk=standard.pk).update(status=ScoringStandard.Status.DRAFT)
    assert_error(_post(client, {"standard": standard.pk}, personas.enterprise_user), 422, "invalid")
    assert _post(client, {"standard": standard.pk}, personas.city_officer).status_code == 200


def test_anonymous_gets_401(client, standard):
    response = client.post(URL, {"standard": standard.pk}, content_type="application/json")
    assert_error(response, 401, "unauthenticated")
