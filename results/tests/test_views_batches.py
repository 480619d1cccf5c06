"""The publicity batch pages: the list, the new and edit forms, the batch page and its moves
(submit, send back, approve, announce), and the announcement pages they lead to.

The permission battery walks every view for every persona; the other tests check behaviour:
the counts on the list and its query count, the candidates offered, each move's happy path and
a refused path with its Chinese message and the input kept, and two clicks making one move.
"""

from datetime import timedelta

import pytest
from django.urls import reverse

from grading.models import Status
from results.models import Announcement, Certificate, Objection, PublicityBatch, PublicityTransition
from results.tests.conftest import beijing
from results.tests.factories import make_batch, make_result_ready, other_enterprise
from results.tests.page_helpers import CITY_READERS, CITY_STAFF, battery, html, readers, zh

pytestmark = pytest.mark.django_db

B = PublicityBatch.Status
LIST = reverse("results:batches")
CREATE = reverse("results:batch_create")


def bare(personas, n: int = 1, division: str = "站前区"):
    """Applications at result confirmation of new enterprises (listable, not eligible to approve)."""
    return [make_result_ready(personas, enterprise=other_enterprise(division=division)) for _ in range(n)]


def url(name: str, batch) -> str:
    return reverse(f"results:{name}", args=[batch.pk])


def move(client, name: str, batch, state: str | None = None, **fields):
    """Post the move ``name`` of the batch page (its fields carry the move's prefix)."""
    data = {f"{name}-state": state if state is not None else batch.status}
    data.update({f"{name}-{key}": value for key, value in fields.items()})
    path = {"send_back": "batch_send_back"}.get(name, f"batch_{name}")
    return client.post(url(path, batch), data)


# --- The permission battery --------------------------------------------------------------------


def test_every_batch_page_is_scoped(login, personas, results_clock):
    """Anonymous → login; everyone but the city section and the bureau leader → 404; the bureau
    leader reads but may not act (403); each move is for its roles only (403 for the other)."""
    (application,) = bare(personas)
    batch = make_batch(personas, [application])
    staff_only = readers(CITY_STAFF, bureau_leader=403)
    chief_only = readers(("city_chief",), city_officer=403, bureau_leader=403)
    cases = [
        ("get", LIST, readers(CITY_READERS), None),
        ("get", url("batch", batch), readers(CITY_READERS), None),
        ("get", CREATE, staff_only, None),
        ("get", url("batch_edit", batch), staff_only, None),
        # Empty posts: the service refuses (no title) and the form comes back (200).
        ("post", CREATE, staff_only, None),
        ("post", url("batch_edit", batch), staff_only, None),
        # The moves, posted as a stale click: the allowed get the page back with the message.
        ("post", url("batch_submit", batch), staff_only, {"submit-state": "stale"}),
        ("post", url("batch_send_back", batch), chief_only, {"send_back-state": "stale"}),
        ("post", url("batch_approve", batch), chief_only, {"approve-state": "stale"}),
        ("post", url("batch_announce", batch), chief_only, {"announce-state": "stale"}),
    ]
    failures = []
    for method, path, expected, data in cases:
        failures += battery(login, personas, method, path, expected, data=data)
    assert failures == []
    batch.refresh_from_db()
    assert batch.status == B.DRAFT and batch.title.startswith("2026年")
    assert not PublicityTransition.objects.exists()


def test_moves_refuse_get(login, personas, results_clock):
    (application,) = bare(personas)
    batch = make_batch(personas, [application])
    client = login(personas.city_chief)
    for name in ("batch_submit", "batch_send_back", "batch_approve", "batch_announce"):
        assert client.get(url(name, batch)).status_code == 405, name


# --- The list --------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 12])
def test_list_shows_counts_and_its_queries_do_not_grow(
    login, personas, results_clock, settings, django_assert_max_num_queries, count
):
    settings.LIST_PAGE_SIZE = 50
    batches = [make_batch(personas, bare(personas, 2)) for _ in range(count)]
    entry = batches[0].entries.first()
    for status in (Objection.Status.OPEN, Objection.Status.OPEN, Objection.Status.CLOSED):
        Objection.objects.create(
            receipt_number=f"YY{Objection.objects.count() + 1:04d}",
            entry=entry,
            objector_name="王五",
            objector_contact="13800000000",
            content="内容不实内容不实",
            status=status,
            outcome="rejected" if status == Objection.Status.CLOSED else "",
        )
    client = login(personas.city_officer)
    client.get(LIST)  # warm the session
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    body = html(response)
    assert body.count('data-testid="batch-row"') == count
    first = body.split(f'data-batch="{batches[0].pk}"')[1].split("</tr>")[0]
    assert 'data-testid="entry-count">2<' in first
    assert 'badge text-bg-warning">2<' in first  # two open objections, the closed one not counted
    # The status filter.
    make_batch(personas, bare(personas), status=B.SUBMITTED)
    rows = client.get(LIST, {"status": "submitted"}).context["rows"]
    assert [b.status for b in rows] == [B.SUBMITTED]
    # The bureau leader reads the list without the button to draft one.
    assert 'data-testid="batch-create"' not in html(login(personas.bureau_leader).get(LIST))
    assert 'data-testid="batch-create"' in body


