"""The review report (评审报告) as PDF: its context, rendered by ``grading.documents``.

Registered from ``ReviewsConfig.ready`` as the case's document kind ``review_report``.
"""

from grading.documents import DocumentUnavailable
from grading.models import GradingApplication
from reviews.models import SiteReview


def review_report_context(application: GradingApplication, **options) -> dict:
    review = SiteReview.objects.filter(application=application).first()
    if review is None or review.finalised_at is None:
        raise DocumentUnavailable("review_report")
    return {"review": review}
