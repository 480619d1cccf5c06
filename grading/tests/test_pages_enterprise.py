"""The enterprise's pages: start, file, team, attachments, commitment, moves and corrections."""

import hashlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from grading import services
from grading.models import Attachment, CorrectionItem, GradingApplication, RequiredDocument, Status
from grading.tests.factories import advance, file_everything, fill_sheet, make_application, pdf_file

pytestmark = pytest.mark.django_db

STALE = "Someone else changed this case a moment ago; reload the page and try again."

# An enterprise page of the persona enterprise's draft: its users in, regulators 403, outsiders 404.
OWNER_PAGE = [
    ("admin", 403),
    ("city_officer", 403),
    ("city_chief", 403),
    ("bureau_leader", 403),
    ("county_officer", 403),  # sees the case, may not write the enterprise's file
    ("county_chief", 403),
    ("other_county_officer", 404),
    ("enterprise_user", 200),
    ("enterprise_principal", 200),
    ("other_enterprise_user", 404),
    ("expert", 404),
    ("anonymous", 302),
]
# A move page: only the principal makes the enterprise's moves.
PRINCIPAL_PAGE = [(p, 403 if p == "enterprise_user" else s) for p, s in OWNER_PAGE]
# POSTs by those who may not: nothing changes.
REFUSED_POST = [(p, s) for p, s in OWNER_PAGE if s != 200]


@pytest.fixture
def draft(personas):
    return make_application(personas)


def _url(name: str, application, *args) -> str:
    return reverse(name, args=[application.pk, *args])


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _publicity(personas, draft):
    return advance(draft, personas, Status.INTERNAL_PUBLICITY)


# --- Permission batteries ------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), OWNER_PAGE)
@pytest.mark.parametrize(
    "name", ["grading:edit", "grading:team", "grading:attachment_add", "grading:commitment"]
)
def test_owner_pages(login, personas, draft, persona, status, name):
    response = login(personas[persona]).get(_url(name, draft))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("persona", "status"), PRINCIPAL_PAGE)
@pytest.mark.parametrize("name", ["grading:start_publicity", "grading:withdraw"])
def test_move_pages(login, personas, draft, persona, status, name):
    assert login(personas[persona]).get(_url(name, draft)).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 403),
        ("city_officer", 403),
        ("bureau_leader", 403),
        ("county_officer", 403),
        ("other_county_officer", 403),
        ("enterprise_user", 200),
        ("enterprise_principal", 200),
        ("other_enterprise_user", 200),
        ("expert", 403),
        ("anonymous", 302),
    ],
)
def test_create_page(login, personas, persona, status):
    assert login(personas[persona]).get(reverse("grading:create")).status_code == status


@pytest.mark.parametrize(("persona", "status"), REFUSED_POST)
@pytest.mark.parametrize(
    "name",
    [
        "grading:edit",
        "grading:team",
        "grading:attachment_add",
        "grading:commitment",
        "grading:start_publicity",
        "grading:back_to_draft",
        "grading:submit",
        "grading:county_resubmit",
        "grading:city_resubmit",
        "grading:withdraw",
    ],
)
def test_refused_posts_change_nothing(login, personas, draft, persona, status, name):
    response = login(personas[persona]).post(_url(name, draft), {"state": draft.status, "reason": "x"})
    assert response.status_code == status
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.transitions.count() == 1


@pytest.mark.parametrize(("persona", "status"), REFUSED_POST)
def test_refused_attachment_withdraw_and_answer(login, personas, persona, status):
    application = advance(make_application(personas), personas, Status.COUNTY_RETURNED)
    attachment = application.attachments.filter(superseded_at__isnull=True).first()
    item = CorrectionItem.objects.get(request__application=application)
    client = login(personas[persona])
    assert client.post(_url("grading:attachment_withdraw", application, attachment.pk)).status_code == status
    assert (
        client.post(
            _url("grading:correction_answer", application, item.pk), {f"item{item.pk}-answer": "已改"}
        ).status_code
        == status
    )
    attachment.refresh_from_db()
    item.refresh_from_db()
    assert attachment.superseded_at is None and item.state == CorrectionItem.State.OPEN


