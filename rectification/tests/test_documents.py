"""The rectification PDFs, read back with ``pdftotext``: the 整改通知书 issued with the plan (its
items, the 五落实 of a major hazard, the receipt) and the 整改复查意见 issued when the leader
confirms the rectification (per item: evidence, method, result, verifier, date; conclusion).

As in grading/tests/test_documents.py, values from the database are compared with the text's
whitespace removed, and labels only through gettext in the site's language.
"""

import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from grading.documents import DocumentUnavailable, document_context, render_document
from grading.models import GeneratedDocument, Status
from grading.tests.api_helpers import zh
from grading.tests.factories import make_application, pdf_file
from grading.tests.test_documents import PDFTOTEXT, flat, zh_date
from rectification import services
from rectification.models import Hazard, MajorHazardClause
from rectification.tests.conftest import PLAN_DEDUCTIONS, PLAN_HAZARD_CODES
from reviews.models import PanelMember
from reviews.tests.scoring_helpers import finalise_review, leader_of

pytestmark = pytest.mark.django_db

NOTICE = GeneratedDocument.Kind.RECTIFICATION_NOTICE
CHECK = GeneratedDocument.Kind.RECTIFICATION_CHECK_OPINION


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def who(user) -> str:
    return user.get_full_name() or user.get_username()


def leader_name(application) -> str:
    return PanelMember.objects.get(panel__application=application, role=PanelMember.Role.LEADER).expert.name


def pdf_text(content: bytes) -> str:
    """The PDF's text in the order it was drawn (``-raw``): a table cell's lines stay together,
    where ``-layout`` would interleave the lines of the cells beside it."""
    assert content.startswith(b"%PDF-")
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [PDFTOTEXT, "-raw", "-", "-"], input=content, capture_output=True, check=True, timeout=60
    )
    return result.stdout.decode("utf-8")


def text_of(application, kind: str) -> str:
    return flat(pdf_text(render_document(application, kind)))


def stored_text(application, kind: str) -> str:
    document = GeneratedDocument.objects.get(application=application, kind=kind)
    with document.file.open("rb") as handle:
        return flat(pdf_text(handle.read()))


def test_no_plan_no_rectification_documents(personas):
    application = make_application(personas)
    for kind in (NOTICE, CHECK):
        with pytest.raises(DocumentUnavailable):
            document_context(application, kind)


def test_the_notice_is_issued_with_the_plan_and_shows_the_plan_as_it_stands(
    personas, on_site, django_capture_on_commit_callbacks
):
    application, panel, review = on_site
    with django_capture_on_commit_callbacks(execute=True):
        finalise_review(
            personas, application, panel, review, deductions=PLAN_DEDUCTIONS, hazards=PLAN_HAZARD_CODES
        )
    application.refresh_from_db()
    assert application.status == Status.RECTIFYING
    plan = application.rectification_plan
    first, second = plan.hazards.order_by("pk")
    enterprise = application.enterprise

    # Issued on commit, once, with the plan: the enterprise, each hazard, its requirement and deadline.
    text = stored_text(application, NOTICE)
    for value in (
        zh("Rectification notice"),
        enterprise.name,
        application.number,
        first.description,
        second.description,
        flat(first.requirement)[:20],
        zh_date(first.deadline),
        leader_name(application),
        zh("Receipt"),
    ):
        assert flat(value) in text, value
    assert flat(zh("The plan has no major hazard.")) in text
    # The nonconformity that was no hazard is not on the notice.
    assert "1.2.1项" not in text

    # The leader completes the plan with a major hazard; the enterprise gives its measures and
    # people; the city grants an extension: a re-render shows all of it.
    leader, user = leader_of(panel), personas.enterprise_user
    clause = MajorHazardClause.objects.get(article=3, item=2, active=True)
    major = services.hazard_create(
        actor=leader,
        enterprise=enterprise,
        plan=plan,
        data=services.HazardIn(
            description="特种作业人员无证上岗",
            level="major",
            basis_clause_id=clause.pk,
            requirement="立即停止无证人员作业",
            deadline=timezone.localdate() + timedelta(days=15),
        ),
    )
    services.hazard_update(
        actor=user,
        hazard=major,
        data=services.HazardIn(
            measures="组织特种作业培训取证",
            responsible_name="王五",
            responsible_phone="13700000000",
            funds="8000",
            responsibility="设备部经理王五负责",
            contingency_plan="特种作业事故应急预案",
            governance_plan="三个月内全部持证上岗",
        ),
    )
    services.hazard_update(
        actor=user, hazard=first, data=services.HazardIn(responsible_name="李四", measures="修订管理制度")
    )
    original = first.deadline
    wanted = original + timedelta(days=10)
    extension = services.extension_request(
        actor=user, hazard=first, requested_deadline=wanted, reason="待审批"
    )
    services.extension_decide(actor=personas.city_officer, extension=extension, approve=True)

    text = text_of(application, NOTICE)
    for value in (
        "特种作业人员无证上岗",
        "立即停止无证人员作业",
        "组织特种作业培训取证",
        "王五13700000000",
        "8000.00",
        "设备部经理王五负责",
        "特种作业事故应急预案",
        "三个月内全部持证上岗",
        clause.text,
        zh("2. Five assurances of the major hazards"),
        "李四",
        "修订管理制度",
        zh_date(wanted),
        zh_date(original),  # the original deadline stays on the notice
    ):
        assert flat(value) in text, value
    assert flat(zh("The plan has no major hazard.")) not in text


