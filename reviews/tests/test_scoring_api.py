"""The on-site scoring API (/api/v1/panels/{id}/scoring…): blind sheets, consolidation, reasons,
finalising, the chief's "not passed", the report — and each operation's permissions."""

import re
from decimal import Decimal

import pytest

from accounts.tests.api_helpers import assert_error
from experts.models import Expert
from grading.models import GeneratedDocument, Status
from grading.tests.api_helpers import call, zh
from reviews.models import MemberSheet, PanelMember
from reviews.services import attendance_record
from standards.models import Item, SheetItem

pytestmark = pytest.mark.django_db
BASE = "/api/v1/panels/"


def _url(application, suffix: str = "") -> str:
    return f"{BASE}{application.pk}{suffix}"


def _sheets(review) -> tuple[MemberSheet, MemberSheet, MemberSheet]:
    """(the leader's sheet, a member's, another member's)."""
    rows = list(review.member_sheets.select_related("member__expert__user", "sheet"))
    leader = next(r for r in rows if r.member.role == PanelMember.Role.LEADER)
    members = [r for r in rows if r.member.role == PanelMember.Role.MEMBER]
    return leader, members[0], members[1]


def _user(row: MemberSheet):
    return row.member.expert.user


def _item_of(review, row: MemberSheet) -> str:
    """An item assigned to ``row``'s member, worth at least 2 points."""
    item = (
        review.assignments.filter(member=row.member, item__points__gte=2)
        .order_by("item__sort_order")
        .values_list("item__code", flat=True)
        .first()
    )
    assert item, "the test needs such an item"
    return item


def _deduct(code: str, points: str = "1", reason: str = "台账记录不全") -> dict:
    return {"items": [{"code": code, "deductions": [{"points": points, "reason": reason}]}]}


def _sign_regulators(personas, review) -> None:
    for meeting in ("opening", "closing"):
        for regulator in (personas.city_officer, personas.county_officer):
            attendance_record(actor=regulator, review=review, meeting=meeting, user=regulator)


def _submit_all(client, application, review) -> None:
    """Every member records his unscored assigned items as conforming, then hands his sheet in."""
    for row in review.member_sheets.filter(submitted_at=None).select_related("member__expert__user"):
        for step in ("/scoring/conforming", "/scoring/submit"):
            response = call(client, _user(row), "post", _url(application, step))
            assert response.status_code == 200, (step, response.content)


@pytest.fixture
def scoring(on_site):
    application, _panel, review = on_site
    return application, review, *_sheets(review)


# --- Who sees what -----------------------------------------------------------------------------


def test_an_expert_off_the_panel_gets_404_on_the_overview_and_on_a_sheet(client, personas, scoring):
    application, review, _leader, member, _other = scoring
    seat_users = set(review.member_sheets.values_list("member__expert__user_id", flat=True))
    # The persona expert, and the pool's experts without a seat (the panel's reserves among them).
    others = Expert.objects.exclude(user_id__in=seat_users).exclude(user=None).select_related("user")
    outsiders = [personas.expert, *(e.user for e in others)]
    assert len(outsiders) >= 3
    sheet = _url(application, f"/scoring/sheets/{member.sheet_id}")
    for outsider in outsiders:
        assert_error(call(client, outsider, "get", _url(application, "/scoring")), 404, "not_found")
        assert_error(call(client, outsider, "get", sheet), 404, "not_found")
    assert_error(call(client, None, "get", _url(application, "/scoring")), 401, "unauthenticated")


def test_a_member_sees_only_his_own_sheet_in_the_overview(client, personas, scoring):
    application, review, leader, member, other = scoring
    body = call(client, _user(member), "get", _url(application, "/scoring")).json()
    assert body["is_leader"] is False and body["scoring_open"] is True
    assert body["my_sheet"]["sheet_id"] == member.sheet_id and body["my_sheet"]["can_edit"] is True
    assert body["my_sheet"]["assigned"] == list(
        review.assignments.filter(member=member.member)
        .order_by("item__sort_order")
        .values_list("item__code", flat=True)
    )
    # Nothing of the other members: no sheets, no blockers, no reasons, no panel sheet.
    assert body["members"] == [] and body["blockers"] == [] and body["reasons"] == []
    assert body["panel_sheet_id"] is None
    for reader in (_user(leader), personas.city_officer):
        body = call(client, reader, "get", _url(application, "/scoring")).json()
        by_sheet = {m["sheet_id"]: m for m in body["members"]}
        assert set(by_sheet) == set(review.member_sheets.values_list("sheet_id", flat=True))
        assert by_sheet[other.sheet_id]["assigned"] == review.assignments.filter(member=other.member).count()
        assert by_sheet[other.sheet_id]["submitted"] is False
        assert len(body["blockers"]) == 6  # four regulators, sheets out, not consolidated
    # The county and the enterprise see the case, but no scoring until it is finalised.
    for reader in (personas.county_officer, personas.enterprise_principal, personas.bureau_leader):
        assert_error(call(client, reader, "get", _url(application, "/scoring")), 404, "not_found")


