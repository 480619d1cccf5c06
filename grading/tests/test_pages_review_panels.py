"""The county and city panels of the case page, guidance, and checking answered correction items.

The panels are rendered from ``review_context`` with ``render_to_string`` (what the case page
includes) and through the case page itself.
"""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils.translation import gettext

from accounts.tests.battery import assert_redirects_to_login
from grading import services
from grading.models import CityDecision, CorrectionItem, CountyOpinion, Guidance, Status
from grading.tests.factories import advance, make_application
from grading.views.reviews import review_context

pytestmark = pytest.mark.django_db

CONFIRMED = {c: {"ok": True, "note": "已核实"} for c in ("E2", "E3", "E4", "E6", "E11")}
OPINION = {
    "basic_info_check": "基本情况属实",
    "licence_check": "证照齐全",
    "score_check": "得分复核无误",
    "site_check": "现场核查未见重大隐患",
    "conclusion": CountyOpinion.Conclusion.FORWARD,
    "reasons": "同意上报",
    "condition_checks": CONFIRMED,
}


def _url(name: str, application, *args) -> str:
    return reverse(f"grading:{name}", args=[application.pk, *args])


def panels(user, application) -> tuple[str, str]:
    request = RequestFactory().get("/")
    request.user = user
    context = {"application": application, **review_context(request, application)}
    return (
        render_to_string("grading/_county_panel.html", context, request=request),
        render_to_string("grading/_city_panel.html", context, request=request),
    )


@pytest.fixture
def county_case(personas):
    return advance(make_application(personas), personas, Status.COUNTY_REVIEW)


def draft_opinion(personas, application) -> CountyOpinion:
    return services.county_opinion_save(actor=personas.county_officer, application=application, data=OPINION)


# --- Who sees what --------------------------------------------------------------------------------


def test_county_panel_for_the_officer_the_chief_and_the_others(personas, county_case):
    opinion = draft_opinion(personas, county_case)
    county, city = panels(personas.county_officer, county_case)
    assert 'data-testid="county-panel"' in county
    assert "基本情况属实" in county
    assert 'data-testid="county-opinion-edit"' in county
    assert 'data-testid="county-opinion-submit"' in county
    assert 'data-testid="county-return"' in county
    assert 'data-testid="guidance-form"' in county
    assert 'data-testid="county-opinion-approve"' not in county
    assert city.strip() == ""

    services.county_opinion_submit(actor=personas.county_officer, opinion=opinion)
    county, _city = panels(personas.county_chief, county_case)
    assert 'data-status="submitted"' in county
    assert 'data-testid="county-opinion-approve"' in county
    assert 'data-testid="county-opinion-send-back"' in county
    assert 'data-testid="county-opinion-edit"' not in county  # with the chief, it is not edited

    # The bureau leader reads the draft, with no buttons; the enterprise and the city see nothing yet.
    county, _city = panels(personas.bureau_leader, county_case)
    assert "基本情况属实" in county
    assert "<form" not in county and 'data-testid="county-return"' not in county
    for persona in ("enterprise_user", "enterprise_principal", "city_officer", "city_chief"):
        county, _city = panels(personas[persona], county_case)
        assert "基本情况属实" not in county, persona


def test_enterprise_sees_the_opinion_once_approved(personas, county_case, login):
    opinion = draft_opinion(personas, county_case)
    services.county_opinion_submit(actor=personas.county_officer, opinion=opinion)
    services.county_opinion_send_back(
        actor=personas.county_chief, opinion=opinion, comment="内部意见：再核实"
    )
    services.county_opinion_submit(actor=personas.county_officer, opinion=opinion)
    services.county_opinion_approve(actor=personas.county_chief, opinion=opinion)
    county_case.refresh_from_db()

    county, city = panels(personas.enterprise_user, county_case)
    assert 'data-testid="county-history"' in county
    assert "基本情况属实" in county
    assert "内部意见：再核实" not in county  # the county's internal flow stays internal
    assert "<form" not in county
    assert city.strip() == ""
    # The page itself renders for the enterprise with the panel.
    page = login(personas.enterprise_user).get(_url("detail", county_case)).content.decode()
    assert 'data-testid="county-panel"' in page

    # The city reads the approved opinion and gets its own card with the package.
    county, city = panels(personas.city_officer, county_case)
    assert "基本情况属实" in county
    assert 'data-testid="city-panel"' in city
    assert 'data-testid="city-package"' in city
    assert 'data-testid="city-decision-edit"' in city


def test_enterprise_never_sees_the_city_proposal_before_approval(personas):
    application = advance(make_application(personas), personas, Status.CITY_REVIEW)
    services.city_decision_save(
        actor=personas.city_officer,
        application=application,
        data={
            "package_check": "内部核查记录",
            "proposal": CityDecision.Proposal.ACCEPT,
            "condition_checks": CONFIRMED,
        },
    )
    decision = services.current_city_decision(application)
    services.city_decision_submit(actor=personas.city_officer, decision=decision)
    for persona in ("enterprise_user", "county_officer"):
        _county, city = panels(personas[persona], application)
        assert "内部核查记录" not in city, persona
    _county, city = panels(personas.city_chief, application)
    assert "内部核查记录" in city
    assert 'data-testid="city-decision-approve"' in city
    assert 'data-testid="terminate-link"' in city
    _county, city = panels(personas.city_officer, application)
    assert 'data-testid="city-decision-approve"' not in city
    assert 'data-testid="terminate-link"' not in city
    _county, city = panels(personas.bureau_leader, application)
    assert "内部核查记录" in city and "<form" not in city

    services.city_decision_approve(actor=personas.city_chief, decision=decision)
    application.refresh_from_db()
    _county, city = panels(personas.enterprise_user, application)
    assert "内部核查记录" in city
    assert 'data-testid="city-history"' in city