def test_the_check_opinion_is_issued_when_the_leader_confirms(
    personas, plan, django_capture_on_commit_callbacks
):
    application, the_plan, leader, principal = plan
    user = personas.enterprise_user
    first, second = the_plan.hazards.order_by("pk")
    enterprise_name = application.enterprise.name
    with pytest.raises(DocumentUnavailable):
        document_context(application, CHECK)

    services.hazard_update(actor=user, hazard=first, data=services.HazardIn(responsible_name="李四"))
    services.hazard_evidence_add(actor=user, hazard=first, file=pdf_file("整改后照片.pdf"), kind="after")
    services.hazard_evidence_add(actor=user, hazard=second, file=pdf_file("培训记录.pdf"), kind="document")
    for hazard in (first, second):
        services.hazard_submit(actor=user, hazard=hazard)
    services.hazard_verify(actor=leader, hazard=first, passed=True, note="现场核实已整改到位")

    # One verified: the opinion can be previewed; the other is still awaiting, nothing confirmed.
    text = text_of(application, CHECK)
    for value in (
        zh("Rectification check opinion"),
        enterprise_name,
        first.description,
        second.description,
        "整改后照片.pdf",
        "培训记录.pdf",
        zh("comparison of the photos before and after"),
        zh("Passed, closed"),
        zh("Awaiting verification"),
        "现场核实已整改到位",
        who(leader),
        zh_date(timezone.localdate()),
        "李四",
        zh("The panel leader has not confirmed the rectification yet."),
        zh("The rectification is not complete."),
    ):
        assert flat(value) in text, value
    assert not GeneratedDocument.objects.filter(application=application, kind=CHECK).exists()

    services.hazard_verify(actor=leader, hazard=second, passed=True, note="培训记录齐全")
    services.rectification_submit(actor=principal, application=application)
    with django_capture_on_commit_callbacks(execute=True):
        services.rectification_confirm(
            actor=leader, application=application, passed=True, comment="整改全部完成，同意"
        )
    application.refresh_from_db()
    assert application.status == Status.RESULT_CONFIRMATION
    assert Hazard.objects.filter(plan=the_plan, status=Hazard.Status.CLOSED).count() == 2

    text = stored_text(application, CHECK)
    for value in (
        enterprise_name,
        application.number,
        first.description,
        second.description,
        "培训记录齐全",
        zh("review of the documents"),
        "整改全部完成，同意",
        zh("Every hazard of the plan has been rectified and closed."),
        who(leader),
    ):
        assert flat(value) in text, value
    assert flat(zh("The panel leader has not confirmed the rectification yet.")) not in text
