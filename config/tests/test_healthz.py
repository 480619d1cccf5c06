"""The health check: JSON, anonymous, no database query, through the full middleware."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_answers_ok_without_login_or_queries(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_the_same_for_a_logged_in_user(client, personas):
    client.force_login(personas.city_officer)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405
