"""The objection pages: the list with its filters, one objection with the objector kept
confidential from everyone but the city section, the attachments (city section only) and the
check (upheld / not upheld, the findings required, two clicks one decision)."""

import pytest
from django.urls import reverse

from grading.models import Status
from grading.tests.factories import pdf_file
from results.models import Objection, PublicityEntry
from results.tests.factories import file_objection
from results.tests.page_helpers import CITY_READERS, CITY_STAFF, battery, html, readers, zh

pytestmark = pytest.mark.django_db

LIST = reverse("results:objections")


@pytest.fixture
def objection(published, media):
    batch, _application = published
    return file_objection(batch.entries.get(), files=[pdf_file("现场照片.pdf")])


def detail(objection) -> str:
    return reverse("results:objection", args=[objection.pk])


def test_every_objection_page_is_scoped(login, personas, objection):
    attachment = objection.attachments.get()
    staff_only = readers(CITY_STAFF, bureau_leader=403)
    failures = battery(login, personas, "get", LIST, readers(CITY_READERS))
    failures += battery(login, personas, "get", detail(objection), readers(CITY_READERS))
    failures += battery(
        login,
        personas,
        "get",
        reverse("results:objection_attachment", args=[objection.pk, attachment.pk]),
        staff_only,
    )
    # An empty decision: the form comes back with its errors (200) for the city section.
    failures += battery(
        login, personas, "post", reverse("results:objection_decide", args=[objection.pk]), staff_only
    )
    assert failures == []
    objection.refresh_from_db()
    assert objection.status == Objection.Status.OPEN


def test_the_objector_is_confidential_to_the_city_section(login, personas, objection):
    officer = html(login(personas.city_officer).get(detail(objection)))
    objector = officer.split('data-testid="objector"')[1].split("</dd>")[0]
    assert "王五" in objector and "13812345678" in objector
    assert (
        reverse("results:objection_attachment", args=[objection.pk, objection.attachments.get().pk])
        in officer
    )
    assert objection.receipt_number in officer and objection.due_on.isoformat() in officer
    assert "消防通道长期堵塞" in officer
    for name in ("bureau_leader",):
        for page in (detail(objection), LIST):
            body = html(login(personas[name]).get(page))
            assert "王五" not in body and "13812345678" not in body, (name, page)
        body = html(login(personas[name]).get(detail(objection)))
        assert zh("Confidential") in body.split('data-testid="objector"')[1].split("</dd>")[0]
        assert "现场照片.pdf" in body  # the file is named, not offered
        assert "attachments/" not in body
        assert 'data-testid="objection-decide"' not in body
    # The city section downloads the attachment.
    attachment = objection.attachments.get()
    response = login(personas.city_chief).get(
        reverse("results:objection_attachment", args=[objection.pk, attachment.pk])
    )
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_an_upheld_objection_takes_the_enterprise_off_the_list(login, personas, objection, published):
    _batch, application = published
    client = login(personas.city_officer)
    decide = reverse("results:objection_decide", args=[objection.pk])
    # Refused: the findings are required; the choice made is kept.
    response = client.post(decide, {"state": "open", "outcome": "upheld", "note": ""})
    assert response.status_code == 200
    body = html(response)
    assert zh("Record what the check found.") in body
    assert response.context["form"]["outcome"].value() == "upheld"
    objection.refresh_from_db()
    assert objection.status == Objection.Status.OPEN
    # Upheld.
    response = client.post(decide, {"state": "open", "outcome": "upheld", "note": "经核查，消防通道确被堵塞"})
    assert response.status_code == 302 and response["Location"] == detail(objection)
    objection.refresh_from_db()
    application.refresh_from_db()
    entry = PublicityEntry.objects.get(pk=objection.entry_id)
    assert objection.status == Objection.Status.CLOSED and objection.outcome == Objection.Outcome.UPHELD
    assert objection.checked_by == personas.city_officer
    assert entry.outcome == PublicityEntry.Outcome.WITHDRAWN
    assert application.status == Status.RESULT_CONFIRMATION
    body = html(client.get(detail(objection)))
    assert "经核查，消防通道确被堵塞" in body and 'data-testid="objection-decide"' not in body
    # A second click of the same form: the message, one decision.
    response = client.post(decide, {"state": "open", "outcome": "rejected", "note": "再次提交"})
    assert response.status_code == 200
    assert zh("Someone else changed this case a moment ago; reload the page and try again.") in html(response)
    objection.refresh_from_db()
    assert (
        objection.outcome == Objection.Outcome.UPHELD and objection.check_note == "经核查，消防通道确被堵塞"
    )


def test_list_filters_and_its_queries_do_not_grow(
    login, personas, published, media, settings, django_assert_max_num_queries
):
    settings.LIST_PAGE_SIZE = 50
    batch, _application = published
    entry = batch.entries.get()
    first = file_objection(entry)
    client = login(personas.city_officer)
    client.get(LIST)
    with django_assert_max_num_queries(9) as one:
        client.get(LIST)
    for i in range(8):
        file_objection(entry, name=f"举报人{i}", content=f"第{i}条异议：现场与材料不符，请核查。")
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(LIST)
    assert html(response).count('data-testid="objection-row"') == 9
    # Decide one as not upheld; the filters follow.
    client.post(
        reverse("results:objection_decide", args=[first.pk]),
        {"state": "open", "outcome": "rejected", "note": "经核查不属实"},
    )
    assert [o.pk for o in client.get(LIST, {"status": "closed"}).context["rows"]] == [first.pk]
    assert len(client.get(LIST, {"status": "open"}).context["rows"]) == 8
    assert len(client.get(LIST, {"entry": entry.pk}).context["rows"]) == 9
    assert len(client.get(LIST, {"entry": entry.pk + 1000}).context["rows"]) == 0
    # The batch page links each entry to its objections.
    body = html(client.get(reverse("results:batch", args=[batch.pk])))
    assert f"{LIST}?entry={entry.pk}" in body