def test_blind_scoring_a_member_cannot_read_another_members_sheet(client, personas, scoring):
    application, _review, leader, member, other = scoring
    url = _url(application, f"/scoring/sheets/{other.sheet_id}")
    assert_error(call(client, _user(member), "get", url), 404, "not_found")
    for reader in (_user(leader), personas.city_officer, _user(other)):
        response = call(client, reader, "get", url)
        assert response.status_code == 200, reader
        assert response.json()["member_id"] == other.member_id
    for outsider in (personas.enterprise_principal, personas.county_officer):
        assert_error(call(client, outsider, "get", url), 404, "not_found")
    # A sheet that is not this review's is not served under it.
    other_sheet = _url(application, f"/scoring/sheets/{application.self_sheet_id or 999999}")
    assert_error(call(client, personas.city_officer, "get", other_sheet), 404, "not_found")


# --- Scoring, handing in, handing back, consolidating ------------------------------------------


def test_a_member_scores_and_the_leader_consolidates(client, personas, scoring):
    application, review, leader, member, other = scoring
    code = _item_of(review, member)
    mine = _url(application, f"/scoring/sheets/{member.sheet_id}/entries")
    response = call(client, _user(member), "put", mine, _deduct(code))
    assert response.status_code == 200, response.content
    entry = response.json()["entries"][0]
    assert entry["code"] == code and entry["deductions"] == [
        {"points": "1.0", "reason": "台账记录不全", "is_hazard": False}
    ]
    # Errors are keyed by item code; nothing is saved.
    bad = {"items": [{"code": "99.9.9"}, {"code": code, "deductions": [{"points": "x", "reason": "r"}]}]}
    body = assert_error(call(client, _user(member), "put", mine, bad), 422, "invalid")
    assert set(body["details"]) == {"99.9.9", code}
    assert (
        call(client, _user(member), "get", mine.removesuffix("/entries")).json()["entries"][0]["deductions"][
            0
        ]["points"]
        == "1.0"
    )
    # Nobody else writes on the member's sheet: other members do not see it, the leader may not.
    assert_error(call(client, _user(other), "put", mine, _deduct(code)), 404, "not_found")
    assert_error(call(client, _user(leader), "put", mine, _deduct(code)), 403, "forbidden")
    assert_error(call(client, personas.city_officer, "put", mine, _deduct(code)), 403, "forbidden")

    consolidate = _url(application, "/scoring/consolidate")
    submit = _url(application, "/scoring/submit")
    # One item scored: the others assigned to him have no entry, so he cannot hand in yet.
    assigned = review.assignments.filter(member=member.member).count()
    body = assert_error(call(client, _user(member), "post", submit), 422, "invalid")
    assert str(assigned - 1) in body["details"]["__all__"][0]
    body = call(client, _user(member), "post", _url(application, "/scoring/conforming")).json()
    assert body["my_sheet"]["submitted_at"] is None and body["my_sheet"]["can_edit"] is True
    assert call(client, _user(member), "post", submit).status_code == 200
    assert_error(call(client, _user(member), "put", mine, _deduct(code, "2")), 409, "sheet_not_draft")
    body = assert_error(call(client, _user(leader), "post", consolidate), 422, "invalid")
    assert other.member.expert.name in body["details"]["__all__"][0]
    _submit_all(client, application, review)
    for refused in (_user(member), personas.city_officer, personas.enterprise_principal):
        assert call(client, refused, "post", consolidate).status_code == 403
    response = call(client, _user(leader), "post", consolidate)
    assert response.status_code == 200, response.content
    panel_sheet = response.json()["panel_sheet_id"]
    assert panel_sheet and all(m["submitted"] for m in response.json()["members"])
    read = call(client, _user(leader), "get", _url(application, f"/scoring/sheets/{panel_sheet}")).json()
    assert read["kind"] == "consolidated" and read["member_id"] is None and read["can_edit"] is True
    # Every item, from its assignee: the one deduction, and full marks recorded as conforming.
    assert len(read["entries"]) == application.standard.items.count()
    deducted = [
        (e["code"], [d["points"] for d in e["deductions"]]) for e in read["entries"] if e["deductions"]
    ]
    assert deducted == [(code, ["1.0"])]
    # Before finalising, the panel sheet is the leader's and the city's.
    panel_url = _url(application, f"/scoring/sheets/{panel_sheet}")
    assert_error(call(client, _user(member), "get", panel_url), 404, "not_found")
    assert_error(call(client, personas.enterprise_principal, "get", panel_url), 404, "not_found")
    # The leader edits the panel sheet through the same operation; a member may not.
    edit = _url(application, f"/scoring/sheets/{panel_sheet}/entries")
    assert call(client, _user(leader), "put", edit, _deduct(code, "1.5")).status_code == 200
    assert_error(call(client, personas.city_officer, "put", edit, _deduct(code)), 403, "forbidden")


