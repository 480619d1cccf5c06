"""GET /api/v1/dashboard/statistics/: the same figures, scope and filters as the page."""

import pytest

from accounts.services import api_token_create

URL = "/api/v1/dashboard/statistics/"

ACCESS = [
    ("anonymous", 401),
    ("enterprise_user", 404),
    ("enterprise_principal", 404),
    ("expert", 404),
    ("admin", 404),
    ("city_officer", 200),
    ("city_chief", 200),
    ("bureau_leader", 200),
    ("county_officer", 200),
    ("county_chief", 200),
]


@pytest.mark.parametrize(("persona", "status"), ACCESS)
def test_statistics_access(login, personas, persona, status):
    response = login(personas[persona]).get(URL)
    assert response.status_code == status
    if status != 200:
        assert set(response.json()) == {"code", "message", "details"}


def test_statistics_with_a_bearer_token(client, personas, applications):
    _token, secret = api_token_create(actor=personas.bureau_leader, user=personas.bureau_leader, name="报表")
    response = client.get(URL, headers={"authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert response.json()["pass_rate"]["rate"] == "66.7"


def test_statistics_for_the_city(login, personas, applications, certified):
    data = login(personas.city_officer).get(URL).json()
    assert set(data) == {
        "applications_by_stage",
        "applications_by_division",
        "applications_by_industry",
        "pass_rate",
        "score_distribution",
        "element_losses",
        "hazards_by_level",
        "hazards_by_division",
        "step_durations",
        "certificates_by_state",
        "accidents_by_year",
        "accidents_by_quarter",
        "before_after",
    }
    # applications (6) and the certificates' announced applications (6): 8 announced, 1 not passed.
    assert data["pass_rate"] == {"announced": 8, "not_passed": 1, "decided": 9, "rate": "88.9"}
    ba = data["before_after"]
    assert (ba["n"], ba["excluded"], ba["accidents_change"], ba["deaths_change"]) == (4, 1, "-25.0", "200.0")
    assert ba["rows"][0] == {
        "enterprise": "证三钢铁有限公司",
        "issued_on": "2022-01-10",
        "before_accidents": 0,
        "before_deaths": 0,
        "after_accidents": 1,
        "after_deaths": 1,
    }
    assert data["element_losses"][0]["points_lost"] == "4.0"
    assert {r["state"]: r["count"] for r in data["certificates_by_state"]}["expiring"] == 1
    steps = {r["status"]: r for r in data["step_durations"]}
    assert (steps["county_review"]["mean"], steps["county_review"]["outside"]) == ("6.0", 1)


def test_statistics_for_each_county(login, personas, applications, certified):
    county = login(personas.county_officer).get(URL).json()
    other = login(personas.other_county_officer).get(URL).json()
    assert [r["code"] for r in county["applications_by_division"]] == ["210802"]
    assert [r["code"] for r in other["applications_by_division"]] == ["210804"]
    assert county["before_after"]["n"] == 2 and county["before_after"]["deaths_change"] == "100.0"
    assert other["before_after"]["deaths_change"] is None
    assert {r["state"]: r["count"] for r in other["certificates_by_state"]} == {
        "active": 0,
        "expiring": 0,
        "expired": 1,
        "revoked": 1,
        "superseded": 0,
    }


def test_statistics_filters(login, personas, applications):
    client = login(personas.city_officer)
    assert client.get(URL, {"region": "210804"}).json()["pass_rate"]["decided"] == 1
    assert client.get(URL, {"year": 2025}).json()["pass_rate"]["rate"] == "50.0"
    assert client.get(URL, {"industry": "commerce_trade"}).json()["pass_rate"]["not_passed"] == 1
    # A county cannot widen its scope through the region parameter.
    assert login(personas.county_officer).get(URL, {"region": "210804"}).json()["pass_rate"]["decided"] == 0


@pytest.mark.parametrize(
    "params", [{"year": "abc"}, {"industry": "toys"}, {"region": "21-08"}, {"year": 20000}]
)
def test_statistics_refuses_bad_parameters(login, personas, params):
    response = login(personas.city_officer).get(URL, params)
    assert response.status_code == 422
    assert response.json()["code"]
