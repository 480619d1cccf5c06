"""The on-site scoring's pages (issue 5): the scoring page, its forms, its card on the case page,
the standards scoring page of a member's sheet, and who sees what in each state.

States are reached through the services (attendance, sheets saved and handed in, consolidation,
reasons, finalising); the HTTP side is what is under test. The test client speaks the default
language (zh-hans), so every page below is also rendered in Chinese.
"""

import re

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.constants import ERROR
from django.shortcuts import resolve_url
from django.urls import reverse

from audit.models import AuditEvent
from experts.models import ExpertRating
from grading.models import Status
from reviews.models import ConsolidationReason, ItemAssignment, MemberSheet, SiteReview
from reviews.services import (
    attendance_record,
    consolidation_build,
    consolidation_reason_set,
    member_sheet_fill_conforming,
    member_sheet_submit,
    review_finalise,
)
from reviews.services.scoring import reasons_needed, unscored_assigned
from standards.models import ScoreSheet
from standards.services import DeductionIn, EntryIn, sheet_entries_save

pytestmark = pytest.mark.django_db

VIEWS = (
    "scoring",
    "assign",
    "sheet_submit",
    "sheet_conforming",
    "sheet_reopen",
    "consolidate",
    "reason",
    "finalise",
    "fail",
    "rate",
)
LOGIN = "login"  # redirected to the login page
REFUSED = "refused"  # 302 back, with an error message and nothing changed
SKIP = None  # the persona's own successful use of the view is tested below
RATING = {"professional": "90", "discipline": "88", "ethics": "95", "integrity": "92", "comment": "认真"}


# --- Helpers ---------------------------------------------------------------------------------


def _seats(review: SiteReview) -> list[MemberSheet]:
    """The member sheets, leader first, then the members in panel order."""
    rows = review.member_sheets.select_related("member__expert__user", "sheet")
    return sorted(rows, key=lambda s: (s.member.role != "leader", s.member.order, s.member.pk))


def _user(seat: MemberSheet):
    return seat.member.expert.user


def _assigned(review: SiteReview, seat: MemberSheet) -> list[str]:
    return list(
        review.assignments.filter(member=seat.member)
        .order_by("item__sort_order")
        .values_list("item__code", flat=True)
    )


def _deduct(code: str, points: str = "1", reason: str = "记录不全") -> EntryIn:
    return EntryIn(code=code, deductions=(DeductionIn(points, reason),))


def _sign_regulators(personas, review: SiteReview) -> None:
    for user in (personas.city_officer, personas.county_officer):
        for meeting in ("opening", "closing"):
            attendance_record(actor=user, review=review, meeting=meeting, user=user)


def _score(review: SiteReview, seats: list[MemberSheet], n: int = 1, *, overlap: int = 1) -> list[str]:
    """Each member deducts 1 point on his first ``n`` items and 2 points on the first ``overlap``
    items of the next member (a second, divergent voice); returns the overlapping codes."""
    assigned = {seat.pk: _assigned(review, seat) for seat in seats}
    overlapping = []
    for i, seat in enumerate(seats):
        mine = assigned[seat.pk][:n]
        theirs = assigned[seats[(i + 1) % len(seats)].pk][:overlap]
        overlapping += theirs
        entries = [_deduct(code) for code in mine] + [_deduct(code, "2", "另见") for code in theirs]
        sheet_entries_save(actor=_user(seat), sheet=seat.sheet, entries=entries)
    return overlapping


def _submit(seats: list[MemberSheet]) -> None:
    """Every member records his unscored assigned items as conforming and hands his sheet in."""
    for seat in seats:
        member_sheet_fill_conforming(actor=_user(seat), member_sheet=seat)
        member_sheet_submit(actor=_user(seat), member_sheet=seat)


def _consolidate_with_reasons(review: SiteReview, leader) -> SiteReview:
    consolidation_build(actor=leader, review=review)
    review.refresh_from_db()
    for need in reasons_needed(review):
        consolidation_reason_set(actor=leader, review=review, code=need.code, reason="以组长现场复核为准")
    return review


def _get(client, name: str, application, *args):
    return client.get(reverse(f"reviews:{name}", args=[application.pk, *args]))