def test_the_leader_hands_a_sheet_back_with_a_reason(client, personas, scoring):
    application, _review, leader, member, other = scoring
    call(client, _user(member), "post", _url(application, "/scoring/conforming"))
    assert call(client, _user(member), "post", _url(application, "/scoring/submit")).status_code == 200
    url = _url(application, f"/scoring/sheets/{member.sheet_id}/reopen")
    body = assert_error(call(client, _user(leader), "post", url, {"reason": "  "}), 422, "invalid")
    assert "reason" in body["details"]
    assert_error(call(client, _user(other), "post", url, {"reason": "x"}), 404, "not_found")
    for refused in (_user(member), personas.city_officer):
        assert_error(call(client, refused, "post", url, {"reason": "x"}), 403, "forbidden")
    response = call(client, _user(leader), "post", url, {"reason": "第6要素漏评"})
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.submitted_at is None
    mine = call(client, _user(member), "get", _url(application, "/scoring")).json()["my_sheet"]
    assert mine["submitted_at"] is None and mine["can_edit"] is True


def test_the_leader_reassigns_items(client, personas, scoring):
    application, review, leader, member, other = scoring
    url = _url(application, "/scoring/assignments")
    rows = call(client, _user(leader), "get", url).json()
    assert len(rows) == application.standard.items.count()
    assert call(client, personas.city_officer, "get", url).status_code == 200
    for refused in (_user(member), personas.enterprise_principal, personas.county_officer):
        assert_error(call(client, refused, "get", url), 403, "forbidden")
    code = _item_of(review, member)
    move = {"code": code, "member_id": other.member_id}
    for refused in (_user(member), personas.city_officer):
        assert_error(call(client, refused, "post", url, move), 403, "forbidden")
    response = call(client, _user(leader), "post", url, move)
    assert response.status_code == 200
    assert response.json() == {
        "code": code,
        "specialty": Item.objects.get(standard=application.standard, code=code).specialty,
        "member_id": other.member_id,
        "expert_name": other.member.expert.name,
        "by_hand": True,
    }
    assert review.assignments.get(item__code=code).member_id == other.member_id
    assert_error(call(client, _user(leader), "post", url, {**move, "member_id": 0}), 422, "invalid")
    assert_error(call(client, _user(leader), "post", url, {**move, "code": "99.9"}), 422, "invalid")


