"""The county's pages: the preliminary review opinion (初审意见), its approval, the itemised return.

Each view gets its permission battery (outsiders 404, insiders without the right 403,
anonymous to the login page) and its behaviour through the real services.
"""

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from accounts.tests.battery import assert_redirects_to_login
from grading import services
from grading.models import (
    ApplicationTransition,
    CorrectionRequest,
    CountyOpinion,
    GeneratedDocument,
    OpinionStatus,
    OpinionTransition,
    Status,
)
from grading.tests.factories import advance, make_application

pytestmark = pytest.mark.django_db

# E11 is answered by the hazard ledger (rectification), so it is no longer confirmed by hand.
UNKNOWN_CODES = ("E2", "E3", "E4", "E6")

# Everyone but the county of the enterprise's division, on a case in county review.
OUTSIDERS_AND_OTHERS = [
    ("other_county_officer", 404),  # must not learn it exists
    ("expert", 404),
    ("other_enterprise_user", 404),
    ("enterprise_user", 403),
    ("enterprise_principal", 403),
    ("city_officer", 403),
    ("city_chief", 403),
    ("bureau_leader", 403),  # reads everything, writes nothing
    ("admin", 403),
    ("anonymous", 302),
]


@pytest.fixture
def case(personas):
    return advance(make_application(personas), personas, Status.COUNTY_REVIEW)


def _url(name: str, application, *args) -> str:
    return reverse(f"grading:{name}", args=[application.pk, *args])


def opinion_data(*, confirm=UNKNOWN_CODES, **overrides) -> dict:
    data = {
        "basic_info_check": "企业名称、地址、法定代表人与营业执照一致",
        "licence_check": "营业执照等证照齐全有效",
        "score_check": "自评得分复核无误",
        "site_check": "现场核查未见重大隐患",
        "problems": "",
        "conclusion": CountyOpinion.Conclusion.FORWARD,
        "reasons": "符合申请条件，同意上报",
        "round": "",
    }
    for code in UNKNOWN_CODES:
        data[f"note_{code}"] = "已核实" if code in confirm else ""
        if code in confirm:
            data[f"ok_{code}"] = "on"
    data.update(overrides)
    return data


