"""The review report (评审报告) PDF of a finalised on-site review (domain.md §7).

Reviews are finalised through the real services (``reviews/tests/scoring_helpers.py``); the PDF
is read back with ``pdftotext -layout`` and compared, whitespace removed, with data from the
database and with labels through gettext in the site's language.
"""

import pytest
from django.utils.text import Truncator

from experts.models import Expert
from grading.documents import DocumentUnavailable, document_context, render_document
from grading.models import GeneratedDocument, Status
from grading.tests.test_documents import flat, pdf_text, zh
from reviews.models import ReviewPlanRow
from reviews.services import review_finalise
from reviews.tests.scoring_helpers import (
    consolidate,
    finalise_review,
    leader_of,
    score,
    sign_in,
    submit_all,
)
from standards import selectors as standard_selectors
from standards.models import Element, Item
from standards.services import DeductionIn, EntryIn

pytestmark = pytest.mark.django_db

KIND = GeneratedDocument.Kind.REVIEW_REPORT
MINOR = "目标管理制度缺少考核环节"
HAZARD = "消防通道被货物堵塞"
EXTRA = "三同时资料缺失追加扣分"
CERTIFICATE = "AQPX-2026-0815"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _requirement_head(standard, code: str) -> str:
    """The first characters of an item's requirement, as the report's excerpt starts."""
    text = " ".join(Item.objects.get(standard=standard, code=code).requirement.split())
    return flat(Truncator(text).chars(12, truncate=""))


def test_the_report_tells_the_whole_review(personas, on_site, django_capture_on_commit_callbacks):
    application, panel, review = on_site
    leader = leader_of(panel)
    Expert.objects.filter(user=leader).update(training_certificate_number=CERTIFICATE)
    with pytest.raises(DocumentUnavailable):  # opened, nothing scored
        document_context(application, KIND)
    sign_in(personas, review)
    score(
        review,
        {
            "1.1.1": DeductionIn("1", MINOR),
            "6.1.1": EntryIn(
                code="6.1.1",
                deductions=(DeductionIn("2", HAZARD, True),),
                extra_deduction="3",
                extra_reason=EXTRA,
            ),
        },
    )
    submit_all(review)
    consolidate(review)
    # Consolidated but not finalised: there is no report yet.
    with pytest.raises(DocumentUnavailable):
        render_document(application, KIND)

    with django_capture_on_commit_callbacks(execute=True):
        review_finalise(actor=leader, application=application)
    review.refresh_from_db()
    application.refresh_from_db()
    assert review.conclusion == "pass" and application.status == Status.RECTIFYING

    # Stored as the first version of the case's review report by the finalisation.
    document = application.documents.get(kind=KIND)
    assert document.version == 1 and document.created_by == leader
    text = flat(pdf_text(document.file.open("rb").read()))

    enterprise = application.enterprise
    for value in (enterprise.name, application.number, review.place, application.standard.name):
        assert flat(value) in text, value
    assert f"{review.earned}" in text and f"{review.percentage}%" in text
    conclusion = text.split(flat(zh("9. Conclusion")), 1)[1]
    assert conclusion.startswith(flat(zh("Passed"))) and flat(zh("Not passed")) not in text
    # The panel with certificate numbers and signature lines.
    members = list(panel.members.filter(state="confirmed").select_related("expert"))
    for member in members:
        assert member.expert.name in text, member.expert.name
    assert CERTIFICATE in text and flat(zh("Training certificate number")) in text
    assert flat(zh("Signature")) in text
    # Plan and sign-in sheets.
    assert "现场检查" in text
    assert personas.city_officer.get_full_name() in text
    assert personas.county_officer.get_full_name() in text
    assert flat(zh("Opening meeting")) in text and flat(zh("Closing meeting")) in text
    # Element score table: every element.
    table = text.split(flat(zh("5. Scores by element")), 1)[1].split(
        flat(zh("6. Deductions and their reasons"))
    )[0]
    for name in Element.objects.filter(standard=application.standard).values_list("name", flat=True):
        assert name in table, name
    # Nonconformities per element: the two elements with findings, not the others.
    findings = text.split(flat(zh("7. Nonconformities by element")), 1)[1].split(flat(zh("8. Veto items")))[0]
    assert "安全生产目标" in findings and "生产设备设施" in findings and "职业健康" not in findings
    # Deductions with reasons, requirement excerpts and the extra deduction.
    for value in (MINOR, HAZARD, EXTRA, "1.1.1", "6.1.1"):
        assert value in text, value
    assert _requirement_head(application.standard, "1.1.1") in text
    assert flat(zh("No veto item failed.")) in text
    # Rectification: the hazard, not the minor finding, is listed for rectification.
    rectification = text.split(flat(zh("10. Rectification requirements")), 1)[1]
    assert HAZARD in rectification and MINOR not in rectification
    assert enterprise.principal_name in text
    assert review.explanation and any(flat(line)[:8] in text for line in review.explanation)


def test_a_failed_veto_item_is_shown_with_its_requirement(personas, on_site, monkeypatch):
    application, panel, review = on_site
    Item.objects.filter(standard=application.standard, code="6.1.1").update(is_veto=True)
    monkeypatch.setattr(standard_selectors, "_SPEC_CACHE", {})  # the standard changed under the cache
    ReviewPlanRow.objects.filter(review=review).update(expert_names="专家甲")
    review = finalise_review(personas, application, panel, review, {"6.1.1": 1}, second_opinions={"1.1.2": 1})
    assert review.conclusion == "fail" and review.failed_vetoes == ["6.1.1"]
    assert application.status == Status.ON_SITE_REVIEW  # the chief decides

    text = flat(pdf_text(render_document(application, KIND)))
    assert text.split(flat(zh("9. Conclusion")), 1)[1].startswith(flat(zh("Not passed")))
    assert review.consolidation_reasons.filter(item__code="1.1.2").exists()  # the sheets diverged
    veto_part = text.split(flat(zh("8. Veto items")), 1)[1].split(flat(zh("9. Conclusion")), 1)[0]
    assert "6.1.1" in veto_part
    assert _requirement_head(application.standard, "6.1.1") in veto_part
    assert flat(zh("No veto item failed.")) not in text
    # No hazard among the deductions: the rectification part says so.
    assert flat(zh("No deduction constitutes a hazard: there is nothing to rectify as a hazard.")) in text
    assert "专家甲" in text


def test_the_context_reads_the_review_in_a_few_queries(personas, on_site, django_assert_max_num_queries):
    application, panel, review = on_site
    finalise_review(personas, application, panel, review, {code: 1 for code in ("1.1.1", "1.1.2", "2.1.1")})
    document_context(application, KIND)  # warm the standard's cache
    # The review with its plan (and experts) and sign-ins, the panel, the panel sheet's entries
    # and their deductions, the failed vetoes' items: a fixed number whatever the rows.
    with django_assert_max_num_queries(8):
        context = document_context(application, KIND)
    assert [row.code for row in context["findings"]] == ["1.1.1", "1.1.2", "2.1.1"]
    assert [group.no for group in context["nonconformities"]] == [1, 2]
    assert context["vetoes"] == [] and context["hazards"] == []