def test_a_member_records_the_rest_of_his_items_as_conforming_before_handing_in(client, personas, scoring):
    application, review, leader, member, other = scoring
    conforming, submit = _url(application, "/scoring/conforming"), _url(application, "/scoring/submit")
    mine = list(
        review.assignments.filter(member=member.member)
        .order_by("item__sort_order")
        .values_list("item__code", flat=True)
    )
    code = _item_of(review, member)
    entries = _url(application, f"/scoring/sheets/{member.sheet_id}/entries")
    assert call(client, _user(member), "put", entries, _deduct(code, "2")).status_code == 200
    # Another member's item he checked too: it stays his second opinion, not his duty.
    stranger = _item_of(review, other)
    assert call(client, _user(member), "put", entries, _deduct(stranger)).status_code == 200

    body = assert_error(call(client, _user(member), "post", submit), 422, "invalid")
    (message,) = body["details"]["__all__"]
    unscored = [c for c in mine if c != code]
    assert re.findall(r"\d+(?:\.\d+)+", message) == unscored[:10]  # his unscored items, in order
    assert str(len(unscored)) in re.findall(r"(?<![\d.])\d+(?![\d.])", message)  # and how many
    # The city and the enterprise have no sheet of their own on the panel.
    for refused in (personas.city_officer, personas.enterprise_principal):
        assert_error(call(client, refused, "post", conforming), 403, "forbidden")

    response = call(client, _user(member), "post", conforming)
    assert response.status_code == 200, response.content
    assert response.json()["my_sheet"]["sheet_id"] == member.sheet_id
    sheet = call(client, _user(member), "get", entries.removesuffix("/entries")).json()
    by_code = {e["code"]: e for e in sheet["entries"]}
    assert set(by_code) == set(mine) | {stranger}
    assert [d["points"] for d in by_code[code]["deductions"]] == ["2.0"]
    assert [d["points"] for d in by_code[stranger]["deductions"]] == ["1.0"]
    for item in unscored:
        assert by_code[item]["deductions"] == [] and by_code[item]["applicable"] is True
        assert Decimal(by_code[item]["extra_deduction"]) == 0
        assert by_code[item]["description"] == zh("Checked on site: conforming.")
    # Only his own sheet: the others' are untouched, the leader's included.
    for row in (leader, other):
        assert not SheetItem.objects.filter(sheet_id=row.sheet_id).exists()
    # Again: nothing left to record.
    assert call(client, _user(member), "post", conforming).status_code == 200
    assert SheetItem.objects.filter(sheet_id=member.sheet_id).count() == len(mine) + 1

    response = call(client, _user(member), "post", submit)
    assert response.status_code == 200 and response.json()["my_sheet"]["submitted_at"]
    # Handed in: nothing more is recorded on it.
    assert_error(call(client, _user(member), "post", conforming), 422, "invalid")
    # The leader records his own unscored items (on his own sheet) like any member.
    assert call(client, _user(leader), "post", conforming).status_code == 200
    assert SheetItem.objects.filter(sheet_id=leader.sheet_id).count() == (
        review.assignments.filter(member=leader.member).count()
    )


# --- Reasons, finalising, the chief's decision, the report --------------------------------------


def _diverge(client, application, review, member, other) -> str:
    """Two members give the same item different values; everyone hands in; the leader consolidates."""
    code = _item_of(review, member)
    for row, points in ((member, "1"), (other, "2")):
        url = _url(application, f"/scoring/sheets/{row.sheet_id}/entries")
        assert call(client, _user(row), "put", url, _deduct(code, points)).status_code == 200
    _submit_all(client, application, review)
    return code


def test_the_leader_gives_reasons_for_divergent_items(client, personas, scoring):
    application, review, leader, member, other = scoring
    code = _diverge(client, application, review, member, other)
    body = call(client, _user(leader), "post", _url(application, "/scoring/consolidate")).json()
    (reason,) = body["reasons"]
    assert reason["code"] == code and reason["divergent"] is True and reason["reason"] == ""
    assert {v["name"] for v in reason["values"]} == {member.member.expert.name, other.member.expert.name}
    assert reason["panel_value"] == "−1"  # the assigned member's value
    owed = zh("Give the reason for the panel's value of items %(codes)s.") % {"codes": code}
    assert owed in body["blockers"]
    url = _url(application, "/scoring/reasons")
    given = {"code": code, "reason": "复核现场记录后取组长意见"}
    for refused in (_user(member), personas.city_officer):
        assert_error(call(client, refused, "put", url, given), 403, "forbidden")
    body = call(client, _user(leader), "put", url, given).json()
    assert body["reasons"][0]["reason"] == given["reason"] and owed not in body["blockers"]
    assert_error(call(client, _user(leader), "put", url, {**given, "code": "99.9"}), 422, "invalid")
    body = call(client, _user(leader), "put", url, {"code": code, "reason": ""}).json()
    assert body["reasons"][0]["reason"] == "" and owed in body["blockers"]
    # The member still sees none of it.
    assert call(client, _user(member), "get", _url(application, "/scoring")).json()["reasons"] == []