@pytest.mark.parametrize(
    "name", ["grading:back_to_draft", "grading:submit", "grading:county_resubmit", "grading:city_resubmit"]
)
def test_moves_are_post_only(login, personas, draft, name):
    assert login(personas.enterprise_principal).get(_url(name, draft)).status_code == 405


def test_principal_only_moves_are_403_for_the_enterprise_user(login, personas, draft):
    client = login(personas.enterprise_user)
    response = client.post(_url("grading:withdraw", draft), {"state": "draft", "reason": "不申请了"})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


# --- Starting an application ---------------------------------------------------------------


def test_create_defaults_and_redirects_to_the_case(login, personas):
    from grading.tests.factories import commerce_enterprise
    from standards.tests.factories import published_warehousing

    commerce_enterprise(personas)
    standard = published_warehousing(personas.admin)
    client = login(personas.enterprise_user)
    form = client.get(reverse("grading:create")).context["form"]
    assert form["grade_level"].value() == 3 and form["kind"].value() == "initial"
    assert list(form.fields["standard"].queryset) == [standard]
    response = client.post(
        reverse("grading:create"), {"standard": standard.pk, "grade_level": 3, "kind": "initial"}
    )
    application = GradingApplication.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("grading:detail", application)
    assert application.grade_level == 3 and application.enterprise == personas.enterprise


def test_a_second_open_application_is_refused_on_the_form(login, personas, draft):
    client = login(personas.enterprise_principal)
    response = client.post(
        reverse("grading:create"), {"standard": draft.standard_id, "grade_level": 3, "kind": "initial"}
    )
    assert response.status_code == 200
    message = gettext("Application %(number)s is still open; finish or withdraw it first.") % {
        "number": draft.number
    }
    assert message in response.context["form"].non_field_errors()
    assert GradingApplication.objects.count() == 1


# --- The file ------------------------------------------------------------------------------


def _file_data(**overrides) -> dict:
    data = {
        "grade_level": "3",
        "assessment_started_on": "2026-01-05",
        "assessment_finished_on": "2026-01-20",
        "internal_publicity_place": "办公楼一层公告栏",
        "summary": "组织全员开展自评",
        "problems-TOTAL_FORMS": "3",
        "problems-INITIAL_FORMS": "0",
        "problems-0-problem": "消防通道堆放杂物",
        "problems-0-fix": "已清理并设置标识",
        "problems-1-problem": "",
        "problems-1-fix": "",
        "problems-2-problem": "叉车未年检",
        "problems-2-fix": "已送检",
        "problems-2-DELETE": "on",
    }
    data.update(overrides)
    return data


def test_edit_file_saves_through_the_service(login, personas, draft):
    client = login(personas.enterprise_user)
    response = client.post(_url("grading:edit", draft), _file_data())
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.summary == "组织全员开展自评"
    assert draft.self_found_problems == [{"problem": "消防通道堆放杂物", "fix": "已清理并设置标识"}]
    assert str(draft.assessment_finished_on) == "2026-01-20"
    # The page shows the saved rows again.
    page = client.get(_url("grading:edit", draft))
    assert page.context["problems"].forms[0]["problem"].value() == "消防通道堆放杂物"


def test_edit_file_refusal_keeps_the_input(login, personas, draft):
    client = login(personas.enterprise_user)
    response = client.post(
        _url("grading:edit", draft),
        _file_data(assessment_started_on="2026-01-20", assessment_finished_on="2026-01-05", summary="新摘要"),
    )
    assert response.status_code == 200
    assert (
        gettext("The self-assessment cannot finish before it starts.")
        in response.context["form"].errors["assessment_finished_on"]
    )
    assert "新摘要" in response.content.decode()
    draft.refresh_from_db()
    assert draft.summary == ""


