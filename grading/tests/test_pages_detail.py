"""The case page and its printable timeline: who sees them, and what they show."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from grading import selectors, services
from grading.models import Status
from grading.tests.factories import advance, fill_sheet, make_application, pdf_file
from grading.views.cases import deadline_text, steps_for, url_or_none

pytestmark = pytest.mark.django_db

# Who may read a case of the persona enterprise (in 站前区): 404 outside, login for anonymous.
VIEW_BATTERY = [
    ("admin", 200),
    ("city_officer", 200),
    ("city_chief", 200),
    ("bureau_leader", 200),
    ("county_officer", 200),
    ("county_chief", 200),
    ("other_county_officer", 404),  # must not learn it exists
    ("enterprise_user", 200),
    ("enterprise_principal", 200),
    ("other_enterprise_user", 404),
    ("expert", 404),
    ("anonymous", 302),
]


@pytest.fixture
def draft(personas):
    return make_application(personas)


def _get(login, personas, persona, url):
    return login(personas[persona]).get(url)


@pytest.mark.parametrize(("persona", "status"), VIEW_BATTERY)
@pytest.mark.parametrize("name", ["grading:detail", "grading:timeline"])
def test_view_access(login, personas, draft, persona, status, name):
    response = _get(login, personas, persona, reverse(name, args=[draft.pk]))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("accounts:login"))


def test_unknown_application_is_404(login, personas):
    assert login(personas.city_officer).get(reverse("grading:detail", args=[999999])).status_code == 404


def test_detail_is_get_only(login, personas, draft):
    assert login(personas.enterprise_user).post(reverse("grading:detail", args=[draft.pk])).status_code == 405


def test_header_shows_number_enterprise_and_standard(login, personas, draft):
    html = login(personas.enterprise_user).get(reverse("grading:detail", args=[draft.pk])).content.decode()
    assert draft.number in html
    assert personas.enterprise.name in html
    assert reverse("enterprises:detail", args=[personas.enterprise.pk]) in html
    assert str(draft.standard) in html
    assert reverse("standards:sheet_detail", args=[draft.self_sheet_id]) in html


def test_draft_shows_principal_moves_only_to_the_principal(login, personas, draft):
    url = reverse("grading:detail", args=[draft.pk])
    principal = login(personas.enterprise_principal).get(url)
    names = {m["name"] for m in principal.context["moves"]}
    assert names == {"start_internal_publicity", "withdraw"}
    assert 'data-testid="move-start_internal_publicity"' in principal.content.decode()
    user = login(personas.enterprise_user).get(url)
    assert user.context["moves"] == []
    assert 'data-testid="principal-only"' in user.content.decode()
    # Regulators see the case but none of the enterprise's moves.
    officer = login(personas.county_officer).get(url)
    assert officer.context["moves"] == []
    assert 'data-testid="application-moves"' not in officer.content.decode()


def test_steps_mark_done_current_and_returned(personas, draft):
    assert [s["where"] for s in steps_for(draft)] == ["current", "todo", "todo", "todo", "todo"]
    draft.status = Status.COUNTY_RETURNED
    assert [s["where"] for s in steps_for(draft)] == ["done", "done", "returned", "todo", "todo"]
    draft.status = Status.WITHDRAWN
    assert {s["where"] for s in steps_for(draft)} == {"closed"}


def test_eligibility_checklist_is_shown_to_enterprise_and_regulators(login, personas, draft):
    for persona in ("enterprise_user", "county_officer", "city_officer"):
        response = login(personas[persona]).get(reverse("grading:detail", args=[draft.pk]))
        html = response.content.decode()
        codes = [c.code for c in response.context["checks"]]
        assert "E15" in codes and "E13" in codes
        # The unsigned commitment is a failing line, marked as such.
        assert 'data-code="E15" data-result="fail"' in html
        assert gettext("The principal has not signed the commitment.") in html


def test_progress_counts_scored_items(login, personas, draft):
    url = reverse("grading:detail", args=[draft.pk])
    progress = login(personas.enterprise_user).get(url).context["progress"]
    assert progress["scored"] == 0 and progress["total"] > 0 and progress["done"] == 0
    fill_sheet(draft, personas.enterprise_user)
    progress = login(personas.enterprise_user).get(url).context["progress"]
    assert progress["scored"] == progress["total"] and progress["done"] == 100
    assert progress["percentage"] is not None


def test_attachments_list_required_documents_and_versions(login, personas, draft):
    document = selectors.current_attachments(draft)[0][0]
    services.attachment_add(
        actor=personas.enterprise_user, application=draft, document=document, file=pdf_file("a.pdf")
    )
    services.attachment_add(
        actor=personas.enterprise_user, application=draft, document=document, file=pdf_file("b.pdf")
    )
    response = login(personas.county_officer).get(reverse("grading:detail", args=[draft.pk]))
    row = next(r for r in response.context["attachments"] if r["document"] == document)
    assert row["current"].original_name == "b.pdf" and row["current"].version == 2
    assert [a.original_name for a, _url in row["older"]] == ["a.pdf"]
    html = response.content.decode()
    assert "b.pdf" in html and "a.pdf" in html
    # The regulator reads but gets no upload form.
    assert response.context["attachment_form"] is None


def test_deadline_text_and_overdue(login, personas, draft):
    application = advance(draft, personas, Status.COUNTY_REVIEW)
    response = login(personas.county_officer).get(reverse("grading:detail", args=[application.pk]))
    deadline = response.context["deadline"]
    assert deadline.kind == "limit" and deadline.param == "county_review_limit"
    assert response.context["deadline_text"] == deadline_text(
        "county_review_limit", "limit", application.timer_due_on, application.timer_working_days
    )
    assert str(application.timer_due_on.year) in response.context["deadline_text"]
    assert 'data-testid="deadline-overdue"' not in response.content.decode()
    # Backdate the timer: the deadline has passed.
    type(application).objects.filter(pk=application.pk).update(
        timer_started_on=timezone.localdate() - timedelta(days=60),
        timer_due_on=timezone.localdate() - timedelta(days=30),
    )
    response = login(personas.county_officer).get(reverse("grading:detail", args=[application.pk]))
    assert response.context["deadline"].overdue
    assert 'data-testid="deadline-overdue"' in response.content.decode()


def test_minimum_timer_says_earliest_date(personas, draft):
    day = timezone.localdate()
    text = deadline_text("internal_publicity_min", "minimum", day, 10)
    assert text.startswith(str(gettext("Earliest submission date")))
    missing = deadline_text("county_review_limit", "limit", None, 10)
    assert str(gettext("County preliminary review deadline")) in missing


def test_timeline_shows_moves_and_links_only_known_pages(login, personas, draft):
    application = advance(draft, personas, Status.INTERNAL_PUBLICITY)
    response = login(personas.county_officer).get(reverse("grading:timeline", args=[application.pk]))
    titles = [row["entry"].title for row in response.context["timeline"]]
    assert str(gettext("Application created")) in titles
    assert str(gettext("Start internal publicity")) in titles
    for row in response.context["timeline"]:
        entry = row["entry"]
        assert row["url"] == url_or_none(entry.url_name, entry.url_args)
    assert url_or_none("grading:no_such_page", (1,)) is None
    assert url_or_none("", ()) is None


def test_guidance_is_read_only_on_the_page(login, personas, draft):
    services.guidance_add(actor=personas.county_officer, application=draft, text="请尽快完善自评材料")
    html = login(personas.enterprise_user).get(reverse("grading:detail", args=[draft.pk])).content.decode()
    assert "请尽快完善自评材料" in html


def test_closed_application_shows_its_reason(login, personas, draft):
    services.application_withdraw(actor=personas.enterprise_principal, application=draft, reason="企业停产")
    response = login(personas.enterprise_principal).get(reverse("grading:detail", args=[draft.pk]))
    html = response.content.decode()
    assert 'data-testid="application-closed"' in html and "企业停产" in html
    assert response.context["moves"] == []