def _post(client, url: str, data=None):
    """POST with an empty message queue, so ``_errors`` reads only this request's messages."""
    client.cookies.pop("messages", None)
    return client.post(url, data or {})


def _disabled(html: str, testid: str) -> bool:
    """Whether the button with ``testid`` is rendered disabled."""
    return " disabled" in html.split(f'data-testid="{testid}"', 1)[1].split(">", 1)[0]


def _unscored_shown(html: str) -> int:
    """The count the "My sheet" card shows of the member's unscored items."""
    text = html.split('data-testid="my-unscored">', 1)[1].split("</strong>", 1)[0]
    (number,) = re.findall(r"\d+", text)
    return int(number)


def _errors(response) -> list[str]:
    return [m.message for m in get_messages(response.wsgi_request) if m.level == ERROR]


def _requests(application, review: SiteReview, seats: list[MemberSheet]) -> dict:
    """Each view of the scoring section with a plausible request: (method, url, data)."""
    pk = application.pk
    leader_seat, member_seat = seats[0], seats[1]
    code = _assigned(review, leader_seat)[0]

    def url(name, *args):
        return reverse(f"reviews:{name}", args=[pk, *args])

    return {
        "scoring": ("get", url("scoring"), {}),
        "assign": ("post", url("assign"), {"code": code, "member": member_seat.member_id}),
        "sheet_submit": ("post", url("sheet_submit"), {}),
        "sheet_conforming": ("post", url("sheet_conforming"), {}),
        "sheet_reopen": ("post", url("sheet_reopen", member_seat.pk), {"reason": "请补充证据"}),
        "consolidate": ("post", url("consolidate"), {}),
        "reason": ("post", url("reason"), {"code": code, "reason": "复核"}),
        "finalise": ("post", url("finalise"), {"comment": ""}),
        "fail": ("post", url("fail"), {"reason": "未达标"}),
        "rate": ("post", url("rate", member_seat.member_id), RATING),
    }


def _persona(personas, seats, name):
    if name == "leader":
        return _user(seats[0])
    if name == "member":
        return _user(seats[1])
    return personas[name]


def _battery(login, personas, application, review, seats, expected: dict) -> None:
    """Every persona × view; a failure names both."""
    requests = _requests(application, review, seats)
    login_url = resolve_url(settings.LOGIN_URL)
    for persona, statuses in expected.items():
        client = login(_persona(personas, seats, persona))
        for view, want in zip(VIEWS, statuses, strict=True):
            if want is SKIP:
                continue
            method, url, data = requests[view]
            client.cookies.pop("messages", None)
            response = getattr(client, method)(url, data)
            where = f"{persona} → {view}"
            if want == LOGIN:
                assert response.status_code == 302, where
                assert response["Location"].startswith(login_url), where
            elif want == REFUSED:
                assert response.status_code == 302, where
                assert _errors(response), where
            else:
                assert response.status_code == want, where


# --- Fixtures --------------------------------------------------------------------------------


@pytest.fixture
def scored(personas, on_site):
    """On site, regulators signed in, every member deducted on his first item and another's."""
    application, panel, review = on_site
    _sign_regulators(personas, review)
    seats = _seats(review)
    overlapping = _score(review, seats)
    return application, review, seats, overlapping


@pytest.fixture
def finalised(scored):
    application, review, seats, _overlap = scored
    _submit(seats)
    review = _consolidate_with_reasons(review, _user(seats[0]))
    review_finalise(actor=_user(seats[0]), application=application)
    application.refresh_from_db()
    review.refresh_from_db()
    return application, review, seats


# --- 1. The permission battery ---------------------------------------------------------------


