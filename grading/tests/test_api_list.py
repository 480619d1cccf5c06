"""GET /api/v1/applications/: scoped like the list page, filtered, paginated in constant queries."""

import pytest

from accounts.tests.api_helpers import assert_error, bearer
from grading import services
from grading.models import GradingApplication, Status
from grading.tests.api_helpers import BASE, PERSONAS
from grading.tests.factories import advance, make_application
from standards.tests.factories import published_warehousing

pytestmark = pytest.mark.django_db


def other_application(personas) -> GradingApplication:
    """A draft of the other enterprise (鲅鱼圈区), started by its own user."""
    enterprise = personas.other_enterprise
    enterprise.gb4754_code = "5951"
    enterprise.industry = "commerce_trade"
    enterprise.save()
    return services.application_create(
        actor=personas.other_enterprise_user,
        enterprise=enterprise,
        standard=published_warehousing(personas.admin),
    )


def _numbers(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["number"] for item in response.json()["items"]}


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_list_is_scoped_for_every_role(client, personas, persona):
    own = make_application(personas)
    other = other_application(personas)
    sees = {
        "admin": {own, other},
        "city_officer": {own, other},
        "city_chief": {own, other},
        "bureau_leader": {own, other},
        "county_officer": {own},
        "county_chief": {own},
        "other_county_officer": {other},
        "enterprise_user": {own},
        "enterprise_principal": {own},
        "other_enterprise_user": {other},
        "expert": set(),
    }[persona]
    response = client.get(BASE, headers=bearer(personas[persona]))
    assert _numbers(response) == {a.number for a in sees}
    assert response.json()["count"] == len(sees)


def test_anonymous_gets_401(client, personas):
    make_application(personas)
    assert_error(client.get(BASE), 401, "unauthenticated")


def test_items_carry_the_row_fields(login, personas):
    application = make_application(personas)
    body = login(personas.county_officer).get(BASE).json()
    item = body["items"][0]
    assert item["number"] == application.number
    assert item["enterprise"] == {
        "id": personas.enterprise.pk,
        "name": "营口站前测试机械有限公司",
        "uscc": personas.enterprise.uscc,
        "region": "站前区",
    }
    assert (item["status"], item["kind"], item["grade_level"]) == ("draft", "initial", 3)
    assert item["standard"]["code"] == "CCWL"
    assert item["due_on"] is None and item["overdue"] is False
    assert "self_sheet" not in item and "team" not in item  # the detail's fields stay on the detail


def test_filters(login, personas):
    own = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    other = other_application(personas)
    client = login(personas.city_officer)
    assert _numbers(client.get(BASE, {"status": "county_review"})) == {own.number}
    assert _numbers(client.get(BASE, {"status": "draft"})) == {other.number}
    assert _numbers(client.get(BASE, {"region": personas.other_enterprise.region_id})) == {other.number}
    assert _numbers(client.get(BASE, {"q": "鲅鱼圈"})) == {other.number}
    assert _numbers(client.get(BASE, {"q": own.number})) == {own.number}
    assert _numbers(client.get(BASE, {"overdue": "true"})) == set()
    GradingApplication.objects.filter(pk=own.pk).update(timer_due_on=own.timer_due_on.replace(year=2020))
    assert _numbers(client.get(BASE, {"overdue": "true"})) == {own.number}
    assert_error(client.get(BASE, {"status": "flying"}), 422, "invalid")


def test_open_only_leaves_out_closed_cases(login, personas):
    closed = make_application(personas)
    services.application_withdraw(actor=personas.enterprise_principal, application=closed, reason="暂不申请")
    current = make_application(personas)
    client = login(personas.enterprise_user)
    assert _numbers(client.get(BASE)) == {closed.number, current.number}
    assert _numbers(client.get(BASE, {"open_only": "true"})) == {current.number}


def _many(personas, count: int) -> list[GradingApplication]:
    """``count`` applications of the persona enterprise: all withdrawn but the last."""
    made = []
    for n in range(count):
        application = make_application(personas)
        if n < count - 1:
            services.application_withdraw(
                actor=personas.enterprise_principal, application=application, reason="重新申请"
            )
        made.append(application)
    return made


def test_pagination(login, personas):
    made = _many(personas, 5)
    client = login(personas.county_officer)
    first = client.get(BASE, {"limit": 2}).json()
    assert first["count"] == 5
    assert [i["number"] for i in first["items"]] == [made[4].number, made[3].number]
    last = client.get(BASE, {"limit": 2, "offset": 4}).json()
    assert [i["number"] for i in last["items"]] == [made[0].number]
    assert_error(client.get(BASE, {"limit": 201}), 422, "invalid")


@pytest.mark.parametrize("count", [2, 12])
def test_list_query_count_does_not_grow(client, personas, django_assert_max_num_queries, count):
    _many(personas, count)
    headers = bearer(personas.county_officer)
    with django_assert_max_num_queries(6):
        response = client.get(BASE, headers=headers)
    assert len(response.json()["items"]) == count
