"""Browser journey of the on-site review: draw, confirm, schedule, sign in, score, consolidate, finalise.

Run with: .venv/bin/pytest -m e2e -p no:cacheprovider reviews/tests/test_e2e_review_journey.py
The case is prepared through the services up to its acceptance, with a pool of nine experts
who each have a login (``pool()``). From there every step is clicked in a real browser by the
person whose job it is: the city officer draws the panel, each drawn expert confirms it with
the no-conflict declaration, the 科长 approves, the city schedules, the leader opens, the
regulators sign themselves in, two members score the same item differently on their own
sheets, every member records the rest of his items as conforming and hands in, and the leader consolidates, gives his reason for the
divergence and finalises. Controls are found by name or data-testid; assertions are on data.
"""

import re
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from accounts.tests.factories import DEFAULT_PASSWORD
from grading.models import GeneratedDocument, GradingApplication, Status
from grading.tests.factories import advance, make_application
from reviews.models import Attendance, ConsolidationReason, ItemAssignment, MemberSheet, Panel, SiteReview
from reviews.tests.test_panel_services import pool, review_day, seated

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ITEM = "2.1.1"  # 4 points; the two members take off 3 and 1 (below the cap that adds 10 more)
ITEM_ID = "item-2-1-1"
ASSIGNED_POINTS = "3"
OTHER_POINTS = "1"