def test_finalise_is_refused_until_the_regulators_signed_then_accepted(
    client, personas, scoring, django_capture_on_commit_callbacks
):
    application, review, leader, member, other = scoring
    code = _diverge(client, application, review, member, other)
    call(client, _user(leader), "post", _url(application, "/scoring/consolidate"))
    call(
        client,
        _user(leader),
        "put",
        _url(application, "/scoring/reasons"),
        {"code": code, "reason": "组长意见"},
    )
    url = _url(application, "/scoring/finalise")
    assert_error(call(client, _user(member), "post", url, {}), 403, "forbidden")
    assert_error(call(client, personas.city_officer, "post", url, {}), 403, "forbidden")
    body = assert_error(call(client, _user(leader), "post", url, {"comment": ""}), 422, "invalid")
    assert zh("No city regulator signed in to the opening meeting.") in body["details"]["__all__"]
    assert zh("No county regulator signed in to the closing meeting.") in body["details"]["__all__"]
    review.refresh_from_db()
    assert review.finalised_at is None
    assert_error(call(client, None, "get", _url(application, "/report")), 401, "unauthenticated")
    assert_error(call(client, _user(leader), "get", _url(application, "/report")), 404, "not_found")

    _sign_regulators(personas, review)
    with django_capture_on_commit_callbacks(execute=True):
        response = call(client, _user(leader), "post", url, {"comment": "评审结束"})
    assert response.status_code == 200, response.content
    result = response.json()["result"]
    assert result["conclusion"] == "pass" and result["nonconformities"] == 1
    assert response.json()["finalised"] is True and response.json()["can_finalise"] is False
    application.refresh_from_db()
    assert application.status == Status.RECTIFYING
    # Everyone who sees the case now reads the result and the panel sheet, not the members' sheets.
    body = call(client, personas.enterprise_principal, "get", _url(application, "/scoring")).json()
    assert body["result"]["earned"] == result["earned"] and body["members"] == []
    panel_sheet = body["panel_sheet_id"]
    sheet = call(
        client, personas.enterprise_principal, "get", _url(application, f"/scoring/sheets/{panel_sheet}")
    )
    assert sheet.status_code == 200 and sheet.json()["status"] == "locked"
    member_sheet = _url(application, f"/scoring/sheets/{member.sheet_id}")
    assert_error(call(client, personas.enterprise_principal, "get", member_sheet), 404, "not_found")
    # The sheets are locked; a second finalise is refused.
    edit = _url(application, f"/scoring/sheets/{panel_sheet}/entries")
    assert_error(call(client, _user(leader), "put", edit, _deduct(code)), 409, "sheet_not_draft")
    assert call(client, _user(leader), "post", url, {}).status_code == 422
    # The report was stored on commit; it is served as a PDF.
    report = call(client, personas.enterprise_principal, "get", _url(application, "/report"))
    assert report.status_code == 200 and report["Content-Type"] == "application/pdf"
    assert b"".join(report.streaming_content).startswith(b"%PDF")
    assert_error(call(client, personas.expert, "get", _url(application, "/report")), 404, "not_found")


