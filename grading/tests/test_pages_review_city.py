"""The city's pages: the re-review proposal (再审), the 科长's approval, and termination.

Each view gets its permission battery; the behaviour goes through the real services.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils.translation import gettext

from accounts.tests.battery import assert_redirects_to_login
from grading import services
from grading.models import (
    ApplicationTransition,
    CityDecision,
    CorrectionRequest,
    OpinionStatus,
    Status,
)
from grading.tests.factories import advance, make_application
from regulation.selectors import param_int

pytestmark = pytest.mark.django_db

# E11 is answered by the hazard ledger (rectification), so it is no longer confirmed by hand.
UNKNOWN_CODES = ("E2", "E3", "E4", "E6")

# Everyone but the city section, on a case in city review.
OUTSIDERS_AND_OTHERS = [
    ("other_county_officer", 404),  # must not learn it exists
    ("expert", 404),
    ("other_enterprise_user", 404),
    ("enterprise_user", 403),
    ("enterprise_principal", 403),
    ("county_officer", 403),
    ("county_chief", 403),
    ("bureau_leader", 403),  # reads everything, writes nothing
    ("admin", 403),
    ("anonymous", 302),
]


@pytest.fixture
def case(personas):
    return advance(make_application(personas), personas, Status.CITY_REVIEW)


def _url(name: str, application, *args) -> str:
    return reverse(f"grading:{name}", args=[application.pk, *args])


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


def decision_data(proposal=CityDecision.Proposal.ACCEPT, *, rows=(), confirm=UNKNOWN_CODES, **overrides):
    data = {
        "package_check": "自评报告、初审意见和附件齐全",
        "proposal": proposal,
        "reasons": "",
        "round": "",
        **rows_data(list(rows)),
    }
    for code in UNKNOWN_CODES:
        data[f"note_{code}"] = "复核无误" if code in confirm else ""
        if code in confirm:
            data[f"ok_{code}"] = "on"
    data.update(overrides)
    return data


def submitted_decision(personas, application, proposal=CityDecision.Proposal.ACCEPT, **data) -> CityDecision:
    services.city_decision_save(
        actor=personas.city_officer,
        application=application,
        data={
            "package_check": "材料齐全",
            "proposal": proposal,
            "condition_checks": {c: {"ok": True, "note": "复核无误"} for c in UNKNOWN_CODES},
            **data,
        },
    )
    decision = services.current_city_decision(application)
    services.city_decision_submit(actor=personas.city_officer, decision=decision)
    return decision


def _check_battery(login, personas, method: str, url: str, data: dict | None = None, others=None):
    for persona, expected in others or OUTSIDERS_AND_OTHERS:
        client = login(personas[persona])
        response = client.get(url) if method == "get" else client.post(url, data or {})
        if expected == 302:
            assert_redirects_to_login(response)
        else:
            assert response.status_code == expected, persona


# --- Permission batteries -------------------------------------------------------------------------


def test_decision_page_access(login, personas, case):
    url = _url("city_decision", case)
    _check_battery(login, personas, "get", url)
    for persona in ("city_officer", "city_chief"):
        response = login(personas[persona]).get(url)
        assert response.status_code == 200
        assert b'data-testid="city-decision-form"' in response.content


def test_decision_save_access(login, personas, case):
    url = _url("city_decision", case)
    _check_battery(login, personas, "post", url, decision_data())
    assert not CityDecision.objects.filter(application=case).exists()
    assert login(personas.city_officer).post(url, decision_data()).status_code == 302
    assert CityDecision.objects.get(application=case).status == OpinionStatus.DRAFT


def test_decision_submit_access(login, personas, case):
    url = _url("city_decision_submit", case)
    _check_battery(login, personas, "post", url, decision_data())
    assert not CityDecision.objects.filter(application=case).exists()
    assert login(personas.city_officer).post(url, decision_data()).status_code == 302
    assert CityDecision.objects.get(application=case).status == OpinionStatus.SUBMITTED


@pytest.mark.parametrize("name", ["city_decision_approve", "city_decision_send_back"])
def test_chief_actions_access(login, personas, case, name):
    decision = submitted_decision(personas, case)
    url = _url(name, case)
    others = [*OUTSIDERS_AND_OTHERS, ("city_officer", 403)]  # deciding is the 科长's
    _check_battery(login, personas, "post", url, {"comment": "请补充"}, others)
    decision.refresh_from_db()
    assert decision.status == OpinionStatus.SUBMITTED
    assert login(personas.city_chief).post(url, {"comment": "请补充"}).status_code == 302
    decision.refresh_from_db()
    assert decision.status != OpinionStatus.SUBMITTED


def test_terminate_access(login, personas, case):
    url = _url("terminate", case)
    others = [*OUTSIDERS_AND_OTHERS, ("city_officer", 403)]
    _check_battery(login, personas, "get", url, others=others)
    _check_battery(login, personas, "post", url, {"reason": "承诺不实"}, others)
    case.refresh_from_db()
    assert case.status == Status.CITY_REVIEW
    assert login(personas.city_chief).get(url).status_code == 200


@pytest.mark.parametrize("name", ["city_decision_submit", "city_decision_approve", "city_decision_send_back"])
def test_post_only_views_refuse_get(login, personas, case, name):
    assert login(personas.city_chief).get(_url(name, case)).status_code == 405


def test_city_acts_only_in_city_review(login, personas):
    application = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    response = login(personas.city_officer).post(_url("city_decision", application), decision_data())
    assert response.status_code == 302
    assert response["Location"] == _url("detail", application)
    assert not CityDecision.objects.filter(application=application).exists()


def test_enterprise_reads_its_detail_but_not_the_city_pages(login, personas, case):
    client = login(personas.enterprise_principal)
    assert client.get(_url("detail", case)).status_code == 200
    assert client.get(_url("city_decision", case)).status_code == 403
    assert client.get(_url("terminate", case)).status_code == 403


# --- The proposal and the 科长's decision --------------------------------------------------------


def test_accept_proposed_and_approved(login, personas, case):
    officer = login(personas.city_officer)
    page = officer.get(_url("city_decision", case))
    assert page.context["rows"].total_form_count() == 3
    assert page.context["county_opinion"] is not None  # the package includes the county's opinion
    assert officer.post(_url("city_decision_submit", case), decision_data()).status_code == 302
    decision = CityDecision.objects.get(application=case)
    assert decision.status == OpinionStatus.SUBMITTED
    assert decision.condition_checks["E6"] == {"ok": True, "note": "复核无误"}

    response = login(personas.city_chief).post(_url("city_decision_approve", case), {"round": "1"})
    assert response.status_code == 302
    case.refresh_from_db()
    decision.refresh_from_db()
    assert case.status == Status.ACCEPTED
    assert decision.status == OpinionStatus.APPROVED
    assert decision.approved_by == personas.city_chief


def test_accept_without_the_confirmations_is_refused(login, personas, case):
    data = decision_data(confirm=("E2", "E3", "E4"))
    response = login(personas.city_officer).post(_url("city_decision_submit", case), data)
    assert response.status_code == 200
    expected = gettext("Confirm these conditions by hand first: %(codes)s.") % {"codes": "E6"}
    assert expected in response.content.decode()
    assert CityDecision.objects.get(application=case).status == OpinionStatus.DRAFT


def test_not_accept_needs_reasons(login, personas, case):
    client = login(personas.city_officer)
    data = decision_data(CityDecision.Proposal.NOT_ACCEPT)
    refused = client.post(_url("city_decision_submit", case), data)
    assert refused.status_code == 200
    assert gettext("Give the reasons for not accepting; they go into the notice.") in refused.content.decode()
    assert CityDecision.objects.get(application=case).status == OpinionStatus.DRAFT

    data["reasons"] = "企业不属于工贸行业"
    assert client.post(_url("city_decision_submit", case), data).status_code == 302
    assert login(personas.city_chief).post(_url("city_decision_approve", case)).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.NOT_ACCEPTED
    assert case.closing_reason == "企业不属于工贸行业"


def test_return_to_the_enterprise_with_rows(login, personas, case):
    rows = [("自评报告", "未签字", "主要负责人签字后重新上传"), ("公示证明", "照片模糊", "重新拍照上传")]
    data = decision_data(CityDecision.Proposal.RETURN_ENTERPRISE, rows=rows, reasons="材料不完整")
    assert login(personas.city_officer).post(_url("city_decision_submit", case), data).status_code == 302
    assert login(personas.city_chief).post(_url("city_decision_approve", case)).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CITY_RETURNED
    request = CorrectionRequest.objects.get(application=case)
    assert (request.stage, request.addressee) == ("city", "enterprise")
    assert request.items.count() == 2


def test_return_without_rows_is_refused(login, personas, case):
    data = decision_data(CityDecision.Proposal.RETURN_ENTERPRISE, reasons="材料不完整")
    response = login(personas.city_officer).post(_url("city_decision_submit", case), data)
    assert response.status_code == 200
    assert gettext("List every item to correct, all at once.") in response.content.decode()


def test_more_rows_keeps_the_input(login, personas, case):
    data = decision_data(
        CityDecision.Proposal.RETURN_COUNTY, rows=[("初审意见", "未核实E11", "补充核实")], more_rows="1"
    )
    response = login(personas.city_officer).post(_url("city_decision", case), data)
    assert response.status_code == 200
    assert response.context["rows"].total_form_count() == 6
    assert "未核实E11" in response.content.decode()
    assert not CityDecision.objects.filter(application=case).exists()


def test_return_to_the_county_opens_a_new_opinion_round(login, personas, case):
    data = decision_data(
        CityDecision.Proposal.RETURN_COUNTY,
        rows=[("初审意见", "现场核查情况未填写", "补充现场核查情况")],
        reasons="初审意见不完整",
    )
    assert login(personas.city_officer).post(_url("city_decision_submit", case), data).status_code == 302
    assert login(personas.city_chief).post(_url("city_decision_approve", case)).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.COUNTY_REVIEW
    request = CorrectionRequest.objects.get(application=case)
    assert (request.stage, request.addressee) == ("city", "county")
    assert list(request.items.values_list("subject", flat=True)) == ["初审意见"]
    assert services.current_county_opinion(case) is None  # round 1 stays approved

    # The county sees the city's notice in its panel, answers it, and drafts round 2.
    officer = login(personas.county_officer)
    detail = officer.get(_url("detail", case)).content.decode()
    assert "现场核查情况未填写" in detail
    item = request.items.get()
    answered = officer.post(_url("county_correction_answer", case, item.pk), {"answer": "已补充现场核查情况"})
    assert answered.status_code == 302
    item.refresh_from_db()
    assert item.state == "answered"
    opinion_page = officer.get(_url("county_opinion", case))
    assert opinion_page.status_code == 200
    services.county_opinion_save(
        actor=personas.county_officer, application=case, data={"site_check": "已补充"}
    )
    assert services.current_county_opinion(case).round == 2


def test_county_answer_access(login, personas, case):
    data = decision_data(
        CityDecision.Proposal.RETURN_COUNTY, rows=[("初审意见", "缺现场核查", "补充")], reasons="不完整"
    )
    login(personas.city_officer).post(_url("city_decision_submit", case), data)
    login(personas.city_chief).post(_url("city_decision_approve", case))
    item = CorrectionRequest.objects.get(application=case).items.get()
    url = _url("county_correction_answer", case, item.pk)
    others = [
        ("other_county_officer", 404),
        ("expert", 404),
        ("enterprise_user", 403),
        ("enterprise_principal", 403),
        ("city_officer", 403),
        ("city_chief", 403),
        ("bureau_leader", 403),
        ("admin", 403),
        ("anonymous", 302),
    ]
    _check_battery(login, personas, "post", url, {"answer": "已补充"}, others)
    item.refresh_from_db()
    assert item.state == "open"
    refused = login(personas.county_chief).post(url, {"answer": " "})
    assert refused.status_code == 200
    assert refused.context["form"].errors["answer"]
    assert login(personas.county_chief).post(url, {"answer": "已补充"}).status_code == 302
    item.refresh_from_db()
    assert (item.state, item.answer) == ("answered", "已补充")


def test_chief_sends_the_proposal_back(login, personas, case):
    decision = submitted_decision(personas, case)
    chief = login(personas.city_chief)
    refused = chief.post(_url("city_decision_send_back", case), {"comment": ""})
    assert refused.status_code == 200
    assert refused.context["form"].errors["comment"]
    assert chief.post(_url("city_decision_send_back", case), {"comment": "补充核查记录"}).status_code == 302
    decision.refresh_from_db()
    assert decision.status == OpinionStatus.SENT_BACK
    page = login(personas.city_officer).get(_url("city_decision", case))
    assert page.status_code == 200
    assert "补充核查记录" in page.content.decode()


def test_a_second_approval_click_makes_no_second_move(login, personas, case):
    submitted_decision(personas, case)
    client = login(personas.city_chief)
    assert client.post(_url("city_decision_approve", case), {"round": "1"}).status_code == 302
    response = client.post(_url("city_decision_approve", case), {"round": "1"}, follow=True)
    assert any(m.level_tag == "error" for m in response.context["messages"])
    assert ApplicationTransition.objects.filter(application=case, transition="accept").count() == 1


# --- Termination for a false commitment ---------------------------------------------------------

BEIJING = ZoneInfo("Asia/Shanghai")


def test_terminate_needs_a_reason(login, personas, case):
    response = login(personas.city_chief).post(_url("terminate", case), {"reason": " "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    case.refresh_from_db()
    assert case.status == Status.CITY_REVIEW


def test_terminate_shows_the_ban_and_starts_it(login, personas):
    with time_machine.travel(datetime(2026, 6, 15, 10, 0, tzinfo=BEIJING), tick=False):
        case = advance(make_application(personas), personas, Status.CITY_REVIEW)
        client = login(personas.city_chief)
        page = client.get(_url("terminate", case))
        months = param_int("ban_false_commitment")
        assert months == 36
        assert page.context["intro"].count(str(months)) >= 1
        detail = client.get(_url("detail", case)).content.decode()
        assert 'data-testid="terminate-link"' in detail
        response = client.post(_url("terminate", case), {"reason": "隐瞒了2026年3月的一起死亡事故"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.TERMINATED_FALSE_COMMITMENT
    assert case.ban_until == date(2026, 6, 15) + relativedelta(months=36)
    assert case.closing_reason == "隐瞒了2026年3月的一起死亡事故"
    # A second click finds nothing to terminate.
    again = login(personas.city_chief).post(_url("terminate", case), {"reason": "再次"}, follow=True)
    assert any(m.level_tag == "error" for m in again.context["messages"])
    assert (
        ApplicationTransition.objects.filter(
            application=case, transition="terminate_false_commitment"
        ).count()
        == 1
    )