def _team_data(rows) -> dict:
    data = {"team-TOTAL_FORMS": str(len(rows)), "team-INITIAL_FORMS": "0"}
    for n, (name, role) in enumerate(rows):
        data.update(
            {f"team-{n}-name": name, f"team-{n}-position": "", f"team-{n}-role": role, f"team-{n}-phone": ""}
        )
    return data


def test_team_needs_exactly_one_leader(login, personas, draft):
    client = login(personas.enterprise_user)
    before = list(draft.team.values_list("name", flat=True))
    response = client.post(_url("grading:team", draft), _team_data([("张三", "leader"), ("李四", "leader")]))
    assert response.status_code == 200
    assert gettext("The group has exactly one leader: the principal.") in response.context["errors"]
    assert "李四" in response.content.decode()  # the input is kept
    assert list(draft.team.values_list("name", flat=True)) == before
    response = client.post(
        _url("grading:team", draft),
        _team_data([("张三", "leader"), ("李四", "member"), ("王五", "employee_rep"), ("", "member")]),
    )
    assert response.status_code == 302
    assert list(draft.team.values_list("name", "role")) == [
        ("张三", "leader"),
        ("李四", "member"),
        ("王五", "employee_rep"),
    ]


# --- Attachments ---------------------------------------------------------------------------


def _licence() -> RequiredDocument:
    return RequiredDocument.objects.get(code="business_licence")


