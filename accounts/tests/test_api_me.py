"""GET /api/v1/me: who the API thinks the caller is."""

from accounts.tests.api_helpers import assert_error, bearer


def test_me_describes_the_caller(client, personas):
    user = personas.county_officer
    response = client.get("/api/v1/me", headers=bearer(user))
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "id": user.pk,
        "username": "county_officer",
        "full_name": user.full_name,
        "role": "county_officer",
        "role_label": body["role_label"],
        "organisation": {"id": user.organisation.pk, "name": "站前区应急管理局", "kind": "county_bureau"},
        "region": {"code": "210802", "name": "站前区"},
    }
    assert body["role_label"]  # the translated role name


def test_me_for_an_enterprise_user_names_the_enterprise_region(login, personas):
    body = login(personas.other_enterprise_user).get("/api/v1/me").json()
    assert body["organisation"]["kind"] == "enterprise"
    assert body["region"] == {"code": "210804", "name": "鲅鱼圈区"}


def test_me_anonymous_gets_401(client, db):
    assert_error(client.get("/api/v1/me"), 401, "unauthenticated")
