"""The result card on the grading case page and the 科长's "decide: not passed"."""

import pytest
from django.urls import reverse

from grading.models import GradingApplication, Status
from results.tests.factories import file_objection, make_certificate, make_result_ready
from results.tests.page_helpers import battery, html, zh

pytestmark = pytest.mark.django_db

STALE = "Someone else changed this case a moment ago; reload the page and try again."
SEEING = (
    "admin",
    "city_officer",
    "city_chief",
    "bureau_leader",
    "county_officer",
    "county_chief",
    "enterprise_user",
    "enterprise_principal",
)


@pytest.fixture
def application(personas, results_clock):
    """The persona enterprise's application at result confirmation (written directly: cheap)."""
    return make_result_ready(personas, enterprise=personas.enterprise)


def detail(application) -> str:
    return reverse("grading:detail", args=[application.pk])


def test_the_fail_page_is_the_chief_s(login, personas, application):
    fail = reverse("results:result_fail", args=[application.pk])
    expected = {name: 403 for name in SEEING}
    expected["city_chief"] = 200
    failures = battery(login, personas, "get", fail, expected)
    failures += battery(login, personas, "post", fail, expected)  # empty: the reason is asked for
    assert failures == []
    application.refresh_from_db()
    assert application.status == Status.RESULT_CONFIRMATION


def test_the_card_shows_the_state_and_the_chief_decides_not_passed(login, personas, application):
    body = html(login(personas.city_officer).get(detail(application)))
    card = body.split('data-testid="result-card"')[1]
    assert 'data-testid="card-no-batch"' in card and reverse("results:batch_create") in card
    assert 'data-testid="card-result-fail"' not in card
    body = html(login(personas.enterprise_user).get(detail(application)))
    assert 'data-testid="result-card"' in body and reverse("results:batch_create") not in body
    chief = login(personas.city_chief)
    assert 'data-testid="card-result-fail"' in html(chief.get(detail(application)))
    fail = reverse("results:result_fail", args=[application.pk])
    # Refused: the reasons are required; the page says so and keeps the move's form.
    response = chief.post(fail, {"fail-state": "result_confirmation", "fail-reason": ""})
    assert response.status_code == 200 and zh("Give the reasons for the decision.") in html(response)
    response = chief.post(
        fail, {"fail-state": "result_confirmation", "fail-reason": "异议成立，现场得分不实"}
    )
    assert response.status_code == 302 and response["Location"] == detail(application)
    application.refresh_from_db()
    assert application.status == Status.NOT_PASSED and application.closing_reason == "异议成立，现场得分不实"
    assert application.ban_until is not None
    # The second click: the message, nothing more.
    response = chief.post(fail, {"fail-state": "result_confirmation", "fail-reason": "再次"})
    assert response.status_code == 200 and zh(STALE) in html(response)
    # Not passed: the card is gone.
    assert 'data-testid="result-card"' not in html(chief.get(detail(application)))


def test_the_card_shows_the_publicity_and_the_certificate(login, personas, published, media):
    batch, application = published
    file_objection(batch.entries.get())
    body = html(login(personas.city_officer).get(detail(application)))
    card = body.split('data-testid="result-card"')[1]
    assert reverse("results:batch", args=[batch.pk]) in card
    assert batch.ends_on.isoformat() in card
    assert "1" in card.split('data-testid="card-objections">')[1].split("</a>")[0]
    body = html(login(personas.enterprise_user).get(detail(application)))
    card = body.split('data-testid="result-card"')[1]
    assert batch.number in card and reverse("results:batch", args=[batch.pk]) not in card
    assert 'data-testid="card-objections"' not in card
    # Announced: the card links the certificate for those who may read it.
    GradingApplication.objects.filter(pk=application.pk).update(status=Status.ANNOUNCED)
    certificate = make_certificate(enterprise=application.enterprise, application=application)
    for name in ("enterprise_user", "county_officer", "bureau_leader"):
        card = html(login(personas[name]).get(detail(application))).split('data-testid="result-card"')[1]
        assert reverse("results:certificate", args=[certificate.pk]) in card, name
