import time_machine
from django.utils import timezone


def test_idle_session_api_call_gets_json_401_not_a_redirect(personas, client):
    client.force_login(personas.city_officer)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert client.get("/api/v1/me").status_code == 200
        traveller.shift(31 * 60)
        response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
