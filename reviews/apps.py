from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Panels and on-site reviews")

    def ready(self) -> None:
        from reviews.workflow import extend_application_flow

        extend_application_flow()
        from grading.permissions import register_visibility
        from reviews.services import expert_visibility

        register_visibility(expert_visibility)  # experts see the cases of their confirmed seats
        from reviews import views  # noqa: F401 - registers the panel card on the case page
