from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GradingConfig(AppConfig):
    name = "grading"
    verbose_name = _("Grading applications")

    def ready(self) -> None:
        from grading import workbench  # noqa: F401 - registers the to-do providers
        from grading.permissions import can_edit_self_sheet, sheet_is_self_assessment, sheets_visible_q
        from standards.permissions import register_sheet_access

        register_sheet_access(sheets_visible_q, can_edit_self_sheet, sheet_is_self_assessment)