def test_the_chief_decides_not_passed_only_after_a_failed_review(client, personas, scoring):
    application, review, leader, _member, _other = scoring
    url = _url(application, "/scoring/fail")
    reason = {"reason": "否决项不合格"}
    assert_error(call(client, personas.city_chief, "post", url, reason), 422, "invalid")
    # The standard has no veto item: the members find the weightiest items wholly lacking, until
    # the score falls below the third level's threshold.
    standard = application.standard
    total = sum(standard.items.values_list("points", flat=True))
    allowed = total * standard.threshold_level3 / 100
    lacking: dict[int, list[dict]] = {}
    deducted = 0
    for member_id, code, points in review.assignments.order_by(
        "-item__points", "item__sort_order"
    ).values_list("member_id", "item__code", "item__points"):
        if total - deducted < allowed:
            break
        lacking.setdefault(member_id, []).append(
            {"code": code, "deductions": [{"points": str(points), "reason": "缺失"}]}
        )
        deducted += points
    for row in review.member_sheets.filter(member_id__in=lacking).select_related("member__expert__user"):
        entries = _url(application, f"/scoring/sheets/{row.sheet_id}/entries")
        response = call(client, _user(row), "put", entries, {"items": lacking[row.member_id]})
        assert response.status_code == 200
    _submit_all(client, application, review)
    call(client, _user(leader), "post", _url(application, "/scoring/consolidate"))
    _sign_regulators(personas, review)
    response = call(client, _user(leader), "post", _url(application, "/scoring/finalise"), {})
    assert response.status_code == 200, response.content
    assert response.json()["result"]["conclusion"] == "fail"
    assert Decimal(response.json()["result"]["percentage"]) < standard.threshold_level3
    application.refresh_from_db()
    assert application.status == Status.ON_SITE_REVIEW  # waits for the chief
    assert call(client, personas.city_chief, "get", _url(application, "/scoring")).json()["can_decide_fail"]
    for refused in (
        _user(leader),
        personas.city_officer,
        personas.county_chief,
        personas.enterprise_principal,
    ):
        assert_error(call(client, refused, "post", url, reason), 403, "forbidden")
    assert_error(call(client, personas.city_chief, "post", url, {"reason": " "}), 422, "invalid")
    response = call(client, personas.city_chief, "post", url, reason)
    assert response.status_code == 200 and response.json()["application_status"] == Status.NOT_PASSED
    application.refresh_from_db()
    assert application.status == Status.NOT_PASSED
    assert_error(call(client, personas.city_chief, "post", url, reason), 409, "transition_refused")


def test_the_report_is_the_latest_stored_version(client, personas, scoring):
    from grading.services import document_store

    application = scoring[0]
    url = _url(application, "/report")
    assert_error(call(client, personas.city_officer, "get", url), 404, "not_found")
    for content in (b"%PDF-1.4 v1", b"%PDF-1.4 v2"):
        document_store(
            actor=personas.city_officer,
            application=application,
            kind=GeneratedDocument.Kind.REVIEW_REPORT,
            content=content,
        )
    response = call(client, personas.county_officer, "get", url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 v2"
    assert "v2.pdf" in response["Content-Disposition"]
    assert_error(call(client, personas.other_county_officer, "get", url), 404, "not_found")


# --- Every operation's permissions --------------------------------------------------------------


def test_each_operation_answers_401_anonymous_404_outsiders_and_refuses_the_wrong_role(
    client, personas, scoring
):
    application, review, _leader, member, _other = scoring
    code = _item_of(review, member)
    sheet = f"/scoring/sheets/{member.sheet_id}"
    # (method, path, body, the enterprise principal's status: he sees the case, has no part in it)
    operations = [
        ("get", "/scoring", None, 404),
        ("get", "/scoring/assignments", None, 403),
        ("post", "/scoring/assignments", {"code": code, "member_id": member.member_id}, 403),
        ("get", sheet, None, 404),
        ("put", f"{sheet}/entries", _deduct(code), 404),
        ("post", "/scoring/submit", None, 403),
        ("post", "/scoring/conforming", None, 403),
        ("post", f"{sheet}/reopen", {"reason": "x"}, 404),
        ("post", "/scoring/consolidate", None, 403),
        ("put", "/scoring/reasons", {"code": code, "reason": "x"}, 403),
        ("post", "/scoring/finalise", {"comment": ""}, 403),
        ("post", "/scoring/fail", {"reason": "x"}, 403),
        ("get", "/report", None, 404),
    ]
    codes = {401: "unauthenticated", 403: "forbidden", 404: "not_found"}
    for method, path, body, status in operations:
        where = _url(application, path)
        assert_error(call(client, None, method, where, body), 401, "unauthenticated")
        for outsider in (personas.expert, personas.other_county_officer, personas.other_enterprise_user):
            response = call(client, outsider, method, where, body)
            assert response.status_code == 404, (method, path, outsider.role, response.content)
        response = call(client, personas.enterprise_principal, method, where, body)
        assert response.status_code == status, (method, path, response.content)
        assert_error(response, status, codes[status])
    # Nothing changed on the way.
    member.refresh_from_db()
    assert member.submitted_at is None and review.panel_sheet_id is None
    assert not SheetItem.objects.filter(sheet__in=review.member_sheets.values("sheet")).exists()
    assert not review.assignments.filter(by_hand=True).exists()