def test_terminate_ban_months_come_from_the_parameter(personas, county_case):
    from regulation.selectors import param_int

    _county, city = panels(personas.city_chief, county_case)
    assert 'data-testid="terminate-link"' in city
    assert str(param_int("ban_false_commitment")) in city


# --- Guidance ---------------------------------------------------------------------------------------


def test_guidance_access(login, personas, county_case):
    url = _url("guidance_add", county_case)
    expected = [
        ("other_county_officer", 404),
        ("expert", 404),
        ("enterprise_user", 403),
        ("enterprise_principal", 403),
        ("bureau_leader", 403),
        ("admin", 403),
    ]
    for persona, status in expected:
        assert login(personas[persona]).post(url, {"text": "请完善"}).status_code == status, persona
    assert_redirects_to_login(login(None).post(url, {"text": "请完善"}))
    assert not Guidance.objects.exists()
    for persona in ("county_officer", "county_chief", "city_officer", "city_chief"):
        assert login(personas[persona]).get(url).status_code == 200, persona


def test_guidance_is_written_and_the_enterprise_reads_it(login, personas, county_case):
    client = login(personas.county_officer)
    refused = client.post(_url("guidance_add", county_case), {"text": "   "})
    assert refused.status_code == 200
    assert refused.context["form"].errors["text"]
    response = client.post(_url("guidance_add", county_case), {"text": "请补充特种作业人员持证清单"})
    assert response.status_code == 302
    assert Guidance.objects.get().author == personas.county_officer
    page = login(personas.enterprise_user).get(_url("detail", county_case)).content.decode()
    assert "请补充特种作业人员持证清单" in page


# --- Checking answered correction items -------------------------------------------------------------


@pytest.fixture
def resubmitted(personas):
    """Returned by the county with one item, answered and resubmitted by the enterprise."""
    application = advance(make_application(personas), personas, Status.COUNTY_RETURNED)
    item = CorrectionItem.objects.get(request__application=application)
    services.correction_answer(actor=personas.enterprise_user, item=item, answer="已重新上传清晰扫描件")
    services.application_county_resubmit(actor=personas.enterprise_principal, application=application)
    application.refresh_from_db()
    assert application.status == Status.COUNTY_REVIEW
    return application, item


def test_correction_check_access(login, personas, resubmitted):
    application, item = resubmitted
    url = _url("correction_check", application, item.pk)
    expected = [
        ("other_county_officer", 404),
        ("expert", 404),
        ("enterprise_user", 403),
        ("enterprise_principal", 403),
        ("city_officer", 403),
        ("city_chief", 403),
        ("bureau_leader", 403),
        ("admin", 403),
    ]
    for persona, status in expected:
        assert login(personas[persona]).post(url, {"accepted": "1"}).status_code == status, persona
    assert_redirects_to_login(login(None).post(url, {"accepted": "1"}))
    item.refresh_from_db()
    assert item.state == CorrectionItem.State.ANSWERED
    assert login(personas.county_officer).get(url).status_code == 405
    # An item of another application is not found.
    assert (
        login(personas.county_officer).post(_url("correction_check", application, 999999)).status_code == 404
    )


def test_reviewer_accepts_or_reopens_an_answer(login, personas, resubmitted):
    application, item = resubmitted
    county, _city = panels(personas.county_officer, application)
    assert 'data-testid="item-accept"' in county
    client = login(personas.county_officer)
    assert client.post(_url("correction_check", application, item.pk), {"accepted": "1"}).status_code == 302
    item.refresh_from_db()
    assert (item.state, item.checked_by) == (CorrectionItem.State.ACCEPTED, personas.county_officer)

    assert client.post(_url("correction_check", application, item.pk), {"accepted": "0"}).status_code == 302
    item.refresh_from_db()
    assert item.state == CorrectionItem.State.REOPENED
    # A reopened item cannot be accepted before it is answered again: an alert, no change.
    response = client.post(_url("correction_check", application, item.pk), {"accepted": "1"}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert gettext("Only an answered item can be accepted.") in messages
    item.refresh_from_db()
    assert item.state == CorrectionItem.State.REOPENED
    # Other readers get no buttons.
    county, _city = panels(personas.bureau_leader, application)
    assert 'data-testid="item-accept"' not in county


def test_case_page_renders_both_panels_for_every_reader(login, personas):
    application = advance(make_application(personas), personas, Status.ACCEPTED)
    for persona in (
        "county_officer",
        "county_chief",
        "city_officer",
        "city_chief",
        "bureau_leader",
        "admin",
        "enterprise_user",
        "enterprise_principal",
    ):
        response = login(personas[persona]).get(_url("detail", application))
        assert response.status_code == 200, persona
        content = response.content.decode()
        assert 'data-testid="county-history"' in content, persona
        assert 'data-testid="city-history"' in content, persona
        assert 'data-testid="county-opinion-approve"' not in content
        assert 'data-testid="city-decision-approve"' not in content