def test_every_scoring_view_while_scoring(personas, scored, login):
    application, review, seats, _overlap = scored
    # "conform.": recording one's unscored items as conforming acts on the requester's own
    # member sheet; whoever has none on this review gets 404.
    #                        scoring assign submit conform. reopen consol. reason finalise fail rate
    expected = {
        "anonymous": (LOGIN,) * 10,
        "expert": (404,) * 10,  # an expert not on the panel
        "other_county_officer": (404,) * 10,
        "other_enterprise_user": (404,) * 10,
        "enterprise_principal": (404, 403, 404, 404, 403, 403, 403, 403, 403, 404),
        "county_officer": (404, 403, 404, 404, 403, 403, 403, 403, 403, 404),
        "city_officer": (200, 403, 404, 404, 403, 403, 403, 403, 403, 404),
        "city_chief": (200, 403, 404, 404, 403, 403, 403, 403, REFUSED, 404),  # the review did not fail
        "member": (200, 403, REFUSED, SKIP, 403, 403, 403, 403, 403, 404),  # his items are unscored
        "leader": (200, SKIP, REFUSED, SKIP, SKIP, REFUSED, SKIP, REFUSED, 403, 404),  # sheets still out
    }
    _battery(login, personas, application, review, seats, expected)
    # Nothing changed.
    application.refresh_from_db()
    review.refresh_from_db()
    assert application.status == Status.ON_SITE_REVIEW
    assert review.finalised_at is None and review.panel_sheet_id is None
    assert not MemberSheet.objects.filter(submitted_at__isnull=False).exists()
    assert not ItemAssignment.objects.filter(by_hand=True).exists()
    assert not ConsolidationReason.objects.exists()
    assert not ExpertRating.objects.exists()
    assert not AuditEvent.objects.filter(action="review.sheet_conforming").exists()
    for seat in seats:  # the one or two items each scored, nothing recorded for him
        assert seat.sheet.entries.count() == 2


def test_the_verbs_are_post_only(personas, scored, login):
    application, review, seats, _overlap = scored
    client = login(_user(seats[0]))
    for view, (method, url, _data) in _requests(application, review, seats).items():
        if method == "post":
            assert client.get(url).status_code == 405, view
    assert _post(client, reverse("reviews:scoring", args=[application.pk])).status_code == 405


def test_every_scoring_view_after_finalisation(personas, finalised, login):
    application, review, seats = finalised
    assert application.status == Status.RECTIFYING
    #                        scoring assign submit conform. reopen consol. reason finalise fail rate
    expected = {
        "anonymous": (LOGIN,) * 10,
        "expert": (404,) * 10,
        "other_county_officer": (404,) * 10,
        "enterprise_principal": (200, 403, 404, 404, 403, 403, 403, 403, 403, 403),
        "county_officer": (200, 403, 404, 404, 403, 403, 403, 403, 403, 403),
        "member": (200, 403, REFUSED, REFUSED, 403, 403, 403, 403, 403, 403),
        "leader": (200, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, 403, 403),
        "city_officer": (200, 403, 404, 404, 403, 403, 403, 403, 403, SKIP),
    }
    _battery(login, personas, application, review, seats, expected)
    application.refresh_from_db()
    assert application.status == Status.RECTIFYING
    assert not ExpertRating.objects.exists()
    assert not ItemAssignment.objects.filter(by_hand=True).exists()


# --- 2. What each person sees while scoring ---------------------------------------------------


def test_a_member_sees_his_sheet_link_and_nothing_of_the_others(personas, scored, login):
    application, review, seats, _overlap = scored
    member = seats[1]
    page = _get(login(_user(member)), "scoring", application)
    assert page.status_code == 200
    html = page.content.decode()
    sheet_url = reverse("standards:sheet_detail", args=[member.sheet_id])
    assert 'data-testid="my-sheet-open"' in html and f'href="{sheet_url}"' in html
    assert 'data-testid="my-sheet-submit"' in html
    assert f'data-assigned="{len(_assigned(review, member))}"' in html
    for hidden in ("consolidation", "finalise", "member-sheets", "assignments", "ratings", "fail-decision"):
        assert f'data-testid="{hidden}"' not in html, hidden
    for other in seats:  # no link to anyone else's sheet
        if other.pk != member.pk:
            assert reverse("standards:sheet_detail", args=[other.sheet_id]) not in html
    assert '<html lang="zh-hans"' in html
    assert "grading/application.js" in html  # the confirmations of the forms work