# --- New and edit ------------------------------------------------------------------------------


def test_create_offers_the_candidates_and_drafts_a_batch(login, personas, results_clock):
    first, second = bare(personas, 2)
    client = login(personas.city_officer)
    body = html(client.get(CREATE))
    assert body.count('data-testid="candidate-row"') == 2
    row = body.split(f'data-application="{first.pk}"')[1].split("</tr>")[0]
    assert first.enterprise.name in row and "92.5" in row
    assert first.site_review.date.isoformat() in row
    assert zh("Grade 3") in row
    # Refused: no title, no contact; the text typed is kept.
    response = client.post(CREATE, {"intro": "拟公示企业如下", "applications": [first.pk]})
    assert response.status_code == 200
    body = html(response)
    assert zh("Give the publicity a title.") in body
    assert zh("Say where and how the public may object.") in body
    assert "拟公示企业如下" in body
    assert f'value="{first.pk}" id="app-{first.pk}" checked' in body
    # Refused: no application ticked.
    response = client.post(CREATE, {"title": "第一批公示", "contact": "电话 0417-2800000"})
    assert zh("Choose at least one application.") in html(response)
    assert 'value="第一批公示"' in html(response)
    assert not PublicityBatch.objects.exists()
    # Drafted.
    response = client.post(
        CREATE, {"title": "第一批公示", "contact": "电话 0417-2800000", "applications": [first.pk]}
    )
    batch = PublicityBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == url("batch", batch)
    assert batch.status == B.DRAFT and [e.application_id for e in batch.entries.all()] == [first.pk]
    # The listed application is no longer a candidate.
    body = html(client.get(CREATE))
    assert body.count('data-testid="candidate-row"') == 1 and f'data-application="{second.pk}"' in body


