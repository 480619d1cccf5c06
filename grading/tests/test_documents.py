"""The case's PDFs: what each document says, the stored versions the moves produce, the downloads.

The PDFs are read back with ``pdftotext -layout``. Assertions compare data from the database
(names, codes, numbers, Chinese values typed by users) with the whitespace of the layout
removed, and labels only through gettext in the site's language.
"""

import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from accounts.models import Organisation
from accounts.tests.battery import assert_redirects_to_login
from grading import eligibility, services
from grading.documents import DocumentUnavailable, document_context, render_document
from grading.models import CityDecision, GeneratedDocument, GradingApplication, RequiredDocument, Status
from grading.selectors import application_documents, documents_panel, regulator_organisation
from grading.tasks import generate_document
from grading.tests.factories import PDF_BYTES, advance, file_everything, make_application, pdf_file
from standards.models import Element
from standards.selectors import sheet_result
from standards.services import DeductionIn, EntryIn, sheet_entries_save

PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"  # poppler-utils

pytestmark = pytest.mark.django_db

Kind = GeneratedDocument.Kind
DEDUCTION_REASON = "预案未评审"
EXTRA_REASON = "台账缺页"
NA_REASON = "不涉及冷库"
PROBLEM, FIX = "通道堆物", "已清理"
TEAM = [("王五", "leader", "总经理"), ("赵六", "member", "安全员"), ("钱七", "employee_rep", "叉车工")]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [PDFTOTEXT, "-layout", "-", "-"], input=content, capture_output=True, check=True, timeout=60
    )
    return result.stdout.decode("utf-8")


def flat(text: str) -> str:
    """The text without whitespace: the layout breaks lines and spaces CJK text freely."""
    return "".join(str(text).split())