def test_the_leader_sees_every_sheet_and_the_consolidation(personas, scored, login):
    application, review, seats, _overlap = scored
    html = _get(login(_user(seats[0])), "scoring", application).content.decode()
    for shown in ("my-sheet", "member-sheets", "consolidation", "finalise", "assignments"):
        assert f'data-testid="{shown}"' in html, shown
    assert html.count('data-testid="member-sheet-row"') == len(seats)
    for seat in seats:
        assert reverse("standards:sheet_detail", args=[seat.sheet_id]) in html
    assert html.count('data-testid="assignment-row"') == application.standard.items.count()
    # Nothing handed in yet: consolidating and finalising wait, and the page says why.
    assert 'data-testid="scoring-blockers"' in html
    assert _disabled(html, "consolidate") and _disabled(html, "finalise-submit")
    assert 'data-testid="progress-sheets">0/5<' in html
    assert 'data-testid="ratings"' not in html and 'data-testid="fail-decision"' not in html


def test_the_city_officer_follows_the_sheets_but_does_not_consolidate(personas, scored, login):
    application, review, seats, _overlap = scored
    html = _get(login(personas.city_officer), "scoring", application).content.decode()
    assert html.count('data-testid="member-sheet-row"') == len(seats)
    assert 'data-testid="scoring-blockers"' in html  # the city reads what is still missing
    for hidden in ("my-sheet", "consolidation", "finalise-submit", "assignments", "ratings", "review-result"):
        assert f'data-testid="{hidden}"' not in html, hidden
    # The city reads a member's sheet from there.
    assert (
        login(personas.city_officer)
        .get(reverse("standards:sheet_detail", args=[seats[1].sheet_id]))
        .status_code
        == 200
    )


def test_the_case_page_shows_the_scoring_card_to_the_panel_and_the_city(personas, scored, login):
    application, review, seats, _overlap = scored
    url = reverse("grading:detail", args=[application.pk])
    for user in (_user(seats[0]), _user(seats[1]), personas.city_officer):
        html = login(user).get(url).content.decode()
        assert 'data-testid="scoring-card"' in html, user
        assert reverse("reviews:scoring", args=[application.pk]) in html
        assert 'data-testid="review-result"' not in html
    member_html = login(_user(seats[1])).get(url).content.decode()
    assert 'data-testid="card-my-sheet"' in member_html
    assert 'data-testid="card-sheets"' not in member_html  # a member does not follow the others
    city_html = login(personas.city_officer).get(url).content.decode()
    assert city_html.count('data-testid="card-sheet"') == len(seats)
    for user in (personas.enterprise_principal, personas.county_officer):
        page = login(user).get(url)
        assert page.status_code == 200
        assert 'data-testid="scoring-card"' not in page.content.decode()


# --- 3. The member's sheet on the standards scoring page --------------------------------------


def test_a_members_sheet_shows_the_case_and_marks_his_items(personas, scored, login):
    application, review, seats, _overlap = scored
    member, other = seats[1], seats[2]
    mine = set(_assigned(review, member))
    url = reverse("standards:sheet_detail", args=[member.sheet_id])
    html = login(_user(member)).get(url).content.decode()
    assert 'data-testid="sheet-case"' in html
    assert reverse("reviews:scoring", args=[application.pk]) in html
    assert application.number in html
    assert 'data-testid="filter-mine"' in html
    marked = {
        chunk.split('data-code="')[1].split('"')[0]
        for chunk in html.split("<article ")[1:]
        if 'data-mine="1"' in chunk.split(">")[0]
    }
    assert marked == mine
    # Blind scoring: another member does not read it at all.
    assert login(_user(other)).get(url).status_code == 404
    # The leader reads it, but nothing on it is "his".
    leader_html = login(_user(seats[0])).get(url).content.decode()
    assert 'data-testid="sheet-case"' in leader_html
    assert 'data-mine="1"' not in leader_html and 'data-testid="filter-mine"' not in leader_html


# --- 4. The forms, through the pages -----------------------------------------------------------


