from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    name = "workbench"
    verbose_name = _("Workbench")

    def ready(self) -> None:
        # Each app's to-do providers register themselves on import.
        from workbench import providers  # noqa: F401