def _log_in(page, live_server, username: str, then: str) -> None:
    """Sign in through the login form and land on ``then`` (a URL of the live server)."""
    page.context.clear_cookies()
    target = then.removeprefix(live_server.url)
    page.goto(f"{live_server.url}{reverse('accounts:login')}?{urlencode({'next': target})}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator(f"form[action='{reverse('accounts:login')}'] button[type=submit]").click()
    page.wait_for_url(then)


def _click(page, selector: str) -> None:
    """Click a control that posts a form (or follows a link) and wait for the page it leads to."""
    with page.expect_navigation():
        page.locator(selector).click()


def _status(application: GradingApplication) -> str:
    application.refresh_from_db()
    return application.status


def _messages(page) -> str:
    return " ".join(page.locator(".alert").all_inner_texts())


def _score_item(page, points: str, reason: str) -> None:
    """On the member's own sheet (already open): one deduction on ITEM through the item editor."""
    page.locator("details[data-element='2'] > summary").click()
    row = page.locator(f"#{ITEM_ID}")
    row.locator("[data-testid=item-edit]").click()
    form = page.locator(f"#{ITEM_ID} [data-testid=item-form]")
    form.locator("input[name=d-0-points]").fill(points)
    form.locator("input[name=d-0-reason]").fill(reason)
    with page.expect_response(re.compile(rf"/items/{re.escape(ITEM)}/save/$")):
        form.locator("[data-testid=item-save]").click()
    page.locator(f"#{ITEM_ID}[data-state=deducted]").wait_for()


def _sign_myself_in(page) -> None:
    for meeting in (Attendance.Meeting.OPENING, Attendance.Meeting.CLOSING):
        page.locator("[data-testid=sign-myself] select[name=meeting]").select_option(meeting)
        _click(page, "[data-testid=sign-myself] button[type=submit]")


def _conform_and_hand_in(page, review: SiteReview, seat) -> None:
    """On the scoring page: a sheet with unscored assigned items cannot be handed in, so the
    member records the rest as conforming (confirming the dialog), then hands it in."""
    assigned = set(
        ItemAssignment.objects.filter(review=review, member=seat).values_list("item__code", flat=True)
    )
    own = MemberSheet.objects.select_related("sheet").get(review=review, member=seat)
    scored = set(own.sheet.entries.values_list("item__code", flat=True))
    unscored = len(assigned - scored)
    assert unscored > 0
    shown = page.locator("[data-testid=my-unscored]").inner_text()
    assert re.findall(r"\d+", shown) == [str(unscored)]
    _click(page, "[data-testid=my-sheet-conforming]")
    assert set(own.sheet.entries.values_list("item__code", flat=True)) == assigned | scored
    assert page.locator("[data-testid=my-unscored]").count() == 0
    assert page.locator("[data-testid=my-sheet-conforming]").count() == 0
    _click(page, "[data-testid=my-sheet-submit]")
    assert page.locator("[data-testid=my-sheet-submit]").count() == 0


def test_draw_confirm_score_consolidate_finalise(page, live_server, personas):
    application = advance(make_application(personas), personas, Status.ACCEPTED)
    pool()
    for name in ("city_officer", "city_chief", "county_officer"):
        personas[name]  # noqa: B018 - create the users before the browser logs in
    detail = f"{live_server.url}{reverse('grading:detail', args=[application.pk])}"
    scoring = f"{live_server.url}{reverse('reviews:scoring', args=[application.pk])}"
    page.on("dialog", lambda dialog: dialog.accept())  # any "are you sure?" (data-confirm) is answered yes

    # 1. The city officer draws the panel on the case page.
    _log_in(page, live_server, "city_officer", detail)
    page.locator("[data-testid=panel-draw-form] input[name=review_date]").fill(review_day().isoformat())
    _click(page, "[data-testid=panel-draw]")
    assert _status(application) == Status.PANEL_FORMING
    assert page.locator("[data-testid=panel-member]").count() == 5
    assert page.locator("[data-testid=panel-member][data-role=leader]").count() == 1
    panel = Panel.objects.get(application=application)
    assert panel.review_date == review_day()
    seats = list(seated(panel).select_related("expert__user").order_by("order", "pk"))
    assert len(seats) == 5 and all(seat.expert.user_id for seat in seats)

    # 2. Each drawn expert confirms on "my panels"; without the declaration he cannot.
    my_panels = f"{live_server.url}{reverse('reviews:my_panels')}"
    for index, seat in enumerate(seats):
        _log_in(page, live_server, seat.expert.user.username, my_panels)
        card = page.locator("[data-testid=seat][data-state=invited]")
        assert card.count() == 1
        if index == 0:
            _click(page, "[data-testid=seat-accept]")
            seat.refresh_from_db()
            assert seat.state == "invited"
            assert page.locator("[data-testid=seat][data-state=invited]").count() == 1
        page.locator("[data-testid=seat][data-state=invited] input[name=no_conflict]").check()
        _click(page, "[data-testid=seat-accept]")
        seat.refresh_from_db()
        assert seat.state == "confirmed" and seat.no_conflict_declared_at is not None
        assert page.locator("[data-testid=seat][data-state=confirmed]").count() == 1
    panel.refresh_from_db()
    assert panel.status == Panel.Status.CONFIRMED

    # 3. The 科长 approves; the city officer schedules; the leader opens the review.
    _log_in(page, live_server, "city_chief", detail)
    _click(page, "[data-testid=panel-approve]")
    assert _status(application) == Status.REVIEW_SCHEDULED

    _log_in(page, live_server, "city_officer", detail)
    form = page.locator("[data-testid=review-schedule-form]")
    form.locator("input[name=place]").fill("企业三楼会议室")
    form.locator("input[name=starts_at]").nth(0).fill("08:30")
    form.locator("input[name=ends_at]").nth(0).fill("09:00")
    form.locator("input[name=activity]").nth(0).fill("首次会议")
    form.locator("input[name=starts_at]").nth(1).fill("09:00")
    form.locator("input[name=ends_at]").nth(1).fill("11:30")
    form.locator("input[name=activity]").nth(1).fill("现场检查")
    form.locator("input[name=element]").nth(1).fill("2")
    _click(page, "[data-testid=review-schedule-form] button[type=submit]")
    review = SiteReview.objects.get(application=application)
    assert review.place == "企业三楼会议室" and review.plan_rows.count() == 2
    assert page.locator("[data-testid=plan-row]").count() == 2

    leader_seat = next(seat for seat in seats if seat.role == "leader")
    leader = leader_seat.expert.user.username
    _log_in(page, live_server, leader, detail)
    _click(page, "[data-testid=review-open]")
    assert _status(application) == Status.ON_SITE_REVIEW
    review.refresh_from_db()
    assert review.opened_at is not None
    assert review.member_sheets.count() == 5  # every seated member got his own sheet

    # 4. The city and the county regulators sign themselves in at both meetings.
    for regulator in ("city_officer", "county_officer"):
        _log_in(page, live_server, regulator, detail)
        _sign_myself_in(page)
    assert set(review.attendance.values_list("meeting", "role")) == {
        ("opening", "city"),
        ("closing", "city"),
        ("opening", "county"),
        ("closing", "county"),
    }
    assert page.locator("[data-testid=attendance-row]").count() == 4
    assert page.locator("[data-testid=finalise-blockers]").count() == 0

    # 5. The member ITEM is assigned to and one other member score it, differently, through
    #    their own sheets. Every member records the rest of his items as conforming on the
    #    scoring page (a sheet with an unscored assigned item is not handed in) and hands it in.
    assigned = ItemAssignment.objects.select_related("member__expert__user").get(
        review=review, item__code=ITEM
    )
    first = assigned.member
    second = next(seat for seat in seats if seat.pk != first.pk)
    for seat, points, reason in (
        (first, ASSIGNED_POINTS, "未任命专职安全管理人员"),
        (second, OTHER_POINTS, "任命文件未及时更新"),
    ):
        _log_in(page, live_server, seat.expert.user.username, detail)
        _click(page, "[data-testid=scoring-card] [data-testid=scoring-open]")
        assert page.url == scoring
        _click(page, "[data-testid=my-sheet-open]")
        own = MemberSheet.objects.get(review=review, member=seat)
        assert page.url.endswith(reverse("standards:sheet_detail", args=[own.sheet_id]))
        assert page.locator("[data-testid=sheet-case]").count() == 1
        # The item editor of the sheet; the assigned member's item is marked as his.
        assert (page.locator(f"#{ITEM_ID}[data-mine='1']").count() == 1) == (seat.pk == first.pk)
        _score_item(page, points, reason)
        entry = own.sheet.entries.get(item__code=ITEM)
        assert [d.points for d in entry.deductions.all()] == [Decimal(points)]
        page.goto(scoring)
        if seat.pk == first.pk:  # handing in with unscored items is refused, with the reason
            _click(page, "[data-testid=my-sheet-submit]")
            own.refresh_from_db()
            assert own.submitted_at is None
            refusal = page.locator(".alert-danger").inner_text()
            named = re.findall(r"\d+(?:\.\d+)+", refusal)
            assert named and ITEM not in named  # his unscored items, not the one he scored
        _conform_and_hand_in(page, review, seat)
        own.refresh_from_db()
        assert own.submitted_at is not None
        entry = own.sheet.entries.get(item__code=ITEM)  # his deduction survived the recording
        assert [d.points for d in entry.deductions.all()] == [Decimal(points)]

    for seat in seats:
        if seat.pk in (first.pk, second.pk):
            continue
        _log_in(page, live_server, seat.expert.user.username, scoring)
        _conform_and_hand_in(page, review, seat)
    assert not review.member_sheets.filter(submitted_at__isnull=True).exists()

    # 6. The leader consolidates, sees the divergence, gives his reason and finalises.
    _log_in(page, live_server, leader, scoring)
    assert page.locator("[data-testid=finalise-submit]").is_disabled()
    _click(page, "[data-testid=consolidate]")
    review.refresh_from_db()
    assert review.panel_sheet_id is not None
    divergence = page.locator(f"[data-testid=divergence][data-code='{ITEM}']")
    assert page.locator("[data-testid=divergence]").count() == 1
    assert divergence.locator(".badge").count() == 1  # marked divergent
    values = divergence.inner_text()
    assert first.expert.name in values and second.expert.name in values
    assert f"−{ASSIGNED_POINTS}" in values and f"−{OTHER_POINTS}" in values
    # The panel takes the value of the member the item is assigned to.
    assert divergence.locator("td").nth(2).inner_text().strip() == f"−{ASSIGNED_POINTS}"
    assert page.locator("[data-testid=finalise-submit]").is_disabled()  # the reason is owed

    divergence.locator("textarea[name=reason]").fill("以负责该要素的专家现场核查结论为准")
    _click(page, "[data-testid=reasons-save]")
    assert ConsolidationReason.objects.get(review=review, item__code=ITEM).reason.startswith("以负责")
    assert page.locator("[data-testid=scoring-blockers]").count() == 0
    assert page.locator("[data-testid=finalise-submit]").is_enabled()

    _click(page, "[data-testid=finalise-submit]")
    review.refresh_from_db()
    assert review.finalised_at is not None and review.conclusion == "pass"
    assert review.earned == Decimal("1000") - Decimal(ASSIGNED_POINTS)
    assert review.nonconformities == 1
    result = page.locator("[data-testid=review-result]")
    assert result.count() == 1
    assert Decimal(result.locator("[data-testid=review-score]").inner_text()) == review.earned
    assert _status(application) == Status.RECTIFYING
    assert application.documents.filter(kind=GeneratedDocument.Kind.REVIEW_REPORT).exists()

    page.goto(detail)
    assert page.locator("[data-testid=application-status]").get_attribute("data-status") == Status.RECTIFYING
    assert page.locator("[data-testid=scoring-card] [data-testid=review-result]").count() == 1
    moves = list(application.transitions.values_list("transition", flat=True))
    assert moves[-3:] == ["approve_panel", "open_review", "finalise_with_rectification"]