def test_the_leader_reassigns_and_a_member_hands_in_and_gets_his_sheet_back(personas, scored, login):
    application, review, seats, _overlap = scored
    leader, member = seats[0], seats[1]
    code = _assigned(review, leader)[-1]
    client = login(_user(leader))
    response = _post(
        client, reverse("reviews:assign", args=[application.pk]), {"code": code, "member": member.member_id}
    )
    assert response.status_code == 302
    row = ItemAssignment.objects.get(review=review, item__code=code)
    assert row.member_id == member.member_id and row.by_hand
    # A member of no panel of this case cannot be handed an item.
    response = _post(client, reverse("reviews:assign", args=[application.pk]), {"code": code, "member": 0})
    assert _errors(response)
    response = _post(client, reverse("reviews:assign", args=[application.pk]), {"code": code, "member": "x"})
    assert response.status_code == 302 and _errors(response)  # not a server error
    assert ItemAssignment.objects.get(pk=row.pk).member_id == member.member_id

    client = login(_user(member))
    page = _get(client, "scoring", application).content.decode()
    mine = _assigned(review, member)
    assert f'data-assigned="{len(mine)}"' in page  # the reassigned item counts
    sheet_page = client.get(reverse("standards:sheet_detail", args=[member.sheet_id])).content.decode()
    assert f'data-code="{code}" data-mine="1"' in sheet_page
    # He scored his first item only: the page counts the rest, and handing in is refused.
    unscored = len(mine) - 1
    assert _unscored_shown(page) == unscored
    assert 'data-testid="my-sheet-conforming"' in page
    response = _post(client, reverse("reviews:sheet_submit", args=[application.pk]))
    assert response.status_code == 302
    (error,) = _errors(response)
    # The count and the first codes, the reassigned item among them where it falls in order.
    assert re.findall(r"\d+(?:\.\d+)+", error) == unscored_assigned(member)[:10]
    assert str(unscored) in re.findall(r"(?<![\d.])\d+(?![\d.])", error)
    assert code in unscored_assigned(member)
    member.refresh_from_db()
    assert member.submitted_at is None

    # He records the rest as conforming, after the confirmation dialog of the form.
    conforming = reverse("reviews:sheet_conforming", args=[application.pk])
    form = page.split(f'action="{conforming}"', 1)[1].split(">", 1)[0]
    assert 'data-confirm="' in form and str(unscored) in form.split('data-confirm="', 1)[1]
    response = _post(client, conforming)
    assert response.status_code == 302 and not _errors(response)
    assert response["Location"].endswith(reverse("reviews:scoring", args=[application.pk]))
    assert set(member.sheet.entries.values_list("item__code", flat=True)) >= set(mine)
    assert member.sheet.entries.filter(deductions__isnull=True).count() == unscored
    page = _get(client, "scoring", application).content.decode()
    assert 'data-testid="my-unscored"' not in page and 'data-testid="my-sheet-conforming"' not in page
    response = _post(client, conforming)  # a second click (a stale page): nothing left, no error
    assert response.status_code == 302 and not _errors(response)
    assert AuditEvent.objects.filter(action="review.sheet_conforming").count() == 1

    response = _post(client, reverse("reviews:sheet_submit", args=[application.pk]))
    assert response.status_code == 302 and not _errors(response)
    member.refresh_from_db()
    assert member.submitted_at is not None
    assert ScoreSheet.objects.get(pk=member.sheet_id).status == ScoreSheet.Status.SUBMITTED
    response = _post(client, reverse("reviews:sheet_submit", args=[application.pk]))
    assert not _errors(response)  # a second click changes nothing
    page = _get(client, "scoring", application).content.decode()
    assert 'data-testid="my-sheet-submit"' not in page and 'data-testid="my-sheet-conforming"' not in page
    assert _errors(_post(client, conforming))  # handed in: nothing more is recorded

    client = login(_user(leader))
    reopen = reverse("reviews:sheet_reopen", args=[application.pk, member.pk])
    response = _post(client, reopen, {"reason": ""})
    assert _errors(response)
    member.refresh_from_db()
    assert member.submitted_at is not None
    response = _post(client, reopen, {"reason": "请补充7.1.1的证据"})
    assert response.status_code == 302 and not _errors(response)
    member.refresh_from_db()
    assert member.submitted_at is None
    assert ScoreSheet.objects.get(pk=member.sheet_id).status == ScoreSheet.Status.DRAFT
    # Another application's sheet is not reopened through this one.
    assert _post(client, reverse("reviews:sheet_reopen", args=[application.pk, 999999])).status_code == 404