def rows_data(rows: list[tuple[str, str, str]], total: int = 3) -> dict:
    data = {
        "items-TOTAL_FORMS": str(max(total, len(rows))),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for n, (subject, problem, fix) in enumerate(rows):
        data[f"items-{n}-subject"] = subject
        data[f"items-{n}-problem"] = problem
        data[f"items-{n}-fix"] = fix
    return data


def submitted_opinion(personas, application) -> CountyOpinion:
    services.county_opinion_save(
        actor=personas.county_officer,
        application=application,
        data={k: v for k, v in opinion_data().items() if not k.startswith(("ok_", "note_", "round"))}
        | {"condition_checks": {c: {"ok": True, "note": "已核实"} for c in UNKNOWN_CODES}},
    )
    opinion = services.current_county_opinion(application)
    services.county_opinion_submit(actor=personas.county_officer, opinion=opinion)
    return opinion


def _check_battery(login, personas, method: str, url: str, data: dict | None = None, others=None):
    for persona, expected in others or OUTSIDERS_AND_OTHERS:
        client = login(personas[persona])
        response = client.get(url) if method == "get" else client.post(url, data or {})
        if expected == 302:
            assert_redirects_to_login(response)
        else:
            assert response.status_code == expected, persona


# --- Permission batteries -------------------------------------------------------------------------


def test_opinion_page_access(login, personas, case):
    url = _url("county_opinion", case)
    _check_battery(login, personas, "get", url)
    for persona in ("county_officer", "county_chief"):
        response = login(personas[persona]).get(url)
        assert response.status_code == 200
        assert b'data-testid="county-opinion-form"' in response.content


def test_opinion_save_access(login, personas, case):
    url = _url("county_opinion", case)
    _check_battery(login, personas, "post", url, opinion_data())
    assert not CountyOpinion.objects.filter(application=case).exists()
    response = login(personas.county_officer).post(url, opinion_data())
    assert response.status_code == 302
    assert CountyOpinion.objects.filter(application=case).count() == 1


def test_opinion_submit_access(login, personas, case):
    url = _url("county_opinion_submit", case)
    _check_battery(login, personas, "post", url, opinion_data())
    assert not CountyOpinion.objects.filter(application=case).exists()
    assert login(personas.county_officer).post(url, opinion_data()).status_code == 302
    assert CountyOpinion.objects.get(application=case).status == OpinionStatus.SUBMITTED


@pytest.mark.parametrize("name", ["county_opinion_approve", "county_opinion_send_back"])
def test_chief_actions_access(login, personas, case, name):
    opinion = submitted_opinion(personas, case)
    url = _url(name, case)
    others = [*OUTSIDERS_AND_OTHERS, ("county_officer", 403)]  # approving is the chief's
    _check_battery(login, personas, "post", url, {"comment": "请补充现场核查情况"}, others)
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.SUBMITTED
    assert login(personas.county_chief).post(url, {"comment": "请补充现场核查情况"}).status_code == 302
    opinion.refresh_from_db()
    assert opinion.status != OpinionStatus.SUBMITTED


def test_return_page_access(login, personas, case):
    url = _url("county_return", case)
    _check_battery(login, personas, "get", url)
    data = rows_data([("营业执照", "扫描件不清晰", "重新上传")])
    _check_battery(login, personas, "post", url, data)
    case.refresh_from_db()
    assert case.status == Status.COUNTY_REVIEW
    for persona in ("county_officer", "county_chief"):
        assert login(personas[persona]).get(url).status_code == 200
    assert login(personas.county_chief).post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.COUNTY_RETURNED


@pytest.mark.parametrize(
    "name", ["county_opinion_submit", "county_opinion_approve", "county_opinion_send_back"]
)
def test_post_only_views_refuse_get(login, personas, case, name):
    assert login(personas.county_chief).get(_url(name, case)).status_code == 405


def test_enterprise_reads_its_detail_but_not_the_county_pages(login, personas, case):
    client = login(personas.enterprise_principal)
    assert client.get(_url("detail", case)).status_code == 200
    assert client.get(_url("county_opinion", case)).status_code == 403
    assert client.get(_url("county_return", case)).status_code == 403


def test_county_pages_after_the_case_left_the_county_alert_instead_of_acting(login, personas, case):
    services.county_opinion_approve(actor=personas.county_chief, opinion=submitted_opinion(personas, case))
    client = login(personas.county_officer)
    response = client.get(_url("county_opinion", case), follow=True)
    assert response.redirect_chain[-1][0] == _url("detail", case)
    assert any(m.level_tag == "error" for m in response.context["messages"])
    assert CountyOpinion.objects.filter(application=case).count() == 1


# --- Drafting and submitting the opinion -----------------------------------------------------------


def test_officer_drafts_the_opinion(login, personas, case):
    response = login(personas.county_officer).post(_url("county_opinion", case), opinion_data())
    assert response.status_code == 302
    assert response["Location"].startswith(_url("detail", case))
    opinion = CountyOpinion.objects.get(application=case)
    assert opinion.status == OpinionStatus.DRAFT
    assert opinion.round == 1
    assert opinion.drafted_by == personas.county_officer
    assert opinion.basic_info_check == "企业名称、地址、法定代表人与营业执照一致"
    assert opinion.condition_checks["E6"] == {"ok": True, "note": "已核实"}
    # The form comes back filled in, and the panel shows the draft.
    page = login(personas.county_officer).get(_url("county_opinion", case))
    assert "营业执照等证照齐全有效" in page.content.decode()
    detail = login(personas.county_officer).get(_url("detail", case)).content.decode()
    assert 'data-testid="county-panel"' in detail
    assert 'data-status="draft"' in detail


def test_a_tick_without_a_note_is_refused_and_nothing_saved(login, personas, case):
    data = opinion_data(note_E6="")
    response = login(personas.county_officer).post(_url("county_opinion", case), data)
    assert response.status_code == 200
    assert gettext("Say how this condition was verified.") in response.content.decode()
    assert not CountyOpinion.objects.filter(application=case).exists()


def test_submit_without_the_ticks_is_refused_naming_the_codes(login, personas, case):
    data = opinion_data(confirm=("E2", "E3", "E4"))
    response = login(personas.county_officer).post(_url("county_opinion_submit", case), data)
    assert response.status_code == 200
    expected = gettext("Confirm these conditions by hand first: %(codes)s.") % {"codes": "E6"}
    assert expected in response.content.decode()
    # The draft is kept (input and database), not submitted.
    opinion = CountyOpinion.objects.get(application=case)
    assert opinion.status == OpinionStatus.DRAFT
    assert response.context["form"]["basic_info_check"].value() == data["basic_info_check"]
    assert not OpinionTransition.objects.filter(county_opinion=opinion).exists()


def test_submit_from_the_panel_refused_shows_the_form_with_the_message(login, personas, case):
    services.county_opinion_save(
        actor=personas.county_officer,
        application=case,
        data={"basic_info_check": "属实", "conclusion": CountyOpinion.Conclusion.FORWARD},
    )
    response = login(personas.county_officer).post(_url("county_opinion_submit", case), {"round": "1"})
    assert response.status_code == 200
    content = response.content.decode()
    assert gettext("Fill in the basic information, licence and score checks first.") in content
    assert CountyOpinion.objects.get(application=case).status == OpinionStatus.DRAFT


def test_officer_submits_the_opinion_to_the_chief(login, personas, case):
    response = login(personas.county_officer).post(_url("county_opinion_submit", case), opinion_data())
    assert response.status_code == 302
    opinion = CountyOpinion.objects.get(application=case)
    assert opinion.status == OpinionStatus.SUBMITTED
    log = OpinionTransition.objects.get(county_opinion=opinion)
    assert (log.transition, log.actor) == ("submit_for_approval", personas.county_officer)
    # While it is with the chief, the form is closed.
    again = login(personas.county_officer).get(_url("county_opinion", case))
    assert again.status_code == 302


def test_opinion_with_return_conclusion_is_not_submitted(login, personas, case):
    data = opinion_data(conclusion=CountyOpinion.Conclusion.RETURN)
    response = login(personas.county_officer).post(_url("county_opinion_submit", case), data)
    assert response.status_code == 200
    assert response.context["form"].errors["conclusion"]
    assert CountyOpinion.objects.get(application=case).status == OpinionStatus.DRAFT


# --- The chief ----------------------------------------------------------------------------------


def test_chief_approves_and_the_case_goes_to_the_city(
    login, personas, case, django_capture_on_commit_callbacks
):
    opinion = submitted_opinion(personas, case)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(personas.county_chief).post(
            _url("county_opinion_approve", case), {"comment": "同意", "round": "1"}
        )
    assert response.status_code == 302
    case.refresh_from_db()
    opinion.refresh_from_db()
    assert case.status == Status.CITY_REVIEW
    assert opinion.status == OpinionStatus.APPROVED
    assert opinion.approved_by == personas.county_chief
    assert opinion.chief_comment == "同意"
    assert GeneratedDocument.objects.filter(
        application=case, kind=GeneratedDocument.Kind.COUNTY_OPINION
    ).exists()


def test_a_second_approval_click_makes_no_second_move(login, personas, case):
    submitted_opinion(personas, case)
    client = login(personas.county_chief)
    assert client.post(_url("county_opinion_approve", case), {"round": "1"}).status_code == 302
    response = client.post(_url("county_opinion_approve", case), {"round": "1"}, follow=True)
    assert response.status_code == 200
    assert any(m.level_tag == "error" for m in response.context["messages"])
    assert ApplicationTransition.objects.filter(application=case, transition="county_forward").count() == 1
    assert OpinionTransition.objects.filter(transition="approve").count() == 1


def test_chief_sends_back_with_a_comment_and_the_officer_edits_again(login, personas, case):
    opinion = submitted_opinion(personas, case)
    chief = login(personas.county_chief)
    refused = chief.post(_url("county_opinion_send_back", case), {"comment": "  "})
    assert refused.status_code == 200
    assert refused.context["form"].errors["comment"]
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.SUBMITTED

    sent = chief.post(_url("county_opinion_send_back", case), {"comment": "现场核查情况不具体"})
    assert sent.status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.SENT_BACK
    assert opinion.chief_comment == "现场核查情况不具体"

    officer = login(personas.county_officer)
    page = officer.get(_url("county_opinion", case))
    assert page.status_code == 200
    assert "现场核查情况不具体" in page.content.decode()
    data = opinion_data(site_check="现场核查了仓库、消防设施和叉车作业区")
    assert officer.post(_url("county_opinion_submit", case), data).status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.SUBMITTED
    assert opinion.site_check == "现场核查了仓库、消防设施和叉车作业区"


def test_a_stale_round_is_refused(login, personas, case):
    opinion = submitted_opinion(personas, case)
    response = login(personas.county_chief).post(_url("county_opinion_approve", case), {"round": "7"})
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.SUBMITTED


# --- Returning the file (一次性告知) ------------------------------------------------------------------


def test_return_page_starts_with_three_rows_and_adds_more(login, personas, case):
    client = login(personas.county_officer)
    page = client.get(_url("county_return", case))
    assert page.context["rows"].total_form_count() == 3
    data = rows_data([("营业执照", "扫描件不清晰", "重新上传")]) | {"more_rows": "1"}
    more = client.post(_url("county_return", case), data)
    assert more.status_code == 200
    assert more.context["rows"].total_form_count() == 6
    assert "扫描件不清晰" in more.content.decode()  # the input is kept
    case.refresh_from_db()
    assert case.status == Status.COUNTY_REVIEW


def test_return_with_no_rows_is_refused(login, personas, case):
    response = login(personas.county_officer).post(_url("county_return", case), rows_data([]))
    assert response.status_code == 200
    assert gettext("List every item to correct, all at once.") in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.COUNTY_REVIEW
    assert not CorrectionRequest.objects.filter(application=case).exists()


def test_return_with_an_incomplete_row_is_refused_keeping_the_input(login, personas, case):
    data = rows_data([("营业执照", "", "重新上传")]) | {"comment": "请按清单补正"}
    response = login(personas.county_officer).post(_url("county_return", case), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert gettext("Item %(n)s: give the item, the problem and what to fix.") % {"n": 1} in content
    assert "请按清单补正" in content
    case.refresh_from_db()
    assert case.status == Status.COUNTY_REVIEW


def test_return_with_two_rows(login, personas, case):
    data = rows_data(
        [
            ("营业执照", "扫描件不清晰", "重新上传清晰的营业执照"),
            ("内部公示证明", "缺少公示照片", "补充公示现场照片"),
        ]
    ) | {"comment": "请一次性补正以下问题"}
    response = login(personas.county_officer).post(_url("county_return", case), data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.COUNTY_RETURNED
    request = CorrectionRequest.objects.get(application=case)
    assert (request.stage, request.addressee) == ("county", "enterprise")
    assert request.note == "请一次性补正以下问题"
    assert list(request.items.values_list("seq", "subject")) == [(1, "营业执照"), (2, "内部公示证明")]


def test_htmx_posts_get_hx_redirect(login, personas, case):
    response = login(personas.county_officer).post(
        _url("county_opinion", case), opinion_data(), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(_url("detail", case))
