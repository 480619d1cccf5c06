from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Panels and on-site reviews")

    def ready(self) -> None:
        from reviews.workflow import extend_application_flow

        extend_application_flow()
        from grading.permissions import register_visibility
        from reviews.permissions import (
            can_edit_review_sheet,
            review_sheet_links,
            sheet_is_review_sheet,
            sheets_visible_q,
        )
        from reviews.services import expert_visibility
        from standards.permissions import register_sheet_access, register_sheet_links

        register_visibility(expert_visibility)  # experts see the cases of their confirmed seats
        register_sheet_access(sheets_visible_q, can_edit_review_sheet, sheet_is_review_sheet)
        register_sheet_links(review_sheet_links)
        from grading.documents import register_document
        from reviews.documents import review_report_context

        register_document("review_report", "reviews/pdf/review_report.html", review_report_context)
        from reviews import views  # noqa: F401 - registers the panel card on the case page
