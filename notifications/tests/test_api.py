"""GET /api/v1/notifications/ and POST /api/v1/notifications/read: the caller's own only."""

import pytest

from accounts.tests.api_helpers import assert_error, bearer
from notifications.models import Notification
from notifications.services import notify

LIST = "/api/v1/notifications/"
READ = "/api/v1/notifications/read"


def _tell(user, title):
    return notify(recipients=[user], title=title, url="/applications/1/", email=False)[0]


@pytest.fixture
def inbox(personas):
    officer = personas.county_officer
    rows = [_tell(officer, f"通知{n}") for n in range(3)]
    Notification.objects.filter(pk=rows[0].pk).update(read_at=rows[0].created_at)
    theirs = _tell(personas.other_county_officer, "别人的通知")
    return officer, rows, theirs


def test_the_list_holds_only_the_callers_own(client, inbox):
    officer, _rows, _theirs = inbox
    response = client.get(LIST, headers=bearer(officer))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["count"], body["unread"]) == (3, 2)
    assert [i["title"] for i in body["items"]] == ["通知2", "通知1", "通知0"]
    assert set(body["items"][0]) == {"id", "title", "body", "url", "category", "created_at", "read_at"}


def test_the_unread_filter_and_pagination(client, inbox):
    officer, _rows, _theirs = inbox
    body = client.get(LIST, {"unread": "true", "limit": 1, "offset": 1}, headers=bearer(officer)).json()
    assert body["count"] == 2
    assert [i["title"] for i in body["items"]] == ["通知1"]


def test_someone_else_sees_none_of_them(client, personas, inbox):
    body = client.get(LIST, headers=bearer(personas.county_chief)).json()
    assert body == {"count": 0, "unread": 0, "items": []}


def test_a_session_works_too(client, login, inbox):
    officer, _rows, _theirs = inbox
    assert login(officer).get(LIST).json()["count"] == 3


def test_anonymous_callers_get_401(client, inbox):
    assert_error(client.get(LIST), 401, "unauthenticated")
    assert_error(client.post(READ, {"all": True}, content_type="application/json"), 401, "unauthenticated")


def test_mark_some_read_ignores_other_peoples_ids(client, inbox):
    officer, rows, theirs = inbox
    response = client.post(
        READ, {"ids": [rows[1].pk, theirs.pk]}, content_type="application/json", headers=bearer(officer)
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"marked": 1, "unread": 1}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(client, inbox):
    officer, _rows, theirs = inbox
    response = client.post(READ, {"all": True}, content_type="application/json", headers=bearer(officer))
    assert response.json() == {"marked": 2, "unread": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("payload", [{}, {"all": True, "ids": [1]}, {"all": False}])
def test_ids_or_all_is_required(client, inbox, payload):
    officer, _rows, _theirs = inbox
    response = client.post(READ, payload, content_type="application/json", headers=bearer(officer))
    assert_error(response, 422, "invalid")
