"""The revocation pages: the list (the city all, a county its division), one case with who
flagged it and its history, and the 科长's decision (reasons required, revoke or dismiss, two
clicks one decision)."""

import pytest
from django.urls import reverse

from results import services
from results.models import Announcement, Certificate, RevocationCase
from results.tests.factories import make_certificate, other_enterprise, persona_certificate
from results.tests.page_helpers import CITY_READERS, battery, html, readers, zh

pytestmark = pytest.mark.django_db

R = RevocationCase.Status
LIST = reverse("results:revocations")
STALE = "Someone else changed this case a moment ago; reload the page and try again."


def url(name: str, case) -> str:
    return reverse(f"results:{name}", args=[case.pk])


@pytest.fixture
def case(personas, results_clock):
    return services.revocation_flag(
        actor=personas.city_officer,
        certificate=persona_certificate(personas),
        ground="fraud",
        detail="申报材料中的安全培训记录系伪造",
    )


def test_every_revocation_page_is_scoped(login, personas, case):
    county = ("county_officer", "county_chief")
    failures = battery(
        login, personas, "get", LIST, readers((*CITY_READERS, *county, "other_county_officer"))
    )
    failures += battery(login, personas, "get", url("revocation", case), readers((*CITY_READERS, *county)))
    failures += battery(
        login,
        personas,
        "post",
        url("revocation_decide", case),
        {
            "city_chief": 200,
            "city_officer": 403,
            "bureau_leader": 403,
            "county_officer": 403,
            "county_chief": 403,
        },
    )
    assert failures == []
    case.refresh_from_db()
    assert case.status == R.FLAGGED


def test_a_county_lists_its_division_s_cases_only(login, personas, case):
    other = services.revocation_flag(
        actor=personas.city_officer,
        certificate=make_certificate(enterprise=other_enterprise(division="鲅鱼圈区")),
        ground="licence",
        detail="营业执照已吊销",
    )
    assert [c.pk for c in login(personas.county_officer).get(LIST).context["rows"]] == [case.pk]
    assert [c.pk for c in login(personas.other_county_officer).get(LIST).context["rows"]] == [other.pk]
    assert {c.pk for c in login(personas.bureau_leader).get(LIST).context["rows"]} == {case.pk, other.pk}
    assert login(personas.other_county_officer).get(url("revocation", case)).status_code == 404


def test_the_chief_revokes_with_the_reasons(login, personas, case):
    certificate = case.certificate
    system = RevocationCase.objects.create(
        certificate=certificate,
        ground="death",
        detail="2026-05-20 的事故造成 1 人死亡。",
        source="accident:1",
        flagged_by_system=True,
    )
    body = html(login(personas.county_officer).get(url("revocation", system)))
    assert zh("System") in body.split('data-testid="flagged-by"')[1][:200]
    assert "accident:1" in body
    body = html(login(personas.city_officer).get(url("revocation", case)))
    assert personas.city_officer.get_full_name() in body.split('data-testid="flagged-by"')[1][:200]
    assert 'data-testid="revocation-decide"' not in body  # the officer proposes, the chief decides
    chief = login(personas.city_chief)
    assert 'data-testid="revocation-decide"' in html(chief.get(url("revocation", case)))
    decide = url("revocation_decide", case)
    response = chief.post(decide, {"state": "flagged", "decision": "revoke", "reason": ""})
    assert response.status_code == 200 and zh("Give the reasons for the decision.") in html(response)
    assert response.context["form"]["decision"].value() == "revoke"
    response = chief.post(decide, {"state": "flagged", "decision": "revoke", "reason": "经查材料造假属实"})
    assert response.status_code == 302 and response["Location"] == url("revocation", case)
    case.refresh_from_db()
    system.refresh_from_db()
    certificate.refresh_from_db()
    assert case.status == R.REVOKED and case.decided_by == personas.city_chief and case.ban_until is not None
    assert system.status == R.DISMISSED  # the other open flag ends with the certificate
    assert certificate.status == Certificate.Status.REVOKED
    announcement = Announcement.objects.get(kind=Announcement.Kind.REVOCATION)
    assert case.announcement == announcement
    body = html(chief.get(url("revocation", case)))
    assert "经查材料造假属实" in body and announcement.document_number in body
    assert 'data-transition="revoke"' in body and 'data-testid="revocation-decide"' not in body
    # The second click: the message, one decision.
    response = chief.post(decide, {"state": "flagged", "decision": "dismiss", "reason": "撤回"})
    assert response.status_code == 200 and zh(STALE) in html(response)
    case.refresh_from_db()
    assert case.status == R.REVOKED and Announcement.objects.count() == 1


def test_the_chief_dismisses_a_flag_and_the_list_filters(
    login, personas, case, settings, django_assert_max_num_queries
):
    settings.LIST_PAGE_SIZE = 50
    chief = login(personas.city_chief)
    response = chief.post(
        url("revocation_decide", case),
        {"state": "flagged", "decision": "dismiss", "reason": "经核实情况不属实"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    case.certificate.refresh_from_db()
    assert case.status == R.DISMISSED and case.certificate.status == Certificate.Status.ACTIVE
    assert [c.pk for c in chief.get(LIST, {"status": "flagged"}).context["rows"]] == []
    assert [c.pk for c in chief.get(LIST, {"status": "dismissed"}).context["rows"]] == [case.pk]
    for i in range(6):
        services.revocation_flag(
            actor=personas.city_officer,
            certificate=make_certificate(enterprise=other_enterprise()),
            ground="social_impact",
            detail=f"事件{i}",
        )
    chief.get(LIST)
    with django_assert_max_num_queries(9):
        response = chief.get(LIST)
    assert html(response).count('data-testid="revocation-row"') == 7