def test_edit_a_draft_and_refuse_once_submitted(login, personas, results_clock):
    first, second = bare(personas, 2)
    batch = make_batch(personas, [first])
    client = login(personas.city_officer)
    body = html(client.get(url("batch_edit", batch)))
    assert body.count('data-testid="candidate-row"') == 2  # its own and the other candidate
    assert f'value="{first.pk}" id="app-{first.pk}" checked' in body
    response = client.post(
        url("batch_edit", batch),
        {"title": "改后的标题", "contact": batch.contact, "applications": [first.pk, second.pk]},
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.title == "改后的标题" and batch.entries.count() == 2
    # Submitted: the edit page sends back to the batch, a post is refused with the message.
    move(client, "submit", batch)
    batch.refresh_from_db()
    assert batch.status == B.SUBMITTED
    response = client.get(url("batch_edit", batch), follow=True)
    assert zh("Only a draft publicity can be edited.") in html(response)
    response = client.post(
        url("batch_edit", batch), {"title": "再改", "contact": "c", "applications": [first.pk]}
    )
    assert response.status_code == 200 and zh("Only a draft publicity can be edited.") in html(response)
    batch.refresh_from_db()
    assert batch.title == "改后的标题"


# --- The moves ---------------------------------------------------------------------------------


def test_submit_once_send_back_with_a_comment(login, personas, results_clock):
    (application,) = bare(personas)
    batch = make_batch(personas, [application])
    officer, chief = login(personas.city_officer), None
    body = html(officer.get(url("batch", batch)))
    assert 'data-testid="move-submit"' in body and 'data-testid="batch-edit"' in body
    assert 'data-testid="move-approve"' not in body
    assert 'data-testid="move-submit"' not in html(login(personas.bureau_leader).get(url("batch", batch)))
    officer = login(personas.city_officer)
    response = move(officer, "submit", batch, comment="请科长审核")
    assert response.status_code == 302
    # The second click of the same button (the page still said draft): one move, the message.
    response = move(officer, "submit", batch, state=B.DRAFT, comment="请科长审核")
    assert response.status_code == 200
    assert zh("Someone else changed this case a moment ago; reload the page and try again.") in html(response)
    assert PublicityTransition.objects.filter(batch=batch, transition="submit").count() == 1
    batch.refresh_from_db()
    assert batch.status == B.SUBMITTED and batch.submitted_at is not None
    # The chief sends it back: the comment is required.
    chief = login(personas.city_chief)
    body = html(chief.get(url("batch", batch)))
    assert 'data-testid="move-approve"' in body and 'data-testid="move-send_back"' in body
    response = move(chief, "send_back", batch)
    assert response.status_code == 200 and zh("Say what is to be changed.") in html(response)
    batch.refresh_from_db()
    assert batch.status == B.SUBMITTED
    response = move(chief, "send_back", batch, comment="联系方式补充邮箱")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == B.DRAFT and batch.return_comment == "联系方式补充邮箱"
    body = html(login(personas.city_officer).get(url("batch", batch)))
    assert 'data-testid="return-comment"' in body and "联系方式补充邮箱" in body
    assert [row for row in body.split('data-transition="')[1:] if row.startswith("send_back")]


def test_approve_refused_with_the_eligibility_problems(login, personas, results_clock):
    (application,) = bare(personas)  # a bare draft: its self-assessment is not scored, nothing filed
    batch = make_batch(personas, [application], status=B.SUBMITTED)
    response = move(login(personas.city_chief), "approve", batch)
    assert response.status_code == 200
    assert application.number in html(response)
    batch.refresh_from_db()
    application.refresh_from_db()
    assert batch.status == B.SUBMITTED and application.status == Status.RESULT_CONFIRMATION


def test_approve_then_announce_after_the_window(login, personas, ready, results_clock, media):
    batch = make_batch(personas, [ready], status=B.SUBMITTED)
    chief = login(personas.city_chief)
    response = move(chief, "approve", batch)
    assert response.status_code == 302
    batch.refresh_from_db()
    ready.refresh_from_db()
    assert batch.status == B.PUBLISHED and ready.status == Status.PUBLICITY
    assert batch.starts_on.isoformat() == "2026-06-01" and batch.working_days == 7
    body = html(chief.get(url("batch", batch)))
    window = body.split('data-testid="batch-window"')[1].split("</dd>")[0]
    assert batch.starts_on.isoformat() in window and batch.ends_on.isoformat() in window
    assert batch.number in body
    # Not ready while the window runs: the problems are shown, the post is refused with them.
    not_yet = zh(
        "The publicity runs until %(date)s; it can be announced from the next day.",
        date=batch.ends_on.isoformat(),
    )
    assert 'data-testid="announce-problems"' in body and not_yet in body
    response = move(chief, "announce", batch)
    assert response.status_code == 200 and not_yet in html(response)
    assert not Announcement.objects.exists()
    # The day after the window: announced, certificates made, the announcement page shown.
    day = batch.ends_on + timedelta(days=1)
    results_clock.move_to(beijing(day.year, day.month, day.day))
    chief = login(personas.city_chief)  # a new session: the old one has timed out meanwhile
    body = html(chief.get(url("batch", batch)))
    assert 'data-testid="announce-problems"' not in body
    response = move(chief, "announce", batch, title="")
    announcement = Announcement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("results:announcement", args=[announcement.pk])
    batch.refresh_from_db()
    ready.refresh_from_db()
    assert batch.status == B.ANNOUNCED and ready.status == Status.ANNOUNCED
    certificate = Certificate.objects.get(application=ready)
    body = html(chief.get(response["Location"]))
    assert announcement.document_number in body
    assert body.count('data-testid="announcement-certificate"') == 1 and certificate.number in body
    assert 'data-testid="pdf-pending"' in body
    # A second announce click meets the stale message; nothing is announced twice.
    response = move(chief, "announce", batch, state=B.PUBLISHED)
    assert zh("Someone else changed this case a moment ago; reload the page and try again.") in html(response)
    assert Announcement.objects.count() == 1


# --- The announcements -------------------------------------------------------------------------


def test_announcement_pages_are_the_city_s_and_the_pdf_downloads(login, personas, results_clock, media):
    from django.core.files.base import ContentFile

    announcement = Announcement.objects.create(
        kind=Announcement.Kind.REVOCATION,
        document_number="营应急撤〔2026〕1号",
        title="撤销公告",
        issued_on=beijing(2026, 6, 1).date(),
        issued_by=personas.city_chief,
        cc_recipients=["省应急管理厅", "市市场监督管理局"],
    )
    detail = reverse("results:announcement", args=[announcement.pk])
    pdf = reverse("results:announcement_pdf", args=[announcement.pk])
    failures = battery(login, personas, "get", reverse("results:announcements"), readers(CITY_READERS))
    failures += battery(login, personas, "get", detail, readers(CITY_READERS))
    failures += battery(login, personas, "get", pdf, {})  # no PDF yet: 404 for everyone
    announcement.pdf.save("a.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    failures += battery(login, personas, "get", pdf, readers(CITY_READERS))
    assert failures == []
    body = html(login(personas.bureau_leader).get(detail))
    assert "省应急管理厅、市市场监督管理局" in body and 'data-testid="announcement-pdf"' in body
    rows = (
        login(personas.city_officer)
        .get(reverse("results:announcements"), {"kind": "grading"})
        .context["rows"]
    )
    assert rows == []