def zh(msgid: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(msgid)


def zh_date(day: date) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return date_format(day, "DATE_FORMAT")


def render_text(application: GradingApplication, kind: str) -> str:
    return flat(pdf_text(render_document(application, kind)))


# --- 自评报告 ------------------------------------------------------------------------------------


def scored_for_publicity(personas) -> GradingApplication:
    """A draft scored with a deduction, an extra deduction and an item not applicable, a team of
    three and a self-found problem, then posted inside the enterprise (through the services)."""
    user = personas.enterprise_user
    application = make_application(personas)
    codes = list(application.standard.items.order_by("sort_order").values_list("code", flat=True))
    entries = [EntryIn(code) for code in codes]
    entries[0] = EntryIn(codes[0], deductions=(DeductionIn("2", DEDUCTION_REASON),))
    entries[1] = EntryIn(codes[1], extra_deduction="1", extra_reason=EXTRA_REASON)
    entries[-1] = EntryIn(codes[-1], applicable=False, na_reason=NA_REASON)
    sheet_entries_save(actor=user, sheet=application.self_sheet, entries=entries)
    services.team_save(
        actor=user,
        application=application,
        members=[services.MemberIn(name=n, role=r, position=p) for n, r, p in TEAM],
    )
    services.application_update(
        actor=user,
        application=application,
        data={"self_found_problems": [{"problem": PROBLEM, "fix": FIX}], "summary": "自评工作按计划完成"},
    )
    services.application_start_publicity(
        actor=personas.enterprise_principal,
        application=application,
        start=timezone.localdate() - timedelta(days=20),
        place="办公楼公告栏",
    )
    application.refresh_from_db()
    return application


def test_self_assessment_report_carries_the_case(personas):
    application = scored_for_publicity(personas)
    enterprise = application.enterprise
    text = render_text(application, Kind.SELF_ASSESSMENT_REPORT)

    for value in (
        enterprise.name,
        enterprise.uscc,
        enterprise.gb4754_code,
        enterprise.principal_name,
        enterprise.safety_manager_name,
        application.number,
        application.standard.name,
        "办公楼公告栏",
        "自评工作按计划完成",
        zh_date(application.internal_publicity_start),
        *(name for name, _role, _position in TEAM),
    ):
        assert flat(value) in text, value
    # The element table: every element name of the standard (short enough not to wrap) and the total.
    elements = list(Element.objects.filter(standard=application.standard).order_by("no"))
    assert flat(elements[0].name) in text
    assert all(flat(e.name) in text for e in elements if len(e.name) <= 6)
    result = sheet_result(application.self_sheet)
    assert result.percentage is not None and result.percentage < 100
    assert f"{result.percentage}%" in text
    assert str(result.earned) in text and str(result.denominator) in text
    assert str(result.na_points) in text
    # Deductions, the item not applicable, the problems found and fixed.
    codes = list(application.standard.items.order_by("sort_order").values_list("code", flat=True))
    assert codes[0] in text and DEDUCTION_REASON in text and EXTRA_REASON in text
    assert codes[-1] in text and NA_REASON in text
    assert PROBLEM in text and FIX in text
    # The commitment, not signed yet.
    assert flat(services.commitment_text_for(application))[:40] in text
    assert flat(zh("Not signed")) in text


def test_self_assessment_report_shows_who_signed_and_when(personas):
    application = scored_for_publicity(personas)
    services.commitment_sign(actor=personas.enterprise_principal, application=application)
    application.refresh_from_db()
    text = render_text(application, Kind.SELF_ASSESSMENT_REPORT)
    assert flat(personas.enterprise_principal.get_full_name()) in text
    assert zh_date(timezone.localdate(application.commitment_signed_at)) in text
    assert flat(zh("Not signed")) not in text


def test_the_report_context_lists_deductions_and_items_not_applicable(personas):
    application = scored_for_publicity(personas)
    context = document_context(application, Kind.SELF_ASSESSMENT_REPORT)
    assert [(d.reason, d.points, d.extra) for d in context["deductions"]] == [
        (DEDUCTION_REASON, Decimal("2"), False),
        (EXTRA_REASON, Decimal("1"), True),
    ]
    assert context["deducted_total"] == Decimal("3")
    assert [r.reason for r in context["not_applicable"]] == [NA_REASON]
    assert [m.name for m in context["team"]] == [n for n, _r, _p in TEAM]


# --- 初审意见 ------------------------------------------------------------------------------------


def test_county_review_opinion_carries_the_opinion_and_the_checklist(personas):
    application = advance(make_application(personas), personas, Status.CITY_REVIEW)
    services.guidance_add(actor=personas.city_officer, application=application, text="补充培训记录")
    text = render_text(application, Kind.COUNTY_OPINION)

    opinion = application.county_opinions.get()
    for value in (
        application.number,
        application.enterprise.name,
        application.enterprise.uscc,
        opinion.basic_info_check,
        opinion.licence_check,
        opinion.score_check,
        opinion.site_check,
        "核实无误",  # the county's confirmation notes
        "补充培训记录",  # guidance given
        opinion.drafted_by.get_full_name(),
        opinion.approved_by.get_full_name(),
        zh_date(timezone.localdate(opinion.approved_at)),
        "站前区应急管理局",
    ):
        assert flat(value) in text, value
    with translation.override(settings.LANGUAGE_CODE):
        checks = eligibility.evaluate(application)
        conclusion = str(opinion.get_conclusion_display())
    assert all(c.code in text for c in checks)
    assert flat(conclusion) in text


def test_county_review_opinion_needs_an_opinion(personas):
    application = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    with pytest.raises(DocumentUnavailable):
        render_document(application, Kind.COUNTY_OPINION)


# --- 受理通知书 / 不予受理告知书 ---------------------------------------------------------------------


def test_acceptance_notice(personas):
    application = advance(make_application(personas), personas, Status.ACCEPTED)
    text = render_text(application, Kind.DECISION_NOTICE)
    assert flat(zh("Notice of acceptance")) in text
    assert flat(zh("Notice of non-acceptance")) not in text
    for value in (application.enterprise.name, application.number, "营口市应急管理局"):
        assert value in text
    assert zh_date(timezone.localdate(application.decided_at)) in text


def test_non_acceptance_notice_gives_reasons_and_no_ban(personas):
    application = advance(make_application(personas), personas, Status.NOT_ACCEPTED)
    assert application.ban_until is None  # ban_not_accepted is 0 months by default
    text = render_text(application, Kind.DECISION_NOTICE)
    assert flat(zh("Notice of non-acceptance")) in text
    assert "材料不符合要求" in text and application.enterprise.name in text
    no_ban = zh("No waiting period applies: you may apply again once the problems are resolved.")
    assert flat(no_ban) in text


def test_non_acceptance_notice_gives_the_earliest_reapplication_date(personas):
    application = advance(make_application(personas), personas, Status.NOT_ACCEPTED)
    ban = timezone.localdate() + timedelta(days=180)
    GradingApplication.objects.filter(pk=application.pk).update(ban_until=ban)
    application.refresh_from_db()
    text = render_text(application, Kind.DECISION_NOTICE)
    assert zh_date(ban) in text


def test_the_notice_comes_from_the_city_bureau_over_the_enterprise(personas):
    application = advance(make_application(personas), personas, Status.ACCEPTED)
    bureau = regulator_organisation(application, "city_bureau")
    assert bureau is not None and bureau.name == "营口市应急管理局"
    Organisation.objects.filter(pk=bureau.pk).update(name="营口市应急管理局测试")
    assert "营口市应急管理局测试" in render_text(application, Kind.DECISION_NOTICE)
    Organisation.objects.filter(pk=bureau.pk).update(is_active=False)
    assert regulator_organisation(application, "city_bureau") is None
    text = render_text(application, Kind.DECISION_NOTICE)
    assert "营口市应急管理局" in text and "营口市应急管理局测试" not in text


def test_decision_notice_needs_a_decision(personas):
    application = advance(make_application(personas), personas, Status.CITY_REVIEW)
    with pytest.raises(DocumentUnavailable):
        render_document(application, Kind.DECISION_NOTICE)


# --- 补正告知书 ----------------------------------------------------------------------------------


def test_county_correction_notice_lists_every_item(personas):
    application = advance(make_application(personas), personas, Status.COUNTY_RETURNED)
    text = render_text(application, Kind.CORRECTION_NOTICE)
    request = application.correction_requests.get()
    for value in (
        application.enterprise.name,
        application.number,
        "营业执照",
        "扫描件不清晰",
        "重新上传清晰的营业执照",
        request.created_by.get_full_name(),
        "站前区应急管理局",
        zh_date(timezone.localdate(request.created_at)),
    ):
        assert flat(value) in text, value
    assert flat(zh("All defects found are listed here at once; correct every item and resubmit.")) in text


def test_city_correction_notice_comes_from_the_city(personas):
    application = advance(make_application(personas), personas, Status.CITY_RETURNED)
    text = render_text(application, Kind.CORRECTION_NOTICE)
    for value in ("自评报告", "未签字", "主要负责人签字后重新上传", "材料不符合要求", "营口市应急管理局"):
        assert value in text, value
    with translation.override(settings.LANGUAGE_CODE):
        stage = str(application.correction_requests.get().get_stage_display())
    assert flat(stage) in text


def test_correction_notice_needs_a_request(personas):
    with pytest.raises(DocumentUnavailable):
        render_document(make_application(personas), Kind.CORRECTION_NOTICE)


def test_an_unknown_kind_is_refused(personas):
    with pytest.raises(ValueError):
        render_document(make_application(personas), "certificate")


# --- Stored versions: the moves enqueue the task on commit ---------------------------------------


def _kinds(application) -> list[tuple[str, int]]:
    return sorted(application.documents.values_list("kind", "version"))


def test_submitting_stores_the_self_assessment_report(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    # Once when posted inside the enterprise, once when submitted.
    assert _kinds(application) == [(Kind.SELF_ASSESSMENT_REPORT, 1), (Kind.SELF_ASSESSMENT_REPORT, 2)]
    latest = application.documents.get(version=2)
    assert latest.reason == "submit" and latest.created_by == personas.enterprise_principal
    content = latest.file.open("rb").read()
    assert len(content) == latest.size
    text = flat(pdf_text(content))
    first_element = Element.objects.filter(standard=application.standard).order_by("no").first()
    for value in (application.enterprise.name, application.enterprise.uscc, "张三", first_element.name):
        assert value in text, value
    assert f"{sheet_result(application.self_sheet).percentage}%" in text


def test_the_county_forward_stores_the_opinion(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = advance(make_application(personas), personas, Status.CITY_REVIEW)
    doc = application.documents.get(kind=Kind.COUNTY_OPINION)
    assert doc.version == 1 and doc.reason == "round:1" and doc.created_by == personas.county_chief
    assert "企业基本情况属实" in flat(pdf_text(doc.file.open("rb").read()))


def test_acceptance_stores_the_decision_notice(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = advance(make_application(personas), personas, Status.ACCEPTED)
    doc = application.documents.get(kind=Kind.DECISION_NOTICE)
    assert doc.reason == "accept" and doc.created_by == personas.city_chief
    assert flat(zh("Notice of acceptance")) in flat(pdf_text(doc.file.open("rb").read()))


def test_non_acceptance_stores_the_decision_notice(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = advance(make_application(personas), personas, Status.NOT_ACCEPTED)
    doc = application.documents.get(kind=Kind.DECISION_NOTICE)
    assert doc.reason == "not_accept"
    assert "材料不符合要求" in flat(pdf_text(doc.file.open("rb").read()))


@pytest.mark.parametrize(
    ("to", "reason", "item"),
    [(Status.COUNTY_RETURNED, "county:1", "扫描件不清晰"), (Status.CITY_RETURNED, "city:1", "未签字")],
)
def test_a_return_stores_the_correction_notice(
    personas, django_capture_on_commit_callbacks, to, reason, item
):
    with django_capture_on_commit_callbacks(execute=True):
        application = advance(make_application(personas), personas, to)
    doc = application.documents.get(kind=Kind.CORRECTION_NOTICE)
    assert doc.reason == reason
    assert item in flat(pdf_text(doc.file.open("rb").read()))


def test_the_task_stores_a_new_version_each_time(personas):
    application = advance(make_application(personas), personas, Status.COUNTY_RETURNED)
    for expected in (1, 2):
        result = generate_document.enqueue(
            application.pk, Kind.CORRECTION_NOTICE, personas.county_officer.pk, "manual"
        )
        assert result.return_value == f"{Kind.CORRECTION_NOTICE} v{expected}"
    assert _kinds(application) == [(Kind.CORRECTION_NOTICE, 1), (Kind.CORRECTION_NOTICE, 2)]


def test_without_a_commit_nothing_is_generated(personas):
    """Inside an uncommitted transaction (the test's), the on-commit task has not run."""
    application = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    assert not application.documents.exists()


# --- The documents card ------------------------------------------------------------------------


def _stored(application, personas, kind=Kind.SELF_ASSESSMENT_REPORT) -> GeneratedDocument:
    return services.document_store(
        actor=personas.county_officer, application=application, kind=kind, content=PDF_BYTES, reason="test"
    )


def test_documents_panel_lists_versions_and_previews(personas):
    application = make_application(personas)
    panel = documents_panel(application)
    assert panel.documents == [] and [k for k, _l in panel.preview_kinds] == [Kind.SELF_ASSESSMENT_REPORT]
    first = _stored(application, personas)
    second = _stored(application, personas, Kind.CORRECTION_NOTICE)
    panel = documents_panel(application)
    assert panel.documents == [second, first] == application_documents(application)
    assert [k for k, _l in panel.preview_kinds] == [Kind.SELF_ASSESSMENT_REPORT, Kind.CORRECTION_NOTICE]


def test_documents_include_renders_links(personas):
    application = make_application(personas)
    doc = _stored(application, personas)
    html = render_to_string("grading/_documents.html", {"application": application})
    assert reverse("grading:document", args=[application.pk, doc.pk]) in html
    assert reverse("grading:document_preview", args=[application.pk, Kind.SELF_ASSESSMENT_REPORT]) in html
    assert reverse("grading:document_preview", args=[application.pk, Kind.CORRECTION_NOTICE]) not in html


# --- Views ---------------------------------------------------------------------------------------

SEE = (
    "enterprise_user",
    "enterprise_principal",
    "county_officer",
    "county_chief",
    "city_officer",
    "city_chief",
    "bureau_leader",
)
OUTSIDERS = ("other_county_officer", "other_enterprise_user", "expert")
BATTERY = [(p, 200) for p in SEE] + [(p, 404) for p in OUTSIDERS] + [("anonymous", 302)]


def _check(response, status: int) -> None:
    if status == 302:
        assert_redirects_to_login(response)
    else:
        assert response.status_code == status


def _filename(response) -> str:
    disposition = response["Content-Disposition"]
    return unquote(disposition.split("filename*=UTF-8''", 1)[1])


@pytest.mark.parametrize(("persona", "status"), BATTERY)
def test_document_download_access(login, personas, persona, status):
    application = make_application(personas)
    doc = _stored(application, personas)
    response = login(personas[persona]).get(reverse("grading:document", args=[application.pk, doc.pk]))
    _check(response, status)
    if status == 200:
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Cache-Control"] == "private, no-store"


def test_document_download_name(login, personas):
    application = make_application(personas)
    _stored(application, personas)
    doc = _stored(application, personas)
    response = login(personas.enterprise_user).get(reverse("grading:document", args=[application.pk, doc.pk]))
    label = zh("Self-assessment report")
    assert _filename(response) == f"{application.number}-{label}-v2.pdf"


def test_a_document_of_another_application_is_404(login, personas):
    first = make_application(personas)
    doc = _stored(first, personas)
    services.application_withdraw(actor=personas.enterprise_principal, application=first, reason="重新申请")
    second = make_application(personas)
    client = login(personas.city_officer)
    assert client.get(reverse("grading:document", args=[second.pk, doc.pk])).status_code == 404
    assert client.get(reverse("grading:document", args=[first.pk, doc.pk])).status_code == 200
    assert client.get(reverse("grading:document", args=[first.pk, doc.pk + 1000])).status_code == 404


def test_download_is_get_only(login, personas):
    application = make_application(personas)
    doc = _stored(application, personas)
    response = login(personas.enterprise_user).post(
        reverse("grading:document", args=[application.pk, doc.pk])
    )
    assert response.status_code == 405


@pytest.mark.parametrize(("persona", "status"), BATTERY)
def test_preview_access(login, personas, persona, status):
    application = make_application(personas)
    url = reverse("grading:document_preview", args=[application.pk, Kind.SELF_ASSESSMENT_REPORT])
    response = login(personas[persona]).get(url)
    _check(response, status)
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("inline;")
        assert application.enterprise.name in flat(pdf_text(response.content))


def test_preview_of_other_documents_only_once_they_exist(login, personas):
    application = advance(make_application(personas), personas, Status.COUNTY_RETURNED)
    client = login(personas.enterprise_user)
    url = reverse("grading:document_preview", args=[application.pk, Kind.CORRECTION_NOTICE])
    assert client.get(url).status_code == 404
    _stored(application, personas, Kind.CORRECTION_NOTICE)
    response = client.get(url)
    assert response.status_code == 200
    assert "扫描件不清晰" in flat(pdf_text(response.content))
    # A stored kind whose data is gone, and a kind that does not exist: 404.
    _stored(application, personas, Kind.DECISION_NOTICE)
    assert client.get(url.replace(Kind.CORRECTION_NOTICE, Kind.DECISION_NOTICE)).status_code == 404
    assert client.get(url.replace(Kind.CORRECTION_NOTICE, "certificate")).status_code == 404


@pytest.mark.parametrize(("persona", "status"), BATTERY)
def test_attachment_download_access(login, personas, persona, status):
    application = make_application(personas)
    file_everything(application, personas)
    attachment = application.attachments.first()
    url = reverse("grading:attachment", args=[application.pk, attachment.pk])
    response = login(personas[persona]).get(url)
    _check(response, status)
    if status == 200:
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert _filename(response) == attachment.original_name


def test_attachment_of_another_application_is_404(login, personas):
    first = make_application(personas)
    document = RequiredDocument.objects.filter(required=True).first()
    attachment = services.attachment_add(
        actor=personas.enterprise_user, application=first, document=document, file=pdf_file("营业执照.pdf")
    )
    services.application_withdraw(actor=personas.enterprise_principal, application=first, reason="重新申请")
    second = make_application(personas)
    client = login(personas.enterprise_user)
    assert client.get(reverse("grading:attachment", args=[second.pk, attachment.pk])).status_code == 404
    response = client.get(reverse("grading:attachment", args=[first.pk, attachment.pk]))
    assert response.status_code == 200 and _filename(response) == "营业执照.pdf"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("county_officer", 200),
        ("county_chief", 200),
        ("city_officer", 200),
        ("enterprise_user", 404),
        ("enterprise_principal", 404),
        ("bureau_leader", 404),
        ("other_county_officer", 404),
        ("anonymous", 302),
    ],
)
def test_reviewers_preview_the_county_opinion_being_drafted(login, personas, persona, status):
    application = advance(make_application(personas), personas, Status.COUNTY_REVIEW)
    url = reverse("grading:document_preview", args=[application.pk, Kind.COUNTY_OPINION])
    assert login(personas.county_officer).get(url).status_code == 404  # nothing drafted yet
    services.county_opinion_save(
        actor=personas.county_officer, application=application, data={"basic_info_check": "草稿核实内容"}
    )
    response = login(personas[persona]).get(url)
    _check(response, status)
    if status == 200:
        assert "草稿核实内容" in flat(pdf_text(response.content))


def return_to_county(application, personas) -> None:
    """The city sends the file back to the county (a correction notice addressed to the county)."""
    services.city_decision_save(
        actor=personas.city_officer,
        application=application,
        data={
            "proposal": CityDecision.Proposal.RETURN_COUNTY,
            "reasons": "初审意见不完整",
            "correction_items": [{"subject": "初审意见", "problem": "缺现场核查", "fix": "补充现场核查"}],
        },
    )
    decision = services.current_city_decision(application)
    services.city_decision_submit(actor=personas.city_officer, decision=decision)
    services.city_decision_approve(actor=personas.city_chief, decision=decision)


def test_the_enterprise_sees_the_approved_opinion_not_the_next_draft(login, personas):
    application = advance(make_application(personas), personas, Status.CITY_REVIEW)
    _stored(application, personas, Kind.COUNTY_OPINION)
    return_to_county(application, personas)  # the county then drafts a second opinion
    services.county_opinion_save(
        actor=personas.county_officer, application=application, data={"site_check": "第二轮草稿"}
    )
    url = reverse("grading:document_preview", args=[application.pk, Kind.COUNTY_OPINION])
    enterprise_text = flat(pdf_text(login(personas.enterprise_user).get(url).content))
    assert "现场核查未见重大隐患" in enterprise_text and "第二轮草稿" not in enterprise_text
    county_text = flat(pdf_text(login(personas.county_officer).get(url).content))
    assert "第二轮草稿" in county_text


def test_a_notice_to_the_county_stays_between_regulators(login, personas, django_capture_on_commit_callbacks):
    application = advance(make_application(personas), personas, Status.CITY_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        return_to_county(application, personas)
    doc = application.documents.get(kind=Kind.CORRECTION_NOTICE)
    assert doc.reason == "city:1"
    assert "缺现场核查" in flat(pdf_text(doc.file.open("rb").read()))
    download = reverse("grading:document", args=[application.pk, doc.pk])
    preview = reverse("grading:document_preview", args=[application.pk, Kind.CORRECTION_NOTICE])
    for persona in ("enterprise_user", "enterprise_principal"):
        client = login(personas[persona])
        assert client.get(download).status_code == 404
        assert client.get(preview).status_code == 404
        assert doc not in documents_panel(application, user=personas[persona]).documents
    for persona in ("county_officer", "city_officer"):
        client = login(personas[persona])
        assert client.get(download).status_code == 200
        response = client.get(preview)
        assert response.status_code == 200 and "缺现场核查" in flat(pdf_text(response.content))
        assert doc in documents_panel(application, user=personas[persona]).documents
