"""The notification pages: the user's own list, opening one, marking all read, the bell's badge."""

import pytest
from django.test import RequestFactory
from django.utils.translation import gettext

from accounts.tests.battery import BATTERY, assert_redirects_to_login
from notifications.context_processors import unread
from notifications.models import Notification
from notifications.services import notify

LIST = "/notifications/"


def _tell(user, title="新的通知", url="/applications/1/"):
    return notify(recipients=[user], title=title, url=url, email=False)[0]


@pytest.mark.parametrize("persona", BATTERY)
def test_everyone_logged_in_reads_their_own_list(login, personas, persona):
    response = login(personas[persona]).get(LIST)
    if persona == "anonymous":
        assert_redirects_to_login(response)
    else:
        assert response.status_code == 200


def test_the_list_shows_only_the_users_own_newest_first_unread_highlighted(login, personas):
    officer = personas.county_officer
    older = _tell(officer, "第一条")
    _tell(officer, "第二条")
    _tell(personas.other_county_officer, "别人的通知")
    Notification.objects.filter(pk=older.pk).update(read_at=older.created_at)
    response = login(officer).get(LIST)
    page = response.content.decode()
    assert [n.title for n in response.context["page_obj"]] == ["第二条", "第一条"]
    assert "别人的通知" not in page
    assert page.count("data-unread") == 1
    assert response.context["unread_total"] == 1
    unread_only = login(officer).get(LIST, {"unread": "1"})
    assert [n.title for n in unread_only.context["page_obj"]] == ["第二条"]


def test_the_list_is_paginated(login, personas, settings):
    settings.LIST_PAGE_SIZE = 2
    for n in range(5):
        _tell(personas.county_officer, f"通知{n}")
    response = login(personas.county_officer).get(LIST, {"page": 3})
    assert [n.title for n in response.context["page_obj"]] == ["通知0"]


def test_opening_marks_read_and_goes_to_the_link(login, personas):
    officer = personas.county_officer
    row = _tell(officer, url="/applications/7/")
    response = login(officer).get(f"/notifications/{row.pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == "/applications/7/"
    row.refresh_from_db()
    assert row.read_at is not None
    # POST works the same way.
    other = _tell(officer, url="")
    response = login(officer).post(f"/notifications/{other.pk}/open/")
    assert response["Location"] == LIST


def test_an_external_link_is_not_followed(login, personas):
    row = _tell(personas.county_officer, url="https://evil.example/")
    response = login(personas.county_officer).get(f"/notifications/{row.pk}/open/")
    assert response["Location"] == LIST


@pytest.mark.parametrize("persona", [p for p in BATTERY if p != "county_officer"] + ["county_chief"])
def test_nobody_opens_anyone_elses_notification(login, personas, persona):
    row = _tell(personas.county_officer)
    response = login(personas[persona]).get(f"/notifications/{row.pk}/open/")
    if persona == "anonymous":
        assert_redirects_to_login(response)
    else:
        assert response.status_code == 404
    row.refresh_from_db()
    assert row.read_at is None


def test_mark_all_read(login, personas):
    officer = personas.county_officer
    _tell(officer)
    _tell(officer)
    theirs = _tell(personas.county_chief)
    client = login(officer)
    assert client.get("/notifications/read-all/").status_code == 405
    response = client.post("/notifications/read-all/", follow=True)
    assert response.redirect_chain[-1][0] == LIST
    assert not Notification.objects.filter(recipient=officer, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert response.context["unread_total"] == 0


def test_mark_all_read_needs_a_login(login, personas):
    assert_redirects_to_login(login(None).post("/notifications/read-all/"))


def test_the_bell_shows_the_unread_count(login, personas):
    officer = personas.county_officer
    client = login(officer)
    page = client.get("/").content.decode()
    assert 'data-testid="notification-bell"' in page
    assert 'data-testid="unread-badge"' not in page
    for _n in range(3):
        _tell(officer)
    page = client.get("/").content.decode()
    assert 'data-testid="unread-badge">3<' in page
    assert gettext("Notifications") in page


def test_the_count_is_one_query_and_only_for_logged_in_users(personas, django_assert_num_queries):
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert unread(request) == {}
    officer = personas.county_officer
    _tell(officer)
    _tell(officer)
    request.user = officer
    with django_assert_num_queries(0):
        context = unread(request)  # lazy: pages that do not show the bell pay nothing
    with django_assert_num_queries(1):
        assert context["unread_notification_count"] == 2
        assert str(context["unread_notification_count"]) == "2"
