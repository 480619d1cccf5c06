from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "rectification"
    verbose_name = _("Rectification and the hazard ledger")

    def ready(self) -> None:
        from rectification.workflow import extend_application_flow

        extend_application_flow()
        from grading.eligibility import register_check
        from rectification.eligibility import major_hazards_check

        register_check("E11", major_hazards_check)
        from rectification.services import on_review_finalised
        from reviews.services import register_finalise_hook

        register_finalise_hook(on_review_finalised)
        from grading.documents import register_document
        from rectification import views  # noqa: F401 - registers the plan card on the case page
        from rectification.documents import rectification_check_context, rectification_notice_context

        register_document(
            "rectification_notice",
            "rectification/pdf/rectification_notice.html",
            rectification_notice_context,
        )
        register_document(
            "rectification_check_opinion",
            "rectification/pdf/rectification_check_opinion.html",
            rectification_check_context,
        )
