"""The admin pages for regulation parameters and the working-day calendar."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from audit.models import AuditEvent
from regulation.models import CalendarDay, RegulationParameter
from regulation.services import calendar_day_save, parameter_set

LIST_URL = reverse("regulation:parameter_list")
SET_URL = reverse("regulation:parameter_set", args=["publicity_min"])
CALENDAR_URL = reverse("regulation:calendar")

ADMINS_ONLY = [("admin", 200), ("city_chief", 403), ("county_officer", 403), ("anonymous", 302)]


def _set(client, **data):
    payload = {
        "value": "5",
        "effective_from": "2027-01-01",
        "confidence": "",
        "source_note": "省厅通知（示例）",
    }
    return client.post(SET_URL, {**payload, **data})


@pytest.mark.parametrize("url", [LIST_URL, SET_URL, CALENDAR_URL])
@pytest.mark.parametrize(("persona", "status"), ADMINS_ONLY)
def test_pages_are_for_system_admins_only(personas, login, url, persona, status):
    assert login(personas[persona]).get(url).status_code == status


@pytest.mark.parametrize(("persona", "status"), [("admin", 302), *ADMINS_ONLY[1:]])
def test_posting_is_for_system_admins_only(personas, login, persona, status):
    row = calendar_day_save(actor=personas.admin, day=date(2027, 1, 1), kind="holiday", name="元旦")
    client = login(personas[persona])
    assert _set(client).status_code == status
    assert client.post(
        CALENDAR_URL, {"date": "2027-10-01", "kind": "holiday", "name": "国庆节"}
    ).status_code == (status)
    delete_url = reverse("regulation:calendar_day_delete", args=[row.pk])
    assert client.post(delete_url).status_code == status
    expected = 1 if persona == "admin" else 0
    assert RegulationParameter.objects.filter(key="publicity_min", value="5").count() == expected
    assert CalendarDay.objects.filter(date=date(2027, 10, 1)).count() == expected
    assert CalendarDay.objects.filter(pk=row.pk).count() == 1 - expected


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LIST_URL).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_shows_current_values_and_the_history(personas, login):
    parameter_set(
        actor=personas.admin,
        key="publicity_min",
        value="5",
        effective_from=date(2027, 1, 1),
        source_note="省厅通知（示例）",
        confidence="V",
    )
    response = login(personas.admin).get(LIST_URL)
    entries = {entry["current"].key: entry for entry in response.context["entries"]}
    assert entries["publicity_min"]["current"].value == "5"
    assert [row.value for row in entries["publicity_min"]["history"]] == ["7"]
    assert entries["county_review_limit"]["history"] == []
    content = response.content.decode()
    assert "省厅通知（示例）" in content
    assert 'title="' + gettext("Verified in a public source") + '">V<' in content
    assert "<details" in content


def test_the_list_costs_the_same_with_more_versions(personas, login):
    client = login(personas.admin)
    _list_queries(client)  # the first request of a session does its one-off work
    before = _list_queries(client)
    for key in ("publicity_min", "county_review_limit", "city_review_limit"):
        for year in (2027, 2028):
            parameter_set(
                actor=personas.admin, key=key, value="3", effective_from=date(year, 1, 1), source_note="x"
            )
    assert _list_queries(client) == before


def test_setting_a_value_adds_a_version_and_keeps_the_old_one(personas, login):
    response = _set(login(personas.admin))
    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    rows = list(RegulationParameter.objects.filter(key="publicity_min").order_by("effective_from"))
    assert [(r.value, r.effective_from, r.effective_to) for r in rows] == [
        ("7", date(2021, 10, 27), date(2026, 12, 31)),
        ("5", date(2027, 1, 1), None),
    ]
    assert rows[1].confidence == rows[0].confidence == "M"  # blank keeps the current confidence
    assert rows[1].created_by == personas.admin
    assert AuditEvent.objects.filter(action="parameter.set").count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"value": "abc"}, "value", "Enter a number, or numbers separated by commas."),
        ({"effective_from": "2020-01-01"}, "effective_from", None),
        ({"source_note": "  "}, "source_note", None),
    ],
)
def test_a_bad_value_shows_an_error_and_changes_nothing(personas, login, data, field, message):
    response = _set(login(personas.admin), **data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field]
    if message:
        assert gettext(message) in form.errors[field]
        assert gettext(message) in response.content.decode()
    assert form[field].value() == data[field]  # the input is kept
    assert RegulationParameter.objects.filter(key="publicity_min").count() == 1
    assert not AuditEvent.objects.filter(action="parameter.set").exists()


def test_an_unknown_parameter_is_404(personas, login):
    url = reverse("regulation:parameter_set", args=["no_such_key"])
    assert login(personas.admin).get(url).status_code == 404


def test_the_calendar_lists_the_year_and_warns_when_it_is_unknown(personas, login):
    calendar_day_save(actor=personas.admin, day=date(2030, 10, 1), kind="holiday", name="国庆节")
    calendar_day_save(actor=personas.admin, day=date(2031, 1, 1), kind="holiday", name="元旦")
    client = login(personas.admin)
    response = client.get(CALENDAR_URL, {"year": 2030})
    assert [d.name for d in response.context["days"]] == ["国庆节"]
    assert response.context["covered"] is True  # a recorded holiday makes the year known
    response = client.get(CALENDAR_URL, {"year": 2032})
    assert list(response.context["days"]) == []
    assert response.context["covered"] is False
    assert response.context["year"] == 2032
    assert 'class="alert alert-warning"' in response.content.decode()
    assert client.get(CALENDAR_URL, {"year": "abc"}).status_code == 200


def test_adding_and_changing_a_day_is_audited(personas, login):
    client = login(personas.admin)
    data = {"date": "2027-10-01", "kind": "holiday", "name": "国庆节", "source": "国办发明电〔2026〕1号"}
    response = client.post(CALENDAR_URL + "?year=2027", data)
    assert response.status_code == 302
    assert response["Location"] == CALENDAR_URL + "?year=2027"
    row = CalendarDay.objects.get(date=date(2027, 10, 1))
    assert (row.kind, row.name, row.created_by) == ("holiday", "国庆节", personas.admin)
    client.post(CALENDAR_URL, {**data, "name": "国庆节假期"})
    assert CalendarDay.objects.get(date=date(2027, 10, 1)).name == "国庆节假期"
    assert AuditEvent.objects.filter(action="calendar.save", target_id=str(row.pk)).count() == 2
    edit = client.get(CALENDAR_URL, {"year": 2027, "edit": row.pk})
    assert edit.context["form"]["name"].value() == "国庆节假期"


def test_a_weekday_cannot_be_a_makeup_working_day(personas, login):
    data = {"date": "2027-10-04", "kind": "makeup_workday", "name": "国庆节"}  # a Monday
    response = login(personas.admin).post(CALENDAR_URL, data)
    assert response.status_code == 200
    assert (
        gettext("A make-up working day falls on a Saturday or Sunday.")
        in response.context["form"].errors["date"]
    )
    assert not CalendarDay.objects.exists()
    assert not AuditEvent.objects.filter(action="calendar.save").exists()


def test_deleting_a_day_is_audited(personas, login):
    row = calendar_day_save(actor=personas.admin, day=date(2027, 1, 1), kind="holiday", name="元旦")
    url = reverse("regulation:calendar_day_delete", args=[row.pk])
    response = login(personas.admin).post(url)
    assert response.status_code == 302
    assert response["Location"] == CALENDAR_URL + "?year=2027"
    assert not CalendarDay.objects.filter(pk=row.pk).exists()
    assert AuditEvent.objects.filter(action="calendar.delete", target_id=str(row.pk)).count() == 1


def test_delete_is_post_only(personas, login):
    row = calendar_day_save(actor=personas.admin, day=date(2027, 1, 1), kind="holiday", name="元旦")
    url = reverse("regulation:calendar_day_delete", args=[row.pk])
    assert login(personas.admin).get(url).status_code == 405
    assert CalendarDay.objects.filter(pk=row.pk).exists()