def test_the_leader_consolidates_gives_reasons_and_finalises_then_the_city_rates(personas, scored, login):
    application, review, seats, overlapping = scored
    _submit(seats)
    leader = login(_user(seats[0]))
    response = _post(leader, reverse("reviews:consolidate", args=[application.pk]))
    assert response.status_code == 302 and not _errors(response)
    review.refresh_from_db()
    assert review.panel_sheet_id is not None
    html = _get(leader, "scoring", application).content.decode()
    assert 'data-testid="panel-sheet-open"' in html
    codes = [need.code for need in reasons_needed(review)]
    assert set(overlapping) <= set(codes)
    assert html.count('data-testid="divergence"') == len(codes)
    assert not _disabled(html, "consolidate") and _disabled(html, "finalise-submit")  # reasons owed
    # A refused finalisation changes nothing.
    response = _post(leader, reverse("reviews:finalise", args=[application.pk]))
    assert _errors(response)
    review.refresh_from_db()
    assert review.finalised_at is None

    data = {"code": codes, "reason": ["以组长复核为准"] * len(codes)}
    response = _post(leader, reverse("reviews:reason", args=[application.pk]), data)
    assert response.status_code == 302 and not _errors(response)
    assert set(ConsolidationReason.objects.values_list("item__code", flat=True)) == set(codes)
    # A reason for an item outside the standard is refused, and none of that post is kept.
    bad = {"code": [codes[0], "99.9.9"], "reason": ["改过的理由", "x"]}
    assert _errors(_post(leader, reverse("reviews:reason", args=[application.pk]), bad))
    assert ConsolidationReason.objects.get(item__code=codes[0]).reason == "以组长复核为准"

    html = _get(leader, "scoring", application).content.decode()
    assert 'data-testid="scoring-blockers"' not in html
    assert not _disabled(html, "finalise-submit")
    response = _post(leader, reverse("reviews:finalise", args=[application.pk]), {"comment": "评审完成"})
    assert response.status_code == 302 and not _errors(response)
    application.refresh_from_db()
    review.refresh_from_db()
    assert review.finalised_at is not None and review.conclusion == "pass"
    assert application.status == Status.RECTIFYING  # deductions: nonconformities to rectify

    # The city officer rates each member, once per application.
    city = login(personas.city_officer)
    html = _get(city, "scoring", application).content.decode()
    assert 'data-testid="review-result"' in html
    assert html.count('data-testid="rate-form"') == len(seats)
    target = seats[1].member
    rate = reverse("reviews:rate", args=[application.pk, target.pk])
    assert _errors(_post(city, rate, {**RATING, "ethics": "101"}))
    assert not ExpertRating.objects.exists()
    response = _post(city, rate, RATING)
    assert response.status_code == 302 and not _errors(response)
    rating = ExpertRating.objects.get()
    assert rating.expert_id == target.expert_id and rating.application_id == application.pk
    assert (rating.professional, rating.discipline, rating.ethics, rating.integrity) == (90, 88, 95, 92)
    response = _post(city, rate, {**RATING, "professional": "60"})
    assert _errors(response)  # already rated for this application
    assert ExpertRating.objects.count() == 1
    html = _get(city, "scoring", application).content.decode()
    assert html.count('data-testid="rate-form"') == len(seats) - 1
    assert 'data-testid="rated"' in html
    # A seat of another panel is not rated through this case.
    assert _post(city, reverse("reviews:rate", args=[application.pk, 999999]), RATING).status_code == 404


# --- 5. After finalisation ---------------------------------------------------------------------


