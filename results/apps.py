from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = _("Publicity, announcements and certificates")

    def ready(self) -> None:
        from results.workflow import extend_application_flow

        extend_application_flow()
        from accidents.services import register_saved_hook
        from grading.eligibility import register_ban_source
        from results.services import on_accident_saved, revocation_bans

        register_ban_source(revocation_bans)
        from grading.eligibility import register_check
        from results.eligibility import valid_grade_check

        register_check("E12-grade", valid_grade_check)
        register_saved_hook(on_accident_saved)
        from results.sheets import register

        register()
        from results import views, workbench  # noqa: F401 - register the case card and the to-dos