def test_upload_stores_a_version(login, personas, draft):
    client = login(personas.enterprise_user)
    response = client.post(
        _url("grading:attachment_add", draft), {"document": _licence().pk, "file": pdf_file("执照.pdf")}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(application=draft)
    assert attachment.version == 1 and attachment.original_name == "执照.pdf"
    assert "执照.pdf" in client.get(_url("grading:detail", draft)).content.decode()


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "application/pdf"),
        SimpleUploadedFile("empty.pdf", b"", "application/pdf"),
        SimpleUploadedFile("huge.pdf", b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024 + 1), "application/pdf"),
    ],
    ids=["exe-renamed-pdf", "empty", "oversize"],
)
def test_bad_upload_is_refused_and_nothing_stored(login, personas, draft, upload):
    response = login(personas.enterprise_user).post(
        _url("grading:attachment_add", draft), {"document": _licence().pk, "file": upload}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors
    if upload.name != "empty.pdf":  # Django's own field refuses an empty file first
        assert upload.name in errors[0]
    assert 'data-testid="attachment-errors"' in response.content.decode()
    assert Attachment.objects.count() == 0


def test_withdraw_attachment_then_a_second_click_is_stale(login, personas, draft):
    attachment = services.attachment_add(
        actor=personas.enterprise_user, application=draft, document=_licence(), file=pdf_file()
    )
    client = login(personas.enterprise_user)
    url = _url("grading:attachment_withdraw", draft, attachment.pk)
    client.post(url)
    attachment.refresh_from_db()
    assert attachment.superseded_at is not None
    response = client.post(url, follow=True)
    assert gettext(STALE) in _messages(response)


# --- The commitment ------------------------------------------------------------------------


def test_only_the_principal_signs(login, personas, draft):
    client = login(personas.enterprise_user)
    page = client.get(_url("grading:commitment", draft))
    assert page.context["can_sign"] is False
    assert page.context["commitment_text"] == services.commitment_text_for(draft)
    assert client.post(_url("grading:commitment", draft), {"confirm": "on"}).status_code == 403
    draft.refresh_from_db()
    assert draft.commitment_signed_at is None

    client = login(personas.enterprise_principal)
    page = client.get(_url("grading:commitment", draft))
    assert page.context["can_sign"] is True
    assert personas.enterprise.name in page.content.decode()  # the full text, before signing
    assert client.post(_url("grading:commitment", draft), {}).status_code == 200  # not confirmed
    draft.refresh_from_db()
    assert draft.commitment_signed_at is None
    response = client.post(_url("grading:commitment", draft), {"confirm": "on"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.commitment_signed_by == personas.enterprise_principal
    # The page shows the text that was signed: its hash is the stored one.
    page = client.get(_url("grading:detail", draft))
    assert hashlib.sha256(page.context["commitment_text"].encode()).hexdigest() == draft.commitment_sha256
    assert 'data-testid="commitment-signed"' in page.content.decode()


# --- Moves ---------------------------------------------------------------------------------


def test_start_publicity_moves_the_case_and_the_timeline_shows_it(login, personas, draft):
    fill_sheet(draft, personas.enterprise_user)
    client = login(personas.enterprise_principal)
    form = client.get(_url("grading:start_publicity", draft)).context["form"]
    assert form["start"].value() == timezone.localdate()
    start = timezone.localdate() - timedelta(days=1)
    response = client.post(
        _url("grading:start_publicity", draft),
        {"state": "draft", "start": start.isoformat(), "place": "食堂门口"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.INTERNAL_PUBLICITY
    assert draft.internal_publicity_start == start and draft.internal_publicity_place == "食堂门口"
    page = client.get(_url("grading:detail", draft))
    titles = [row["entry"].title for row in page.context["timeline"]]
    assert str(gettext("Start internal publicity")) in titles
    assert page.context["deadline"].kind == "minimum"


def test_start_publicity_refused_shows_why_and_changes_nothing(login, personas, draft):
    client = login(personas.enterprise_principal)
    response = client.post(
        _url("grading:start_publicity", draft),
        {"state": "draft", "start": timezone.localdate().isoformat(), "place": "食堂门口"},
    )
    assert response.status_code == 200
    left = draft.standard.items.count()
    message = gettext("Score every item of the self-assessment first (%(n)s left).") % {"n": left}
    assert any(message in e for e in response.context["form"].non_field_errors())
    assert "食堂门口" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.transitions.count() == 1


def test_start_publicity_in_the_future_is_a_field_error(login, personas, draft):
    fill_sheet(draft, personas.enterprise_user)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = login(personas.enterprise_principal).post(
        _url("grading:start_publicity", draft),
        {"state": "draft", "start": tomorrow.isoformat(), "place": "食堂"},
    )
    assert response.status_code == 200
    assert gettext("The publicity cannot start in the future.") in response.context["form"].errors["start"]


def test_back_to_draft(login, personas, draft):
    application = _publicity(personas, draft)
    response = login(personas.enterprise_principal).post(
        _url("grading:back_to_draft", application), {"state": Status.INTERNAL_PUBLICITY}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_submit_refused_names_the_failing_condition(login, personas, draft):
    application = _publicity(personas, draft)
    for document in RequiredDocument.objects.filter(required=True):
        services.attachment_add(
            actor=personas.enterprise_user, application=application, document=document, file=pdf_file()
        )
    response = login(personas.enterprise_principal).post(
        _url("grading:submit", application), {"state": Status.INTERNAL_PUBLICITY}, follow=True
    )
    messages = _messages(response)
    assert len(messages) == 1
    assert gettext("The principal has not signed the commitment.") in messages[0]
    application.refresh_from_db()
    assert application.status == Status.INTERNAL_PUBLICITY
    assert not application.transitions.filter(transition="submit").exists()


def test_double_submit_makes_one_transition(login, personas, draft):
    application = _publicity(personas, draft)
    file_everything(application, personas)
    client = login(personas.enterprise_principal)
    data = {"state": Status.INTERNAL_PUBLICITY}
    first = client.post(_url("grading:submit", application), data, follow=True)
    assert gettext("Submitted the application to the county.") in _messages(first)
    second = client.post(_url("grading:submit", application), data, follow=True)
    assert _messages(second) == [gettext(STALE)]
    application.refresh_from_db()
    assert application.status == Status.COUNTY_REVIEW
    assert application.transitions.filter(transition="submit").count() == 1


def test_a_move_not_available_now_is_refused(login, personas, draft):
    # No state posted (e.g. an old form): the transitions table refuses submitting a draft.
    response = login(personas.enterprise_principal).post(_url("grading:submit", draft), follow=True)
    assert _messages(response) == [gettext("This cannot be done in the current state.")]
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_withdraw_needs_a_reason(login, personas, draft):
    client = login(personas.enterprise_principal)
    response = client.post(_url("grading:withdraw", draft), {"state": "draft", "reason": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    response = client.post(_url("grading:withdraw", draft), {"state": "draft", "reason": "企业搬迁"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.WITHDRAWN and draft.closing_reason == "企业搬迁"


# --- Corrections ---------------------------------------------------------------------------


def test_correction_answer_and_resubmit(login, personas, draft):
    application = advance(draft, personas, Status.COUNTY_RETURNED)
    item = CorrectionItem.objects.get(request__application=application)
    principal = login(personas.enterprise_principal)
    page = principal.get(_url("grading:detail", application))
    assert page.context["unanswered"] == 1
    assert "county_resubmit" not in page.context["move_names"]  # appears once every line is answered
    html = page.content.decode()
    assert "扫描件不清晰" in html and 'data-testid="correction-answer-form"' in html

    url = _url("grading:correction_answer", application, item.pk)
    empty = principal.post(url, {f"item{item.pk}-answer": ""}, headers={"HX-Request": "true"})
    assert empty.status_code == 200 and "HX-Refresh" not in empty
    item.refresh_from_db()
    assert item.state == CorrectionItem.State.OPEN

    answered = principal.post(
        url, {f"item{item.pk}-answer": "已重新上传清晰的营业执照"}, headers={"HX-Request": "true"}
    )
    assert answered.status_code == 200
    assert answered["HX-Refresh"] == "true"
    assert 'id="item-' in answered.content.decode() and "<html" not in answered.content.decode()
    item.refresh_from_db()
    assert item.state == CorrectionItem.State.ANSWERED and item.answer == "已重新上传清晰的营业执照"

    page = principal.get(_url("grading:detail", application))
    assert "county_resubmit" in page.context["move_names"]
    response = principal.post(
        _url("grading:county_resubmit", application), {"state": Status.COUNTY_RETURNED}, follow=True
    )
    assert gettext("Resubmitted the corrected application to the county.") in _messages(response)
    application.refresh_from_db()
    assert application.status == Status.COUNTY_REVIEW
    # The notice is closed to answers now that the county holds the file again.
    assert principal.post(url, {f"item{item.pk}-answer": "再改"}).status_code == 403


def test_correction_answer_without_htmx_redirects(login, personas, draft):
    application = advance(draft, personas, Status.COUNTY_RETURNED)
    item = CorrectionItem.objects.get(request__application=application)
    client = login(personas.enterprise_user)
    url = _url("grading:correction_answer", application, item.pk)
    response = client.post(url, {f"item{item.pk}-answer": "已整改"})
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{item.pk}")
    error = client.post(url, {f"item{item.pk}-answer": ""})
    assert error.status_code == 200  # the case page again, with the line's error
    assert error.context["corrections"][0]["items"][0]["form"].errors


def test_resubmit_refused_while_a_line_is_open(login, personas, draft):
    application = advance(draft, personas, Status.COUNTY_RETURNED)
    response = login(personas.enterprise_principal).post(
        _url("grading:county_resubmit", application), {"state": Status.COUNTY_RETURNED}, follow=True
    )
    assert (
        gettext("Answer every item of the correction notice first (%(n)s left).") % {"n": 1}
        in _messages(response)[0]
    )
    application.refresh_from_db()
    assert application.status == Status.COUNTY_RETURNED