def test_after_finalisation_everyone_on_the_case_reads_the_result(personas, finalised, login):
    application, review, seats = finalised
    detail = reverse("grading:detail", args=[application.pk])
    panel_sheet = reverse("standards:sheet_detail", args=[review.panel_sheet_id])
    for user in (personas.enterprise_principal, personas.county_officer, _user(seats[1]), _user(seats[0])):
        html = login(user).get(detail).content.decode()
        assert 'data-testid="scoring-card"' in html and 'data-testid="review-result"' in html, user
        page = login(user).get(reverse("reviews:scoring", args=[application.pk])).content.decode()
        assert 'data-testid="review-result"' in page
        assert f'href="{panel_sheet}"' in page
        for hidden in ("consolidation", "finalise", "assignments", "my-sheet-submit", "ratings"):
            assert f'data-testid="{hidden}"' not in page, (user, hidden)
        assert login(user).get(panel_sheet).status_code == 200
    enterprise = login(personas.enterprise_principal)
    page = enterprise.get(reverse("reviews:scoring", args=[application.pk])).content.decode()
    assert 'data-testid="member-sheets"' not in page and 'data-testid="my-sheet"' not in page
    assert str(review.earned) in page
    # The members' own sheets stay the panel's.
    assert enterprise.get(reverse("standards:sheet_detail", args=[seats[1].sheet_id])).status_code == 404


def test_a_failed_review_waits_for_the_chiefs_decision(personas, scored, login):
    application, review, seats, _overlap = scored
    _submit(seats)
    leader = _user(seats[0])
    consolidation_build(actor=leader, review=review)
    review.refresh_from_db()
    # The leader deducts every point of the panel sheet: far below the threshold.
    items = list(application.standard.items.values_list("code", "points"))
    sheet_entries_save(
        actor=leader,
        sheet=review.panel_sheet,
        entries=[_deduct(code, str(points), "不符合") for code, points in items],
    )
    _consolidate_reasons = [need.code for need in reasons_needed(review)]
    data = {"code": _consolidate_reasons, "reason": ["现场复核"] * len(_consolidate_reasons)}
    _post(login(leader), reverse("reviews:reason", args=[application.pk]), data)
    _post(login(leader), reverse("reviews:finalise", args=[application.pk]))
    application.refresh_from_db()
    review.refresh_from_db()
    assert review.conclusion == "fail"
    assert application.status == Status.ON_SITE_REVIEW  # the chief decides

    assert 'data-testid="fail-decision"' not in _get(login(personas.city_officer), "scoring", application)
    chief = login(personas.city_chief)
    html = _get(chief, "scoring", application).content.decode()
    assert 'data-testid="fail-decision"' in html and 'data-testid="review-result"' in html
    assert _errors(_post(chief, reverse("reviews:fail", args=[application.pk]), {"reason": " "}))
    application.refresh_from_db()
    assert application.status == Status.ON_SITE_REVIEW
    response = _post(chief, reverse("reviews:fail", args=[application.pk]), {"reason": "得分率低于60%"})
    assert response.status_code == 302
    assert response["Location"] == reverse("grading:detail", args=[application.pk])
    application.refresh_from_db()
    assert application.status == Status.NOT_PASSED
    assert 'data-testid="fail-decision"' not in _get(chief, "scoring", application).content.decode()


# --- 6. Query count ------------------------------------------------------------------------------


# The page reads each member's sheet a fixed number of times, whatever is on it: the same limits
# hold for 1 and for 12 entries per member (and as many items needing a reason).
LIMIT_SCORING, LIMIT_CONSOLIDATED, LIMIT_MEMBER = 30, 70, 15


@pytest.mark.parametrize("entries", [1, 12])
def test_the_scoring_page_reads_in_bounded_queries(
    personas, on_site, login, django_assert_max_num_queries, entries
):
    application, _panel, review = on_site
    _sign_regulators(personas, review)
    seats = _seats(review)
    _score(review, seats, n=entries, overlap=entries)
    url = reverse("reviews:scoring", args=[application.pk])
    leader = login(_user(seats[0]))
    with django_assert_max_num_queries(LIMIT_SCORING):
        assert leader.get(url).status_code == 200
    _submit(seats)
    consolidation_build(actor=_user(seats[0]), review=review)
    review.refresh_from_db()
    assert len(reasons_needed(review)) >= entries
    with django_assert_max_num_queries(LIMIT_CONSOLIDATED):
        page = leader.get(url)
    assert page.content.decode().count('data-testid="divergence"') >= entries
    city = login(personas.city_officer)
    with django_assert_max_num_queries(LIMIT_CONSOLIDATED):
        assert city.get(url).status_code == 200
    member = login(_user(seats[1]))
    with django_assert_max_num_queries(LIMIT_MEMBER):
        assert member.get(url).status_code == 200
